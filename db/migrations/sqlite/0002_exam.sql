-- Exam workflow: patients and their identity documents, the exam catalogue, orders, exams and
-- every state change of an exam. Instants are UTC microseconds; dates are day numbers.

CREATE TABLE patients (
  id INTEGER PRIMARY KEY,
  site_id INTEGER NOT NULL REFERENCES sites(id),
  patient_no TEXT NOT NULL UNIQUE,          -- primary identifier: HIS patient id or RadQS number
  name TEXT NOT NULL,
  name_pinyin TEXT NOT NULL DEFAULT '',
  sex TEXT NOT NULL,                        -- M | F | U
  birth_date INTEGER,                       -- NULL only for an unidentified patient
  estimated_age INTEGER,                    -- unidentified patients (无名氏)
  phone TEXT NOT NULL DEFAULT '',
  outpatient_no TEXT NOT NULL DEFAULT '',
  inpatient_no TEXT NOT NULL DEFAULT '',
  contrast_allergy INTEGER NOT NULL DEFAULT 0,
  pacemaker INTEGER NOT NULL DEFAULT 0,
  ferromagnetic_implant INTEGER NOT NULL DEFAULT 0,
  unidentified INTEGER NOT NULL DEFAULT 0,
  merged_into INTEGER REFERENCES patients(id),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX patients_name ON patients (name);
CREATE INDEX patients_pinyin ON patients (name_pinyin);
CREATE INDEX patients_phone ON patients (phone);
CREATE INDEX patients_outpatient ON patients (outpatient_no);
CREATE INDEX patients_inpatient ON patients (inpatient_no);

-- A 居民身份证 belongs to at most one patient as that patient's own document; a guardian's
-- document (newborn under a parent's ID) may repeat — spec: domain.md §2 "Patient identity".
CREATE TABLE patient_documents (
  id INTEGER PRIMARY KEY,
  patient_id INTEGER NOT NULL REFERENCES patients(id),
  type TEXT NOT NULL,                       -- resident_id | passport | other
  number TEXT NOT NULL,
  guardian INTEGER NOT NULL DEFAULT 0,
  guardian_relation TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX patient_documents_own ON patient_documents (type, number) WHERE guardian = 0;
CREATE INDEX patient_documents_number ON patient_documents (number);
CREATE INDEX patient_documents_patient ON patient_documents (patient_id);

-- Each patient edit keeps the record as it was.
CREATE TABLE patient_versions (
  id INTEGER PRIMARY KEY,
  patient_id INTEGER NOT NULL REFERENCES patients(id),
  version INTEGER NOT NULL,
  snapshot TEXT NOT NULL,
  changed_by INTEGER,
  changed_at INTEGER NOT NULL,
  reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX patient_versions_patient ON patient_versions (patient_id, version);

CREATE TABLE exam_items (
  id INTEGER PRIMARY KEY,
  code TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  modality TEXT NOT NULL,
  body_part TEXT NOT NULL DEFAULT '',
  contrast INTEGER NOT NULL DEFAULT 0,
  contrast_kind TEXT NOT NULL DEFAULT '',   -- iodinated | gadolinium | ''
  duration_minutes INTEGER NOT NULL,
  xray INTEGER NOT NULL DEFAULT 0,          -- dose-relevant (X-ray based)
  lower_abdomen INTEGER NOT NULL DEFAULT 0, -- touches the lower abdomen or pelvis
  report_class TEXT NOT NULL DEFAULT 'routine',
  category TEXT NOT NULL DEFAULT 'diagnostic',
  confirm_images INTEGER NOT NULL DEFAULT 0,
  active INTEGER NOT NULL DEFAULT 1,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  version INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE exam_item_versions (
  id INTEGER PRIMARY KEY,
  item_id INTEGER NOT NULL REFERENCES exam_items(id),
  version INTEGER NOT NULL,
  snapshot TEXT NOT NULL,
  changed_by INTEGER,
  changed_at INTEGER NOT NULL,
  UNIQUE (item_id, version)
);

CREATE TABLE orders (
  id INTEGER PRIMARY KEY,
  site_id INTEGER NOT NULL REFERENCES sites(id),
  patient_id INTEGER NOT NULL REFERENCES patients(id),
  item_id INTEGER NOT NULL REFERENCES exam_items(id),
  item_version INTEGER NOT NULL,
  ordering_department TEXT NOT NULL,
  ordering_physician TEXT NOT NULL,
  clinical_history TEXT NOT NULL,
  clinical_question TEXT NOT NULL,
  patient_class TEXT NOT NULL,              -- outpatient | inpatient | emergency | checkup
  priority TEXT NOT NULL,                   -- routine | urgent | emergency | green_channel
  pathway TEXT NOT NULL DEFAULT '',         -- green channel pathway key, e.g. stroke_cta
  created_by INTEGER,
  created_at INTEGER NOT NULL
);
CREATE INDEX orders_patient ON orders (patient_id);

CREATE TABLE exams (
  id INTEGER PRIMARY KEY,
  accession_no TEXT NOT NULL UNIQUE,
  order_id INTEGER NOT NULL UNIQUE REFERENCES orders(id),
  site_id INTEGER NOT NULL REFERENCES sites(id),
  patient_id INTEGER NOT NULL REFERENCES patients(id),
  item_id INTEGER NOT NULL REFERENCES exam_items(id),
  modality TEXT NOT NULL,
  priority TEXT NOT NULL,
  room_id INTEGER REFERENCES rooms(id),
  state TEXT NOT NULL,
  appointment_at INTEGER,
  ordered_at INTEGER NOT NULL,
  booked_at INTEGER,
  arrived_at INTEGER,
  started_at INTEGER,
  acquired_at INTEGER,
  preliminary_at INTEGER,
  final_at INTEGER,
  cancelled_at INTEGER,
  cancel_reason TEXT NOT NULL DEFAULT '',
  updated_at INTEGER NOT NULL,
  version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX exams_ordered ON exams (ordered_at);
CREATE INDEX exams_modality_ordered ON exams (modality, ordered_at);
CREATE INDEX exams_state_ordered ON exams (state, ordered_at);
CREATE INDEX exams_room_appointment ON exams (room_id, appointment_at);
CREATE INDEX exams_patient ON exams (patient_id);

-- Every state change with who and when; turnaround times come from these stamps only.
CREATE TABLE exam_events (
  id INTEGER PRIMARY KEY,
  exam_id INTEGER NOT NULL REFERENCES exams(id),
  from_state TEXT NOT NULL,
  to_state TEXT NOT NULL,
  at INTEGER NOT NULL,
  actor_user_id INTEGER,
  actor TEXT NOT NULL,
  detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX exam_events_exam ON exam_events (exam_id, id);

-- Green-channel pathways are data with their time limits — spec: domain.md §2 "Order".
CREATE TABLE pathways (
  key TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  time_limit_minutes INTEGER NOT NULL,   -- arrival to exam start
  source TEXT NOT NULL,
  active INTEGER NOT NULL DEFAULT 1
);
INSERT INTO pathways (key, name, time_limit_minutes, source) VALUES
  ('stroke_cta', '卒中绿色通道（头颈CTA）', 25, 'hospital stroke-centre practice [check]'),
  ('chest_pain_cta', '胸痛绿色通道（冠脉/主动脉CTA）', 30, 'hospital chest-pain-centre practice [check]');

-- Safety screening before the exam (检查前安全核查): each save is a new version of the record.
CREATE TABLE exam_screenings (
  id INTEGER PRIMARY KEY,
  exam_id INTEGER NOT NULL REFERENCES exams(id),
  version INTEGER NOT NULL,
  record TEXT NOT NULL,
  recorded_by INTEGER,
  recorded_at INTEGER NOT NULL,
  UNIQUE (exam_id, version)
);

-- Approvals and overrides of screening gates, listed for the QC group.
CREATE TABLE screening_overrides (
  id INTEGER PRIMARY KEY,
  exam_id INTEGER NOT NULL REFERENCES exams(id),
  gate TEXT NOT NULL,
  approver_id INTEGER REFERENCES users(id),
  approver TEXT NOT NULL,
  reason TEXT NOT NULL,
  at INTEGER NOT NULL
);
CREATE INDEX screening_overrides_at ON screening_overrides (at);
