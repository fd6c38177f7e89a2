// Safety screening gates before the exam: pure functions, no I/O.
#include "exam/screening.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <utility>

#include "exam/identity.h"

namespace radqs::exam {
namespace {

// spec: regulations.md §3 — weeks 8 to 15 after conception, i.e. [8w0d, 15w6d].
constexpr int kProtectedFirstDay = 8 * 7;      // post-conception day 56 (LMP 10+0)
constexpr int kProtectedLastDay = 15 * 7 + 6;  // post-conception day 111 (LMP 17+6)
constexpr int kConceptionOffsetDays = 14;      // LMP age − 14 days = post-conception age
// A gestational age beyond 44 weeks is a data error; it is treated as unknown so that a pregnant
// patient stays behind the unknown-age block rather than passing on a wrong date.
constexpr int kMaxPlausibleGestationalDays = 44 * 7;

constexpr std::array<std::pair<PregnancyStatus, std::string_view>, 4> kStatusKeys = {{
    {PregnancyStatus::kNotAsked, "not_asked"},
    {PregnancyStatus::kNotPregnant, "not_pregnant"},
    {PregnancyStatus::kPossiblyPregnant, "possibly_pregnant"},
    {PregnancyStatus::kPregnant, "pregnant"},
}};
constexpr std::array<std::pair<DatingMethod, std::string_view>, 3> kDatingKeys = {{
    {DatingMethod::kUnknown, "unknown"},
    {DatingMethod::kLmp, "lmp"},
    {DatingMethod::kUltrasound, "ultrasound"},
}};
constexpr std::array<std::pair<ReactionGrade, std::string_view>, 4> kGradeKeys = {{
    {ReactionGrade::kNone, "none"},
    {ReactionGrade::kMild, "mild"},
    {ReactionGrade::kModerate, "moderate"},
    {ReactionGrade::kSevere, "severe"},
}};

template <class E, std::size_t N>
std::string_view KeyOf(const std::array<std::pair<E, std::string_view>, N>& table, E value) {
  for (const auto& [v, key] : table) {
    if (v == value) return key;
  }
  return "unknown";
}

template <class E, std::size_t N>
std::optional<E> ParseKey(const std::array<std::pair<E, std::string_view>, N>& table,
                          std::string_view key) {
  for (const auto& [v, k] : table) {
    if (k == key) return v;
  }
  return std::nullopt;
}

bool IsBlank(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
  });
}

bool IsPatientOrLinealRelative(std::string_view relation) {
  return relation == kRelationPatient || relation == kRelationLinealRelative;
}

bool IsCompleteApproval(const std::optional<Approval>& a) {
  return a && a->approver_id && *a->approver_id > 0 && !IsBlank(a->reason);
}

bool HasConsent(const ScreeningRecord& record, std::string_view type) {
  return std::any_of(record.consents.begin(), record.consents.end(), [&](const ConsentRecord& c) {
    return c.type == type && IsCompleteConsent(c);
  });
}

std::string Number(double v) {
  char buf[32];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}

void Open(std::vector<Gate>& gates, std::string key, std::string message,
          std::string override_by = "") {
  const bool overridable = !override_by.empty();
  gates.push_back(Gate{std::move(key), std::move(message), overridable, std::move(override_by)});
}

// spec: domain.md §2 pregnancy; regulations.md §3.
void PregnancyGates(std::vector<Gate>& gates, const PatientFacts& patient, const ExamFacts& exam,
                    const ScreeningRecord& record, const ScreeningSettings& settings, Date today) {
  const PregnancyRecord& p = record.pregnancy;
  const bool xray = IsXrayExam(exam);
  // spec: domain.md §2 pregnancy — an unknown sex or age asks rather than skips the question.
  if (xray && patient.sex != 'M' && p.status == PregnancyStatus::kNotAsked) {
    const std::optional<int> age = ScreeningAgeOn(patient, today);
    if (!age || (*age >= settings.childbearing_age_min && *age <= settings.childbearing_age_max)) {
      const std::string who = patient.sex == 'F' ? "female" : "sex unknown";
      const std::string how_old = !age                 ? "age unknown"
                                  : patient.birth_date ? "age " + std::to_string(*age)
                                                       : "estimated age " + std::to_string(*age);
      Open(gates, "pregnancy_question",
           "ask whether the patient is pregnant before an X-ray exam (" + who + ", " + how_old +
               ")");
    }
  }
  if (patient.sex == 'M') return;  // never asked, and a stray status on a male is not trusted
  const bool maybe_pregnant =
      p.status == PregnancyStatus::kPregnant || p.status == PregnancyStatus::kPossiblyPregnant;
  if (!maybe_pregnant) return;

  if (xray) {
    const std::optional<int> g = GestationalDaysOn(p, today);
    bool blocked = false;
    if (exam.lower_abdomen_pelvis && g && InProtectedWindow(*g)) {
      blocked = true;
      if (!record.pregnancy_override || !IsCompleteOverride(*record.pregnancy_override)) {
        Open(gates, "pregnancy_blocked_8_15_weeks",
             "lower abdomen/pelvis X-ray blocked at post-conception weeks 8-15 (" +
                 FormatGestationalAge(*g) +
                 "): needs a documented special need with reason, radiologist approval and the "
                 "signature of the patient or a lineal relative",
             "radiologist");
      }
    } else if (exam.lower_abdomen_pelvis && !g && p.status == PregnancyStatus::kPregnant) {
      blocked = true;
      if (!record.pregnancy_override || !IsCompleteOverride(*record.pregnancy_override)) {
        Open(gates, "pregnancy_unknown_age_blocked",
             "lower abdomen/pelvis X-ray blocked: the patient is pregnant and the gestational age "
             "is unknown; record it, or a documented special need with reason, radiologist "
             "approval and the signature of the patient or a lineal relative",
             "radiologist");
      }
    }
    // The special-need override carries the signature of the patient or a lineal relative, so
    // it is the consent of a blocked exam; every other X-ray exam needs the consent record.
    if (!blocked && !HasConsent(record, "pregnancy")) {
      Open(gates, "pregnancy_consent",
           "pregnant or possibly pregnant patient: informed consent signed by the patient or a "
           "lineal relative is required before the X-ray exam");
    }
  }
  const bool contrast = exam.contrast || !exam.contrast_kind.empty();
  if (contrast && exam.contrast_kind == "gadolinium" &&
      !IsCompleteApproval(record.gadolinium_pregnancy_justification)) {
    Open(gates, "gadolinium_pregnancy",
         "gadolinium contrast in a pregnant or possibly pregnant patient needs a radiologist's "
         "justification",
         "radiologist");
  }
}

// The pregnancy question is due for a patient not recorded 'M' of child-bearing age, or of an
// unknown age (which asks rather than skips).
bool PregnancyQuestionDue(const PatientFacts& patient, const ScreeningSettings& settings,
                          Date today) {
  if (patient.sex == 'M') return false;
  const std::optional<int> age = ScreeningAgeOn(patient, today);
  return !age || (*age >= settings.childbearing_age_min && *age <= settings.childbearing_age_max);
}

std::string_view ImplantWords(std::string_view kind) {
  if (kind == "active_implant") return "active implant (pacemaker, ICD, neurostimulator, pump)";
  if (kind == "ferromagnetic_implant") return "ferromagnetic implant";
  return "metal foreign body";
}

// spec: domain.md §2 MR — implants block unless a radiologist records MR-conditional clearance;
// the questionnaire is asked first (issue 14 item 6).
void MrGates(std::vector<Gate>& gates, const PatientFacts& patient, const ScreeningRecord& record,
             const ScreeningSettings& settings, Date today) {
  const MrQuestionnaire& q = record.mr;
  std::vector<std::string_view> unanswered;
  if (!q.active_implant) unanswered.push_back("active implant");
  if (!q.ferromagnetic_implant) unanswered.push_back("ferromagnetic implant");
  if (!q.metal_foreign_body) unanswered.push_back("metal foreign body");
  if (!q.tattoo) unanswered.push_back("tattoo");
  if (!q.claustrophobia) unanswered.push_back("claustrophobia");
  if (record.pregnancy.status == PregnancyStatus::kNotAsked &&
      PregnancyQuestionDue(patient, settings, today)) {
    unanswered.push_back("pregnancy");
  }
  if (!q.previous_mr) unanswered.push_back("previous MR");
  if (!unanswered.empty()) {
    std::string list;
    for (std::string_view u : unanswered) list += (list.empty() ? "" : ", ") + std::string(u);
    Open(gates, "mr_questionnaire", "answer the MR safety questionnaire (" + list + ")");
  }
  const std::vector<std::string> kinds = MrImplantsOf(patient, q);
  const MrClearance* clearance = record.mr_clearance && record.mr_clearance->radiologist_id &&
                                         *record.mr_clearance->radiologist_id > 0
                                     ? &*record.mr_clearance
                                     : nullptr;
  std::string uncovered;
  for (const std::string& k : kinds) {
    const bool covered = clearance && std::find(clearance->covers.begin(), clearance->covers.end(),
                                                k) != clearance->covers.end();
    if (!covered) uncovered += (uncovered.empty() ? "" : ", ") + std::string(ImplantWords(k));
  }
  if (!uncovered.empty()) {
    std::string detail = q.implant_detail.empty() ? "" : " (" + q.implant_detail + ")";
    Open(gates, "mr_implant",
         uncovered + detail + ": MR needs an MR-conditional clearance recorded by a radiologist",
         "radiologist");
  }
}

// spec: domain.md §2 contrast.
void ContrastGates(std::vector<Gate>& gates, const PatientFacts& patient, const ExamFacts& exam,
                   const ScreeningRecord& record, const ScreeningSettings& settings, Date today) {
  if (!exam.contrast && exam.contrast_kind.empty()) return;
  const ContrastChecks& c = record.contrast;

  if (!HasConsent(record, "contrast")) {
    Open(gates, "contrast_consent",
         "a signed contrast consent (对比剂使用知情同意书: signer, relation, time) is required");
  }

  std::vector<std::string_view> flags;
  if (c.prior_reaction_grade != ReactionGrade::kNone) flags.push_back("prior reaction");
  if (c.asthma_or_allergy) flags.push_back("asthma/allergy history");
  if (c.metformin) flags.push_back("metformin");
  if (c.hyperthyroidism) flags.push_back("hyperthyroidism");
  if (patient.contrast_allergy_known) flags.push_back("known contrast allergy");

  const bool egfr_recorded = c.egfr && std::isfinite(*c.egfr) && *c.egfr >= 0;
  const bool egfr_current = egfr_recorded && c.egfr_date && *c.egfr_date <= today &&
                            DaysBetween(*c.egfr_date, today) <= settings.egfr_validity_days;
  if (!flags.empty() && !egfr_current) {
    std::string list;
    for (std::string_view f : flags) {
      if (!list.empty()) list += ", ";
      list += f;
    }
    Open(gates, "egfr_missing",
         "risk flag (" + list + ") and no eGFR within the last " +
             std::to_string(settings.egfr_validity_days) + " days: record a current eGFR");
  }

  // An unknown contrast kind is judged against the stricter (higher) threshold.
  double threshold =
      std::max(settings.egfr_threshold_iodinated, settings.egfr_threshold_gadolinium);
  std::string_view kind = "contrast";
  if (exam.contrast_kind == "iodinated") {
    threshold = settings.egfr_threshold_iodinated;
    kind = "iodinated contrast";
  } else if (exam.contrast_kind == "gadolinium") {
    threshold = settings.egfr_threshold_gadolinium;
    kind = "gadolinium";
  }
  // Any recorded value counts here, current or not: an old low eGFR is still a warning sign.
  if (egfr_recorded && *c.egfr < threshold && !IsCompleteApproval(record.low_egfr_approval)) {
    Open(gates, "egfr_low",
         "eGFR " + Number(*c.egfr) + " mL/min/1.73 m² is below the threshold " + Number(threshold) +
             " for " + std::string(kind) + ": needs a radiologist's approval with a reason",
         "radiologist");
  }

  if (c.prior_reaction_grade == ReactionGrade::kSevere &&
      !IsCompleteApproval(record.severe_reaction_override)) {
    Open(gates, "severe_prior_reaction",
         "known severe prior contrast reaction: needs the director's override with a reason",
         "director");
  }
}

}  // namespace

std::string_view PregnancyStatusKey(PregnancyStatus s) { return KeyOf(kStatusKeys, s); }
std::optional<PregnancyStatus> ParsePregnancyStatus(std::string_view key) {
  return ParseKey(kStatusKeys, key);
}
std::string_view DatingMethodKey(DatingMethod m) { return KeyOf(kDatingKeys, m); }
std::optional<DatingMethod> ParseDatingMethod(std::string_view key) {
  return ParseKey(kDatingKeys, key);
}
std::string_view ReactionGradeKey(ReactionGrade g) { return KeyOf(kGradeKeys, g); }
std::optional<ReactionGrade> ParseReactionGrade(std::string_view key) {
  return ParseKey(kGradeKeys, key);
}

bool IsXrayModality(std::string_view modality) {
  // spec: domain.md §2 pregnancy "any exam that uses X-rays (DR/CR/DX/RF/MG/CT/DSA)".
  static constexpr std::array<std::string_view, 7> kXray = {"DR", "CR", "DX", "RF",
                                                            "MG", "CT", "DSA"};
  return std::find(kXray.begin(), kXray.end(), modality) != kXray.end();
}

bool IsXrayExam(const ExamFacts& exam) { return exam.xray || IsXrayModality(exam.modality); }

std::optional<int> ScreeningAgeOn(const PatientFacts& patient, Date today) {
  if (patient.birth_date) return AgeOn(*patient.birth_date, today);
  if (!patient.estimated_age) return std::nullopt;
  const int since = patient.estimated_on ? AgeOn(*patient.estimated_on, today) : 0;
  return *patient.estimated_age + std::max(0, since);
}

int PostConceptionDays(int gestational_days_lmp) {
  return gestational_days_lmp - kConceptionOffsetDays;
}

std::optional<int> GestationalDaysOn(const PregnancyRecord& p, Date today) {
  std::optional<int> days;
  if (p.gestational_days_lmp) {
    if (p.assessed_on && *p.assessed_on > today) return std::nullopt;
    days = *p.gestational_days_lmp + (p.assessed_on ? DaysBetween(*p.assessed_on, today) : 0);
  } else if (p.lmp_date) {
    days = DaysBetween(*p.lmp_date, today);
  }
  if (!days || *days < 0 || *days > kMaxPlausibleGestationalDays) return std::nullopt;
  return days;
}

bool InProtectedWindow(int gestational_days_lmp) {
  const int pc = PostConceptionDays(gestational_days_lmp);
  return pc >= kProtectedFirstDay && pc <= kProtectedLastDay;
}

std::string FormatWeeksDays(int days) {
  if (days < 0) return "";
  return std::to_string(days / 7) + "周+" + std::to_string(days % 7) + "天";
}

std::string FormatGestationalAge(int gestational_days_lmp) {
  if (gestational_days_lmp < 0) return "";
  const int pc = PostConceptionDays(gestational_days_lmp);
  const std::string second = pc < 0 ? "尚未受孕" : "受孕后" + FormatWeeksDays(pc);
  return "孕" + FormatWeeksDays(gestational_days_lmp) + " (" + second + ")";
}

bool IsCompleteOverride(const PregnancyOverride& o) {
  return !IsBlank(o.reason) && o.approver_id && *o.approver_id > 0 && !IsBlank(o.signer_name) &&
         IsPatientOrLinealRelative(o.signer_relation);
}

bool IsCompleteConsent(const ConsentRecord& c) {
  if (IsBlank(c.signer_name) || IsBlank(c.signer_relation) || !c.signed_at) return false;
  // spec: regulations.md §3 — pregnancy consent by the patient or a lineal relative (直系亲属).
  if (c.type == "pregnancy") return IsPatientOrLinealRelative(c.signer_relation);
  return true;
}

namespace {

bool SamePregnancy(const PregnancyRecord& a, const PregnancyRecord& b) {
  return a.status == b.status && a.gestational_days_lmp == b.gestational_days_lmp &&
         a.assessed_on == b.assessed_on && a.lmp_date == b.lmp_date &&
         a.dating_method == b.dating_method;
}

}  // namespace

std::vector<std::string> VoidChangedApprovals(const ScreeningRecord& before,
                                              ScreeningRecord& after) {
  std::vector<std::string> voided;
  const bool pregnancy_changed = !SamePregnancy(before.pregnancy, after.pregnancy);
  if (before.pregnancy_override && before.pregnancy_override->approver_id) {
    const PregnancyOverride& was = *before.pregnancy_override;
    auto& now = after.pregnancy_override;
    const bool same = now && now->approver_id == was.approver_id && now->reason == was.reason &&
                      now->signer_name == was.signer_name &&
                      now->signer_relation == was.signer_relation && !pregnancy_changed;
    if (!same) {
      if (now) now->approver_id.reset();
      voided.emplace_back("pregnancy_override");
    }
  }
  // The other approvals are written by the approvals route only; here their facts can change.
  if (before.gadolinium_pregnancy_justification && pregnancy_changed) {
    after.gadolinium_pregnancy_justification.reset();
  }
  if (before.low_egfr_approval && (before.contrast.egfr != after.contrast.egfr ||
                                   before.contrast.egfr_date != after.contrast.egfr_date)) {
    after.low_egfr_approval.reset();
    voided.emplace_back("low_egfr");
  }
  if (before.severe_reaction_override &&
      (before.contrast.prior_reaction_grade != after.contrast.prior_reaction_grade ||
       before.contrast.prior_reaction_agent != after.contrast.prior_reaction_agent)) {
    after.severe_reaction_override.reset();
    voided.emplace_back("severe_reaction");
  }
  if (before.gadolinium_pregnancy_justification && !after.gadolinium_pregnancy_justification) {
    voided.emplace_back("gadolinium_pregnancy");
  }
  const MrQuestionnaire& was = before.mr;
  const MrQuestionnaire& now = after.mr;
  if (before.mr_clearance && (was.active_implant != now.active_implant ||
                              was.ferromagnetic_implant != now.ferromagnetic_implant ||
                              was.metal_foreign_body != now.metal_foreign_body ||
                              was.implant_detail != now.implant_detail)) {
    after.mr_clearance.reset();
    voided.emplace_back("mr_clearance");
  }
  return voided;
}

std::string_view ApprovalFor(std::string_view gate_key) {
  if (gate_key == "pregnancy_blocked_8_15_weeks" || gate_key == "pregnancy_unknown_age_blocked") {
    return "pregnancy_override";
  }
  if (gate_key == "mr_implant") return "mr_clearance";
  if (gate_key == "egfr_low") return "low_egfr";
  if (gate_key == "severe_prior_reaction") return "severe_reaction";
  if (gate_key == "gadolinium_pregnancy") return "gadolinium_pregnancy";
  return "";
}

std::vector<std::string> MrImplantsOf(const PatientFacts& patient, const MrQuestionnaire& mr) {
  // A flag on the patient record stands until answered no with a note saying why.
  const bool noted = !IsBlank(mr.flag_note);
  const auto counts = [&](const std::optional<bool>& answer, bool flag) {
    if (answer) return *answer || (flag && !noted);
    return flag;
  };
  std::vector<std::string> kinds;
  if (counts(mr.active_implant, patient.has_pacemaker)) kinds.emplace_back(kMrImplantKinds[0]);
  if (counts(mr.ferromagnetic_implant, patient.has_ferromagnetic_implant)) {
    kinds.emplace_back(kMrImplantKinds[1]);
  }
  if (mr.metal_foreign_body.value_or(false)) kinds.emplace_back(kMrImplantKinds[2]);
  return kinds;
}

std::vector<Notice> Notices(const PatientFacts& patient, const ExamFacts& exam,
                            const ScreeningRecord& record) {
  std::vector<Notice> out;
  if (exam.modality != "MR") return out;
  const MrQuestionnaire& q = record.mr;
  if (q.tattoo.value_or(false)) {
    out.push_back({"mr_tattoo",
                   "tattoo or permanent make-up: it may heat; ask the patient to report warmth"});
  }
  if (q.claustrophobia.value_or(false)) {
    out.push_back({"mr_claustrophobia",
                   "claustrophobia: prepare the patient; sedation (with its consent) or another "
                   "exam is the radiologist's decision"});
  }
  const PregnancyStatus p = record.pregnancy.status;
  if (patient.sex != 'M' &&
      (p == PregnancyStatus::kPregnant || p == PregnancyStatus::kPossiblyPregnant)) {
    out.push_back({"mr_pregnancy",
                   "pregnant or possibly pregnant: MR without contrast has no gate; gadolinium "
                   "needs a radiologist's justification"});
  }
  if (q.previous_mr.value_or(false)) {
    out.push_back({"mr_previous", "earlier MR exam: compare, and ask about problems then"});
  }
  const bool overruled = (patient.has_pacemaker && q.active_implant == false) ||
                         (patient.has_ferromagnetic_implant && q.ferromagnetic_implant == false);
  if (overruled && !IsBlank(q.flag_note)) {
    out.push_back(
        {"mr_flag_overruled",
         "the patient record flags an implant that the questionnaire answers no: " + q.flag_note});
  }
  return out;
}

std::vector<FieldError> MrAnswerErrors(const PatientFacts& patient, const MrQuestionnaire& mr) {
  std::vector<FieldError> errors;
  const bool noted = !IsBlank(mr.flag_note);
  if (patient.has_pacemaker && mr.active_implant == false && !noted) {
    errors.push_back({"mr.active_implant", "patient_flag",
                      "the patient record flags a pacemaker: answering no needs a note saying "
                      "why (mr.flag_note)"});
  }
  if (patient.has_ferromagnetic_implant && mr.ferromagnetic_implant == false && !noted) {
    errors.push_back({"mr.ferromagnetic_implant", "patient_flag",
                      "the patient record flags a ferromagnetic implant: answering no needs a "
                      "note saying why (mr.flag_note)"});
  }
  const bool any_yes = mr.active_implant.value_or(false) ||
                       mr.ferromagnetic_implant.value_or(false) ||
                       mr.metal_foreign_body.value_or(false);
  if (any_yes && IsBlank(mr.implant_detail)) {
    errors.push_back({"mr.implant_detail", "required",
                      "name the implant or foreign body (and its MR-conditional labelling)"});
  }
  return errors;
}

std::vector<FieldError> ConsentErrors(const std::vector<ConsentRecord>& consents) {
  std::vector<FieldError> errors;
  for (std::size_t i = 0; i < consents.size(); ++i) {
    const ConsentRecord& c = consents[i];
    const std::string at = "consents[" + std::to_string(i) + "].";
    if (IsBlank(c.type)) errors.push_back({at + "type", "required", "name the consent type"});
    if (IsBlank(c.signer_name)) {
      errors.push_back({at + "signer_name", "required",
                        "the signer is required: the patient, a lineal relative or a guardian"});
    }
    if (IsBlank(c.signer_relation)) {
      errors.push_back({at + "signer_relation", "required", "say who signed"});
    } else if (c.signer_relation != kRelationPatient &&
               c.signer_relation != kRelationLinealRelative &&
               c.signer_relation != kRelationGuardian) {
      errors.push_back(
          {at + "signer_relation", "enum", "must be one of: patient, lineal_relative, guardian"});
    } else if (c.signer_relation != kRelationPatient && IsBlank(c.relation_detail)) {
      errors.push_back({at + "relation_detail", "required",
                        "say how the signer is related to the patient (e.g. daughter, father)"});
    }
  }
  return errors;
}

bool ChangeNeedsReason(ExamState state) {
  switch (state) {
    case ExamState::kInProgress:
    case ExamState::kAcquired:
    case ExamState::kPreliminary:
    case ExamState::kFinal:
    case ExamState::kAmended:
      return true;
    default:
      return false;
  }
}

std::vector<std::string> ReopenedGates(const std::vector<Gate>& before,
                                       const std::vector<Gate>& after) {
  std::vector<std::string> out;
  for (const Gate& g : after) {
    const bool was_open =
        std::any_of(before.begin(), before.end(), [&](const Gate& b) { return b.key == g.key; });
    if (!was_open) out.push_back(g.key);
  }
  return out;
}

std::optional<FieldError> ApproverRefused(const std::vector<std::string>& roles,
                                          std::string_view needed, bool staff_is_trainee) {
  const auto holds = [&](std::string_view role) {
    return std::find(roles.begin(), roles.end(), role) != roles.end();
  };
  if (staff_is_trainee || holds("trainee")) {
    return FieldError{"gate", "trainee",
                      "a trainee (进修/实习) cannot approve a screening gate: a senior " +
                          std::string(needed) + " must"};
  }
  if (!holds(needed)) {
    return FieldError{"gate", "role", "this approval needs the " + std::string(needed) + " role"};
  }
  return std::nullopt;
}

std::vector<Gate> GatesAwaiting(const std::vector<Gate>& open, const ScreeningRecord& record,
                                const std::vector<std::string>& roles, bool staff_is_trainee) {
  std::vector<Gate> out;
  for (const Gate& g : open) {
    if (!g.overridable || ApprovalFor(g.key).empty()) continue;
    if (ApproverRefused(roles, g.override_by, staff_is_trainee)) continue;
    if (ApprovalFor(g.key) == "pregnancy_override") {
      const auto& o = record.pregnancy_override;
      if (!o || IsBlank(o->reason) || IsBlank(o->signer_name)) continue;
    }
    out.push_back(g);
  }
  return out;
}

std::vector<Gate> OpenGates(const PatientFacts& patient, const ExamFacts& exam,
                            const ScreeningRecord& record, const ScreeningSettings& settings,
                            Date today) {
  std::vector<Gate> gates;
  PregnancyGates(gates, patient, exam, record, settings, today);
  // spec: domain.md §2 shielding — for every X-ray exam: used, or not used with a reason.
  if (IsXrayExam(exam) && (!record.shielding ||
                           (!record.shielding->used && IsBlank(record.shielding->reason_if_not)))) {
    Open(gates, "shielding",
         "record the shielding of sensitive organs near the field: used, or not used with a "
         "reason");
  }
  if (exam.modality == "MR") MrGates(gates, patient, record, settings, today);
  ContrastGates(gates, patient, exam, record, settings, today);
  return gates;
}

}  // namespace radqs::exam
