// The exam catalogue's routes: every signed-in user reads it; administrators edit it.
#include <charconv>
#include <set>

#include "exam/catalogue.h"
#include "exam/exam_store.h"
#include "exam/screening.h"
#include "platform/http/fields.h"

namespace radqs::exam {
namespace {

using http::Context;
using http::Response;

void ReadItem(http::Fields& f, CatalogueItem& i, bool create) {
  auto text = [&](const char* key, std::string& into, bool required, std::size_t max) {
    if (auto v = f.Text(key, {.required = required && (create || f.Has(key)),
                              .max_length = max,
                              .allow_empty = !required})) {
      into = *v;
    }
  };
  auto flag = [&](const char* key, bool& into) {
    if (auto v = f.Boolean(key)) into = *v;
  };
  text("code", i.code, true, 32);
  text("name", i.name, true, 100);
  if (auto v = f.Enum("modality", {"DR", "CR", "DX", "CT", "MR", "DSA", "MG", "RF", "US", "other"},
                      create)) {
    i.modality = *v;
  }
  text("body_part", i.body_part, false, 50);
  flag("contrast", i.contrast);
  if (auto v = f.Enum("contrast_kind", {"", "iodinated", "gadolinium"})) i.contrast_kind = *v;
  if (auto v = f.Integer("duration_minutes", {.required = create, .min = 1, .max = 480})) {
    i.duration_minutes = static_cast<int>(*v);
  }
  if (create && !f.Has("xray")) i.xray = IsXrayModality(i.modality);
  flag("xray", i.xray);
  flag("lower_abdomen", i.lower_abdomen);
  if (auto v = f.Enum("report_class", {"routine", "urgent_30min", "emergency"}))
    i.report_class = *v;
  if (auto v = f.Enum("category", {"diagnostic", "interventional", "prenatal", "therapeutic"})) {
    i.category = *v;
  }
  flag("confirm_images", i.confirm_images);
  if (auto v =
          f.Text("preparation", {.max_length = 1000, .allow_empty = true, .multiline = true})) {
    i.preparation = *v;
  }
  flag("active", i.active);
  static const http::Shape kSites = http::Shape::List(http::Shape::Integer());
  if (auto v = f.Raw("site_ids", kSites)) {
    std::set<std::int64_t> ids;
    for (const Json& id : *v) ids.insert(id.get<std::int64_t>());
    i.site_ids.assign(ids.begin(), ids.end());
  }
}

// The sites must exist, and none may be an independent centre for an item it may not offer
// (spec: domain.md §1 rule (a)); `field` is what the caller changed (site_ids, category,
// active).
void CheckSites(db::Transaction& tx, http::Fields& f, const CatalogueItem& i,
                const std::string& field) {
  for (const auto site : i.site_ids) {
    const std::string kind = store::SiteKind(tx, site);
    if (kind.empty()) {
      f.Reject("site_ids", "reference", "no site " + std::to_string(site));
      return;
    }
    if (auto e = OfferRefused(kind, i.category, site, field)) {
      f.Reject(*e);
      return;
    }
  }
}

std::string ChangedField(const http::Fields& f) {
  if (f.Has("site_ids")) return "site_ids";
  return f.Has("category") ? "category" : "active";
}

Response List(Context& ctx) {
  const auto& q = ctx.request;
  auto modality = q.Query("modality");
  auto text = q.Query("q");
  if (modality && modality->empty()) modality.reset();
  if (text && text->empty()) text.reset();
  Json items = Json::array();
  std::optional<std::int64_t> site;
  if (auto v = q.Query("site_id"); v && !v->empty()) {
    std::int64_t id = 0;
    const auto [ptr, ec] = std::from_chars(v->data(), v->data() + v->size(), id);
    if (ec != std::errc() || ptr != v->data() + v->size() || id <= 0) {
      return http::ErrorResponse(
          Error::Field(ErrorCode::kValidationFailed, "site_id", "type", "must be a record id"));
    }
    site = id;
  }
  for (const auto& i :
       store::ListItems(ctx.tx(), modality, text, q.Query("active") == "all", site)) {
    items.push_back(ItemJson(i));
  }
  return http::JsonResponse({{"items", items}, {"next_cursor", nullptr}});
}

Response Get(Context& ctx) {
  const auto id = ctx.request.IdParam();
  auto i = id ? store::LoadItem(ctx.tx(), *id) : std::nullopt;
  if (!i) return http::ErrorResponse(Error::NotFound("catalogue item"));
  return http::JsonResponse(ItemJson(*i));
}

Response Create(Context& ctx) {
  auto f = http::Fields::Parse(ctx.request.body);
  if (!f) return http::ErrorResponse(f.error());
  CatalogueItem i;
  // Without site_ids the item is offered at every active site.
  if (!f->Has("site_ids")) i.site_ids = store::ActiveSiteIds(ctx.tx());
  ReadItem(*f, i, true);
  if (!f->HasErrors()) {
    for (auto& e : ValidateItem(i)) f->Reject(e);
  }
  if (!f->HasErrors()) CheckSites(ctx.tx(), *f, i, "site_ids");
  if (auto ok = f->Finish(); !ok) return http::ErrorResponse(ok.error());
  if (store::ItemCodeTaken(ctx.tx(), i.code, 0)) {
    return http::ErrorResponse(
        Error::Field(ErrorCode::kConflict, "code", "unique", "another item has this code"));
  }
  store::InsertItem(ctx.tx(), i, ctx.principal.ActorId(), ctx.Now());
  Json after = ItemJson(i);
  ctx.Audit("catalogue.create", "exam_item", std::to_string(i.id), nullptr, &after);
  return http::JsonResponse(after, 201);
}

Response Update(Context& ctx) {
  const auto id = ctx.request.IdParam();
  auto before = id ? store::LoadItem(ctx.tx(), *id) : std::nullopt;
  if (!before) return http::ErrorResponse(Error::NotFound("catalogue item"));
  auto f = http::Fields::Parse(ctx.request.body);
  if (!f) return http::ErrorResponse(f.error());
  const auto version = f->Integer("version", {.required = true});
  CatalogueItem after = *before;
  ReadItem(*f, after, false);
  if (!f->HasErrors()) {
    for (auto& e : ValidateItem(after)) f->Reject(e);
  }
  if (!f->HasErrors()) CheckSites(ctx.tx(), *f, after, ChangedField(*f));
  if (auto ok = f->Finish(); !ok) return http::ErrorResponse(ok.error());
  if (*version != before->version) {
    return http::StaleVersion("item");
  }
  if (store::ItemCodeTaken(ctx.tx(), after.code, after.id)) {
    return http::ErrorResponse(
        Error::Field(ErrorCode::kConflict, "code", "unique", "another item has this code"));
  }
  store::UpdateItem(ctx.tx(), after, ctx.principal.ActorId(), ctx.Now());
  Json b = ItemJson(*before), a = ItemJson(after);
  ctx.Audit("catalogue.update", "exam_item", std::to_string(after.id), &b, &a);
  return http::JsonResponse(a);
}

}  // namespace

std::vector<http::Route> CatalogueRoutes() {
  using auth::Permission;
  using http::Method;
  using http::Mode;
  return {
      {Method::kGet, "/api/v1/catalogue", Permission::kAuthenticated, Mode::kRead, "catalogue",
       "The exam catalogue (检查项目) with the sites offering each item, filters modality, q, "
       "active=all, site_id (items offered there)",
       nullptr, List},
      {Method::kGet, "/api/v1/catalogue/{id}", Permission::kAuthenticated, Mode::kRead, "catalogue",
       "One catalogue item", nullptr, Get},
      {Method::kPost, "/api/v1/catalogue", Permission::kCatalogueWrite, Mode::kWrite, "catalogue",
       "Add a catalogue item", nullptr, Create},
      {Method::kPatch, "/api/v1/catalogue/{id}", Permission::kCatalogueWrite, Mode::kWrite,
       "catalogue", "Change a catalogue item; the previous version is kept", nullptr, Update},
  };
}

}  // namespace radqs::exam
