// Versioned settings (系统参数): every target, limit and deadline is a setting with a default that
// names its source, and each change is a new version with a valid-from date, so that a past
// figure is judged against the value in force at the time — spec: regulations.md (preamble).
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "core/time.h"
#include "platform/db/database.h"
#include "platform/json.h"

namespace radqs::config {

// kTextList: a JSON array of distinct keys, each one of `choices`.
enum class SettingType { kInteger, kNumber, kBoolean, kText, kTextList };

// What a default rests on, as the settings screen names it in words (spec: regulations.md,
// preamble: every default names its source; internal deadlines are "hospital practice").
enum class SettingBasis {
  kRegulation,        // 国家规定: a law, standard or rule of the health authority
  kQualityIndicator,  // 质控指标: the definition of a quality indicator
  kHospitalPractice,  // 医院惯例
  kDepartmentRule,    // 科室制度
  kSecurityPolicy,    // 信息安全制度
  kSystem,            // 系统参数: how the software runs
};
std::string_view BasisKey(SettingBasis basis);

struct SettingDefinition {
  std::string key;
  SettingType type;
  Json default_value;
  std::optional<double> min, max;
  std::string unit;
  std::string name, name_en;  // as the department calls it, Chinese first
  SettingBasis basis;
  std::string reference;                  // the rule, standard or document, in words
  std::vector<std::string> choices = {};  // the keys a kTextList may hold
};

// The definitions every module registers before the server starts.
const std::vector<SettingDefinition>& Definitions();
const SettingDefinition* FindDefinition(std::string_view key);

struct SettingVersion {
  Json value;
  Date valid_from;
  std::string reason;
  std::optional<std::int64_t> set_by;
  std::string set_by_name;
  Micros set_at = 0;
};

// Checks a proposed value against its definition; the error names the field "value".
Result<void> ValidateValue(const SettingDefinition& def, const Json& value);

// The value in force on a date, read in the caller's transaction: for code that runs without a
// Settings object (a listener inside another module's write, the demo generator) or that must
// see a version added in the same transaction. The default when no version applies.
Json ValueInForce(db::Transaction& tx, std::string_view key, Date on);
std::int64_t IntInForce(db::Transaction& tx, std::string_view key, Date on);

// In-memory view of all versions, reloaded after a change through this process and at most a
// few seconds stale for changes made by another server. Safe to call inside a handler: the
// reload runs on the handler's own connection (nested reads reuse it).
class Settings {
 public:
  explicit Settings(db::Database& database, const Clock& clock) : db_(database), clock_(clock) {}

  // The value in force on a date (default when no version applies).
  Json ValueOn(std::string_view key, Date on);
  Json Current(std::string_view key, int utc_offset_minutes = kDefaultUtcOffsetMinutes);
  std::int64_t Int(std::string_view key);
  std::int64_t IntOn(std::string_view key, Date on);
  std::vector<SettingVersion> History(std::string_view key);

  // Adds a version inside the caller's write transaction.
  Result<void> AddVersion(db::Transaction& tx, std::string_view key, const Json& value,
                          Date valid_from, const std::string& reason,
                          std::optional<std::int64_t> set_by);
  void Invalidate();

 private:
  void LoadIfStale(std::unique_lock<std::mutex>& lock);
  struct Row {
    std::string key;
    SettingVersion v;
  };
  db::Database& db_;
  const Clock& clock_;
  std::mutex mu_;
  std::vector<Row> rows_;
  Micros loaded_at_ = -1;
};

}  // namespace radqs::config
