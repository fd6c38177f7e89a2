#include <fmt/format.h>

#include <limits>

#include "exam/exam_store.h"
#include "org/directory.h"
#include "org/org.h"
#include "platform/auth/accounts.h"
#include "platform/auth/site_scope.h"

namespace radqs::exam::store {
namespace {

constexpr const char* kColumns =
    "id, accession_no, order_id, site_id, patient_id, item_id, modality, priority, room_id, "
    "state, ordered_at, appointment_at, booked_at, arrived_at, started_at, acquired_at, "
    "preliminary_at, final_at, cancelled_at, cancel_reason, version, location, arrival_record";

ExamRow ExamAt(db::Statement& s) {
  ExamRow e;
  e.id = s.Int(0);
  e.accession_no = s.Text(1);
  e.order_id = s.Int(2);
  e.site_id = s.Int(3);
  e.patient_id = s.Int(4);
  e.item_id = s.Int(5);
  e.modality = s.Text(6);
  e.priority = s.Text(7);
  e.room_id = s.OptInt(8);
  e.state = ParseState(s.Text(9)).value_or(ExamState::kOrdered);
  e.stamps.ordered = s.Int(10);
  e.stamps.scheduled_for = s.OptInt(11);
  e.stamps.booked = s.OptInt(12);
  e.stamps.arrived = s.OptInt(13);
  e.stamps.started = s.OptInt(14);
  e.stamps.acquired = s.OptInt(15);
  e.stamps.preliminary = s.OptInt(16);
  e.stamps.final_ = s.OptInt(17);
  e.cancelled_at = s.OptInt(18);
  e.cancel_reason = s.Text(19);
  e.version = s.Int(20);
  e.location = s.Text(21);
  e.arrival_record = s.Text(22);
  return e;
}

}  // namespace

std::vector<std::string> ActivePathways(db::Transaction& tx) {
  auto s = tx.Prepare("SELECT key FROM pathways WHERE active = 1 ORDER BY key");
  std::vector<std::string> out;
  while (s.Step()) out.push_back(s.Text(0));
  return out;
}

std::string SiteKind(db::Transaction& tx, std::int64_t site_id) {
  const auto site = org::FindSite(tx, site_id);  // sites belong to org
  return site ? site->kind : std::string();
}

// Autonomous: the day's counter row is not kept locked until the order's batch commits, where
// every other writer's orders would wait for it; an undone order leaves a gap.
std::int64_t NextAccession(db::Transaction& tx, Date local_day) {
  std::int64_t last = 0;
  tx.Autonomous([&](db::Transaction& counter) {
    auto s = counter.Prepare(
        "INSERT INTO accession_counters (day, last) VALUES (?, 1) ON CONFLICT (day) DO UPDATE "
        "SET last = accession_counters.last + 1 RETURNING last");
    s.Bind(static_cast<std::int64_t>(local_day.days));
    s.Step();
    last = s.Int(0);
  });
  return last;
}

std::int64_t InsertOrder(db::Transaction& tx, Order& o, const CatalogueItem& item,
                         const std::string& accession, std::optional<std::int64_t> actor,
                         Micros now) {
  auto ins = tx.Prepare(
      "INSERT INTO orders (site_id, patient_id, item_id, item_version, ordering_department_id, "
      "ordering_department, ordering_physician, clinical_history, clinical_question, "
      "patient_class, priority, pathway, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, "
      "?, ?, ?, ?, ?, ?) RETURNING id");
  ins.Bind(o.site_id, o.patient_id, o.item_id, item.version, o.ordering_department_id,
           o.ordering_department, o.ordering_physician, o.clinical_history, o.clinical_question,
           o.patient_class, o.priority, o.pathway, actor, now);
  ins.Step();
  o.id = ins.Int(0);
  o.item_version = item.version;
  auto exam = tx.Prepare(
      "INSERT INTO exams (accession_no, order_id, site_id, patient_id, item_id, modality, "
      "priority, state, ordered_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'ordered', ?, ?) "
      "RETURNING id");
  exam.Bind(accession, o.id, o.site_id, o.patient_id, o.item_id, item.modality, o.priority, now,
            now);
  exam.Step();
  return exam.Int(0);
}

std::optional<OrderRow> LoadOrder(db::Transaction& tx, std::int64_t id) {
  auto s = tx.Prepare(
      "SELECT id, site_id, patient_id, item_id, item_version, ordering_department_id, "
      "ordering_department, ordering_physician, clinical_history, clinical_question, "
      "patient_class, priority, pathway FROM orders WHERE id = ?");
  s.Bind(id);
  if (!s.Step()) return std::nullopt;
  OrderRow r;
  auto& o = r.order;
  o.id = s.Int(0);
  o.site_id = s.Int(1);
  o.patient_id = s.Int(2);
  o.item_id = s.Int(3);
  o.item_version = s.Int(4);
  o.ordering_department_id = s.OptInt(5).value_or(0);
  o.ordering_department = s.Text(6);
  o.ordering_physician = s.Text(7);
  o.clinical_history = s.Text(8);
  o.clinical_question = s.Text(9);
  o.patient_class = s.Text(10);
  o.priority = s.Text(11);
  o.pathway = s.Text(12);
  // Departments belong to org; the name is the department's now, else as the order was written.
  if (const auto d = org::FindDepartment(tx, o.ordering_department_id)) {
    o.ordering_department = d->name;
    r.department_code = d->code;
    r.department_emergency = d->emergency;
  }
  return r;
}

std::optional<ExamRow> LoadExam(db::Transaction& tx, std::int64_t id) {
  auto s = tx.Prepare(fmt::format("SELECT {} FROM exams WHERE id = ?", kColumns));
  s.Bind(id);
  if (!s.Step()) return std::nullopt;
  return ExamAt(s);
}

std::optional<ExamRow> LoadExam(db::Transaction& tx, std::int64_t id,
                                const auth::SiteScope& scope) {
  auto e = LoadExam(tx, id);
  if (!e || !scope.Has(e->site_id)) return std::nullopt;
  return e;
}

db::SqlBuilder ListingQuery() {
  static const std::string kSelect = [] {
    std::string columns = "e.";
    for (const char* c = kColumns; *c != 0; ++c)
      columns += *c == ' ' ? std::string(" e.") : std::string(1, *c);
    return fmt::format(
        "SELECT {}, p.name, p.sex, i.name FROM exams e JOIN patients p ON p.id = e.patient_id "
        "JOIN exam_items i ON i.id = e.item_id WHERE 1 = 1",
        columns);
  }();
  return db::SqlBuilder(kSelect);
}

std::vector<ExamListing> RunListing(db::Transaction& tx, const db::SqlBuilder& q) {
  auto s = q.Prepare(tx);
  std::vector<ExamListing> out;
  while (s.Step()) out.push_back({ExamAt(s), s.Text(23), s.Text(24), s.Text(25)});
  return out;
}

namespace {

// The filter's conditions but the page position, on exams aliased e.
void AddExamFilter(db::SqlBuilder& b, const ExamFilter& f) {
  auth::AddSiteScope(b, "e.site_id", f.sites);
  if (f.from) b.Add(" AND e.ordered_at >= ?", *f.from);
  if (f.to) b.Add(" AND e.ordered_at < ?", *f.to);
  if (f.modality) b.Add(" AND e.modality = ?", *f.modality);
  if (f.state) b.Add(" AND e.state = ?", *f.state);
  if (f.room_id) b.Add(" AND e.room_id = ?", *f.room_id);
  if (f.patient_id) b.Add(" AND e.patient_id = ?", *f.patient_id);
  if (f.accession_no) b.Add(" AND e.accession_no = ?", *f.accession_no);
}

}  // namespace

std::int64_t CountExams(db::Transaction& tx, const ExamFilter& f, std::int64_t cap) {
  db::SqlBuilder b("SELECT COUNT(*) FROM (SELECT 1 FROM exams e WHERE 1 = 1");
  AddExamFilter(b, f);
  b.Add(" LIMIT ?) AS capped", cap + 1);
  auto s = b.Prepare(tx);
  s.Step();
  return s.Int(0);
}

namespace {

// Exams with no appointment sort after every booked one, ascending or descending.
constexpr Micros kNoAppointmentFirst = -1;
constexpr Micros kNoAppointmentLast = std::numeric_limits<Micros>::max();

// The sort expression; the choices are fixed here, never taken from input.
std::string SortExpression(const ExamFilter& f) {
  if (f.sort_by == ExamFilter::SortBy::kOrderedAt) return "e.ordered_at";
  return fmt::format("COALESCE(e.appointment_at, {})",
                     f.ascending ? kNoAppointmentLast : kNoAppointmentFirst);
}

}  // namespace

Micros ExamSortValue(const ExamFilter& f, const ExamRow& e) {
  if (f.sort_by == ExamFilter::SortBy::kOrderedAt) return *e.stamps.ordered;
  const auto& at = e.stamps.scheduled_for;
  return at ? *at : f.ascending ? kNoAppointmentLast : kNoAppointmentFirst;
}

std::vector<ExamListing> SearchExams(db::Transaction& tx, const ExamFilter& f) {
  db::SqlBuilder b = ListingQuery();
  AddExamFilter(b, f);
  const std::string by = SortExpression(f);
  const char* past = f.ascending ? ">" : "<";
  if (f.before) {
    b.Add(fmt::format(" AND ({0} {1} ?", by, past), f.before->first)
        .Add(fmt::format(" OR ({} = ?", by), f.before->first)
        .Add(fmt::format(" AND e.id {} ?))", past), f.before->second);
  }
  const char* dir = f.ascending ? "ASC" : "DESC";
  b.Add(fmt::format(" ORDER BY {0} {1}, e.id {1} LIMIT ?", by, dir), f.limit);
  return RunListing(tx, b);
}

void ApplyTransition(db::Transaction& tx, const ExamRow& exam, ExamState to, Micros at,
                     std::optional<std::int64_t> actor_id, const std::string& actor,
                     const std::string& detail, std::optional<std::int64_t> room_id) {
  const std::string_view stamp = StampColumn(to);
  // The stamp column comes from a fixed table in exam.cpp, never from input.
  const std::string sql = fmt::format(
      "UPDATE exams SET state = ?, room_id = COALESCE(?, room_id), updated_at = ?, version = "
      "version + 1{}{} WHERE id = ?",
      stamp.empty() ? "" : fmt::format(", {} = COALESCE({}, ?)", stamp, stamp),
      to == ExamState::kCancelled ? ", cancel_reason = ?" : "");
  auto s = tx.Prepare(sql);
  int i = 0;
  s.BindAt(++i, StateKey(to));
  s.BindAt(++i, room_id);
  s.BindAt(++i, at);
  if (!stamp.empty()) s.BindAt(++i, at);
  if (to == ExamState::kCancelled) s.BindAt(++i, detail);
  s.BindAt(++i, exam.id);
  s.Run();
  tx.Exec(
      "INSERT INTO exam_events (exam_id, from_state, to_state, at, actor_user_id, actor, detail) "
      "VALUES (?, ?, ?, ?, ?, ?, ?)",
      exam.id, StateKey(exam.state), StateKey(to), at, actor_id, actor, detail);
}

void SaveArrival(db::Transaction& tx, std::int64_t exam_id, const std::string& location,
                 const Json& record) {
  tx.Exec("UPDATE exams SET location = ?, arrival_record = ? WHERE id = ?", location, record.dump(),
          exam_id);
}

std::vector<ExamEvent> LoadEvents(db::Transaction& tx, std::int64_t exam_id) {
  auto s = tx.Prepare(
      "SELECT from_state, to_state, at, actor, detail, actor_user_id FROM exam_events WHERE "
      "exam_id = ? ORDER BY id");
  s.Bind(exam_id);
  std::vector<ExamEvent> out;
  std::vector<std::int64_t> actors;
  while (s.Step()) {
    // The actor's display name (users belong to auth) when known; else the name stored.
    out.push_back({s.Text(0), s.Text(1), s.Int(2), s.Text(3), s.Text(4), s.Text(3)});
    actors.push_back(s.OptInt(5).value_or(0));
  }
  const auto names = auth::UserNames(tx, actors);
  for (std::size_t i = 0; i < out.size(); ++i) {
    if (auto n = names.find(actors[i]); n != names.end()) out[i].actor_name = n->second;
  }
  return out;
}

}  // namespace radqs::exam::store

namespace radqs::exam {

std::optional<ExamRef> FindExam(db::Transaction& tx, std::int64_t exam_id) {
  const auto e = store::LoadExam(tx, exam_id);
  if (!e) return std::nullopt;
  return ExamRef{e->id, e->patient_id, e->site_id, e->accession_no};
}

}  // namespace radqs::exam
