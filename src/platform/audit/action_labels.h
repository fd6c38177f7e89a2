// The words a reader of the audit log (审计日志: administrators, inspectors) sees for each action
// key the server writes: "已签到" for exam.arrived. One table for the screen (GET
// /api/v1/audit/actions) and the XLSX export; tests/api/audit_labels.test.mjs fails when an
// action literal of src/ has no label here.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace radqs::audit {

struct ActionLabel {
  std::string_view key, zh, en;
};

const std::vector<ActionLabel>& ActionLabels();
// nullptr for an unknown key (shown as the key itself).
const ActionLabel* FindActionLabel(std::string_view key);

}  // namespace radqs::audit
