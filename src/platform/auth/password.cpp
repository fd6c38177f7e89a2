#include <sodium.h>

#include <array>
#include <atomic>
#include <cctype>
#include <mutex>
#include <unordered_set>

#include "platform/auth/auth.h"
#include "platform/auth/common_passwords.h"
#include "platform/crypto.h"

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

const std::string& DummyHash() {
  // A fixed literal would keep the cost of the level it was made at: an unknown name answered
  // in 91 ms against 617 ms for a wrong password at `moderate`.
  static std::mutex mu;
  static std::array<std::string, 3> made;
  const auto level = static_cast<std::size_t>(g_cost.load());
  std::lock_guard lock(mu);
  if (made.at(level).empty()) made.at(level) = HashPassword(crypto::RandomToken());
  return made.at(level);
}

PasswordPolicy PasswordPolicyFrom(const std::function<std::int64_t(std::string_view)>& setting,
                                  bool admin) {
  PasswordPolicy p;
  p.min_length = static_cast<std::size_t>(
      setting(admin ? "auth.password_admin_min_length" : "auth.password_min_length"));
  p.min_classes = static_cast<int>(
      setting(admin ? "auth.password_admin_min_classes" : "auth.password_min_classes"));
  return p;
}

namespace {
std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

const std::unordered_set<std::string>& CommonPasswords() {
  static const std::unordered_set<std::string> kAll = [] {
    std::unordered_set<std::string> out;
    std::string_view text = CommonPasswordsText();
    while (!text.empty()) {
      const auto end = text.find('\n');
      std::string_view line = text.substr(0, end);
      text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
      if (!line.empty() && line.front() != '#') out.insert(Lower(line));
    }
    return out;
  }();
  return kAll;
}

std::size_t CodePoints(std::string_view s) {
  std::size_t n = 0;
  for (const char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
  return n;
}
}  // namespace

bool IsCommonPassword(std::string_view password) {
  const std::string lower = Lower(password);
  const auto& list = CommonPasswords();
  if (list.count(lower) != 0) return true;
  // "Dragon2026!" is "dragon" with the year and a symbol added, as people do when told to.
  std::size_t end = lower.size();
  while (end > 0 && !std::isalpha(static_cast<unsigned char>(lower[end - 1]))) --end;
  constexpr std::size_t kMinBase = 4;
  return end >= kMinBase && end < lower.size() && list.count(lower.substr(0, end)) != 0;
}

std::vector<FieldError> CheckPasswordPolicy(std::string_view password, const PasswordPolicy& policy,
                                            std::string_view username, std::string_view field) {
  bool lower = false, upper = false, digit = false, other = false;
  for (const char c : password) {
    const auto u = static_cast<unsigned char>(c);
    lower = lower || std::islower(u);
    upper = upper || std::isupper(u);
    digit = digit || std::isdigit(u);
    other = other || !std::isalnum(u);
  }
  const int classes = int{lower} + int{upper} + int{digit} + int{other};
  const std::vector<MessageParam> params = {
      {"min_length", static_cast<std::int64_t>(policy.min_length)},
      {"min_classes", std::int64_t{policy.min_classes}},
      {"classes", std::int64_t{classes}}};
  const std::string f(field);
  auto weak = [&](FieldError e) {
    e.params = params;
    e.params.emplace_back("check", e.key.substr(e.key.rfind('_') + 1));
    return std::vector<FieldError>{std::move(e)};
  };
  if (CodePoints(password) < policy.min_length) {
    return weak({f, "weak_password",
                 "must be at least " + std::to_string(policy.min_length) + " characters",
                 "weak_password_length"});
  }
  if (classes < policy.min_classes) {
    return weak({f, "weak_password",
                 "must mix at least " + std::to_string(policy.min_classes) +
                     " of: lower-case letters, upper-case letters, digits, symbols",
                 "weak_password_classes"});
  }
  constexpr std::size_t kMinNameInPassword = 3;
  if (username.size() >= kMinNameInPassword &&
      Lower(password).find(Lower(username)) != std::string::npos) {
    return weak({f, "weak_password", "must not contain the user name", "weak_password_username"});
  }
  if (IsCommonPassword(password)) {
    return weak({f, "weak_password", "is a commonly used password", "weak_password_common"});
  }
  return {};
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
  return ApplyLockRule(s, max_failed, lockout, now);
}

LockState ApplyLockRule(LockState counted, int max_failed, Micros lockout, Micros now) {
  if (counted.failed_logins >= max_failed && !IsLocked(counted, now)) {
    counted.locked_until = now + lockout;
  }
  return counted;
}

namespace {
// Code points a trail entry must not carry: C0/C1 controls, DEL, and the marks that reorder or
// hide text on screen (bidirectional embeddings, overrides and isolates, LRM/RLM/ALM).
bool Unprintable(char32_t c) {
  return c < 0x20 || (c >= 0x7F && c < 0xA0) || (c >= 0x202A && c <= 0x202E) ||
         (c >= 0x2066 && c <= 0x2069) || c == 0x200E || c == 0x200F || c == 0x061C;
}
}  // namespace

std::string TypedUsernameForAudit(std::string_view typed) {
  constexpr std::size_t kMaxChars = 64;
  std::string out;
  std::size_t chars = 0;
  for (std::size_t i = 0; i < typed.size() && chars < kMaxChars;) {
    const auto b = static_cast<unsigned char>(typed[i]);
    const std::size_t len = b < 0x80 ? 1 : b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
    if (i + len > typed.size()) break;
    char32_t c = len == 1 ? b : b & (0x7F >> len);
    for (std::size_t k = 1; k < len; ++k) {
      c = (c << 6) | (static_cast<unsigned char>(typed[i + k]) & 0x3F);
    }
    if (!Unprintable(c) && !(len == 1 && b >= 0x80)) {
      out.append(typed.substr(i, len));
      ++chars;
    }
    i += len;
  }
  return out;
}

std::string_view SessionEndReason(const SessionTimes& t, Micros idle, Micros now) {
  if (now >= t.expires_at) return "absolute";
  if (now - t.last_seen_at > idle) return "idle";
  return {};
}

}  // namespace radqs::auth
