// Routes: each declares its method, path pattern ("/api/v1/sites/{id}"), the permission it needs,
// how it touches the database, and its documentation, from which /api/openapi.json is built.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/time.h"
#include "platform/audit/audit.h"
#include "platform/auth/permissions.h"
#include "platform/auth/principal.h"
#include "platform/config/settings.h"
#include "platform/db/database.h"
#include "platform/export/list_export.h"
#include "platform/http/http.h"
#include "platform/json_writer.h"
#include "platform/notify/events.h"

namespace radqs::http {

enum class Mode {
  kRead,   // runs in a read transaction on the DB pool
  kWrite,  // runs in the writer's transaction (own savepoint); a status >= 400 rolls it back
  kPlain,  // runs on the DB pool without a transaction; uses database() itself
  // Like kPlain, but on the small credential pool: password hashing (sign-in, password change)
  // is slow by design, and a sign-in flood must not starve the readers of the DB pool.
  kCredential,
};

// What every handler gets. Services are owned by the server and outlive the request.
struct Services {
  db::Database* database = nullptr;
  const Clock* clock = nullptr;
  config::Settings* settings = nullptr;
  audit::ReadQueue* read_audit = nullptr;
  notify::EventHub* events = nullptr;
  // Called after a user's sessions or roles change, so cached sign-ins are dropped at once.
  std::function<void(std::int64_t user_id)> on_user_changed;
  // More Prometheus lines for /metrics (the background jobs' figures), optional.
  std::function<std::string()> more_metrics;
};

class Context {
 public:
  Context(const Request& req, const auth::Principal& who, const Services& services,
          db::Transaction* tx)
      : request(req), principal(who), services_(services), tx_(tx) {}

  const Request& request;
  const auth::Principal& principal;

  db::Transaction& tx() { return *tx_; }
  db::Database& database() { return *services_.database; }
  const Clock& clock() const { return *services_.clock; }
  Micros Now() const { return services_.clock->Now(); }
  config::Settings& settings() { return *services_.settings; }
  const Services& services() const { return services_; }
  bool Can(auth::Permission p) const { return auth::Allows(principal.roles, p); }
  // spec: architecture.md "Time" — the site's fixed UTC offset in force now, and today's local
  // date under it.
  int UtcOffsetMinutes();
  Date Today() { return LocalDate(Now(), UtcOffsetMinutes()); }

  // Appends an audit entry for a change, in the given (default: this request's) transaction.
  void Audit(std::string action, std::string entity, std::string entity_id,
             const Json* before = nullptr, const Json* after = nullptr, std::string detail = {},
             db::Transaction* in = nullptr);
  // Queues an audit entry for a read of personal data (appended within a second).
  void AuditRead(std::string action, std::string entity, std::string entity_id,
                 std::string detail = {});
  // A server-sent event sent once this request's changes are committed (never if rolled back),
  // only to streams whose principal holds `needs`: an event may tell what a list would.
  void Publish(std::string name, Json data, auth::Permission needs) {
    events_.push_back({std::move(name), std::move(data), needs});
  }
  struct Event {
    std::string name;
    Json data;
    auth::Permission needs;
  };
  std::vector<Event>& events() { return events_; }

 private:
  audit::Entry MakeEntry(std::string action, std::string entity, std::string entity_id) const;
  const Services& services_;
  db::Transaction* tx_;
  std::vector<Event> events_;
};

using Handler = std::function<Response(Context&)>;

struct Route {
  Method method = Method::kGet;
  std::string pattern;
  auth::Permission permission = auth::Permission::kAuthenticated;
  Mode mode = Mode::kRead;
  std::string tag;      // module, for the API documentation
  std::string summary;  // required: a route without documentation fails the openapi test
  Json body = nullptr;  // JSON schema of the request body, if any
  Handler handler;
  // A list route with an export answers `?format=xlsx` with the XLSX of the whole filtered list
  // (every page of its own handler, up to the setting export.max_rows).
  std::shared_ptr<const exporting::ListSpec> xlsx = nullptr;
};

// A list route's XLSX export, declared by the module that owns the list; `route` is
// "GET /api/v1/exams". Kept beside the route table so that the route files stay as they are.
struct ListExport {
  std::string route;
  exporting::ListSpec spec;
};
// Gives each named route its export; throws std::logic_error for a route that does not exist.
void AttachExports(std::vector<Route>& routes, std::vector<ListExport> exports);

// Whether a request asks a route for its XLSX export.
bool WantsXlsx(const Route& route, const Request& req);
// Runs the export inside the read transaction `tx`: pages through the route's handler with the
// caller's filters, builds the workbook and audits it (`list.export`, with the pages' own
// read-audit entries, e.g. the patients listed). Errors are the list's own (a bad filter) or 400
// field `format`, rule `max_rows`, beyond the setting export.max_rows.
Response RunXlsxExport(const Route& route, const Request& req, const auth::Principal& who,
                       const Services& services, db::Transaction& tx);

// The list-paging parameters shared by list routes: ?limit=1..500 (default 50)&cursor=<id>.
struct Page {
  int limit = 50;
  std::optional<std::int64_t> after_id;
};
Result<Page> ReadPage(const Request& req);
// Only ?limit=1..500 (default 50), for a list with a cursor of its own.
Result<int> ReadLimit(const Request& req);
// {"items": [...], "next_cursor": "<last id>" | null}; `items` holds at most limit + 1 entries
// (the extra one only tells that there is a next page). Works for either order: the cursor is
// the id of the last item shown, and the caller's query continues past it.
Json PageOf(Json items, const Page& page);

// A list's size on its first page when the caller asks (?total=true): `count(cap)` counts the
// list's rows up to cap + 1, so the answer is exact up to the cap and says when it is beyond
// ("total", "total_capped"). Asked for only, because the count walks up to the cap.
inline constexpr std::int64_t kListTotalCap = 10000;
bool TotalAsked(const Request& req);
void WriteListTotal(JsonWriter& w, const std::function<std::int64_t(std::int64_t cap)>& count);

// Matches a path against a pattern, filling params; false when it does not match.
bool MatchPattern(std::string_view pattern, std::string_view path,
                  std::map<std::string, std::string, std::less<>>& params);
Json OpenApi(const std::vector<Route>& routes);

}  // namespace radqs::http
