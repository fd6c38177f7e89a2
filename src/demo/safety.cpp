// A year of safety events, deterministic for a seed: the extravasations recorded with the exams
// (opened through the same safety-module path as in service) and reported events of every kind,
// each taken as far through its workflow as its age allows. See demo.h GenerateSafetyEvents.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <random>

#include "demo/demo.h"
#include "safety/safety_event.h"

namespace radqs::demo {
namespace {

constexpr Micros kHour = 3600 * kMicrosPerSecond;
constexpr Micros kDay = 24 * kHour;

struct Kind {
  const char* type;
  const char* severity_class;
  const char* place;
  const char* description;
  const char* immediate_action;
};

// What a radiology department typically reports, in its own words.
constexpr std::array kKinds = {
    Kind{"fall", "III", "DR1室", "患者下检查床时跌倒，无明显外伤",
         "扶起患者，测量生命体征，通知临床"},
    Kind{"near_miss", "IV", "登记台", "同名患者登记时险些选错，核对身份证号发现",
         "重新核对两种身份标识"},
    Kind{"wrong_exam", "III", "CT2室", "申请胸部平扫，执行前核对发现预约为腹部",
         "暂停检查，与临床确认后更正"},
    Kind{"equipment_failure", "IV", "MR1室", "磁共振液氦压力报警，检查暂停",
         "按预案疏散，通知设备工程师"},
    Kind{"complaint", "IV", "候诊区", "患者投诉候诊时间过长", "当场解释并安排优先检查"},
    Kind{"contrast_reaction", "II", "CT1室", "增强扫描后出现全身荨麻疹、胸闷",
         "停止注射，吸氧，地塞米松静推，观察"},
    Kind{"staff_injury", "III", "注射室", "护士拔针时针刺伤（职业暴露）",
         "挤血冲洗消毒，上报院感科"},
    Kind{"privacy_breach", "III", "报告打印处", "报告误交他人，当日追回", "追回报告，向患者致歉"},
    Kind{"radiation_incident", "II", "DSA室", "介入手术中防护门未关闭即曝光",
         "立即停止曝光，估算人员受照剂量"},
};

// Takes an event as far through its workflow as its age allows, with the steps that did it.
void Advance(db::Transaction& tx, std::int64_t id, const std::string& type, bool major,
             Micros reported, Micros now, std::int64_t handler, const std::string& handler_name,
             std::mt19937_64& rng) {
  auto pick = [&](std::uint64_t n) { return static_cast<std::int64_t>(rng() % n); };
  std::string state = "reported";
  auto step = [&](const char* kind, const char* to, Micros at, const std::string& note) {
    tx.Exec(
        "INSERT INTO safety_event_steps (event_id, kind, from_state, to_state, note, at, "
        "by_user_id, by_name) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        id, kind, std::string(*to ? state : ""), to, note, at, handler, handler_name);
    if (*to) state = to;
  };
  const Micros acknowledged = reported + (1 + pick(20)) * kHour;
  if (acknowledged > now) return;
  step("transition", "acknowledged", acknowledged, "已知悉，开始核实");
  const Micros investigating = acknowledged + (2 + pick(20)) * kHour;
  const Micros written =
      reported + (major ? 20 + pick(26) : 30 + pick(80)) * kHour + (pick(20) == 0 ? 3 * kDay : 0);
  const Micros feedback = reported + (12 + pick(48)) * kHour;
  const Micros actions = investigating + (1 + pick(4)) * kDay;
  const Micros closed = std::max(actions, written) + (3 + pick(20)) * kDay;
  std::optional<Micros> written_at, feedback_at, closed_at;
  if (investigating <= now) step("transition", "investigating", investigating, "");
  if (written <= now && investigating <= now) {
    step("written_report", "", written, "经过、原因分析（人机料法环）与整改措施见附件");
    written_at = written;
  }
  if (type == "complaint" && feedback <= now) {
    step("feedback", "", feedback, "已电话回访并致歉");
    feedback_at = feedback;
  }
  if (actions <= now && state == "investigating") step("transition", "actions", actions, "");
  if (closed <= now && written_at && (type != "complaint" || feedback_at)) {
    step("transition", "closed", closed, "整改措施已落实，结案");
    closed_at = closed;
  }
  tx.Exec(
      "UPDATE safety_events SET state = ?, acknowledged_at = ?, written_report_at = ?, "
      "feedback_at = ?, closed_at = ?, version = version + 1 WHERE id = ?",
      state, acknowledged, written_at, feedback_at, closed_at, id);
}

}  // namespace

void GenerateSafetyEvents(db::Transaction& tx, Micros now, std::uint64_t seed,
                          const std::vector<exam::ExtravasationRecorded>& extravasations,
                          Summary& sum) {
  std::mt19937_64 rng(seed ^ 0x5afe7eULL);
  auto pick = [&](std::uint64_t n) { return static_cast<std::int64_t>(rng() % n); };
  std::int64_t handler = 0;
  std::string handler_name;
  std::vector<std::pair<std::int64_t, std::string>> reporters;
  {
    auto s = tx.Prepare("SELECT id, display_name, username FROM users ORDER BY id");
    while (s.Step()) {
      if (s.Text(2) == "safety") std::tie(handler, handler_name) = std::pair(s.Int(0), s.Text(1));
      if (s.Text(2) == "nurse") reporters.insert(reporters.begin(), {s.Int(0), s.Text(1)});
      if (s.Text(2) == "tech" || s.Text(2) == "doctor") reporters.emplace_back(s.Int(0), s.Text(1));
    }
  }
  if (handler == 0 || reporters.empty()) return;

  // Reports are written in the order they were made, so that ids (the list order) follow time.
  struct Pending {
    Micros at;
    std::optional<exam::ExtravasationRecorded> extravasation;  // else `report`
    safety::SafetyEvent report;
  };
  std::vector<Pending> pending;
  // The nurse who gave the contrast records the extravasation.
  const auto& nurse = reporters.front();
  for (auto x : extravasations) {
    x.recorded_by = nurse.first;
    x.recorded_by_name = nurse.second;
    pending.push_back({x.at, x, {}});
  }
  // About one reported event per 2,000 exams over the past year.
  std::vector<std::int64_t> sites;
  {
    auto s = tx.Prepare("SELECT id FROM sites ORDER BY id");
    while (s.Step()) sites.push_back(s.Int(0));
  }
  const int count = std::max(12, sum.exams / 2000);
  for (int i = 0; i < count; ++i) {
    const Kind& k = kKinds[static_cast<std::size_t>(pick(kKinds.size()))];
    const auto& [reporter_id, reporter_name] =
        reporters[static_cast<std::size_t>(pick(reporters.size()))];
    safety::SafetyEvent e;
    e.site_id = sites[static_cast<std::size_t>(pick(sites.size()))];
    e.type = k.type;
    e.severity_class = k.severity_class;
    e.reported_at = now - pick(365) * kDay - pick(24) * kHour;
    e.occurred_at = e.reported_at - (10 + pick(300)) * kMicrosPerMinute;
    e.place = k.place;
    e.description = k.description;
    e.immediate_action = k.immediate_action;
    e.anonymous = pick(10) == 0;
    if (!e.anonymous) e.reporter = safety::Person{reporter_id, reporter_name};
    pending.push_back({e.reported_at, std::nullopt, std::move(e)});
  }
  std::stable_sort(pending.begin(), pending.end(),
                   [](const Pending& a, const Pending& b) { return a.at < b.at; });

  for (auto& p : pending) {
    std::int64_t id = 0;
    if (p.extravasation) {
      id = safety::ReportExtravasation(tx, *p.extravasation).id;
    } else {
      safety::RecordReport(tx, p.report, LocalDate(p.at));
      id = p.report.id;
    }
    const std::string type = p.extravasation ? "contrast_extravasation" : p.report.type;
    const bool major = p.report.severity_class == "I" || p.report.severity_class == "II";
    Advance(tx, id, type, major, p.at, now, handler, handler_name, rng);
    ++sum.safety_events;
  }
}

}  // namespace radqs::demo
