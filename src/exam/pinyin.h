// Patient name pinyin (姓名拼音): generated from the shipped character table with a surname
// override table for 多音字, or taken as typed at registration — spec: domain.md §2 "Patient".
//
// Contract:
// - Pure functions, no I/O; the character table is compiled in (built from Unicode's Unihan
//   kMandarin readings, package unicode-data), so the answers never depend on the machine.
// - Pinyin is toneless ASCII; ü is written "v" (吕 → LV), as name pinyin is keyed in China.
// - Thread-safe: no mutable state.
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"

namespace radqs::exam {

// A name's pinyin in the three forms RadQS keeps.
struct Pinyin {
  std::string text;      // shown and exported: upper-case syllables, one space apart ("ZHANG SAN")
  std::string key;       // searched by prefix: lower-case, no spaces ("zhangsan")
  std::string initials;  // searched by prefix: first letter of each syllable ("zs")
};

// The reading of one Han character in the table, "" when it has none.
std::string_view SyllableOf(char32_t han);

// Pinyin of a name written in characters. A surname (compound 复姓 first, e.g. 尉迟, then
// single, e.g. 单 SHAN, 曾 ZENG) at the start of the name takes its surname reading; every other
// Han character takes its table reading; runs of Latin letters are kept as words; the
// separators of minority and foreign names (space, ·, -) and anything else are dropped.
Pinyin PinyinOfName(std::string_view name);

// Pinyin typed at registration: Latin letters in any case, tone-marked vowels (ǚ, ü → v),
// words separated by spaces, apostrophes, hyphens or middle dots. A word made of table syllables
// is split into them ("sanfeng" → SAN FENG); any other word is kept whole (e.g. a foreign name).
// Errors: kValidationFailed on field `name_pinyin`, rule "pinyin", for digits, Han characters
// and other symbols.
Result<Pinyin> ParseTypedPinyin(std::string_view typed);

}  // namespace radqs::exam
