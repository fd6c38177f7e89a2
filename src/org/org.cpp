// Rules of the organisation module: pure functions, no I/O.
#include "org/org.h"

#include <fmt/format.h>

#include <algorithm>
#include <tuple>

namespace radqs::org {
namespace {

struct TitleInfo {
  std::string_view key;
  std::string_view ladder;  // the staff category whose career ladder the title belongs to
  int level;
};

// spec: domain.md §0 (titles) and docs/api.md "Title keys".
constexpr TitleInfo kTitleInfo[] = {
    {"resident", "physician", 1},
    {"attending", "physician", 2},
    {"associate_chief", "physician", 3},
    {"chief", "physician", 4},
    {"technician", "technologist", 1},
    {"senior_technician", "technologist", 2},
    {"associate_chief_technician", "technologist", 3},
    {"chief_technician", "technologist", 4},
    {"nurse", "nurse", 1},
    {"senior_nurse", "nurse", 1},
    {"supervising_nurse", "nurse", 2},
    {"associate_chief_nurse", "nurse", 3},
    {"chief_nurse", "nurse", 4},
    {"assistant_engineer", "engineer", 1},
    {"engineer", "engineer", 2},
    {"senior_engineer", "engineer", 3},
};

const TitleInfo* FindTitle(std::string_view key) {
  for (const auto& t : kTitleInfo) {
    if (t.key == key) return &t;
  }
  return nullptr;
}

std::string JoinKeys(const auto& keys) {
  std::string out;
  for (std::string_view k : keys) {
    if (!out.empty()) out += ", ";
    out += k;
  }
  return out;
}

void CheckEnum(std::vector<FieldError>& errors, std::string_view field, std::string_view value,
               const auto& keys) {
  if (!IsOneOf(value, keys)) {
    errors.push_back({std::string(field), "enum", "must be one of: " + JoinKeys(keys)});
  }
}

void CheckDates(std::vector<FieldError>& errors, std::optional<Date> issued_on,
                std::optional<Date> expires_on) {
  if (issued_on && expires_on && *expires_on <= *issued_on) {
    errors.push_back({"expires_on", "min", "must be after issued_on"});
  }
}

std::optional<std::string> OptDate(std::optional<Date> d) {
  return d ? std::optional(FormatDate(*d)) : std::nullopt;
}

std::string_view LicenceLabel(std::string_view type) {
  if (type == "radiation_diagnosis") return "放射诊疗许可证";
  if (type == "radiation_safety") return "辐射安全许可证";
  if (type == "large_equipment") return "大型医用设备配置许可证";
  return "许可证";
}

std::string_view CertificateLabel(std::string_view type) {
  if (type == "practising_licence") return "执业证书";
  if (type == "radiation_worker") return "放射工作人员证";
  if (type == "radiation_training") return "放射防护培训合格证";
  if (type == "radiation_safety_exam") return "辐射安全与防护考核合格证";
  if (type == "contrast_rescue") return "对比剂不良反应急救培训证";
  if (type == "cpr") return "心肺复苏培训证";
  return "证书";
}

std::string DueText(int days_left) {
  if (days_left < 0) return fmt::format("已过期 {} 天", -days_left);
  if (days_left == 0) return "今日到期";
  return fmt::format("{} 天后到期", days_left);
}

}  // namespace

bool TitleFitsCategory(std::string_view title, std::string_view category) {
  const TitleInfo* t = FindTitle(title);
  if (t == nullptr) return false;
  if (category == "other") return true;
  if (category == "physicist") return t->ladder == "engineer";
  return t->ladder == category;
}

int TitleLevel(std::string_view title) {
  const TitleInfo* t = FindTitle(title);
  return t == nullptr ? 0 : t->level;
}

std::optional<std::string> TitleOn(const std::vector<TitleEntry>& history, Date on) {
  const TitleEntry* best = nullptr;
  for (const auto& e : history) {
    if (e.effective_from <= on && (best == nullptr || e.effective_from > best->effective_from)) {
      best = &e;
    }
  }
  return best == nullptr ? std::nullopt : std::optional(best->title);
}

Expiry ExpiryStatus(Date expires_on, Date today, std::int64_t alert_days) {
  const int days_left = DaysBetween(today, expires_on);
  if (days_left < 0) return {"expired", days_left};
  if (days_left <= alert_days) return {"expiring", days_left};
  return {"valid", days_left};
}

std::vector<FieldError> ValidateSite(const Site& s) {
  std::vector<FieldError> errors;
  CheckEnum(errors, "level", s.level, kSiteLevels);
  CheckEnum(errors, "kind", s.kind, kSiteKinds);
  if (s.beds < 0) errors.push_back({"beds", "min", "must be >= 0"});
  return errors;
}

std::vector<FieldError> ValidateLicence(const Licence& l) {
  std::vector<FieldError> errors;
  CheckEnum(errors, "type", l.type, kLicenceTypes);
  CheckDates(errors, l.issued_on, l.expires_on);
  return errors;
}

std::vector<FieldError> ValidateRoom(const Room& r) {
  std::vector<FieldError> errors;
  CheckEnum(errors, "modality", r.modality, kModalities);
  return errors;
}

std::vector<FieldError> ValidateDepartment(const Department& d) {
  std::vector<FieldError> errors;
  if (d.code.empty()) errors.push_back({"code", "required", "is required"});
  if (d.name.empty()) errors.push_back({"name", "required", "is required"});
  return errors;
}

std::vector<FieldError> ValidateStaff(const Staff& s) {
  std::vector<FieldError> errors;
  CheckEnum(errors, "sex", s.sex, kSexes);
  CheckEnum(errors, "category", s.category, kStaffCategories);
  CheckEnum(errors, "status", s.status, kStaffStatuses);
  // spec: domain.md §1 — the radiation-work interval of a radiation worker.
  if (s.radiation_worker && !s.radiation_work_since) {
    errors.push_back({"radiation_work_since", "required", "is required for a radiation worker"});
  }
  // spec: domain.md §0 — a trainee drafts only; nothing leaves without a senior signature.
  if (s.trainee && s.emergency_signoff) {
    errors.push_back(
        {"emergency_signoff", "trainee", "a trainee cannot be authorised for emergency sign-off"});
  }
  return errors;
}

std::vector<FieldError> ValidateTitle(std::string_view title, std::string_view category,
                                      std::string_view field) {
  std::vector<FieldError> errors;
  if (FindTitle(title) == nullptr) {
    CheckEnum(errors, field, title, kTitles);
  } else if (!TitleFitsCategory(title, category)) {
    errors.push_back({std::string(field), "category",
                      fmt::format("{} is not a title of the {} category", title, category)});
  }
  return errors;
}

std::vector<FieldError> ValidateCertificate(const Certificate& c) {
  std::vector<FieldError> errors;
  CheckEnum(errors, "type", c.type, kCertificateTypes);
  CheckDates(errors, c.issued_on, c.expires_on);
  return errors;
}

Json SiteJson(const Site& s) {
  // Assigned key by key: nlohmann's initializer-list form copies every value twice, and these
  // objects are built on every list request.
  Json j = Json::object();
  j["id"] = s.id;
  j["code"] = s.code;
  j["name"] = s.name;
  j["level"] = s.level;
  j["kind"] = s.kind;
  j["beds"] = s.beds;
  j["address"] = s.address;
  j["phone"] = s.phone;
  j["active"] = s.active;
  j["created_at"] = FormatInstant(s.created_at);
  j["updated_at"] = FormatInstant(s.updated_at);
  j["version"] = s.version;
  return j;
}

Json LicenceJson(const Licence& l, Date today, std::int64_t alert_days) {
  const Expiry e = ExpiryStatus(l.expires_on, today, alert_days);
  Json j = Json::object();
  j["id"] = l.id;
  j["site_id"] = l.site_id;
  j["type"] = l.type;
  j["number"] = l.number;
  j["issuer"] = l.issuer;
  j["scope"] = l.scope;
  j["issued_on"] = OptDate(l.issued_on);
  j["expires_on"] = FormatDate(l.expires_on);
  j["status"] = std::string(e.status);
  j["days_left"] = e.days_left;
  j["active"] = l.active;
  j["version"] = l.version;
  return j;
}

Json DepartmentJson(const Department& d) {
  Json j = Json::object();
  j["id"] = d.id;
  j["site_id"] = d.site_id;
  j["code"] = d.code;
  j["name"] = d.name;
  j["emergency"] = d.emergency;
  j["his_code"] = d.his_code;
  j["active"] = d.active;
  j["version"] = d.version;
  return j;
}

Json RoomJson(const Room& r) {
  Json j = Json::object();
  j["id"] = r.id;
  j["site_id"] = r.site_id;
  j["code"] = r.code;
  j["name"] = r.name;
  j["modality"] = r.modality;
  j["location"] = r.location;
  j["open_24h"] = r.open_24h;
  j["active"] = r.active;
  j["version"] = r.version;
  return j;
}

void WriteStaff(JsonWriter& w, const Staff& s, Date today) {
  w.BeginObject()
      .Field("id", s.id)
      .Field("site_id", s.site_id)
      .Field("employee_no", s.employee_no)
      .Field("name", s.name)
      .Field("sex", s.sex)
      .Field("category", s.category)
      .Field("title", TitleOn(s.title_history, today));
  w.Key("title_history").BeginArray();
  for (const auto& e : s.title_history) {
    w.BeginObject()
        .Field("title", e.title)
        .Field("effective_from", FormatDate(e.effective_from))
        .EndObject();
  }
  w.EndArray()
      .Field("phone", s.phone)
      .Field("radiation_worker", s.radiation_worker)
      .Field("radiation_work_since", OptDate(s.radiation_work_since))
      .Field("dosimeter_id", s.dosimeter_id)
      .Field("thyroid_collar", s.thyroid_collar)
      .Field("trainee", s.trainee)
      .Field("emergency_signoff", s.emergency_signoff)
      .Field("diagnostic_practice_since", OptDate(s.diagnostic_practice_since))
      .Field("status", s.status)
      .Field("version", s.version)
      .EndObject();
}

Json StaffJson(const Staff& s, Date today) {
  JsonWriter w;
  WriteStaff(w, s, today);
  return Json::parse(w.str());
}

Json CertificateJson(const Certificate& c, Date today, std::int64_t alert_days) {
  Json out = Json::object();
  out["id"] = c.id;
  out["staff_id"] = c.staff_id;
  out["type"] = c.type;
  out["number"] = c.number;
  out["issuer"] = c.issuer;
  out["scope"] = c.scope;
  out["registrations"] = c.registrations;
  out["issued_on"] = OptDate(c.issued_on);
  out["expires_on"] = OptDate(c.expires_on);
  out["status"] = "valid";
  out["days_left"] = nullptr;
  out["active"] = c.active;
  out["version"] = c.version;
  if (c.expires_on) {
    const Expiry e = ExpiryStatus(*c.expires_on, today, alert_days);
    out["status"] = std::string(e.status);
    out["days_left"] = e.days_left;
  }
  return out;
}

std::optional<Alert> LicenceAlert(const Licence& l, std::string_view site_name, Date today,
                                  std::int64_t alert_days) {
  const Expiry e = ExpiryStatus(l.expires_on, today, alert_days);
  if (e.status == "valid") return std::nullopt;
  const bool expired = e.status == "expired";
  return Alert{
      expired ? "licence_expired" : "licence_expiring",
      expired ? "danger" : "warning",
      fmt::format("{}的{} {} {}", site_name, LicenceLabel(l.type), l.number, DueText(e.days_left)),
      "licence",
      l.id,
      l.site_id,
      l.expires_on,
      e.days_left};
}

std::optional<Alert> CertificateAlert(const Certificate& c, std::string_view staff_name,
                                      std::optional<std::int64_t> site_id, Date today,
                                      std::int64_t alert_days) {
  if (!c.expires_on) return std::nullopt;
  const Expiry e = ExpiryStatus(*c.expires_on, today, alert_days);
  if (e.status == "valid") return std::nullopt;
  const bool expired = e.status == "expired";
  return Alert{expired ? "certificate_expired" : "certificate_expiring",
               expired ? "danger" : "warning",
               fmt::format("{}的{} {} {}", staff_name, CertificateLabel(c.type), c.number,
                           DueText(e.days_left)),
               "certificate",
               c.id,
               site_id,
               c.expires_on,
               e.days_left};
}

void SortAlerts(std::vector<Alert>& alerts) {
  auto key = [](const Alert& a) {
    return std::make_tuple(a.severity == "danger" ? 0 : 1, a.days_left.has_value() ? 0 : 1,
                           a.days_left.value_or(0), a.entity, a.entity_id);
  };
  std::stable_sort(alerts.begin(), alerts.end(),
                   [&](const Alert& a, const Alert& b) { return key(a) < key(b); });
}

Json HomeSummary(HomeFigures figures) {
  Json counts = Json::object();
  auto put = [&](const char* name, const std::optional<std::int64_t>& v) {
    if (v) counts[name] = *v;
  };
  put("sites", figures.sites);
  put("rooms", figures.rooms);
  put("staff", figures.staff);
  put("radiation_workers", figures.radiation_workers);
  put("trainees", figures.trainees);
  put("users", figures.users);
  put("locked_users", figures.locked_users);
  Json out{{"counts", counts}};
  if (figures.rooms_by_modality) out["rooms_by_modality"] = *figures.rooms_by_modality;
  if (figures.staff_by_category) out["staff_by_category"] = *figures.staff_by_category;
  SortAlerts(figures.alerts);
  Json alerts = Json::array();
  for (const auto& a : figures.alerts) {
    alerts.push_back({{"kind", a.kind},
                      {"severity", a.severity},
                      {"message", a.message},
                      {"entity", a.entity},
                      {"entity_id", a.entity_id},
                      {"site_id", a.site_id},
                      {"due_on", OptDate(a.due_on)},
                      {"days_left", a.days_left}});
  }
  out["alerts"] = std::move(alerts);
  return out;
}

}  // namespace radqs::org
