// Order rules that need no database: the ordering department and the independent-centre
// catalogue rule.
#include <gtest/gtest.h>

#include "exam/catalogue.h"
#include "exam/exam.h"

namespace radqs::exam {
namespace {

// spec: domain.md §1 — an order names an active department of its own site.
TEST(Order, DepartmentMustExistBeActiveAndBeOfTheOrdersSite) {
  EXPECT_EQ(DepartmentRefused(true, true, 1, 1), std::nullopt);
  EXPECT_EQ(DepartmentRefused(false, false, 0, 1)->rule, "reference");
  EXPECT_EQ(DepartmentRefused(true, false, 1, 1)->rule, "reference");
  const auto other = DepartmentRefused(true, true, 2, 1);
  ASSERT_TRUE(other);
  EXPECT_EQ(other->field, "ordering_department_id");
  EXPECT_EQ(other->rule, "site");
}

TEST(Order, TheDepartmentIsNoLongerFreeText) {
  Order o{.ordering_physician = "赵医生",
          .clinical_history = "h",
          .clinical_question = "q",
          .priority = "routine"};
  EXPECT_TRUE(ValidateOrder(o, {}).empty());
}

// spec: domain.md §1 independent centre rule (a): no prenatal, interventional or therapeutic
// items at an independent imaging centre; the error names the field and the rule.
TEST(Catalogue, IndependentCentresOfferDiagnosticItemsOnly) {
  EXPECT_TRUE(IndependentCentreMayOffer("diagnostic"));
  for (const char* c : {"prenatal", "interventional", "therapeutic"}) {
    EXPECT_FALSE(IndependentCentreMayOffer(c)) << c;
    const auto e = OfferRefused("independent_center", c, 7, "site_ids");
    ASSERT_TRUE(e) << c;
    EXPECT_EQ(e->field, "site_ids");
    EXPECT_EQ(e->rule, "independent_center");
    EXPECT_NE(e->message.find("rule (a)"), std::string::npos);
    EXPECT_EQ(OfferRefused("hospital_department", c, 7, "site_ids"), std::nullopt) << c;
  }
  EXPECT_EQ(OfferRefused("independent_center", "diagnostic", 7, "item_id"), std::nullopt);
}

TEST(BookingNote, RoundTripsAndRefusesOtherText) {
  const BookingNote note{3, *ParseInstant("2026-12-02T01:45:00Z")};
  const std::string text = FormatBookingNote(note);
  EXPECT_EQ(text, "room 3 at 2026-12-02T01:45:00Z");
  const auto back = ParseBookingNote(text);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->room_id, 3);
  EXPECT_EQ(back->appointment_at, note.appointment_at);
  // A cancellation's reason is free text typed by a person: never read as a booking.
  EXPECT_FALSE(ParseBookingNote("患者要求改期"));
  EXPECT_FALSE(ParseBookingNote("room x at 2026-12-02T01:45:00Z"));
  EXPECT_FALSE(ParseBookingNote("room 3 at tomorrow"));
  EXPECT_FALSE(ParseBookingNote("room 0 at 2026-12-02T01:45:00Z"));
}

}  // namespace
}  // namespace radqs::exam
