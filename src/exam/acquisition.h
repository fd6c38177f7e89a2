// Acquisition record (检查记录) and the reject/repeat log (废片登记) — spec: domain.md §2
// "Acquisition record", §4 "Reject and repeat log".
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/time.h"
#include "platform/db/database.h"
#include "platform/http/route.h"

namespace radqs::exam {

struct ContrastAdministration {
  std::string agent;
  std::string lot;
  double volume_ml = 0;  // > 0 means contrast was given
  std::string concentration;
  std::string injection_site;
  std::string cannula_gauge;
  std::optional<double> flow_rate_ml_s;
  std::string injector;
};

struct Extravasation {
  double volume_ml = 0;
  std::string site, symptoms, treatment, follow_up;
};

struct Acquisition {
  std::string device_id;  // any device id until the equipment module's register exists
  std::string protocol;
  int image_count = 0;
  bool images_checked = false;  // "images checked — patient may leave"
  std::optional<ContrastAdministration> contrast;
  std::optional<Extravasation> extravasation;
};

// Field errors of a record, e.g. an extravasation without contrast given.
std::vector<FieldError> ValidateAcquisition(const Acquisition& a);
// Why an exam cannot be marked acquired with this record ("" when it can): images recorded and,
// for items flagged "confirm images before release", the check done.
std::string AcquiredBlockedBy(const std::optional<Acquisition>& a, bool confirm_images);

Json AcquisitionJson(const Acquisition& a);
Acquisition AcquisitionOf(const Json& j);

inline constexpr std::string_view kRejectReasons[] = {
    "positioning", "exposure", "motion", "artifact", "equipment", "labelling", "other"};

// The hook through which the equipment module will refuse an exam on a device that is down or
// whose daily start-up check is missing (spec: domain.md §2 "Acquisition"). It returns the
// reason for refusing, or nothing; until set, every device id is accepted.
using DeviceCheck =
    std::function<std::optional<std::string>(const std::string& device_id, Micros at)>;
void SetDeviceCheck(DeviceCheck check);
std::optional<std::string> CheckDevice(const std::string& device_id, Micros at);

// A saved acquisition record that carries an extravasation: spec: domain.md §2 — it "also
// creates a safety event of type contrast extravasation". The safety module listens; the listener
// runs inside the saving transaction and answers the event it opened (or found).
struct ExtravasationRecorded {
  std::int64_t exam_id = 0, patient_id = 0, site_id = 0;
  std::string accession_no;
  std::string room_name;  // where it happened; empty for an exam outside a room
  ContrastAdministration contrast;
  Extravasation extravasation;
  std::optional<std::int64_t> recorded_by;
  std::string recorded_by_name;
  Micros at = 0;
  int utc_offset_minutes = kDefaultUtcOffsetMinutes;  // the site's, for the event's local day
};
struct SafetyEventRef {
  std::int64_t id = 0;
  std::string event_no;
};
using ExtravasationListener =
    std::function<SafetyEventRef(db::Transaction&, const ExtravasationRecorded&)>;
void SetExtravasationListener(ExtravasationListener listener);
std::optional<SafetyEventRef> NotifyExtravasation(db::Transaction& tx,
                                                  const ExtravasationRecorded& x);

std::vector<http::Route> AcquisitionRoutes();

}  // namespace radqs::exam
