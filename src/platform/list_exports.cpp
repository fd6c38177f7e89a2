// The XLSX exports of the platform's own lists (审计日志, 系统设置): docs/decisions.md (exports).
#include "platform/list_exports.h"

#include "platform/audit/action_labels.h"

namespace radqs::platform {
namespace {

using exporting::Col;
using exporting::Dict;
using exporting::Kind;

const exporting::Labels& ActionWords() {
  static const exporting::Labels labels = [] {
    exporting::Labels out;
    for (const auto& l : audit::ActionLabels()) {
      out.emplace(std::string(l.key), exporting::Words{std::string(l.zh), std::string(l.en)});
    }
    return out;
  }();
  return labels;
}

const exporting::Labels kEntityWords{
    {"patient", {"患者", "Patient"}},
    {"exam", {"检查", "Exam"}},
    {"order", {"申请单", "Order"}},
    {"safety_event", {"不良事件", "Safety event"}},
    {"user", {"用户", "User"}},
    {"staff", {"人员", "Staff"}},
    {"site", {"机构", "Site"}},
    {"room", {"检查室", "Room"}},
    {"department", {"申请科室", "Department"}},
    {"licence", {"许可证", "Licence"}},
    {"certificate", {"证书", "Certificate"}},
    {"setting", {"系统参数", "Setting"}},
    {"exam_item", {"检查项目", "Catalogue item"}},
    {"closure", {"停诊", "Closure"}},
    {"api_token", {"接口令牌", "API token"}},
    {"list", {"列表", "List"}},
    {"route", {"接口", "Route"}},
    {"server", {"服务", "Server"}},
    {"database", {"数据库", "Database"}},
};

// spec: issue 14 item 3 — the audit log as its readers read it: actions and actors in words.
exporting::ListSpec AuditExport() {
  return {{"审计日志", "Audit log"},
          {Col("seq", "audit.seq", Kind::kNumber, 9), Col("at", "audit.at", Kind::kInstant, 17),
           Col("actor_name", "audit.actor", Kind::kText, 14),
           Col("actor", "auditLog.account", Kind::kText, 14),
           Col("action", "audit.action", Kind::kText, 18, &ActionWords()),
           Col("entity", "audit.entity", Kind::kText, 12, &kEntityWords),
           Col("entity_id", "audit.entityId", Kind::kText, 12),
           Col("ip", "audit.ip", Kind::kText, 15), Col("detail", "audit.detail", Kind::kText, 60)}};
}

Json SettingValue(const Json& item, exporting::Lang) {
  const Json& v = item.at("value");
  if (v.is_string()) return v;
  if (v.is_number()) return v;
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  return v.dump();
}

exporting::ListSpec SettingsExport() {
  exporting::Column value = Col("value", "settings.value", Kind::kText, 16);
  value.value = SettingValue;
  return {{"系统参数", "Settings"},
          {Col("name", "settings.name", Kind::kText, 40), value,
           Col("unit", "settings.unit", Kind::kText, 10),
           Col("valid_from", "settings.validFrom", Kind::kDate, 12),
           Col("basis", "settings.basis", Kind::kText, 12, &Dict("settings.bases")),
           Col("reference", "settings.reference", Kind::kText, 40),
           Col("key", "settings.key", Kind::kText, 34)}};
}

exporting::ListSpec TokensExport() {
  return {{"接口令牌", "API tokens"},
          {Col("name", "token.name", Kind::kText, 20),
           Col("roles", "token.roles", Kind::kList, 30, &Dict("roles")),
           Col("created_at", "token.createdAt", Kind::kInstant, 17),
           Col("expires_at", "token.expiresAt", Kind::kInstant, 17),
           Col("last_used_at", "token.lastUsedAt", Kind::kInstant, 17),
           Col("state", "token.status", Kind::kText, 10, &Dict("token.statuses"))},
          [](db::Transaction&, Micros now, Date, std::vector<Json>& items) {
            for (auto& t : items) {
              const auto expires = t.value("expires_at", Json(nullptr));
              const auto at =
                  expires.is_string() ? ParseInstant(expires.get<std::string>()) : std::nullopt;
              t["state"] = !t.value("revoked_at", Json(nullptr)).is_null() ? "revoked"
                           : at && *at <= now                              ? "expired"
                                                                           : "active";
            }
          }};
}

}  // namespace

std::vector<http::ListExport> ListExports() {
  std::vector<http::ListExport> out;
  out.push_back({"GET /api/v1/audit", AuditExport()});
  out.push_back({"GET /api/v1/settings", SettingsExport()});
  out.push_back({"GET /api/v1/api-tokens", TokensExport()});
  return out;
}

}  // namespace radqs::platform
