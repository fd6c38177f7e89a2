// The JSON value type of the whole system. Modules reach nlohmann::json through this header only.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>

namespace radqs {
using Json = nlohmann::json;
}  // namespace radqs

// std::optional reads and writes as the value or null.
namespace nlohmann {
template <class T>
struct adl_serializer<std::optional<T>> {
  static void to_json(json& j, const std::optional<T>& v) {
    if (v) {
      j = *v;
    } else {
      j = nullptr;
    }
  }
  static void from_json(const json& j, std::optional<T>& v) {
    if (j.is_null()) {
      v.reset();
    } else {
      v = j.get<T>();
    }
  }
};
}  // namespace nlohmann
