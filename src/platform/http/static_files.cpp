#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "platform/crypto.h"
#include "platform/http/server_parts.h"
#include "platform/log.h"

namespace radqs::http {
namespace {

std::string MimeType(const std::filesystem::path& p) {
  static const std::map<std::string, std::string> kTypes = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".ico", "image/x-icon"},
      {".woff", "font/woff"},
      {".woff2", "font/woff2"},
      {".ttf", "font/ttf"},
      {".txt", "text/plain; charset=utf-8"},
      {".map", "application/json"},
  };
  auto it = kTypes.find(p.extension().string());
  return it == kTypes.end() ? "application/octet-stream" : it->second;
}

}  // namespace

void StaticFiles::Load(const std::string& root) {
  namespace fs = std::filesystem;
  files_.clear();
  if (root.empty() || !fs::is_directory(root)) {
    if (!root.empty()) log::Warn("web root {} not found: the web UI is not served", root);
    return;
  }
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::ostringstream content;
    content << in.rdbuf();
    Response r;
    r.body = content.str();
    r.content_type = MimeType(entry.path());
    // fmt rather than "/" + string: GCC 12 -O2 reports a false -Wrestrict on the latter.
    const std::string rel = fmt::format("/{}", fs::relative(entry.path(), root).generic_string());
    // Vite names assets by content hash: they never change, so browsers keep them. Everything
    // else, index.html above all, is revalidated so a new build is picked up at once.
    const bool hashed = rel.starts_with("/assets/");
    r.headers.emplace_back("Cache-Control",
                           hashed ? "public, max-age=31536000, immutable" : "no-cache");
    r.headers.emplace_back("ETag", fmt::format("\"{}\"", crypto::Sha256Hex(r.body).substr(0, 32)));
    r.headers.emplace_back("X-Content-Type-Options", "nosniff");
    files_.emplace(rel, std::move(r));
  }
  log::Info("web UI: {} files from {}", files_.size(), root);
}

std::string_view StaticFiles::ETagOf(const Response& file) {
  for (const auto& [name, value] : file.headers) {
    if (name == "ETag") return value;
  }
  return {};
}

const Response* StaticFiles::Find(std::string_view path) const {
  std::string key(path == "/" ? "/index.html" : path);
  if (auto it = files_.find(key); it != files_.end()) return &it->second;
  const auto slash = key.rfind('/');
  const bool has_extension = key.find('.', slash) != std::string::npos;
  if (has_extension) return nullptr;
  auto index = files_.find("/index.html");
  return index == files_.end() ? nullptr : &index->second;
}

}  // namespace radqs::http
