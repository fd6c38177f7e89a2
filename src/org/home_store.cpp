// SQL for the home page (首页): counts and the records that raise alerts.
#include "org/org_store.h"

namespace radqs::org::store {

SiteCounts CountSites(db::Transaction& tx) {
  SiteCounts out;
  {
    auto s = tx.Prepare("SELECT COUNT(*) FROM sites WHERE active = 1");
    if (s.Step()) out.sites = s.Int(0);
  }
  auto s = tx.Prepare(
      "SELECT r.modality, COUNT(*) FROM rooms r JOIN sites t ON t.id = r.site_id "
      "WHERE r.active = 1 AND t.active = 1 GROUP BY r.modality ORDER BY r.modality");
  while (s.Step()) {
    out.rooms_by_modality[s.Text(0)] = s.Int(1);
    out.rooms += s.Int(1);
  }
  return out;
}

StaffCounts CountStaff(db::Transaction& tx) {
  StaffCounts out;
  auto s = tx.Prepare(
      "SELECT category, COUNT(*), SUM(radiation_worker), SUM(trainee) FROM staff "
      "WHERE status <> 'left' GROUP BY category ORDER BY category");
  while (s.Step()) {
    out.staff_by_category[s.Text(0)] = s.Int(1);
    out.staff += s.Int(1);
    out.radiation_workers += s.Int(2);
    out.trainees += s.Int(3);
  }
  return out;
}

std::vector<std::pair<Licence, std::string>> LicencesDueBy(db::Transaction& tx, Date until) {
  std::vector<std::pair<Licence, std::string>> out;
  auto s = tx.Prepare(
      "SELECT l.id, l.site_id, l.type, l.number, l.expires_on, t.name FROM site_licences l "
      "JOIN sites t ON t.id = l.site_id WHERE l.active = 1 AND t.active = 1 AND "
      "l.expires_on <= ? ORDER BY l.expires_on, l.id");
  s.Bind(static_cast<std::int64_t>(until.days));
  while (s.Step()) {
    Licence l;
    l.id = s.Int(0);
    l.site_id = s.Int(1);
    l.type = s.Text(2);
    l.number = s.Text(3);
    l.expires_on = Date{static_cast<std::int32_t>(s.Int(4))};
    out.emplace_back(std::move(l), s.Text(5));
  }
  return out;
}

std::vector<CertificateDue> CertificatesDueBy(db::Transaction& tx, Date until) {
  std::vector<CertificateDue> out;
  auto s = tx.Prepare(
      "SELECT c.id, c.staff_id, c.type, c.number, c.expires_on, p.name, p.site_id "
      "FROM staff_certificates c JOIN staff p ON p.id = c.staff_id WHERE c.active = 1 AND "
      "p.status <> 'left' AND c.expires_on IS NOT NULL AND c.expires_on <= ? "
      "ORDER BY c.expires_on, c.id");
  s.Bind(static_cast<std::int64_t>(until.days));
  while (s.Step()) {
    CertificateDue d;
    d.certificate.id = s.Int(0);
    d.certificate.staff_id = s.Int(1);
    d.certificate.type = s.Text(2);
    d.certificate.number = s.Text(3);
    d.certificate.expires_on = Date{static_cast<std::int32_t>(s.Int(4))};
    d.staff_name = s.Text(5);
    d.site_id = s.Int(6);
    out.push_back(std::move(d));
  }
  return out;
}

}  // namespace radqs::org::store
