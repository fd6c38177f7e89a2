// Fuzz target: identity document numbers — the 居民身份证 parser with its check digit and
// embedded birth date, the cross-check against registered demographics, and the masks shown in
// lists. A number that parses is 18 characters with a matching check character, parses again
// to itself and agrees with its own birth date and sex; masks never grow the text and never
// show more than its last 4 characters.
#include <cstdint>
#include <string>

#include "exam/identity.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace radqs::exam;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  if (auto id = ParseResidentId(input)) {
    const std::string& n = id->number18;
    if (n.size() != 18 || ResidentIdCheckChar(n) != n[17]) __builtin_trap();
    auto again = ParseResidentId(n);
    if (!again || again->number18 != n || again->birth_date != id->birth_date) __builtin_trap();
    if (!CrossCheckResidentId(*id, id->birth_date, id->sex).empty()) __builtin_trap();
    if (AgeOn(id->birth_date, id->birth_date) != 0) __builtin_trap();
    const int days = size > 0 ? data[0] * 300 : 0;  // up to about 210 years later
    if (AgeOn(id->birth_date, radqs::Date{id->birth_date.days + days}) < 0) __builtin_trap();
    const std::string masked = MaskIdNumber(n);
    if (masked.size() != 18 || masked.substr(0, 14) != std::string(14, '*') ||
        masked.substr(14) != n.substr(14)) {
      __builtin_trap();
    }
  } else if (id.error().fields.empty() || id.error().fields[0].field != "id_number") {
    __builtin_trap();
  }
  if (MaskIdNumber(input).size() > input.size()) __builtin_trap();
  if (MaskPhone(input).size() > input.size()) __builtin_trap();
  return 0;
}
