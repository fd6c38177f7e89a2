// The XLSX exports of the platform's lists (the audit log, the settings), attached to their
// routes by the composition root (http::AttachExports).
#pragma once

#include <vector>

#include "platform/http/route.h"

namespace radqs::platform {
std::vector<http::ListExport> ListExports();
}  // namespace radqs::platform
