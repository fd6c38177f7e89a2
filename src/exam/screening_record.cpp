// The screening record's JSON form and the gates of an exam under today's settings.
#include "exam/screening_record.h"

#include "exam/identity.h"

namespace radqs::exam {
namespace {

std::optional<Date> DateOf(const Json& j, const char* key) {
  if (!j.contains(key) || !j[key].is_string()) return std::nullopt;
  return ParseDate(j[key].get<std::string>());
}
Json DateJson(const std::optional<Date>& d) { return d ? Json(FormatDate(*d)) : Json(nullptr); }
Json ApprovalJson(const std::optional<Approval>& a) {
  if (!a) return nullptr;
  return {{"approver_id", a->approver_id}, {"reason", a->reason}};
}
std::optional<Approval> ApprovalOf(const Json& j) {
  if (!j.is_object()) return std::nullopt;
  return Approval{j.value("approver_id", std::optional<std::int64_t>()), j.value("reason", "")};
}

Json Answer(const std::optional<bool>& a) { return a ? Json(*a) : Json(nullptr); }
std::optional<bool> AnswerOf(const Json& j, const char* key) {
  if (!j.contains(key) || !j[key].is_boolean()) return std::nullopt;
  return j[key].get<bool>();
}

}  // namespace

Json RecordJson(const ScreeningRecord& r) {
  Json consents = Json::array();
  for (const auto& c : r.consents) {
    consents.push_back({{"type", c.type},
                        {"signer_name", c.signer_name},
                        {"signer_relation", c.signer_relation},
                        {"relation_detail", c.relation_detail},
                        {"signed_at", c.signed_at ? Json(FormatInstant(*c.signed_at)) : Json()}});
  }
  Json j = Json::object();
  j["pregnancy"] = {{"status", PregnancyStatusKey(r.pregnancy.status)},
                    {"gestational_days_lmp", r.pregnancy.gestational_days_lmp},
                    {"assessed_on", DateJson(r.pregnancy.assessed_on)},
                    {"lmp_date", DateJson(r.pregnancy.lmp_date)},
                    {"dating_method", DatingMethodKey(r.pregnancy.dating_method)}};
  if (r.pregnancy_override) {
    const auto& o = *r.pregnancy_override;
    j["pregnancy_override"] = {{"reason", o.reason},
                               {"approver_id", o.approver_id},
                               {"signer_name", o.signer_name},
                               {"signer_relation", o.signer_relation}};
  } else {
    j["pregnancy_override"] = nullptr;
  }
  j["consents"] = consents;
  j["shielding"] =
      r.shielding ? Json{{"used", r.shielding->used}, {"reason_if_not", r.shielding->reason_if_not}}
                  : Json(nullptr);
  j["mr_clearance"] = r.mr_clearance ? Json{{"radiologist_id", r.mr_clearance->radiologist_id},
                                            {"note", r.mr_clearance->note},
                                            {"covers", r.mr_clearance->covers}}
                                     : Json(nullptr);
  const MrQuestionnaire& q = r.mr;
  j["mr"] = {{"active_implant", Answer(q.active_implant)},
             {"ferromagnetic_implant", Answer(q.ferromagnetic_implant)},
             {"metal_foreign_body", Answer(q.metal_foreign_body)},
             {"tattoo", Answer(q.tattoo)},
             {"claustrophobia", Answer(q.claustrophobia)},
             {"previous_mr", Answer(q.previous_mr)},
             {"implant_detail", q.implant_detail},
             {"flag_note", q.flag_note}};
  const auto& c = r.contrast;
  j["contrast"] = {{"prior_reaction_grade", ReactionGradeKey(c.prior_reaction_grade)},
                   {"prior_reaction_agent", c.prior_reaction_agent},
                   {"asthma_or_allergy", c.asthma_or_allergy},
                   {"egfr", c.egfr},
                   {"egfr_date", DateJson(c.egfr_date)},
                   {"metformin", c.metformin},
                   {"hyperthyroidism", c.hyperthyroidism}};
  j["low_egfr_approval"] = ApprovalJson(r.low_egfr_approval);
  j["severe_reaction_override"] = ApprovalJson(r.severe_reaction_override);
  j["gadolinium_pregnancy_justification"] = ApprovalJson(r.gadolinium_pregnancy_justification);
  Json companions = Json::array();
  for (const auto& person : r.companions) {
    companions.push_back(
        {{"name", person.name}, {"relation", person.relation}, {"protection", person.protection}});
  }
  j["companions"] = companions;
  return j;
}

ScreeningRecord RecordOf(const Json& j) {
  ScreeningRecord r;
  if (const Json& p = j.value("pregnancy", Json::object()); p.is_object()) {
    r.pregnancy.status =
        ParsePregnancyStatus(p.value("status", "not_asked")).value_or(PregnancyStatus::kNotAsked);
    r.pregnancy.gestational_days_lmp = p.value("gestational_days_lmp", std::optional<int>());
    r.pregnancy.assessed_on = DateOf(p, "assessed_on");
    r.pregnancy.lmp_date = DateOf(p, "lmp_date");
    r.pregnancy.dating_method =
        ParseDatingMethod(p.value("dating_method", "unknown")).value_or(DatingMethod::kUnknown);
  }
  if (const Json& o = j.value("pregnancy_override", Json()); o.is_object()) {
    r.pregnancy_override = PregnancyOverride{
        o.value("reason", ""), o.value("approver_id", std::optional<std::int64_t>()),
        o.value("signer_name", ""), o.value("signer_relation", "")};
  }
  for (const auto& c : j.value("consents", Json::array())) {
    ConsentRecord rec{c.value("type", ""), c.value("signer_name", ""),
                      c.value("signer_relation", ""), std::nullopt, c.value("relation_detail", "")};
    if (c.contains("signed_at") && c["signed_at"].is_string()) {
      rec.signed_at = ParseInstant(c["signed_at"].get<std::string>());
    }
    r.consents.push_back(std::move(rec));
  }
  if (const Json& s = j.value("shielding", Json()); s.is_object()) {
    r.shielding = ShieldingRecord{s.value("used", false), s.value("reason_if_not", "")};
  }
  if (const Json& m = j.value("mr_clearance", Json()); m.is_object()) {
    r.mr_clearance =
        MrClearance{m.value("radiologist_id", std::optional<std::int64_t>()), m.value("note", ""),
                    m.value("covers", std::vector<std::string>())};
  }
  if (const Json& q = j.value("mr", Json()); q.is_object()) {
    r.mr.active_implant = AnswerOf(q, "active_implant");
    r.mr.ferromagnetic_implant = AnswerOf(q, "ferromagnetic_implant");
    r.mr.metal_foreign_body = AnswerOf(q, "metal_foreign_body");
    r.mr.tattoo = AnswerOf(q, "tattoo");
    r.mr.claustrophobia = AnswerOf(q, "claustrophobia");
    r.mr.previous_mr = AnswerOf(q, "previous_mr");
    r.mr.implant_detail = q.value("implant_detail", "");
    r.mr.flag_note = q.value("flag_note", "");
  }
  if (const Json& c = j.value("contrast", Json()); c.is_object()) {
    r.contrast.prior_reaction_grade =
        ParseReactionGrade(c.value("prior_reaction_grade", "none")).value_or(ReactionGrade::kNone);
    r.contrast.prior_reaction_agent = c.value("prior_reaction_agent", "");
    r.contrast.asthma_or_allergy = c.value("asthma_or_allergy", false);
    r.contrast.egfr = c.value("egfr", std::optional<double>());
    r.contrast.egfr_date = DateOf(c, "egfr_date");
    r.contrast.metformin = c.value("metformin", false);
    r.contrast.hyperthyroidism = c.value("hyperthyroidism", false);
  }
  r.low_egfr_approval = ApprovalOf(j.value("low_egfr_approval", Json()));
  r.severe_reaction_override = ApprovalOf(j.value("severe_reaction_override", Json()));
  r.gadolinium_pregnancy_justification =
      ApprovalOf(j.value("gadolinium_pregnancy_justification", Json()));
  for (const auto& c : j.value("companions", Json::array())) {
    if (c.is_object()) {
      r.companions.push_back(
          {c.value("name", ""), c.value("relation", ""), c.value("protection", "")});
    }
  }
  return r;
}

std::optional<LoadedScreening> LoadScreening(db::Transaction& tx, std::int64_t exam_id,
                                             const auth::SiteScope& scope) {
  auto e = store::LoadExam(tx, exam_id, scope);
  if (!e) return std::nullopt;
  LoadedScreening l{
      *e, *store::LoadPatient(tx, e->patient_id), *store::LoadItem(tx, e->item_id), {}, 0, 0};
  if (auto latest = store::LatestScreening(tx, exam_id)) {
    l.record = RecordOf(latest->record);
    l.version = latest->version;
    l.recorded_at = latest->recorded_at;
  }
  return l;
}

std::map<std::int64_t, std::vector<std::string>> OpenGateKeys(
    http::Context& ctx, const std::vector<store::ExamRow>& exams) {
  std::vector<std::int64_t> exam_ids, patient_ids, item_ids;
  for (const auto& e : exams) {
    exam_ids.push_back(e.id);
    patient_ids.push_back(e.patient_id);
    item_ids.push_back(e.item_id);
  }
  const auto records = store::LatestScreeningRecords(ctx.tx(), exam_ids);
  const auto patients = store::PatientFactsById(ctx.tx(), patient_ids);
  const auto items = store::ItemsById(ctx.tx(), item_ids);
  std::map<std::int64_t, std::vector<std::string>> out;
  for (const auto& e : exams) {
    const auto p = patients.find(e.patient_id);
    const auto i = items.find(e.item_id);
    if (p == patients.end() || i == items.end()) continue;
    LoadedScreening l{e, p->second, i->second, {}, 0, 0};
    if (const auto r = records.find(e.id); r != records.end()) l.record = RecordOf(r->second);
    auto& keys = out[e.id];
    for (const auto& g : GatesOf(ctx, l)) keys.push_back(g.key);
  }
  return out;
}

PatientFacts FactsOf(http::Context& ctx, const Patient& patient) {
  PatientFacts p;
  p.sex = patient.sex.empty() ? 'U' : patient.sex[0];
  // No birth date (无名氏): the estimated age, as estimated at registration.
  p.birth_date = patient.birth_date;
  p.estimated_age = patient.estimated_age;
  p.estimated_on = LocalDate(patient.created_at, ctx.UtcOffsetMinutes());
  p.contrast_allergy_known = patient.contrast_allergy;
  p.has_pacemaker = patient.pacemaker;
  p.has_ferromagnetic_implant = patient.ferromagnetic_implant;
  return p;
}

namespace {

ExamFacts ExamFactsOf(const CatalogueItem& item) {
  ExamFacts x;
  x.modality = item.modality;
  x.xray = item.xray;
  x.lower_abdomen_pelvis = item.lower_abdomen;
  x.contrast = item.contrast;
  x.contrast_kind = item.contrast_kind;
  return x;
}

}  // namespace

std::vector<Notice> NoticesOf(http::Context& ctx, const LoadedScreening& l) {
  return Notices(FactsOf(ctx, l.patient), ExamFactsOf(l.item), l.record);
}

std::vector<Gate> GatesOf(http::Context& ctx, const LoadedScreening& l) {
  const int offset = ctx.UtcOffsetMinutes();
  const PatientFacts p = FactsOf(ctx, l.patient);
  const ExamFacts x = ExamFactsOf(l.item);
  auto& st = ctx.settings();
  ScreeningSettings settings;
  settings.childbearing_age_min = static_cast<int>(st.Int("screening.childbearing_age_min"));
  settings.childbearing_age_max = static_cast<int>(st.Int("screening.childbearing_age_max"));
  const Date today = LocalDate(ctx.Now(), offset);
  // spec: regulations.md preamble — versioned settings, the version in force on the exam day.
  settings.egfr_threshold_iodinated =
      st.ValueOn("screening.egfr_threshold_iodinated", today).get<double>();
  settings.egfr_threshold_gadolinium =
      st.ValueOn("screening.egfr_threshold_gadolinium", today).get<double>();
  settings.egfr_validity_days = static_cast<int>(st.IntOn("screening.egfr_validity_days", today));
  return OpenGates(p, x, l.record, settings, today);
}

Json GatesJson(const std::vector<Gate>& gates, bool may_read) {
  Json out = Json::array();
  for (const auto& g : gates) {
    Json j = {{"key", g.key}, {"overridable", g.overridable}, {"override_by", g.override_by}};
    if (may_read) j["message"] = g.message;
    out.push_back(std::move(j));
  }
  return out;
}

Json NoticesJson(const std::vector<Notice>& notices, bool may_read) {
  Json out = Json::array();
  for (const auto& n : notices) {
    Json j = {{"key", n.key}};
    if (may_read) j["message"] = n.message;
    out.push_back(std::move(j));
  }
  return out;
}

}  // namespace radqs::exam
