-- Accession numbers count per local day in one row, not by counting the day's exams.
CREATE TABLE accession_counters (
  day INTEGER PRIMARY KEY,   -- local day number
  last INTEGER NOT NULL
);
-- Exam search pages newest first by order time, filtered by modality and state.
CREATE INDEX exams_modality_state_ordered ON exams (modality, state, ordered_at);
CREATE INDEX exams_state_ordered2 ON exams (state, ordered_at, id);
