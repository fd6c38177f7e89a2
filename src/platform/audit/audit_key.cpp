#include "platform/audit/audit_key.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cerrno>

#include <fstream>
#include <memory>
#include <stdexcept>

#include "platform/crypto.h"
#include "platform/log.h"

namespace radqs::audit {
namespace {

std::unique_ptr<const Key> g_key;  // written once at start, before the writer runs

std::string Trim(std::string s) {
  const auto b = s.find_first_not_of(" \t\r");
  const auto e = s.find_last_not_of(" \t\r");
  return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

}  // namespace

std::optional<Key> ReadKey(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) return std::nullopt;
    throw std::runtime_error("audit key file " + path + " cannot be read");
  }
  if ((st.st_mode & 077) != 0) {
    log::Warn("audit key file {} can be read by other users: chmod 600 it", path);
  }
  std::ifstream in(path);
  if (!in) throw std::runtime_error("audit key file " + path + " cannot be read");
  Key k;
  k.path = path;
  bool has_from = false;
  std::string line;
  while (std::getline(in, line)) {
    line = Trim(line);
    if (line.empty() || line.front() == '#') continue;
    const auto eq = line.find('=');
    if (eq == std::string::npos) continue;
    const std::string name = Trim(line.substr(0, eq));
    const std::string value = Trim(line.substr(eq + 1));
    if (name == "key") {
      if (auto raw = crypto::FromHex(value)) k.secret = *raw;
    } else if (name == "from_seq") {
      try {
        k.from_seq = std::stoll(value);
        has_from = k.from_seq >= 1;
      } catch (const std::exception&) {
        has_from = false;
      }
    }
  }
  if (k.secret.size() != crypto::kAuthKeyBytes || !has_from) {
    throw std::runtime_error("audit key file " + path +
                             " is malformed (needs key = 64 hex digits and from_seq = N)");
  }
  return k;
}

Key CreateKey(const std::string& path, std::int64_t from_seq) {
  Key k;
  k.secret = crypto::RandomBytes(crypto::kAuthKeyBytes);
  k.from_seq = from_seq;
  k.path = path;
  const std::string text =
      "# RadQS audit trail key: tags every audit entry from from_seq on.\n"
      "# Keep it secret (mode 0600) and back it up apart from the database: without it the\n"
      "# trail cannot be verified. See docs/deployment.md \"Audit trail key and anchors\".\n"
      "key = " +
      crypto::ToHex(k.secret) + "\nfrom_seq = " + std::to_string(from_seq) + "\n";
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) throw std::runtime_error("cannot create audit key file " + path);
  const bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
                  ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) throw std::runtime_error("cannot write audit key file " + path);
  return k;
}

void UseKey(std::optional<Key> key) {
  g_key = key ? std::make_unique<const Key>(std::move(*key)) : nullptr;
}

const Key* CurrentKey() { return g_key.get(); }

std::string EntryTag(const Key& key, const std::string& hash) {
  return crypto::AuthTagHex(key.secret, "entry:" + hash);
}

std::string HeadTag(const Key& key, std::int64_t seq, const std::string& hash) {
  return crypto::AuthTagHex(key.secret, "head:" + std::to_string(seq) + ":" + hash);
}

}  // namespace radqs::audit
