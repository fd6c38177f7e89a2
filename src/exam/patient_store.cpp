#include <fmt/format.h>
#include <array>
#include <charconv>
#include <map>

#include "exam/exam_store.h"
#include "exam/pinyin.h"
#include "platform/auth/site_scope.h"

namespace radqs::exam::store {
namespace {

constexpr const char* kColumns =
    "id, site_id, patient_no, name, name_pinyin, sex, birth_date, estimated_age, phone, "
    "outpatient_no, inpatient_no, contrast_allergy, pacemaker, ferromagnetic_implant, "
    "unidentified, merged_into, created_at, updated_at, version";

Patient PatientAt(db::Statement& s) {
  Patient p;
  p.id = s.Int(0);
  p.site_id = s.Int(1);
  p.patient_no = s.Text(2);
  p.name = s.Text(3);
  p.name_pinyin = s.Text(4);
  p.sex = s.Text(5);
  if (auto d = s.OptInt(6)) p.birth_date = Date{static_cast<std::int32_t>(*d)};
  if (auto a = s.OptInt(7)) p.estimated_age = static_cast<int>(*a);
  p.phone = s.Text(8);
  p.outpatient_no = s.Text(9);
  p.inpatient_no = s.Text(10);
  p.contrast_allergy = s.Bool(11);
  p.pacemaker = s.Bool(12);
  p.ferromagnetic_implant = s.Bool(13);
  p.unidentified = s.Bool(14);
  p.merged_into = s.OptInt(15);
  p.created_at = s.Int(16);
  p.updated_at = s.Int(17);
  p.version = s.Int(18);
  return p;
}

void LoadDocuments(db::Transaction& tx, Patient& p) {
  auto s = tx.Prepare(
      "SELECT type, number, guardian, guardian_relation FROM patient_documents WHERE "
      "patient_id = ? ORDER BY id");
  s.Bind(p.id);
  while (s.Step()) p.documents.push_back({s.Text(0), s.Text(1), s.Bool(2), s.Text(3)});
}

// The documents of a page of patients in one statement, not one per patient.
void LoadDocuments(db::Transaction& tx, std::vector<PatientMatch>& page) {
  if (page.empty()) return;
  std::map<std::int64_t, Patient*> by_id;
  db::SqlBuilder b(
      "SELECT patient_id, type, number, guardian, guardian_relation FROM patient_documents "
      "WHERE patient_id IN (");
  for (auto& m : page) {
    b.Add(by_id.empty() ? "?" : ", ?", m.patient.id);
    by_id[m.patient.id] = &m.patient;
  }
  b.Add(") ORDER BY patient_id, id");
  auto s = b.Prepare(tx);
  while (s.Step()) {
    by_id.at(s.Int(0))->documents.push_back({s.Text(1), s.Text(2), s.Bool(3), s.Text(4)});
  }
}

void WriteDocuments(db::Transaction& tx, const Patient& p, Micros now) {
  tx.Exec("DELETE FROM patient_documents WHERE patient_id = ?", p.id);
  for (const auto& d : p.documents) {
    tx.Exec(
        "INSERT INTO patient_documents (patient_id, type, number, guardian, guardian_relation, "
        "created_at) VALUES (?, ?, ?, ?, ?, ?)",
        p.id, d.type, d.number, d.guardian, d.guardian_relation, now);
  }
}

std::optional<std::int64_t> Day(const std::optional<Date>& d) {
  return d ? std::optional<std::int64_t>(d->days) : std::nullopt;
}

std::optional<std::int64_t> Age(const std::optional<int>& a) {
  return a ? std::optional<std::int64_t>(*a) : std::nullopt;
}

// The half-open range [prefix, end) of texts starting with `prefix` in byte order: 0xFF never
// occurs in UTF-8, so prefix + 0xFF is above every such text; ranges keep the index usable.
// The end of a prefix range under byte order: U+10FFFF, the last code point, is valid UTF-8
// (PostgreSQL refuses a stray 0xFF byte) and sorts after every character a name can hold.
std::string PrefixEnd(const std::string& prefix) { return prefix + "\U0010FFFF"; }

bool AsciiLetters(const std::string& q) {
  return std::all_of(q.begin(), q.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == ' ';
  });
}

// The searched forms of a stored pinyin text (its key and initials).
Pinyin SearchForms(const std::string& name_pinyin) {
  auto p = ParseTypedPinyin(name_pinyin);
  return p ? *p : Pinyin{};
}

}  // namespace

std::map<std::int64_t, Patient> PatientFactsById(db::Transaction& tx,
                                                 const std::vector<std::int64_t>& ids) {
  std::map<std::int64_t, Patient> out;
  if (ids.empty()) return out;
  db::SqlBuilder q(fmt::format("SELECT {} FROM patients WHERE id IN (", kColumns));
  for (std::size_t i = 0; i < ids.size(); ++i) q.Add(i == 0 ? "?" : ", ?", ids[i]);
  auto s = q.Add(")").Prepare(tx);
  while (s.Step()) {
    Patient p = PatientAt(s);
    out.emplace(p.id, std::move(p));
  }
  return out;
}

std::optional<Patient> LoadPatient(db::Transaction& tx, std::int64_t id) {
  auto s = tx.Prepare(fmt::format("SELECT {} FROM patients WHERE id = ?", kColumns));
  s.Bind(id);
  if (!s.Step()) return std::nullopt;
  Patient p = PatientAt(s);
  LoadDocuments(tx, p);
  return p;
}

std::optional<Patient> LoadPatient(db::Transaction& tx, std::int64_t id,
                                   const auth::SiteScope& scope) {
  auto p = LoadPatient(tx, id);
  if (!p || !scope.Has(p->site_id)) return std::nullopt;
  return p;
}

namespace {

constexpr std::array<std::pair<MatchKind, std::string_view>, 5> kKindNames{{
    {MatchKind::kNumber, "number"},
    {MatchKind::kLastDigits, "last4"},
    {MatchKind::kName, "name"},
    {MatchKind::kPinyin, "pinyin"},
    {MatchKind::kInitials, "initials"},
}};

// The lower-case letters of an ASCII query, for pinyin; empty for anything else.
std::string PinyinQuery(const std::string& q) {
  std::string key;
  if (!AsciiLetters(q)) return key;
  for (char c : q) {
    if (c != ' ') key += static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
  }
  return key;
}

// Four characters that can end a phone or identity number: digits, the last may be X.
bool LastDigitsQuery(const std::string& q) {
  if (q.size() != 4) return false;
  for (std::size_t i = 0; i < 4; ++i) {
    const char c = q[i];
    if (!(c >= '0' && c <= '9') && !(i == 3 && (c == 'X' || c == 'x'))) return false;
  }
  return true;
}

// Kinds a query cannot match are skipped: pinyin needs two letters (one would match a twentieth
// of all patients), last4 four digits.
bool Applies(MatchKind kind, const std::string& q, const std::string& key) {
  if (kind == MatchKind::kPinyin || kind == MatchKind::kInitials) return key.size() >= 2;
  if (kind == MatchKind::kLastDigits) return LastDigitsQuery(q);
  return true;
}

// Kinds ordered by id (exact numbers, number endings) rather than by a text column.
bool ById(MatchKind kind) { return kind == MatchKind::kNumber || kind == MatchKind::kLastDigits; }

// The condition of a kind of match.
void AddMatch(db::SqlBuilder& b, std::string_view dialect, MatchKind kind, const std::string& q,
              const std::string& key) {
  switch (kind) {
    case MatchKind::kNumber:
      // One index per form, united: an OR over them with the documents' subquery is a full
      // scan for PostgreSQL's planner.
      b.Add(
           "id IN (SELECT id FROM patients WHERE patient_no = ? UNION ALL SELECT id FROM "
           "patients WHERE outpatient_no = ? UNION ALL SELECT id FROM patients WHERE "
           "inpatient_no = ? UNION ALL SELECT id FROM patients WHERE phone = ?",
           q, q, q, q)
          .Add(" UNION ALL SELECT patient_id FROM patient_documents WHERE number = ?)", q);
      return;
    case MatchKind::kLastDigits: {
      // Matched through the expression indexes of migration 0020 (PostgreSQL: right(x, 4)).
      std::string end = q;
      if (end.back() == 'x') end.back() = 'X';
      const bool pg = dialect == "postgresql";
      b.Add(fmt::format("({0} = ? OR id IN (SELECT patient_id FROM patient_documents WHERE "
                        "{1} = ?))",
                        pg ? "right(phone, 4)" : "substr(phone, -4)",
                        pg ? "right(number, 4)" : "substr(number, -4)"),
            end, end);
      return;
    }
    case MatchKind::kName:
      b.Add("(name >= ? AND name < ?)", q, PrefixEnd(q));
      return;
    case MatchKind::kPinyin:
      b.Add("(pinyin_key >= ? AND pinyin_key < ?)", key, PrefixEnd(key));
      return;
    case MatchKind::kInitials:
      b.Add("(pinyin_initials >= ? AND pinyin_initials < ?)", key, PrefixEnd(key));
      return;
  }
}

std::string_view OrderColumn(MatchKind kind) {
  switch (kind) {
    case MatchKind::kNumber:
    case MatchKind::kLastDigits:
      return "id";
    case MatchKind::kName:
      return "name";
    case MatchKind::kPinyin:
      return "pinyin_key";
    case MatchKind::kInitials:
      return "pinyin_initials";
  }
  return "id";
}

}  // namespace

std::vector<PatientMatch> SearchPatients(db::Transaction& tx, const std::string& q,
                                         const SearchCursor& after, int limit,
                                         const auth::SiteScope& scope) {
  const std::string key = PinyinQuery(q);
  std::vector<PatientMatch> out;
  for (const auto& [kind, name] : kKindNames) {
    if (kind < after.kind || !Applies(kind, q, key)) continue;
    if (static_cast<int>(out.size()) >= limit) break;
    const std::string_view column = OrderColumn(kind);
    db::SqlBuilder b(
        fmt::format("SELECT {} FROM patients WHERE merged_into IS NULL AND ", kColumns));
    AddMatch(b, tx.Dialect(), kind, q, key);
    for (const auto& [earlier, unused] : kKindNames) {
      if (earlier == kind) break;
      if (!Applies(earlier, q, key)) continue;
      b.Add(" AND NOT ");
      AddMatch(b, tx.Dialect(), earlier, q, key);
    }
    // The prefix kinds walk the (site_id, column) indexes; exact numbers are a handful of rows
    // found through their own indexes, which "+site_id" keeps SQLite from trading for a walk
    // of the whole site.
    auth::AddSiteScope(b, ById(kind) ? "+site_id" : "site_id", scope);
    if (kind == after.kind && after.after_id > 0) {
      // Resume after the last one shown, in (column, id) order; the index range starts at its
      // value, so only its namesakes up to it are passed over.
      if (ById(kind)) {
        b.Add(" AND id > ?", after.after_id);
      } else {
        auto last = tx.Prepare(fmt::format("SELECT {} FROM patients WHERE id = ?", column));
        last.Bind(after.after_id);
        const std::string value = last.Step() ? last.Text(0) : std::string();
        b.Add(fmt::format(" AND {0} >= ? AND ({0} > ? OR id > ?)", column), value, value,
              after.after_id);
      }
    }
    b.Add(ById(kind) ? " ORDER BY id" : fmt::format(" ORDER BY {}, id", column))
        .Add(" LIMIT ?", limit - static_cast<int>(out.size()));
    auto s = b.Prepare(tx);
    while (s.Step()) out.push_back({kind, PatientAt(s)});
  }
  LoadDocuments(tx, out);
  return out;
}

std::vector<Patient> NewestPatients(db::Transaction& tx, std::optional<std::int64_t> before_id,
                                    int limit, const auth::SiteScope& scope) {
  db::SqlBuilder b(fmt::format("SELECT {} FROM patients WHERE merged_into IS NULL", kColumns));
  auth::AddSiteScope(b, "site_id", scope);
  if (before_id) b.Add(" AND id < ?", *before_id);
  b.Add(" ORDER BY id DESC LIMIT ?", limit);
  std::vector<PatientMatch> found;
  auto s = b.Prepare(tx);
  while (s.Step()) found.push_back({MatchKind::kNumber, PatientAt(s)});
  LoadDocuments(tx, found);
  std::vector<Patient> out;
  for (auto& m : found) out.push_back(std::move(m.patient));
  return out;
}

std::int64_t CountPatients(db::Transaction& tx, const auth::SiteScope& scope, std::int64_t cap) {
  db::SqlBuilder b("SELECT COUNT(*) FROM (SELECT 1 FROM patients WHERE merged_into IS NULL");
  auth::AddSiteScope(b, "site_id", scope);
  b.Add(" LIMIT ?) AS capped", cap + 1);
  auto s = b.Prepare(tx);
  s.Step();
  return s.Int(0);
}

std::string_view KindName(MatchKind kind) {
  for (const auto& [k, name] : kKindNames) {
    if (k == kind) return name;
  }
  return {};
}

std::string CursorText(const PatientMatch& last) {
  return fmt::format("{}_{}", KindName(last.kind), last.patient.id);
}

std::optional<SearchCursor> ParseCursor(std::string_view text) {
  const auto sep = text.find('_');
  if (sep == std::string_view::npos) return std::nullopt;
  const auto id_text = text.substr(sep + 1);
  std::int64_t id = 0;
  auto [ptr, ec] = std::from_chars(id_text.data(), id_text.data() + id_text.size(), id);
  if (ec != std::errc() || ptr != id_text.data() + id_text.size() || id < 1) return std::nullopt;
  for (const auto& [kind, name] : kKindNames) {
    if (name == text.substr(0, sep)) return SearchCursor{kind, id};
  }
  return std::nullopt;
}

namespace {

// "SELECT ... WHERE id IN (?, ...)" over distinct ids; nothing to run for none.
std::optional<db::SqlBuilder> ByIds(std::string select, std::vector<std::int64_t> ids) {
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  if (ids.empty()) return std::nullopt;
  db::SqlBuilder b(std::move(select));
  b.Add(" WHERE id IN (");
  for (std::size_t i = 0; i < ids.size(); ++i) b.Add(i == 0 ? "?" : ", ?", ids[i]);
  b.Add(")");
  return b;
}

}  // namespace

std::map<std::int64_t, PatientLabel> PatientLabels(db::Transaction& tx,
                                                   const std::vector<std::int64_t>& ids) {
  std::map<std::int64_t, PatientLabel> out;
  if (auto b = ByIds("SELECT id, patient_no, name FROM patients", ids)) {
    auto s = b->Prepare(tx);
    while (s.Step()) out[s.Int(0)] = {s.Text(1), s.Text(2)};
  }
  return out;
}

std::map<std::int64_t, std::string> AccessionNumbers(db::Transaction& tx,
                                                     const std::vector<std::int64_t>& ids) {
  std::map<std::int64_t, std::string> out;
  if (auto b = ByIds("SELECT id, accession_no FROM exams", ids)) {
    auto s = b->Prepare(tx);
    while (s.Step()) out[s.Int(0)] = s.Text(1);
  }
  return out;
}

std::optional<DocumentOwner> OwnerOf(db::Transaction& tx, const std::string& type,
                                     const std::string& number, std::int64_t except) {
  auto s = tx.Prepare(
      "SELECT p.id, p.patient_no, p.name, p.site_id FROM patient_documents d JOIN patients p ON "
      "p.id = "
      "d.patient_id WHERE d.type = ? AND d.number = ? AND d.guardian = 0 AND p.id <> ? AND "
      "p.merged_into IS NULL");
  s.Bind(type, number, except);
  if (!s.Step()) return std::nullopt;
  return DocumentOwner{s.Int(0), s.Text(1), s.Text(2), s.Int(3)};
}

bool PatientNoTaken(db::Transaction& tx, const std::string& patient_no) {
  auto s = tx.Prepare("SELECT 1 FROM patients WHERE patient_no = ?");
  s.Bind(patient_no);
  return s.Step();
}

void InsertPatient(db::Transaction& tx, Patient& p, Micros now) {
  // The id first, as the RadQS number is made of it. On PostgreSQL several servers insert at
  // once, so it comes from the table's identity rather than the highest id.
  auto next = tx.Prepare(tx.Dialect() == "postgresql"
                             ? "SELECT nextval(pg_get_serial_sequence('patients', 'id'))"
                             : "SELECT COALESCE(MAX(id), 0) + 1 FROM patients");
  next.Step();
  p.id = next.Int(0);
  if (p.patient_no.empty()) {
    // The RadQS number is the prefix and the id, unless a typed or HIS number already has that
    // form: then the next free one. Checked in this write transaction, so nobody takes it
    // between; each step passes a number some row holds, so the walk is bounded.
    for (std::int64_t n = p.id;; ++n) {
      p.patient_no = fmt::format("{}{:08d}", p.unidentified ? "U" : "P", n);
      if (!PatientNoTaken(tx, p.patient_no)) break;
    }
  }
  p.created_at = p.updated_at = now;
  p.version = 1;
  const Pinyin forms = SearchForms(p.name_pinyin);
  tx.Exec(
      "INSERT INTO patients (id, site_id, patient_no, name, name_pinyin, pinyin_key, "
      "pinyin_initials, sex, birth_date, estimated_age, phone, outpatient_no, inpatient_no, "
      "contrast_allergy, pacemaker, ferromagnetic_implant, unidentified, created_at, updated_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      p.id, p.site_id, p.patient_no, p.name, p.name_pinyin, forms.key, forms.initials, p.sex,
      Day(p.birth_date), Age(p.estimated_age), p.phone, p.outpatient_no, p.inpatient_no,
      p.contrast_allergy, p.pacemaker, p.ferromagnetic_implant, p.unidentified, now, now);
  WriteDocuments(tx, p, now);
}

void UpdatePatient(db::Transaction& tx, const Patient& before, Patient& after,
                   std::optional<std::int64_t> actor, const std::string& reason, Micros now) {
  tx.Exec(
      "INSERT INTO patient_versions (patient_id, version, snapshot, changed_by, changed_at, "
      "reason) VALUES (?, ?, ?, ?, ?, ?)",
      before.id, before.version, PatientJson(before, true).dump(), actor, now, reason);
  after.version = before.version + 1;
  after.updated_at = now;
  const Pinyin forms = SearchForms(after.name_pinyin);
  tx.Exec(
      "UPDATE patients SET name = ?, name_pinyin = ?, pinyin_key = ?, pinyin_initials = ?, sex = "
      "?, birth_date = ?, estimated_age = ?, "
      "phone = ?, outpatient_no = ?, inpatient_no = ?, contrast_allergy = ?, pacemaker = ?, "
      "ferromagnetic_implant = ?, unidentified = ?, updated_at = ?, version = ? WHERE id = ?",
      after.name, after.name_pinyin, forms.key, forms.initials, after.sex, Day(after.birth_date),
      Age(after.estimated_age), after.phone, after.outpatient_no, after.inpatient_no,
      after.contrast_allergy, after.pacemaker, after.ferromagnetic_implant, after.unidentified, now,
      after.version, after.id);
  WriteDocuments(tx, after, now);
}

std::int64_t CountVersions(db::Transaction& tx, std::int64_t patient_id) {
  auto s = tx.Prepare("SELECT COUNT(*) FROM patient_versions WHERE patient_id = ?");
  s.Bind(patient_id);
  s.Step();
  return s.Int(0);
}

Repointed MergePatients(db::Transaction& tx, std::int64_t from, std::int64_t into, Micros now) {
  Repointed moved;
  moved.orders = tx.Exec("UPDATE orders SET patient_id = ? WHERE patient_id = ?", into, from);
  moved.exams = tx.Exec(
      "UPDATE exams SET patient_id = ?, updated_at = ?, version = version + 1 WHERE "
      "patient_id = ?",
      into, now, from);
  tx.Exec("UPDATE patients SET merged_into = ?, updated_at = ?, version = version + 1 WHERE id = ?",
          into, now, from);
  return moved;
}

}  // namespace radqs::exam::store

namespace radqs::exam {

std::int64_t FillMissingPinyin(db::Database& database) {
  constexpr int kBatch = 2000;
  std::int64_t after = 0, filled = 0;
  for (;;) {
    struct Row {
      std::int64_t id;
      std::string name, name_pinyin;
    };
    std::vector<Row> rows;
    database.Read([&](db::Transaction& tx) {
      auto s = tx.Prepare(
          "SELECT id, name, name_pinyin FROM patients WHERE pinyin_key = '' AND id > ? ORDER BY "
          "id LIMIT ?");
      s.Bind(after, kBatch);
      while (s.Step()) rows.push_back({s.Int(0), s.Text(1), s.Text(2)});
    });
    if (rows.empty()) return filled;
    after = rows.back().id;
    database.Write([&](db::Transaction& tx) {
      for (const auto& [id, name, typed] : rows) {
        // Pinyin typed before the table existed is kept; only its search forms are added.
        auto parsed = ParseTypedPinyin(typed);
        const Pinyin p = parsed && !parsed->key.empty() ? *parsed : PinyinOfName(name);
        if (p.key.empty()) continue;
        tx.Exec(
            "UPDATE patients SET name_pinyin = CASE name_pinyin WHEN '' THEN ? ELSE name_pinyin "
            "END, pinyin_key = ?, pinyin_initials = ? WHERE id = ?",
            p.text, p.key, p.initials, id);
        ++filled;
      }
    });
  }
}

}  // namespace radqs::exam
