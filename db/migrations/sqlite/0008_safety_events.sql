-- Safety events (医疗安全不良事件, domain.md §7): the event with its workflow stamps, and every
-- step taken on it (report, transitions, reclassification, written report, feedback).
CREATE TABLE safety_events (
  id INTEGER PRIMARY KEY,
  site_id INTEGER NOT NULL REFERENCES sites(id),
  event_no TEXT NOT NULL UNIQUE,              -- SE + local date + counter
  type TEXT NOT NULL,
  severity_class TEXT NOT NULL,               -- I | II | III | IV
  state TEXT NOT NULL DEFAULT 'reported',
  occurred_at INTEGER NOT NULL,
  reported_at INTEGER NOT NULL,
  place TEXT NOT NULL DEFAULT '',
  people_involved TEXT NOT NULL DEFAULT '',
  description TEXT NOT NULL,
  immediate_action TEXT NOT NULL DEFAULT '',
  anonymous INTEGER NOT NULL DEFAULT 0,
  reporter_user_id INTEGER REFERENCES users(id),  -- NULL when anonymous or system-made
  reporter_name TEXT NOT NULL DEFAULT '',
  patient_id INTEGER REFERENCES patients(id),
  exam_id INTEGER REFERENCES exams(id),
  source TEXT NOT NULL DEFAULT 'report',      -- report | acquisition
  acknowledged_at INTEGER,
  written_report_at INTEGER,
  feedback_at INTEGER,
  closed_at INTEGER,
  version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX safety_events_reported ON safety_events (reported_at);
CREATE INDEX safety_events_state ON safety_events (state, reported_at);
CREATE INDEX safety_events_exam ON safety_events (exam_id);

CREATE TABLE safety_event_steps (
  id INTEGER PRIMARY KEY,
  event_id INTEGER NOT NULL REFERENCES safety_events(id),
  kind TEXT NOT NULL,       -- reported | transition | classification | written_report | feedback
  from_state TEXT NOT NULL DEFAULT '',
  to_state TEXT NOT NULL DEFAULT '',
  note TEXT NOT NULL DEFAULT '',
  at INTEGER NOT NULL,
  by_user_id INTEGER REFERENCES users(id),
  by_name TEXT NOT NULL DEFAULT ''
);
CREATE INDEX safety_event_steps_event ON safety_event_steps (event_id, id);

-- Event numbers count per local day, like accession numbers.
CREATE TABLE safety_event_counters (
  day INTEGER PRIMARY KEY,
  last INTEGER NOT NULL
);
