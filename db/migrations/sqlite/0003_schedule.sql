-- Time-slot booking (分时段预约): weekly templates per room and closures (holidays, device
-- downtime). A booking is the exam's room and appointment (its slot start); a slot's use is
-- counted from the exams booked into it — spec: domain.md §2 "Schedule".

CREATE TABLE slot_templates (
  id INTEGER PRIMARY KEY,
  room_id INTEGER NOT NULL REFERENCES rooms(id),
  weekday INTEGER NOT NULL,        -- ISO: 1 Monday .. 7 Sunday
  start_minute INTEGER NOT NULL,   -- local time of day
  end_minute INTEGER NOT NULL,
  slot_minutes INTEGER NOT NULL,
  capacity INTEGER NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX slot_templates_room ON slot_templates (room_id);

CREATE TABLE closures (
  id INTEGER PRIMARY KEY,
  site_id INTEGER NOT NULL REFERENCES sites(id),
  room_id INTEGER REFERENCES rooms(id),   -- NULL: every room of the site (a holiday)
  kind TEXT NOT NULL,                     -- holiday | downtime
  from_at INTEGER NOT NULL,
  to_at INTEGER NOT NULL,
  reason TEXT NOT NULL,
  created_by INTEGER,
  created_at INTEGER NOT NULL,
  cancelled_at INTEGER
);
CREATE INDEX closures_range ON closures (site_id, from_at);

CREATE INDEX exams_room_state ON exams (room_id, state);
