-- Acquisition record (technologist, device, protocol, images, IV contrast, extravasation) kept
-- as versions, and the reject/repeat log (废片登记) — spec: domain.md §2 "Acquisition record".
CREATE TABLE exam_acquisitions (
  id INTEGER PRIMARY KEY,
  exam_id INTEGER NOT NULL REFERENCES exams(id),
  version INTEGER NOT NULL,
  record TEXT NOT NULL,
  recorded_by INTEGER,
  recorded_at INTEGER NOT NULL,
  UNIQUE (exam_id, version)
);

CREATE TABLE rejects (
  id INTEGER PRIMARY KEY,
  exam_id INTEGER NOT NULL REFERENCES exams(id),
  reason TEXT NOT NULL,          -- positioning | exposure | motion | artifact | equipment | labelling | other
  images INTEGER NOT NULL,
  repeated INTEGER NOT NULL DEFAULT 1,
  device_id TEXT NOT NULL DEFAULT '',
  technologist_user_id INTEGER,
  technologist TEXT NOT NULL,
  note TEXT NOT NULL DEFAULT '',
  recorded_at INTEGER NOT NULL
);
CREATE INDEX rejects_recorded ON rejects (recorded_at);
CREATE INDEX rejects_exam ON rejects (exam_id);
