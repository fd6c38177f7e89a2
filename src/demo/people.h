// Names and identity numbers that look like a Zhejiang department's patients and staff.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "core/time.h"

namespace radqs::demo {

// `pick(n)` answers a number in [0, n).
using Pick = std::function<int(int)>;

// A common surname and one or two given-name characters chosen for the sex (张宇艳 is a woman's
// name, never a man's).
std::string PersonName(bool female, const Pick& pick);

// Whether `name` (as PersonName makes them) fits the sex: its given-name characters come from
// that sex's list or the list both use.
bool NameFitsSex(const std::string& name, bool female);

// A resident identity number (GB 11643) with a valid check digit, the birth date and sex given,
// and an area code drawn mostly from the demo sites' province: Hangzhou about 70 %, the rest of
// Zhejiang 20 %, elsewhere 10 %. `sequence` (0–499) makes numbers of one area and day differ.
std::string ResidentIdNumber(Date birth, bool female, int sequence, const Pick& pick);

// The demo sites' province (GB/T 2260 code 33, Zhejiang): for tests of the area codes.
inline constexpr const char* kSiteProvincePrefix = "33";

}  // namespace radqs::demo
