#include "demo/people.h"

#include <fmt/format.h>

#include <array>
#include <string_view>

#include "exam/identity.h"

namespace radqs::demo {
namespace {

constexpr std::array kSurnames = {"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周",
                                  "徐", "孙", "马", "朱", "胡", "郭", "何", "高", "林", "罗",
                                  "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹",
                                  "沈", "钱", "俞", "潘", "蒋", "叶", "金", "方", "姚", "汪"};
constexpr std::array kMen = {"伟", "磊", "洋", "勇", "军", "杰", "涛", "明", "超", "刚",
                             "鹏", "宇", "博", "浩", "强", "斌", "建", "国", "峰", "辉",
                             "俊", "志", "文", "海", "林", "凯", "波", "健", "亮", "龙"};
constexpr std::array kWomen = {"芳", "娜", "敏", "静", "艳", "娟", "秀", "霞", "丽", "雪",
                               "琳", "颖", "欣", "婷", "玲", "燕", "红", "梅", "慧", "倩",
                               "萍", "莉", "佳", "洁", "琴", "云", "兰", "英", "蕾", "薇"};
constexpr std::array kBoth = {"华", "平", "晨", "阳", "春", "嘉", "子", "一"};

// Hangzhou's districts and counties, the other Zhejiang cities, and other provinces.
constexpr std::array kHangzhou = {"330102", "330105", "330106", "330108", "330109",
                                  "330110", "330111", "330112", "330122", "330127"};
constexpr std::array kZhejiang = {"330203", "330302", "330402", "330502", "330602",
                                  "330702", "330802", "330902", "331002", "331102"};
constexpr std::array kElsewhere = {"110105", "310104", "320102", "340102", "350102",
                                   "360102", "410102", "420102", "430102", "510104"};

template <class List>
std::string_view From(const List& list, const Pick& pick) {
  return list[static_cast<std::size_t>(pick(static_cast<int>(list.size())))];
}

template <class List>
bool Holds(const List& list, std::string_view c) {
  for (std::string_view x : list) {
    if (x == c) return true;
  }
  return false;
}

std::string_view GivenChar(bool female, const Pick& pick) {
  if (pick(8) == 0) return From(kBoth, pick);
  return female ? From(kWomen, pick) : From(kMen, pick);
}

}  // namespace

std::string PersonName(bool female, const Pick& pick) {
  std::string name(From(kSurnames, pick));
  name += GivenChar(female, pick);
  if (pick(2)) name += GivenChar(female, pick);
  return name;
}

bool NameFitsSex(const std::string& name, bool female) {
  // Every character here is three bytes of UTF-8; the first is the surname.
  for (std::size_t i = 3; i + 3 <= name.size(); i += 3) {
    const std::string_view c(name.data() + i, 3);
    if (!Holds(kBoth, c) && !Holds(female ? kWomen : kMen, c)) return false;
  }
  return name.size() > 3;
}

std::string ResidentIdNumber(Date birth, bool female, int sequence, const Pick& pick) {
  const int roll = pick(100);
  const std::string_view area = roll < 70   ? From(kHangzhou, pick)
                                : roll < 90 ? From(kZhejiang, pick)
                                            : From(kElsewhere, pick);
  const CivilDate c = CivilFromDate(birth);
  // The 17th digit is odd for a man, even for a woman.
  std::string digits = fmt::format("{}{:04d}{:02d}{:02d}{:03d}", area, c.year, c.month, c.day,
                                   sequence * 2 + (female ? 0 : 1));
  return digits + exam::ResidentIdCheckChar(digits);
}

}  // namespace radqs::demo
