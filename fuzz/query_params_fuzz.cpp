// Fuzz target: a request target ("/path?a=1&b=%41") as the server splits and decodes it, then
// the list filters read from it with QueryParams. Nothing may throw or crash; decoding never
// grows the text; every bad parameter is named.
#include <cstdint>
#include <string>

#include "platform/http/query_params.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using radqs::http::QueryParams;
  using radqs::http::Request;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  if (radqs::http::PercentDecode(input).size() > input.size()) __builtin_trap();
  Request r;
  r.target = "/api/v1/exams?" + std::string(input);
  radqs::http::ParseTarget(r);
  for (const auto& [name, value] : r.query) {
    if (name.size() > size || value.size() > size) __builtin_trap();
  }
  QueryParams q(r);
  (void)q.Text("q");
  (void)q.Integer("patient_id");
  (void)q.Integer("limit", 1, 500);
  (void)q.Integer("offset", INT64_MIN, INT64_MAX);
  (void)q.Day("on");
  (void)q.DayStart("from", 480);
  (void)q.DayStart("to", -720, 1);
  const auto done = q.Finish();
  if (!done) {
    for (const auto& e : done.error().fields) {
      if (e.field.empty() || e.rule.empty()) __builtin_trap();
    }
  }
  return 0;
}
