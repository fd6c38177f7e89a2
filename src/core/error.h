// Error values shared by every layer: one table gives each code a stable key and an HTTP status.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace radqs {

enum class ErrorCode {
  kBadRequest,
  kValidationFailed,
  kUnknownField,
  kMalformedJson,
  kUnauthenticated,
  kForbidden,
  kNotFound,
  kConflict,
  kVersionConflict,
  kPayloadTooLarge,
  kLocked,
  kTooManyRequests,
  kInternal,
  kUnavailable,
};

struct ErrorInfo {
  std::string_view key;  // stable, appears in API answers and logs
  int http_status;
};

ErrorInfo Describe(ErrorCode code);

// A value a message is worded with, e.g. {"limit", 64} or {"patient_no", "P000123"}.
using MessageParam = std::pair<std::string, std::variant<std::int64_t, std::string>>;

// One violated rule on one input field, e.g. {"beds", "min", "must be >= 0"}.
// `message` is English, for API clients and logs. What a person reads comes from `key` (the rule
// when empty) and `params`: the web UI holds a Chinese and an English text for every key, so the
// server never has to word a message in the reader's language (tools/check_message_keys.mjs
// fails on a key without both texts).
struct FieldError {
  std::string field;
  std::string rule;
  std::string message;
  std::string key = {};
  std::vector<MessageParam> params = {};

  std::string_view MessageKey() const { return key.empty() ? std::string_view(rule) : key; }
};

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;
  std::vector<FieldError> fields;

  static Error Validation(std::vector<FieldError> fields);
  static Error Field(ErrorCode code, std::string field, std::string rule, std::string message);
  static Error Field(ErrorCode code, FieldError field);
  static Error NotFound(std::string_view what);
  static Error Conflict(std::string message);
  static Error Forbidden();
};

}  // namespace radqs
