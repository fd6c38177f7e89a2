// The screening as its routes read it: the record's JSON form, the exam with its patient, item
// and latest record, and the gates under the settings in force today. Private to src/exam.
#pragma once

#include <optional>
#include <vector>

#include "exam/exam_store.h"
#include "exam/screening.h"
#include "platform/http/route.h"

namespace radqs::exam {

Json RecordJson(const ScreeningRecord& r);
ScreeningRecord RecordOf(const Json& j);

struct LoadedScreening {
  store::ExamRow exam;
  Patient patient;
  CatalogueItem item;
  ScreeningRecord record;
  std::int64_t version = 0;
  Micros recorded_at = 0;  // of the latest version; 0 before the first
};
std::optional<LoadedScreening> LoadScreening(db::Transaction& tx, std::int64_t exam_id,
                                             const auth::SiteScope& scope);

PatientFacts FactsOf(http::Context& ctx, const Patient& patient);
std::vector<Gate> GatesOf(http::Context& ctx, const LoadedScreening& l);
// The open gate keys of each of the exams, by exam id, in three queries whatever their number
// (the room queue shows them per row).
std::map<std::int64_t, std::vector<std::string>> OpenGateKeys(
    http::Context& ctx, const std::vector<store::ExamRow>& exams);
std::vector<Notice> NoticesOf(http::Context& ctx, const LoadedScreening& l);
// Messages name the patient's sex and age, so only those who may read patients get them.
Json GatesJson(const std::vector<Gate>& gates, bool may_read);
Json NoticesJson(const std::vector<Notice>& notices, bool may_read);

// A patient correction (`before` → the record now stored) that reopens a gate of an exam already
// started is a finding for the QC group, as a change of the screening after the start is
// (spec: domain.md §2 gates listed for the QC group; issue 14 item 6): one per such exam of the
// patient, with the correction's reason.
void RecordPatientChangeFindings(http::Context& ctx, const Patient& before,
                                 const std::string& reason);

// The lists of screening work: the physicians' approvals waiting, the QC group's overrides and
// findings (screening_list_routes.cpp).
std::vector<http::Route> ScreeningListRoutes();

}  // namespace radqs::exam
