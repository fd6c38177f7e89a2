// Patients (患者) under real-name management (实名制) — spec: domain.md §2 "Patient",
// "Patient identity". A patient has one primary identifier (patient_no: the HIS patient id where
// an HIS feeds RadQS, else a RadQS number) and zero or more identity documents. A 居民身份证
// belongs to at most one patient as that patient's own document; a guardian's document may be
// shared (newborns under a parent's ID). Corrections keep every earlier version; a merge keeps
// both records and re-points the exams.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/time.h"
#include "platform/db/database.h"
#include "platform/http/route.h"
#include "platform/json_writer.h"

namespace radqs::exam {

struct IdentityDocument {
  std::string type;  // one of kDocumentTypes (exam/identity.h)
  std::string number;
  bool guardian = false;  // the document of a parent or guardian, not the patient's own
  std::string guardian_relation;
};

struct Patient {
  std::int64_t id = 0;
  std::int64_t site_id = 0;
  std::string patient_no;
  std::string name;
  std::string name_pinyin;
  std::string sex;  // M | F | U (U only for an unidentified patient)
  std::optional<Date> birth_date;
  std::optional<int> estimated_age;
  std::string phone;
  std::string outpatient_no;
  std::string inpatient_no;
  bool contrast_allergy = false;
  bool pacemaker = false;
  bool ferromagnetic_implant = false;
  bool unidentified = false;
  std::optional<std::int64_t> merged_into;
  std::vector<IdentityDocument> documents;
  Micros created_at = 0;
  Micros updated_at = 0;
  std::int64_t version = 1;
};

// Checks a patient as registered or corrected: required fields, sex, birth date from
// 1900-01-01 to `today`, documents (居民身份证 check digit, a birth date inside it that is not
// after `today` — also for a guardian's card and an unidentified patient's — and its agreement
// with sex and birth date; the stored number is normalised to 18 upper-case characters),
// unidentified patients' estimated age. Errors name the field, e.g. "documents[0].number",
// one entry per field: the first rule that fails.
std::vector<FieldError> ValidatePatient(Patient& p, Date today);

// The patient as the API shows it; identity numbers and phone masked unless `full_identity`.
// Lists write the fields straight into the body, inside an object they opened; PatientJson is
// the same object as a tree.
void WritePatientFields(JsonWriter& w, const Patient& p, bool full_identity);
Json PatientJson(const Patient& p, bool full_identity);

std::vector<http::Route> PatientRoutes();

// A merge moves every record of the merged patient to the surviving one, in the merge's own
// transaction (spec: domain.md §2 "a merge keeps both histories and re-points exams, reports,
// doses and critical values"). The exam module moves its orders and exams itself; each other
// module that holds patient ids registers what it must re-point, under its own name (a second
// registration under a name replaces the first). A listener answers the rows it moved.
using MergeListener =
    std::function<std::int64_t(db::Transaction&, std::int64_t from, std::int64_t into, Micros)>;
void RegisterMergeListener(std::string name, MergeListener listener);
// Runs every registered listener; answers the rows moved per name.
std::map<std::string, std::int64_t> NotifyMerge(db::Transaction& tx, std::int64_t from,
                                                std::int64_t into, Micros now);

// Adds the pinyin search forms to patients written without them (before migration 0007, or by
// an import that gave only the name); typed pinyin is kept. Answers how many rows were filled.
std::int64_t FillMissingPinyin(db::Database& database);

}  // namespace radqs::exam
