#include "platform/auth/permissions.h"

#include <algorithm>
#include <initializer_list>

namespace radqs::auth {
namespace {

struct Grant {
  Permission permission;
  std::string_view key;
  std::initializer_list<std::string_view> roles;
};

// spec: domain.md §0 — who does what. Staff records hold personal data (licences, phones), so
// reading them is limited to the roles that manage, supervise or inspect people.
const Grant kTable[] = {
    {Permission::kPublic, "public", {}},
    {Permission::kAuthenticated, "authenticated", {}},
    {Permission::kOrgRead,
     "org.read",
     {"admin", "director", "qc_officer", "radiologist", "technologist", "nurse", "engineer",
      "safety_officer", "clinician", "hospital_qc", "inspector", "trainee"}},
    {Permission::kOrgWrite, "org.write", {"admin"}},
    {Permission::kStaffRead,
     "staff.read",
     {"admin", "director", "qc_officer", "safety_officer", "hospital_qc", "inspector"}},
    {Permission::kStaffWrite, "staff.write", {"admin", "director"}},
    // spec: domain.md §0 — the radiation protection officer keeps the certificates (上岗证,
    // 放射工作人员证) up to date, besides those who manage staff.
    {Permission::kCertificatesWrite, "certificates.write", {"admin", "director", "safety_officer"}},
    {Permission::kUsersRead, "users.read", {"admin"}},
    {Permission::kUsersWrite, "users.write", {"admin"}},
    {Permission::kTokensManage, "tokens.manage", {"admin"}},
    {Permission::kJobsManage, "jobs.manage", {"admin"}},
    {Permission::kSettingsRead,
     "settings.read",
     {"admin", "director", "qc_officer", "safety_officer", "hospital_qc", "inspector"}},
    {Permission::kSettingsWrite, "settings.write", {"admin"}},
    {Permission::kAuditRead, "audit.read", {"admin", "inspector"}},
    // spec: domain.md §2 — identity numbers and phones are shown only to those who register,
    // order for, or contact the patient; everyone else sees them masked.
    {Permission::kPatientsRead,
     "patients.read",
     {"admin", "director", "qc_officer", "radiologist", "technologist", "nurse", "clinician",
      "hospital_qc", "inspector", "trainee"}},
    {Permission::kPatientsIdentity,
     "patients.identity",
     {"admin", "technologist", "nurse", "clinician"}},
    {Permission::kPatientsWrite, "patients.write", {"admin", "technologist", "nurse", "clinician"}},
    {Permission::kCatalogueWrite, "catalogue.write", {"admin"}},
    {Permission::kOrdersWrite, "orders.write", {"clinician", "admin"}},
    {Permission::kExamsRead,
     "exams.read",
     {"admin", "director", "qc_officer", "radiologist", "technologist", "nurse", "clinician",
      "hospital_qc", "inspector", "trainee", "engineer"}},
    {Permission::kExamsWork, "exams.work", {"technologist", "nurse", "admin"}},
    {Permission::kScreeningApprove, "screening.approve", {"radiologist", "director"}},
    {Permission::kScheduleManage, "schedule.manage", {"admin", "director"}},
    // spec: domain.md §7 — anyone can report; the QC group, the director, the safety officer
    // and the hospital QC office handle events; inspectors read them.
    {Permission::kSafetyReport,
     "safety.report",
     {"admin", "director", "qc_officer", "radiologist", "technologist", "nurse", "engineer",
      "safety_officer", "clinician", "hospital_qc", "trainee"}},
    {Permission::kSafetyRead,
     "safety.read",
     {"director", "qc_officer", "safety_officer", "hospital_qc", "inspector"}},
    {Permission::kSafetyManage,
     "safety.manage",
     {"director", "qc_officer", "safety_officer", "hospital_qc"}},
    // spec: domain.md §9 "Access is by role and site" — everyone else works on the records of
    // their own site (their account's site and their staff record's). The administrator runs
    // the whole installation and the inspector (regulator / regional centre, §10) audits every
    // site. The hospital QC office oversees its own hospital, which is one site, so it does not
    // span (docs/decisions.md).
    {Permission::kAllSites, "sites.all", {"admin", "inspector"}},
};

const Grant& Find(Permission p) {
  for (const auto& g : kTable) {
    if (g.permission == p) return g;
  }
  return kTable[0];
}

}  // namespace

bool IsRole(std::string_view key) {
  return std::find(kRoles.begin(), kRoles.end(), key) != kRoles.end();
}

std::string_view PermissionKey(Permission p) { return Find(p).key; }

bool Allows(const std::vector<std::string>& roles, Permission p) {
  if (p == Permission::kPublic) return true;
  if (p == Permission::kAuthenticated) return true;
  const Grant& g = Find(p);
  return std::any_of(roles.begin(), roles.end(), [&](const std::string& r) {
    return std::find(g.roles.begin(), g.roles.end(), r) != g.roles.end();
  });
}

std::vector<std::string> PermissionsOf(const std::vector<std::string>& roles) {
  std::vector<std::string> out;
  for (const auto& g : kTable) {
    if (g.permission == Permission::kPublic || g.permission == Permission::kAuthenticated) {
      continue;
    }
    if (Allows(roles, g.permission)) out.emplace_back(g.key);
  }
  return out;
}

std::vector<std::string_view> RolesGranting(Permission p) {
  const Grant& g = Find(p);
  return {g.roles.begin(), g.roles.end()};
}

}  // namespace radqs::auth
