// SQL for staff (人员), their title history (职称) and certificates (证书).
#include <fmt/format.h>

#include "org/org_store.h"

namespace radqs::org::store {
namespace {

constexpr const char* kStaffColumns =
    "id, site_id, employee_no, name, sex, category, phone, radiation_worker, "
    "radiation_work_since, dosimeter_id, thyroid_collar, trainee, emergency_signoff, "
    "diagnostic_practice_since, status, created_at, updated_at, version";

Staff StaffAt(const db::Statement& s) {
  Staff x;
  x.id = s.Int(0);
  x.site_id = s.Int(1);
  x.employee_no = s.Text(2);
  x.name = s.Text(3);
  x.sex = s.Text(4);
  x.category = s.Text(5);
  x.phone = s.Text(6);
  x.radiation_worker = s.Bool(7);
  x.radiation_work_since = DateAt(s, 8);
  x.dosimeter_id = s.Text(9);
  x.thyroid_collar = s.Bool(10);
  x.trainee = s.Bool(11);
  x.emergency_signoff = s.Bool(12);
  x.diagnostic_practice_since = DateAt(s, 13);
  x.status = s.Text(14);
  x.created_at = s.Int(15);
  x.updated_at = s.Int(16);
  x.version = s.Int(17);
  return x;
}

void LoadTitles(db::Transaction& tx, Staff& x) {
  auto s = tx.Prepare(
      "SELECT title, effective_from FROM staff_titles WHERE staff_id = ? ORDER BY "
      "effective_from");
  s.Bind(x.id);
  while (s.Step()) x.title_history.push_back({s.Text(0), Date{static_cast<int>(s.Int(1))}});
}

constexpr const char* kCertificateColumns =
    "id, staff_id, type, number, issuer, scope, registrations, issued_on, expires_on, active, "
    "created_at, updated_at, version";

// Registered institutions are kept as a JSON array of text in one column.
std::vector<std::string> ParseRegistrations(const std::string& text) {
  std::vector<std::string> out;
  const Json j = Json::parse(text, nullptr, false);
  if (j.is_array()) {
    for (const auto& e : j) {
      if (e.is_string()) out.push_back(e.get<std::string>());
    }
  } else if (!text.empty()) {
    out.push_back(text);  // a plain value written by hand or by an older import
  }
  return out;
}

std::string RegistrationsText(const std::vector<std::string>& list) {
  return list.empty() ? std::string() : Json(list).dump();
}

Certificate CertificateAt(const db::Statement& s) {
  Certificate x;
  x.id = s.Int(0);
  x.staff_id = s.Int(1);
  x.type = s.Text(2);
  x.number = s.Text(3);
  x.issuer = s.Text(4);
  x.scope = s.Text(5);
  x.registrations = ParseRegistrations(s.Text(6));
  x.issued_on = DateAt(s, 7);
  x.expires_on = DateAt(s, 8);
  x.active = s.Bool(9);
  x.created_at = s.Int(10);
  x.updated_at = s.Int(11);
  x.version = s.Int(12);
  return x;
}

}  // namespace

std::optional<Staff> LoadStaff(db::Transaction& tx, std::int64_t id) {
  std::optional<Staff> out;
  {
    auto s = tx.Prepare(fmt::format("SELECT {} FROM staff WHERE id = ?", kStaffColumns));
    s.Bind(id);
    if (!s.Step()) return std::nullopt;
    out = StaffAt(s);
  }
  LoadTitles(tx, *out);
  return out;
}

std::vector<Staff> ListStaff(db::Transaction& tx, const StaffFilter& f, const Cursor& c) {
  db::SqlBuilder q(fmt::format("SELECT {} FROM staff WHERE 1 = 1", kStaffColumns));
  if (f.site_id) q.Add(" AND site_id = ?", *f.site_id);
  if (f.q) {
    const std::string like = db::LikeContains(*f.q);
    q.Add(" AND (name LIKE ? ESCAPE '\\'", like).Add(" OR employee_no LIKE ? ESCAPE '\\')", like);
  }
  if (f.category) q.Add(" AND category = ?", *f.category);
  if (f.status) q.Add(" AND status = ?", *f.status);
  if (f.trainee) q.Add(" AND trainee = ?", *f.trainee);
  if (f.radiation_worker) q.Add(" AND radiation_worker = ?", *f.radiation_worker);
  if (c.after_id) q.Add(" AND id > ?", *c.after_id);
  q.Add(" ORDER BY id LIMIT ?", c.limit);
  std::vector<Staff> out;
  {
    auto s = q.Prepare(tx);
    while (s.Step()) out.push_back(StaffAt(s));
  }
  for (auto& x : out) LoadTitles(tx, x);
  return out;
}

std::int64_t InsertStaff(db::Transaction& tx, const Staff& x) {
  auto s = tx.Prepare(
      "INSERT INTO staff (site_id, employee_no, name, sex, category, phone, radiation_worker, "
      "radiation_work_since, dosimeter_id, thyroid_collar, trainee, emergency_signoff, "
      "diagnostic_practice_since, status, created_at, updated_at, version) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
  s.Bind(x.site_id, x.employee_no, x.name, x.sex, x.category, x.phone, x.radiation_worker,
         DaysOf(x.radiation_work_since), x.dosimeter_id, x.thyroid_collar, x.trainee,
         x.emergency_signoff, DaysOf(x.diagnostic_practice_since), x.status, x.created_at,
         x.updated_at, x.version);
  s.Step();
  return s.Int(0);
}

void UpdateStaff(db::Transaction& tx, const Staff& x) {
  tx.Exec(
      "UPDATE staff SET site_id = ?, employee_no = ?, name = ?, sex = ?, category = ?, phone = ?, "
      "radiation_worker = ?, radiation_work_since = ?, dosimeter_id = ?, thyroid_collar = ?, "
      "trainee = ?, emergency_signoff = ?, diagnostic_practice_since = ?, status = ?, "
      "updated_at = ?, version = ? WHERE id = ?",
      x.site_id, x.employee_no, x.name, x.sex, x.category, x.phone, x.radiation_worker,
      DaysOf(x.radiation_work_since), x.dosimeter_id, x.thyroid_collar, x.trainee,
      x.emergency_signoff, DaysOf(x.diagnostic_practice_since), x.status, x.updated_at, x.version,
      x.id);
}

bool EmployeeNoTaken(db::Transaction& tx, std::int64_t site_id, std::string_view employee_no,
                     std::int64_t except_id) {
  auto s = tx.Prepare("SELECT 1 FROM staff WHERE site_id = ? AND employee_no = ? AND id <> ?");
  s.Bind(site_id, employee_no, except_id);
  return s.Step();
}

bool TitleDateTaken(db::Transaction& tx, std::int64_t staff_id, Date effective_from) {
  auto s = tx.Prepare("SELECT 1 FROM staff_titles WHERE staff_id = ? AND effective_from = ?");
  s.Bind(staff_id, static_cast<std::int64_t>(effective_from.days));
  return s.Step();
}

void AddTitle(db::Transaction& tx, std::int64_t staff_id, const TitleEntry& e, Micros at,
              std::optional<std::int64_t> by) {
  tx.Exec(
      "INSERT INTO staff_titles (staff_id, title, effective_from, recorded_at, recorded_by) "
      "VALUES (?, ?, ?, ?, ?)",
      staff_id, e.title, static_cast<std::int64_t>(e.effective_from.days), at, by);
}

std::optional<Certificate> LoadCertificate(db::Transaction& tx, std::int64_t id) {
  auto s = tx.Prepare(
      fmt::format("SELECT {} FROM staff_certificates WHERE id = ?", kCertificateColumns));
  s.Bind(id);
  if (!s.Step()) return std::nullopt;
  return CertificateAt(s);
}

std::vector<Certificate> ListCertificates(db::Transaction& tx, std::int64_t staff_id,
                                          const Cursor& c) {
  db::SqlBuilder q(
      fmt::format("SELECT {} FROM staff_certificates WHERE 1 = 1", kCertificateColumns));
  q.Add(" AND staff_id = ?", staff_id);
  if (c.after_id) q.Add(" AND id > ?", *c.after_id);
  q.Add(" ORDER BY id LIMIT ?", c.limit);
  std::vector<Certificate> out;
  auto s = q.Prepare(tx);
  while (s.Step()) out.push_back(CertificateAt(s));
  return out;
}

std::int64_t InsertCertificate(db::Transaction& tx, const Certificate& x) {
  auto s = tx.Prepare(
      "INSERT INTO staff_certificates (staff_id, type, number, issuer, scope, registrations, "
      "issued_on, expires_on, active, created_at, updated_at, version) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
  s.Bind(x.staff_id, x.type, x.number, x.issuer, x.scope, RegistrationsText(x.registrations),
         DaysOf(x.issued_on), DaysOf(x.expires_on), x.active, x.created_at, x.updated_at,
         x.version);
  s.Step();
  return s.Int(0);
}

void UpdateCertificate(db::Transaction& tx, const Certificate& x) {
  tx.Exec(
      "UPDATE staff_certificates SET type = ?, number = ?, issuer = ?, scope = ?, "
      "registrations = ?, issued_on = ?, expires_on = ?, active = ?, updated_at = ?, "
      "version = ? WHERE id = ?",
      x.type, x.number, x.issuer, x.scope, RegistrationsText(x.registrations), DaysOf(x.issued_on),
      DaysOf(x.expires_on), x.active, x.updated_at, x.version, x.id);
}

}  // namespace radqs::org::store

namespace radqs::org {

bool IsTrainee(db::Transaction& tx, std::int64_t staff_id) {
  auto s = tx.Prepare("SELECT trainee FROM staff WHERE id = ?");
  s.Bind(staff_id);
  return s.Step() && s.Bool(0);
}

}  // namespace radqs::org
