#include <sodium.h>

#include <atomic>

#include "platform/auth/auth.h"

namespace radqs::auth {
namespace {
std::atomic<PasswordCost> g_cost{PasswordCost::kInteractive};
}

std::optional<PasswordCost> ParsePasswordCost(std::string_view name) {
  if (name == "interactive") return PasswordCost::kInteractive;
  if (name == "moderate") return PasswordCost::kModerate;
  if (name == "minimum") return PasswordCost::kMinimum;
  return std::nullopt;
}

void SetPasswordCost(PasswordCost cost) { g_cost = cost; }

std::string HashPassword(std::string_view password) {
  unsigned long long ops = crypto_pwhash_OPSLIMIT_INTERACTIVE;
  std::size_t mem = crypto_pwhash_MEMLIMIT_INTERACTIVE;
  switch (g_cost.load()) {
    case PasswordCost::kInteractive:
      break;
    case PasswordCost::kModerate:
      ops = crypto_pwhash_OPSLIMIT_MODERATE;
      mem = crypto_pwhash_MEMLIMIT_MODERATE;
      break;
    case PasswordCost::kMinimum:
      ops = crypto_pwhash_OPSLIMIT_MIN;
      mem = crypto_pwhash_MEMLIMIT_MIN;
      break;
  }
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), ops, mem,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    throw std::runtime_error("out of memory while hashing a password");
  }
  return out;
}

bool VerifyPassword(std::string_view hash, std::string_view password) {
  const std::string h(hash);
  return crypto_pwhash_str_verify(h.c_str(), password.data(), password.size()) == 0;
}

std::vector<FieldError> CheckPasswordPolicy(std::string_view password, std::size_t min_length,
                                            std::string_view field) {
  std::vector<FieldError> errors;
  if (password.size() < min_length) {
    errors.push_back({std::string(field), "weak_password",
                      "must be at least " + std::to_string(min_length) + " characters"});
    return errors;
  }
  bool letter = false, digit = false;
  for (const char c : password) {
    letter = letter || std::isalpha(static_cast<unsigned char>(c));
    digit = digit || std::isdigit(static_cast<unsigned char>(c));
  }
  if (!letter || !digit) {
    errors.push_back({std::string(field), "weak_password", "must contain both letters and digits"});
  }
  return errors;
}

bool IsLocked(const LockState& s, Micros now) {
  return s.admin_locked || (s.locked_until && *s.locked_until > now);
}

LockState AfterFailedLogin(LockState s, int max_failed, Micros lockout, Micros now) {
  // A lock that has run out starts a fresh count.
  if (s.locked_until && *s.locked_until <= now) {
    s.locked_until.reset();
    s.failed_logins = 0;
  }
  ++s.failed_logins;
  if (s.failed_logins >= max_failed) s.locked_until = now + lockout;
  return s;
}

std::string_view SessionEndReason(const SessionTimes& t, Micros idle, Micros now) {
  if (now >= t.expires_at) return "absolute";
  if (now - t.last_seen_at > idle) return "idle";
  return {};
}

}  // namespace radqs::auth
