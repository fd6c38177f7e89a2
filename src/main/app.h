// Composition root: opens the database, applies migrations and wires the modules into the
// server. Each CLI command is one function here; all return a process exit code.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "platform/config/config.h"

namespace radqs::app {

int Serve(const config::Config& c);
int Init(const config::Config& c, const std::optional<std::string>& demo_size, std::uint64_t seed,
         const std::optional<std::string>& admin_password);
int Migrate(const config::Config& c);
int Demo(const config::Config& c, const std::string& size, std::uint64_t seed);

struct UserCommand {
  std::string action;  // add | passwd | lock | unlock
  std::string username;
  std::string display_name;
  std::vector<std::string> roles;
  std::optional<std::string> password;
};
int User(const config::Config& c, const UserCommand& cmd);

// Exit 0: chain (and tags, anchors) verified; 1: broken, naming the first bad entry;
// 2: nothing to check, or keyed entries but no key file.
int AuditVerify(const config::Config& c, const std::optional<std::string>& anchor_file);
int AuditAnchor(const config::Config& c, const std::optional<std::string>& out);
int Backup(const config::Config& c, const std::string& to);
int Restore(const config::Config& c, const std::string& from);
// Copies the SQLite database of `c` into the empty PostgreSQL database at `url`, a line per
// table, and verifies the counts and the audit chain there before it says done.
int CopyTo(const config::Config& c, const std::string& url);

}  // namespace radqs::app
