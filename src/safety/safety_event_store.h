// Storage of safety events and their steps (private to the safety module).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "platform/auth/principal.h"
#include "safety/safety_event.h"

namespace radqs::safety::store {

struct EventFilter {
  std::string state, type, severity_class;
  bool overdue_only = false;
  bool open_only = false;  // not closed
  std::optional<std::int64_t> exam_id;
  std::optional<Micros> reported_from, reported_before;
  std::optional<std::int64_t> before_id;  // paging, newest first
  int limit = 50;
  Micros now = 0;         // overdue_only: judged from each event's stored hours
  auth::SiteScope sites;  // the caller's sites — spec: domain.md §9
};

std::optional<SafetyEvent> LoadEvent(db::Transaction& tx, std::int64_t id);
std::vector<SafetyEvent> ListEvents(db::Transaction& tx, const EventFilter& f);
// The event of `type` opened for an exam, if any.
std::optional<SafetyEvent> EventOfExam(db::Transaction& tx, std::int64_t exam_id,
                                       const std::string& type);
// Writes a new event (numbered SE + local day + counter) and its "reported" step, which names
// the reporter (nobody for an anonymous report).
void InsertEvent(db::Transaction& tx, SafetyEvent& e, Date local_day);
// Writes the event's state, class and stamps with the next version, and the step that did it.
void UpdateEvent(db::Transaction& tx, SafetyEvent& e, const Step& step);
std::vector<Step> StepsOf(db::Transaction& tx, std::int64_t event_id);
// Events reported since `since`, counted by type.
std::map<std::string, std::int64_t> CountByType(db::Transaction& tx, Micros since,
                                                const auth::SiteScope& sites);
// A patient merge: the merged patient's events name the surviving patient; answers the count.
std::int64_t RepointPatient(db::Transaction& tx, std::int64_t from, std::int64_t into);

}  // namespace radqs::safety::store
