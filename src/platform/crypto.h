// Hashes and random tokens (libsodium).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace radqs::crypto {

// Must run once before any other call; safe to call again.
void Init();
std::string Sha256Hex(std::string_view data);
// `bytes` random bytes as unpadded base64url.
std::string RandomToken(int bytes = 32);
bool ConstantTimeEquals(std::string_view a, std::string_view b);

// Keys for AuthTagHex: kAuthKeyBytes raw bytes.
inline constexpr std::size_t kAuthKeyBytes = 32;
std::string RandomBytes(std::size_t n);
// HMAC-SHA512-256 (libsodium crypto_auth) of `message` under `key`, as lowercase hex.
std::string AuthTagHex(std::string_view key, std::string_view message);
std::string ToHex(std::string_view bytes);
// Raw bytes of lowercase or uppercase hex; nullopt when it is not hex.
std::optional<std::string> FromHex(std::string_view hex);

}  // namespace radqs::crypto
