// Fuzz target: name pinyin — generated from a name in characters (any bytes, broken UTF-8
// included) and parsed as typed at registration. The three forms are always plain ASCII:
// upper-case words one space apart, a lower-case key, one initial per word.
#include <cstdint>
#include <string>

#include "exam/pinyin.h"

namespace {

bool Wellformed(const radqs::exam::Pinyin& p) {
  std::size_t words = p.text.empty() ? 0 : 1;
  for (std::size_t i = 0; i < p.text.size(); ++i) {
    const char c = p.text[i];
    if (c == ' ') {
      if (i == 0 || i + 1 == p.text.size() || p.text[i - 1] == ' ') return false;
      ++words;
    } else if (c < 'A' || c > 'Z') {
      return false;
    }
  }
  for (char c : p.key + p.initials) {
    if (c < 'a' || c > 'z') return false;
  }
  return p.initials.size() == words && p.key.size() + words - (words > 0 ? 1 : 0) == p.text.size();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace radqs::exam;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  if (!Wellformed(PinyinOfName(input))) __builtin_trap();
  if (auto typed = ParseTypedPinyin(input)) {
    if (!Wellformed(*typed)) __builtin_trap();
    // The shown text, typed again, reads as the same key.
    auto again = ParseTypedPinyin(typed->text);
    if (!again || again->key != typed->key) __builtin_trap();
  } else if (typed.error().fields.empty()) {
    __builtin_trap();
  }
  return 0;
}
