// The few differences between the portable SQL modules write and what PostgreSQL reads, applied
// once when a statement is prepared (architecture.md "Stack": one place for the dialect).
#pragma once

#include <string>
#include <string_view>

namespace radqs::db::postgres {

// `?` and `?N` placeholders become `$N` (a bare `?` takes the number after the previous one, as
// in SQLite); `LIKE` becomes `ILIKE`, because SQLite's LIKE ignores ASCII case and searches
// rely on that. Quoted literals and identifiers are copied untouched.
std::string RewriteForPostgres(std::string_view sql);

}  // namespace radqs::db::postgres
