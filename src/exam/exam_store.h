// SQL of the exam module. Private to src/exam: other modules use the routes' headers only.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "exam/patient.h"
#include "exam/patient_access.h"
#include "platform/auth/principal.h"
#include "platform/db/database.h"

namespace radqs::exam::store {

std::optional<Patient> LoadPatient(db::Transaction& tx, std::int64_t id);
// The patients by id without their identity documents: what screening facts need (one query).
std::map<std::int64_t, Patient> PatientFactsById(db::Transaction& tx,
                                                 const std::vector<std::int64_t>& ids);
// The patient if registered at one of the scope's sites — spec: domain.md §9.
std::optional<Patient> LoadPatient(db::Transaction& tx, std::int64_t id,
                                   const auth::SiteScope& scope);
// Name or pinyin prefix, patient or record number, phone, or an identity number (exact), among
// the patients of the scope's sites. The matches come in kinds, each walked in its index's order
// so that a page costs the same whatever the match count: exact numbers first (by id), then name
// prefix (by name, id), then pinyin key, then pinyin initials; a patient appears once, under the
// first kind it matches. Four digits (the last may be X) also find the patients whose phone or
// identity number ends in them (kind last4, by id, after the exact numbers), as a desk asks
// "the last four of your ID card". A page resumes after `after` (the kind and id of the last one
// shown).
enum class MatchKind { kNumber, kLastDigits, kName, kPinyin, kInitials };
struct PatientMatch {
  MatchKind kind;
  Patient patient;
};
struct SearchCursor {
  MatchKind kind = MatchKind::kNumber;
  std::int64_t after_id = 0;  // 0: from the kind's start
};
std::vector<PatientMatch> SearchPatients(db::Transaction& tx, const std::string& q,
                                         const SearchCursor& after, int limit,
                                         const auth::SiteScope& scope);
std::string_view KindName(MatchKind kind);  // number, last4, name, pinyin, initials
// The newest registered patients of the scope's sites (by id, descending), before `before_id`
// when given: the patient list before a search.
std::vector<Patient> NewestPatients(db::Transaction& tx, std::optional<std::int64_t> before_id,
                                    int limit, const auth::SiteScope& scope);
// How many patients the scope's sites hold, counted up to `cap` (a list shows "10000+" beyond).
std::int64_t CountPatients(db::Transaction& tx, const auth::SiteScope& scope, std::int64_t cap);
// "<kind>_<id>" for a page's next_cursor, and back; nothing for a text that is not one.
std::string CursorText(const PatientMatch& last);
std::optional<SearchCursor> ParseCursor(std::string_view text);

std::map<std::int64_t, PatientLabel> PatientLabels(db::Transaction& tx,
                                                   const std::vector<std::int64_t>& ids);
std::map<std::int64_t, std::string> AccessionNumbers(db::Transaction& tx,
                                                     const std::vector<std::int64_t>& ids);

struct DocumentOwner {
  std::int64_t patient_id;
  std::string patient_no;
  std::string name;
  std::int64_t site_id = 0;
};
// The patient whose own document this is, other than `except`.
std::optional<DocumentOwner> OwnerOf(db::Transaction& tx, const std::string& type,
                                     const std::string& number, std::int64_t except);

bool PatientNoTaken(db::Transaction& tx, const std::string& patient_no);
// Assigns id and, unless given (HIS id), patient_no; writes the documents.
void InsertPatient(db::Transaction& tx, Patient& p, Micros now);
// Writes the new state and keeps `before` as a version with who, when and why.
void UpdatePatient(db::Transaction& tx, const Patient& before, Patient& after,
                   std::optional<std::int64_t> actor, const std::string& reason, Micros now);
std::int64_t CountVersions(db::Transaction& tx, std::int64_t patient_id);

// Re-points orders and exams of `from` to `into`; marks `from` merged. Answers the rows moved.
struct Repointed {
  std::int64_t orders = 0, exams = 0;
};
Repointed MergePatients(db::Transaction& tx, std::int64_t from, std::int64_t into, Micros now);

}  // namespace radqs::exam::store

#include "exam/catalogue.h"

namespace radqs::exam::store {

std::optional<CatalogueItem> LoadItem(db::Transaction& tx, std::int64_t id);
// The items by id, without their sites (one query, for lists).
std::map<std::int64_t, CatalogueItem> ItemsById(db::Transaction& tx,
                                                const std::vector<std::int64_t>& ids);
std::vector<CatalogueItem> ListItems(db::Transaction& tx,
                                     const std::optional<std::string>& modality,
                                     const std::optional<std::string>& q, bool include_inactive,
                                     std::optional<std::int64_t> site_id = std::nullopt);
bool OfferedAt(db::Transaction& tx, std::int64_t item_id, std::int64_t site_id);
std::vector<std::int64_t> ActiveSiteIds(db::Transaction& tx);
bool ItemCodeTaken(db::Transaction& tx, const std::string& code, std::int64_t except);
void InsertItem(db::Transaction& tx, CatalogueItem& item, std::optional<std::int64_t> actor,
                Micros now);
// Keeps the current row as a version, then writes `after` with the next version number.
void UpdateItem(db::Transaction& tx, CatalogueItem& after, std::optional<std::int64_t> actor,
                Micros now);

}  // namespace radqs::exam::store

#include "exam/exam.h"

namespace radqs::exam::store {

struct ExamRow {
  std::int64_t id = 0;
  std::string accession_no;
  std::int64_t order_id = 0, site_id = 0, patient_id = 0, item_id = 0;
  std::string modality, priority;
  std::optional<std::int64_t> room_id;
  ExamState state = ExamState::kOrdered;
  Stamps stamps;
  std::optional<Micros> cancelled_at;
  std::string cancel_reason;
  std::int64_t version = 1;
  std::string location = "room";
  std::string arrival_record;  // JSON, empty until check-in
};

struct ExamEvent {
  std::string from, to;
  Micros at;
  std::string actor, detail;
  std::string actor_name;  // the user's display name now, else the recorded account
};

std::vector<std::string> ActivePathways(db::Transaction& tx);
// The site's kind, for the independent-centre rules; empty when the site does not exist.
std::string SiteKind(db::Transaction& tx, std::int64_t site_id);
// Writes the order and its exam (state ordered); returns the exam id.
std::int64_t InsertOrder(db::Transaction& tx, Order& o, const CatalogueItem& item,
                         const std::string& accession, std::optional<std::int64_t> actor,
                         Micros now);
// An order with its department's current name (the name written with the order when the
// department is gone), code and emergency flag.
struct OrderRow {
  Order order;
  std::string department_code;
  bool department_emergency = false;
};
std::optional<OrderRow> LoadOrder(db::Transaction& tx, std::int64_t id);
// The next accession sequence number of a local day (1, 2, ...).
std::int64_t NextAccession(db::Transaction& tx, Date local_day);

std::optional<ExamRow> LoadExam(db::Transaction& tx, std::int64_t id);
// The exam if it is at one of the scope's sites — spec: domain.md §9.
std::optional<ExamRow> LoadExam(db::Transaction& tx, std::int64_t id, const auth::SiteScope& scope);
struct ExamFilter {
  auth::SiteScope sites;           // the caller's sites
  std::optional<Micros> from, to;  // ordered_at range [from, to)
  std::optional<std::string> modality, state;
  std::optional<std::int64_t> room_id, patient_id;
  std::optional<std::string> accession_no;
  // The order: by order time (newest first by default) or by appointment time (exams without
  // one last either way), the id breaking ties in the same direction.
  enum class SortBy { kOrderedAt, kAppointmentAt } sort_by = SortBy::kOrderedAt;
  bool ascending = false;
  // Cursor: the sort value and id of the last exam shown (ExamSortValue).
  std::optional<std::pair<Micros, std::int64_t>> before;
  int limit = 50;
};
// The value an exam sorts by under the filter's order (the cursor's first part).
Micros ExamSortValue(const ExamFilter& f, const ExamRow& e);
// An exam with what lists show of it.
struct ExamListing {
  ExamRow exam;
  std::string patient_name, patient_sex, item_name;
};
std::vector<ExamListing> SearchExams(db::Transaction& tx, const ExamFilter& f);
// How many exams the filter selects (its page position aside), counted up to `cap`.
std::int64_t CountExams(db::Transaction& tx, const ExamFilter& f, std::int64_t cap);
// The select of listings ("... WHERE 1 = 1", columns prefixed e., p., i.) to add conditions to,
// and the rows it returns.
db::SqlBuilder ListingQuery();
std::vector<ExamListing> RunListing(db::Transaction& tx, const db::SqlBuilder& q);
// Moves the exam to `to`, setting its stamp, and records the event.
void ApplyTransition(db::Transaction& tx, const ExamRow& exam, ExamState to, Micros at,
                     std::optional<std::int64_t> actor_id, const std::string& actor,
                     const std::string& detail, std::optional<std::int64_t> room_id);
// Where the patient waits and the check-in record, written at arrival.
void SaveArrival(db::Transaction& tx, std::int64_t exam_id, const std::string& location,
                 const Json& record);
std::vector<ExamEvent> LoadEvents(db::Transaction& tx, std::int64_t exam_id);

}  // namespace radqs::exam::store

#include "exam/scheduling.h"

namespace radqs::exam::store {

struct RoomInfo {
  std::int64_t id = 0, site_id = 0;
  std::string name, modality;
  bool active = false;
};
std::optional<RoomInfo> LoadRoom(db::Transaction& tx, std::int64_t room_id);
// The room if it is at one of the scope's sites.
std::optional<RoomInfo> LoadRoom(db::Transaction& tx, std::int64_t room_id,
                                 const auth::SiteScope& scope);
std::vector<SlotTemplate> LoadTemplates(db::Transaction& tx, std::int64_t room_id);
void ReplaceTemplates(db::Transaction& tx, std::int64_t room_id,
                      const std::vector<SlotTemplate>& templates, Micros now);

struct ClosureRow {
  std::int64_t id = 0, site_id = 0;
  std::optional<std::int64_t> room_id;
  std::string kind;
  Closure closure;
};
// Active closures of the room (and site-wide ones) overlapping [from, to).
std::vector<ClosureRow> ClosuresFor(db::Transaction& tx, const RoomInfo& room, Micros from,
                                    Micros to);
std::int64_t InsertClosure(db::Transaction& tx, const ClosureRow& c,
                           std::optional<std::int64_t> actor, Micros now);
struct ClosureFilter {
  Micros now = 0;  // closures not yet over at `now`
  auth::SiteScope sites;
  std::optional<RoomInfo> room;  // the room's own closures and its site's holidays
  std::optional<std::int64_t> site_id;
};
std::vector<ClosureRow> ActiveClosures(db::Transaction& tx, const ClosureFilter& f);
// False when there is no such active closure at the scope's sites.
bool CancelClosure(db::Transaction& tx, std::int64_t id, Micros now, const auth::SiteScope& scope);

// The room's appointment times in [from, to) with how many exams hold each (every state but
// cancelled and no-show): BookedPerSlot places them in the slots.
std::vector<std::pair<Micros, int>> BookedCounts(db::Transaction& tx, std::int64_t room_id,
                                                 Micros from, Micros to);
// The patient's booked exams (every state from scheduled to in progress) with appointments in
// [from, to), each lasting its item's duration.
// How long the catalogue item takes (its duration in minutes; 0 when there is no such item).
std::int64_t ItemMinutes(db::Transaction& tx, std::int64_t item_id);
std::vector<PatientBooking> PatientBookings(db::Transaction& tx, std::int64_t patient_id,
                                            Micros from, Micros to);
// Holds the room's bookings until the write commits, so that counting a slot's places and
// booking one are never interleaved with another server's (PostgreSQL; on SQLite the single
// writer already is the only one).
void HoldRoomBookings(db::Transaction& tx, std::int64_t room_id);
void Book(db::Transaction& tx, const ExamRow& exam, std::int64_t room_id, Micros slot_start,
          Micros now, std::optional<std::int64_t> actor_id, const std::string& actor);

// The room's exams for the local day [from, to): arrived and in progress (the queue), and
// booked but not yet arrived (expected).
std::vector<ExamListing> RoomDay(db::Transaction& tx, std::int64_t room_id, Micros from, Micros to);
// How many exams of RoomDay are in each state (state key → count).
std::map<std::string, std::int64_t> RoomDayCounts(db::Transaction& tx, std::int64_t room_id,
                                                  Micros from, Micros to);
// The exams the room acquired in [from, to), counted by the device their latest acquisition
// record names ("" when it names none).
std::map<std::string, std::int64_t> DevicesAcquired(db::Transaction& tx, std::int64_t room_id,
                                                    Micros from, Micros to);
// The green-channel pathway (orders.pathway) of each exam of RoomDay on a pathway, by exam id: one
// query for the whole queue screen.
std::map<std::int64_t, std::string> RoomDayPathways(db::Transaction& tx, std::int64_t room_id,
                                                    Micros from, Micros to);

}  // namespace radqs::exam::store

#include "exam/acquisition.h"

namespace radqs::exam::store {

struct AcquisitionRow {
  Acquisition record;
  std::int64_t version = 0;
  std::string recorded_by;
  Micros recorded_at = 0;
  std::string reason;  // why a version after the first changed the record
};
std::optional<AcquisitionRow> LoadAcquisition(db::Transaction& tx, std::int64_t exam_id);
// Every version, newest first.
std::vector<AcquisitionRow> AcquisitionVersions(db::Transaction& tx, std::int64_t exam_id);
void SaveAcquisition(db::Transaction& tx, std::int64_t exam_id, std::int64_t version,
                     const Acquisition& a, std::optional<std::int64_t> actor, Micros now,
                     const std::string& reason = "");

// Screening records (versions kept) and the overrides of its gates (screening_store.cpp).
struct ScreeningRow {
  Json record;
  std::int64_t version = 0;
  Micros recorded_at = 0;
  std::string recorded_by;  // the user's display name
  std::string reason;       // why a change after the exam start was made
};
std::optional<ScreeningRow> LatestScreening(db::Transaction& tx, std::int64_t exam_id);
// Every version, newest first.
std::vector<ScreeningRow> ScreeningVersions(db::Transaction& tx, std::int64_t exam_id);
// The latest screening record of each of the exams that has one, by exam id (one query, for
// lists such as the room queue).
std::map<std::int64_t, Json> LatestScreeningRecords(db::Transaction& tx,
                                                    const std::vector<std::int64_t>& exam_ids);
void SaveScreening(db::Transaction& tx, std::int64_t exam_id, std::int64_t version,
                   const Json& record, std::optional<std::int64_t> actor, Micros now,
                   const std::string& reason = "");
// Exams not yet started (ordered, scheduled, arrived) at the scope's sites that have a
// screening record: the candidates of the physicians' approvals list, newest order first.
std::vector<std::int64_t> ScreenedNotStarted(db::Transaction& tx, const auth::SiteScope& sites,
                                             int limit);
// A screening change after the start that reopened gates, for the QC group.
struct Finding {
  std::int64_t exam_id = 0, version = 0;
  std::string exam_state;
  std::vector<std::string> gates;
  std::string reason;
  std::optional<std::int64_t> recorded_by;
  std::string recorder;
  Micros at = 0;
};
void InsertFinding(db::Transaction& tx, const Finding& f);
struct FindingRow {
  std::int64_t id = 0;
  Finding entry;
  std::string accession_no;
  std::int64_t patient_id = 0;
};
// Newest first, of exams at the scope's sites; `before_id` continues a page.
std::vector<FindingRow> ListFindings(db::Transaction& tx, const auth::SiteScope& sites,
                                     std::optional<std::int64_t> before_id, int limit);
struct Override {
  std::int64_t exam_id = 0;
  std::string gate;
  std::optional<std::int64_t> approver_id;
  std::string approver, reason;
  Micros at = 0;
};
void InsertOverride(db::Transaction& tx, const Override& o);
struct OverrideRow {
  std::int64_t id = 0;
  Override entry;
  std::string accession_no;
  std::int64_t patient_id = 0;
};
// Newest first, of exams at the scope's sites; `before_id` continues a page.
std::vector<OverrideRow> ListOverrides(db::Transaction& tx, const auth::SiteScope& sites,
                                       std::optional<std::int64_t> before_id, int limit);

// The reject/repeat log (acquisition_store.cpp).
struct Reject {
  std::int64_t exam_id = 0;
  std::string reason;
  std::int64_t images = 0;
  bool repeated = true;
  std::string device_id;
  std::optional<std::int64_t> technologist_user_id;
  std::string technologist, note;
  Micros recorded_at = 0;
};
std::int64_t InsertReject(db::Transaction& tx, const Reject& r);  // the new entry's id
struct RejectFilter {
  auth::SiteScope sites;
  std::optional<Micros> from, to;  // recorded in [from, to)
  std::optional<std::string> reason;
  std::optional<std::int64_t> exam_id;
  // Newest first by recorded_at (then id): entries after this (recorded_at, id) of a page.
  std::optional<std::pair<Micros, std::int64_t>> before;
  int limit = 50;
};
struct RejectRow {
  std::int64_t id = 0;
  Reject reject;
  std::string accession_no, modality;
  std::int64_t patient_id = 0;
  std::string technologist_name;  // the person's name, else the account recorded
};
std::vector<RejectRow> ListRejects(db::Transaction& tx, const RejectFilter& f);

}  // namespace radqs::exam::store
