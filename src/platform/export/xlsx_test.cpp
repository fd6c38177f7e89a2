#include "platform/export/xlsx.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <cstdint>
#include <map>
#include <string>

#include "platform/export/list_export.h"

namespace radqs {
namespace {

std::uint32_t U32(const std::string& b, std::size_t at) {
  return static_cast<std::uint32_t>(static_cast<unsigned char>(b[at])) |
         static_cast<std::uint32_t>(static_cast<unsigned char>(b[at + 1])) << 8 |
         static_cast<std::uint32_t>(static_cast<unsigned char>(b[at + 2])) << 16 |
         static_cast<std::uint32_t>(static_cast<unsigned char>(b[at + 3])) << 24;
}
std::uint16_t U16(const std::string& b, std::size_t at) {
  return static_cast<std::uint16_t>(static_cast<unsigned char>(b[at]) |
                                    static_cast<unsigned char>(b[at + 1]) << 8);
}

// The members of a zip archive by name, read through its central directory.
std::map<std::string, std::string> Unzip(const std::string& zip) {
  std::map<std::string, std::string> out;
  std::size_t eocd = zip.rfind(std::string("PK\x05\x06", 4));
  if (eocd == std::string::npos) return out;
  const std::uint16_t count = U16(zip, eocd + 10);
  std::size_t at = U32(zip, eocd + 16);
  for (int i = 0; i < count; ++i) {
    if (U32(zip, at) != 0x02014b50) break;
    const std::uint16_t method = U16(zip, at + 10);
    const std::uint32_t csize = U32(zip, at + 20), usize = U32(zip, at + 24);
    const std::uint16_t nlen = U16(zip, at + 28), xlen = U16(zip, at + 30),
                        clen = U16(zip, at + 32);
    const std::uint32_t local = U32(zip, at + 42);
    const std::string name = zip.substr(at + 46, nlen);
    const std::size_t data = local + 30 + U16(zip, local + 26) + U16(zip, local + 28);
    std::string content(usize, '\0');
    if (method == 0) {
      content = zip.substr(data, csize);
    } else {
      z_stream s{};
      inflateInit2(&s, -MAX_WBITS);
      s.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(zip.data() + data));
      s.avail_in = csize;
      s.next_out = reinterpret_cast<Bytef*>(content.data());
      s.avail_out = usize;
      inflate(&s, Z_FINISH);
      inflateEnd(&s);
    }
    out[name] = content;
    at += 46 + nlen + xlen + clen;
  }
  return out;
}

TEST(Xlsx, WritesAZipWithTheSheetHeaderFrozenAndTypedCells) {
  xlsx::Sheet sheet{"检查列表", {{"检查号", 20}, {"人数", 8}, {"预约时间", 18}, {"日期", 12}}, {}};
  // 2026-12-02 09:45 local.
  const Micros local =
      StartOfLocalDate(*ParseDate("2026-12-02"), 0) + 9 * kMicrosPerHour + 45 * kMicrosPerMinute;
  sheet.rows.push_back({xlsx::Text("CT202612020001"), xlsx::Number(3), xlsx::DateTime(local),
                        xlsx::DateOnly(*ParseDate("2026-12-02"))});
  sheet.rows.push_back({xlsx::Text("张三"), {}, {}, {}});
  auto bytes = xlsx::Write(sheet);
  ASSERT_TRUE(bytes) << bytes.error().message;
  ASSERT_EQ(bytes->substr(0, 2), "PK");

  const auto files = Unzip(*bytes);
  ASSERT_TRUE(files.count("xl/worksheets/sheet1.xml"));
  ASSERT_TRUE(files.count("xl/workbook.xml"));
  ASSERT_TRUE(files.count("xl/sharedStrings.xml"));
  const std::string& ws = files.at("xl/worksheets/sheet1.xml");
  EXPECT_NE(ws.find("<pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" "
                    "state=\"frozen\"/>"),
            std::string::npos)
      << ws;
  EXPECT_NE(ws.find("<col min=\"1\" max=\"1\" width=\"20.7109375\" customWidth=\"1\"/>"),
            std::string::npos)
      << ws;
  EXPECT_NE(ws.find("<c r=\"B2\"><v>3</v></c>"), std::string::npos) << ws;
  // 2026-12-02 is Excel day 46358; 09:45 is 0.40625 of a day.
  EXPECT_NE(ws.find("<c r=\"C2\" s=\"2\"><v>46358.40625</v></c>"), std::string::npos) << ws;
  EXPECT_NE(ws.find("<c r=\"D2\" s=\"3\"><v>46358</v></c>"), std::string::npos) << ws;
  EXPECT_NE(ws.find("<autoFilter ref=\"A1:D3\"/>"), std::string::npos) << ws;
  EXPECT_NE(files.at("xl/workbook.xml").find("name=\"检查列表\""), std::string::npos);
  const std::string& strings = files.at("xl/sharedStrings.xml");
  EXPECT_NE(strings.find("<t>检查号</t>"), std::string::npos);
  EXPECT_NE(strings.find("<t>张三</t>"), std::string::npos);
  EXPECT_NE(files.at("xl/styles.xml").find("formatCode=\"yyyy-mm-dd hh:mm\""), std::string::npos);
}

TEST(Xlsx, SheetNamesFollowExcelsRules) {
  xlsx::Sheet sheet{
      "a/b:c[d]*?\\ 这是一个非常长的工作表名称超过三十一个字符的限制测试", {{"x", 5}}, {}};
  auto bytes = xlsx::Write(sheet);
  ASSERT_TRUE(bytes) << bytes.error().message;
  const std::string wb = Unzip(*bytes).at("xl/workbook.xml");
  EXPECT_NE(wb.find("name=\"a_b_c_d____ 这是一个非常长的工作表名称超过三十一个\""), std::string::npos)
      << wb;
}

TEST(ListExport, ColumnsInTheCallersLanguageWithLabelsAndLocalTimes) {
  static const exporting::Labels kStates{{"arrived", {"已签到", "Arrived"}}};
  exporting::ListSpec spec{
      {"检查列表", "Exams"},
      {{"accession_no", {"检查号", "Accession"}},
       {"state", {"状态", "State"}, exporting::Kind::kText, 10, &kStates},
       {"appointment_at", {"预约时间", "Appointment"}, exporting::Kind::kInstant},
       {"patient.name", {"患者", "Patient"}},
       {"roles", {"角色", "Roles"}, exporting::Kind::kList, 10, &kStates},
       {"open_24h", {"24小时", "24 h"}, exporting::Kind::kBool},
       {"",
        {"计算", "Computed"},
        exporting::Kind::kNumber,
        8,
        nullptr,
        [](const Json& item, exporting::Lang) { return Json(item.at("n").get<int>() * 2); }}}};
  const std::vector<Json> items{{{"accession_no", "A1"},
                                 {"state", "arrived"},
                                 {"appointment_at", "2026-12-02T01:45:00Z"},
                                 {"patient", {{"name", "张三"}}},
                                 {"roles", {"arrived", "other"}},
                                 {"open_24h", true},
                                 {"n", 21}},
                                {{"accession_no", "A2"}, {"state", "unknown_key"}, {"n", 1}}};
  const auto zh = exporting::ToSheet(spec, items, exporting::Lang::kZh, 480);
  EXPECT_EQ(zh.name, "检查列表");
  EXPECT_EQ(zh.columns[1].header, "状态");
  EXPECT_EQ(zh.rows[0][1].text, "已签到");
  EXPECT_EQ(zh.rows[0][2].type, xlsx::CellType::kDateTime);
  EXPECT_DOUBLE_EQ(zh.rows[0][2].number, 46358.40625);  // 01:45Z is 09:45 at +08:00
  EXPECT_EQ(zh.rows[0][3].text, "张三");
  EXPECT_EQ(zh.rows[0][4].text, "已签到、other");
  EXPECT_EQ(zh.rows[0][5].text, "是");
  EXPECT_DOUBLE_EQ(zh.rows[0][6].number, 42);
  EXPECT_EQ(zh.rows[1][1].text, "unknown_key");
  EXPECT_EQ(zh.rows[1][2].type, xlsx::CellType::kEmpty);
  EXPECT_EQ(zh.rows[1][3].type, xlsx::CellType::kEmpty);
  const auto en = exporting::ToSheet(spec, items, exporting::Lang::kEn, 480);
  EXPECT_EQ(en.columns[1].header, "State");
  EXPECT_EQ(en.rows[0][1].text, "Arrived");
  EXPECT_EQ(en.rows[0][5].text, "Yes");
}

TEST(ListExport, PicksTheLanguage) {
  using exporting::Lang;
  EXPECT_EQ(exporting::PickLang("", ""), Lang::kZh);
  EXPECT_EQ(exporting::PickLang("en", "zh-CN"), Lang::kEn);
  EXPECT_EQ(exporting::PickLang("zh-CN", "en-US"), Lang::kZh);
  EXPECT_EQ(exporting::PickLang("", "en-US,zh;q=0.8"), Lang::kEn);
  EXPECT_EQ(exporting::PickLang("", "zh-CN,zh;q=0.9,en;q=0.8"), Lang::kZh);
}

}  // namespace
}  // namespace radqs
