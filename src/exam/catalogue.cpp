#include "exam/catalogue.h"

#include <algorithm>

#include "exam/screening.h"

namespace radqs::exam {

std::vector<FieldError> ValidateItem(const CatalogueItem& i) {
  std::vector<FieldError> e;
  if (i.code.empty()) e.push_back({"code", "required", "is required"});
  if (i.name.empty()) e.push_back({"name", "required", "is required"});
  if (std::find(kModalities.begin(), kModalities.end(), i.modality) == kModalities.end()) {
    e.push_back({"modality", "enum", "must be one of: DR, CR, DX, CT, MR, DSA, MG, RF, US, other"});
  }
  if (i.duration_minutes < 1 || i.duration_minutes > 480) {
    e.push_back({"duration_minutes", "max", "must be from 1 to 480"});
  }
  if (i.contrast && i.contrast_kind != "iodinated" && i.contrast_kind != "gadolinium") {
    e.push_back({"contrast_kind", "enum", "must be iodinated or gadolinium when contrast is used"});
  }
  if (!i.contrast && !i.contrast_kind.empty()) {
    e.push_back({"contrast_kind", "enum", "must be empty when no contrast is used"});
  }
  // X-ray based modalities carry dose and the pregnancy question; the flag cannot contradict.
  if (IsXrayModality(i.modality) != i.xray && i.modality != "other") {
    e.push_back({"xray", "modality", "must match the modality (X-ray based or not)"});
  }
  return e;
}

bool IndependentCentreMayOffer(std::string_view category) { return category == "diagnostic"; }

std::optional<FieldError> OfferRefused(std::string_view site_kind, std::string_view category,
                                       std::int64_t site_id, std::string field) {
  if (site_kind != "independent_center" || IndependentCentreMayOffer(category)) return std::nullopt;
  return FieldError{std::move(field), "independent_center",
                    "site " + std::to_string(site_id) +
                        " is an independent imaging centre, which may not offer " +
                        std::string(category) +
                        " items (independent centre rule (a), domain.md §1)"};
}

Json ItemJson(const CatalogueItem& i) {
  Json j = Json::object();
  j["id"] = i.id;
  j["code"] = i.code;
  j["name"] = i.name;
  j["modality"] = i.modality;
  j["body_part"] = i.body_part;
  j["contrast"] = i.contrast;
  j["contrast_kind"] = i.contrast_kind;
  j["duration_minutes"] = i.duration_minutes;
  j["xray"] = i.xray;
  j["lower_abdomen"] = i.lower_abdomen;
  j["report_class"] = i.report_class;
  j["category"] = i.category;
  j["confirm_images"] = i.confirm_images;
  j["preparation"] = i.preparation;
  j["active"] = i.active;
  j["version"] = i.version;
  j["site_ids"] = i.site_ids;
  return j;
}

std::string DefaultPreparation(const CatalogueItem& i) {
  std::vector<std::string_view> lines;
  const auto part = [&](std::string_view p) { return i.body_part.find(p) != std::string::npos; };
  if (i.modality == "MR") {
    lines.push_back(
        "进入检查室前请取下所有金属及电子物品（手机、钥匙、硬币、发卡、手表、磁卡、活动义齿等）。");
    lines.push_back(
        "体内有心脏起搏器、金属植入物、节育环、金属异物或纹身者，以及怀孕者，请提前告知医护人员。");
    lines.push_back("检查时间较长、噪声较大，请保持体位不动；有幽闭恐惧症者请提前告知。");
  }
  if (i.modality == "DSA") {
    lines.push_back("需在医生安排下住院进行；术前禁食 6 小时，完成凝血功能、肾功能等检查。");
    lines.push_back("术前须签署知情同意书，请家属陪同。");
  } else if (i.contrast) {
    lines.push_back(
        "检查前 4 小时禁食，可少量饮水；请携带近 3 个月的肾功能（肌酐 / eGFR）检查结果。");
    lines.push_back("有对比剂过敏史、哮喘、甲亢、肾功能不全或正在服用二甲双胍者，请提前告知医生。");
    lines.push_back("检查后请在候诊区观察 30 分钟，无不适方可离开，并多饮水。");
  }
  if (i.modality == "RF") lines.push_back("检查前禁食禁水 8 小时。");
  if (i.modality == "US" && part("腹")) lines.push_back("检查前禁食 8 小时。");
  if (i.modality == "US" && (part("盆") || part("膀胱"))) {
    lines.push_back("检查前 1 小时饮水 500–800 毫升，憋尿至膀胱充盈。");
  }
  if (i.modality == "CT" && part("腹") && !i.contrast) lines.push_back("检查前禁食 4 小时。");
  if (i.modality == "MG") {
    lines.push_back("请避开月经前一周；检查当天请勿在腋下和乳房涂抹爽身粉或止汗剂。");
  }
  if (i.xray) {
    lines.push_back("请去除检查部位的金属饰物、膏药和带金属的衣物。");
    lines.push_back("育龄女性如已怀孕或可能怀孕，请在检查前告知医生。");
  }
  std::string out;
  for (auto l : lines) {
    if (!out.empty()) out += '\n';
    out += l;
  }
  return out;
}

std::vector<CatalogueItem> DefaultCatalogue() {
  auto item = [](const char* code, const char* name, const char* modality, const char* part,
                 const char* contrast_kind, int minutes, bool lower_abdomen) {
    CatalogueItem i;
    i.code = code;
    i.name = name;
    i.modality = modality;
    i.body_part = part;
    i.contrast_kind = contrast_kind;
    i.contrast = !i.contrast_kind.empty();
    i.duration_minutes = minutes;
    i.xray = IsXrayModality(modality);
    i.lower_abdomen = lower_abdomen;
    i.preparation = DefaultPreparation(i);
    return i;
  };
  return {
      item("DR001", "胸部正侧位", "DR", "胸部", "", 5, false),
      item("DR002", "腹部立位平片", "DR", "腹部", "", 5, true),
      item("DR003", "腰椎正侧位", "DR", "腰椎", "", 8, true),
      item("DR004", "骨盆正位", "DR", "骨盆", "", 5, true),
      item("DR005", "膝关节正侧位", "DR", "膝关节", "", 5, false),
      item("DR006", "床旁胸片", "DR", "胸部", "", 10, false),
      item("CR001", "手正斜位", "CR", "手", "", 5, false),
      item("DX001", "口腔全景片", "DX", "口腔", "", 5, false),
      item("MG001", "双侧乳腺钼靶", "MG", "乳腺", "", 10, false),
      item("CT001", "头颅CT平扫", "CT", "头颅", "", 5, false),
      item("CT002", "胸部CT平扫", "CT", "胸部", "", 5, false),
      item("CT003", "胸部CT增强", "CT", "胸部", "iodinated", 10, false),
      item("CT004", "上腹部CT增强", "CT", "上腹部", "iodinated", 15, false),
      item("CT005", "全腹部CT增强", "CT", "腹部盆腔", "iodinated", 15, true),
      item("CT006", "头颈CTA（卒中绿色通道）", "CT", "头颈", "iodinated", 10, false),
      item("CT007", "冠状动脉CTA（胸痛绿色通道）", "CT", "心脏", "iodinated", 15, false),
      item("CT008", "腰椎CT平扫", "CT", "腰椎", "", 5, true),
      item("MR001", "头颅MR平扫", "MR", "头颅", "", 20, false),
      item("MR002", "头颅MR增强", "MR", "头颅", "gadolinium", 30, false),
      item("MR003", "腰椎MR平扫", "MR", "腰椎", "", 20, false),
      item("MR004", "膝关节MR平扫", "MR", "膝关节", "", 20, false),
      item("MR005", "盆腔MR增强", "MR", "盆腔", "gadolinium", 35, true),
      item("RF001", "上消化道钡餐造影", "RF", "上消化道", "", 20, false),
      item("DSA001", "全脑血管造影", "DSA", "头颈", "iodinated", 60, false),
      item("US001", "腹部超声", "US", "腹部", "", 15, false),
  };
}

}  // namespace radqs::exam
