// The default catalogue's items and the preparation each prints on the appointment slip.
#include <gtest/gtest.h>

#include <set>

#include "exam/catalogue.h"

namespace radqs::exam {
namespace {

const CatalogueItem& Item(const std::vector<CatalogueItem>& all, std::string_view code) {
  for (const auto& i : all) {
    if (i.code == code) return i;
  }
  throw std::runtime_error("no item " + std::string(code));
}

bool Says(const CatalogueItem& i, std::string_view words) {
  return i.preparation.find(words) != std::string::npos;
}

TEST(Catalogue, DefaultItemsAreValidAndUnique) {
  std::set<std::string> codes;
  for (const auto& i : DefaultCatalogue()) {
    EXPECT_TRUE(ValidateItem(i).empty()) << i.code;
    EXPECT_TRUE(codes.insert(i.code).second) << i.code;
  }
}

TEST(Catalogue, PreparationFollowsModalityContrastAndBodyPart) {
  const auto all = DefaultCatalogue();
  // MR: metal off, implants told; with gadolinium also the kidney results.
  EXPECT_TRUE(Says(Item(all, "MR001"), "金属"));
  EXPECT_FALSE(Says(Item(all, "MR001"), "肾功能"));
  EXPECT_TRUE(Says(Item(all, "MR002"), "肾功能"));
  // Contrast CT: fasting, kidney results, 30 minutes' watch; plain chest CT none of it.
  EXPECT_TRUE(Says(Item(all, "CT003"), "禁食"));
  EXPECT_TRUE(Says(Item(all, "CT003"), "30 分钟"));
  EXPECT_FALSE(Says(Item(all, "CT002"), "禁食"));
  // Every X-ray item asks about pregnancy; ultrasound does not.
  EXPECT_TRUE(Says(Item(all, "DR001"), "怀孕"));
  EXPECT_FALSE(Says(Item(all, "US001"), "怀孕"));
  EXPECT_TRUE(Says(Item(all, "US001"), "禁食 8 小时"));
  EXPECT_TRUE(Says(Item(all, "RF001"), "禁食禁水"));
  // One instruction per line.
  EXPECT_NE(Item(all, "CT004").preparation.find('\n'), std::string::npos);
}

}  // namespace
}  // namespace radqs::exam
