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
    c.database = t["database"]["path"].value_or(c.database);
    c.db_threads = t["database"]["threads"].value_or(c.db_threads);
    c.password_hash = t["auth"]["password_hash"].value_or(c.password_hash);
    c.hash_threads = t["auth"]["hash_threads"].value_or(c.hash_threads);
    c.log_level = t["log"]["level"].value_or(c.log_level);
    c.audit_key_file = t["audit"]["key_file"].value_or(c.audit_key_file);
    c.audit_anchor_file = t["audit"]["anchor_file"].value_or(c.audit_anchor_file);
  }
  if (auto v = env("RADQS_ADDRESS")) c.address = *v;
  if (auto v = env("RADQS_DATABASE")) c.database = *v;
  if (auto v = env("RADQS_WEB_ROOT")) c.web_root = *v;
  if (auto v = env("RADQS_PASSWORD_HASH")) c.password_hash = *v;
  if (auto v = env("RADQS_LOG_LEVEL")) c.log_level = *v;
  if (auto v = env("RADQS_AUDIT_KEY_FILE")) c.audit_key_file = *v;
  if (auto v = env("RADQS_AUDIT_ANCHOR_FILE")) c.audit_anchor_file = *v;
  if (auto v = env("RADQS_ACCESS_LOG")) c.access_log = *v == "1" || *v == "true";
  for (auto r :
       {ApplyInt(env, "RADQS_PORT", c.port), ApplyInt(env, "RADQS_IO_THREADS", c.io_threads),
        ApplyInt(env, "RADQS_DB_THREADS", c.db_threads),
        ApplyInt(env, "RADQS_MAX_BODY_BYTES", c.max_body_bytes),
        ApplyInt(env, "RADQS_REQUEST_TIMEOUT", c.request_timeout_seconds),
        ApplyInt(env, "RADQS_HASH_THREADS", c.hash_threads)}) {
    if (!r) return r.error();
  }
  if (c.port < 0 || c.port > 65535) return Bad("port", "must be 0..65535");
  if (c.hash_threads < 1 || c.hash_threads > 64) return Bad("hash_threads", "must be 1..64");
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
