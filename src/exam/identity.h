// Patient identity documents: the 居民身份证 (resident identity card) number of GB 11643-1999,
// its cross-check against the registered birth date and sex, the masks used in logs and lists,
// and age in whole years — spec: domain.md §2 "Patient", regulations.md §8.
//
// Contract:
// - Pure functions, no I/O, no clock: anything time-dependent takes the date as a parameter.
// - Dates are `Date` day numbers of the local calendar (core/time.h).
// - Validation failures are values: Error{kValidationFailed} naming field "id_number" and a rule
//   key ("format", "check_digit", "birth_date"); cross-checks answer FieldError lists.
// - Thread-safe: no shared state.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/result.h"
#include "core/time.h"

namespace radqs::exam {

// A checked 居民身份证 number, always in its 18-character form.
struct ResidentId {
  std::string number18;  // 17 digits and the check character (0-9 or upper-case X)
  Date birth_date;       // from characters 7..14 (YYYYMMDD)
  char sex = 'F';        // 'M' or 'F' from the 17th character: odd is male
};

// The GB 11643 check character ('0'..'9' or 'X') of the first 17 digits of `digits17`.
// Precondition: `digits17` holds at least 17 characters, the first 17 of them ASCII digits.
char ResidentIdCheckChar(std::string_view digits17);

// Parses a 居民身份证 number. Leading and trailing ASCII white space is ignored.
// Accepts:
// - 18 characters: 17 digits then the check character; a lower-case 'x' is accepted and stored
//   upper-case. The check character must match (weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2,
//   sum mod 11 indexes "10X98765432").
// - 15 digits (legacy, first-generation card): area(6) YYMMDD(6) sequence(3), the year read as
//   19YY; upgraded to 18 characters by inserting "19" and appending the computed check character.
// The embedded birth date must be a real calendar date with year >= 1900. There is no "not in
// the future" check here: that needs today's date and is the caller's rule if it wants one.
// Errors (all ErrorCode::kValidationFailed, field "id_number"), checked in this order:
// - "format": wrong length, or a character other than digits (and the final X of 18);
// - "check_digit": the 18th character does not match the first 17 (a mistyped number, so the
//   date inside is not trusted and not checked);
// - "birth_date": the date inside is not a real date or is before 1900.
Result<ResidentId> ParseResidentId(std::string_view text);

// Compares registered demographics with what the ID number says. Absent values are not checked.
// Answers one FieldError per mismatch, rule "id_mismatch", on field "birth_date" or "sex"; sex is
// compared case-insensitively, and any value other than the ID's own 'M'/'F' is a mismatch.
// An empty list means consistent.
std::vector<FieldError> CrossCheckResidentId(const ResidentId& id, std::optional<Date> birth_date,
                                             std::optional<char> sex);

// The identity documents a patient (or their guardian) can register with (spec: domain.md §2
// "Patient": identity document type and number; issue 14 item 7 names the types):
// 居民身份证, 港澳居民来往内地通行证, 台湾居民来往大陆通行证, 外国人永久居留身份证, 护照, 军官证,
// 出生医学证明 (a newborn's, usually beside a parent's card) and any other.
inline constexpr std::array<std::string_view, 8> kDocumentTypes = {
    "resident_id", "hk_macau_permit",  "taiwan_permit",     "foreign_permanent_resident",
    "passport",    "military_officer", "birth_certificate", "other"};

bool IsDocumentType(std::string_view type);

// Checks and normalises the number of a document other than a 居民身份证 (ParseResidentId):
// white space removed and ASCII letters upper-cased, then its form, on field `field`:
// - hk_macau_permit: H or M and 8 digits, or 10 digits after the letter (older cards);
// - taiwan_permit: 8 digits, or 10 (older cards);
// - foreign_permanent_resident: 3 letters and 12 digits (2017 card), or 18 characters starting
//   with 9 with a GB 11643 check character (2023 card);
// - passport: 5 to 20 letters and digits;
// - birth_certificate: one letter and 9 digits;
// - military_officer, other: 2 to 40 characters, free form.
// An empty number is "required". Answers the first failure, or nothing.
std::optional<FieldError> CheckDocumentNumber(std::string_view type, std::string& number,
                                              const std::string& field);

// Masks an identity document number for logs and lists (spec: regulations.md §8 "masked in logs
// and lists"): keeps only the last 4 characters and replaces each one before them with '*', e.g.
// "11010519491231002X" → "**************002X". Nothing of the front is kept: a 居民身份证 number
// is area(6) birth date(8) sequence(3) check(1), the birth date is shown beside it, and the area
// code is the only part then left hidden (see docs/decisions.md "Masked identity numbers").
// Works on UTF-8 code points so that free text documents (passports, others) never come out as
// broken UTF-8. A string of 8 code points or fewer would show half of itself and is masked
// entirely (same length).
std::string MaskIdNumber(std::string_view n);

// A phone number a patient can be called on (spec: domain.md §2 "phone"): a mainland mobile
// number, 1[3-9] and 9 more digits, optionally after +86 or 86; or a landline of 7 or 8 digits
// not starting with 0 or 1, optionally after an area code (0 and 2 or 3 digits) and a hyphen or
// space, optionally followed by an extension ("-", "转" or "ext" and 1 to 6 digits).
bool PhoneNumberValid(std::string_view phone);

// Masks a phone number: "13812345678" → "138****5678". Keeps the first 3 and last 4 code points
// when at least 4 remain hidden between them (11 or more code points); from 8 to 10 code points
// only the last 4 are kept; shorter strings are masked entirely. The length is preserved.
std::string MaskPhone(std::string_view p);

// Age in completed years (周岁) on date `on`: the count of birthdays reached by `on`. A person
// born on 29 February reaches a new year on 1 March in common years. Negative when `on` is before
// `birth` (floor semantics; callers validating input should reject that first).
int AgeOn(Date birth, Date on);

}  // namespace radqs::exam
