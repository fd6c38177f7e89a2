#include "platform/config/settings.h"

#include <algorithm>
#include <cmath>

namespace radqs::config {

std::string_view BasisKey(SettingBasis basis) {
  switch (basis) {
    case SettingBasis::kRegulation:
      return "regulation";
    case SettingBasis::kQualityIndicator:
      return "quality_indicator";
    case SettingBasis::kHospitalPractice:
      return "hospital_practice";
    case SettingBasis::kDepartmentRule:
      return "department_rule";
    case SettingBasis::kSecurityPolicy:
      return "security_policy";
    case SettingBasis::kSystem:
      return "system";
  }
  return "system";
}

namespace {
constexpr auto kSecurity = SettingBasis::kSecurityPolicy;
// Identification, password, sign-in and session rules of 等级保护 (level protection).
constexpr const char* kSecurityRef =
    "医院信息系统安全管理制度（参照 GB/T 22239-2019 网络安全等级保护基本要求）";
}  // namespace

const std::vector<SettingDefinition>& Definitions() {
  using B = SettingBasis;
  static const std::vector<SettingDefinition> kAll = {
      // spec: domain.md §1 licences, §6 certificates.
      {"org.licence_alert_days", SettingType::kInteger, 90, 1, 730, "天", "许可证到期预警提前天数",
       "Days ahead to warn of an expiring licence", B::kDepartmentRule,
       "放射诊疗许可证、辐射安全许可证等到期管理"},
      {"org.certificate_alert_days", SettingType::kInteger, 90, 1, 730, "天",
       "人员证书到期预警提前天数", "Days ahead to list expiring certificates", B::kDepartmentRule,
       "放射工作人员证、上岗证等人员证书到期管理"},
      {"auth.session_idle_minutes", SettingType::kInteger, 30, 5, 720, "分钟", "会话空闲超时",
       "Session idle timeout", kSecurity, kSecurityRef},
      {"auth.session_absolute_hours", SettingType::kInteger, 12, 1, 168, "小时", "会话绝对有效期",
       "Session absolute lifetime", kSecurity, kSecurityRef},
      {"auth.max_failed_logins", SettingType::kInteger, 5, 3, 20, "次", "连续登录失败锁定次数",
       "Failed sign-ins before lockout", kSecurity, kSecurityRef},
      {"auth.lockout_minutes", SettingType::kInteger, 15, 1, 1440, "分钟", "账户锁定时长",
       "Lockout duration", kSecurity, kSecurityRef},
      {"auth.password_min_length", SettingType::kInteger, 8, 8, 64, "字符", "密码最小长度",
       "Minimum password length", kSecurity, kSecurityRef},
      {"auth.password_min_classes", SettingType::kInteger, 2, 1, 4, "类",
       "密码至少包含的字符类别数（小写字母、大写字母、数字、符号）",
       "Character classes a password mixes at least (lower-case, upper-case, digits, symbols)",
       kSecurity, kSecurityRef},
      // Stricter for administrators, whose accounts reach everything; 9 and 3 keep the demo
      // password Radqs2026 valid (docs/decisions.md, password policy).
      {"auth.password_admin_min_length", SettingType::kInteger, 9, 8, 64, "字符",
       "管理员密码最小长度", "Minimum password length for administrators", kSecurity, kSecurityRef},
      {"auth.password_admin_min_classes", SettingType::kInteger, 3, 1, 4, "类",
       "管理员密码至少包含的字符类别数",
       "Character classes an administrator's password mixes at least", kSecurity, kSecurityRef},
      {"auth.signin_per_address_per_minute", SettingType::kInteger, 60, 1, 100000, "次/分钟",
       "每个客户端地址每分钟登录尝试上限", "Sign-in attempts per client address per minute",
       kSecurity, kSecurityRef},
      {"auth.signin_per_account_per_minute", SettingType::kInteger, 10, 1, 10000, "次/分钟",
       "每个账户名每分钟登录尝试上限", "Sign-in attempts per account name per minute", kSecurity,
       kSecurityRef},
      // spec: architecture.md "Time".
      {"site.utc_offset_minutes", SettingType::kInteger, 480, -720, 840, "分钟",
       "机构时区（相对UTC）", "Site UTC offset", B::kSystem, "机构所在地时区（北京时间为 480）"},
      {"export.max_rows", SettingType::kInteger, 50000, 1, 1000000, "行",
       "导出行数上限（超出时拒绝导出，请缩小筛选范围）",
       "Most rows one XLSX export may hold (beyond it the export is refused)", B::kSystem,
       "导出文件大小与服务器负载控制"},
      // spec: domain.md §2 safety screening (pregnancy).
      {"screening.childbearing_age_min", SettingType::kInteger, 15, 10, 20, "岁",
       "育龄期下限（妊娠核查）", "Child-bearing age band, lower bound", B::kDepartmentRule,
       "检查前妊娠状态核查制度"},
      {"screening.childbearing_age_max", SettingType::kInteger, 49, 40, 60, "岁",
       "育龄期上限（妊娠核查）", "Child-bearing age band, upper bound", B::kDepartmentRule,
       "检查前妊娠状态核查制度"},
      // spec: domain.md §2 contrast — "default 30 mL/min/1.73 m² for IV iodinated contrast
      // [check]; gadolinium its own setting" (no figure given: the same 30, also unconfirmed).
      {"screening.egfr_threshold_iodinated", SettingType::kNumber, 30.0, 0, 120, "mL/min/1.73 m²",
       "静脉碘对比剂 eGFR 阈值（低于需医师批准）",
       "eGFR below which IV iodinated contrast needs a radiologist's approval", B::kDepartmentRule,
       "对比剂使用前肾功能评估制度（默认值待科室核实）"},
      {"screening.egfr_threshold_gadolinium", SettingType::kNumber, 30.0, 0, 120, "mL/min/1.73 m²",
       "钆对比剂 eGFR 阈值（低于需医师批准）",
       "eGFR below which gadolinium needs a radiologist's approval", B::kDepartmentRule,
       "对比剂使用前肾功能评估制度（默认值待科室核实）"},
      {"screening.egfr_validity_days", SettingType::kInteger, 90, 1, 365, "天",
       "eGFR 有效期（有风险因素者）",
       "An eGFR older than this does not count for a patient with a risk flag", B::kDepartmentRule,
       "对比剂使用前肾功能评估制度（3个月内结果有效）"},
      // spec: regulations.md §6 — internal deadlines are hospital practice, in elapsed hours.
      {"safety.ack_hours", SettingType::kInteger, 24, 1, 168, "小时", "不良事件确认时限",
       "Acknowledge a safety event within", B::kHospitalPractice, "医院不良事件管理惯例"},
      {"safety.written_report_hours_major", SettingType::kInteger, 48, 1, 720, "小时",
       "I、II级事件书面报告时限", "Written report of a class I–II event within",
       B::kHospitalPractice, "医院不良事件管理惯例（事件分级见《医疗质量安全事件报告暂行规定》）"},
      {"safety.written_report_hours_minor", SettingType::kInteger, 120, 1, 720, "小时",
       "III、IV级事件书面报告时限", "Written report of a class III–IV event within",
       B::kHospitalPractice, "医院不良事件管理惯例（事件分级见《医疗质量安全事件报告暂行规定》）"},
      {"safety.complaint_feedback_hours", SettingType::kInteger, 72, 1, 720, "小时", "投诉反馈时限",
       "Feedback on a complaint within", B::kHospitalPractice, "医院投诉管理惯例"},
      // docs/decisions.md, anonymous reports.
      {"safety.anonymous_reports_per_hour", SettingType::kInteger, 10, 1, 1000, "次/小时",
       "每个账户每小时匿名上报上限（仅内存计数）",
       "Anonymous safety reports per account and hour (counted in memory only)", B::kSystem,
       "防止匿名上报被滥用"},
      // spec: indicators.md tat.green_channel — "acquired − start stamp ≤ the pathway limit
      // (stroke 30 min, chest pain 25 min)"; one setting per pathway key of the pathways table.
      {"tat.green_channel.stroke_cta_minutes", SettingType::kInteger, 30, 1, 240, "分钟",
       "卒中绿色通道时限（起始时间至检查完成）", "Stroke pathway: start stamp to acquired within",
       B::kQualityIndicator, "绿色通道达标率"},
      {"tat.green_channel.chest_pain_cta_minutes", SettingType::kInteger, 25, 1, 240, "分钟",
       "胸痛绿色通道时限（起始时间至检查完成）",
       "Chest-pain pathway: start stamp to acquired within", B::kQualityIndicator,
       "绿色通道达标率"},
      // issue 14 item 7: one patient cannot be in two rooms at once; a booking closer than this to
      // another of the same patient asks the desk to confirm.
      {"schedule.patient_booking_gap_minutes", SettingType::kInteger, 30, 0, 240, "分钟",
       "同一患者两项预约的最小间隔（更近时需确认）",
       "Minimum time between two bookings of one patient (closer ones need a confirmation)",
       B::kDepartmentRule, "检查预约管理制度"},
      // spec: domain.md §2 "Schedule" — only emergency and green-channel orders bypass booking;
      // routine walk-ins where the site allows them per modality (radiography yes, CT, MR no).
      {"schedule.walk_in_modalities",
       SettingType::kTextList,
       Json::array({"DR", "CR", "DX"}),
       std::nullopt,
       std::nullopt,
       "",
       "允许未预约直接签到的设备类型（常规、加急申请）",
       "Modalities where routine and urgent orders may arrive without a booking",
       B::kDepartmentRule,
       "检查预约管理制度",
       {"DR", "CR", "DX", "CT", "MR", "DSA", "MG", "RF", "US", "other"}},
  };
  return kAll;
}

const SettingDefinition* FindDefinition(std::string_view key) {
  for (const auto& d : Definitions()) {
    if (d.key == key) return &d;
  }
  return nullptr;
}

Result<void> ValidateValue(const SettingDefinition& def, const Json& value) {
  auto bad = [](std::string rule, std::string message) {
    return Error::Field(ErrorCode::kValidationFailed, "value", std::move(rule), std::move(message));
  };
  switch (def.type) {
    case SettingType::kInteger:
      if (!value.is_number_integer()) return bad("type", "must be an integer");
      break;
    case SettingType::kNumber:
      if (!value.is_number()) return bad("type", "must be a number");
      break;
    case SettingType::kBoolean:
      if (!value.is_boolean()) return bad("type", "must be true or false");
      return {};
    case SettingType::kText:
      if (!value.is_string()) return bad("type", "must be text");
      return {};
    case SettingType::kTextList: {
      if (!value.is_array()) return bad("type", "must be a list");
      std::vector<std::string> seen;
      for (const auto& v : value) {
        if (!v.is_string() || std::find(def.choices.begin(), def.choices.end(),
                                        v.get<std::string>()) == def.choices.end()) {
          std::string all;
          for (const auto& c : def.choices) all += (all.empty() ? "" : ", ") + c;
          return bad("enum", "each entry must be one of: " + all);
        }
        if (std::find(seen.begin(), seen.end(), v.get<std::string>()) != seen.end()) {
          return bad("unique", "lists " + v.get<std::string>() + " twice");
        }
        seen.push_back(v.get<std::string>());
      }
      return {};
    }
  }
  const double v = value.get<double>();
  if (def.min && v < *def.min) return bad("min", "must be >= " + Json(*def.min).dump());
  if (def.max && v > *def.max) return bad("max", "must be <= " + Json(*def.max).dump());
  return {};
}

Json ValueInForce(db::Transaction& tx, std::string_view key, Date on) {
  auto s = tx.Prepare(
      "SELECT value FROM setting_versions WHERE key = ? AND valid_from <= ? ORDER BY valid_from "
      "DESC LIMIT 1");
  s.Bind(std::string(key), static_cast<std::int64_t>(on.days));
  if (s.Step()) return Json::parse(s.Text(0));
  const SettingDefinition* def = FindDefinition(key);
  return def != nullptr ? def->default_value : Json();
}

std::int64_t IntInForce(db::Transaction& tx, std::string_view key, Date on) {
  const Json v = ValueInForce(tx, key, on);
  return v.is_number() ? v.get<std::int64_t>() : 0;
}

void Settings::Invalidate() {
  std::lock_guard lock(mu_);
  loaded_at_ = -1;
}

void Settings::LoadIfStale(std::unique_lock<std::mutex>& lock) {
  const Micros now = clock_.Now();
  if (loaded_at_ >= 0 && now - loaded_at_ < 5 * kMicrosPerSecond) return;
  // The database is read without the lock held: a caller waiting here for a reader connection
  // must not block callers that hold one.
  lock.unlock();
  std::vector<Row> rows;
  db_.Read([&](db::Transaction& tx) {
    auto s = tx.Prepare(
        "SELECT v.key, v.value, v.valid_from, v.reason, v.set_by, COALESCE(u.username, ''), "
        "v.set_at FROM setting_versions v LEFT JOIN users u ON u.id = v.set_by "
        "ORDER BY v.key, v.valid_from");
    while (s.Step()) {
      Row r;
      r.key = s.Text(0);
      r.v.value = Json::parse(s.Text(1));
      r.v.valid_from = Date{static_cast<std::int32_t>(s.Int(2))};
      r.v.reason = s.Text(3);
      r.v.set_by = s.OptInt(4);
      r.v.set_by_name = s.Text(5);
      r.v.set_at = s.Int(6);
      rows.push_back(std::move(r));
    }
  });
  lock.lock();
  rows_ = std::move(rows);
  loaded_at_ = now;
}

Json Settings::ValueOn(std::string_view key, Date on) {
  const SettingDefinition* def = FindDefinition(key);
  std::unique_lock lock(mu_);
  LoadIfStale(lock);
  const Json* found = nullptr;
  for (const auto& r : rows_) {
    if (r.key == key && r.v.valid_from <= on) found = &r.v.value;  // rows sorted by valid_from
  }
  if (found != nullptr) return *found;
  return def != nullptr ? def->default_value : Json();
}

Json Settings::Current(std::string_view key, int utc_offset_minutes) {
  return ValueOn(key, LocalDate(clock_.Now(), utc_offset_minutes));
}

std::int64_t Settings::Int(std::string_view key) { return IntOn(key, LocalDate(clock_.Now())); }

std::int64_t Settings::IntOn(std::string_view key, Date on) {
  const Json v = ValueOn(key, on);
  return v.is_number() ? v.get<std::int64_t>() : 0;
}

std::vector<SettingVersion> Settings::History(std::string_view key) {
  std::unique_lock lock(mu_);
  LoadIfStale(lock);
  std::vector<SettingVersion> out;
  for (const auto& r : rows_) {
    if (r.key == key) out.push_back(r.v);
  }
  return out;
}

Result<void> Settings::AddVersion(db::Transaction& tx, std::string_view key, const Json& value,
                                  Date valid_from, const std::string& reason,
                                  std::optional<std::int64_t> set_by) {
  const SettingDefinition* def = FindDefinition(key);
  if (def == nullptr) return Error::NotFound("setting");
  if (auto ok = ValidateValue(*def, value); !ok) return ok.error();
  auto exists = tx.Prepare("SELECT 1 FROM setting_versions WHERE key = ? AND valid_from = ?");
  exists.Bind(std::string(key), static_cast<std::int64_t>(valid_from.days));
  if (exists.Step()) {
    return Error::Field(ErrorCode::kConflict, "valid_from", "unique",
                        "a version valid from this date already exists");
  }
  tx.Exec(
      "INSERT INTO setting_versions (key, value, valid_from, reason, set_by, set_at) "
      "VALUES (?, ?, ?, ?, ?, ?)",
      std::string(key), value.dump(), static_cast<std::int64_t>(valid_from.days), reason, set_by,
      clock_.Now());
  Invalidate();
  return {};
}

}  // namespace radqs::config
