#include "platform/http/fields.h"

#include <algorithm>

namespace radqs::http {

std::size_t Utf8Length(std::string_view s) {
  return static_cast<std::size_t>(std::count_if(
      s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

Result<Fields> Fields::Parse(std::string_view body) {
  if (body.find_first_not_of(" \t\r\n") == std::string_view::npos) return Fields(Json::object());
  Json parsed = Json::parse(body, nullptr, false);
  if (parsed.is_discarded()) {
    return Error{ErrorCode::kMalformedJson,
                 "request body is not valid JSON",
                 {{"body", "format", "not valid JSON"}}};
  }
  if (!parsed.is_object()) {
    return Error{ErrorCode::kMalformedJson,
                 "request body must be a JSON object",
                 {{"body", "type", "must be a JSON object"}}};
  }
  return Fields(std::move(parsed));
}

bool Fields::Has(std::string_view key) const { return obj_.contains(key); }

bool Fields::IsNull(std::string_view key) const {
  auto it = obj_.find(key);
  return it != obj_.end() && it->is_null();
}

void Fields::Reject(std::string field, std::string rule, std::string message) {
  errors_.push_back({std::move(field), std::move(rule), std::move(message)});
}

const Json* Fields::Get(std::string_view key, bool required) {
  seen_.emplace(key);
  auto it = obj_.find(key);
  if (it == obj_.end() || it->is_null()) {
    if (required) Reject(std::string(key), "required", "is required");
    return nullptr;
  }
  return &*it;
}

std::optional<std::string> Fields::Text(std::string_view key, TextRule rule) {
  const Json* v = Get(key, rule.required);
  if (v == nullptr) return std::nullopt;
  if (!v->is_string()) {
    Reject(std::string(key), "type", "must be text");
    return std::nullopt;
  }
  std::string s = v->get<std::string>();
  const auto first = s.find_first_not_of(" \t\r\n");
  const auto last = s.find_last_not_of(" \t\r\n");
  s = first == std::string::npos ? "" : s.substr(first, last - first + 1);
  if (s.empty() && rule.required && !rule.allow_empty) {
    Reject(std::string(key), "required", "must not be empty");
    return std::nullopt;
  }
  if (Utf8Length(s) > rule.max_length) {
    Reject(std::string(key), "max_length",
           "must be at most " + std::to_string(rule.max_length) + " characters");
    return std::nullopt;
  }
  return s;
}

std::optional<std::int64_t> Fields::Integer(std::string_view key, IntRule rule) {
  const Json* v = Get(key, rule.required);
  if (v == nullptr) return std::nullopt;
  if (!v->is_number_integer()) {
    Reject(std::string(key), "type", "must be an integer");
    return std::nullopt;
  }
  const auto n = v->get<std::int64_t>();
  if (rule.min && n < *rule.min) {
    Reject(std::string(key), "min", "must be >= " + std::to_string(*rule.min));
    return std::nullopt;
  }
  if (rule.max && n > *rule.max) {
    Reject(std::string(key), "max", "must be <= " + std::to_string(*rule.max));
    return std::nullopt;
  }
  return n;
}

std::optional<bool> Fields::Boolean(std::string_view key, bool required) {
  const Json* v = Get(key, required);
  if (v == nullptr) return std::nullopt;
  if (!v->is_boolean()) {
    Reject(std::string(key), "type", "must be true or false");
    return std::nullopt;
  }
  return v->get<bool>();
}

std::optional<Date> Fields::Day(std::string_view key, bool required) {
  const Json* v = Get(key, required);
  if (v == nullptr) return std::nullopt;
  std::optional<Date> d;
  if (v->is_string()) d = ParseDate(v->get<std::string>());
  if (!d) Reject(std::string(key), "date", "must be a real date as YYYY-MM-DD");
  return d;
}

std::optional<Micros> Fields::Instant(std::string_view key, bool required) {
  const Json* v = Get(key, required);
  if (v == nullptr) return std::nullopt;
  std::optional<Micros> t;
  if (v->is_string()) t = ParseInstant(v->get<std::string>());
  if (!t) Reject(std::string(key), "format", "must be a time as YYYY-MM-DDTHH:MM:SSZ");
  return t;
}

std::optional<std::string> Fields::Enum(std::string_view key,
                                        std::initializer_list<std::string_view> allowed,
                                        bool required) {
  const Json* v = Get(key, required);
  if (v == nullptr) return std::nullopt;
  if (v->is_string()) {
    const auto s = v->get<std::string>();
    if (std::find(allowed.begin(), allowed.end(), s) != allowed.end()) return s;
  }
  std::string list;
  for (auto a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
  Reject(std::string(key), "enum", "must be one of: " + list);
  return std::nullopt;
}

std::optional<std::vector<std::string>> Fields::TextList(std::string_view key, bool required) {
  const Json* v = Get(key, required);
  if (v == nullptr) return std::nullopt;
  bool ok = v->is_array();
  std::vector<std::string> out;
  if (ok) {
    for (const auto& e : *v) {
      if (!e.is_string()) {
        ok = false;
        break;
      }
      out.push_back(e.get<std::string>());
    }
  }
  if (!ok) {
    Reject(std::string(key), "type", "must be a list of text");
    return std::nullopt;
  }
  return out;
}

std::optional<Json> Fields::Raw(std::string_view key, bool required) {
  const Json* v = Get(key, required);
  if (v == nullptr) return std::nullopt;
  return std::optional<Json>(std::in_place, *v);
}

Result<void> Fields::Finish() {
  bool unknown = false;
  for (auto it = obj_.begin(); it != obj_.end(); ++it) {
    if (!seen_.contains(it.key())) {
      errors_.push_back({it.key(), "unknown_field", "is not a field of this resource"});
      unknown = true;
    }
  }
  if (errors_.empty()) return {};
  Error e = Error::Validation(errors_);
  if (unknown && std::all_of(errors_.begin(), errors_.end(),
                             [](const FieldError& f) { return f.rule == "unknown_field"; })) {
    e.code = ErrorCode::kUnknownField;
  }
  return e;
}

}  // namespace radqs::http
