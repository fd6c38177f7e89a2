// Safety screening before the exam (检查前安全核查): the gates that must all be closed before an
// exam may start — pregnancy, shielding, MR implants, contrast — spec: domain.md §2 "Safety
// screening before the exam", regulations.md §3.
//
// Contract:
// - Pure functions over plain structs, no I/O, no clock: `today` (the local calendar date of the
//   exam) is passed in. Dates are `Date` day numbers of the local calendar.
// - OpenGates answers every gate still open, in a fixed order; the exam may start only when the
//   list is empty. A gate is closed either by recording facts (the question answered, a consent
//   signed, an eGFR entered) or, where `overridable`, by an approval or override from the role in
//   `override_by`. These functions only check that an approval is complete (who, why); checking
//   that the approver really holds that role is the caller's job when it records the approval.
// - The device/start-up-check gate of §2 "Acquisition" needs equipment data and lives with the
//   exam start command, not here.
// - Thread-safe: no shared state.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/time.h"
#include "exam/exam_state.h"

namespace radqs::exam {

// --- inputs ----------------------------------------------------------------------------------

// What is known about the patient (from the patient record).
struct PatientFacts {
  char sex = 'F';  // 'M', 'F', or 'U' (unknown: an unidentified patient), screened like 'F'
  std::optional<Date> birth_date;
  // Without a birth date (an unidentified patient, 无名氏): the age estimated at registration
  // and the local date it was estimated on; the age on `today` counts the years since.
  std::optional<int> estimated_age;
  std::optional<Date> estimated_on;
  bool contrast_allergy_known = false;  // known iodinated-contrast allergy: a risk flag
  bool has_pacemaker = false;
  bool has_ferromagnetic_implant = false;
};

// What the exam item is (from the catalogue item of the order).
struct ExamFacts {
  std::string modality;  // DR CR DX CT MR DSA MG RF US other
  bool xray = false;     // dose relevant; also implied by an X-ray modality (see IsXrayExam)
  bool lower_abdomen_pelvis = false;  // the item touches the lower abdomen or pelvis
  bool contrast = false;              // IV contrast given
  std::string contrast_kind;          // "iodinated" | "gadolinium" | "" (unknown)
  bool paediatric = false;            // informative; no screening gate of §2 depends on it
};

// Pregnancy answer (spec: domain.md §2 pregnancy).
enum class PregnancyStatus { kNotAsked, kNotPregnant, kPossiblyPregnant, kPregnant };
// How the gestational age was dated.
enum class DatingMethod { kUnknown, kLmp, kUltrasound };

// Keys: "not_asked", "not_pregnant", "possibly_pregnant", "pregnant".
std::string_view PregnancyStatusKey(PregnancyStatus s);
std::optional<PregnancyStatus> ParsePregnancyStatus(std::string_view key);
// Keys: "unknown", "lmp", "ultrasound".
std::string_view DatingMethodKey(DatingMethod m);
std::optional<DatingMethod> ParseDatingMethod(std::string_view key);

struct PregnancyRecord {
  PregnancyStatus status = PregnancyStatus::kNotAsked;
  // Gestational age in days counted from the LMP (孕周 reckoning), as assessed on `assessed_on`
  // (or on `today` when that is absent). Takes precedence over `lmp_date` because it may come
  // from ultrasound dating.
  std::optional<int> gestational_days_lmp;
  std::optional<Date> assessed_on;
  std::optional<Date> lmp_date;  // first day of the last menstrual period
  DatingMethod dating_method = DatingMethod::kUnknown;
};

// Relation keys of a signer. Pregnancy consents and the special-need override must be signed by
// the patient or a lineal relative (直系亲属) — spec: regulations.md §3. A consent is signed by
// the patient, a lineal relative or a guardian (监护人); anyone but the patient names how they
// are related (e.g. 女儿, 父亲) — spec: domain.md §2 "informed-consent record (signer, relation,
// time)".
inline constexpr std::string_view kRelationPatient = "patient";
inline constexpr std::string_view kRelationLinealRelative = "lineal_relative";
inline constexpr std::string_view kRelationGuardian = "guardian";

// Documented special need (特殊需要) that lifts the 8–15-week lower-abdomen block.
struct PregnancyOverride {
  std::string reason;
  std::optional<std::int64_t> approver_id;  // the radiologist who approved
  std::string signer_name;
  std::string signer_relation;  // kRelationPatient or kRelationLinealRelative
};

// One informed-consent record. Types are data: "pregnancy", "contrast", "interventional",
// "sedation", ... (spec: domain.md §2 "Consent types are data").
struct ConsentRecord {
  std::string type;
  std::string signer_name;
  std::string signer_relation;  // kRelationPatient, kRelationLinealRelative or kRelationGuardian
  std::optional<Micros> signed_at;
  std::string relation_detail;  // how a signer other than the patient is related: 女儿, 父亲
};

// Shielding of sensitive organs near the field (spec: domain.md §2 shielding).
struct ShieldingRecord {
  bool used = false;
  std::string reason_if_not;  // required when not used, e.g. "the shield would enter the field"
};

// The MR safety questionnaire (MR检查安全筛查), asked before every MR exam — spec: domain.md §2
// "MR: pacemaker or ferromagnetic implant blocks the exam", issue 14 item 6. Each answer is
// nullopt until asked. Pregnancy is asked through ScreeningRecord::pregnancy.
struct MrQuestionnaire {
  // Pacemaker, ICD, neurostimulator, cochlear implant, drug or insulin pump.
  std::optional<bool> active_implant;
  // Aneurysm clip, metal implant or prosthesis whose MR safety is not known to be unconditional.
  std::optional<bool> ferromagnetic_implant;
  // Metal foreign body: shrapnel, metal fragments (the eyes of metal workers).
  std::optional<bool> metal_foreign_body;
  std::optional<bool> tattoo;  // tattoo or permanent make-up (heating)
  std::optional<bool> claustrophobia;
  std::optional<bool> previous_mr;
  std::string implant_detail;  // which implant or foreign body, its MR-conditional labelling
  // Why an answer "no" differs from an implant flag on the patient record (e.g. "起搏器已取出").
  std::string flag_note;
};

// The implant kinds of an MR questionnaire, as stored in a clearance: "active_implant",
// "ferromagnetic_implant", "metal_foreign_body".
inline constexpr std::string_view kMrImplantKinds[] = {"active_implant", "ferromagnetic_implant",
                                                       "metal_foreign_body"};

// MR-conditional clearance of an implant by a radiologist. It covers the implant kinds it was
// given on (`covers`, keys of kMrImplantKinds): a kind reported later opens the gate again.
struct MrClearance {
  std::optional<std::int64_t> radiologist_id;
  std::string note;
  std::vector<std::string> covers;
};

enum class ReactionGrade { kNone, kMild, kModerate, kSevere };
// Keys: "none", "mild", "moderate", "severe".
std::string_view ReactionGradeKey(ReactionGrade g);
std::optional<ReactionGrade> ParseReactionGrade(std::string_view key);

// The contrast questionnaire (spec: domain.md §2 contrast).
struct ContrastChecks {
  ReactionGrade prior_reaction_grade = ReactionGrade::kNone;
  std::string prior_reaction_agent;
  bool asthma_or_allergy = false;
  std::optional<double> egfr;  // mL/min/1.73 m²
  std::optional<Date> egfr_date;
  bool metformin = false;
  bool hyperthyroidism = false;
};

// An approval with its reason, by a person of the role the gate names.
struct Approval {
  std::optional<std::int64_t> approver_id;
  std::string reason;
};

// Everything recorded so far for the exam's screening.
// An accompanying person (陪检者) in the room during the exam; recorded, not a gate.
struct Companion {
  std::string name;
  std::string relation;
  std::string protection;  // protective equipment given, e.g. "铅衣+铅围脖"
};

struct ScreeningRecord {
  PregnancyRecord pregnancy;
  std::optional<PregnancyOverride> pregnancy_override;
  std::vector<ConsentRecord> consents;
  std::optional<ShieldingRecord> shielding;  // absent: not recorded yet
  std::optional<MrClearance> mr_clearance;
  MrQuestionnaire mr;
  ContrastChecks contrast;
  std::optional<Approval> low_egfr_approval;                   // radiologist
  std::optional<Approval> severe_reaction_override;            // director
  std::optional<Approval> gadolinium_pregnancy_justification;  // radiologist
  std::vector<Companion> companions;
};

// Site settings, the versions in force on `today` (settings screening.*; spec: domain.md §2,
// regulations.md preamble; the eGFR thresholds are [check] defaults).
struct ScreeningSettings {
  int childbearing_age_min = 15;          // completed years, inclusive
  int childbearing_age_max = 49;          // completed years, inclusive
  double egfr_threshold_iodinated = 30;   // mL/min/1.73 m²; below it needs approval [check]
  double egfr_threshold_gadolinium = 30;  // mL/min/1.73 m²
  int egfr_validity_days = 90;            // an eGFR older than this does not count (3 months)
};

// --- outputs ---------------------------------------------------------------------------------

// One open gate.
struct Gate {
  std::string key;           // stable key, see OpenGates
  std::string message;       // English, for the UI and the audit list
  bool overridable = false;  // closed by an approval/override rather than by recording facts
  std::string override_by;   // role key that may approve ("radiologist", "director"), or ""
};

// Something the staff must know that closes no gate (tattoo, claustrophobia, ...).
struct Notice {
  std::string key;      // stable key, see Notices
  std::string message;  // English
};

// Every gate still open for this exam, in this order (keys, and what closes each):
// - "pregnancy_question": an X-ray exam, pregnancy status not asked, a patient not recorded 'M'
//   whose age on `today` (ScreeningAgeOn) is within childbearing_age_min..max inclusive, or is
//   unknown → record the answer. An unknown sex or age asks rather than skips.
// - "pregnancy_blocked_8_15_weeks": X-ray touching the lower abdomen/pelvis, pregnant or possibly
//   pregnant, post-conception age within [8w0d, 15w6d] (LMP 10+0 .. 17+6) → complete
//   PregnancyOverride (reason, radiologist approver, signer = patient or lineal relative).
// - "pregnancy_unknown_age_blocked": same item, pregnant, gestational age unknown → the same
//   override (or record the age).
// - "pregnancy_consent": any other X-ray exam of a pregnant or possibly pregnant patient → a
//   complete "pregnancy" ConsentRecord signed by the patient or a lineal relative. Not opened
//   when a block above applies: the override's signature is that exam's consent.
// - "gadolinium_pregnancy": gadolinium, pregnant or possibly pregnant → radiologist's
//   justification (approver + reason). MR without contrast has no pregnancy gate.
// - "shielding": any X-ray exam → ShieldingRecord, used or not used with a reason.
// - "mr_questionnaire": MR and a question of the MR questionnaire not answered (pregnancy too,
//   for a patient not recorded 'M' whom the pregnancy question would be asked before an X-ray
//   exam) → answer it. Not overridable: nothing lets an MR exam start unasked.
// - "mr_implant": MR and an implant kind (MrImplantsOf) not covered by the MrClearance of a
//   radiologist → that clearance (given on the kinds reported).
// - "contrast_consent": contrast → a complete "contrast" ConsentRecord (signer, relation, time).
// - "egfr_missing": contrast, a risk flag (prior reaction, asthma/allergy, metformin,
//   hyperthyroidism, known contrast allergy), and no eGFR dated within egfr_validity_days before
//   `today` (inclusive; a future date does not count) → record an eGFR. Not overridable.
// - "egfr_low": contrast and a recorded eGFR (of any date) strictly below the threshold of the
//   contrast kind (unknown kind: the higher of both thresholds) → radiologist approval + reason.
// - "severe_prior_reaction": contrast and a prior severe reaction (any agent) → director
//   override + reason.
// Sex: every patient not recorded 'M' is asked the pregnancy question (an unidentified patient
// of unknown sex may be a woman), and the gates that follow a recorded pregnant / possibly
// pregnant status apply to them too; males never see a pregnancy gate. A recorded status counts
// at any age, also outside the child-bearing band. A status of not_pregnant ignores any dates.
std::vector<Gate> OpenGates(const PatientFacts& patient, const ExamFacts& exam,
                            const ScreeningRecord& record, const ScreeningSettings& settings,
                            Date today);

// The implant kinds that count for the MR gate, in the order of kMrImplantKinds: a kind answered
// yes, or flagged on the patient record (pacemaker: active implant; ferromagnetic implant) unless
// answered no with a flag_note saying why. An unanswered question with a flag counts the flag.
std::vector<std::string> MrImplantsOf(const PatientFacts& patient, const MrQuestionnaire& mr);

// Informative notices, in this order (none closes or opens a gate; spec: domain.md §2 names no
// gate for them): for an MR exam "mr_tattoo" (tattoo: heating), "mr_claustrophobia" (sedation or
// another modality is the radiologist's call), "mr_pregnancy" (pregnant or possibly pregnant: MR
// without contrast has no gate), "mr_previous" (an earlier MR: compare), "mr_flag_overruled" (a
// patient-record implant flag answered no, with the note).
std::vector<Notice> Notices(const PatientFacts& patient, const ExamFacts& exam,
                            const ScreeningRecord& record);

// --- recording rules -------------------------------------------------------------------------

// Why the MR answers may not be saved: an implant flag of the patient record answered no
// without a flag_note (fields "mr.active_implant" / "mr.ferromagnetic_implant", rule
// "patient_flag"), or an implant or foreign body answered yes without saying which (field
// "mr.implant_detail", rule "required").
std::vector<FieldError> MrAnswerErrors(const PatientFacts& patient, const MrQuestionnaire& mr);

// Why the consents may not be saved, fields "consents[i].<member>": a type, a signer's name
// (rule "required"), a relation among patient / lineal_relative / guardian (rule "required" or
// "enum"), and for a signer other than the patient how they are related (relation_detail,
// "required"). An empty signer is never saved silently.
std::vector<FieldError> ConsentErrors(const std::vector<ConsentRecord>& consents);

// A change to the screening or the acquisition record once the exam has started (in_progress
// and every state after it) needs a reason and is kept as a version (issue 14 item 6).
bool ChangeNeedsReason(ExamState state);

// The gates open in `after` that were not open in `before` (keys, in the order of `after`): a
// change after the start that reopens one is a finding for the QC group.
std::vector<std::string> ReopenedGates(const std::vector<Gate>& before,
                                       const std::vector<Gate>& after);

// --- approvals -------------------------------------------------------------------------------

// The approval keys of the approvals route: "pregnancy_override", "mr_clearance", "low_egfr",
// "severe_reaction", "gadolinium_pregnancy".
//
// The approval that closes a gate ("mr_implant" → "mr_clearance"), or "" for a gate no approval
// closes.
std::string_view ApprovalFor(std::string_view gate_key);
//
// An approval covers the facts it was given on (spec: domain.md §2 "Every gate and override is
// audited"): when `after` changes any of them, the approval in `after` is voided (the approver
// cleared, or the approval removed) so that its gate opens again. Answers the keys voided, in
// the order above. The facts of each approval:
// - pregnancy_override: its reason, signer and relation, and the pregnancy record (status,
//   gestational age, assessment and LMP dates, dating method);
// - gadolinium_pregnancy: the pregnancy record;
// - low_egfr: the eGFR value and its date;
// - severe_reaction: the prior reaction's grade and agent.
// - mr_clearance: the implant answers (active implant, ferromagnetic implant, foreign body) and
//   the implant detail. (A kind flagged later on the patient record is outside the record; the
//   clearance's `covers` keeps the gate open for it.)
std::vector<std::string> VoidChangedApprovals(const ScreeningRecord& before,
                                              ScreeningRecord& after);

// Why the signed-in account may not give an approval that needs the role `needed`, or nothing
// when it may: the role must be held (field "gate", rule "role"), and a trainee (进修 / 实习: the
// trainee role, or a staff record flagged trainee) never approves, whatever other roles the
// account holds (field "gate", rule "trainee") — spec: domain.md §0 "nothing leaves without a
// senior signature".
std::optional<FieldError> ApproverRefused(const std::vector<std::string>& roles,
                                          std::string_view needed, bool staff_is_trainee);

// The open gates an account may close by its approval now, for the physicians' 待审批 list: the
// overridable gates whose role it may approve for (ApproverRefused: the role held, never a
// trainee), a pregnancy block only once the special need and signer are recorded (the approval
// has nothing to approve before).
std::vector<Gate> GatesAwaiting(const std::vector<Gate>& open, const ScreeningRecord& record,
                                const std::vector<std::string>& roles, bool staff_is_trainee);

// --- helpers ---------------------------------------------------------------------------------

// The patient's age in completed years on `today`: from the birth date, else the estimated age
// advanced by the completed years since it was estimated; nullopt when neither is known.
std::optional<int> ScreeningAgeOn(const PatientFacts& patient, Date today);

// True for the X-ray modalities of spec domain.md §2: DR CR DX RF MG CT DSA (exact keys).
bool IsXrayModality(std::string_view modality);
// An exam uses X-rays when flagged so or when its modality is an X-ray modality: either signal
// opens the X-ray gates, so a mis-set flag cannot silently skip them.
bool IsXrayExam(const ExamFacts& exam);

// Post-conception (受孕后) age in days = gestational (LMP) age − 14 days (spec: domain.md §2,
// regulations.md §3). Negative when the LMP age is under 2 weeks (not yet conceived).
int PostConceptionDays(int gestational_days_lmp);

// The gestational (LMP) age in days on `today`, or nullopt when unknown or not plausible
// (negative, an assessment or LMP date after `today`, or more than 44 weeks = 308 days, which
// is a data error). From `gestational_days_lmp` advanced by the days since `assessed_on`, else
// from `lmp_date`.
std::optional<int> GestationalDaysOn(const PregnancyRecord& p, Date today);

// True when the post-conception age lies in the protected window [8w0d, 15w6d], i.e. LMP age
// in [70, 125] days (spec: regulations.md §3 "weeks 8 and 15 after conception").
bool InProtectedWindow(int gestational_days_lmp);

// "10周+3天" for 73 days; "" for negative input.
std::string FormatWeeksDays(int days);

// Both reckonings, as the UI shows them (spec: regulations.md §3 "the UI shows both"):
// 87 → "孕12周+3天 (受孕后10周+3天)"; under 14 days → "孕1周+2天 (尚未受孕)"; negative → "".
std::string FormatGestationalAge(int gestational_days_lmp);

// True when the override has a reason, a radiologist approver and a signer who is the patient or
// a lineal relative.
bool IsCompleteOverride(const PregnancyOverride& o);
// True when the consent has a signer, a relation and a signing time; for type "pregnancy" the
// relation must also be the patient or a lineal relative.
bool IsCompleteConsent(const ConsentRecord& c);

}  // namespace radqs::exam
