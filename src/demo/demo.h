// The data generator: a realistic department for demos, tests and benchmarks, deterministic for
// a given seed. Later modules add their records (exams, reports, doses) to the same run.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/time.h"
#include "exam/acquisition.h"
#include "platform/db/database.h"

namespace radqs::demo {

struct Size {
  int sites = 1;
  int rooms_per_site = 12;
  int staff_per_site = 80;
  int exams = 2000;  // over the past year, across the sites, plus today's work
};
// "small" (one department, 2k exams: tests), "medium" (one mid-size department, a year of 160k
// exams: the demo), "large" (ten sites, 1M exams: benchmarks); throws on other names.
Size SizeNamed(const std::string& name);

struct DemoLogin {
  std::string username;
  std::string role;
  std::string display_name;
};

struct Summary {
  int sites = 0, rooms = 0, staff = 0, licences = 0, certificates = 0, users = 0;
  int catalogue_items = 0;
  int patients = 0, exams = 0, rejects = 0, safety_events = 0;
  std::vector<DemoLogin> logins;
};

inline constexpr const char* kDemoPassword = "Radqs2026";

// Writes the organisation (sites, licences, rooms, staff with titles and certificates) and one
// user per role (password kDemoPassword, no forced change) in one transaction, with one audit
// entry. Refuses (throws) when the database already has sites.
Summary Generate(db::Database& database, const Clock& clock, const Size& size, std::uint64_t seed);

// The exam part: slot templates for every room, patients with valid identity numbers, a year of
// orders and exams with their stamps, events, screening, acquisition records and rejects, and
// today's booked and waiting exams. Runs inside the caller's write transaction. Answers the
// extravasations recorded with contrast exams (about one in 300), for GenerateSafetyEvents.
std::vector<exam::ExtravasationRecorded> GenerateExams(db::Transaction& tx, Micros now,
                                                       const Size& size, std::uint64_t seed,
                                                       Summary& summary);

// The safety part: an event for each extravasation (opened as in service), about one reported
// event per 2,000 exams of every kind, each taken as far through its workflow as its age allows.
void GenerateSafetyEvents(db::Transaction& tx, Micros now, std::uint64_t seed,
                          const std::vector<exam::ExtravasationRecorded>& extravasations,
                          Summary& summary);

}  // namespace radqs::demo
