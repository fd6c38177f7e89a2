#include "platform/export/xlsx.h"

#include <xlsxwriter.h>

#include <unistd.h>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>

namespace radqs::xlsx {
namespace {

// 1970-01-01 is day 25569 of Excel's 1900 date system (whose day 0 is 1899-12-30).
constexpr double kUnixEpochSerial = 25569.0;
// Excel refuses longer cell texts; cut on a UTF-8 boundary so the cell stays valid text.
constexpr std::size_t kMaxCellBytes = 32767;

std::string CutUtf8(std::string s, std::size_t max_bytes) {
  if (s.size() <= max_bytes) return s;
  std::size_t end = max_bytes;
  while (end > 0 && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80) --end;
  s.resize(end);
  return s;
}

// Excel's rules for a sheet name: at most 31 characters, none of []:*?/\.
std::string SheetName(const std::string& wanted) {
  std::string out;
  int chars = 0;
  for (std::size_t i = 0; i < wanted.size() && chars < 31;) {
    const auto lead = static_cast<unsigned char>(wanted[i]);
    const std::size_t len = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
    std::string ch = wanted.substr(i, len);
    if (ch.size() == 1 && std::string_view("[]:*?/\\").find(ch[0]) != std::string_view::npos) {
      ch = "_";
    }
    out += ch;
    i += len;
    ++chars;
  }
  return out.empty() ? "Sheet1" : out;
}

struct TempFile {
  std::string path;
  ~TempFile() {
    if (!path.empty()) ::unlink(path.c_str());
  }
};

Error WriteError(std::string_view what, lxw_error e) {
  return {
      ErrorCode::kInternal, std::string("xlsx: ") + std::string(what) + ": " + lxw_strerror(e), {}};
}

}  // namespace

Cell Text(std::string s) { return {CellType::kText, std::move(s), 0}; }
Cell Number(double v) { return {CellType::kNumber, {}, v}; }
Cell DateTime(Micros local) {
  return {CellType::kDateTime,
          {},
          kUnixEpochSerial + static_cast<double>(local) / static_cast<double>(kMicrosPerDay)};
}
Cell DateOnly(Date d) { return {CellType::kDate, {}, kUnixEpochSerial + d.days}; }

Result<std::string> Write(const Sheet& sheet) {
  const char* dir = std::getenv("TMPDIR");
  std::string tmpl = std::string(dir != nullptr && *dir != '\0' ? dir : "/tmp") + "/radqs-XXXXXX";
  const int fd = ::mkstemp(tmpl.data());
  if (fd < 0) return Error{ErrorCode::kInternal, "xlsx: cannot create a temporary file", {}};
  ::close(fd);
  TempFile file{tmpl};

  lxw_workbook* wb = workbook_new(file.path.c_str());
  if (wb == nullptr) return Error{ErrorCode::kInternal, "xlsx: cannot open the workbook", {}};
  const std::string name = SheetName(sheet.name);
  lxw_worksheet* ws = workbook_add_worksheet(wb, name.c_str());

  lxw_format* header = workbook_add_format(wb);
  format_set_bold(header);
  format_set_bg_color(header, 0xE8EEF7);
  format_set_border(header, LXW_BORDER_THIN);
  lxw_format* datetime = workbook_add_format(wb);
  format_set_num_format(datetime, "yyyy-mm-dd hh:mm");
  lxw_format* date = workbook_add_format(wb);
  format_set_num_format(date, "yyyy-mm-dd");

  lxw_error err = LXW_NO_ERROR;
  for (std::size_t c = 0; c < sheet.columns.size() && ws != nullptr; ++c) {
    const auto col = static_cast<lxw_col_t>(c);
    worksheet_set_column(ws, col, col, sheet.columns[c].width, nullptr);
    const std::string text = CutUtf8(sheet.columns[c].header, kMaxCellBytes);
    err = worksheet_write_string(ws, 0, col, text.c_str(), header);
    if (err != LXW_NO_ERROR) break;
  }
  for (std::size_t r = 0; r < sheet.rows.size() && err == LXW_NO_ERROR && ws != nullptr; ++r) {
    const auto row = static_cast<lxw_row_t>(r + 1);
    const auto& cells = sheet.rows[r];
    for (std::size_t c = 0; c < cells.size() && err == LXW_NO_ERROR; ++c) {
      const auto col = static_cast<lxw_col_t>(c);
      const Cell& cell = cells[c];
      switch (cell.type) {
        case CellType::kEmpty:
          break;
        case CellType::kText: {
          const std::string text = CutUtf8(cell.text, kMaxCellBytes);
          if (!text.empty()) err = worksheet_write_string(ws, row, col, text.c_str(), nullptr);
          break;
        }
        case CellType::kNumber:
          err = worksheet_write_number(ws, row, col, cell.number, nullptr);
          break;
        case CellType::kDateTime:
          err = worksheet_write_number(ws, row, col, cell.number, datetime);
          break;
        case CellType::kDate:
          err = worksheet_write_number(ws, row, col, cell.number, date);
          break;
      }
    }
  }
  if (ws != nullptr && err == LXW_NO_ERROR) {
    worksheet_freeze_panes(ws, 1, 0);
    if (!sheet.columns.empty()) {
      worksheet_autofilter(ws, 0, 0, static_cast<lxw_row_t>(sheet.rows.size()),
                           static_cast<lxw_col_t>(sheet.columns.size() - 1));
    }
  }
  const lxw_error closed = workbook_close(wb);  // frees the workbook whatever happened
  if (ws == nullptr) return Error{ErrorCode::kInternal, "xlsx: cannot add the sheet", {}};
  if (err != LXW_NO_ERROR) return WriteError("cell", err);
  if (closed != LXW_NO_ERROR) return WriteError("close", closed);

  std::ifstream in(file.path, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (!in.good() && !in.eof()) return Error{ErrorCode::kInternal, "xlsx: cannot read back", {}};
  return bytes;
}

}  // namespace radqs::xlsx
