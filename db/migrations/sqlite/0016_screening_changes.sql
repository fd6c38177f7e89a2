-- Changes after the exam start (issue 14 item 6): a change to the screening or the acquisition
-- once the exam is in progress or later carries its reason with the version it makes, and a
-- change that reopens a screening gate after the start is a finding listed for the QC group
-- (domain.md §2 "Every gate and override is audited and listed for the QC group").
ALTER TABLE exam_screenings ADD COLUMN reason TEXT NOT NULL DEFAULT '';
ALTER TABLE exam_acquisitions ADD COLUMN reason TEXT NOT NULL DEFAULT '';

CREATE TABLE screening_findings (
  id INTEGER PRIMARY KEY,
  exam_id INTEGER NOT NULL REFERENCES exams(id),
  version INTEGER NOT NULL,        -- the screening version that reopened the gates
  exam_state TEXT NOT NULL,        -- the exam's state at the change
  gates TEXT NOT NULL,             -- JSON list of the gate keys reopened
  reason TEXT NOT NULL,
  recorded_by INTEGER REFERENCES users(id),
  recorder TEXT NOT NULL,
  at INTEGER NOT NULL
);
CREATE INDEX screening_findings_exam ON screening_findings (exam_id);
