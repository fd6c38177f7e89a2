// Who sees which patient — spec: domain.md §0 (roles), §9 "Records, privacy and audit".
//
// Patient fields (name, pinyin, sex, birth date, age, identity numbers, phone, record numbers)
// go only to principals that may read patients (patients.read); the others see an exam by its
// accession number and ids. Patients, like exams, belong to a site (the one that registered
// them) and are seen only by principals of that site, unless their roles span sites
// (docs/decisions.md). Every answer that shows patients is read-audited, lists with one entry
// naming the patients shown.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "platform/http/route.h"
#include "platform/json_writer.h"

namespace radqs::exam {

// Whether the caller may see patient fields at all.
bool MayReadPatients(const http::Context& ctx);

// The list columns "patient_name" and "patient_sex", written only when `may_read`.
void WritePatientFields(JsonWriter& w, std::string_view name, std::string_view sex, bool may_read);

// Whether the patient exists and is one the caller's sites may see.
bool PatientVisible(http::Context& ctx, std::int64_t patient_id);

// Queues one read-audit entry "patient.list" naming the patients a list answer showed
// (entity_id: their ids, comma-separated, each once; detail: the route). Nothing is queued when
// the list showed none or the caller does not see patient fields.
void AuditPatientsListed(http::Context& ctx, const std::vector<std::int64_t>& patient_ids);

// The labels another module shows beside its links to patients and exams (a safety event's
// patient number, name and accession number), by id; ids that do not exist are left out.
struct PatientLabel {
  std::string patient_no, name;
};
std::map<std::int64_t, PatientLabel> PatientLabels(db::Transaction& tx,
                                                   const std::vector<std::int64_t>& patient_ids);
std::map<std::int64_t, std::string> AccessionNumbers(db::Transaction& tx,
                                                     const std::vector<std::int64_t>& exam_ids);

}  // namespace radqs::exam
