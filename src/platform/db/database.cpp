#include "platform/db/database.h"

#include <future>

namespace radqs::db {

Statement SqlBuilder::Prepare(Transaction& tx) const {
  Statement s = tx.Prepare(sql_);
  for (std::size_t i = 0; i < args_.size(); ++i) s.BindAt(static_cast<int>(i + 1), args_[i]);
  return s;
}

namespace {
// Appends in place: `"%" + std::string` trips GCC 12's -Wrestrict false positive at -O2.
std::string EscapeLike(std::string_view text, bool leading_wildcard) {
  std::string out;
  out.reserve(text.size() + 2);
  if (leading_wildcard) out += '%';
  for (char ch : text) {
    if (ch == '%' || ch == '_' || ch == '\\') out += '\\';
    out += ch;
  }
  out += '%';
  return out;
}
}  // namespace

std::string LikeContains(std::string_view text) { return EscapeLike(text, true); }
std::string LikePrefix(std::string_view text) { return EscapeLike(text, false); }

void NotifyOnCommit(Transaction& tx, const std::string& channel, const std::string& payload) {
  tx.Prepare("SELECT pg_notify(?, ?)").Bind(channel, payload).Run();
}

void Database::Write(std::function<void(Transaction&)> fn) {
  std::promise<void> finished;
  auto result = finished.get_future();
  Submit(WriteJob{[&fn](Transaction& tx) {
                    fn(tx);
                    return true;
                  },
                  [&finished](std::exception_ptr error) {
                    if (error) {
                      finished.set_exception(error);
                    } else {
                      finished.set_value();
                    }
                  }});
  result.get();
}

}  // namespace radqs::db
