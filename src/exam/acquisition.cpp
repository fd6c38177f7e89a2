#include "exam/acquisition.h"

#include <mutex>

namespace radqs::exam {
namespace {
std::mutex g_device_mu;
DeviceCheck g_device_check;
std::mutex g_extravasation_mu;
ExtravasationListener g_extravasation_listener;
}  // namespace

std::vector<FieldError> ValidateAcquisition(const Acquisition& a) {
  std::vector<FieldError> e;
  if (a.device_id.empty()) e.push_back({"device_id", "required", "is required"});
  if (a.image_count < 0) e.push_back({"image_count", "min", "must be >= 0"});
  if (a.contrast) {
    if (a.contrast->agent.empty()) e.push_back({"contrast.agent", "required", "is required"});
    if (a.contrast->lot.empty()) e.push_back({"contrast.lot", "required", "is required"});
    if (a.contrast->volume_ml <= 0) {
      e.push_back({"contrast.volume_ml", "min", "must be > 0 when contrast is recorded"});
    }
  }
  if (a.extravasation && !a.contrast) {
    e.push_back({"extravasation", "contrast", "needs the contrast administration it came from"});
  }
  return e;
}

std::string AcquiredBlockedBy(const std::optional<Acquisition>& a, bool confirm_images) {
  if (!a) return "record the acquisition (device, protocol, images) first";
  if (a->image_count <= 0) return "record the number of images acquired";
  // spec: domain.md §2 — "images checked — patient may leave" before acquired, for flagged items.
  if (confirm_images && !a->images_checked) {
    return "this item needs the images checked before the patient leaves";
  }
  return {};
}

Json AcquisitionJson(const Acquisition& a) {
  Json j = Json::object();
  j["device_id"] = a.device_id;
  j["protocol"] = a.protocol;
  j["image_count"] = a.image_count;
  j["images_checked"] = a.images_checked;
  if (a.contrast) {
    const auto& c = *a.contrast;
    j["contrast"] = {{"agent", c.agent},
                     {"lot", c.lot},
                     {"volume_ml", c.volume_ml},
                     {"concentration", c.concentration},
                     {"injection_site", c.injection_site},
                     {"cannula_gauge", c.cannula_gauge},
                     {"flow_rate_ml_s", c.flow_rate_ml_s},
                     {"injector", c.injector}};
  } else {
    j["contrast"] = nullptr;
  }
  if (a.extravasation) {
    const auto& x = *a.extravasation;
    j["extravasation"] = {{"volume_ml", x.volume_ml},
                          {"site", x.site},
                          {"symptoms", x.symptoms},
                          {"treatment", x.treatment},
                          {"follow_up", x.follow_up}};
  } else {
    j["extravasation"] = nullptr;
  }
  return j;
}

Acquisition AcquisitionOf(const Json& j) {
  Acquisition a;
  a.device_id = j.value("device_id", "");
  a.protocol = j.value("protocol", "");
  a.image_count = j.value("image_count", 0);
  a.images_checked = j.value("images_checked", false);
  if (const Json& c = j.value("contrast", Json()); c.is_object()) {
    a.contrast = ContrastAdministration{c.value("agent", ""),
                                        c.value("lot", ""),
                                        c.value("volume_ml", 0.0),
                                        c.value("concentration", ""),
                                        c.value("injection_site", ""),
                                        c.value("cannula_gauge", ""),
                                        c.value("flow_rate_ml_s", std::optional<double>()),
                                        c.value("injector", "")};
  }
  if (const Json& x = j.value("extravasation", Json()); x.is_object()) {
    a.extravasation =
        Extravasation{x.value("volume_ml", 0.0), x.value("site", ""), x.value("symptoms", ""),
                      x.value("treatment", ""), x.value("follow_up", "")};
  }
  return a;
}

void SetDeviceCheck(DeviceCheck check) {
  std::lock_guard lock(g_device_mu);
  g_device_check = std::move(check);
}

std::optional<std::string> CheckDevice(const std::string& device_id, Micros at) {
  std::lock_guard lock(g_device_mu);
  if (!g_device_check) return std::nullopt;
  return g_device_check(device_id, at);
}

void SetExtravasationListener(ExtravasationListener listener) {
  std::lock_guard lock(g_extravasation_mu);
  g_extravasation_listener = std::move(listener);
}

std::optional<SafetyEventRef> NotifyExtravasation(db::Transaction& tx,
                                                  const ExtravasationRecorded& x) {
  ExtravasationListener listener;
  {
    std::lock_guard lock(g_extravasation_mu);
    listener = g_extravasation_listener;
  }
  if (!listener) return std::nullopt;
  return listener(tx, x);
}

}  // namespace radqs::exam
