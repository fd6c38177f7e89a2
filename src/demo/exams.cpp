// A year of a department's exam work, deterministic for a seed: see demo.h GenerateExams.
#include <fmt/format.h>

#include <array>
#include <map>
#include <random>
#include <unordered_set>

#include "demo/demo.h"
#include "demo/people.h"
#include "exam/acquisition.h"
#include "exam/exam.h"
#include "exam/identity.h"
#include "exam/pinyin.h"
#include "exam/scheduling.h"

namespace radqs::demo {
namespace {

constexpr std::array kRejectReasons = {"positioning", "positioning", "exposure",  "motion",
                                       "motion",      "artifact",    "equipment", "labelling"};

struct Room {
  std::int64_t id, site_id;
  std::string modality;
  bool open_24h;
  std::string name;
};
struct Item {
  std::int64_t id;
  std::string modality;
  int minutes;
  bool xray, contrast;
};

// How a day's work splits across modalities (share of exams), for the rooms a site has.
int ModalityWeight(const std::string& m) {
  static const std::map<std::string, int> kWeights = {{"DR", 40}, {"CT", 30}, {"MR", 12},
                                                      {"MG", 5},  {"RF", 3},  {"DSA", 2},
                                                      {"US", 5},  {"CR", 2},  {"DX", 1}};
  auto it = kWeights.find(m);
  return it == kWeights.end() ? 1 : it->second;
}

// The IV contrast of an enhanced exam: an iodinated agent for CT and DSA, gadolinium for MR.
exam::ContrastAdministration ContrastFor(const std::string& modality, const std::string& accession,
                                         std::mt19937_64& rng) {
  static constexpr std::array kIodinated = {"碘海醇 350", "碘克沙醇 320", "碘帕醇 370",
                                            "碘普罗胺 370"};
  static constexpr std::array kGadolinium = {"钆喷酸葡胺", "钆特酸葡胺", "钆布醇"};
  static constexpr std::array kSites = {"右肘正中静脉", "左肘正中静脉", "右手背静脉"};
  const bool mr = modality == "MR";
  exam::ContrastAdministration c;
  c.agent = mr ? kGadolinium[rng() % kGadolinium.size()] : kIodinated[rng() % kIodinated.size()];
  c.lot = fmt::format("{}{}", mr ? "G" : "I", accession.substr(2, 6));  // one lot per month
  c.volume_ml = mr ? 10 + static_cast<double>(rng() % 11) : 60 + static_cast<double>(rng() % 41);
  c.concentration = mr ? "0.5 mmol/mL" : c.agent.substr(c.agent.size() - 3) + " mgI/mL";
  c.injection_site = kSites[rng() % kSites.size()];
  c.cannula_gauge = rng() % 4 == 0 ? "22G" : "20G";
  c.flow_rate_ml_s = mr ? 2.0 : 3.0 + static_cast<double>(rng() % 3);
  c.injector = mr ? "MR高压注射器" : "CT双筒高压注射器";
  return c;
}

}  // namespace

std::vector<exam::ExtravasationRecorded> GenerateExams(db::Transaction& tx, Micros now,
                                                       const Size& size, std::uint64_t seed,
                                                       Summary& sum) {
  std::mt19937_64 rng(seed ^ 0x5eedULL);
  // Contrast details draw from their own sequence, so the rest of the year stays as it was.
  std::mt19937_64 contrast_rng(seed ^ 0xc0e7ULL);
  std::vector<exam::ExtravasationRecorded> extravasations;
  auto pick = [&](std::uint64_t n) { return static_cast<int>(rng() % n); };
  const int offset = kDefaultUtcOffsetMinutes;
  const Date today = LocalDate(now, offset);

  std::vector<Room> rooms;
  {
    auto s = tx.Prepare("SELECT id, site_id, modality, open_24h, name FROM rooms ORDER BY id");
    while (s.Step()) rooms.push_back({s.Int(0), s.Int(1), s.Text(2), s.Bool(3), s.Text(4)});
  }
  // Each site's ordering departments, the emergency department first when it has one.
  struct Department {
    std::int64_t id;
    std::string name;
    bool emergency;
  };
  std::map<std::int64_t, std::vector<Department>> departments;
  {
    auto s = tx.Prepare(
        "SELECT id, site_id, name, emergency FROM ordering_departments WHERE active = 1 ORDER BY "
        "site_id, emergency DESC, id");
    while (s.Step()) departments[s.Int(1)].push_back({s.Int(0), s.Text(2), s.Bool(3)});
  }
  // Who works each site's rooms: the technologists, and the nurses at the registration desk.
  std::map<std::int64_t, std::vector<std::string>> technologists, nurses;
  {
    auto s = tx.Prepare(
        "SELECT site_id, category, name FROM staff WHERE status = 'active' AND category IN "
        "('technologist', 'nurse') ORDER BY id");
    while (s.Step()) {
      (s.Text(1) == "technologist" ? technologists : nurses)[s.Int(0)].push_back(s.Text(2));
    }
  }
  // A room's technologist for a half day (a shift): the same person all morning, another in
  // the afternoon, different rooms and days by turns.
  const auto on_duty = [&](const std::vector<std::string>& people, std::int64_t room_id, Date d,
                           bool afternoon) -> std::string {
    if (people.empty()) return "技师";
    const auto shift = static_cast<std::uint64_t>(d.days) * 2 + (afternoon ? 1 : 0);
    return people[(shift * 7 + static_cast<std::uint64_t>(room_id) * 13) % people.size()];
  };
  std::map<std::string, std::vector<Item>> items;
  {
    auto s = tx.Prepare(
        "SELECT id, modality, duration_minutes, xray, contrast FROM exam_items WHERE active = 1");
    while (s.Step()) {
      items[s.Text(1)].push_back(
          {s.Int(0), s.Text(1), static_cast<int>(s.Int(2)), s.Bool(3), s.Bool(4)});
    }
  }
  // Weekly slot templates: 24-hour rooms all day, the others 08:00–12:00 and 13:30–17:30.
  std::vector<std::pair<const Room*, int>> weighted;
  int total_weight = 0;
  for (const auto& r : rooms) {
    const int slot = r.modality == "MR" ? 30 : r.modality == "CT" ? 15 : 10;
    for (int wd = 1; wd <= 7; ++wd) {
      const auto add = [&](int from, int to) {
        tx.Exec(
            "INSERT INTO slot_templates (room_id, weekday, start_minute, end_minute, "
            "slot_minutes, capacity, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            r.id, wd, from, to, slot, 2, now);
      };
      if (r.open_24h) {
        add(0, 24 * 60);
      } else if (wd <= 6) {
        add(8 * 60, 12 * 60);
        add(13 * 60 + 30, 17 * 60 + 30);
      }
    }
    if (items.count(r.modality) == 0) continue;
    weighted.emplace_back(&r, ModalityWeight(r.modality));
    total_weight += ModalityWeight(r.modality);
  }
  if (weighted.empty()) return extravasations;

  std::vector<std::int64_t> patients;
  std::vector<char> patient_sex;
  std::vector<std::string> patient_names;
  const Pick pick_int = [&](int n) { return pick(static_cast<std::uint64_t>(n)); };
  const auto afternoon = [&](Micros t) {
    return t - StartOfLocalDate(LocalDate(t, offset), offset) >= 13 * 60 * kMicrosPerMinute;
  };
  std::unordered_set<std::string> id_numbers;
  auto new_patient = [&](std::int64_t site_id) {
    const bool female = pick(2) == 0;
    const int age = pick(10) == 0 ? pick(15) : 18 + pick(70);
    const Date birth{today.days - age * 365 - pick(365)};
    std::string digits;
    do {
      digits = ResidentIdNumber(birth, female, pick(500), pick_int);
    } while (!id_numbers.insert(digits).second);
    const std::int64_t id = static_cast<std::int64_t>(patients.size()) + 1;
    const std::string name = PersonName(female, pick_int);
    const exam::Pinyin pinyin = exam::PinyinOfName(name);
    tx.Exec(
        "INSERT INTO patients (id, site_id, patient_no, name, name_pinyin, pinyin_key, "
        "pinyin_initials, sex, birth_date, phone, outpatient_no, created_at, updated_at) VALUES "
        "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        id, site_id, fmt::format("P{:08d}", id), name, pinyin.text, pinyin.key, pinyin.initials,
        female ? "F" : "M", static_cast<std::int64_t>(birth.days),
        fmt::format("13{:09d}", pick(1000000000)), fmt::format("MZ{:08d}", id), now, now);
    tx.Exec(
        "INSERT INTO patient_documents (patient_id, type, number, created_at) VALUES (?, "
        "'resident_id', ?, ?)",
        id, digits, now);
    patients.push_back(id);
    patient_sex.push_back(female ? 'F' : 'M');
    patient_names.push_back(name);
    ++sum.patients;
    return patients.size() - 1;
  };

  // The screening of an exam that started: every gate of its item closed — asked, shielded, the
  // MR questionnaire answered (no implant), the contrast consent signed by the patient.
  const auto screening_record = [](const Item& item, const std::string& patient, Micros at) {
    std::string consents;
    if (item.contrast) {
      consents = fmt::format(
          R"({{"type":"contrast","signer_name":"{}","signer_relation":"patient","relation_detail":"","signed_at":"{}"}})",
          patient, FormatInstant(at));
    }
    const std::string mr =
        item.modality == "MR"
            ? R"(,"mr":{"active_implant":false,"ferromagnetic_implant":false,"metal_foreign_body":false,"tattoo":false,"claustrophobia":false,"previous_mr":false,"implant_detail":"","flag_note":""})"
            : "";
    return fmt::format(
        R"({{"pregnancy":{{"status":"not_pregnant","dating_method":"unknown"}},"shielding":{{"used":true,"reason_if_not":""}},"consents":[{}],"contrast":{{"prior_reaction_grade":"none"}}{}}})",
        consents, mr);
  };
  std::map<Date, int> per_day;
  for (int n = 0; n < size.exams; ++n) {
    // Spread over the past 365 days, weekdays busier; the last share lands on today.
    const bool is_today = n >= size.exams - std::max(20, size.exams / 400);
    Date day{today.days - 1 - pick(365)};
    if (is_today) day = today;
    if (!is_today && exam::IsoWeekday(day) == 7 && pick(3) != 0) day.days -= 2;
    int roll = pick(static_cast<std::uint64_t>(total_weight));
    std::size_t ri = 0;
    while (roll >= weighted[ri].second) roll -= weighted[ri++].second;
    const Room& room = *weighted[ri].first;
    const auto& choices = items[room.modality];
    const Item& item = choices[static_cast<std::size_t>(pick(choices.size()))];
    const int p = pick(100);
    const std::string priority = p < 2 && room.modality == "CT" ? "green_channel"
                                 : p < 10                       ? "emergency"
                                 : p < 20                       ? "urgent"
                                                                : "routine";
    const std::string patient_class = priority == "emergency" || priority == "green_channel"
                                          ? "emergency"
                                      : pick(4) == 0  ? "inpatient"
                                      : pick(15) == 0 ? "checkup"
                                                      : "outpatient";
    const std::size_t pi = patients.empty() || pick(10) < 7
                               ? new_patient(room.site_id)
                               : static_cast<std::size_t>(pick(patients.size()));
    // Times: routine work inside opening hours, emergencies round the clock.
    const int minute = priority == "routine" ? 8 * 60 + pick(9 * 60) : pick(24 * 60);
    Micros appointment = StartOfLocalDate(day, offset) + minute * kMicrosPerMinute;
    const bool booked = priority == "routine" || priority == "urgent";
    // Nothing unbooked has happened later than now; booked work later today is still expected.
    if (!booked && appointment > now - kMicrosPerHour) {
      appointment = now - (60 + pick(6 * 60)) * kMicrosPerMinute;
    }
    const Micros ordered = booked ? appointment - (1 + pick(5 * 24 * 60)) * kMicrosPerMinute
                                  : appointment - (5 + pick(30)) * kMicrosPerMinute;
    const int seq = ++per_day[LocalDate(ordered, offset)];
    const std::string accession = exam::AccessionNumber(LocalDate(ordered, offset), seq);

    // Emergencies come from the emergency department where the site has one; check-ups from
    // the check-up centre; the rest from any department.
    const auto& site_departments = departments[room.site_id];
    const Department* department =
        &site_departments[static_cast<std::size_t>(pick(site_departments.size()))];
    if (patient_class == "emergency" && site_departments.front().emergency) {
      department = &site_departments.front();
    }
    if (patient_class == "checkup") {
      for (const auto& d : site_departments) {
        if (d.name == "体检中心") department = &d;
      }
    }
    auto order = tx.Prepare(
        "INSERT INTO orders (site_id, patient_id, item_id, item_version, ordering_department_id, "
        "ordering_department, ordering_physician, clinical_history, clinical_question, "
        "patient_class, priority, pathway, created_at) VALUES (?, ?, ?, 1, ?, ?, ?, '病史见病历', "
        "'请协助诊断', ?, ?, ?, ?) RETURNING id");
    order.Bind(room.site_id, patients[pi], item.id, department->id, department->name,
               PersonName(pick(2) == 0, pick_int), patient_class, priority,
               priority == "green_channel" ? (pick(2) ? "stroke_cta" : "chest_pain_cta") : "",
               ordered);
    order.Step();
    const std::int64_t order_id = order.Int(0);

    // What became of it: past exams were done, some cancelled or missed. Today's have gone as
    // far as their times allow — checked in, started and acquired in the item's time — so none
    // sits 检查中 for hours.
    const Micros arrived = booked ? appointment - (pick(30) - 10) * kMicrosPerMinute : appointment;
    const Micros started =
        arrived + (priority == "routine" ? 5 + pick(40) : 1 + pick(10)) * kMicrosPerMinute;
    const Micros acquired =
        started + (item.minutes + pick(item.minutes / 2 + 2)) * kMicrosPerMinute;
    const int fate = pick(100);
    std::string state = "acquired";
    if (is_today) {
      state = acquired <= now  ? "acquired"
              : started <= now ? "in_progress"
              : arrived <= now ? "arrived"
                               : "scheduled";
      if (state == "scheduled" && !booked) state = "arrived";
      if (booked && appointment < now - kMicrosPerHour && fate < 4) state = "no_show";
    } else if (fate < 3) {
      state = "cancelled";
    } else if (fate < 7 && booked) {
      state = "no_show";
    }
    const std::string technologist = on_duty(technologists[room.site_id], room.id,
                                             LocalDate(arrived, offset), afternoon(arrived));
    const std::string desk =
        on_duty(nurses[room.site_id], room.site_id, LocalDate(ordered, offset), afternoon(ordered));
    auto stamp = [&](bool has, Micros t) { return has ? std::optional<Micros>(t) : std::nullopt; };
    const bool did_arrive = state == "arrived" || state == "in_progress" || state == "acquired";
    const bool did_start = state == "in_progress" || state == "acquired";
    const bool did_acquire = state == "acquired";
    auto exam = tx.Prepare(
        "INSERT INTO exams (accession_no, order_id, site_id, patient_id, item_id, modality, "
        "priority, room_id, state, appointment_at, ordered_at, booked_at, arrived_at, started_at, "
        "acquired_at, cancelled_at, cancel_reason, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, "
        "?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
    exam.Bind(accession, order_id, room.site_id, patients[pi], item.id, room.modality, priority,
              room.id, state, stamp(booked, appointment), ordered, stamp(booked, ordered),
              stamp(did_arrive, arrived), stamp(did_start, started), stamp(did_acquire, acquired),
              stamp(state == "cancelled", ordered + kMicrosPerHour),
              state == "cancelled" ? "患者要求取消" : "", now);
    exam.Step();
    const std::int64_t exam_id = exam.Int(0);
    ++sum.exams;

    std::string from = "ordered";
    auto event = [&](const char* to, Micros at, const std::string& actor) {
      tx.Exec(
          "INSERT INTO exam_events (exam_id, from_state, to_state, at, actor, detail) VALUES (?, "
          "?, ?, ?, ?, '')",
          exam_id, from, to, at, actor);
      from = to;
    };
    if (booked) event("scheduled", ordered, desk);
    if (state == "cancelled") event("cancelled", ordered + kMicrosPerHour, desk);
    if (state == "no_show") event("no_show", appointment + kMicrosPerHour, desk);
    if (did_arrive) event("arrived", arrived, technologist);
    if (did_start) {
      tx.Exec(
          "INSERT INTO exam_screenings (exam_id, version, record, recorded_at) VALUES (?, 1, ?, ?)",
          exam_id, screening_record(item, patient_names[pi], arrived), arrived);
      event("in_progress", started, technologist);
    }
    if (did_acquire) {
      exam::Acquisition a{.device_id = fmt::format("{}-{}", room.modality, room.id),
                          .protocol = item.contrast ? "增强" : "常规",
                          .image_count = item.xray ? 2 + pick(300) : 100 + pick(400),
                          .images_checked = true};
      if (item.contrast) {
        a.contrast = ContrastFor(room.modality, accession, contrast_rng);
        // Extravasation: about one contrast injection in 300.
        if (contrast_rng() % 300 == 0) {
          a.extravasation = exam::Extravasation{static_cast<double>(5 + contrast_rng() % 30),
                                                a.contrast->injection_site, "局部肿胀、疼痛",
                                                "抬高患肢，冷敷，观察2小时", "次日电话随访"};
          extravasations.push_back({.exam_id = exam_id,
                                    .patient_id = patients[pi],
                                    .site_id = room.site_id,
                                    .accession_no = accession,
                                    .room_name = room.name,
                                    .contrast = *a.contrast,
                                    .extravasation = *a.extravasation,
                                    .recorded_by_name = technologist,
                                    .at = acquired});
        }
      }
      tx.Exec(
          "INSERT INTO exam_acquisitions (exam_id, version, record, recorded_at) VALUES (?, 1, ?, "
          "?)",
          exam_id, exam::AcquisitionJson(a).dump(), acquired);
      event("acquired", acquired, technologist);
      // About one exam in fifty has a rejected or repeated image.
      if (pick(50) == 0) {
        tx.Exec(
            "INSERT INTO rejects (exam_id, reason, images, repeated, device_id, technologist, "
            "recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            exam_id, kRejectReasons[static_cast<std::size_t>(pick(kRejectReasons.size()))],
            1 + pick(2), pick(5) != 0, fmt::format("{}-{}", room.modality, room.id), technologist,
            acquired);
        ++sum.rejects;
      }
    }
  }
  // New orders continue each day's numbering where the generated exams stopped.
  for (const auto& [d, last] : per_day) {
    tx.Exec("INSERT INTO accession_counters (day, last) VALUES (?, ?)",
            static_cast<std::int64_t>(d.days), last);
  }
  return extravasations;
}

}  // namespace radqs::demo
