-- Safety-event deadlines keep the hours in force when the event was reported (regulations.md
-- preamble: a past figure is judged against the setting in force at the time), so that a later
-- change of the safety.* settings moves neither past due times nor overdue flags.
ALTER TABLE safety_events ADD COLUMN ack_hours INTEGER NOT NULL DEFAULT 24;
ALTER TABLE safety_events ADD COLUMN written_report_hours_major INTEGER NOT NULL DEFAULT 48;
ALTER TABLE safety_events ADD COLUMN written_report_hours_minor INTEGER NOT NULL DEFAULT 120;
ALTER TABLE safety_events ADD COLUMN complaint_feedback_hours INTEGER NOT NULL DEFAULT 72;

-- Events reported before this migration get the versions in force on their local report day
-- (the site's current UTC offset, default +08:00), else the defaults above.
CREATE TEMP TABLE safety_event_report_days AS
SELECT e.id AS id,
       (e.reported_at / 1000000 + 60 * COALESCE((
          SELECT CAST(v.value AS INTEGER) FROM setting_versions v
          WHERE v.key = 'site.utc_offset_minutes' ORDER BY v.valid_from DESC LIMIT 1), 480))
         / 86400 AS day
FROM safety_events e;

UPDATE safety_events SET
  ack_hours = COALESCE((
    SELECT CAST(v.value AS INTEGER) FROM setting_versions v, safety_event_report_days d
    WHERE d.id = safety_events.id AND v.key = 'safety.ack_hours' AND v.valid_from <= d.day
    ORDER BY v.valid_from DESC LIMIT 1), ack_hours),
  written_report_hours_major = COALESCE((
    SELECT CAST(v.value AS INTEGER) FROM setting_versions v, safety_event_report_days d
    WHERE d.id = safety_events.id AND v.key = 'safety.written_report_hours_major'
      AND v.valid_from <= d.day
    ORDER BY v.valid_from DESC LIMIT 1), written_report_hours_major),
  written_report_hours_minor = COALESCE((
    SELECT CAST(v.value AS INTEGER) FROM setting_versions v, safety_event_report_days d
    WHERE d.id = safety_events.id AND v.key = 'safety.written_report_hours_minor'
      AND v.valid_from <= d.day
    ORDER BY v.valid_from DESC LIMIT 1), written_report_hours_minor),
  complaint_feedback_hours = COALESCE((
    SELECT CAST(v.value AS INTEGER) FROM setting_versions v, safety_event_report_days d
    WHERE d.id = safety_events.id AND v.key = 'safety.complaint_feedback_hours'
      AND v.valid_from <= d.day
    ORDER BY v.valid_from DESC LIMIT 1), complaint_feedback_hours);

DROP TABLE safety_event_report_days;
