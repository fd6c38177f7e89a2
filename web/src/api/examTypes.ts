// Shapes of the exam-workflow routes (domain.md §2): patients, catalogue, orders, exams,
// scheduling, safety screening, acquisition and rejects. Taken from the server's answers.
import type { CalendarDate, Id, Modality, Timestamp } from './types'

// ---- patients -------------------------------------------------------------------------------

export const DOCUMENT_TYPES = [
  'resident_id',
  'hk_macau_permit',
  'taiwan_permit',
  'foreign_permanent_resident',
  'passport',
  'military_officer',
  'birth_certificate',
  'other',
] as const
export type DocumentType = (typeof DOCUMENT_TYPES)[number]

export interface IdentityDocument {
  type: DocumentType
  number: string
  guardian: boolean
  guardian_relation: string
}

export type PatientSex = 'M' | 'F' | 'U'

export interface Patient {
  id: Id
  site_id: Id
  patient_no: string
  name: string
  name_pinyin: string
  sex: PatientSex
  birth_date: CalendarDate | null
  estimated_age: number | null
  phone: string
  outpatient_no: string
  inpatient_no: string
  contrast_allergy: boolean
  pacemaker: boolean
  ferromagnetic_implant: boolean
  unidentified: boolean
  merged_into: Id | null
  documents: IdentityDocument[]
  /** true when numbers and phone are masked (no patients.identity). */
  identity_masked: boolean
  created_at: Timestamp
  updated_at: Timestamp
  version: number
  /** GET /patients/{id} only: how many versions are kept. */
  versions?: number
}

export interface PatientInput {
  name: string
  name_pinyin: string
  sex: PatientSex
  birth_date: CalendarDate | null
  estimated_age: number | null
  unidentified: boolean
  phone: string
  outpatient_no: string
  inpatient_no: string
  contrast_allergy: boolean
  pacemaker: boolean
  ferromagnetic_implant: boolean
  documents: IdentityDocument[]
}

/** error.existing_patient of a 409 on registration. */
export interface ExistingPatient {
  id: Id
  patient_no: string
  name: string
}

// ---- catalogue ------------------------------------------------------------------------------

export type ContrastKind = '' | 'iodinated' | 'gadolinium'
export const ITEM_CATEGORIES = ['diagnostic', 'interventional', 'prenatal', 'therapeutic'] as const
export type ItemCategory = (typeof ITEM_CATEGORIES)[number]

export interface CatalogueItem {
  id: Id
  code: string
  name: string
  modality: Modality
  body_part: string
  contrast: boolean
  contrast_kind: ContrastKind
  duration_minutes: number
  xray: boolean
  lower_abdomen: boolean
  report_class: string
  category: ItemCategory
  confirm_images: boolean
  /** Printed on the appointment slip, one instruction per line. */
  preparation: string
  active: boolean
  /** The sites that offer the item (an independent centre only diagnostic ones). */
  site_ids: Id[]
  version: number
}

export type CatalogueInput = Omit<CatalogueItem, 'id' | 'version' | 'report_class'>

// ---- orders and exams -----------------------------------------------------------------------

export const PATIENT_CLASSES = ['outpatient', 'inpatient', 'emergency', 'checkup'] as const
export type PatientClass = (typeof PATIENT_CLASSES)[number]
export const PRIORITIES = ['routine', 'urgent', 'emergency', 'green_channel'] as const
export type Priority = (typeof PRIORITIES)[number]
export const PATHWAYS = ['stroke_cta', 'chest_pain_cta'] as const

export interface OrderInput {
  patient_id: Id
  item_id: Id
  ordering_department_id: Id
  ordering_physician: string
  clinical_history: string
  clinical_question: string
  patient_class: PatientClass
  priority: Priority
  pathway?: string
}

export const EXAM_STATES = [
  'ordered', 'scheduled', 'arrived', 'in_progress', 'acquired',
  'preliminary', 'final', 'amended', 'cancelled', 'no_show',
] as const
export type ExamState = (typeof EXAM_STATES)[number]
/** The transitions POST /exams/{id}/transitions accepts. */
export type TransitionTo = 'arrived' | 'in_progress' | 'acquired' | 'cancelled' | 'no_show'

export interface Exam {
  id: Id
  accession_no: string
  order_id: Id
  site_id: Id
  patient_id: Id
  item_id: Id
  modality: Modality
  priority: Priority
  room_id: Id | null
  state: ExamState
  ordered_at: Timestamp
  appointment_at: Timestamp | null
  arrived_at: Timestamp | null
  started_at: Timestamp | null
  acquired_at: Timestamp | null
  final_at: Timestamp | null
  cancel_reason: string
  location?: 'room' | 'bedside' | 'ward' | 'operating_room'
  arrival?: (ArrivalInput & { staff_distance_m?: number | null }) | null
  version: number
  /** Search rows only, and only with patients.read. */
  patient_name?: string
  patient_sex?: PatientSex | ''
}

export interface TimelineEntry {
  from: string
  to: string
  at: Timestamp
  /** The account that acted; `actor_name` is the person's name. */
  actor: string
  actor_name: string
  detail: string
  /** On a booking: the room and the booked time (the detail is then empty). */
  booking?: { room_id: number; room_name: string; appointment_at: Timestamp }
}

export const TURNAROUND_KEYS = [
  'order_to_appointment', 'arrival_to_start', 'start_to_acquired', 'acquired_to_final', 'order_to_final',
] as const
export type TurnaroundKey = (typeof TURNAROUND_KEYS)[number]

/** The order an exam carries out, as the clinician wrote it. */
export interface ExamOrder {
  id: Id
  ordering_department_id: Id
  ordering_department: string
  ordering_department_code: string
  emergency_department: boolean
  ordering_physician: string
  clinical_history: string
  clinical_question: string
  patient_class: PatientClass
  pathway: string
}

export interface ExamDetail extends Exam {
  /** Absent without patients.read. */
  patient?: Patient
  item: CatalogueItem
  order?: ExamOrder
  timeline: TimelineEntry[]
  turnaround_minutes: Record<TurnaroundKey, number | null>
}

export interface ExamFilters {
  from?: CalendarDate
  to?: CalendarDate
  modality?: string
  state?: string
  room_id?: Id
  patient_id?: Id
  /** ordered_at or appointment_at, "-" in front for descending; the server's default is -ordered_at. */
  sort?: string
}

/** Recorded at check-in: where the exam happens and, for a critical patient, the escort. */
export interface ArrivalInput {
  location?: 'room' | 'bedside' | 'ward' | 'operating_room'
  mobile_device?: string
  /** metres; no default: outside the room it must be measured and typed (the server refuses none) */
  staff_distance_m?: number | null
  shielding?: string
  critical?: boolean
  escort_physician?: string
  rescue_drugs?: string
}

export interface TransitionInput extends ArrivalInput {
  to: TransitionTo
  version: number
  reason?: string
  room_id?: Id
}

// ---- scheduling -----------------------------------------------------------------------------

export interface Slot {
  start: Timestamp
  end: Timestamp
  capacity: number
  booked: number
  free: number
  closed: boolean
  closed_reason: string
}

export interface SlotTemplate {
  weekday: number
  start_minute: number
  end_minute: number
  slot_minutes: number
  capacity: number
}

export interface ClosureInput {
  room_id?: Id
  site_id?: Id
  kind: 'holiday' | 'downtime'
  from: Timestamp
  to: Timestamp
  reason: string
}

export interface Booking {
  id: Id
  state: ExamState
  room_id: Id
  appointment_at: Timestamp
  version: number
}

export interface QueueItem {
  exam_id: Id
  accession_no: string
  state: ExamState
  priority: Priority
  /** Absent without patients.read. */
  patient_name?: string
  patient_sex?: PatientSex | ''
  item_name: string
  appointment_at: Timestamp | null
  arrived_at: Timestamp | null
  version: number
  /** Green-channel exams on a pathway: the limit counted from the order time. */
  green_channel?: { pathway: string; limit_minutes: number; start: Timestamp; deadline: Timestamp }
  /** The screening gates still open (keys), for exams checked in or in the room. */
  open_gates?: string[]
}

export interface RoomQueue {
  room: { id: Id; name: string; modality: Modality }
  date: CalendarDate
  in_progress: QueueItem[]
  queue: QueueItem[]
  expected: QueueItem[]
}

// ---- screening ------------------------------------------------------------------------------

export const PREGNANCY_STATUSES = ['not_asked', 'not_pregnant', 'possibly_pregnant', 'pregnant'] as const
export type PregnancyStatus = (typeof PREGNANCY_STATUSES)[number]
export const DATING_METHODS = ['unknown', 'lmp', 'ultrasound'] as const
export const REACTION_GRADES = ['none', 'mild', 'moderate', 'severe'] as const
export const CONSENT_TYPES = ['pregnancy', 'contrast', 'interventional', 'sedation'] as const
/** Who may sign a consent: the patient, a lineal relative or a guardian (the relation named). */
export const SIGNER_RELATIONS = ['patient', 'lineal_relative', 'guardian'] as const
/** The MR safety questionnaire, in the order asked (yes / no; null until asked). */
export const MR_QUESTIONS = [
  'active_implant', 'ferromagnetic_implant', 'metal_foreign_body', 'tattoo', 'claustrophobia', 'previous_mr',
] as const
export type MrQuestion = (typeof MR_QUESTIONS)[number]
export type MrQuestionnaire = Record<MrQuestion, boolean | null> & { implant_detail: string; flag_note: string }
export const APPROVAL_GATES = [
  'pregnancy_override', 'mr_clearance', 'low_egfr', 'severe_reaction', 'gadolinium_pregnancy',
] as const
export type ApprovalGate = (typeof APPROVAL_GATES)[number]

export interface Consent {
  type: string
  signer_name: string
  signer_relation: string
  /** How a signer other than the patient is related (女儿, 父亲). */
  relation_detail?: string
  signed_at: Timestamp | null
}

/** A consent as edited in the form (the time as a Date). */
export interface ConsentRow {
  type: string
  signer_name: string
  signer_relation: string
  relation_detail: string
  signed_at: Date | null
}

export interface ContrastChecks {
  prior_reaction_grade: string
  prior_reaction_agent: string
  asthma_or_allergy: boolean
  egfr: number | null
  egfr_date: CalendarDate | null
  metformin: boolean
  hyperthyroidism: boolean
}

export interface PregnancyRecord {
  status: PregnancyStatus
  gestational_days_lmp: number | null
  lmp_date: CalendarDate | null
  dating_method: string
  assessed_on?: CalendarDate | null
}

export interface PregnancyOverride {
  reason: string
  signer_name: string
  signer_relation: string
  approver_id?: Id | null
}

export interface Approval {
  approver_id: Id | null
  reason: string
}

export interface ScreeningRecord {
  pregnancy: PregnancyRecord
  pregnancy_override: PregnancyOverride | null
  consents: Consent[]
  shielding: { used: boolean; reason_if_not: string } | null
  mr_clearance: { radiologist_id: Id | null; note: string; covers?: string[] } | null
  mr?: MrQuestionnaire
  contrast: ContrastChecks
  low_egfr_approval: Approval | null
  severe_reaction_override: Approval | null
  gadolinium_pregnancy_justification: Approval | null
}

export interface OpenGate {
  key: string
  /** Absent without patients.read (it names the patient's sex and age). */
  message?: string
  overridable: boolean
  override_by: string
}

/** The record and approvers come only with patients.read (the exam page then shows the panel). */
export interface Screening {
  exam_id: Id
  version: number
  record: ScreeningRecord
  open_gates: OpenGate[]
  /** Names of the physicians who approved, by user id. */
  approvers: Record<string, string>
  /** What the staff must know that closes no gate (tattoo, claustrophobia, ...). */
  notices?: { key: string; message?: string }[]
  /** The exam has started: a change needs a reason (and a reopened gate is a QC finding). */
  reason_required?: boolean
  voided_approvals?: string[]
}

/** One version of the screening or acquisition record. */
export interface RecordVersion<R> {
  version: number
  recorded_by: string
  recorded_at: Timestamp
  reason: string
  record?: R
}

/** An exam waiting for a gate approval the signed-in physician may give (待审批). */
export interface PendingApproval {
  exam_id: Id
  accession_no: string
  state: string
  priority: string
  modality: string
  item_name: string
  room_name: string | null
  appointment_at: Timestamp | null
  waiting_since: Timestamp
  gates: (OpenGate & { approval: ApprovalGate })[]
  patient?: { id: Id; name: string; sex: string; birth_date: CalendarDate | null }
}

/** A screening change after the exam start that reopened gates, for the QC group. */
export interface ScreeningFinding {
  id: Id
  exam_id: Id
  accession_no: string
  version: number
  exam_state: string
  gates: string[]
  reason: string
  recorder: string
  at: Timestamp
}

export interface ScreeningInput {
  version: number
  pregnancy?: PregnancyRecord
  consents?: Consent[]
  shielding?: { used: boolean; reason_if_not: string }
  contrast?: ContrastChecks
  pregnancy_override?: PregnancyOverride | null
  mr?: MrQuestionnaire
  reason?: string
}

export interface ScreeningOverride {
  id: Id
  exam_id: Id
  accession_no: string
  gate: string
  approver: string
  reason: string
  at: Timestamp
}

// ---- acquisition and rejects ----------------------------------------------------------------

export interface ContrastAdministration {
  agent: string
  lot: string
  volume_ml: number
  concentration: string
  injection_site: string
  cannula_gauge: string
  flow_rate_ml_s: number | null
  injector: string
}

export interface Extravasation {
  volume_ml: number
  site: string
  symptoms: string
  treatment: string
  follow_up: string
}

export interface AcquisitionRecord {
  device_id: string
  protocol: string
  image_count: number
  images_checked: boolean
  contrast: ContrastAdministration | null
  extravasation: Extravasation | null
}

export interface AcquisitionRow {
  exam_id: Id
  version: number
  record: AcquisitionRecord | null
  recorded_by: string | null
  recorded_at: Timestamp | null
  reason?: string | null
  /** A change of the recorded version needs a reason (the exam has started). */
  reason_required?: boolean
  /** The contrast-extravasation safety event the record opened (docs/api.md "Safety events"). */
  safety_event?: { id: number; event_no: string } | null
}

export const REJECT_REASONS = [
  'positioning', 'exposure', 'motion', 'artifact', 'equipment', 'labelling', 'other',
] as const
export type RejectReason = (typeof REJECT_REASONS)[number]

export interface RejectInput {
  reason: RejectReason
  images: number
  repeated: boolean
  note: string
}

export interface RejectEntry {
  id: Id
  exam_id: Id
  accession_no: string
  modality: Modality
  reason: RejectReason
  images: number
  repeated: boolean
  device_id: string
  /** The account that recorded it; `technologist_name` is the person's name. */
  technologist: string
  technologist_name: string
  note: string
  recorded_at: Timestamp
}
