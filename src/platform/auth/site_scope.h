// Limiting a query to a principal's sites — spec: domain.md §9 "Access is by role and site".
#pragma once

#include <string>
#include <string_view>

#include "platform/auth/principal.h"
#include "platform/db/database.h"

namespace radqs::auth {

// Appends " AND <column> IN (…)" for a scope limited to some sites, " AND 0" for a scope of
// none, and nothing for a scope of every site. `column` is a fixed name, never input.
inline db::SqlBuilder& AddSiteScope(db::SqlBuilder& q, std::string_view column,
                                    const SiteScope& scope) {
  if (scope.all) return q;
  if (scope.ids.empty()) return q.Add(" AND 0");
  q.Add(" AND ").Add(column).Add(" IN (");
  for (std::size_t i = 0; i < scope.ids.size(); ++i) q.Add(i == 0 ? "?" : ", ?", scope.ids[i]);
  return q.Add(")");
}

}  // namespace radqs::auth
