#include "exam/screening.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

namespace radqs::exam {
namespace {

Date D(const char* text) { return *ParseDate(text); }

const Date kToday = D("2026-06-15");
const Micros kSignedAt = StartOfLocalDate(D("2026-06-15")) + 9 * kMicrosPerHour;

PatientFacts Woman() { return PatientFacts{.sex = 'F', .birth_date = D("1990-01-01")}; }
PatientFacts Man() { return PatientFacts{.sex = 'M', .birth_date = D("1990-01-01")}; }

ExamFacts CtPelvis() {
  return ExamFacts{.modality = "CT", .xray = true, .lower_abdomen_pelvis = true};
}
ExamFacts ChestDr() { return ExamFacts{.modality = "DR", .xray = true}; }
ExamFacts MrPelvis() { return ExamFacts{.modality = "MR", .lower_abdomen_pelvis = true}; }
ExamFacts MrGadolinium() {
  return ExamFacts{.modality = "MR", .contrast = true, .contrast_kind = "gadolinium"};
}
ExamFacts CtIodinated() {
  return ExamFacts{.modality = "CT", .xray = true, .contrast = true, .contrast_kind = "iodinated"};
}

// The MR questionnaire answered no to every question.
MrQuestionnaire NoMrRisks() {
  return MrQuestionnaire{.active_implant = false,
                         .ferromagnetic_implant = false,
                         .metal_foreign_body = false,
                         .tattoo = false,
                         .claustrophobia = false,
                         .previous_mr = false};
}

// A record that closes the gates every X-ray or MR exam of a woman has: asked, not pregnant,
// shielded, the MR questions answered no.
ScreeningRecord Baseline() {
  ScreeningRecord r;
  r.pregnancy.status = PregnancyStatus::kNotPregnant;
  r.shielding = ShieldingRecord{.used = true};
  r.mr = NoMrRisks();
  return r;
}

ScreeningRecord Pregnant(int gestational_days_lmp) {
  ScreeningRecord r = Baseline();
  r.pregnancy.status = PregnancyStatus::kPregnant;
  r.pregnancy.gestational_days_lmp = gestational_days_lmp;
  r.pregnancy.dating_method = DatingMethod::kUltrasound;
  return r;
}

PregnancyOverride CompleteOverride() {
  return PregnancyOverride{.reason = "suspected appendicitis, ultrasound inconclusive",
                           .approver_id = 42,
                           .signer_name = "王芳",
                           .signer_relation = "patient"};
}

ConsentRecord Consent(std::string type, std::string relation = "patient") {
  return ConsentRecord{.type = std::move(type),
                       .signer_name = "王芳",
                       .signer_relation = std::move(relation),
                       .signed_at = kSignedAt};
}

Approval Approved(std::int64_t by = 7, std::string reason = "benefit outweighs the risk") {
  return Approval{.approver_id = by, .reason = std::move(reason)};
}

std::vector<std::string> Keys(const std::vector<Gate>& gates) {
  std::vector<std::string> keys;
  for (const Gate& g : gates) keys.push_back(g.key);
  return keys;
}

std::vector<std::string> Gates(const PatientFacts& p, const ExamFacts& e, const ScreeningRecord& r,
                               const ScreeningSettings& s = {}) {
  return Keys(OpenGates(p, e, r, s, kToday));
}

bool Has(const std::vector<std::string>& keys, std::string_view key) {
  return std::find(keys.begin(), keys.end(), key) != keys.end();
}

const Gate* Find(const std::vector<Gate>& gates, std::string_view key) {
  for (const Gate& g : gates) {
    if (g.key == key) return &g;
  }
  return nullptr;
}

using Strings = std::vector<std::string>;

// --- helpers ---------------------------------------------------------------------------------

TEST(Screening, BothReckonings) {
  EXPECT_EQ(PostConceptionDays(87), 73);
  EXPECT_EQ(PostConceptionDays(10), -4);
  EXPECT_EQ(FormatWeeksDays(73), "10周+3天");
  EXPECT_EQ(FormatWeeksDays(0), "0周+0天");
  EXPECT_EQ(FormatWeeksDays(-1), "");
  EXPECT_EQ(FormatGestationalAge(87), "孕12周+3天 (受孕后10周+3天)");
  EXPECT_EQ(FormatGestationalAge(70), "孕10周+0天 (受孕后8周+0天)");
  EXPECT_EQ(FormatGestationalAge(14), "孕2周+0天 (受孕后0周+0天)");
  EXPECT_EQ(FormatGestationalAge(9), "孕1周+2天 (尚未受孕)");
  EXPECT_EQ(FormatGestationalAge(-3), "");
}

TEST(Screening, ProtectedWindowIsPostConceptionWeeks8To15) {
  EXPECT_FALSE(InProtectedWindow(69));   // LMP 9+6 = post-conception 7+6
  EXPECT_TRUE(InProtectedWindow(70));    // LMP 10+0 = 8+0
  EXPECT_TRUE(InProtectedWindow(125));   // LMP 17+6 = 15+6
  EXPECT_FALSE(InProtectedWindow(126));  // LMP 18+0 = 16+0
}

TEST(Screening, GestationalAgeOnToday) {
  PregnancyRecord p;
  EXPECT_EQ(GestationalDaysOn(p, kToday), std::nullopt);
  p.lmp_date = Date{kToday.days - 70};
  EXPECT_EQ(GestationalDaysOn(p, kToday), 70);
  p.lmp_date = Date{kToday.days + 1};  // in the future: not plausible
  EXPECT_EQ(GestationalDaysOn(p, kToday), std::nullopt);
  p.lmp_date = Date{kToday.days - 400};  // beyond 44 weeks
  EXPECT_EQ(GestationalDaysOn(p, kToday), std::nullopt);
  // An explicit (e.g. ultrasound) age wins over the LMP date and is advanced from its date.
  p.lmp_date = Date{kToday.days - 50};
  p.gestational_days_lmp = 60;
  EXPECT_EQ(GestationalDaysOn(p, kToday), 60);
  p.assessed_on = Date{kToday.days - 10};
  EXPECT_EQ(GestationalDaysOn(p, kToday), 70);
  p.assessed_on = Date{kToday.days + 1};
  EXPECT_EQ(GestationalDaysOn(p, kToday), std::nullopt);
  p.assessed_on.reset();
  p.gestational_days_lmp = -1;
  EXPECT_EQ(GestationalDaysOn(p, kToday), std::nullopt);
}

TEST(Screening, Keys) {
  EXPECT_EQ(PregnancyStatusKey(PregnancyStatus::kPossiblyPregnant), "possibly_pregnant");
  EXPECT_EQ(ParsePregnancyStatus("not_asked"), PregnancyStatus::kNotAsked);
  EXPECT_EQ(ParsePregnancyStatus("yes"), std::nullopt);
  EXPECT_EQ(DatingMethodKey(DatingMethod::kUltrasound), "ultrasound");
  EXPECT_EQ(ParseDatingMethod("lmp"), DatingMethod::kLmp);
  EXPECT_EQ(ReactionGradeKey(ReactionGrade::kSevere), "severe");
  EXPECT_EQ(ParseReactionGrade("moderate"), ReactionGrade::kModerate);
  EXPECT_EQ(ParseReactionGrade("Severe"), std::nullopt);
  EXPECT_TRUE(IsXrayModality("DSA"));
  EXPECT_TRUE(IsXrayModality("MG"));
  EXPECT_FALSE(IsXrayModality("MR"));
  EXPECT_FALSE(IsXrayModality("US"));
  EXPECT_FALSE(IsXrayModality("other"));
}

// --- pregnancy question ----------------------------------------------------------------------

TEST(Screening, PregnancyQuestionAgeBandEdges) {
  ScreeningRecord r = Baseline();
  r.pregnancy.status = PregnancyStatus::kNotAsked;
  auto aged = [](const char* birth) {
    PatientFacts p = Woman();
    p.birth_date = D(birth);
    return p;
  };
  // kToday is 2026-06-15.
  EXPECT_FALSE(Has(Gates(aged("2011-06-16"), ChestDr(), r), "pregnancy_question"));  // 14
  EXPECT_TRUE(Has(Gates(aged("2011-06-15"), ChestDr(), r), "pregnancy_question"));   // 15 today
  EXPECT_TRUE(Has(Gates(aged("1976-06-16"), ChestDr(), r), "pregnancy_question"));   // 49
  EXPECT_FALSE(Has(Gates(aged("1976-06-15"), ChestDr(), r), "pregnancy_question"));  // 50 today
  // The band is a setting.
  ScreeningSettings s;
  s.childbearing_age_max = 50;
  EXPECT_TRUE(Has(Gates(aged("1976-06-15"), ChestDr(), r, s), "pregnancy_question"));
}

TEST(Screening, PregnancyQuestionOnlyForXrayAndClosedByAnswer) {
  ScreeningRecord r = Baseline();
  r.pregnancy.status = PregnancyStatus::kNotAsked;
  EXPECT_EQ(Gates(Woman(), ChestDr(), r), Strings{"pregnancy_question"});
  for (const char* m : {"DR", "CR", "DX", "RF", "MG", "CT", "DSA"}) {
    EXPECT_TRUE(Has(Gates(Woman(), ExamFacts{.modality = m}, r), "pregnancy_question")) << m;
  }
  // Flagged as dose relevant even with an unusual modality key.
  EXPECT_TRUE(
      Has(Gates(Woman(), ExamFacts{.modality = "other", .xray = true}, r), "pregnancy_question"));
  EXPECT_TRUE(Gates(Woman(), ExamFacts{.modality = "US"}, r).empty());
  // Before an MR exam it is one of the MR questions, not an X-ray gate.
  EXPECT_EQ(Gates(Woman(), MrPelvis(), r), Strings{"mr_questionnaire"});
  r.pregnancy.status = PregnancyStatus::kNotPregnant;
  EXPECT_TRUE(Gates(Woman(), ChestDr(), r).empty());
  const Gate* g = nullptr;
  r.pregnancy.status = PregnancyStatus::kNotAsked;
  const auto gates = OpenGates(Woman(), ChestDr(), r, {}, kToday);
  g = Find(gates, "pregnancy_question");
  ASSERT_NE(g, nullptr);
  EXPECT_FALSE(g->overridable);
  EXPECT_EQ(g->override_by, "");
}

// spec: domain.md §2 — an unidentified patient (无名氏) has an estimated age, maybe no sex.
TEST(Screening, UnidentifiedPatientsAreAskedByTheirEstimatedAge) {
  ScreeningRecord r = Baseline();
  r.pregnancy.status = PregnancyStatus::kNotAsked;
  // An unidentified woman of about 25, registered today: no birth date, the estimate counts.
  const PatientFacts about25{.sex = 'F', .estimated_age = 25, .estimated_on = kToday};
  EXPECT_EQ(ScreeningAgeOn(about25, kToday), 25);
  EXPECT_EQ(Gates(about25, CtPelvis(), r), Strings{"pregnancy_question"});
  const auto gates = OpenGates(about25, CtPelvis(), r, {}, kToday);
  EXPECT_NE(gates[0].message.find("estimated age 25"), std::string::npos) << gates[0].message;
  // The estimate ages with the years since it was made: 48 five years ago is 53 now.
  const PatientFacts was48{.sex = 'F', .estimated_age = 48, .estimated_on = D("2021-06-15")};
  EXPECT_EQ(ScreeningAgeOn(was48, kToday), 53);
  EXPECT_FALSE(Has(Gates(was48, CtPelvis(), r), "pregnancy_question"));
  const PatientFacts about70{.sex = 'F', .estimated_age = 70, .estimated_on = kToday};
  EXPECT_FALSE(Has(Gates(about70, CtPelvis(), r), "pregnancy_question"));
  // Sex unknown: asked like a woman; an age not known at all: asked.
  const PatientFacts unknown_sex{.sex = 'U', .estimated_age = 30, .estimated_on = kToday};
  EXPECT_EQ(Gates(unknown_sex, CtPelvis(), r), Strings{"pregnancy_question"});
  EXPECT_TRUE(Has(Gates(PatientFacts{.sex = 'U'}, ChestDr(), r), "pregnancy_question"));
  EXPECT_TRUE(Has(Gates(PatientFacts{.sex = 'F'}, ChestDr(), r), "pregnancy_question"));
  EXPECT_EQ(ScreeningAgeOn(PatientFacts{.sex = 'F'}, kToday), std::nullopt);
  // A birth date wins over an estimate; a man of unknown age is never asked.
  const PatientFacts dated{
      .sex = 'F', .birth_date = D("1950-01-01"), .estimated_age = 25, .estimated_on = kToday};
  EXPECT_FALSE(Has(Gates(dated, ChestDr(), r), "pregnancy_question"));
  EXPECT_TRUE(Gates(PatientFacts{.sex = 'M'}, ChestDr(), r).empty());
  // The answer closes it as for anyone.
  r.pregnancy.status = PregnancyStatus::kNotPregnant;
  EXPECT_TRUE(Gates(unknown_sex, CtPelvis(), r).empty());
}

TEST(Screening, MalesAreNeverAsked) {
  ScreeningRecord r = Baseline();
  r.pregnancy.status = PregnancyStatus::kNotAsked;
  EXPECT_TRUE(Gates(Man(), CtPelvis(), r).empty());
  // A stray pregnancy status on a male record opens nothing either.
  r = Pregnant(80);
  EXPECT_TRUE(Gates(Man(), CtPelvis(), r).empty());
  EXPECT_TRUE(Gates(Man(), MrGadolinium(), r) == Strings{"contrast_consent"});
}

// --- the 8–15-week block ---------------------------------------------------------------------

TEST(Screening, LowerAbdomenBlockBoundariesExactly) {
  EXPECT_EQ(Gates(Woman(), CtPelvis(), Pregnant(69)), Strings{"pregnancy_consent"});
  EXPECT_EQ(Gates(Woman(), CtPelvis(), Pregnant(70)), Strings{"pregnancy_blocked_8_15_weeks"});
  EXPECT_EQ(Gates(Woman(), CtPelvis(), Pregnant(125)), Strings{"pregnancy_blocked_8_15_weeks"});
  EXPECT_EQ(Gates(Woman(), CtPelvis(), Pregnant(126)), Strings{"pregnancy_consent"});
}

TEST(Screening, BlockFromTheLmpDateAndForPossiblyPregnant) {
  ScreeningRecord r = Baseline();
  r.pregnancy.status = PregnancyStatus::kPossiblyPregnant;
  r.pregnancy.lmp_date = Date{kToday.days - 70};
  r.pregnancy.dating_method = DatingMethod::kLmp;
  const auto gates = OpenGates(Woman(), CtPelvis(), r, {}, kToday);
  ASSERT_EQ(Keys(gates), Strings{"pregnancy_blocked_8_15_weeks"});
  EXPECT_TRUE(gates[0].overridable);
  EXPECT_EQ(gates[0].override_by, "radiologist");
  EXPECT_NE(gates[0].message.find("孕10周+0天 (受孕后8周+0天)"), std::string::npos);
  r.pregnancy.lmp_date = Date{kToday.days - 69};
  EXPECT_EQ(Gates(Woman(), CtPelvis(), r), Strings{"pregnancy_consent"});
}

TEST(Screening, BlockAppliesOnlyToLowerAbdomenXray) {
  // The same pregnancy, chest radiograph: consent, not a block.
  EXPECT_EQ(Gates(Woman(), ChestDr(), Pregnant(90)), Strings{"pregnancy_consent"});
  // MR of the pelvis: no pregnancy gate at all.
  EXPECT_TRUE(Gates(Woman(), MrPelvis(), Pregnant(90)).empty());
}

TEST(Screening, PregnantWithUnknownAgeIsBlocked) {
  ScreeningRecord r = Baseline();
  r.pregnancy.status = PregnancyStatus::kPregnant;
  const auto gates = OpenGates(Woman(), CtPelvis(), r, {}, kToday);
  ASSERT_EQ(Keys(gates), Strings{"pregnancy_unknown_age_blocked"});
  EXPECT_EQ(gates[0].override_by, "radiologist");
  // Recording the age outside the window turns the block into the consent gate.
  r.pregnancy.gestational_days_lmp = 200;
  EXPECT_EQ(Gates(Woman(), CtPelvis(), r), Strings{"pregnancy_consent"});
  // The special-need override lifts it.
  r.pregnancy.gestational_days_lmp.reset();
  r.pregnancy_override = CompleteOverride();
  EXPECT_TRUE(Gates(Woman(), CtPelvis(), r).empty());
  // Possibly pregnant with an unknown age is not blocked; she needs the consent.
  r = Baseline();
  r.pregnancy.status = PregnancyStatus::kPossiblyPregnant;
  EXPECT_EQ(Gates(Woman(), CtPelvis(), r), Strings{"pregnancy_consent"});
}

TEST(Screening, SpecialNeedOverrideMustBeComplete) {
  ScreeningRecord r = Pregnant(90);
  r.pregnancy_override = CompleteOverride();
  EXPECT_TRUE(Gates(Woman(), CtPelvis(), r).empty());  // no separate consent: the override is it
  r.pregnancy_override->signer_relation = "lineal_relative";
  EXPECT_TRUE(Gates(Woman(), CtPelvis(), r).empty());

  const Strings blocked{"pregnancy_blocked_8_15_weeks"};
  auto broken = [&](auto edit) {
    ScreeningRecord b = r;
    edit(*b.pregnancy_override);
    return Gates(Woman(), CtPelvis(), b);
  };
  EXPECT_EQ(broken([](PregnancyOverride& o) { o.reason = "  "; }), blocked);
  EXPECT_EQ(broken([](PregnancyOverride& o) { o.approver_id.reset(); }), blocked);
  EXPECT_EQ(broken([](PregnancyOverride& o) { o.approver_id = 0; }), blocked);
  EXPECT_EQ(broken([](PregnancyOverride& o) { o.signer_name.clear(); }), blocked);
  EXPECT_EQ(broken([](PregnancyOverride& o) { o.signer_relation = "friend"; }), blocked);
  EXPECT_EQ(broken([](PregnancyOverride& o) { o.signer_relation = ""; }), blocked);
  // A pregnancy consent alone does not lift the block.
  ScreeningRecord c = Pregnant(90);
  c.consents.push_back(Consent("pregnancy"));
  EXPECT_EQ(Gates(Woman(), CtPelvis(), c), blocked);
}

// --- pregnancy consent -----------------------------------------------------------------------

TEST(Screening, PregnancyConsentForOtherXrayExams) {
  ScreeningRecord r = Baseline();
  r.pregnancy.status = PregnancyStatus::kPossiblyPregnant;
  EXPECT_EQ(Gates(Woman(), ChestDr(), r), Strings{"pregnancy_consent"});
  r.consents.push_back(Consent("contrast"));  // the wrong type
  EXPECT_EQ(Gates(Woman(), ChestDr(), r), Strings{"pregnancy_consent"});
  r.consents.push_back(Consent("pregnancy", "friend"));  // not patient / lineal relative
  EXPECT_EQ(Gates(Woman(), ChestDr(), r), Strings{"pregnancy_consent"});
  ConsentRecord unsigned_consent = Consent("pregnancy");
  unsigned_consent.signed_at.reset();
  r.consents.push_back(unsigned_consent);
  EXPECT_EQ(Gates(Woman(), ChestDr(), r), Strings{"pregnancy_consent"});
  r.consents.push_back(Consent("pregnancy", "lineal_relative"));
  EXPECT_TRUE(Gates(Woman(), ChestDr(), r).empty());
}

TEST(Screening, RecordedPregnancyCountsOutsideTheAgeBand) {
  PatientFacts girl = Woman();
  girl.birth_date = D("2013-01-01");  // 13
  EXPECT_EQ(Gates(girl, ChestDr(), Pregnant(50)), Strings{"pregnancy_consent"});
  // Unknown sex never hides a recorded pregnancy.
  PatientFacts unknown = Woman();
  unknown.sex = 'U';
  EXPECT_EQ(Gates(unknown, CtPelvis(), Pregnant(90)), Strings{"pregnancy_blocked_8_15_weeks"});
}

// --- gadolinium --------------------------------------------------------------------------------

TEST(Screening, GadoliniumInPregnancyNeedsJustification) {
  ScreeningRecord r = Pregnant(90);
  r.consents.push_back(Consent("contrast"));
  const auto gates = OpenGates(Woman(), MrGadolinium(), r, {}, kToday);
  ASSERT_EQ(Keys(gates), Strings{"gadolinium_pregnancy"});
  EXPECT_TRUE(gates[0].overridable);
  EXPECT_EQ(gates[0].override_by, "radiologist");
  r.gadolinium_pregnancy_justification = Approved(7, "");
  EXPECT_EQ(Gates(Woman(), MrGadolinium(), r), Strings{"gadolinium_pregnancy"});
  r.gadolinium_pregnancy_justification = Approved();
  EXPECT_TRUE(Gates(Woman(), MrGadolinium(), r).empty());
  // Not pregnant: no gadolinium gate; iodinated: no gadolinium gate.
  ScreeningRecord n = Baseline();
  n.consents.push_back(Consent("contrast"));
  EXPECT_TRUE(Gates(Woman(), MrGadolinium(), n).empty());
  ScreeningRecord p = Pregnant(200);
  p.consents.push_back(Consent("contrast"));
  p.consents.push_back(Consent("pregnancy"));
  EXPECT_TRUE(Gates(Woman(), CtIodinated(), p).empty());
}

// --- shielding -------------------------------------------------------------------------------

TEST(Screening, ShieldingForEveryXrayExam) {
  ScreeningRecord r = Baseline();
  r.shielding.reset();
  EXPECT_EQ(Gates(Man(), ChestDr(), r), Strings{"shielding"});
  EXPECT_EQ(Gates(Man(), ExamFacts{.modality = "CT"}, r), Strings{"shielding"});  // modality only
  EXPECT_TRUE(Gates(Man(), ExamFacts{.modality = "US"}, r).empty());
  EXPECT_TRUE(Gates(Man(), MrPelvis(), r).empty());
  r.shielding = ShieldingRecord{.used = false};
  EXPECT_EQ(Gates(Man(), ChestDr(), r), Strings{"shielding"});
  r.shielding = ShieldingRecord{.used = false, .reason_if_not = " "};
  EXPECT_EQ(Gates(Man(), ChestDr(), r), Strings{"shielding"});
  r.shielding = ShieldingRecord{.used = false, .reason_if_not = "the shield would enter the field"};
  EXPECT_TRUE(Gates(Man(), ChestDr(), r).empty());
  r.shielding = ShieldingRecord{.used = true};
  EXPECT_TRUE(Gates(Man(), ChestDr(), r).empty());
}

// --- MR implants -----------------------------------------------------------------------------

TEST(Screening, MrImplantNeedsRadiologistClearance) {
  PatientFacts p = Man();
  p.has_pacemaker = true;
  ScreeningRecord r = Baseline();
  r.mr.active_implant = true;
  r.mr.implant_detail = "双腔起搏器，MR条件兼容";
  auto gates = OpenGates(p, MrPelvis(), r, {}, kToday);
  ASSERT_EQ(Keys(gates), Strings{"mr_implant"});
  EXPECT_TRUE(gates[0].overridable);
  EXPECT_EQ(gates[0].override_by, "radiologist");
  EXPECT_NE(gates[0].message.find("active implant"), std::string::npos);
  EXPECT_NE(gates[0].message.find("双腔起搏器"), std::string::npos);
  EXPECT_EQ(ApprovalFor(gates[0].key), "mr_clearance");
  // Not an MR exam: no implant gate.
  EXPECT_TRUE(Gates(p, ChestDr(), r).empty());
  // A clearance without a radiologist does not count, nor one given on other implant kinds.
  r.mr_clearance = MrClearance{.note = "MR-conditional per card", .covers = {"active_implant"}};
  EXPECT_EQ(Gates(p, MrPelvis(), r), Strings{"mr_implant"});
  r.mr_clearance->radiologist_id = 42;
  EXPECT_TRUE(Gates(p, MrPelvis(), r).empty());
  r.mr_clearance->covers = {"ferromagnetic_implant"};
  EXPECT_EQ(Gates(p, MrPelvis(), r), Strings{"mr_implant"});
  r.mr_clearance->covers = {};
  EXPECT_EQ(Gates(p, MrPelvis(), r), Strings{"mr_implant"});

  EXPECT_TRUE(Gates(Man(), MrPelvis(), Baseline()).empty());
}

TEST(Screening, MrQuestionnaireMustBeAnswered) {
  ScreeningRecord r = Baseline();
  r.mr = MrQuestionnaire{};
  auto gates = OpenGates(Man(), MrPelvis(), r, {}, kToday);
  ASSERT_EQ(Keys(gates), Strings{"mr_questionnaire"});
  EXPECT_FALSE(gates[0].overridable);
  EXPECT_NE(gates[0].message.find("claustrophobia"), std::string::npos);
  EXPECT_EQ(gates[0].message.find("pregnancy"), std::string::npos) << "a man is not asked";
  // Every question counts: one left open keeps the gate.
  r.mr = NoMrRisks();
  r.mr.previous_mr.reset();
  gates = OpenGates(Man(), MrPelvis(), r, {}, kToday);
  ASSERT_EQ(Keys(gates), Strings{"mr_questionnaire"});
  EXPECT_NE(gates[0].message.find("previous MR"), std::string::npos);
  // A woman of child-bearing age is asked about pregnancy too.
  r.mr = NoMrRisks();
  r.pregnancy.status = PregnancyStatus::kNotAsked;
  gates = OpenGates(Woman(), MrPelvis(), r, {}, kToday);
  ASSERT_EQ(Keys(gates), Strings{"mr_questionnaire"});
  EXPECT_NE(gates[0].message.find("pregnancy"), std::string::npos);
  // No MR question before a CT.
  EXPECT_TRUE(
      Gates(Man(), ChestDr(), ScreeningRecord{.shielding = ShieldingRecord{.used = true}}).empty());
}

TEST(Screening, MrAnswersOpenTheImplantGate) {
  for (auto answer : {&MrQuestionnaire::active_implant, &MrQuestionnaire::ferromagnetic_implant,
                      &MrQuestionnaire::metal_foreign_body}) {
    ScreeningRecord r = Baseline();
    r.mr.*answer = true;
    EXPECT_EQ(Gates(Man(), MrPelvis(), r), Strings{"mr_implant"});
  }
  // Tattoo, claustrophobia, a previous MR and pregnancy open no gate: they are notices.
  ScreeningRecord r = Baseline();
  r.mr.tattoo = true;
  r.mr.claustrophobia = true;
  r.mr.previous_mr = true;
  r.pregnancy.status = PregnancyStatus::kPregnant;
  EXPECT_TRUE(Gates(Woman(), MrPelvis(), r).empty());
  std::vector<std::string> keys;
  for (const Notice& n : Notices(Woman(), MrPelvis(), r)) keys.push_back(n.key);
  EXPECT_EQ(keys, (Strings{"mr_tattoo", "mr_claustrophobia", "mr_pregnancy", "mr_previous"}));
  EXPECT_TRUE(Notices(Woman(), ChestDr(), r).empty());
  EXPECT_TRUE(Notices(Man(), MrPelvis(), Baseline()).empty());
}

TEST(Screening, PatientImplantFlagStandsUntilAnsweredNoWithANote) {
  PatientFacts p = Man();
  p.has_pacemaker = true;
  ScreeningRecord r = Baseline();
  r.mr.active_implant.reset();
  // Unanswered: the flag counts, and the questionnaire is still open.
  EXPECT_EQ(Gates(p, MrPelvis(), r), (Strings{"mr_questionnaire", "mr_implant"}));
  // Answered no without a note: refused at saving, and the flag still counts.
  r.mr.active_implant = false;
  auto errors = MrAnswerErrors(p, r.mr);
  ASSERT_EQ(errors.size(), 1U);
  EXPECT_EQ(errors[0].field, "mr.active_implant");
  EXPECT_EQ(errors[0].rule, "patient_flag");
  EXPECT_EQ(Gates(p, MrPelvis(), r), Strings{"mr_implant"});
  EXPECT_EQ(MrImplantsOf(p, r.mr), Strings{"active_implant"});
  // With the note it is the answer that counts, and the note is shown.
  r.mr.flag_note = "起搏器已于2025年取出";
  EXPECT_TRUE(MrAnswerErrors(p, r.mr).empty());
  EXPECT_TRUE(Gates(p, MrPelvis(), r).empty());
  const auto notices = Notices(p, MrPelvis(), r);
  ASSERT_EQ(notices.size(), 1U);
  EXPECT_EQ(notices[0].key, "mr_flag_overruled");
  EXPECT_NE(notices[0].message.find("取出"), std::string::npos);

  PatientFacts f = Man();
  f.has_ferromagnetic_implant = true;
  EXPECT_EQ(MrAnswerErrors(f, NoMrRisks())[0].field, "mr.ferromagnetic_implant");
  EXPECT_EQ(Gates(f, MrPelvis(), Baseline()), Strings{"mr_implant"});
}

TEST(Screening, ImplantAnsweredYesNamesTheImplant) {
  MrQuestionnaire q = NoMrRisks();
  q.metal_foreign_body = true;
  auto errors = MrAnswerErrors(Man(), q);
  ASSERT_EQ(errors.size(), 1U);
  EXPECT_EQ(errors[0].field, "mr.implant_detail");
  EXPECT_EQ(errors[0].rule, "required");
  q.implant_detail = "右眼金属异物（电焊工）";
  EXPECT_TRUE(MrAnswerErrors(Man(), q).empty());
}

TEST(Screening, ChangingTheImplantAnswersVoidsTheClearance) {
  ScreeningRecord r = Baseline();
  r.mr.ferromagnetic_implant = true;
  r.mr.implant_detail = "髋关节置换（钛合金）";
  r.mr_clearance =
      MrClearance{.radiologist_id = 7, .note = "钛合金，可行", .covers = {"ferromagnetic_implant"}};
  ASSERT_TRUE(Gates(Man(), MrPelvis(), r).empty());
  ScreeningRecord same = r;
  same.mr.tattoo = true;  // not a fact the clearance rests on
  EXPECT_TRUE(VoidChangedApprovals(r, same).empty());
  ScreeningRecord next = r;
  next.mr.implant_detail = "髋关节置换（不锈钢）";
  EXPECT_EQ(VoidChangedApprovals(r, next), Strings{"mr_clearance"});
  EXPECT_FALSE(next.mr_clearance);
  EXPECT_EQ(Gates(Man(), MrPelvis(), next), Strings{"mr_implant"});
}

// --- consents, changes after the start -------------------------------------------------------

TEST(Screening, ConsentSignerIsRequired) {
  std::vector<ConsentRecord> c = {Consent("contrast")};
  EXPECT_TRUE(ConsentErrors(c).empty());
  c[0].signer_name = " ";
  auto errors = ConsentErrors(c);
  ASSERT_EQ(errors.size(), 1U);
  EXPECT_EQ(errors[0].field, "consents[0].signer_name");
  EXPECT_EQ(errors[0].rule, "required");
  c = {Consent("contrast"), Consent("contrast", "lineal_relative")};
  errors = ConsentErrors(c);
  ASSERT_EQ(errors.size(), 1U);
  EXPECT_EQ(errors[0].field, "consents[1].relation_detail");
  c[1].relation_detail = "女儿";
  EXPECT_TRUE(ConsentErrors(c).empty());
  c[1].signer_relation = "guardian";
  EXPECT_TRUE(ConsentErrors(c).empty());
  c[1].signer_relation = "neighbour";
  EXPECT_EQ(ConsentErrors(c)[0].rule, "enum");
  c[1].signer_relation = "";
  EXPECT_EQ(ConsentErrors(c)[0].rule, "required");
  c = {ConsentRecord{.signer_name = "王芳", .signer_relation = "patient"}};
  EXPECT_EQ(ConsentErrors(c)[0].field, "consents[0].type");
}

TEST(Screening, ChangesAfterTheStartNeedAReason) {
  for (auto s : {ExamState::kOrdered, ExamState::kScheduled, ExamState::kArrived,
                 ExamState::kCancelled, ExamState::kNoShow}) {
    EXPECT_FALSE(ChangeNeedsReason(s)) << StateKey(s);
  }
  for (auto s : {ExamState::kInProgress, ExamState::kAcquired, ExamState::kPreliminary,
                 ExamState::kFinal, ExamState::kAmended}) {
    EXPECT_TRUE(ChangeNeedsReason(s)) << StateKey(s);
  }
}

TEST(Screening, ReopenedGatesAreThoseNewlyOpen) {
  ScreeningRecord r = Baseline();
  const auto before = OpenGates(Man(), MrPelvis(), r, {}, kToday);
  ASSERT_TRUE(before.empty());
  r.mr.active_implant = true;
  r.mr.implant_detail = "人工耳蜗";
  r.mr.previous_mr.reset();
  const auto after = OpenGates(Man(), MrPelvis(), r, {}, kToday);
  EXPECT_EQ(ReopenedGates(before, after), (Strings{"mr_questionnaire", "mr_implant"}));
  EXPECT_TRUE(ReopenedGates(after, after).empty());
  EXPECT_TRUE(ReopenedGates(after, before).empty());
}

// --- contrast --------------------------------------------------------------------------------

TEST(Screening, ContrastConsent) {
  ScreeningRecord r = Baseline();
  auto gates = OpenGates(Man(), CtIodinated(), r, {}, kToday);
  ASSERT_EQ(Keys(gates), Strings{"contrast_consent"});
  EXPECT_FALSE(gates[0].overridable);
  r.consents.push_back(Consent("contrast", ""));  // relation missing
  EXPECT_EQ(Gates(Man(), CtIodinated(), r), Strings{"contrast_consent"});
  r.consents.push_back(Consent("contrast", "guardian"));  // any relation for contrast
  EXPECT_TRUE(Gates(Man(), CtIodinated(), r).empty());
  // No contrast, no contrast gates.
  EXPECT_TRUE(Gates(Man(), ChestDr(), Baseline()).empty());
}

TEST(Screening, EgfrMissingForEachRiskFlag) {
  ScreeningRecord base = Baseline();
  base.consents.push_back(Consent("contrast"));
  EXPECT_TRUE(Gates(Man(), CtIodinated(), base).empty());  // no risk flag: no eGFR needed

  std::vector<ScreeningRecord> flagged(4, base);
  flagged[0].contrast.prior_reaction_grade = ReactionGrade::kMild;
  flagged[1].contrast.asthma_or_allergy = true;
  flagged[2].contrast.metformin = true;
  flagged[3].contrast.hyperthyroidism = true;
  for (const auto& r : flagged) {
    EXPECT_EQ(Gates(Man(), CtIodinated(), r), Strings{"egfr_missing"});
  }
  PatientFacts allergic = Man();
  allergic.contrast_allergy_known = true;
  const auto gates = OpenGates(allergic, CtIodinated(), base, {}, kToday);
  ASSERT_EQ(Keys(gates), Strings{"egfr_missing"});
  EXPECT_FALSE(gates[0].overridable);
  EXPECT_NE(gates[0].message.find("known contrast allergy"), std::string::npos);
}

TEST(Screening, EgfrValidityWindow) {
  ScreeningRecord r = Baseline();
  r.consents.push_back(Consent("contrast"));
  r.contrast.metformin = true;
  r.contrast.egfr = 75;
  EXPECT_EQ(Gates(Man(), CtIodinated(), r), Strings{"egfr_missing"});  // no date
  r.contrast.egfr_date = Date{kToday.days - 90};
  EXPECT_TRUE(Gates(Man(), CtIodinated(), r).empty());
  r.contrast.egfr_date = kToday;
  EXPECT_TRUE(Gates(Man(), CtIodinated(), r).empty());
  r.contrast.egfr_date = Date{kToday.days - 91};
  EXPECT_EQ(Gates(Man(), CtIodinated(), r), Strings{"egfr_missing"});
  r.contrast.egfr_date = Date{kToday.days + 1};  // dated tomorrow: not trusted
  EXPECT_EQ(Gates(Man(), CtIodinated(), r), Strings{"egfr_missing"});
  ScreeningSettings s;
  s.egfr_validity_days = 120;
  r.contrast.egfr_date = Date{kToday.days - 91};
  EXPECT_TRUE(Gates(Man(), CtIodinated(), r, s).empty());
}

TEST(Screening, EgfrLowNeedsRadiologistApproval) {
  ScreeningRecord r = Baseline();
  r.consents.push_back(Consent("contrast"));
  r.contrast.egfr_date = Date{kToday.days - 3};
  r.contrast.egfr = 30;
  EXPECT_TRUE(Gates(Man(), CtIodinated(), r).empty());  // at the threshold is not below it
  r.contrast.egfr = 29.5;
  auto gates = OpenGates(Man(), CtIodinated(), r, {}, kToday);
  ASSERT_EQ(Keys(gates), Strings{"egfr_low"});
  EXPECT_TRUE(gates[0].overridable);
  EXPECT_EQ(gates[0].override_by, "radiologist");
  EXPECT_NE(gates[0].message.find("29.5"), std::string::npos);
  r.low_egfr_approval = Approval{.approver_id = 9};  // no reason
  EXPECT_EQ(Gates(Man(), CtIodinated(), r), Strings{"egfr_low"});
  r.low_egfr_approval = Approved(9, "hydration protocol, oncology staging");
  EXPECT_TRUE(Gates(Man(), CtIodinated(), r).empty());

  // Each contrast kind has its own threshold; an unknown kind uses the stricter one.
  ScreeningRecord g = Baseline();
  g.consents.push_back(Consent("contrast"));
  g.contrast.egfr = 35;
  g.contrast.egfr_date = kToday;
  ScreeningSettings s;
  s.egfr_threshold_gadolinium = 40;
  EXPECT_EQ(Gates(Man(), MrGadolinium(), g, s), Strings{"egfr_low"});
  EXPECT_TRUE(Gates(Man(), CtIodinated(), g, s).empty());
  ExamFacts unknown_kind{.modality = "CT", .xray = true, .contrast = true};
  EXPECT_EQ(Gates(Man(), unknown_kind, g, s), Strings{"egfr_low"});

  // An old low value still counts as low, and is also not current for a flagged patient.
  g.contrast.egfr = 20;
  g.contrast.egfr_date = Date{kToday.days - 200};
  g.contrast.asthma_or_allergy = true;
  EXPECT_EQ(Gates(Man(), CtIodinated(), g), (Strings{"egfr_missing", "egfr_low"}));
}

TEST(Screening, SeverePriorReactionNeedsDirectorOverride) {
  ScreeningRecord r = Baseline();
  r.consents.push_back(Consent("contrast"));
  r.contrast.prior_reaction_grade = ReactionGrade::kSevere;
  r.contrast.prior_reaction_agent = "iohexol";
  r.contrast.egfr = 90;
  r.contrast.egfr_date = kToday;
  auto gates = OpenGates(Man(), CtIodinated(), r, {}, kToday);
  ASSERT_EQ(Keys(gates), Strings{"severe_prior_reaction"});
  EXPECT_TRUE(gates[0].overridable);
  EXPECT_EQ(gates[0].override_by, "director");
  r.severe_reaction_override = Approved(1, "");
  EXPECT_EQ(Gates(Man(), CtIodinated(), r), Strings{"severe_prior_reaction"});
  r.severe_reaction_override = Approved(1, "life-threatening indication, premedicated");
  EXPECT_TRUE(Gates(Man(), CtIodinated(), r).empty());
  // A moderate reaction is a risk flag only.
  r.severe_reaction_override.reset();
  r.contrast.prior_reaction_grade = ReactionGrade::kModerate;
  EXPECT_TRUE(Gates(Man(), CtIodinated(), r).empty());
}

// --- all together ----------------------------------------------------------------------------

TEST(Screening, EverythingOpenThenEverythingClosed) {
  PatientFacts p = Woman();
  p.has_pacemaker = true;  // irrelevant for CT
  ScreeningRecord r;       // nothing recorded
  r.contrast.prior_reaction_grade = ReactionGrade::kSevere;
  EXPECT_EQ(Gates(p, CtIodinated(), r),
            (Strings{"pregnancy_question", "shielding", "contrast_consent", "egfr_missing",
                     "severe_prior_reaction"}));
  r.pregnancy.status = PregnancyStatus::kNotPregnant;
  r.shielding = ShieldingRecord{.used = true};
  r.consents.push_back(Consent("contrast"));
  r.contrast.egfr = 64;
  r.contrast.egfr_date = Date{kToday.days - 30};
  r.severe_reaction_override = Approved(1);
  EXPECT_TRUE(Gates(p, CtIodinated(), r).empty());
}

// --- approvals -------------------------------------------------------------------------------

TEST(Screening, ChangedFactsVoidTheirApproval) {
  ScreeningRecord approved = Pregnant(84);
  approved.pregnancy_override = CompleteOverride();
  ASSERT_TRUE(Gates(Woman(), CtPelvis(), approved).empty());

  // Re-saving the same facts keeps the approval.
  ScreeningRecord same = approved;
  EXPECT_TRUE(VoidChangedApprovals(approved, same).empty());
  EXPECT_EQ(same.pregnancy_override->approver_id, 42);

  // A new reason or signer voids it: the block opens again until a radiologist approves anew.
  for (auto change : {+[](PregnancyOverride& o) { o.reason = "routine follow-up"; },
                      +[](PregnancyOverride& o) { o.signer_name = "李四"; },
                      +[](PregnancyOverride& o) { o.signer_relation = "lineal_relative"; }}) {
    ScreeningRecord next = approved;
    change(*next.pregnancy_override);
    EXPECT_EQ(VoidChangedApprovals(approved, next), Strings{"pregnancy_override"});
    EXPECT_EQ(next.pregnancy_override->approver_id, std::nullopt);
    EXPECT_EQ(Gates(Woman(), CtPelvis(), next), Strings{"pregnancy_blocked_8_15_weeks"});
  }
  // So does a corrected gestational age, even one still inside the window.
  ScreeningRecord redated = approved;
  redated.pregnancy.gestational_days_lmp = 90;
  EXPECT_EQ(VoidChangedApprovals(approved, redated), Strings{"pregnancy_override"});
  EXPECT_EQ(Gates(Woman(), CtPelvis(), redated), Strings{"pregnancy_blocked_8_15_weeks"});
  // Removing the special need removes its approval too.
  ScreeningRecord removed = approved;
  removed.pregnancy_override.reset();
  EXPECT_EQ(VoidChangedApprovals(approved, removed), Strings{"pregnancy_override"});
  // An override not yet approved has nothing to void.
  ScreeningRecord unapproved = approved;
  unapproved.pregnancy_override->approver_id.reset();
  ScreeningRecord edited = unapproved;
  edited.pregnancy_override->reason = "another reason";
  EXPECT_TRUE(VoidChangedApprovals(unapproved, edited).empty());
}

TEST(Screening, ChangedContrastFactsVoidTheirApprovals) {
  ScreeningRecord r = Baseline();
  r.consents.push_back(Consent("contrast"));
  r.contrast.egfr = 25;
  r.contrast.egfr_date = kToday;
  r.contrast.prior_reaction_grade = ReactionGrade::kSevere;
  r.contrast.prior_reaction_agent = "碘海醇";
  r.low_egfr_approval = Approved();
  r.severe_reaction_override = Approved(9);
  ASSERT_TRUE(Gates(Woman(), CtIodinated(), r).empty());

  ScreeningRecord lower = r;
  lower.contrast.egfr = 18;
  EXPECT_EQ(VoidChangedApprovals(r, lower), Strings{"low_egfr"});
  EXPECT_EQ(Gates(Woman(), CtIodinated(), lower), Strings{"egfr_low"});
  ScreeningRecord redated = r;
  redated.contrast.egfr_date = D("2026-06-01");
  EXPECT_EQ(VoidChangedApprovals(r, redated), Strings{"low_egfr"});

  ScreeningRecord agent = r;
  agent.contrast.prior_reaction_agent = "碘克沙醇";
  EXPECT_EQ(VoidChangedApprovals(r, agent), Strings{"severe_reaction"});
  EXPECT_EQ(Gates(Woman(), CtIodinated(), agent), Strings{"severe_prior_reaction"});

  // Facts an approval does not rest on leave it standing.
  ScreeningRecord other = r;
  other.contrast.metformin = true;
  other.shielding = ShieldingRecord{.used = false, .reason_if_not = "in the field"};
  EXPECT_TRUE(VoidChangedApprovals(r, other).empty());
  EXPECT_TRUE(Gates(Woman(), CtIodinated(), other).empty());
}

TEST(Screening, GadoliniumJustificationRestsOnThePregnancyRecord) {
  ScreeningRecord r = Pregnant(90);
  r.consents.push_back(Consent("contrast"));
  r.gadolinium_pregnancy_justification = Approved();
  ASSERT_TRUE(Gates(Woman(), MrGadolinium(), r).empty());
  ScreeningRecord next = r;
  next.pregnancy.gestational_days_lmp = 120;
  EXPECT_EQ(VoidChangedApprovals(r, next), Strings{"gadolinium_pregnancy"});
  EXPECT_EQ(Gates(Woman(), MrGadolinium(), next), Strings{"gadolinium_pregnancy"});
}

TEST(Screening, GatesAwaitingTheCallersApproval) {
  PatientFacts p = Woman();
  ScreeningRecord r = Pregnant(90);
  r.mr.active_implant = true;
  r.mr.implant_detail = "起搏器";
  r.contrast.prior_reaction_grade = ReactionGrade::kSevere;
  r.consents.push_back(Consent("contrast"));
  // A pelvis CT with contrast for a pregnant woman: the block, the severe reaction.
  ExamFacts ct = CtPelvis();
  ct.contrast = true;
  ct.contrast_kind = "iodinated";
  const auto open = OpenGates(p, ct, r, {}, kToday);
  ASSERT_TRUE(Has(Keys(open), "pregnancy_blocked_8_15_weeks"));
  ASSERT_TRUE(Has(Keys(open), "severe_prior_reaction"));
  // The block waits on the technologist until the special need is recorded.
  EXPECT_TRUE(Keys(GatesAwaiting(open, r, {"radiologist"}, false)).empty());
  r.pregnancy_override = CompleteOverride();
  r.pregnancy_override->approver_id.reset();
  EXPECT_EQ(Keys(GatesAwaiting(open, r, {"radiologist"}, false)),
            Strings{"pregnancy_blocked_8_15_weeks"});
  EXPECT_EQ(Keys(GatesAwaiting(open, r, {"director"}, false)), Strings{"severe_prior_reaction"});
  EXPECT_TRUE(GatesAwaiting(open, r, {"radiologist"}, true).empty()) << "a trainee approves none";
  EXPECT_TRUE(GatesAwaiting(open, r, {"technologist"}, false).empty());
  // MR: the implant gate waits for a radiologist; the questionnaire gate for nobody.
  const auto mr = OpenGates(p, MrPelvis(), r, {}, kToday);
  EXPECT_EQ(Keys(GatesAwaiting(mr, r, {"radiologist"}, false)), Strings{"mr_implant"});
}

TEST(Screening, TraineesNeverApprove) {
  EXPECT_EQ(ApproverRefused({"radiologist"}, "radiologist", false), std::nullopt);
  EXPECT_EQ(ApproverRefused({"director"}, "director", false), std::nullopt);
  // A radiologist whose staff record is a trainee (进修/实习).
  auto why = ApproverRefused({"radiologist"}, "radiologist", true);
  ASSERT_TRUE(why);
  EXPECT_EQ(why->field, "gate");
  EXPECT_EQ(why->rule, "trainee");
  // The trainee role wins over any other role held.
  why = ApproverRefused({"radiologist", "trainee"}, "radiologist", false);
  ASSERT_TRUE(why);
  EXPECT_EQ(why->rule, "trainee");
  why = ApproverRefused({"technologist"}, "radiologist", false);
  ASSERT_TRUE(why);
  EXPECT_EQ(why->rule, "role");
  why = ApproverRefused({"radiologist"}, "director", false);
  ASSERT_TRUE(why);
  EXPECT_EQ(why->rule, "role");
}

}  // namespace
}  // namespace radqs::exam
