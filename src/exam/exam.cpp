#include "exam/exam.h"

#include <algorithm>
#include <charconv>

namespace radqs::exam {

std::vector<FieldError> ValidateOrder(const Order& o, const std::vector<std::string>& pathways) {
  std::vector<FieldError> e;
  auto required = [&](const std::string& v, const char* field) {
    if (v.empty()) e.push_back({field, "required", "is required"});
  };
  // spec: domain.md §2 — an order lacking required fields is refused field by field.
  required(o.ordering_physician, "ordering_physician");
  required(o.clinical_history, "clinical_history");
  required(o.clinical_question, "clinical_question");
  if (o.priority == "green_channel") {
    if (o.pathway.empty()) {
      e.push_back({"pathway", "required", "is required for a green-channel order"});
    } else if (std::find(pathways.begin(), pathways.end(), o.pathway) == pathways.end()) {
      e.push_back({"pathway", "enum", "is not an active green-channel pathway"});
    }
  } else if (!o.pathway.empty()) {
    e.push_back({"pathway", "priority", "is only for green-channel orders"});
  }
  return e;
}

std::optional<FieldError> DepartmentRefused(bool exists, bool active, std::int64_t department_site,
                                            std::int64_t order_site) {
  if (!exists || !active) {
    return FieldError{"ordering_department_id", "reference", "no such active department"};
  }
  if (department_site != order_site) {
    return FieldError{"ordering_department_id", "site",
                      "is a department of another site than the patient's"};
  }
  return std::nullopt;
}

std::string AccessionNumber(Date local_day, std::int64_t sequence) {
  std::string day = FormatDate(local_day);
  day.erase(std::remove(day.begin(), day.end(), '-'), day.end());
  std::string seq = std::to_string(sequence);
  if (seq.size() < 6) seq.insert(0, 6 - seq.size(), '0');
  return "RQ" + day + seq;
}

std::string FormatBookingNote(const BookingNote& note) {
  return "room " + std::to_string(note.room_id) + " at " + FormatInstant(note.appointment_at);
}

std::optional<BookingNote> ParseBookingNote(std::string_view detail) {
  constexpr std::string_view kRoom = "room ", kAt = " at ";
  if (!detail.starts_with(kRoom)) return std::nullopt;
  detail.remove_prefix(kRoom.size());
  const auto at = detail.find(kAt);
  if (at == std::string_view::npos) return std::nullopt;
  BookingNote note;
  const auto digits = detail.substr(0, at);
  const auto [end, ec] =
      std::from_chars(digits.data(), digits.data() + digits.size(), note.room_id);
  if (ec != std::errc() || end != digits.data() + digits.size() || note.room_id <= 0) {
    return std::nullopt;
  }
  const auto instant = ParseInstant(detail.substr(at + kAt.size()));
  if (!instant) return std::nullopt;
  note.appointment_at = *instant;
  return note;
}

std::string_view StampColumn(ExamState s) {
  switch (s) {
    case ExamState::kArrived:
      return "arrived_at";
    case ExamState::kInProgress:
      return "started_at";
    case ExamState::kAcquired:
      return "acquired_at";
    case ExamState::kPreliminary:
      return "preliminary_at";
    case ExamState::kFinal:
      return "final_at";
    case ExamState::kCancelled:
      return "cancelled_at";
    default:
      return {};
  }
}

}  // namespace radqs::exam
