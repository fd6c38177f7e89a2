// GET /api/v1/today/rooms (今日机房): each active room of the caller's sites with today's exams
// by state, counted as the room's queue selects them, and the devices named on the day's
// acquisitions — the radiologist's and the engineer's home pages (issue 14 item 11).
#include "exam/exam.h"
#include "exam/exam_store.h"
#include "org/directory.h"
#include "platform/http/query_params.h"
#include "platform/json_writer.h"

namespace radqs::exam {
namespace {

using http::Context;
using http::Response;

std::vector<std::int64_t> SitesShown(Context& ctx, std::optional<std::int64_t> site_id) {
  if (site_id) return {*site_id};
  const auto& scope = ctx.principal.sites;
  return scope.all ? org::ActiveSiteIds(ctx.tx()) : scope.ids;
}

Response TodayRooms(Context& ctx) {
  http::QueryParams params(ctx.request);
  const auto site_id = params.Integer("site_id");
  if (auto ok = params.Finish(); !ok) return http::ErrorResponse(ok.error());
  if (site_id && !ctx.principal.sites.Has(*site_id)) {
    return http::ErrorResponse(Error::NotFound("site"));
  }
  const int offset = ctx.UtcOffsetMinutes();
  const Date today = LocalDate(ctx.Now(), offset);
  const Micros from = StartOfLocalDate(today, offset);
  const Micros to = StartOfLocalDate(Date{today.days + 1}, offset);
  JsonWriter w;
  w.BeginObject().Field("day", FormatDate(today)).Key("items").BeginArray();
  for (const auto site : SitesShown(ctx, site_id)) {
    for (const auto& room : org::ActiveRoomsOf(ctx.tx(), site)) {
      const auto counts = store::RoomDayCounts(ctx.tx(), room.id, from, to);
      const auto count = [&](const char* state) {
        const auto c = counts.find(state);
        return c == counts.end() ? std::int64_t{0} : c->second;
      };
      const auto devices = store::DevicesAcquired(ctx.tx(), room.id, from, to);
      std::int64_t acquired = 0;
      for (const auto& [device, n] : devices) acquired += n;
      w.BeginObject().Field("room_id", room.id).Field("room_name", room.name);
      w.Field("site_id", room.site_id).Field("modality", room.modality);
      w.Field("location", room.location).Field("open_24h", room.open_24h);
      w.Field("expected", count("scheduled")).Field("waiting", count("arrived"));
      w.Field("in_progress", count("in_progress")).Field("acquired", acquired);
      w.Key("devices").BeginArray();
      for (const auto& [device, n] : devices) {
        w.BeginObject().Field("device_id", device).Field("exams", n).EndObject();
      }
      w.EndArray().EndObject();
    }
  }
  w.EndArray().EndObject();
  Response out;
  out.body = w.Take();
  return out;
}

}  // namespace

std::vector<http::Route> TodayRoutes() {
  return {{http::Method::kGet, "/api/v1/today/rooms", auth::Permission::kExamsRead,
           http::Mode::kRead, "schedule",
           "Today's work of each active room of the caller's sites (filter site_id): expected, "
           "waiting, in progress and acquired exams, and the devices on the day's acquisitions",
           nullptr, TodayRooms}};
}

}  // namespace radqs::exam
