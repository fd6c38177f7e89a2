// What the CLI commands in src/main share: opening the database the way every command does.
#pragma once

#include <memory>
#include <string>

#include "platform/config/config.h"
#include "platform/db/database.h"

namespace radqs::app {

// Log level, password cost and module listeners.
void Prepare(const config::Config& c);
// Prepares, opens (creating the directory), migrates, and puts the audit key in use.
std::unique_ptr<db::Database> Open(const config::Config& c);
// Opens the configured database as it is (no migration), with one reader: for the commands
// that inspect a database (audit verify, anchor, a backup being checked).
std::unique_ptr<db::Database> OpenExisting(const config::Config& c);
// The database as a person reads it: the SQLite file, or the PostgreSQL URL without password.
std::string DatabaseLabel(const config::Config& c);
bool OnPostgres(const config::Config& c);
// Appends one audit entry by the CLI user (or "system" for server.* actions).
void SystemAudit(db::Database& database, const std::string& action, const std::string& entity,
                 const std::string& entity_id, const std::string& detail);
// The audit key of this configuration (audit_key.h): read, or created when the trail has no
// tagged entries yet; throws when the trail is keyed and the key file is missing.
void UseAuditKey(const config::Config& c, db::Database& database);

}  // namespace radqs::app
