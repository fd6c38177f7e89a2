// SQL of the exam module. Private to src/exam: other modules use the routes' headers only.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "exam/patient.h"
#include "platform/auth/principal.h"
#include "platform/db/database.h"

namespace radqs::exam::store {

std::optional<Patient> LoadPatient(db::Transaction& tx, std::int64_t id);
// The patient if registered at one of the scope's sites — spec: domain.md §9.
std::optional<Patient> LoadPatient(db::Transaction& tx, std::int64_t id,
                                   const auth::SiteScope& scope);
// Name or pinyin prefix, patient or record number, phone, or an identity number (exact), among
// the patients of the scope's sites.
std::vector<Patient> SearchPatients(db::Transaction& tx, const std::string& q,
                                    std::optional<std::int64_t> after_id, int limit,
                                    const auth::SiteScope& scope);

struct DocumentOwner {
  std::int64_t patient_id;
  std::string patient_no;
  std::string name;
  std::int64_t site_id = 0;
};
// The patient whose own document this is, other than `except`.
std::optional<DocumentOwner> OwnerOf(db::Transaction& tx, const std::string& type,
                                     const std::string& number, std::int64_t except);

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
  std::optional<std::pair<Micros, std::int64_t>> before;  // cursor: (ordered_at, id) last shown
  int limit = 50;
};
// An exam with what lists show of it.
struct ExamListing {
  ExamRow exam;
  std::string patient_name, patient_sex, item_name;
};
std::vector<ExamListing> SearchExams(db::Transaction& tx, const ExamFilter& f);
// The select of listings ("... WHERE 1 = 1", columns prefixed e., p., i.) to add conditions to,
// and the rows it returns.
db::SqlBuilder ListingQuery();
std::vector<ExamListing> RunListing(db::Transaction& tx, const db::SqlBuilder& q);
// Moves the exam to `to`, setting its stamp, and records the event.
void ApplyTransition(db::Transaction& tx, const ExamRow& exam, ExamState to, Micros at,
                     std::optional<std::int64_t> actor_id, const std::string& actor,
                     const std::string& detail, std::optional<std::int64_t> room_id);
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
// False when there is no such active closure at the scope's sites.
bool CancelClosure(db::Transaction& tx, std::int64_t id, Micros now, const auth::SiteScope& scope);

// Exams holding a place in the room's slot starting at `start` (not cancelled, not no-show).
int BookedInSlot(db::Transaction& tx, std::int64_t room_id, Micros start);
// Booked counts per slot start for the room in [from, to).
std::vector<std::pair<Micros, int>> BookedCounts(db::Transaction& tx, std::int64_t room_id,
                                                 Micros from, Micros to);
void Book(db::Transaction& tx, const ExamRow& exam, std::int64_t room_id, Micros slot_start,
          Micros now, std::optional<std::int64_t> actor_id, const std::string& actor);

// The room's exams for the local day [from, to): arrived and in progress (the queue), and
// booked but not yet arrived (expected).
std::vector<ExamListing> RoomDay(db::Transaction& tx, std::int64_t room_id, Micros from, Micros to);

}  // namespace radqs::exam::store

#include "exam/acquisition.h"

namespace radqs::exam::store {

struct AcquisitionRow {
  Acquisition record;
  std::int64_t version = 0;
  std::string recorded_by;
  Micros recorded_at = 0;
};
std::optional<AcquisitionRow> LoadAcquisition(db::Transaction& tx, std::int64_t exam_id);
void SaveAcquisition(db::Transaction& tx, std::int64_t exam_id, std::int64_t version,
                     const Acquisition& a, std::optional<std::int64_t> actor, Micros now);

}  // namespace radqs::exam::store
