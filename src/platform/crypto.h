// Hashes and random tokens (libsodium).
#pragma once

#include <string>
#include <string_view>

namespace radqs::crypto {

// Must run once before any other call; safe to call again.
void Init();
std::string Sha256Hex(std::string_view data);
// `bytes` random bytes as unpadded base64url.
std::string RandomToken(int bytes = 32);
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace radqs::crypto
