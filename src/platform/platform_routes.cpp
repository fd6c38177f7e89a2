#include "platform/platform_routes.h"

#include <array>

#include "platform/audit/action_labels.h"
#include "platform/audit/anchor.h"
#include "platform/auth/accounts.h"
#include "platform/http/fields.h"
#include "platform/http/query_params.h"
#include "platform/jobs/jobs.h"

namespace radqs::platform {
namespace {

using http::Context;
using http::Response;

Json VersionJson(const config::SettingVersion& v) {
  return {{"value", v.value},
          {"valid_from", FormatDate(v.valid_from)},
          {"reason", v.reason},
          {"set_by", v.set_by_name},
          {"set_at", FormatInstant(v.set_at)}};
}

Json SettingJson(Context& ctx, const config::SettingDefinition& d) {
  const auto history = ctx.settings().History(d.key);
  const Date today = LocalDate(ctx.Now());
  std::optional<Date> valid_from;
  for (const auto& v : history) {
    if (v.valid_from <= today) valid_from = v.valid_from;
  }
  Json h = Json::array();
  for (const auto& v : history) h.push_back(VersionJson(v));
  return {{"key", d.key},
          {"value", ctx.settings().ValueOn(d.key, today)},
          {"default", d.default_value},
          {"valid_from", valid_from ? Json(FormatDate(*valid_from)) : Json(nullptr)},
          {"unit", d.unit},
          {"name", d.name},
          {"name_en", d.name_en},
          {"basis", std::string(config::BasisKey(d.basis))},
          {"reference", d.reference},
          {"min", d.min ? Json(*d.min) : Json(nullptr)},
          {"max", d.max ? Json(*d.max) : Json(nullptr)},
          {"history", h}};
}

Response ListSettings(Context& ctx) {
  Json items = Json::array();
  for (const auto& d : config::Definitions()) items.push_back(SettingJson(ctx, d));
  return http::JsonResponse({{"items", items}, {"next_cursor", nullptr}});
}

Response GetSetting(Context& ctx) {
  const auto* d = config::FindDefinition(ctx.request.params.at("key"));
  if (d == nullptr) return http::ErrorResponse(Error::NotFound("setting"));
  return http::JsonResponse(SettingJson(ctx, *d));
}

Response AddSettingVersion(Context& ctx) {
  const auto* d = config::FindDefinition(ctx.request.params.at("key"));
  if (d == nullptr) return http::ErrorResponse(Error::NotFound("setting"));
  auto f = http::Fields::Parse(ctx.request.body);
  if (!f) return http::ErrorResponse(f.error());
  const auto value = f->Raw("value", true);
  const auto valid_from = f->Day("valid_from", true);
  const auto reason = f->Text("reason", {.required = true, .max_length = 500, .multiline = true});
  if (auto ok = f->Finish(); !ok) return http::ErrorResponse(ok.error());
  auto added = ctx.settings().AddVersion(ctx.tx(), d->key, *value, *valid_from, *reason,
                                         ctx.principal.ActorId());
  if (!added) return http::ErrorResponse(added.error());
  ctx.Audit("setting.version", "setting", d->key, nullptr, &*value,
            "valid_from=" + FormatDate(*valid_from) + " reason=" + *reason);
  Json out{{"key", d->key}, {"value", *value}, {"valid_from", FormatDate(*valid_from)}};
  return http::JsonResponse(out, 201);
}

Json EntryJson(const audit::StoredEntry& s) {
  const auto& e = s.entry;
  return {{"seq", s.seq},
          {"id", s.seq},
          {"at", FormatInstant(e.at)},
          {"actor_user_id", e.actor_user_id},
          {"actor", e.actor},
          {"action", e.action},
          {"entity", e.entity},
          {"entity_id", e.entity_id},
          {"request_id", e.request_id},
          {"ip", e.ip},
          {"before_digest", e.before_digest},
          {"after_digest", e.after_digest},
          {"detail", e.detail},
          {"hash", s.hash}};
}

// A person's name finds at most this many accounts; a name that short is not a search.
constexpr int kMaxPersonAccounts = 200;

Response ListAudit(Context& ctx) {
  auto page = http::ReadPage(ctx.request);
  if (!page) return http::ErrorResponse(page.error());
  audit::Filter f;
  http::QueryParams q(ctx.request);
  f.actor = q.Text("actor");
  if (auto person = q.Text("person")) {
    f.actor_user_ids = auth::UsersNamed(ctx.tx(), *person, kMaxPersonAccounts);
  }
  f.action = q.Text("action");
  f.entity = q.Text("entity");
  f.entity_id = q.Text("entity_id");
  const int offset = ctx.UtcOffsetMinutes();
  f.from = q.DayStart("from", offset);
  f.to = q.DayStart("to", offset, 1);  // inclusive of the whole "to" day
  if (auto ok = q.Finish(); !ok) return http::ErrorResponse(ok.error());
  f.before_seq = page->after_id;
  f.limit = page->limit + 1;
  const auto entries = audit::List(ctx.tx(), f);
  std::vector<std::int64_t> actor_ids;
  for (const auto& e : entries) {
    if (e.entry.actor_user_id) actor_ids.push_back(*e.entry.actor_user_id);
  }
  const auto names = auth::UserNames(ctx.tx(), actor_ids);
  Json items = Json::array();
  for (const auto& e : entries) {
    Json item = EntryJson(e);
    const auto id = e.entry.actor_user_id;
    const auto name = id ? names.find(*id) : names.end();
    item["actor_name"] = name != names.end() ? Json(name->second) : Json(nullptr);
    items.push_back(std::move(item));
  }
  return http::JsonResponse(http::PageOf(std::move(items), *page));
}

Response ListAuditActions(Context&) {
  Json items = Json::array();
  for (const auto& l : audit::ActionLabels()) {
    items.push_back({{"key", l.key}, {"zh", l.zh}, {"en", l.en}});
  }
  return http::JsonResponse({{"items", items}});
}

Json VerifyJson(const audit::VerifyResult& r) {
  return {{"ok", r.ok},
          {"checked", r.checked},
          {"first_bad_seq", r.first_bad_seq},
          {"reason", r.reason},
          {"keyed", audit::CurrentKey() != nullptr},
          {"tags_checked", r.tags_checked},
          {"anchors_checked", r.anchors_checked}};
}

Response VerifyAudit(Context& ctx) {
  return http::JsonResponse(VerifyJson(audit::Verify(ctx.database())));
}

// The server's own check of its trail (at start, then daily with the anchor), so that
// administrators see a broken chain without asking — spec: domain.md §9.
Response AuditStatus(Context&) {
  const auto s = audit::LastChainStatus();
  Json out = VerifyJson(s.result);
  out["checked_by_server"] = s.checked;
  out["checked_at"] = s.checked ? Json(FormatInstant(s.checked_at)) : Json(nullptr);
  out["last_anchor"] = s.last_anchor ? Json{{"seq", s.last_anchor->seq},
                                            {"hash", s.last_anchor->hash},
                                            {"at", FormatInstant(s.last_anchor->at)}}
                                     : Json(nullptr);
  out["anchor_error"] = s.anchor_error.empty() ? Json(nullptr) : Json(s.anchor_error);
  out["problem"] = s.checked && (!s.result.ok || !s.result.tags_checked || !s.anchor_error.empty());
  return http::JsonResponse(out);
}

Json JobJson(const jobs::JobRow& r) {
  return {{"id", r.job.id},
          {"kind", r.job.kind},
          {"payload", r.job.payload},
          {"due_at", FormatInstant(r.job.due_at)},
          {"attempts", r.job.attempts},
          {"state", r.state},
          {"claimed_by", r.claimed_by ? Json(*r.claimed_by) : Json(nullptr)},
          {"lease_until", r.lease_until ? Json(FormatInstant(*r.lease_until)) : Json(nullptr)},
          {"last_error", r.last_error},
          {"created_at", FormatInstant(r.created_at)},
          {"done_at", r.done_at ? Json(FormatInstant(*r.done_at)) : Json(nullptr)}};
}

Response ListJobs(Context& ctx) {
  auto page = http::ReadPage(ctx.request);
  if (!page) return http::ErrorResponse(page.error());
  http::QueryParams q(ctx.request);
  const auto state = q.Enum("state", std::array{"due", "done", "parked"});
  if (auto ok = q.Finish(); !ok) return http::ErrorResponse(ok.error());
  Json items = Json::array();
  for (const auto& r : jobs::List(ctx.tx(), state.value_or(""), page->after_id, page->limit + 1)) {
    items.push_back(JobJson(r));
  }
  return http::JsonResponse(http::PageOf(std::move(items), *page));
}

Response RetryJob(Context& ctx) {
  const auto id = ctx.request.IdParam();
  if (!id) return http::ErrorResponse(Error::NotFound("job"));
  if (!jobs::Retry(ctx.tx(), *id, ctx.Now())) {
    return http::ErrorResponse(Error::Conflict("only a parked job can be retried"));
  }
  ctx.Audit("job.retry", "job", std::to_string(*id), nullptr, nullptr, "");
  return http::JsonResponse({{"id", *id}, {"state", "due"}});
}

}  // namespace

std::vector<http::Route> Routes() {
  using auth::Permission;
  using http::Method;
  using http::Mode;
  return {
      {Method::kGet, "/api/v1/jobs", Permission::kJobsManage, Mode::kRead, "jobs",
       "Background jobs, newest first (state due | done | parked), with attempts and last error",
       nullptr, ListJobs},
      {Method::kPost, "/api/v1/jobs/{id}/retry", Permission::kJobsManage, Mode::kWrite, "jobs",
       "Put a parked job back: due now, attempts counted afresh", nullptr, RetryJob},
      {Method::kGet, "/api/v1/settings", Permission::kSettingsRead, Mode::kRead, "settings",
       "All settings with the value in force today and their version history", nullptr,
       ListSettings},
      {Method::kGet, "/api/v1/settings/{key}", Permission::kSettingsRead, Mode::kRead, "settings",
       "One setting with its version history", nullptr, GetSetting},
      {Method::kPost, "/api/v1/settings/{key}/versions", Permission::kSettingsWrite, Mode::kWrite,
       "settings", "Add a version of a setting, valid from a date",
       Json{{"type", "object"},
            {"required", {"value", "valid_from", "reason"}},
            {"properties",
             {{"value", Json::object()},
              {"valid_from", {{"type", "string"}, {"format", "date"}}},
              {"reason", {{"type", "string"}}}}}},
       AddSettingVersion},
      {Method::kGet, "/api/v1/audit", Permission::kAuditRead, Mode::kRead, "audit",
       "Audit entries, newest first (filters actor (account), person (name or account), action "
       "prefix, entity, entity_id, from, to)",
       nullptr, ListAudit},
      {Method::kGet, "/api/v1/audit/actions", Permission::kAuditRead, Mode::kRead, "audit",
       "The label of every audit action key in Chinese and English", nullptr, ListAuditActions},
      {Method::kGet, "/api/v1/audit/verify", Permission::kAuditRead, Mode::kPlain, "audit",
       "Check the hash chain of the whole audit trail", nullptr, VerifyAudit},
      {Method::kGet, "/api/v1/audit/status", Permission::kAuditRead, Mode::kPlain, "audit",
       "The server's last check of the audit trail (at start and daily) and its last anchor; "
       "problem is true when administrators must act",
       nullptr, AuditStatus},
  };
}

}  // namespace radqs::platform
