// Routes of the platform itself: settings (系统设置) and the audit trail (审计日志).
#pragma once

#include <vector>

#include "platform/http/route.h"

namespace radqs::platform {
std::vector<http::Route> Routes();
}  // namespace radqs::platform
