// The SQL of the organisation module (private to src/org). Every function runs inside the
// caller's transaction; writes need a write transaction. Uniqueness is checked by the routes
// before writing (the single writer makes check-then-write safe); a race past it still ends in
// the database's UNIQUE constraint (DbError kUniqueViolation → 409 at the server).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "org/org.h"
#include "platform/db/database.h"

namespace radqs::org::store {

// Keyset paging: rows with id > after_id, ascending, at most `limit` of them.
struct Cursor {
  std::optional<std::int64_t> after_id;
  int limit = 51;
};

std::optional<Date> DateAt(const db::Statement& s, int column);
std::optional<std::int64_t> DaysOf(std::optional<Date> d);

bool SiteExists(db::Transaction& tx, std::int64_t id);
bool StaffExists(db::Transaction& tx, std::int64_t id);
std::vector<std::int64_t> ActiveSiteIds(db::Transaction& tx);

// --- sites and licences (site_store.cpp) ---
struct SiteFilter {
  std::optional<bool> active;
  std::optional<std::string> q;  // code or name contains
};
std::optional<Site> LoadSite(db::Transaction& tx, std::int64_t id);
std::vector<Site> ListSites(db::Transaction& tx, const SiteFilter& f, const Cursor& c);
std::int64_t InsertSite(db::Transaction& tx, const Site& s);
void UpdateSite(db::Transaction& tx, const Site& s);  // every column, as given
bool SiteCodeTaken(db::Transaction& tx, std::string_view code, std::int64_t except_id);

std::optional<Licence> LoadLicence(db::Transaction& tx, std::int64_t id);
std::vector<Licence> ListLicences(db::Transaction& tx, std::int64_t site_id, const Cursor& c);
std::int64_t InsertLicence(db::Transaction& tx, const Licence& l);
void UpdateLicence(db::Transaction& tx, const Licence& l);
bool LicenceNumberTaken(db::Transaction& tx, std::int64_t site_id, std::string_view type,
                        std::string_view number, std::int64_t except_id);

// --- rooms (room_store.cpp) ---
struct RoomFilter {
  std::optional<std::int64_t> site_id;
  std::optional<std::string> modality;
  std::optional<bool> active;
};
std::optional<Room> LoadRoom(db::Transaction& tx, std::int64_t id);
std::vector<Room> ListRooms(db::Transaction& tx, const RoomFilter& f, const Cursor& c);
std::int64_t InsertRoom(db::Transaction& tx, const Room& r);
void UpdateRoom(db::Transaction& tx, const Room& r);
bool RoomCodeTaken(db::Transaction& tx, std::int64_t site_id, std::string_view code,
                   std::int64_t except_id);

// --- ordering departments (department_store.cpp) ---
struct DepartmentFilter {
  std::optional<std::int64_t> site_id;
  std::optional<bool> active, emergency;
  std::optional<std::string> q;         // code or name contains
  std::optional<std::string> his_code;  // exact
};
std::optional<Department> LoadDepartment(db::Transaction& tx, std::int64_t id);
std::vector<Department> ListDepartments(db::Transaction& tx, const DepartmentFilter& f,
                                        const Cursor& c);
std::int64_t InsertDepartment(db::Transaction& tx, const Department& d);
void UpdateDepartment(db::Transaction& tx, const Department& d);
bool DepartmentCodeTaken(db::Transaction& tx, std::int64_t site_id, std::string_view code,
                         std::int64_t except_id);
bool DepartmentHisCodeTaken(db::Transaction& tx, std::int64_t site_id, std::string_view his_code,
                            std::int64_t except_id);

// --- staff, titles, certificates (staff_store.cpp) ---
struct StaffFilter {
  std::optional<std::int64_t> site_id;
  std::optional<std::string> q;  // name or employee_no contains
  std::optional<std::string> category, status;
  std::optional<bool> trainee, radiation_worker;
};
std::optional<Staff> LoadStaff(db::Transaction& tx, std::int64_t id);  // with title history
std::vector<Staff> ListStaff(db::Transaction& tx, const StaffFilter& f, const Cursor& c);
std::int64_t InsertStaff(db::Transaction& tx, const Staff& s);  // title_history not written
void UpdateStaff(db::Transaction& tx, const Staff& s);          // title_history not written
bool EmployeeNoTaken(db::Transaction& tx, std::int64_t site_id, std::string_view employee_no,
                     std::int64_t except_id);
bool TitleDateTaken(db::Transaction& tx, std::int64_t staff_id, Date effective_from);
void AddTitle(db::Transaction& tx, std::int64_t staff_id, const TitleEntry& e, Micros at,
              std::optional<std::int64_t> by);

std::optional<Certificate> LoadCertificate(db::Transaction& tx, std::int64_t id);
std::vector<Certificate> ListCertificates(db::Transaction& tx, std::int64_t staff_id,
                                          const Cursor& c);
std::int64_t InsertCertificate(db::Transaction& tx, const Certificate& c);
void UpdateCertificate(db::Transaction& tx, const Certificate& c);

// --- home page (home_store.cpp) ---
struct SiteCounts {
  std::int64_t sites = 0, rooms = 0;
  std::map<std::string, std::int64_t> rooms_by_modality;
};
struct StaffCounts {
  std::int64_t staff = 0, radiation_workers = 0, trainees = 0;
  std::map<std::string, std::int64_t> staff_by_category;
};
// Active sites and rooms; staff who have not left.
SiteCounts CountSites(db::Transaction& tx);
StaffCounts CountStaff(db::Transaction& tx);
// Active licences of active sites expiring on or before `until`, with the site name.
std::vector<std::pair<Licence, std::string>> LicencesDueBy(db::Transaction& tx, Date until);
// Active certificates of staff who have not left, expiring on or before `until`.
struct CertificateDue {
  Certificate certificate;
  std::string staff_name;
  std::int64_t site_id = 0;
};
std::vector<CertificateDue> CertificatesDueBy(db::Transaction& tx, Date until);

}  // namespace radqs::org::store
