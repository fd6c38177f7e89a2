// The XLSX export of a list screen (导出): which columns a list's JSON items become, with headers
// and enum labels in Chinese and English. A list route declares one (http::Route::xlsx); the
// server then answers `?format=xlsx` on that same route — same filters, permission, site scope
// and patient-field masking, since the route's own handler produces the rows (docs/decisions.md).
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "core/time.h"
#include "platform/db/database.h"
#include "platform/export/xlsx.h"
#include "platform/json.h"

namespace radqs::exporting {

enum class Lang { kZh, kEn };

// The caller's language: `lang=en|zh-CN` first, else Accept-Language, else Chinese.
Lang PickLang(std::string_view lang_param, std::string_view accept_language);

struct Words {
  std::string zh, en;
  const std::string& In(Lang l) const { return l == Lang::kEn ? en : zh; }
};
// Labels of an enum's keys; a key without a label is shown as it is.
using Labels = std::map<std::string, Words, std::less<>>;

enum class Kind {
  kText,     // a string (or number) as it is, or through `labels` when given
  kNumber,   // a JSON number as an Excel number
  kInstant,  // an ISO UTC instant, as an Excel date-time in the site's local time
  kDate,     // "YYYY-MM-DD", as an Excel date
  kBool,     // 是 / 否
  kList,     // an array of strings (through `labels`), joined by 、
};

struct Column {
  std::string path;  // dotted path into the item: "patient.name"
  Words header;
  Kind kind = Kind::kText;
  double width = 14;
  const Labels* labels = nullptr;  // static tables owned by the declaring module
  // Overrides `path`: computes the cell's value (a JSON value read as `kind`) from the item.
  std::function<Json(const Json& item, Lang)> value = nullptr;
};

struct ListSpec {
  Words name;  // the sheet and the file name: "检查列表" / "Exams"
  std::vector<Column> columns;
  // Adds the names the screen shows beside the ids the list answers (room, item, site, staff)
  // and figures of the day (an age), read in the export's own read transaction; optional.
  std::function<void(db::Transaction&, Micros now, Date today, std::vector<Json>& items)> enrich =
      nullptr;
  // The rows of an answer that is not {items, next_cursor} (a room's queue in sections);
  // optional, and such an answer is one page.
  std::function<Json(Json& answer, Lang)> rows_of = nullptr;
};

// The sheet of the items: header row in `lang`, one row per item.
xlsx::Sheet ToSheet(const ListSpec& spec, const std::vector<Json>& items, Lang lang,
                    int utc_offset_minutes);

// Shared labels.
const Labels& YesNo();
// A dictionary of the web UI's enum labels by its i18n path ("exam.states", "room.modalities"),
// generated from web/src/i18n into web_labels.inc (tools/gen_export_labels.mjs), so that the
// sheet says what the screen says. An unknown name is a bug: it throws std::out_of_range.
const Labels& Dict(std::string_view name);
// A column header as the screen words it: the i18n path of the web's column label
// ("exam.accessionNo"); from the same generated file ("@headers").
Words Header(std::string_view i18n_path);
// A column whose header is the screen's.
Column Col(std::string path, std::string_view header_i18n_path, Kind kind = Kind::kText,
           double width = 14, const Labels* labels = nullptr);

}  // namespace radqs::exporting
