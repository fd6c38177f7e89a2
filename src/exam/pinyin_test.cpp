#include "exam/pinyin.h"

#include <gtest/gtest.h>

namespace radqs::exam {
namespace {

TEST(Pinyin, TableReadingsAreToneless) {
  EXPECT_EQ(SyllableOf(U'张'), "zhang");
  EXPECT_EQ(SyllableOf(U'绿'), "lv");
  EXPECT_EQ(SyllableOf(U'略'), "lve");
  EXPECT_EQ(SyllableOf(U'A'), "");
  EXPECT_EQ(SyllableOf(U'𠀀'), "he");  // CJK extension B is in the table too
}

TEST(Pinyin, NameGivesTextKeyAndInitials) {
  const Pinyin p = PinyinOfName("张三丰");
  EXPECT_EQ(p.text, "ZHANG SAN FENG");
  EXPECT_EQ(p.key, "zhangsanfeng");
  EXPECT_EQ(p.initials, "zsf");
}

TEST(Pinyin, SurnameOverridesTheEverydayReading) {
  EXPECT_EQ(PinyinOfName("单田芳").text, "SHAN TIAN FANG");  // 单 dān elsewhere
  EXPECT_EQ(PinyinOfName("曾国藩").text, "ZENG GUO FAN");    // 曾 céng elsewhere
  EXPECT_EQ(PinyinOfName("覃海").text, "QIN HAI");
  EXPECT_EQ(PinyinOfName("解缙").text, "XIE JIN");
  EXPECT_EQ(PinyinOfName("吕布").text, "LV BU");
  // Only at the start: a given name keeps the everyday reading.
  EXPECT_EQ(PinyinOfName("王单").text, "WANG DAN");
}

TEST(Pinyin, CompoundSurnamesReadAsAUnit) {
  EXPECT_EQ(PinyinOfName("尉迟恭").text, "YU CHI GONG");
  EXPECT_EQ(PinyinOfName("万俟卨").initials, "mqx");
  EXPECT_EQ(PinyinOfName("欧阳修").key, "ouyangxiu");
}

TEST(Pinyin, SeparatorsAndLatinLetters) {
  EXPECT_EQ(PinyinOfName("迪丽热巴·迪力木拉提").text, "DI LI RE BA DI LI MU LA TI");
  EXPECT_EQ(PinyinOfName("李Anna").text, "LI ANNA");
  EXPECT_EQ(PinyinOfName(" 王 芳 ").text, "WANG FANG");
  EXPECT_EQ(PinyinOfName("").text, "");
  EXPECT_EQ(PinyinOfName("无名氏001").text, "WU MING SHI");
}

TEST(Pinyin, TypedPinyinIsSplitIntoSyllables) {
  auto p = ParseTypedPinyin("Zhang Sanfeng");
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->text, "ZHANG SAN FENG");
  EXPECT_EQ(p->initials, "zsf");
  EXPECT_EQ(ParseTypedPinyin("xi'an")->text, "XI AN");
  EXPECT_EQ(ParseTypedPinyin("xian")->text, "XIAN");  // fewest syllables
  EXPECT_EQ(ParseTypedPinyin("Lǚ Xiǎomíng")->text, "LV XIAO MING");
  EXPECT_EQ(ParseTypedPinyin("lü")->text, "LV");
}

TEST(Pinyin, TypedForeignWordsStayWhole) {
  auto p = ParseTypedPinyin("SMITH JOHN");
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->text, "SMITH JOHN");
  EXPECT_EQ(p->initials, "sj");
}

TEST(Pinyin, TypedPinyinRefusesOtherCharacters) {
  for (const char* bad : {"zhang3", "张san", "li_si", "wang@"}) {
    auto p = ParseTypedPinyin(bad);
    ASSERT_FALSE(p.has_value()) << bad;
    ASSERT_EQ(p.error().fields.size(), 1U);
    EXPECT_EQ(p.error().fields[0].field, "name_pinyin");
    EXPECT_EQ(p.error().fields[0].rule, "pinyin");
  }
}

}  // namespace
}  // namespace radqs::exam
