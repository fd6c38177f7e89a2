#include "exam/identity.h"

#include <gtest/gtest.h>

namespace radqs::exam {
namespace {

Date D(const char* text) { return *ParseDate(text); }

// The rule key of a failed parse ("" when it succeeded).
std::string RuleOf(std::string_view text) {
  const auto r = ParseResidentId(text);
  if (r) return "";
  const Error& e = r.error();
  EXPECT_EQ(e.code, ErrorCode::kValidationFailed);
  EXPECT_EQ(e.fields.size(), 1u);
  if (e.fields.empty()) return "?";
  EXPECT_EQ(e.fields[0].field, "id_number");
  return e.fields[0].rule;
}

TEST(ResidentId, CheckCharacterByHand) {
  // 1·7+1·9+0·10+1·5+0·8+5·4+1·2+9·1+4·6+9·3+1·7+2·9+3·10+1·5+0·8+0·4+2·2 = 167; 167 mod 11 = 2;
  // "10X98765432"[2] = 'X'.
  EXPECT_EQ(ResidentIdCheckChar("11010519491231002"), 'X');
  EXPECT_EQ(ResidentIdCheckChar("44030419900101123"), '3');
  EXPECT_EQ(ResidentIdCheckChar("11010519491231001"), '1');
}

TEST(ResidentId, StandardExampleIsValid) {
  const auto r = ParseResidentId("11010519491231002X");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->number18, "11010519491231002X");
  EXPECT_EQ(r->birth_date, D("1949-12-31"));
  EXPECT_EQ(r->sex, 'F');  // 17th digit 2: even
}

TEST(ResidentId, SexFromTheSeventeenthDigit) {
  const auto male = ParseResidentId("440304199001011233");  // 17th digit 3: odd
  ASSERT_TRUE(male);
  EXPECT_EQ(male->sex, 'M');
  EXPECT_EQ(male->birth_date, D("1990-01-01"));
  const auto female = ParseResidentId("44030419900101002X");
  ASSERT_TRUE(female);
  EXPECT_EQ(female->sex, 'F');
}

TEST(ResidentId, LowerCaseXIsStoredUpperCaseAndSpacesAreTrimmed) {
  const auto r = ParseResidentId("  11010519491231002x\t");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->number18, "11010519491231002X");
}

TEST(ResidentId, WrongCheckDigitIsRefused) {
  EXPECT_EQ(RuleOf("110105194912310021"), "check_digit");
  EXPECT_EQ(RuleOf("110105194912310011"), "");  // ...001 has check 1
  EXPECT_EQ(RuleOf("440304199001011230"), "check_digit");
  // X where a digit belongs.
  EXPECT_EQ(RuleOf("11010519491231001X"), "check_digit");
}

TEST(ResidentId, FifteenDigitNumbersAreUpgraded) {
  const auto r = ParseResidentId("110105491231002");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->number18, "11010519491231002X");
  EXPECT_EQ(r->birth_date, D("1949-12-31"));
  EXPECT_EQ(r->sex, 'F');
  const auto m = ParseResidentId("440304900101123");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->number18, "440304199001011233");
  EXPECT_EQ(m->sex, 'M');
  // A legacy number with an impossible date.
  EXPECT_EQ(RuleOf("110105490230002"), "birth_date");
  EXPECT_EQ(RuleOf("11010549123100X"), "format");
}

TEST(ResidentId, BirthDateMustBeARealDateFrom1900) {
  EXPECT_EQ(RuleOf("110105194902300020"), "birth_date");    // 30 February, valid check char
  EXPECT_EQ(RuleOf("110105194913010029"), "birth_date");    // month 13
  EXPECT_EQ(RuleOf("440304189912310016"), "birth_date");    // 1899
  EXPECT_EQ(RuleOf("440304190002290018"), "birth_date");    // 1900 was not a leap year
  const auto leap = ParseResidentId("440304200002290014");  // 2000 was
  ASSERT_TRUE(leap);
  EXPECT_EQ(leap->birth_date, D("2000-02-29"));
}

TEST(ResidentId, FormatErrors) {
  EXPECT_EQ(RuleOf(""), "format");
  EXPECT_EQ(RuleOf("   "), "format");
  EXPECT_EQ(RuleOf("11010519491231002"), "format");                     // 17
  EXPECT_EQ(RuleOf("11010519491231002X1"), "format");                   // 19
  EXPECT_EQ(RuleOf("1101051949123100"), "format");                      // 16
  EXPECT_EQ(RuleOf("11010519A91231002X"), "format");                    // a letter inside
  EXPECT_EQ(RuleOf("11010519491231002Y"), "format");                    // last not digit/X
  EXPECT_EQ(RuleOf("110105 19491231002X"), "format");                   // inner space
  EXPECT_EQ(RuleOf("１１０１０５１９４９１２３１００２Ｘ"), "format");  // full-width digits
}

TEST(ResidentId, CrossCheck) {
  const ResidentId id = *ParseResidentId("11010519491231002X");
  EXPECT_TRUE(CrossCheckResidentId(id, std::nullopt, std::nullopt).empty());
  EXPECT_TRUE(CrossCheckResidentId(id, D("1949-12-31"), 'F').empty());
  EXPECT_TRUE(CrossCheckResidentId(id, D("1949-12-31"), 'f').empty());

  auto errors = CrossCheckResidentId(id, D("1949-12-30"), 'M');
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0].field, "birth_date");
  EXPECT_EQ(errors[0].rule, "id_mismatch");
  EXPECT_NE(errors[0].message.find("1949-12-31"), std::string::npos);
  EXPECT_EQ(errors[1].field, "sex");
  EXPECT_EQ(errors[1].rule, "id_mismatch");

  errors = CrossCheckResidentId(id, std::nullopt, 'U');
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].field, "sex");
}

TEST(Masks, IdNumber) {
  // Neither the area code nor the birth date is shown: with the birth date beside it in the same
  // answer, the old "110105********002X" gave the whole number away.
  EXPECT_EQ(MaskIdNumber("11010519491231002X"), "**************002X");
  EXPECT_EQ(MaskIdNumber("110105491231002"), "***********1002");
  EXPECT_EQ(MaskIdNumber("E12345678"), "*****5678");
  EXPECT_EQ(MaskIdNumber("12345678"), "********");  // short: would show half of itself
  EXPECT_EQ(MaskIdNumber("12345678901"), "*******8901");
  EXPECT_EQ(MaskIdNumber(""), "");
  // Code points, not bytes: the UTF-8 stays whole.
  EXPECT_EQ(MaskIdNumber("港澳通行证C12345678"), "**********5678");
}

TEST(Masks, Phone) {
  EXPECT_EQ(MaskPhone("13812345678"), "138****5678");
  EXPECT_EQ(MaskPhone("+8613812345678"), "+86*******5678");
  EXPECT_EQ(MaskPhone("010-6512345"), "010****2345");
  EXPECT_EQ(MaskPhone("65123456"), "****3456");
  EXPECT_EQ(MaskPhone("1234567"), "*******");
  EXPECT_EQ(MaskPhone(""), "");
}

TEST(Phone, MobileOrLandline) {
  for (const char* ok :
       {"13812345678", "+8613812345678", "8619912345678", "0571-87654321", "057187654321",
        "010 6512345", "87654321", "0571-87654321-123", "0571-87654321转8001", "6512345ext12"}) {
    EXPECT_TRUE(PhoneNumberValid(ok)) << ok;
  }
  for (const char* bad : {"12345", "12812345678", "1381234567", "138123456789", "+85213812345",
                          "0571-0765432", "0571-876543210", "05-87654321", "87654321-",
                          "87654321转1234567", "138 1234 5678", "phone", ""}) {
    EXPECT_FALSE(PhoneNumberValid(bad)) << bad;
  }
}

TEST(Age, WholeYears) {
  EXPECT_EQ(AgeOn(D("1990-06-15"), D("2026-06-14")), 35);
  EXPECT_EQ(AgeOn(D("1990-06-15"), D("2026-06-15")), 36);
  EXPECT_EQ(AgeOn(D("1990-06-15"), D("1990-06-15")), 0);
  EXPECT_EQ(AgeOn(D("2000-02-29"), D("2025-02-28")), 24);
  EXPECT_EQ(AgeOn(D("2000-02-29"), D("2025-03-01")), 25);
  EXPECT_EQ(AgeOn(D("2000-02-29"), D("2024-02-29")), 24);
  EXPECT_EQ(AgeOn(D("2000-12-31"), D("2001-01-01")), 0);
  EXPECT_EQ(AgeOn(D("2000-06-01"), D("2000-05-01")), -1);
}

// The number of each document type but the 居民身份证, normalised and checked.
std::string DocumentRule(std::string_view type, std::string number, std::string* out = nullptr) {
  const auto e = CheckDocumentNumber(type, number, "documents[0].number");
  if (out) *out = number;
  if (!e) return "";
  EXPECT_EQ(e->field, "documents[0].number");
  return std::string(e->MessageKey());
}

TEST(DocumentNumber, EachTypeHasItsForm) {
  std::string n;
  EXPECT_EQ(DocumentRule("hk_macau_permit", " h1234 5678 ", &n), "");
  EXPECT_EQ(n, "H12345678");
  EXPECT_EQ(DocumentRule("hk_macau_permit", "M1234567890"), "");
  EXPECT_EQ(DocumentRule("hk_macau_permit", "X12345678"), "hk_macau_permit_format");
  EXPECT_EQ(DocumentRule("hk_macau_permit", "H1234567"), "hk_macau_permit_format");
  EXPECT_EQ(DocumentRule("taiwan_permit", "12345678"), "");
  EXPECT_EQ(DocumentRule("taiwan_permit", "1234567890"), "");
  EXPECT_EQ(DocumentRule("taiwan_permit", "T1234567"), "taiwan_permit_format");
  EXPECT_EQ(DocumentRule("foreign_permanent_resident", "chn123456789012", &n), "");
  EXPECT_EQ(n, "CHN123456789012");
  // The 2023 card: 9, then 16 digits and a GB 11643 check character.
  const std::string digits17 = "93311019900101123";
  EXPECT_EQ(DocumentRule("foreign_permanent_resident", digits17 + ResidentIdCheckChar(digits17)),
            "");
  const char wrong = ResidentIdCheckChar(digits17) == '0' ? '1' : '0';
  EXPECT_EQ(DocumentRule("foreign_permanent_resident", digits17 + wrong),
            "foreign_permanent_resident_format");
  EXPECT_EQ(DocumentRule("passport", "e12345678", &n), "");
  EXPECT_EQ(n, "E12345678");
  EXPECT_EQ(DocumentRule("passport", "E12"), "passport_format");
  EXPECT_EQ(DocumentRule("passport", "E1234-567"), "passport_format");
  EXPECT_EQ(DocumentRule("birth_certificate", "O330123456"), "");
  EXPECT_EQ(DocumentRule("birth_certificate", "330123456"), "birth_certificate_format");
  EXPECT_EQ(DocumentRule("military_officer", "南字第123456号"), "");
  EXPECT_EQ(DocumentRule("military_officer", "南"), "document_number_length");
  EXPECT_EQ(DocumentRule("other", "  "), "required");
  for (auto type : kDocumentTypes) EXPECT_TRUE(IsDocumentType(type));
  EXPECT_FALSE(IsDocumentType("driving_licence"));
}

}  // namespace
}  // namespace radqs::exam
