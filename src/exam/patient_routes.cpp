// Patient registration, search, view (audited), correction with history, and merge.
#include <fmt/format.h>

#include <charconv>

#include "exam/exam_store.h"
#include "exam/patient.h"
#include "exam/patient_access.h"
#include "exam/pinyin.h"
#include "exam/screening_record.h"
#include "org/directory.h"
#include "platform/http/fields.h"

namespace radqs::exam {
namespace {

using http::Context;
using http::Response;

bool FullIdentity(const Context& ctx) { return ctx.Can(auth::Permission::kPatientsIdentity); }

// Pinyin as typed (normalised), else generated from the name when the name is new or changed or
// the typed pinyin was cleared — spec: domain.md §2 "generated from a shipped table, editable".
void ReadPinyin(http::Fields& f, Patient& p, bool name_is_new) {
  const auto typed = f.Text("name_pinyin", {.max_length = 128});
  if (typed && !typed->empty()) {
    if (auto parsed = ParseTypedPinyin(*typed)) {
      p.name_pinyin = parsed->text;
    } else {
      for (auto& e : parsed.error().fields) f.Reject(e);
    }
  } else if (name_is_new || f.Has("name_pinyin")) {
    p.name_pinyin = PinyinOfName(p.name).text;
  }
}

// Reads the patient fields of a body onto `p`; on PATCH only the fields present change.
void ReadPatient(http::Fields& f, Patient& p, bool create) {
  auto text = [&](const char* key, std::string& into, bool required, std::size_t max) {
    if (auto v = f.Text(key, {.required = required && (create || f.Has(key)), .max_length = max})) {
      into = *v;
    } else if (!required && f.IsNull(key)) {
      into.clear();
    }
  };
  auto flag = [&](const char* key, bool& into) {
    if (auto v = f.Boolean(key)) into = *v;
  };
  const std::string old_name = p.name;
  text("name", p.name, true, 64);
  ReadPinyin(f, p, create || p.name != old_name);
  if (auto v = f.Enum("sex", {"M", "F", "U"}, create)) p.sex = *v;
  if (f.Has("birth_date")) p.birth_date = f.Day("birth_date");
  if (auto v = f.Integer("estimated_age", {.min = 0, .max = 130}))
    p.estimated_age = static_cast<int>(*v);
  if (auto v = f.Text("patient_no", {.max_length = 32}); v && create) p.patient_no = *v;
  text("phone", p.phone, false, 32);
  text("outpatient_no", p.outpatient_no, false, 32);
  text("inpatient_no", p.inpatient_no, false, 32);
  flag("contrast_allergy", p.contrast_allergy);
  flag("pacemaker", p.pacemaker);
  flag("ferromagnetic_implant", p.ferromagnetic_implant);
  if (create) flag("unidentified", p.unidentified);
  // spec: domain.md §2 "Patient identity" — the documents a patient is registered with.
  static const http::Shape kDocuments = http::Shape::List(http::Shape::Object({
      {"type", http::Shape::Text({.max_length = 32}), true},
      {"number", http::Shape::Text({.required = true, .max_length = 32}), true},
      {"guardian", http::Shape::Boolean()},
      {"guardian_relation", http::Shape::Text({.max_length = 16})},
  }));
  if (auto docs = f.Raw("documents", kDocuments)) {
    p.documents.clear();
    for (const Json& d : *docs) {
      p.documents.push_back({d.value("type", ""), d.value("number", ""), d.value("guardian", false),
                             d.value("guardian_relation", "")});
    }
  }
}

// A document that is another patient's own: refused, naming that patient — unless the patient
// is another site's, whose record the caller may not see (spec: domain.md §9).
std::optional<Response> DocumentConflict(Context& ctx, const Patient& p) {
  for (std::size_t i = 0; i < p.documents.size(); ++i) {
    const auto& d = p.documents[i];
    if (d.guardian) continue;
    if (auto owner = store::OwnerOf(ctx.tx(), d.type, d.number, p.id)) {
      if (!ctx.principal.sites.Has(owner->site_id)) {
        return http::ErrorResponse(Error::Field(
            ErrorCode::kConflict,
            {fmt::format("documents[{}].number", i), "unique",
             "already registered to a patient of another site", "unique_document_other_site"}));
      }
      Error e = Error::Field(
          ErrorCode::kConflict,
          {fmt::format("documents[{}].number", i),
           "unique",
           fmt::format("already registered to patient {} ({})", owner->patient_no, owner->name),
           "unique_document",
           {{"patient_no", owner->patient_no}, {"name", owner->name}}});
      auto r = http::ErrorResponse(e);
      Json body = Json::parse(r.body);
      body["error"]["existing_patient"] = {
          {"id", owner->patient_id}, {"patient_no", owner->patient_no}, {"name", owner->name}};
      r.body = body.dump();
      return r;
    }
  }
  return std::nullopt;
}

// spec: domain.md §9 — a search names the patient looked for; it never lists everyone. One
// Chinese character (a surname) or two letters or digits; numbers are exact anyway.
bool SearchableQuery(std::string_view q) {
  std::size_t ascii = 0;
  for (const char c : q) {
    if (static_cast<unsigned char>(c) >= 0x80) return true;
    if (c != ' ') ++ascii;
  }
  return ascii >= 2;
}

// The patients of a list answer, written straight into the body (a page of 30 is 17 KB). Lists
// show identity numbers and phones masked to every role: the full ones are on the record,
// whose read is audited (issue 14 item 10).
template <class Each>
void WritePatientList(JsonWriter& w, std::vector<std::int64_t>& shown, const Each& each) {
  w.Key("items").BeginArray();
  each([&](const Patient& p, std::optional<std::string_view> matched_by) {
    w.BeginObject();
    WritePatientFields(w, p, /*full_identity=*/false);
    if (matched_by) w.Field("matched_by", *matched_by);
    w.EndObject();
    shown.push_back(p.id);
  });
  w.EndArray();
}

// Before a search, the list starts at the newest registrations; the first page says how many
// there are (exact up to a cap) when asked (total=true).
Response Newest(Context& ctx, int limit) {
  std::optional<std::int64_t> before;
  if (auto c = ctx.request.Query("cursor"); c && !c->empty()) {
    std::int64_t id = 0;
    const auto digits = std::string_view(*c).substr(std::min<std::size_t>(c->size(), 7));
    if (!c->starts_with("newest_") ||
        std::from_chars(digits.data(), digits.data() + digits.size(), id).ec != std::errc() ||
        id < 1) {
      return http::ErrorResponse(Error::Field(ErrorCode::kValidationFailed, "cursor", "format",
                                              "is not a cursor from a previous page"));
    }
    before = id;
  }
  auto patients = store::NewestPatients(ctx.tx(), before, limit + 1, ctx.principal.sites);
  std::optional<std::string> next;
  if (patients.size() > static_cast<std::size_t>(limit)) {
    patients.pop_back();
    next = "newest_" + std::to_string(patients.back().id);
  }
  JsonWriter w;
  std::vector<std::int64_t> shown;
  w.BeginObject();
  WritePatientList(w, shown, [&](const auto& write) {
    for (const auto& p : patients) write(p, std::nullopt);
  });
  w.Field("next_cursor", next);
  if (!before && http::TotalAsked(ctx.request)) {
    http::WriteListTotal(w, [&](std::int64_t cap) {
      return store::CountPatients(ctx.tx(), ctx.principal.sites, cap);
    });
  }
  w.EndObject();
  AuditPatientsListed(ctx, shown);
  Response out;
  out.body = w.Take();
  return out;
}

Response Search(Context& ctx) {
  const auto limit_or = http::ReadLimit(ctx.request);
  if (!limit_or) return http::ErrorResponse(limit_or.error());
  const int limit = *limit_or;
  const std::string q = ctx.request.Query("q").value_or("");
  if (q.find_first_not_of(' ') == std::string::npos) return Newest(ctx, limit);
  store::SearchCursor after;
  if (auto c = ctx.request.Query("cursor"); c && !c->empty()) {
    auto parsed = store::ParseCursor(*c);
    if (!parsed) {
      return http::ErrorResponse(Error::Field(ErrorCode::kValidationFailed, "cursor", "format",
                                              "is not a cursor from a previous page"));
    }
    after = *parsed;
  }
  if (!SearchableQuery(q)) {
    return http::ErrorResponse(
        Error::Field(ErrorCode::kValidationFailed, "q", "min_length",
                     "give at least one Chinese character, two letters or digits, or a number"));
  }
  auto matches = store::SearchPatients(ctx.tx(), q, after, limit + 1, ctx.principal.sites);
  std::optional<std::string> next;
  if (matches.size() > static_cast<std::size_t>(limit)) {
    matches.pop_back();
    next = store::CursorText(matches.back());
  }
  JsonWriter w;
  std::vector<std::int64_t> shown;
  w.BeginObject();
  WritePatientList(w, shown, [&](const auto& write) {
    for (const auto& m : matches) write(m.patient, store::KindName(m.kind));
  });
  w.Field("next_cursor", next).EndObject();
  AuditPatientsListed(ctx, shown);
  Response out;
  out.body = w.Take();
  return out;
}

Response View(Context& ctx) {
  const auto id = ctx.request.IdParam();
  auto p = id ? store::LoadPatient(ctx.tx(), *id, ctx.principal.sites) : std::nullopt;
  if (!p) return http::ErrorResponse(Error::NotFound("patient"));
  // spec: domain.md §9 — every read of a patient's record is audited.
  ctx.AuditRead("patient.view", "patient", std::to_string(p->id));
  Json j = PatientJson(*p, FullIdentity(ctx));
  j["versions"] = store::CountVersions(ctx.tx(), p->id);
  return http::JsonResponse(j);
}

Response PinyinPreview(Context& ctx) {
  const auto name = ctx.request.Query("name");
  if (!name || name->size() > 64) {
    return http::ErrorResponse(Error::Field(ErrorCode::kValidationFailed, "name", "required",
                                            "is required, at most 64 characters"));
  }
  const Pinyin p = PinyinOfName(*name);
  return http::JsonResponse({{"text", p.text}, {"key", p.key}, {"initials", p.initials}});
}

Response Register(Context& ctx) {
  auto f = http::Fields::Parse(ctx.request.body);
  if (!f) return http::ErrorResponse(f.error());
  Patient p;
  ReadPatient(*f, p, true);
  const auto site = f->Integer("site_id", {.min = 1});
  p.site_id = site.value_or(ctx.principal.site_id.value_or(0));
  if (p.site_id == 0) f->Reject("site_id", "required", "is required");
  if (p.site_id != 0 && !ctx.principal.sites.Has(p.site_id)) {
    f->Reject("site_id", "site", "is not one of your sites");
  }
  for (auto& e : ValidatePatient(p, ctx.Today())) f->Reject(e);
  if (auto ok = f->Finish(); !ok) return http::ErrorResponse(ok.error());
  auto& tx = ctx.tx();
  if (!org::SiteExists(tx, p.site_id)) {
    return http::ErrorResponse(
        Error::Field(ErrorCode::kValidationFailed, "site_id", "reference", "no such site"));
  }
  if (auto conflict = DocumentConflict(ctx, p)) return *conflict;
  if (!p.patient_no.empty()) {
    if (store::PatientNoTaken(tx, p.patient_no)) {
      return http::ErrorResponse(Error::Field(ErrorCode::kConflict, "patient_no", "unique",
                                              "another patient has this number"));
    }
  }
  store::InsertPatient(tx, p, ctx.Now());
  Json after = PatientJson(p, true);
  ctx.Audit("patient.register", "patient", std::to_string(p.id), nullptr, &after);
  return http::JsonResponse(PatientJson(p, FullIdentity(ctx)), 201);
}

Response Correct(Context& ctx) {
  const auto id = ctx.request.IdParam();
  auto before = id ? store::LoadPatient(ctx.tx(), *id, ctx.principal.sites) : std::nullopt;
  if (!before) return http::ErrorResponse(Error::NotFound("patient"));
  auto f = http::Fields::Parse(ctx.request.body);
  if (!f) return http::ErrorResponse(f.error());
  const auto version = f->Integer("version", {.required = true});
  const auto reason = f->Text("reason", {.required = true, .max_length = 200});
  Patient after = *before;
  ReadPatient(*f, after, false);
  if (before->merged_into) f->Reject("id", "merged", "this record was merged; correct the other");
  for (auto& e : ValidatePatient(after, ctx.Today())) f->Reject(e);
  if (auto ok = f->Finish(); !ok) return http::ErrorResponse(ok.error());
  if (*version != before->version) {
    return http::StaleVersion("patient");
  }
  if (auto conflict = DocumentConflict(ctx, after)) return *conflict;
  store::UpdatePatient(ctx.tx(), *before, after, ctx.principal.ActorId(), *reason, ctx.Now());
  RecordPatientChangeFindings(ctx, *before, *reason);
  Json b = PatientJson(*before, true), a = PatientJson(after, true);
  ctx.Audit("patient.correct", "patient", std::to_string(after.id), &b, &a, *reason);
  return http::JsonResponse(PatientJson(after, FullIdentity(ctx)));
}

Response Merge(Context& ctx) {
  const auto id = ctx.request.IdParam();
  auto from = id ? store::LoadPatient(ctx.tx(), *id, ctx.principal.sites) : std::nullopt;
  if (!from) return http::ErrorResponse(Error::NotFound("patient"));
  auto f = http::Fields::Parse(ctx.request.body);
  if (!f) return http::ErrorResponse(f.error());
  const auto into_id = f->Integer("into_patient_id", {.required = true, .min = 1});
  const auto reason = f->Text("reason", {.required = true, .max_length = 200});
  if (auto ok = f->Finish(); !ok) return http::ErrorResponse(ok.error());
  auto into = store::LoadPatient(ctx.tx(), *into_id, ctx.principal.sites);
  std::vector<FieldError> errors;
  if (!into) errors.push_back({"into_patient_id", "reference", "no such patient"});
  if (into && into->id == from->id)
    errors.push_back({"into_patient_id", "self", "is this patient"});
  if (from->merged_into) errors.push_back({"id", "merged", "was already merged"});
  if (into && into->merged_into)
    errors.push_back({"into_patient_id", "merged", "was merged itself"});
  if (!errors.empty()) return http::ErrorResponse(Error::Validation(errors));
  const auto own = store::MergePatients(ctx.tx(), from->id, into->id, ctx.Now());
  Json moved = {{"orders", own.orders}, {"exams", own.exams}};
  for (const auto& [name, rows] : NotifyMerge(ctx.tx(), from->id, into->id, ctx.Now())) {
    moved[name] = rows;
  }
  const Json before = {{"patient_id", from->id}, {"patient_no", from->patient_no}};
  const Json after = {
      {"merged_into", into->id}, {"patient_no", into->patient_no}, {"moved", moved}};
  ctx.Audit("patient.merge", "patient", std::to_string(from->id), &before, &after,
            fmt::format("into {} ({}): {}", into->patient_no, moved.dump(), *reason));
  return http::JsonResponse(
      {{"merged", from->id}, {"into", into->id}, {"exams_moved", own.exams}, {"moved", moved}});
}

}  // namespace

std::vector<http::Route> PatientRoutes() {
  using auth::Permission;
  using http::Method;
  using http::Mode;
  return {
      {Method::kGet, "/api/v1/patients", Permission::kPatientsRead, Mode::kRead, "patients",
       "Find patients by name, pinyin or pinyin-initials prefix, patient/record number, phone or "
       "identity number; "
       "identity numbers masked unless patients.identity",
       nullptr, Search},
      {Method::kGet, "/api/v1/pinyin", Permission::kPatientsWrite, Mode::kPlain, "patients",
       "Pinyin of a name from the shipped table with the surname overrides (for registration)",
       nullptr, PinyinPreview},
      {Method::kGet, "/api/v1/patients/{id}", Permission::kPatientsRead, Mode::kRead, "patients",
       "One patient (the view is audited)", nullptr, View},
      {Method::kPost, "/api/v1/patients", Permission::kPatientsWrite, Mode::kWrite, "patients",
       "Register a patient (实名制): 居民身份证 checked; a document already registered to another "
       "patient is refused naming that patient",
       nullptr, Register},
      {Method::kPatch, "/api/v1/patients/{id}", Permission::kPatientsWrite, Mode::kWrite,
       "patients", "Correct a patient with a reason; the previous version is kept", nullptr,
       Correct},
      {Method::kPost, "/api/v1/patients/{id}/merge", Permission::kPatientsWrite, Mode::kWrite,
       "patients", "Merge a record created by mistake into another; both histories are kept",
       nullptr, Merge},
  };
}

}  // namespace radqs::exam
