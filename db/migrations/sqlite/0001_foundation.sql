-- Foundation: organisation, users and sessions, versioned settings, the audit chain.
-- Instants are UTC microseconds (INTEGER); calendar dates are day numbers since 1970-01-01.

CREATE TABLE sites (
  id INTEGER PRIMARY KEY,
  code TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  level TEXT NOT NULL,
  kind TEXT NOT NULL,
  beds INTEGER NOT NULL DEFAULT 0,
  emergency_department INTEGER NOT NULL DEFAULT 0,
  address TEXT NOT NULL DEFAULT '',
  phone TEXT NOT NULL DEFAULT '',
  active INTEGER NOT NULL DEFAULT 1,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  version INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE site_licences (
  id INTEGER PRIMARY KEY,
  site_id INTEGER NOT NULL REFERENCES sites(id),
  type TEXT NOT NULL,
  number TEXT NOT NULL,
  issuer TEXT NOT NULL DEFAULT '',
  scope TEXT NOT NULL DEFAULT '',
  issued_on INTEGER,
  expires_on INTEGER NOT NULL,
  active INTEGER NOT NULL DEFAULT 1,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  version INTEGER NOT NULL DEFAULT 1,
  UNIQUE (site_id, type, number)
);
CREATE INDEX site_licences_expiry ON site_licences (expires_on);

CREATE TABLE rooms (
  id INTEGER PRIMARY KEY,
  site_id INTEGER NOT NULL REFERENCES sites(id),
  code TEXT NOT NULL,
  name TEXT NOT NULL,
  modality TEXT NOT NULL,
  location TEXT NOT NULL DEFAULT '',
  open_24h INTEGER NOT NULL DEFAULT 0,
  active INTEGER NOT NULL DEFAULT 1,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  version INTEGER NOT NULL DEFAULT 1,
  UNIQUE (site_id, code)
);

CREATE TABLE staff (
  id INTEGER PRIMARY KEY,
  site_id INTEGER NOT NULL REFERENCES sites(id),
  employee_no TEXT NOT NULL,
  name TEXT NOT NULL,
  sex TEXT NOT NULL,
  category TEXT NOT NULL,
  phone TEXT NOT NULL DEFAULT '',
  radiation_worker INTEGER NOT NULL DEFAULT 0,
  radiation_work_since INTEGER,
  dosimeter_id TEXT NOT NULL DEFAULT '',
  thyroid_collar INTEGER NOT NULL DEFAULT 0,
  trainee INTEGER NOT NULL DEFAULT 0,
  emergency_signoff INTEGER NOT NULL DEFAULT 0,
  diagnostic_practice_since INTEGER,
  status TEXT NOT NULL DEFAULT 'active',
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  version INTEGER NOT NULL DEFAULT 1,
  UNIQUE (site_id, employee_no)
);
CREATE INDEX staff_name ON staff (name);

-- Title history (职称): the title in force on a date is the latest effective_from <= date.
CREATE TABLE staff_titles (
  id INTEGER PRIMARY KEY,
  staff_id INTEGER NOT NULL REFERENCES staff(id),
  title TEXT NOT NULL,
  effective_from INTEGER NOT NULL,
  recorded_at INTEGER NOT NULL,
  recorded_by INTEGER,
  UNIQUE (staff_id, effective_from)
);

CREATE TABLE staff_certificates (
  id INTEGER PRIMARY KEY,
  staff_id INTEGER NOT NULL REFERENCES staff(id),
  type TEXT NOT NULL,
  number TEXT NOT NULL,
  issuer TEXT NOT NULL DEFAULT '',
  scope TEXT NOT NULL DEFAULT '',
  registrations TEXT NOT NULL DEFAULT '',
  issued_on INTEGER,
  expires_on INTEGER,
  active INTEGER NOT NULL DEFAULT 1,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX staff_certificates_staff ON staff_certificates (staff_id);
CREATE INDEX staff_certificates_expiry ON staff_certificates (expires_on);

CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  username TEXT NOT NULL UNIQUE,
  display_name TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  staff_id INTEGER REFERENCES staff(id),
  site_id INTEGER REFERENCES sites(id),
  active INTEGER NOT NULL DEFAULT 1,
  admin_locked INTEGER NOT NULL DEFAULT 0,
  locked_until INTEGER,
  failed_logins INTEGER NOT NULL DEFAULT 0,
  must_change_password INTEGER NOT NULL DEFAULT 0,
  password_changed_at INTEGER,
  last_login_at INTEGER,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  version INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE user_roles (
  user_id INTEGER NOT NULL REFERENCES users(id),
  role TEXT NOT NULL,
  PRIMARY KEY (user_id, role)
);

CREATE TABLE sessions (
  id INTEGER PRIMARY KEY,
  token_hash TEXT NOT NULL UNIQUE,
  user_id INTEGER NOT NULL REFERENCES users(id),
  csrf_token TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  ended_at INTEGER,
  ended_reason TEXT,
  ip TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_tokens (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  roles TEXT NOT NULL,
  created_by INTEGER REFERENCES users(id),
  created_at INTEGER NOT NULL,
  expires_at INTEGER,
  revoked_at INTEGER,
  last_used_at INTEGER
);

-- Versioned settings: the value in force on a date is the latest valid_from <= date.
CREATE TABLE setting_versions (
  id INTEGER PRIMARY KEY,
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  valid_from INTEGER NOT NULL,
  reason TEXT NOT NULL DEFAULT '',
  set_by INTEGER REFERENCES users(id),
  set_at INTEGER NOT NULL,
  UNIQUE (key, valid_from)
);

CREATE TABLE audit_log (
  seq INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  actor_user_id INTEGER,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  entity TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  request_id TEXT NOT NULL,
  ip TEXT NOT NULL,
  before_digest TEXT NOT NULL,
  after_digest TEXT NOT NULL,
  detail TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id);
CREATE INDEX audit_log_actor ON audit_log (actor, seq);

CREATE TABLE audit_head (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  seq INTEGER NOT NULL,
  hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
