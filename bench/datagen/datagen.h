// The data generator: a realistic department for demos, tests and benchmarks, deterministic for
// a given seed. Later modules add their records (exams, reports, doses) to the same run.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/time.h"
#include "platform/db/database.h"

namespace radqs::datagen {

struct Size {
  int sites = 1;
  int rooms_per_site = 12;
  int staff_per_site = 80;
};
// "small" (one department), "medium" (three sites), "large" (ten sites); throws on other names.
Size SizeNamed(const std::string& name);

struct DemoLogin {
  std::string username;
  std::string role;
  std::string display_name;
};

struct Summary {
  int sites = 0, rooms = 0, staff = 0, licences = 0, certificates = 0, users = 0;
  int catalogue_items = 0;
  std::vector<DemoLogin> logins;
};

inline constexpr const char* kDemoPassword = "Radqs2026";

// Writes the organisation (sites, licences, rooms, staff with titles and certificates) and one
// user per role (password kDemoPassword, no forced change) in one transaction, with one audit
// entry. Refuses (throws) when the database already has sites.
Summary Generate(db::Database& database, const Clock& clock, const Size& size, std::uint64_t seed);

}  // namespace radqs::datagen
