// Server configuration: a TOML file (all keys optional) overridden by RADQS_* environment
// variables, e.g. RADQS_PORT=8081. `radqs --help` lists them.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "core/result.h"

namespace radqs::config {

struct Config {
  std::string address = "127.0.0.1";      // RADQS_ADDRESS  [server] address
  int port = 8080;                        // RADQS_PORT     [server] port (0: any free port)
  std::string database = "var/radqs.db";  // RADQS_DATABASE [database] path
  // RADQS_DATABASE_URL [database] url: postgresql://user@host:port/db (or libpq's key=value
  // form). Set, the server runs on PostgreSQL and `database` is only where the audit key and
  // anchors are kept by default.
  std::string database_url;
  std::string web_root = "web/dist";  // RADQS_WEB_ROOT [server] web_root
  int io_threads = 0;                 // RADQS_IO_THREADS (0: one per core)
  int db_threads = 0;                 // RADQS_DB_THREADS (0: one per core)
  int db_writers = 4;  // RADQS_DB_WRITERS [database] writers: writer connections (PostgreSQL)
  std::int64_t max_body_bytes = 1 << 20;  // RADQS_MAX_BODY_BYTES
  int request_timeout_seconds = 30;       // RADQS_REQUEST_TIMEOUT
  int max_connections = 4096;             // RADQS_MAX_CONNECTIONS [server] max_connections
  // [server] tls_cert, tls_key: PEM files; both set serves HTTPS.
  std::string tls_cert;       // RADQS_TLS_CERT
  std::string tls_key;        // RADQS_TLS_KEY
  std::string public_url;     // RADQS_PUBLIC_URL [server] public_url (https: Secure cookie, HSTS)
  std::string metrics_token;  // RADQS_METRICS_TOKEN [server] metrics_token (empty: loopback only)
  std::int64_t stream_buffer_bytes = 256 << 10;  // RADQS_STREAM_BUFFER_BYTES
  int stream_write_timeout_seconds = 10;         // RADQS_STREAM_WRITE_TIMEOUT
  std::string password_hash = "interactive";     // RADQS_PASSWORD_HASH interactive|moderate|minimum
  int hash_threads = 1;                          // RADQS_HASH_THREADS [auth] hash_threads (>= 1)
  bool access_log = false;                       // RADQS_ACCESS_LOG 1|0
  std::string log_level = "info";                // RADQS_LOG_LEVEL debug|info|warn|error
  // [audit] key_file, anchor_file; empty: audit.key / audit-anchors.jsonl beside the database.
  std::string audit_key_file;     // RADQS_AUDIT_KEY_FILE
  std::string audit_anchor_file;  // RADQS_AUDIT_ANCHOR_FILE
};

// Where the audit key and the anchors are for this configuration.
std::string AuditKeyPath(const Config& c);
std::string AuditAnchorPath(const Config& c);

using EnvLookup = std::function<std::optional<std::string>(const char*)>;
std::optional<std::string> ProcessEnv(const char* name);

// Reads the file when given (a missing file is an error), then the environment.
Result<Config> LoadConfig(const std::optional<std::string>& path,
                          const EnvLookup& env = ProcessEnv);

}  // namespace radqs::config
