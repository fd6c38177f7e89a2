// The shipped list of common passwords (common_passwords.txt, embedded at build time by
// tools/embed_text.cmake): one per line, lines starting with '#' are comments.
#pragma once

#include <string_view>

namespace radqs::auth {
std::string_view CommonPasswordsText();
}  // namespace radqs::auth
