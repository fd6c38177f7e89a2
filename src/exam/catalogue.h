// The exam catalogue (检查项目): what can be ordered, with what the workflow needs to know about
// it — modality, body part, contrast, duration, whether it uses X-rays (dose and the pregnancy
// question) and whether it touches the lower abdomen or pelvis (the 8–15 week block).
// Editable by administrators; every change keeps the previous version — spec: domain.md §2.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "platform/http/route.h"

namespace radqs::exam {

inline constexpr std::array<std::string_view, 10> kModalities = {"DR",  "CR", "DX", "CT", "MR",
                                                                 "DSA", "MG", "RF", "US", "other"};
struct CatalogueItem {
  std::int64_t id = 0;
  std::string code;
  std::string name;
  std::string modality;
  std::string body_part;
  bool contrast = false;
  std::string contrast_kind;  // iodinated | gadolinium | "" (no contrast)
  int duration_minutes = 10;
  bool xray = false;
  bool lower_abdomen = false;
  std::string report_class = "routine";  // routine | urgent_30min | emergency (report-time class)
  std::string category = "diagnostic";   // diagnostic | interventional | prenatal | therapeutic
  bool confirm_images = false;           // technologist confirms images before release
  // What the patient does before the exam (fasting, bladder, metal off, results to bring),
  // printed on the appointment slip (预约单); one instruction per line.
  std::string preparation;
  bool active = true;
  std::int64_t version = 1;
  std::vector<std::int64_t> site_ids;  // the sites that offer it (catalogue_item_sites), ascending
};

std::vector<FieldError> ValidateItem(const CatalogueItem& item);

// spec: domain.md §1 independent centre rule (a): an independent imaging centre offers no item of
// category prenatal screening/diagnosis, interventional or therapeutic — only diagnostic ones.
bool IndependentCentreMayOffer(std::string_view category);
// The error when a site of kind `site_kind` may not offer an item of `category`: names `field`,
// rule "independent_center", and the site.
std::optional<FieldError> OfferRefused(std::string_view site_kind, std::string_view category,
                                       std::int64_t site_id, std::string field);
Json ItemJson(const CatalogueItem& item);

// The preparation a department usually gives for an item of this kind (modality, contrast, body
// part): the default catalogue's instructions, which each department edits to its own.
std::string DefaultPreparation(const CatalogueItem& item);

// A realistic default catalogue, shipped with the demo data.
std::vector<CatalogueItem> DefaultCatalogue();

std::vector<http::Route> CatalogueRoutes();

}  // namespace radqs::exam
