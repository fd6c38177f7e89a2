// HTTP routes for rooms (检查室 / 机房) — spec: domain.md §1, docs/api.md.
#include "org/routes_internal.h"

namespace radqs::org {
namespace {

using detail::Body;
using http::Context;
using http::Response;

void ReadRoom(Body& b, Room& r) {
  b.Integer("site_id", r.site_id, true, {.min = 1});
  b.Text("code", r.code, true, 32);
  b.Text("name", r.name, true, 100);
  b.Text("modality", r.modality, true, 16);
  b.Text("location", r.location, false, 200);
  b.Boolean("open_24h", r.open_24h);
  b.Boolean("active", r.active);
}

// Record rules plus the site reference.
std::vector<FieldError> RoomErrors(db::Transaction& tx, const Room& r, bool site_changed) {
  auto errors = ValidateRoom(r);
  if (site_changed && r.site_id > 0 && !store::SiteExists(tx, r.site_id)) {
    errors.push_back({"site_id", "reference", "no such site"});
  }
  return errors;
}

Response ListRooms(Context& ctx) {
  auto page = http::ReadPage(ctx.request);
  if (!page) return http::ErrorResponse(page.error());
  http::QueryParams q(ctx.request);
  store::RoomFilter f{.site_id = q.Integer("site_id"),
                      .modality = q.Enum("modality", kModalities),
                      .active = q.Boolean("active")};
  if (auto ok = q.Finish(); !ok) return http::ErrorResponse(ok.error());
  Json items = Json::array();
  for (const auto& r : store::ListRooms(ctx.tx(), f, detail::CursorOf(*page))) {
    items.push_back(RoomJson(r));
  }
  return http::JsonResponse(http::PageOf(std::move(items), *page));
}

Response GetRoom(Context& ctx) {
  const auto id = ctx.request.IdParam();
  auto r = id ? store::LoadRoom(ctx.tx(), *id) : std::nullopt;
  if (!r) return detail::NotFound("room");
  return http::JsonResponse(RoomJson(*r));
}

Response CreateRoom(Context& ctx) {
  auto f = http::Fields::Parse(ctx.request.body);
  if (!f) return http::ErrorResponse(f.error());
  auto& tx = ctx.tx();
  Room r;
  Body b(*f, true);
  ReadRoom(b, r);
  if (auto ok = detail::Conclude(*f, RoomErrors(tx, r, true)); !ok) {
    return http::ErrorResponse(ok.error());
  }
  if (store::RoomCodeTaken(tx, r.site_id, r.code, 0)) {
    return detail::Duplicate("code", "this site already has a room with this code");
  }
  r.created_at = r.updated_at = ctx.Now();
  r.id = store::InsertRoom(tx, r);
  const Json after = RoomJson(*store::LoadRoom(tx, r.id));
  detail::AuditChange(ctx, "room.create", "room", r.id, nullptr, &after);
  return http::JsonResponse(after, 201);
}

Response UpdateRoom(Context& ctx) {
  const auto id = ctx.request.IdParam();
  auto& tx = ctx.tx();
  const auto old = id ? store::LoadRoom(tx, *id) : std::nullopt;
  if (!old) return detail::NotFound("room");
  auto f = http::Fields::Parse(ctx.request.body);
  if (!f) return http::ErrorResponse(f.error());
  const auto version = f->Integer("version", {.required = true, .min = 1});
  Room r = *old;
  Body b(*f, false);
  ReadRoom(b, r);
  if (auto ok = detail::Conclude(*f, RoomErrors(tx, r, r.site_id != old->site_id)); !ok) {
    return http::ErrorResponse(ok.error());
  }
  if (*version != old->version) return http::StaleVersion("room");
  if ((r.site_id != old->site_id || r.code != old->code) &&
      store::RoomCodeTaken(tx, r.site_id, r.code, r.id)) {
    return detail::Duplicate("code", "this site already has a room with this code");
  }
  r.version = old->version + 1;
  r.updated_at = ctx.Now();
  store::UpdateRoom(tx, r);
  const Json before = RoomJson(*old);
  const Json after = RoomJson(*store::LoadRoom(tx, r.id));
  detail::AuditChange(ctx, "room.update", "room", r.id, &before, &after);
  return http::JsonResponse(after);
}

const Json& RoomBody() {
  static const Json kBody{
      {"type", "object"},
      {"required", {"site_id", "code", "name", "modality"}},
      {"properties",
       {{"site_id", {{"type", "integer"}}},
        {"code", {{"type", "string"}, {"maxLength", 32}}},
        {"name", {{"type", "string"}, {"maxLength", 100}}},
        {"modality", {{"type", "string"}, {"enum", kModalities}}},
        {"location", {{"type", "string"}}},
        {"open_24h", {{"type", "boolean"}}},
        {"active", {{"type", "boolean"}}},
        {"version", {{"type", "integer"}, {"description", "PATCH only: the current version"}}}}}};
  return kBody;
}

}  // namespace

std::vector<http::Route> RoomRoutes() {
  using auth::Permission;
  using http::Method;
  using http::Mode;
  return {
      {Method::kGet, "/api/v1/rooms", Permission::kOrgRead, Mode::kRead, "org",
       "检查室列表 / List rooms (filters site_id, modality, active)", nullptr, ListRooms},
      {Method::kGet, "/api/v1/rooms/{id}", Permission::kOrgRead, Mode::kRead, "org",
       "检查室详情 / One room", nullptr, GetRoom},
      {Method::kPost, "/api/v1/rooms", Permission::kOrgWrite, Mode::kWrite, "org",
       "新建检查室 / Create a room", RoomBody(), CreateRoom},
      {Method::kPatch, "/api/v1/rooms/{id}", Permission::kOrgWrite, Mode::kWrite, "org",
       "修改检查室（含停用） / Change or deactivate a room; needs version", RoomBody(), UpdateRoom},
  };
}

}  // namespace radqs::org
