#include "platform/db/postgres/sql_rewrite.h"

#include <cctype>

namespace radqs::db::postgres {
namespace {

bool WordChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_'; }

// True when sql[i..] starts the keyword `word` as a whole word (any case).
bool KeywordAt(std::string_view sql, std::size_t i, std::string_view word) {
  if (i + word.size() > sql.size()) return false;
  if (i > 0 && WordChar(sql[i - 1])) return false;
  if (i + word.size() < sql.size() && WordChar(sql[i + word.size()])) return false;
  for (std::size_t k = 0; k < word.size(); ++k) {
    if (std::toupper(static_cast<unsigned char>(sql[i + k])) != word[k]) return false;
  }
  return true;
}

}  // namespace

std::string RewriteForPostgres(std::string_view sql) {
  std::string out;
  out.reserve(sql.size() + 16);
  int next = 1;
  for (std::size_t i = 0; i < sql.size(); ++i) {
    const char c = sql[i];
    if (c == '\'' || c == '"') {
      // A quoted literal or identifier; a doubled quote stays inside it.
      const std::size_t end = sql.find(c, i + 1);
      const std::size_t stop = end == std::string_view::npos ? sql.size() : end + 1;
      out.append(sql.substr(i, stop - i));
      i = stop - 1;
    } else if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
      const std::size_t end = sql.find('\n', i);
      const std::size_t stop = end == std::string_view::npos ? sql.size() : end;
      out.append(sql.substr(i, stop - i));
      i = stop - 1;
    } else if (c == '?') {
      std::size_t j = i + 1;
      int number = 0;
      while (j < sql.size() && std::isdigit(static_cast<unsigned char>(sql[j])) != 0) {
        number = number * 10 + (sql[j] - '0');
        ++j;
      }
      if (j == i + 1) number = next;
      if (number >= next) next = number + 1;
      out += '$';
      out += std::to_string(number);
      i = j - 1;
    } else if ((c == 'L' || c == 'l') && KeywordAt(sql, i, "LIKE")) {
      out += "ILIKE";
      i += 3;
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace radqs::db::postgres
