// Who is calling: a signed-in user (session) or an integration (API token).
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace radqs::auth {

// The sites whose records (patients, exams, orders, rooms' schedules, safety events) a principal
// reads and writes — spec: domain.md §9 "Access is by role and site". A record of another site
// is answered as not found, so that its existence is not confirmed.
struct SiteScope {
  bool all = false;               // the roles that span sites (permissions.cpp), API tokens
  std::vector<std::int64_t> ids;  // the user's site and the site of the user's staff record

  bool Has(std::int64_t site_id) const {
    return all || std::find(ids.begin(), ids.end(), site_id) != ids.end();
  }
};

struct Principal {
  bool authenticated = false;
  std::int64_t user_id = 0;  // 0 for API tokens
  std::string username;      // for API tokens: "token:<name>"
  std::string display_name;
  std::vector<std::string> roles;
  std::optional<std::int64_t> staff_id;
  std::optional<std::int64_t> site_id;
  std::int64_t session_id = 0;
  std::int64_t api_token_id = 0;
  bool via_cookie = false;  // cookie-authenticated writes need the CSRF header
  std::string csrf_token;
  bool must_change_password = false;
  SiteScope sites;  // empty (nothing) unless filled when the session or token is resolved

  std::optional<std::int64_t> ActorId() const {
    return user_id != 0 ? std::optional(user_id) : std::nullopt;
  }
  // The name a clinical record shows for the person who acted (显示名, else the account).
  const std::string& Name() const { return display_name.empty() ? username : display_name; }
};

}  // namespace radqs::auth
