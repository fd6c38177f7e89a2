#include "core/error.h"

namespace radqs {

ErrorInfo Describe(ErrorCode code) {
  switch (code) {
    case ErrorCode::kBadRequest:
      return {"bad_request", 400};
    case ErrorCode::kValidationFailed:
      return {"validation_failed", 400};
    case ErrorCode::kUnknownField:
      return {"unknown_field", 400};
    case ErrorCode::kMalformedJson:
      return {"malformed_json", 400};
    case ErrorCode::kUnauthenticated:
      return {"unauthenticated", 401};
    case ErrorCode::kForbidden:
      return {"forbidden", 403};
    case ErrorCode::kNotFound:
      return {"not_found", 404};
    case ErrorCode::kConflict:
      return {"conflict", 409};
    case ErrorCode::kVersionConflict:
      return {"version_conflict", 409};
    case ErrorCode::kPayloadTooLarge:
      return {"payload_too_large", 413};
    case ErrorCode::kLocked:
      return {"locked", 423};
    case ErrorCode::kTooManyRequests:
      return {"too_many_requests", 429};
    case ErrorCode::kInternal:
      return {"internal", 500};
    case ErrorCode::kUnavailable:
      return {"unavailable", 503};
  }
  return {"internal", 500};
}

Error Error::Validation(std::vector<FieldError> fields) {
  std::string message = "invalid input";
  if (!fields.empty()) message = fields.front().field + ": " + fields.front().message;
  return Error{ErrorCode::kValidationFailed, std::move(message), std::move(fields)};
}

Error Error::Field(ErrorCode code, std::string field, std::string rule, std::string message) {
  std::string text = field + ": " + message;
  return Error{code, std::move(text), {{std::move(field), std::move(rule), std::move(message)}}};
}

Error Error::Field(ErrorCode code, FieldError field) {
  std::string text = field.field + ": " + field.message;
  return Error{code, std::move(text), {std::move(field)}};
}

Error Error::NotFound(std::string_view what) {
  return Error{ErrorCode::kNotFound, std::string(what) + " not found", {}};
}

Error Error::Conflict(std::string message) {
  return Error{ErrorCode::kConflict, std::move(message), {}};
}

Error Error::Forbidden() { return Error{ErrorCode::kForbidden, "permission denied", {}}; }

}  // namespace radqs
