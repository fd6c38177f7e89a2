#include "platform/config/config.h"

#include <toml++/toml.h>
#include <cstdlib>
#include <filesystem>

namespace radqs::config {
namespace {

Error Bad(const std::string& key, const std::string& message) {
  return Error::Field(ErrorCode::kBadRequest, key, "format", message);
}

Result<void> ApplyInt(const EnvLookup& env, const char* name, auto& target) {
  auto v = env(name);
  if (!v) return {};
  try {
    std::size_t used = 0;
    const long long n = std::stoll(*v, &used);
    if (used != v->size()) throw std::invalid_argument(*v);
    target = static_cast<std::remove_reference_t<decltype(target)>>(n);
  } catch (const std::exception&) {
    return Bad(name, "must be an integer, got '" + *v + "'");
  }
  return {};
}

}  // namespace

std::optional<std::string> ProcessEnv(const char* name) {
  const char* v = std::getenv(name);
  if (v == nullptr) return std::nullopt;
  return std::string(v);
}

Result<Config> LoadConfig(const std::optional<std::string>& path, const EnvLookup& env) {
  Config c;
  if (path) {
    toml::table t;
    try {
      t = toml::parse_file(*path);
    } catch (const toml::parse_error& e) {
      return Bad("config", std::string(e.description()) + " in " + *path);
    }
    c.address = t["server"]["address"].value_or(c.address);
    c.port = t["server"]["port"].value_or(c.port);
    c.web_root = t["server"]["web_root"].value_or(c.web_root);
    c.io_threads = t["server"]["io_threads"].value_or(c.io_threads);
    c.max_body_bytes = t["server"]["max_body_bytes"].value_or(c.max_body_bytes);
    c.request_timeout_seconds =
        t["server"]["request_timeout_seconds"].value_or(c.request_timeout_seconds);
    c.access_log = t["server"]["access_log"].value_or(c.access_log);
    c.max_connections = t["server"]["max_connections"].value_or(c.max_connections);
    c.tls_cert = t["server"]["tls_cert"].value_or(c.tls_cert);
    c.tls_key = t["server"]["tls_key"].value_or(c.tls_key);
    c.public_url = t["server"]["public_url"].value_or(c.public_url);
    c.metrics_token = t["server"]["metrics_token"].value_or(c.metrics_token);
    c.stream_buffer_bytes = t["server"]["stream_buffer_bytes"].value_or(c.stream_buffer_bytes);
    c.stream_write_timeout_seconds =
        t["server"]["stream_write_timeout_seconds"].value_or(c.stream_write_timeout_seconds);
    c.database = t["database"]["path"].value_or(c.database);
    c.database_url = t["database"]["url"].value_or(c.database_url);
    c.db_threads = t["database"]["threads"].value_or(c.db_threads);
    c.db_writers = t["database"]["writers"].value_or(c.db_writers);
    c.password_hash = t["auth"]["password_hash"].value_or(c.password_hash);
    c.hash_threads = t["auth"]["hash_threads"].value_or(c.hash_threads);
    c.log_level = t["log"]["level"].value_or(c.log_level);
    c.audit_key_file = t["audit"]["key_file"].value_or(c.audit_key_file);
    c.audit_anchor_file = t["audit"]["anchor_file"].value_or(c.audit_anchor_file);
  }
  if (auto v = env("RADQS_ADDRESS")) c.address = *v;
  if (auto v = env("RADQS_DATABASE")) c.database = *v;
  if (auto v = env("RADQS_DATABASE_URL")) c.database_url = *v;
  if (auto v = env("RADQS_WEB_ROOT")) c.web_root = *v;
  if (auto v = env("RADQS_PASSWORD_HASH")) c.password_hash = *v;
  if (auto v = env("RADQS_LOG_LEVEL")) c.log_level = *v;
  if (auto v = env("RADQS_AUDIT_KEY_FILE")) c.audit_key_file = *v;
  if (auto v = env("RADQS_AUDIT_ANCHOR_FILE")) c.audit_anchor_file = *v;
  if (auto v = env("RADQS_ACCESS_LOG")) c.access_log = *v == "1" || *v == "true";
  if (auto v = env("RADQS_TLS_CERT")) c.tls_cert = *v;
  if (auto v = env("RADQS_TLS_KEY")) c.tls_key = *v;
  if (auto v = env("RADQS_PUBLIC_URL")) c.public_url = *v;
  if (auto v = env("RADQS_METRICS_TOKEN")) c.metrics_token = *v;
  for (auto r :
       {ApplyInt(env, "RADQS_PORT", c.port), ApplyInt(env, "RADQS_IO_THREADS", c.io_threads),
        ApplyInt(env, "RADQS_DB_THREADS", c.db_threads),
        ApplyInt(env, "RADQS_DB_WRITERS", c.db_writers),
        ApplyInt(env, "RADQS_MAX_BODY_BYTES", c.max_body_bytes),
        ApplyInt(env, "RADQS_REQUEST_TIMEOUT", c.request_timeout_seconds),
        ApplyInt(env, "RADQS_HASH_THREADS", c.hash_threads),
        ApplyInt(env, "RADQS_MAX_CONNECTIONS", c.max_connections),
        ApplyInt(env, "RADQS_STREAM_BUFFER_BYTES", c.stream_buffer_bytes),
        ApplyInt(env, "RADQS_STREAM_WRITE_TIMEOUT", c.stream_write_timeout_seconds)}) {
    if (!r) return r.error();
  }
  if (c.port < 0 || c.port > 65535) return Bad("port", "must be 0..65535");
  if (c.db_writers < 1 || c.db_writers > 64) return Bad("writers", "must be 1..64");
  if (!c.database_url.empty() && !c.database_url.starts_with("postgresql://") &&
      !c.database_url.starts_with("postgres://") && c.database_url.find('=') == std::string::npos) {
    return Bad("database_url",
               "must be a PostgreSQL URL (postgresql://user@host:port/db) or key=value string");
  }
  if (c.hash_threads < 1 || c.hash_threads > 64) return Bad("hash_threads", "must be 1..64");
  if (c.max_connections < 1 || c.max_connections > 1000000) {
    return Bad("max_connections", "must be 1..1000000");
  }
  if (c.tls_cert.empty() != c.tls_key.empty()) {
    return Bad(c.tls_cert.empty() ? "tls_cert" : "tls_key",
               "tls_cert and tls_key are set together (or neither)");
  }
  if (!c.public_url.empty() && !c.public_url.starts_with("https://") &&
      !c.public_url.starts_with("http://")) {
    return Bad("public_url", "must start with https:// or http://");
  }
  if (!c.metrics_token.empty() && c.metrics_token.size() < 16) {
    return Bad("metrics_token", "must be at least 16 characters");
  }
  if (c.stream_buffer_bytes < 1024) return Bad("stream_buffer_bytes", "must be >= 1024");
  if (c.stream_write_timeout_seconds < 1 || c.stream_write_timeout_seconds > 3600) {
    return Bad("stream_write_timeout_seconds", "must be 1..3600");
  }
  if (c.password_hash != "interactive" && c.password_hash != "moderate" &&
      c.password_hash != "minimum") {
    return Bad("password_hash", "must be interactive, moderate or minimum");
  }
  return c;
}

std::string AuditKeyPath(const Config& c) {
  if (!c.audit_key_file.empty()) return c.audit_key_file;
  return (std::filesystem::path(c.database).parent_path() / "audit.key").string();
}

std::string AuditAnchorPath(const Config& c) {
  if (!c.audit_anchor_file.empty()) return c.audit_anchor_file;
  return (std::filesystem::path(c.database).parent_path() / "audit-anchors.jsonl").string();
}

}  // namespace radqs::config
