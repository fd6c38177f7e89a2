// Roles (domain.md §0) and the one permission table that every route declares against.
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <vector>

namespace radqs::auth {

inline constexpr std::array<std::string_view, 12> kRoles = {
    "admin",    "director",       "qc_officer", "radiologist", "technologist", "nurse",
    "engineer", "safety_officer", "clinician",  "hospital_qc", "inspector",    "trainee"};

bool IsRole(std::string_view key);

enum class Permission {
  kPublic,         // no sign-in needed (login, health)
  kAuthenticated,  // any signed-in user (own profile, home)
  kOrgRead,
  kOrgWrite,
  kStaffRead,
  kStaffWrite,
  kCertificatesWrite,
  kUsersRead,
  kUsersWrite,
  kTokensManage,
  kJobsManage,  // see the background jobs and put parked ones back
  kSettingsRead,
  kSettingsWrite,
  kAuditRead,
  kPatientsRead,      // find and view patients (identity numbers masked)
  kPatientsIdentity,  // see identity numbers and phones unmasked
  kPatientsWrite,     // register and correct patients
  kCatalogueWrite,    // edit the exam catalogue (reading it needs only sign-in)
  kOrdersWrite,       // write and cancel orders
  kExamsRead,         // exam lists, details and timelines
  kExamsWork,         // book, check in, start, acquire
  kScreeningApprove,  // approve or override a screening gate (the gate says which role)
  kScheduleManage,    // slot templates and closures
  kSafetyReport,      // report a safety event (anyone who works in or with the department)
  kSafetyRead,        // safety event lists and details
  kSafetyManage,      // acknowledge, investigate, classify and close safety events
  kAllSites,          // read and write the records of every site, not only the user's own
};

// The stable key of a permission, e.g. "org.read".
std::string_view PermissionKey(Permission p);
// Whether any of the roles grants the permission.
bool Allows(const std::vector<std::string>& roles, Permission p);
// Keys of every permission the roles grant (kPublic and kAuthenticated excluded).
std::vector<std::string> PermissionsOf(const std::vector<std::string>& roles);
// The roles that grant a permission, for documentation.
std::vector<std::string_view> RolesGranting(Permission p);

}  // namespace radqs::auth
