// XLSX workbooks (导出): one sheet of typed cells under a frozen header row. libxlsxwriter stays
// inside xlsx.cpp; callers see plain structs.
//
// Dates and times are real Excel dates (serial day numbers with a date format), so a department
// can sort and filter them in Excel; the caller passes them already in local time (the site's
// fixed offset, architecture.md "Time") because an Excel date has no zone.
#pragma once

#include <string>
#include <vector>

#include "core/result.h"
#include "core/time.h"

namespace radqs::xlsx {

enum class CellType { kEmpty, kText, kNumber, kDateTime, kDate };

struct Cell {
  CellType type = CellType::kEmpty;
  std::string text;
  double number = 0;  // the value of kNumber; the Excel serial day of kDateTime and kDate
};

Cell Text(std::string s);
Cell Number(double v);
// A local wall-clock time given as microseconds since 1970-01-01T00:00 local.
Cell DateTime(Micros local);
Cell DateOnly(Date d);

struct Column {
  std::string header;  // in the caller's language
  double width = 14;   // in Excel's character widths
};

struct Sheet {
  std::string name;  // at most 31 characters, none of []:*?/\ (replaced when present)
  std::vector<Column> columns;
  std::vector<std::vector<Cell>> rows;
};

// The bytes of an .xlsx file holding the sheet; an error when libxlsxwriter fails (e.g. no room
// for its temporary file).
Result<std::string> Write(const Sheet& sheet);

}  // namespace radqs::xlsx
