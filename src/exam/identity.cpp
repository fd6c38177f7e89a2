// Rules of patient identity documents: pure functions, no I/O.
#include "exam/identity.h"

#include <array>
#include <cstddef>

namespace radqs::exam {
namespace {

constexpr std::string_view kField = "id_number";

// spec: regulations.md §8 (GB 11643-1999): weights of the first 17 digits and the check table.
constexpr std::array<int, 17> kWeights = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
constexpr std::string_view kCheckChars = "10X98765432";

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool AllDigits(std::string_view s) {
  for (char c : s) {
    if (!IsDigit(c)) return false;
  }
  return true;
}

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

int DigitsValue(std::string_view s) {
  int v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  return v;
}

Error IdError(std::string rule, std::string message) {
  return Error::Field(ErrorCode::kValidationFailed, std::string(kField), std::move(rule),
                      std::move(message));
}

// Splits UTF-8 text into code points (byte ranges). A byte that does not start a well-formed
// sequence counts as one code point by itself, so the split never loses or invents bytes.
std::vector<std::string_view> CodePoints(std::string_view s) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < s.size()) {
    const auto b = static_cast<unsigned char>(s[i]);
    std::size_t n = 1;
    if (b >= 0xC2 && b <= 0xDF) {
      n = 2;
    } else if (b >= 0xE0 && b <= 0xEF) {
      n = 3;
    } else if (b >= 0xF0 && b <= 0xF4) {
      n = 4;
    }
    bool ok = i + n <= s.size();
    for (std::size_t k = 1; ok && k < n; ++k) {
      ok = (static_cast<unsigned char>(s[i + k]) & 0xC0) == 0x80;
    }
    if (!ok) n = 1;
    out.push_back(s.substr(i, n));
    i += n;
  }
  return out;
}

// Keeps `head` leading and `tail` trailing code points and replaces the others with '*'.
std::string KeepEnds(const std::vector<std::string_view>& cps, std::size_t head, std::size_t tail) {
  std::string out;
  for (std::size_t i = 0; i < cps.size(); ++i) {
    if (i < head || i + tail >= cps.size()) {
      out.append(cps[i]);
    } else {
      out.push_back('*');
    }
  }
  return out;
}

}  // namespace

char ResidentIdCheckChar(std::string_view digits17) {
  int sum = 0;
  for (std::size_t i = 0; i < kWeights.size(); ++i) sum += (digits17[i] - '0') * kWeights[i];
  return kCheckChars[static_cast<std::size_t>(sum % 11)];
}

Result<ResidentId> ParseResidentId(std::string_view text) {
  const std::string_view t = Trim(text);
  std::string number;
  if (t.size() == 18) {
    if (!AllDigits(t.substr(0, 17))) {
      return IdError("format", "the first 17 characters must be digits");
    }
    char last = t[17];
    if (last == 'x') last = 'X';  // spec: regulations.md §8 "accept lower-case x, store upper"
    if (!IsDigit(last) && last != 'X') {
      return IdError("format", "the last character must be a digit or X");
    }
    number.assign(t.substr(0, 17));
    number.push_back(last);
    if (ResidentIdCheckChar(number) != last) {
      return IdError("check_digit", "the check character does not match (mistyped number?)");
    }
  } else if (t.size() == 15) {
    if (!AllDigits(t)) return IdError("format", "a 15-digit number must contain digits only");
    // spec: regulations.md §8 "15-digit legacy numbers are accepted and upgraded": the
    // first-generation card wrote the year with two digits, all of them 19xx.
    number.assign(t.substr(0, 6));
    number += "19";
    number.append(t.substr(6));
    number.push_back(ResidentIdCheckChar(number));
  } else {
    return IdError("format", "must be 18 characters (or a legacy 15-digit number)");
  }

  const CivilDate civil{DigitsValue(std::string_view(number).substr(6, 4)),
                        static_cast<unsigned>(DigitsValue(std::string_view(number).substr(10, 2))),
                        static_cast<unsigned>(DigitsValue(std::string_view(number).substr(12, 2)))};
  if (civil.year < 1900 || !IsValidCivil(civil)) {
    return IdError("birth_date", "the birth date inside the number is not a real date");
  }
  ResidentId id;
  id.birth_date = DateFromCivil(civil);
  id.sex = (number[16] - '0') % 2 == 1 ? 'M' : 'F';
  id.number18 = std::move(number);
  return id;
}

std::vector<FieldError> CrossCheckResidentId(const ResidentId& id, std::optional<Date> birth_date,
                                             std::optional<char> sex) {
  std::vector<FieldError> errors;
  if (birth_date && *birth_date != id.birth_date) {
    errors.push_back({"birth_date", "id_mismatch",
                      "the ID number says the birth date is " + FormatDate(id.birth_date)});
  }
  if (sex) {
    char s = *sex;
    if (s == 'm' || s == 'f') s = static_cast<char>(s - 'a' + 'A');
    if (s != id.sex) {
      errors.push_back(
          {"sex", "id_mismatch",
           std::string("the ID number says the sex is ") + (id.sex == 'M' ? "M" : "F")});
    }
  }
  return errors;
}

bool IsDocumentType(std::string_view type) {
  for (std::string_view t : kDocumentTypes) {
    if (t == type) return true;
  }
  return false;
}

namespace {

bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }
bool IsAlnum(char c) { return IsUpper(c) || IsDigit(c); }

// `s` is a letter from `letters` and then `digits` digits.
bool LetterThenDigits(std::string_view s, std::string_view letters, std::size_t digits) {
  return s.size() == digits + 1 && letters.find(s[0]) != std::string_view::npos &&
         AllDigits(s.substr(1));
}

}  // namespace

std::optional<FieldError> CheckDocumentNumber(std::string_view type, std::string& number,
                                              const std::string& field) {
  std::string n;
  for (char c : number) {
    if (IsSpace(c)) continue;
    n += (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
  }
  number = n;
  if (n.empty()) return FieldError{field, "required", "is required"};
  if (type == "hk_macau_permit") {
    if (LetterThenDigits(n, "HM", 8) || LetterThenDigits(n, "HM", 10)) return std::nullopt;
    return FieldError{field, "format", "must be H or M and 8 (or 10) digits",
                      "hk_macau_permit_format"};
  }
  if (type == "taiwan_permit") {
    if ((n.size() == 8 || n.size() == 10) && AllDigits(n)) return std::nullopt;
    return FieldError{field, "format", "must be 8 (or 10) digits", "taiwan_permit_format"};
  }
  if (type == "foreign_permanent_resident") {
    const bool card2017 =
        n.size() == 15 && IsUpper(n[0]) && IsUpper(n[1]) && IsUpper(n[2]) && AllDigits(n.substr(3));
    const bool card2023 = n.size() == 18 && n[0] == '9' && AllDigits(n.substr(0, 17)) &&
                          ResidentIdCheckChar(n) == n[17];
    if (card2017 || card2023) return std::nullopt;
    return FieldError{field, "format",
                      "must be 3 letters and 12 digits, or 18 characters starting with 9 with a "
                      "valid check character",
                      "foreign_permanent_resident_format"};
  }
  if (type == "passport") {
    bool ok = n.size() >= 5 && n.size() <= 20;
    for (char c : n) ok = ok && IsAlnum(c);
    if (ok) return std::nullopt;
    return FieldError{field, "format", "must be 5 to 20 letters and digits", "passport_format"};
  }
  if (type == "birth_certificate") {
    if (LetterThenDigits(n, "ABCDEFGHIJKLMNOPQRSTUVWXYZ", 9)) return std::nullopt;
    return FieldError{field, "format", "must be one letter and 9 digits",
                      "birth_certificate_format"};
  }
  const std::size_t length = CodePoints(n).size();
  if (length < 2 || length > 40) {
    return FieldError{field, "format", "must be 2 to 40 characters", "document_number_length"};
  }
  return std::nullopt;
}

std::string MaskIdNumber(std::string_view n) {
  const auto cps = CodePoints(n);
  if (cps.size() <= 8) return std::string(cps.size(), '*');
  return KeepEnds(cps, 0, 4);
}

namespace {

// Consumes a run of from `min` to `max` digits; false when the run is shorter or longer.
bool Digits(std::string_view& s, std::size_t min, std::size_t max) {
  std::size_t n = 0;
  while (n < s.size() && s[n] >= '0' && s[n] <= '9') ++n;
  if (n < min || n > max) return false;
  s.remove_prefix(n);
  return true;
}

bool Consume(std::string_view& s, std::string_view prefix) {
  if (s.substr(0, prefix.size()) != prefix) return false;
  s.remove_prefix(prefix.size());
  return true;
}

bool MobileValid(std::string_view s) {
  if (!Consume(s, "+86")) Consume(s, "86");
  return s.size() == 11 && s[0] == '1' && s[1] >= '3' && s[1] <= '9' && Digits(s, 11, 11) &&
         s.empty();
}

// The number after the area code: 7 or 8 digits not starting with 0 or 1, then an extension.
bool LocalNumberValid(std::string_view s) {
  if (s.empty() || s[0] == '0' || s[0] == '1' || !Digits(s, 7, 8)) return false;
  if (s.empty()) return true;
  if (!Consume(s, "-") && !Consume(s, "转") && !Consume(s, "ext")) return false;
  return Digits(s, 1, 6) && s.empty();
}

bool LandlineValid(std::string_view s) {
  if (s.empty() || s[0] != '0') return LocalNumberValid(s);
  // An area code is 0 and 2 or 3 digits (010, 0571); written together with the number, either
  // split may be the one meant.
  for (const std::size_t area : {3, 4}) {
    if (s.size() <= area) return false;
    std::string_view code = s.substr(0, area);
    if (!Digits(code, area, area)) return false;
    std::string_view rest = s.substr(area);
    if (!Consume(rest, "-")) Consume(rest, " ");
    if (LocalNumberValid(rest)) return true;
  }
  return false;
}

}  // namespace

bool PhoneNumberValid(std::string_view phone) { return MobileValid(phone) || LandlineValid(phone); }

std::string MaskPhone(std::string_view p) {
  const auto cps = CodePoints(p);
  if (cps.size() >= 11) return KeepEnds(cps, 3, 4);
  if (cps.size() >= 8) return KeepEnds(cps, 0, 4);
  return std::string(cps.size(), '*');
}

int AgeOn(Date birth, Date on) {
  const CivilDate b = CivilFromDate(birth);
  const CivilDate o = CivilFromDate(on);
  int years = o.year - b.year;
  // The birthday of this year has not come yet: (month, day) compared as a pair. 29 February
  // compares after 28 February, so the leap-day born turn a year older on 1 March.
  if (o.month < b.month || (o.month == b.month && o.day < b.day)) --years;
  return years;
}

}  // namespace radqs::exam
