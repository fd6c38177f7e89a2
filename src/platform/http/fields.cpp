#include "platform/http/fields.h"

#include <fmt/format.h>

#include <algorithm>

namespace radqs::http {
namespace {

// Decodes the code point at s[i] (valid UTF-8) and advances i past it.
char32_t NextCodePoint(std::string_view s, std::size_t& i) {
  const auto b = static_cast<unsigned char>(s[i]);
  std::size_t n = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
  char32_t cp = n == 1 ? b : n == 2 ? (b & 0x1F) : n == 3 ? (b & 0x0F) : (b & 0x07);
  for (std::size_t k = 1; k < n && i + k < s.size(); ++k) {
    cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
  }
  i += n;
  return cp;
}

const char* TypeMessage(Shape::Kind kind) {
  switch (kind) {
    case Shape::Kind::kText:
      return "must be text";
    case Shape::Kind::kNumber:
      return "must be a number";
    case Shape::Kind::kInteger:
      return "must be an integer";
    case Shape::Kind::kBoolean:
      return "must be true or false";
    case Shape::Kind::kObject:
      return "must be an object";
    case Shape::Kind::kList:
      return "must be a list";
    case Shape::Kind::kAny:
      break;
  }
  return "has the wrong type";
}

}  // namespace

std::size_t Utf8Length(std::string_view s) {
  return static_cast<std::size_t>(std::count_if(
      s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

std::optional<FieldError> TextCharacterProblem(std::string_view text, bool multiline) {
  for (std::size_t i = 0; i < text.size();) {
    const char32_t c = NextCodePoint(text, i);
    const bool line_break = c == '\n' || c == '\r' || c == '\t' || c == 0x2028 || c == 0x2029;
    if (line_break) {
      if (multiline) continue;
      return FieldError{"", "single_line", "must be one line (no line breaks or tabs)"};
    }
    // NUL and the other C0 controls, DEL, C1; the embeddings, overrides and isolates that make
    // text display in another order than it is stored (Trojan Source, CVE-2021-42574).
    if (c < 0x20 || (c >= 0x7F && c <= 0x9F) || (c >= 0x202A && c <= 0x202E) ||
        (c >= 0x2066 && c <= 0x2069)) {
      return FieldError{"", "control_character",
                        fmt::format("must not contain the control character U+{:04X}",
                                    static_cast<std::uint32_t>(c))};
    }
  }
  return std::nullopt;
}

Shape Shape::Text(TextRule rule) { return Shape{Kind::kText, rule, {}, {}}; }
Shape Shape::Number() { return Shape{Kind::kNumber, {}, {}, {}}; }
Shape Shape::Integer() { return Shape{Kind::kInteger, {}, {}, {}}; }
Shape Shape::Boolean() { return Shape{Kind::kBoolean, {}, {}, {}}; }
Shape Shape::Object(std::vector<Member> members) {
  return Shape{Kind::kObject, {}, std::move(members), {}};
}
Shape Shape::List(Shape item) { return Shape{Kind::kList, {}, {}, {std::move(item)}}; }

Result<Fields> Fields::Parse(std::string_view body) {
  if (body.find_first_not_of(" \t\r\n") == std::string_view::npos) return Fields(Json::object());
  // The callback sees each container as it opens, at its depth (the top level is 0), and
  // discards a too-deep one before it is built: the parser itself keeps its state on the heap.
  bool too_deep = false;
  const Json::parser_callback_t depth_limit = [&too_deep](int depth, Json::parse_event_t event,
                                                          Json&) {
    if ((event == Json::parse_event_t::object_start || event == Json::parse_event_t::array_start) &&
        depth >= kMaxBodyDepth) {
      too_deep = true;
      return false;
    }
    return !too_deep;
  };
  Json parsed = Json::parse(body, depth_limit, false);
  if (too_deep) {
    return Error{ErrorCode::kMalformedJson,
                 fmt::format("request body is nested deeper than {} levels", kMaxBodyDepth),
                 {{"body", "depth",
                   fmt::format("must not be nested deeper than {} levels", kMaxBodyDepth)}}};
  }
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
  Reject(FieldError{std::move(field), std::move(rule), std::move(message)});
}

void Fields::Reject(FieldError error) {
  // One entry per field: the first rule that failed (a later "required" for a value refused as
  // malformed would contradict it).
  for (const auto& e : errors_) {
    if (e.field == error.field) return;
  }
  errors_.push_back(std::move(error));
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

std::optional<std::string> Fields::CheckText(const std::string& field, const Json& v,
                                             TextRule rule) {
  if (!v.is_string()) {
    Reject(field, "type", "must be text");
    return std::nullopt;
  }
  const auto& whole = v.get_ref<const std::string&>();
  const auto first = whole.find_first_not_of(" \t\r\n");
  const auto last = whole.find_last_not_of(" \t\r\n");
  std::string s = first == std::string::npos ? "" : whole.substr(first, last - first + 1);
  if (s.empty() && rule.required && !rule.allow_empty) {
    Reject(field, "required", "must not be empty");
    return std::nullopt;
  }
  if (Utf8Length(s) > rule.max_length) {
    Reject({field,
            "max_length",
            "must be at most " + std::to_string(rule.max_length) + " characters",
            "",
            {{"limit", static_cast<std::int64_t>(rule.max_length)}}});
    return std::nullopt;
  }
  if (auto bad = TextCharacterProblem(s, rule.multiline)) {
    bad->field = field;
    Reject(std::move(*bad));
    return std::nullopt;
  }
  return s;
}

std::optional<std::string> Fields::Text(std::string_view key, TextRule rule) {
  const Json* v = Get(key, rule.required);
  if (v == nullptr) return std::nullopt;
  return CheckText(std::string(key), *v, rule);
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
    Reject({std::string(key),
            "min",
            "must be >= " + std::to_string(*rule.min),
            "",
            {{"min", *rule.min}}});
    return std::nullopt;
  }
  if (rule.max && n > *rule.max) {
    Reject({std::string(key),
            "max",
            "must be <= " + std::to_string(*rule.max),
            "",
            {{"max", *rule.max}}});
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

std::optional<std::vector<std::string>> Fields::TextList(std::string_view key, bool required,
                                                         TextRule item) {
  const Json* v = Get(key, required);
  if (v == nullptr) return std::nullopt;
  if (!v->is_array() ||
      !std::all_of(v->begin(), v->end(), [](const Json& e) { return e.is_string(); })) {
    Reject(std::string(key), "type", "must be a list of text");
    return std::nullopt;
  }
  std::vector<std::string> out;
  bool ok = true;
  for (std::size_t i = 0; i < v->size(); ++i) {
    auto s = CheckText(fmt::format("{}[{}]", key, i), (*v)[i], item);
    ok = ok && s.has_value();
    if (s) out.push_back(std::move(*s));
  }
  if (!ok) return std::nullopt;
  return out;
}

std::optional<Json> Fields::Raw(std::string_view key, bool required) {
  const Json* v = Get(key, required);
  if (v == nullptr) return std::nullopt;
  return std::optional<Json>(std::in_place, *v);
}

std::optional<Json> Fields::Raw(std::string_view key, const Shape& shape, bool required) {
  const Json* v = Get(key, required);
  if (v == nullptr) return std::nullopt;
  Json out;
  if (!CheckShape(std::string(key), *v, shape, out)) return std::nullopt;
  return out;
}

// Checks `v` against `shape`, rejecting each problem at its path; `out` receives the value with
// null members dropped and texts trimmed. The recursion follows the shape, never the client's
// nesting, and bodies are at most kMaxBodyDepth deep anyway.
bool Fields::CheckShape(const std::string& path, const Json& v, const Shape& shape, Json& out) {
  using Kind = Shape::Kind;
  bool fits = true;
  switch (shape.kind) {
    case Kind::kAny:
      out = v;
      return true;
    case Kind::kText:
      if (auto s = CheckText(path, v, shape.text)) {
        out = std::move(*s);
        return true;
      }
      return false;
    case Kind::kNumber:
      fits = v.is_number();
      break;
    case Kind::kInteger:
      fits = v.is_number_integer();
      break;
    case Kind::kBoolean:
      fits = v.is_boolean();
      break;
    case Kind::kObject:
      fits = v.is_object();
      break;
    case Kind::kList:
      fits = v.is_array();
      break;
  }
  if (!fits) {
    Reject(path, "type", TypeMessage(shape.kind));
    return false;
  }
  if (shape.kind == Kind::kObject) {
    out = Json::object();
    bool ok = true;
    for (const auto& m : shape.members) {
      const auto it = v.find(m.key);
      const std::string at = path + "." + m.key;
      if (it == v.end() || it->is_null()) {
        if (m.required) {
          Reject(at, "required", "is required");
          ok = false;
        }
        continue;
      }
      Json member;
      if (CheckShape(at, *it, m.shape, member)) {
        out[m.key] = std::move(member);
      } else {
        ok = false;
      }
    }
    for (auto it = v.begin(); it != v.end(); ++it) {
      const bool known = std::any_of(shape.members.begin(), shape.members.end(),
                                     [&](const Shape::Member& m) { return m.key == it.key(); });
      if (!known) {
        Reject(path + "." + it.key(), "unknown_field", "is not a field of " + path);
        ok = false;
      }
    }
    return ok;
  }
  if (shape.kind == Kind::kList) {
    out = Json::array();
    bool ok = true;
    for (std::size_t i = 0; i < v.size(); ++i) {
      Json element;
      if (CheckShape(fmt::format("{}[{}]", path, i), v[i], shape.item.front(), element)) {
        out.push_back(std::move(element));
      } else {
        ok = false;
      }
    }
    return ok;
  }
  out = v;
  return true;
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
