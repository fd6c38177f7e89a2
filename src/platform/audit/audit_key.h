// The audit trail key (审计密钥), kept in a file outside the database, so that whoever can write
// the database file cannot rewrite the trail and recompute its chain unnoticed — spec:
// domain.md §9, regulations.md §8.
//
// Every entry from `from_seq` on carries a tag, HMAC-SHA512-256 (libsodium crypto_auth) of its
// chained hash under the key, and the head row carries a tag of (seq, hash). Entries before
// `from_seq` were written before the database had a key and are only hash-chained. The file
// must be backed up apart from the database (docs/deployment.md "Audit trail key and anchors").
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace radqs::audit {

struct Key {
  std::string secret;  // crypto::kAuthKeyBytes raw bytes
  std::int64_t from_seq = 1;
  std::string path;
};

// The key in `path`; nullopt when there is no such file. Throws std::runtime_error when the
// file is there but unreadable or malformed (a broken resource, never silently ignored).
std::optional<Key> ReadKey(const std::string& path);
// Writes a new random key to `path` with mode 0600, for the entries from `from_seq` on. Throws
// when the file exists already or cannot be written.
Key CreateKey(const std::string& path, std::int64_t from_seq);

// The key Append tags with and Verify checks by default; set once at start, before any write.
void UseKey(std::optional<Key> key);
const Key* CurrentKey();

std::string EntryTag(const Key& key, const std::string& hash);
std::string HeadTag(const Key& key, std::int64_t seq, const std::string& hash);

}  // namespace radqs::audit
