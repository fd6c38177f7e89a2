#include "platform/config/settings.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <map>

#include "platform/config/config.h"
#include "platform/db/test_database.h"

namespace radqs::config {
namespace {

TEST(Settings, TheVersionInForceOnADateApplies) {
  db::TestDatabase db("settings");
  FakeClock clock(*ParseInstant("2026-06-01T00:00:00Z"));
  Settings settings(*db, clock);
  EXPECT_EQ(settings.Current("org.licence_alert_days"), 90);  // the default
  db->Write([&](db::Transaction& tx) {
    ASSERT_TRUE(settings.AddVersion(tx, "org.licence_alert_days", 60, *ParseDate("2026-07-01"),
                                    "shorter notice", std::nullopt));
    auto dup = settings.AddVersion(tx, "org.licence_alert_days", 30, *ParseDate("2026-07-01"),
                                   "again", std::nullopt);
    ASSERT_FALSE(dup);
    EXPECT_EQ(dup.error().fields.at(0).field, "valid_from");
    auto low = settings.AddVersion(tx, "org.licence_alert_days", 0, *ParseDate("2026-08-01"),
                                   "too low", std::nullopt);
    ASSERT_FALSE(low);
    EXPECT_EQ(low.error().fields.at(0).rule, "min");
  });
  settings.Invalidate();
  EXPECT_EQ(settings.ValueOn("org.licence_alert_days", *ParseDate("2026-06-30")), 90);
  EXPECT_EQ(settings.ValueOn("org.licence_alert_days", *ParseDate("2026-07-01")), 60);
  EXPECT_EQ(settings.History("org.licence_alert_days").size(), 1u);
  // The same answers read inside a transaction, without the cache.
  db->Read([&](db::Transaction& tx) {
    EXPECT_EQ(IntInForce(tx, "org.licence_alert_days", *ParseDate("2026-06-30")), 90);
    EXPECT_EQ(IntInForce(tx, "org.licence_alert_days", *ParseDate("2026-07-01")), 60);
    EXPECT_EQ(ValueInForce(tx, "screening.egfr_threshold_iodinated", *ParseDate("2026-07-01")),
              30.0);
  });
}

// spec: indicators.md tat.green_channel — stroke 30 min, chest pain 25 min (issue C.24: they
// were swapped in the seed data).
TEST(Settings, GreenChannelLimitsFollowTheIndicator) {
  const auto* stroke = FindDefinition("tat.green_channel.stroke_cta_minutes");
  const auto* chest = FindDefinition("tat.green_channel.chest_pain_cta_minutes");
  ASSERT_NE(stroke, nullptr);
  ASSERT_NE(chest, nullptr);
  EXPECT_EQ(stroke->default_value, 30);
  EXPECT_EQ(chest->default_value, 25);
}

TEST(Settings, WalkInModalitiesAreAListOfKnownModalities) {
  const auto* d = FindDefinition("schedule.walk_in_modalities");
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->default_value, Json::array({"DR", "CR", "DX"}));
  EXPECT_TRUE(ValidateValue(*d, Json::array({"DR", "CT"})));
  EXPECT_TRUE(ValidateValue(*d, Json::array()));
  EXPECT_EQ(ValidateValue(*d, "DR").error().fields.at(0).rule, "type");
  EXPECT_EQ(ValidateValue(*d, Json::array({"XR"})).error().fields.at(0).rule, "enum");
  EXPECT_EQ(ValidateValue(*d, Json::array({"DR", "DR"})).error().fields.at(0).rule, "unique");
}

TEST(Config, EnvironmentOverridesTheDefaults) {
  auto env = [](const char* name) -> std::optional<std::string> {
    if (std::string(name) == "RADQS_PORT") return "9090";
    if (std::string(name) == "RADQS_DATABASE") return "/tmp/x.db";
    return std::nullopt;
  };
  auto c = LoadConfig(std::nullopt, env);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->port, 9090);
  EXPECT_EQ(c->database, "/tmp/x.db");
  EXPECT_EQ(c->address, "127.0.0.1");
  auto bad = LoadConfig(std::nullopt, [](const char* name) -> std::optional<std::string> {
    if (std::string(name) == "RADQS_PORT") return "eighty";
    return std::nullopt;
  });
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().fields.at(0).field, "RADQS_PORT");
}

TEST(Config, PasswordHashingHasItsOwnThreads) {
  EXPECT_EQ(LoadConfig(std::nullopt, [](const char*) { return std::optional<std::string>(); })
                ->hash_threads,
            1);
  auto env = [](std::string value) {
    return [value](const char* name) -> std::optional<std::string> {
      if (std::string(name) == "RADQS_HASH_THREADS") return value;
      return std::nullopt;
    };
  };
  EXPECT_EQ(LoadConfig(std::nullopt, env("3"))->hash_threads, 3);
  auto bad = LoadConfig(std::nullopt, env("0"));
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().fields.at(0).field, "hash_threads");
}

TEST(Config, TransportSettingsAreCheckedTogether) {
  auto with = [](std::map<std::string, std::string> vars) {
    return LoadConfig(std::nullopt, [vars](const char* name) -> std::optional<std::string> {
      auto it = vars.find(name);
      return it == vars.end() ? std::nullopt : std::optional(it->second);
    });
  };
  auto defaults = with({});
  ASSERT_TRUE(defaults);
  EXPECT_EQ(defaults->max_connections, 4096);
  EXPECT_TRUE(defaults->public_url.empty());
  auto tls = with({{"RADQS_TLS_CERT", "/c.pem"},
                   {"RADQS_TLS_KEY", "/k.pem"},
                   {"RADQS_PUBLIC_URL", "https://radqs.example.org"},
                   {"RADQS_MAX_CONNECTIONS", "100"}});
  ASSERT_TRUE(tls);
  EXPECT_EQ(tls->tls_key, "/k.pem");
  EXPECT_EQ(tls->max_connections, 100);
  EXPECT_EQ(with({{"RADQS_TLS_CERT", "/c.pem"}}).error().fields.at(0).field, "tls_key");
  EXPECT_EQ(with({{"RADQS_PUBLIC_URL", "radqs.example.org"}}).error().fields.at(0).field,
            "public_url");
  EXPECT_EQ(with({{"RADQS_MAX_CONNECTIONS", "0"}}).error().fields.at(0).field, "max_connections");
  EXPECT_EQ(with({{"RADQS_METRICS_TOKEN", "short"}}).error().fields.at(0).field, "metrics_token");
}

}  // namespace
}  // namespace radqs::config
