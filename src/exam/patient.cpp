#include "exam/patient.h"

#include "exam/identity.h"

#include <mutex>

namespace radqs::exam {

std::vector<FieldError> ValidatePatient(Patient& p, Date today) {
  std::vector<FieldError> errors;
  // One entry per field, the first rule that fails.
  auto add = [&errors](FieldError e) {
    for (const auto& x : errors) {
      if (x.field == e.field) return;
    }
    errors.push_back(std::move(e));
  };
  if (p.name.empty()) add({"name", "required", "is required"});
  if (p.unidentified) {
    // spec: domain.md §2 — an unidentified patient (无名氏) gets sex, estimated age and a number.
    if (p.sex != "M" && p.sex != "F" && p.sex != "U") {
      add({"sex", "enum", "must be one of: M, F, U"});
    }
    if (!p.estimated_age && !p.birth_date) {
      add({"estimated_age", "required", "is required for an unidentified patient"});
    }
  } else {
    if (p.sex != "M" && p.sex != "F") add({"sex", "enum", "must be one of: M, F"});
    if (!p.birth_date) add({"birth_date", "required", "is required"});
  }
  // The oldest birth date a living patient can have; 0001-01-01 is a typing slip, not a date.
  static const Date kEarliestBirth = DateFromCivil({1900, 1, 1});
  if (p.birth_date && *p.birth_date > today) {
    add({"birth_date", "max", "must not be in the future"});
  } else if (p.birth_date && *p.birth_date < kEarliestBirth) {
    add({"birth_date", "min", "must not be before 1900-01-01"});
  }
  if (!p.phone.empty() && !PhoneNumberValid(p.phone)) {
    add({"phone", "format",
         "must be a mobile number (11 digits from 13) or a landline (area code, 7 or 8 digits, "
         "extension)",
         "phone_format"});
  }
  if (p.estimated_age && (*p.estimated_age < 0 || *p.estimated_age > 130)) {
    add({"estimated_age", "max", "must be from 0 to 130"});
  }
  for (std::size_t i = 0; i < p.documents.size(); ++i) {
    auto& d = p.documents[i];
    const std::string at = "documents[" + std::to_string(i) + "]";
    if (!IsDocumentType(d.type)) {
      add({at + ".type", "enum",
           "must be one of: resident_id, hk_macau_permit, taiwan_permit, "
           "foreign_permanent_resident, passport, military_officer, birth_certificate, other"});
      continue;
    }
    if (d.guardian && d.guardian_relation.empty()) {
      add({at + ".guardian_relation", "required", "is required for a guardian's document"});
    }
    if (d.type != "resident_id") {
      if (auto e = CheckDocumentNumber(d.type, d.number, at + ".number")) add(std::move(*e));
      continue;
    }
    // spec: regulations.md §8 — GB 11643 check digit, real birth date, 15-digit upgrade.
    auto id = ParseResidentId(d.number);
    if (!id) {
      for (auto e : id.error().fields) {
        e.field = at + ".number";
        add(std::move(e));
      }
      continue;
    }
    d.number = id->number18;
    // Whoever holds the card, patient or guardian, was born by today (ParseResidentId leaves
    // this to the caller, which knows the date).
    if (id->birth_date > today) {
      add({at + ".number", "birth_date",
           "the birth date inside the number is in "
           "the future"});
      continue;
    }
    if (!d.guardian) {
      std::optional<char> sex;
      if (p.sex == "M" || p.sex == "F") sex = p.sex[0];
      for (auto& e : CrossCheckResidentId(*id, p.birth_date, sex)) add(std::move(e));
    }
  }
  return errors;
}

void WritePatientFields(JsonWriter& w, const Patient& p, bool full_identity) {
  w.Field("id", p.id)
      .Field("site_id", p.site_id)
      .Field("patient_no", p.patient_no)
      .Field("name", p.name)
      .Field("name_pinyin", p.name_pinyin)
      .Field("sex", p.sex)
      .Field("birth_date", p.birth_date ? std::optional(FormatDate(*p.birth_date)) : std::nullopt)
      .Field("estimated_age", p.estimated_age)
      .Field("phone", full_identity ? p.phone : MaskPhone(p.phone))
      .Field("outpatient_no", p.outpatient_no)
      .Field("inpatient_no", p.inpatient_no)
      .Field("contrast_allergy", p.contrast_allergy)
      .Field("pacemaker", p.pacemaker)
      .Field("ferromagnetic_implant", p.ferromagnetic_implant)
      .Field("unidentified", p.unidentified)
      .Field("merged_into", p.merged_into)
      .Key("documents")
      .BeginArray();
  for (const auto& d : p.documents) {
    w.BeginObject()
        .Field("type", d.type)
        .Field("number", full_identity ? d.number : MaskIdNumber(d.number))
        .Field("guardian", d.guardian)
        .Field("guardian_relation", d.guardian_relation)
        .EndObject();
  }
  w.EndArray()
      .Field("identity_masked", !full_identity)
      .Field("created_at", FormatInstant(p.created_at))
      .Field("updated_at", FormatInstant(p.updated_at))
      .Field("version", p.version);
}

Json PatientJson(const Patient& p, bool full_identity) {
  JsonWriter w;
  w.BeginObject();
  WritePatientFields(w, p, full_identity);
  w.EndObject();
  return Json::parse(w.str());
}

namespace {
std::mutex g_merge_mu;
std::map<std::string, MergeListener>& MergeListeners() {
  static std::map<std::string, MergeListener> listeners;
  return listeners;
}
}  // namespace

void RegisterMergeListener(std::string name, MergeListener listener) {
  std::lock_guard lock(g_merge_mu);
  MergeListeners()[std::move(name)] = std::move(listener);
}

std::map<std::string, std::int64_t> NotifyMerge(db::Transaction& tx, std::int64_t from,
                                                std::int64_t into, Micros now) {
  std::map<std::string, MergeListener> listeners;
  {
    std::lock_guard lock(g_merge_mu);
    listeners = MergeListeners();
  }
  std::map<std::string, std::int64_t> moved;
  for (const auto& [name, listener] : listeners) moved[name] = listener(tx, from, into, now);
  return moved;
}

}  // namespace radqs::exam
