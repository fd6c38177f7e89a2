// TypeScript shapes of the RadQS HTTP API v1 (docs/api.md). Times are UTC ISO-8601 strings,
// calendar dates are "YYYY-MM-DD" in the site's local calendar.

/** Record ids: the contract does not say number or string, so both are accepted. */
export type Id = number | string

/** ISO-8601 UTC timestamp, e.g. "2026-11-23T04:05:06Z". */
export type Timestamp = string
/** Calendar date "YYYY-MM-DD". */
export type CalendarDate = string

// ---- lists and errors -----------------------------------------------------------------------

export interface Page<T> {
  items: T[]
  next_cursor: string | null
  /** How many the whole list holds, where the server counts it: exact up to a cap. */
  total?: number
  total_capped?: boolean
}

export type FieldRule =
  | 'required'
  | 'type'
  | 'unknown_field'
  | 'enum'
  | 'min'
  | 'max'
  | 'max_length'
  | 'format'
  | 'date'
  | 'unique'
  | 'reference'
  | 'not_editable'
  | 'weak_password'

export interface FieldError {
  field: string
  rule: FieldRule | string
  /** English, for API clients and logs; screens show the text of `key` (errors.rules) instead. */
  message: string
  /** The message key (the rule unless more specific, e.g. unique_document); older answers lack it. */
  key?: string
  /** Values the text of `key` is worded with, e.g. { limit: 64 } or { gate: 'mr_implant' }. */
  params?: Record<string, string | number>
}

export type ErrorCode =
  | 'bad_request'
  | 'validation_failed'
  | 'unknown_field'
  | 'malformed_json'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'version_conflict'
  | 'payload_too_large'
  | 'locked'
  | 'too_many_requests'
  | 'internal'
  | 'unavailable'

export interface ErrorBody {
  error: {
    code: ErrorCode | string
    message: string
    fields?: FieldError[]
    /** Not in the contract for every error; read when present (e.g. 423 locked). */
    locked_until?: Timestamp | null
  }
}

// ---- roles, permissions, users --------------------------------------------------------------

export const ROLE_KEYS = [
  'admin',
  'director',
  'qc_officer',
  'radiologist',
  'technologist',
  'nurse',
  'engineer',
  'safety_officer',
  'clinician',
  'hospital_qc',
  'inspector',
  'trainee',
] as const
export type RoleKey = (typeof ROLE_KEYS)[number]

/** Permission keys used by the UI; the server may send others. */
export type Permission =
  | 'org.read'
  | 'org.write'
  | 'staff.read'
  | 'staff.write'
  | 'certificates.write'
  | 'users.read'
  | 'users.write'
  | 'tokens.manage'
  | 'jobs.manage'
  | 'settings.read'
  | 'settings.write'
  | 'audit.read'
  | 'patients.read'
  | 'patients.identity'
  | 'patients.write'
  | 'catalogue.write'
  | 'orders.write'
  | 'exams.read'
  | 'exams.work'
  | 'screening.approve'
  | 'schedule.manage'
  | 'safety.report'
  | 'safety.read'
  | 'safety.manage'
  | (string & {})

export interface User {
  id: Id
  username: string
  display_name: string
  roles: RoleKey[]
  staff_id: Id | null
  site_id: Id | null
  ordering_department_id: Id | null
  active: boolean
  locked: boolean
  locked_until: Timestamp | null
  failed_logins: number
  must_change_password: boolean
  last_login_at: Timestamp | null
  created_at: Timestamp
  version: number
}

export interface LoginRequest {
  username: string
  password: string
}

export interface LoginResponse {
  token: string
  csrf_token: string
  expires_at: Timestamp
  user: User
}

export interface MeResponse {
  user: User
  csrf_token: string
  permissions: Permission[]
}

export interface PasswordChange {
  current_password: string
  new_password: string
}

export interface UserCreate {
  username: string
  display_name: string
  password: string
  roles: RoleKey[]
  staff_id: Id | null
  site_id: Id | null
  ordering_department_id: Id | null
}

export interface UserPatch {
  version: number
  display_name?: string
  roles?: RoleKey[]
  staff_id?: Id | null
  site_id?: Id | null
  ordering_department_id?: Id | null
  active?: boolean
}

// ---- home -----------------------------------------------------------------------------------

export const COUNT_KEYS = [
  'sites',
  'rooms',
  'staff',
  'radiation_workers',
  'trainees',
  'users',
  'locked_users',
] as const
export type CountKey = (typeof COUNT_KEYS)[number]

export type AlertKind =
  | 'licence_expired'
  | 'licence_expiring'
  | 'certificate_expired'
  | 'certificate_expiring'
  | 'user_locked'

export interface HomeAlert {
  kind: AlertKind | string
  severity: 'danger' | 'warning'
  message: string
  entity: string
  entity_id: Id
  site_id: Id | null
  due_on: CalendarDate | null
  days_left: number | null
}

export interface HomeResponse {
  /** Figures the caller may not see are omitted. */
  counts?: Partial<Record<CountKey, number>>
  rooms_by_modality?: Record<string, number>
  staff_by_category?: Record<string, number>
  alerts?: HomeAlert[]
}

// ---- organisation ---------------------------------------------------------------------------

export type SiteLevel = 'tertiary' | 'secondary' | 'primary'
export type SiteKind = 'hospital_department' | 'independent_center'

export interface Site {
  id: Id
  code: string
  name: string
  level: SiteLevel
  kind: SiteKind
  beds: number
  address: string
  phone: string
  active: boolean
  created_at: Timestamp
  updated_at: Timestamp
  version: number
}

export type SiteInput = Pick<
  Site,
  'code' | 'name' | 'level' | 'kind' | 'beds' | 'address' | 'phone'
> & { active?: boolean }

export type LicenceType = 'radiation_diagnosis' | 'radiation_safety' | 'large_equipment'
export type ValidityStatus = 'valid' | 'expiring' | 'expired'

export interface Licence {
  id: Id
  site_id: Id
  type: LicenceType
  number: string
  issuer: string
  scope: string
  issued_on: CalendarDate | null
  expires_on: CalendarDate | null
  status: ValidityStatus
  days_left: number | null
  version: number
}

export type LicenceInput = Pick<
  Licence,
  'type' | 'number' | 'issuer' | 'scope' | 'issued_on' | 'expires_on'
>

export const MODALITIES = ['DR', 'CR', 'DX', 'CT', 'MR', 'DSA', 'MG', 'RF', 'US', 'other'] as const
export type Modality = (typeof MODALITIES)[number]

export interface Room {
  id: Id
  site_id: Id
  code: string
  name: string
  modality: Modality
  location: string
  open_24h: boolean
  active: boolean
  version: number
}

export type RoomInput = Pick<
  Room,
  'site_id' | 'code' | 'name' | 'modality' | 'location' | 'open_24h' | 'active'
>

// ---- staff ----------------------------------------------------------------------------------

export const STAFF_CATEGORIES = [
  'physician',
  'technologist',
  'nurse',
  'engineer',
  'physicist',
  'other',
] as const
export type StaffCategory = (typeof STAFF_CATEGORIES)[number]
export type StaffStatus = 'active' | 'restricted' | 'left'
export type Sex = 'M' | 'F'

export const TITLE_KEYS = [
  'resident',
  'attending',
  'associate_chief',
  'chief',
  'technician',
  'senior_technician',
  'associate_chief_technician',
  'chief_technician',
  'nurse',
  'senior_nurse',
  'supervising_nurse',
  'associate_chief_nurse',
  'chief_nurse',
  'assistant_engineer',
  'engineer',
  'senior_engineer',
] as const
export type TitleKey = (typeof TITLE_KEYS)[number]

export interface TitleHistoryEntry {
  title: TitleKey
  effective_from: CalendarDate
}

export interface Staff {
  id: Id
  site_id: Id
  employee_no: string
  name: string
  sex: Sex
  category: StaffCategory
  title: TitleKey | null
  title_history: TitleHistoryEntry[]
  phone: string
  radiation_worker: boolean
  radiation_work_since: CalendarDate | null
  dosimeter_id: string
  thyroid_collar: boolean
  trainee: boolean
  emergency_signoff: boolean
  diagnostic_practice_since: CalendarDate | null
  status: StaffStatus
  version: number
}

/** Fields a client writes; `title` is set on creation, later through POST .../titles. */
export type StaffInput = Omit<Staff, 'id' | 'title_history' | 'version' | 'title'> & {
  title?: TitleKey | null
}

export interface StaffFilters {
  site_id?: Id
  q?: string
  category?: StaffCategory
  status?: StaffStatus
  trainee?: boolean
  radiation_worker?: boolean
}

export interface TitleChange {
  title: TitleKey
  effective_from: CalendarDate
}

export type CertificateType =
  | 'practising_licence'
  | 'radiation_worker'
  | 'radiation_training'
  | 'radiation_safety_exam'
  | 'contrast_rescue'
  | 'cpr'

export interface Certificate {
  id: Id
  staff_id: Id
  type: CertificateType
  number: string
  issuer: string
  scope: string
  /** Registered institutions (多点执业); the contract does not give the element type. */
  registrations: string[] | string | null
  issued_on: CalendarDate | null
  expires_on: CalendarDate | null
  status: ValidityStatus | string
  days_left: number | null
  version: number
}

export interface CertificateInput {
  type: CertificateType
  number: string
  issuer: string
  scope: string
  registrations: string[]
  issued_on: CalendarDate | null
  expires_on: CalendarDate | null
}

// ---- API tokens (shape not spelled out in the contract; fields read defensively) -------------

export interface ApiToken {
  id: Id
  name: string
  roles: RoleKey[]
  created_at?: Timestamp
  created_by?: string | Id | null
  expires_at: Timestamp | null
  last_used_at?: Timestamp | null
  revoked?: boolean
  revoked_at?: Timestamp | null
}

export interface ApiTokenCreate {
  name: string
  roles: RoleKey[]
  expires_at: Timestamp | null
}

/** The creation answer carries the secret once, as `token`. */
export type ApiTokenCreated = ApiToken & { token: string }

// ---- background jobs ------------------------------------------------------------------------

export type JobState = 'due' | 'done' | 'parked'
export interface Job {
  id: Id
  kind: string
  payload: string
  due_at: Timestamp
  attempts: number
  state: JobState
  claimed_by: string | null
  lease_until: Timestamp | null
  last_error: string
  created_at: Timestamp
  done_at: Timestamp | null
}

// ---- settings -------------------------------------------------------------------------------

export type SettingValue = unknown

export interface SettingHistoryEntry {
  value: SettingValue
  valid_from: CalendarDate
  set_by: string | null
  set_at: Timestamp
  reason: string | null
}

export interface Setting {
  key: string
  value: SettingValue
  valid_from: CalendarDate | null
  unit: string | null
  /** As the department calls it: Chinese, and English. */
  name: string
  name_en: string
  /** What the default rests on (settings.bases) and the rule or document in words. */
  basis: string
  reference: string
  default: SettingValue
  history?: SettingHistoryEntry[]
}

export interface SettingVersion {
  value: SettingValue
  valid_from: CalendarDate
  reason: string
}

// ---- audit ----------------------------------------------------------------------------------

export interface AuditEntry {
  seq: number
  at: Timestamp
  actor_user_id: Id | null
  actor: string
  /** The account's display name; null for system, anonymous or unknown actors. */
  actor_name: string | null
  action: string
  entity: string
  entity_id: string | Id | null
  request_id: string | null
  ip: string | null
  before_digest: string | null
  after_digest: string | null
  detail: unknown
  hash: string
}

export interface AuditFilters {
  actor?: string
  /** A person's name or account, matched on the server. */
  person?: string
  action?: string
  entity?: string
  entity_id?: string
  from?: Timestamp
  to?: Timestamp
}

/** The words of an audit action key (GET /api/v1/audit/actions). */
export interface AuditActionLabel {
  key: string
  zh: string
  en: string
}

export interface AuditVerifyResult {
  ok: boolean
  checked: number
  first_bad_seq: number | null
  reason: string | null
  keyed?: boolean
  tags_checked?: boolean
  anchors_checked?: number
}

/** GET /audit/status: the server's own check of the trail at start and daily. */
export interface AuditStatus extends AuditVerifyResult {
  checked_by_server: boolean
  checked_at: string | null
  last_anchor: { seq: number; hash: string; at: string } | null
  anchor_error: string | null
  problem: boolean
}

// ---- exam workflow (patients, orders, exams, scheduling, screening, acquisition) -----------

export * from './examTypes'
