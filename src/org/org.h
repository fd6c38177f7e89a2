// Organisation (机构与人员): sites (机构) with their licences (许可证), rooms (检查室 / 机房),
// staff (人员) with dated title history (职称) and certificates (证书) — spec: domain.md §1.
//
// Contract:
// - Types are plain structs as stored; enum-like fields hold the keys of docs/api.md verbatim.
// - Calendar dates are `Date` day numbers in the site's local calendar; instants are UTC Micros.
// - Rules are pure functions with no I/O: validation answers the list of broken rules, each
//   naming the field and the rule key (api.md "Field rules"); an empty list means valid. They
//   check cross-field and enum rules of a whole record; JSON types, lengths and required input
//   are checked by the routes while reading the body.
// - Routes() lists the HTTP routes of docs/api.md "Organisation" and GET /api/v1/home; handlers
//   are safe to run concurrently (they share nothing but the database and settings).
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/time.h"
#include "platform/http/route.h"
#include "platform/json.h"
#include "platform/json_writer.h"

namespace radqs::org {

// --- enum keys (docs/api.md "Organisation") ---------------------------------------------------

// 三级 / 二级 / 一级
inline constexpr std::array<std::string_view, 3> kSiteLevels = {"tertiary", "secondary", "primary"};
// hospital department (医院放射科) / independent center (医学影像诊断中心)
inline constexpr std::array<std::string_view, 2> kSiteKinds = {"hospital_department",
                                                               "independent_center"};
// 放射诊疗许可证 / 辐射安全许可证 / 大型医用设备配置许可证
inline constexpr std::array<std::string_view, 3> kLicenceTypes = {
    "radiation_diagnosis", "radiation_safety", "large_equipment"};
inline constexpr std::array<std::string_view, 10> kModalities = {"DR",  "CR", "DX", "CT", "MR",
                                                                 "DSA", "MG", "RF", "US", "other"};
inline constexpr std::array<std::string_view, 6> kStaffCategories = {
    "physician", "technologist", "nurse", "engineer", "physicist", "other"};
inline constexpr std::array<std::string_view, 2> kSexes = {"M", "F"};
// active / restricted from radiation work (暂停放射工作) / left (离职)
inline constexpr std::array<std::string_view, 3> kStaffStatuses = {"active", "restricted", "left"};
// 职称, in the order of api.md.
inline constexpr std::array<std::string_view, 16> kTitles = {"resident",
                                                             "attending",
                                                             "associate_chief",
                                                             "chief",
                                                             "technician",
                                                             "senior_technician",
                                                             "associate_chief_technician",
                                                             "chief_technician",
                                                             "nurse",
                                                             "senior_nurse",
                                                             "supervising_nurse",
                                                             "associate_chief_nurse",
                                                             "chief_nurse",
                                                             "assistant_engineer",
                                                             "engineer",
                                                             "senior_engineer"};
// 执业证书 / 放射工作人员证 / 放射防护培训 / 辐射安全考核 / 对比剂急救培训 / 心肺复苏
inline constexpr std::array<std::string_view, 6> kCertificateTypes = {
    "practising_licence",    "radiation_worker", "radiation_training",
    "radiation_safety_exam", "contrast_rescue",  "cpr"};

// --- records ----------------------------------------------------------------------------------

// 机构: a hospital (its radiology department) or an independent imaging center.
struct Site {
  std::int64_t id = 0;
  std::string code;
  std::string name;
  std::string level;
  std::string kind;
  std::int64_t beds = 0;  // several national indicators are per 100 beds
  std::string address;
  std::string phone;
  bool active = true;
  Micros created_at = 0;
  Micros updated_at = 0;
  std::int64_t version = 1;
};

// 申请科室: a clinical department of a site that writes orders; code unique per site. The
// emergency flag is what nat.er_report_2h counts by (domain.md §1); his_code is the HIS's code
// of the department (unique per site when given), for orders arriving from the HIS.
struct Department {
  std::int64_t id = 0;
  std::int64_t site_id = 0;
  std::string code;
  std::string name;
  bool emergency = false;
  std::string his_code;
  bool active = true;
  Micros created_at = 0;
  Micros updated_at = 0;
  std::int64_t version = 1;
};

// 许可证 of a site; unique per (site, type, number).
struct Licence {
  std::int64_t id = 0;
  std::int64_t site_id = 0;
  std::string type;
  std::string number;
  std::string issuer;
  std::string scope;
  std::optional<Date> issued_on;
  Date expires_on;
  bool active = true;  // a replaced licence is deactivated, never deleted
  Micros created_at = 0;
  Micros updated_at = 0;
  std::int64_t version = 1;
};

// 检查室 / 机房; code unique per site.
struct Room {
  std::int64_t id = 0;
  std::int64_t site_id = 0;
  std::string code;
  std::string name;
  std::string modality;
  std::string location;
  bool open_24h = false;
  bool active = true;
  Micros created_at = 0;
  Micros updated_at = 0;
  std::int64_t version = 1;
};

// One dated entry of the title history; at most one entry per staff member and date.
struct TitleEntry {
  std::string title;
  Date effective_from;
};

// 人员; employee_no unique per site.
struct Staff {
  std::int64_t id = 0;
  std::int64_t site_id = 0;
  std::string employee_no;
  std::string name;
  std::string sex;
  std::string category;
  std::string phone;
  bool radiation_worker = false;
  std::optional<Date> radiation_work_since;
  std::string dosimeter_id;
  bool thyroid_collar = false;
  bool trainee = false;  // 进修 / 实习
  bool emergency_signoff = false;
  std::optional<Date> diagnostic_practice_since;
  std::string status = "active";
  std::vector<TitleEntry> title_history;  // ascending by effective_from
  Micros created_at = 0;
  Micros updated_at = 0;
  std::int64_t version = 1;
};

// 人员证书: practising licence (执业证书, with its registered institutions for 多点执业),
// radiation worker certificate (放射工作人员证), training records.
struct Certificate {
  std::int64_t id = 0;
  std::int64_t staff_id = 0;
  std::string type;
  std::string number;
  std::string issuer;
  std::string scope;
  std::vector<std::string> registrations;  // registered institutions (多点执业)
  std::optional<Date> issued_on;
  std::optional<Date> expires_on;  // none: valid without end
  bool active = true;
  Micros created_at = 0;
  Micros updated_at = 0;
  std::int64_t version = 1;
};

// --- rules ------------------------------------------------------------------------------------

bool IsOneOf(std::string_view value, const auto& keys) {
  for (std::string_view k : keys) {
    if (k == value) return true;
  }
  return false;
}

// Whether a title belongs to the career ladder of a staff category: physician titles for
// physicians, technologist titles for technologists, nursing titles for nurses, engineer titles
// for engineers and (assumed: 医学物理 uses the engineering series) physicists; staff of
// category "other" may hold any title.
bool TitleFitsCategory(std::string_view title, std::string_view category);
// 1 junior (初级), 2 intermediate (中级), 3 associate senior (副高), 4 senior (正高); 0 unknown.
// spec: domain.md §1 (b) "intermediate or higher title".
int TitleLevel(std::string_view title);

// The title in force on a date: the entry with the latest effective_from <= on (the history may
// be in any order); nullopt before the first entry.
std::optional<std::string> TitleOn(const std::vector<TitleEntry>& history, Date on);

// Validity of a dated document — spec: domain.md §1 (licences), §6 (certificates).
// days_left = expires_on - today; "expired" when days_left < 0 (a document expiring today is
// still valid that day), "expiring" when 0 <= days_left <= alert_days, else "valid".
struct Expiry {
  std::string_view status;
  int days_left = 0;
};
Expiry ExpiryStatus(Date expires_on, Date today, std::int64_t alert_days);

// Record rules; each error names the field and the rule.
std::vector<FieldError> ValidateSite(const Site& s);
// expires_on must be after issued_on (rule "min").
std::vector<FieldError> ValidateLicence(const Licence& l);
std::vector<FieldError> ValidateRoom(const Room& r);
// code and name present (rule "required").
std::vector<FieldError> ValidateDepartment(const Department& d);
// Enum keys; radiation_work_since required when radiation_worker; a trainee cannot be
// authorised for emergency sign-off (field emergency_signoff, rule "trainee"). Titles are not
// checked here (see ValidateTitle): a category change keeps the recorded history as it was.
std::vector<FieldError> ValidateStaff(const Staff& s);
// A title key that fits the category (rules "enum", then "category"); errors name `field`.
std::vector<FieldError> ValidateTitle(std::string_view title, std::string_view category,
                                      std::string_view field = "title");
std::vector<FieldError> ValidateCertificate(const Certificate& c);

// Whether the staff member is a trainee (进修 / 实习); false for an unknown id. Other modules ask
// it for their rules (a trainee never approves a screening gate, domain.md §0).
bool IsTrainee(db::Transaction& tx, std::int64_t staff_id);

// A department as other modules see it (orders reference one); nullopt for an unknown id.
std::optional<Department> FindDepartment(db::Transaction& tx, std::int64_t id);
// The department of a site that the HIS calls `his_code`, if mapped.
std::optional<Department> FindDepartmentByHisCode(db::Transaction& tx, std::int64_t site_id,
                                                  std::string_view his_code);

// --- JSON as docs/api.md shows the records ----------------------------------------------------

// `today` and the alert days give licences and certificates their status and days_left, and
// staff their current title.
Json SiteJson(const Site& s);
Json LicenceJson(const Licence& l, Date today, std::int64_t alert_days);
Json RoomJson(const Room& r);
Json DepartmentJson(const Department& d);
Json StaffJson(const Staff& s, Date today);
// The same fields written straight into an answer (lists and the audited detail view).
void WriteStaff(JsonWriter& w, const Staff& s, Date today);
Json CertificateJson(const Certificate& c, Date today, std::int64_t alert_days);

// --- home page (首页) -------------------------------------------------------------------------

struct Alert {
  std::string kind;      // licence_expired | licence_expiring | certificate_expired |
                         // certificate_expiring | user_locked
  std::string severity;  // danger | warning
  std::string message;   // Chinese, shown as is
  std::string entity;    // licence | certificate | user
  std::int64_t entity_id = 0;
  std::optional<std::int64_t> site_id;
  std::optional<Date> due_on;
  std::optional<int> days_left;
};

// The alert a licence raises today, if any (expired: danger, expiring: warning).
std::optional<Alert> LicenceAlert(const Licence& l, std::string_view site_name, Date today,
                                  std::int64_t alert_days);
// The alert a certificate raises today, if any; certificates without expiry raise none.
std::optional<Alert> CertificateAlert(const Certificate& c, std::string_view staff_name,
                                      std::optional<std::int64_t> site_id, Date today,
                                      std::int64_t alert_days);
// Most urgent first: danger before warning, then fewest days left (none last), then id.
void SortAlerts(std::vector<Alert>& alerts);

// What the home page shows; a figure the caller may not see stays unset and is omitted.
struct HomeFigures {
  std::optional<std::int64_t> sites, rooms, staff, radiation_workers, trainees, users, locked_users;
  std::optional<std::map<std::string, std::int64_t>> rooms_by_modality, staff_by_category;
  std::vector<Alert> alerts;
};
// {counts: {...}, rooms_by_modality?, staff_by_category?, alerts: [...]}, alerts sorted.
Json HomeSummary(HomeFigures figures);

// --- routes -----------------------------------------------------------------------------------

// Sites and licences, rooms, staff with titles and certificates, and GET /api/v1/home.
std::vector<http::Route> Routes();
// The XLSX exports of the sites, rooms, departments, staff and users lists (org_exports.cpp).
std::vector<http::ListExport> ListExports();

}  // namespace radqs::org
