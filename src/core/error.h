// Error values shared by every layer: one table gives each code a stable key and an HTTP status.
#pragma once

#include <string>
#include <string_view>
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

// One violated rule on one input field, e.g. {"beds", "min", "must be >= 0"}.
struct FieldError {
  std::string field;
  std::string rule;
  std::string message;
};

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;
  std::vector<FieldError> fields;

  static Error Validation(std::vector<FieldError> fields);
  static Error Field(ErrorCode code, std::string field, std::string rule, std::string message);
  static Error NotFound(std::string_view what);
  static Error Conflict(std::string message);
  static Error Forbidden();
};

}  // namespace radqs
