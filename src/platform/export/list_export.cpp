#include "platform/export/list_export.h"

#include <cctype>
#include <stdexcept>

namespace radqs::exporting {
namespace {

const Json* At(const Json& item, std::string_view path) {
  const Json* cur = &item;
  while (!path.empty()) {
    const auto dot = path.find('.');
    const std::string key(path.substr(0, dot));
    if (!cur->is_object()) return nullptr;
    auto it = cur->find(key);
    if (it == cur->end()) return nullptr;
    cur = &*it;
    path = dot == std::string_view::npos ? std::string_view{} : path.substr(dot + 1);
  }
  return cur;
}

std::string Label(const Labels* labels, const std::string& key, Lang lang) {
  if (labels != nullptr) {
    auto it = labels->find(key);
    if (it != labels->end()) return it->second.In(lang);
  }
  return key;
}

std::string AsText(const Json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_null()) return {};
  return v.dump();
}

xlsx::Cell CellOf(const Column& col, const Json& v, Lang lang, int offset) {
  if (v.is_null()) return {};
  switch (col.kind) {
    case Kind::kText: {
      const std::string s = AsText(v);
      return s.empty() ? xlsx::Cell{} : xlsx::Text(Label(col.labels, s, lang));
    }
    case Kind::kNumber:
      if (v.is_number()) return xlsx::Number(v.get<double>());
      return xlsx::Text(AsText(v));
    case Kind::kInstant:
      if (v.is_string()) {
        if (auto t = ParseInstant(v.get<std::string>())) {
          return xlsx::DateTime(*t + static_cast<Micros>(offset) * kMicrosPerMinute);
        }
      }
      return xlsx::Text(AsText(v));
    case Kind::kDate:
      if (v.is_string()) {
        if (auto d = ParseDate(v.get<std::string>())) return xlsx::DateOnly(*d);
      }
      return xlsx::Text(AsText(v));
    case Kind::kBool:
      if (v.is_boolean()) return xlsx::Text(Label(&YesNo(), v.get<bool>() ? "1" : "0", lang));
      return xlsx::Text(AsText(v));
    case Kind::kList: {
      if (!v.is_array()) return xlsx::Text(Label(col.labels, AsText(v), lang));
      std::string out;
      for (const auto& e : v) {
        if (!out.empty()) out += lang == Lang::kEn ? ", " : "、";
        out += Label(col.labels, AsText(e), lang);
      }
      return out.empty() ? xlsx::Cell{} : xlsx::Text(out);
    }
  }
  return {};
}

}  // namespace

Lang PickLang(std::string_view lang_param, std::string_view accept_language) {
  auto starts_en = [](std::string_view s) {
    while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
    return s.size() >= 2 && std::tolower(static_cast<unsigned char>(s[0])) == 'e' &&
           std::tolower(static_cast<unsigned char>(s[1])) == 'n';
  };
  if (!lang_param.empty()) return starts_en(lang_param) ? Lang::kEn : Lang::kZh;
  // The first language named decides: "en-US,zh;q=0.8" is English, "zh-CN,en" Chinese.
  return starts_en(accept_language) ? Lang::kEn : Lang::kZh;
}

const Labels& Dict(std::string_view name) {
  static const std::map<std::string, Labels, std::less<>> kAll = {
#include "platform/export/web_labels.inc"
  };
  auto it = kAll.find(name);
  if (it == kAll.end()) throw std::out_of_range("no label dictionary " + std::string(name));
  return it->second;
}

Words Header(std::string_view i18n_path) {
  const Labels& all = Dict("@headers");
  auto it = all.find(i18n_path);
  if (it == all.end()) throw std::out_of_range("no header " + std::string(i18n_path));
  return it->second;
}

Column Col(std::string path, std::string_view header_i18n_path, Kind kind, double width,
           const Labels* labels) {
  return {std::move(path), Header(header_i18n_path), kind, width, labels};
}

const Labels& YesNo() {
  static const Labels labels{{"1", {"是", "Yes"}}, {"0", {"否", "No"}}};
  return labels;
}

xlsx::Sheet ToSheet(const ListSpec& spec, const std::vector<Json>& items, Lang lang,
                    int utc_offset_minutes) {
  xlsx::Sheet sheet;
  sheet.name = spec.name.In(lang);
  for (const auto& c : spec.columns) sheet.columns.push_back({c.header.In(lang), c.width});
  sheet.rows.reserve(items.size());
  static const Json kNull = nullptr;
  for (const auto& item : items) {
    std::vector<xlsx::Cell> row;
    row.reserve(spec.columns.size());
    for (const auto& c : spec.columns) {
      if (c.value) {
        row.push_back(CellOf(c, c.value(item, lang), lang, utc_offset_minutes));
      } else {
        const Json* v = At(item, c.path);
        row.push_back(CellOf(c, v != nullptr ? *v : kNull, lang, utc_offset_minutes));
      }
    }
    sheet.rows.push_back(std::move(row));
  }
  return sheet;
}

}  // namespace radqs::exporting
