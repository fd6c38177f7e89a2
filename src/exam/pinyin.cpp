#include "exam/pinyin.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

namespace radqs::exam {
namespace {

struct Reading {
  std::uint32_t code;
  std::uint16_t syllable;
};
#include "pinyin_table.inc"  // kSyllables, kReadings (sorted by code): generated at build time

struct SurnameReading {
  std::string_view characters;
  std::string_view syllables;  // space-separated
};

// spec: domain.md §2 "a surname override table for 多音字".
// Surnames whose reading differs from the character's everyday reading (姓氏多音字), and compound
// surnames (复姓) read as a unit. Checked in order at the start of a name: compounds first.
constexpr SurnameReading kSurnames[] = {
    {"尉迟", "yu chi"},    {"万俟", "mo qi"},      {"单于", "chan yu"},   {"澹台", "tan tai"},
    {"乐正", "yue zheng"}, {"长孙", "zhang sun"},  {"令狐", "ling hu"},   {"欧阳", "ou yang"},
    {"司马", "si ma"},     {"上官", "shang guan"}, {"诸葛", "zhu ge"},    {"东方", "dong fang"},
    {"皇甫", "huang fu"},  {"公孙", "gong sun"},   {"慕容", "mu rong"},   {"宇文", "yu wen"},
    {"司徒", "si tu"},     {"夏侯", "xia hou"},    {"轩辕", "xuan yuan"}, {"钟离", "zhong li"},
    {"西门", "xi men"},    {"端木", "duan mu"},    {"南宫", "nan gong"},  {"独孤", "du gu"},
    {"呼延", "hu yan"},    {"拓跋", "tuo ba"},     {"百里", "bai li"},    {"闻人", "wen ren"},
    {"赫连", "he lian"},   {"申屠", "shen tu"},    {"淳于", "chun yu"},   {"濮阳", "pu yang"},
    {"宰父", "zai fu"},    {"亓官", "qi guan"},    {"单", "shan"},        {"曾", "zeng"},
    {"解", "xie"},         {"仇", "qiu"},          {"朴", "piao"},        {"查", "zha"},
    {"区", "ou"},          {"盖", "ge"},           {"覃", "qin"},         {"乐", "yue"},
    {"员", "yun"},         {"缪", "miao"},         {"翟", "zhai"},        {"秘", "bi"},
    {"召", "shao"},        {"宓", "mi"},           {"卜", "bu"},          {"繁", "po"},
    {"折", "she"},         {"沈", "shen"},         {"祭", "zhai"},        {"车", "che"},
    {"重", "chong"},       {"种", "chong"},        {"隗", "wei"},         {"尉", "wei"},
    {"那", "na"},          {"能", "nai"},          {"黑", "he"},          {"冼", "xian"},
    {"洗", "xian"},        {"过", "guo"},          {"句", "gou"},         {"隽", "juan"},
    {"阚", "kan"},         {"粘", "nian"},         {"藏", "zang"},        {"柏", "bai"},
    {"薄", "bo"},          {"褚", "chu"},          {"燕", "yan"},         {"纪", "ji"},
    {"乜", "nie"},         {"逄", "pang"},         {"都", "du"},          {"行", "xing"},
    {"任", "ren"},         {"华", "hua"},          {"石", "shi"},         {"陆", "lu"},
    {"贾", "jia"},         {"谌", "chen"},         {"莘", "shen"},        {"曲", "qu"},
    {"朝", "chao"},        {"谷", "gu"},           {"蕃", "pi"},          {"殷", "yin"},
};

// Decodes one UTF-8 sequence at `i`, advancing it; a broken sequence answers U+FFFD.
char32_t NextCodePoint(std::string_view s, std::size_t& i) {
  const auto b = static_cast<unsigned char>(s[i++]);
  if (b < 0x80) return b;
  const int extra = b >= 0xF0 ? 3 : b >= 0xE0 ? 2 : b >= 0xC0 ? 1 : -1;
  if (extra < 0 || i + static_cast<std::size_t>(extra) > s.size()) return 0xFFFD;
  char32_t c = b & (0x3F >> extra);
  for (int k = 0; k < extra; ++k) c = (c << 6) | (static_cast<unsigned char>(s[i++]) & 0x3F);
  return c;
}

bool IsSeparator(char32_t c) {
  return c == ' ' || c == '\'' || c == '-' || c == U'·' || c == U'•' || c == U'・' || c == U'‧' ||
         c == U'　';
}

char Lower(char32_t c) { return static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c); }

// The toneless letter of a tone-marked pinyin vowel, 0 for anything else.
char ToneMarkBase(char32_t c) {
  switch (c) {
    case U'ā':
    case U'á':
    case U'ǎ':
    case U'à':
      return 'a';
    case U'ē':
    case U'é':
    case U'ě':
    case U'è':
    case U'ê':
      return 'e';
    case U'ī':
    case U'í':
    case U'ǐ':
    case U'ì':
      return 'i';
    case U'ō':
    case U'ó':
    case U'ǒ':
    case U'ò':
      return 'o';
    case U'ū':
    case U'ú':
    case U'ǔ':
    case U'ù':
      return 'u';
    case U'ü':
    case U'Ü':
    case U'ǖ':
    case U'ǘ':
    case U'ǚ':
    case U'ǜ':
      return 'v';
    default:
      return 0;
  }
}

// Collects lower-case words and renders the three forms.
class Words {
 public:
  void Add(std::string_view word) {
    if (!word.empty()) words_.emplace_back(word);
  }
  void AddSpaced(std::string_view syllables) {  // "yu chi"
    std::size_t start = 0;
    while (start <= syllables.size()) {
      const auto end = std::min(syllables.find(' ', start), syllables.size());
      Add(syllables.substr(start, end - start));
      start = end + 1;
    }
  }
  Pinyin Render() const {
    Pinyin p;
    for (const auto& w : words_) {
      if (!p.text.empty()) p.text += ' ';
      for (char c : w) p.text += static_cast<char>(c >= 'a' && c <= 'z' ? c - 32 : c);
      p.key += w;
      p.initials += w.front();
    }
    return p;
  }

 private:
  std::vector<std::string> words_;
};

bool IsSyllable(std::string_view s) {
  // Vowel-less readings (hm, ng, m, n) are interjections, never a split point in a name.
  if (s.find_first_of("aeiouv") == std::string_view::npos) return false;
  return std::any_of(std::begin(kSyllables), std::end(kSyllables),
                     [&](const char* syllable) { return s == syllable; });
}

// Splits a run of letters into the fewest table syllables, the longer first syllable winning a
// tie; an empty answer when the run is not all syllables.
std::vector<std::string_view> SplitSyllables(std::string_view run) {
  constexpr std::size_t kLongest = 6;  // "zhuang"
  const std::size_t n = run.size();
  std::vector<int> fewest(n + 1, -1);  // fewest syllables covering run[i..n)
  std::vector<std::size_t> step(n + 1, 0);
  fewest[n] = 0;
  for (std::size_t i = n; i-- > 0;) {
    for (std::size_t len = std::min(kLongest, n - i); len >= 1; --len) {
      if (fewest[i + len] < 0 || !IsSyllable(run.substr(i, len))) continue;
      if (fewest[i] < 0 || fewest[i + len] + 1 < fewest[i]) {
        fewest[i] = fewest[i + len] + 1;
        step[i] = len;
      }
    }
  }
  std::vector<std::string_view> out;
  if (fewest[0] < 0) return out;
  for (std::size_t i = 0; i < n; i += step[i]) out.push_back(run.substr(i, step[i]));
  return out;
}

}  // namespace

std::string_view SyllableOf(char32_t han) {
  const auto it = std::lower_bound(std::begin(kReadings), std::end(kReadings), han,
                                   [](const Reading& r, char32_t c) { return r.code < c; });
  if (it == std::end(kReadings) || it->code != han) return {};
  return kSyllables[it->syllable];
}

Pinyin PinyinOfName(std::string_view name) {
  Words words;
  std::size_t i = 0;
  while (i < name.size() && name[i] == ' ') ++i;
  for (const auto& s : kSurnames) {
    if (name.substr(i).starts_with(s.characters)) {
      words.AddSpaced(s.syllables);
      i += s.characters.size();
      break;
    }
  }
  std::string latin;
  while (i < name.size()) {
    const char32_t c = NextCodePoint(name, i);
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
      latin += Lower(c);
      continue;
    }
    words.Add(latin);
    latin.clear();
    words.Add(SyllableOf(c));  // "" (not added) for separators and anything else
  }
  words.Add(latin);
  return words.Render();
}

Result<Pinyin> ParseTypedPinyin(std::string_view typed) {
  Words words;
  std::string run;
  auto end_run = [&] {
    const auto parts = SplitSyllables(run);
    if (parts.empty()) {
      words.Add(run);
    } else {
      for (auto part : parts) words.Add(part);
    }
    run.clear();
  };
  for (std::size_t i = 0; i < typed.size();) {
    const char32_t c = NextCodePoint(typed, i);
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
      run += Lower(c);
    } else if (const char base = ToneMarkBase(c)) {
      run += base;
    } else if (IsSeparator(c)) {
      end_run();
    } else {
      return Error::Field(ErrorCode::kValidationFailed, "name_pinyin", "pinyin",
                          "only Latin letters, tone-marked vowels, spaces, apostrophes, hyphens "
                          "and middle dots");
    }
  }
  end_run();
  return words.Render();
}

}  // namespace radqs::exam
