// Shapes of the safety-event routes (医疗安全不良事件, docs/api.md "Safety events", domain.md §7).
import type { CalendarDate, Id, Timestamp } from './types'

export const SAFETY_EVENT_TYPES = [
  'radiation_incident', 'contrast_reaction', 'contrast_extravasation', 'wrong_patient', 'wrong_site',
  'wrong_exam', 'fall', 'equipment_failure', 'privacy_breach', 'infection_control', 'staff_injury',
  'complaint', 'near_miss', 'other',
] as const
export type SafetyEventType = (typeof SAFETY_EVENT_TYPES)[number]

/** National classes: I 警讯, II 不良后果, III 未造成后果, IV 隐患 (regulations.md §6). */
export const SEVERITY_CLASSES = ['I', 'II', 'III', 'IV'] as const
export type SeverityClass = (typeof SEVERITY_CLASSES)[number]

export const SAFETY_STATES = ['reported', 'acknowledged', 'investigating', 'actions', 'closed'] as const
export type SafetyState = (typeof SAFETY_STATES)[number]

/** The workflow goes one step at a time; this is the only step the server accepts next. */
export const NEXT_STATE: Record<SafetyState, SafetyState | null> = {
  reported: 'acknowledged',
  acknowledged: 'investigating',
  investigating: 'actions',
  actions: 'closed',
  closed: null,
}

type TagType = 'primary' | 'success' | 'warning' | 'danger' | 'info'
export const STATE_TAG: Record<SafetyState, TagType> = {
  reported: 'danger', acknowledged: 'warning', investigating: 'primary', actions: 'primary', closed: 'success',
}
export const CLASS_TAG: Record<SeverityClass, TagType> = { I: 'danger', II: 'warning', III: 'primary', IV: 'info' }

export type DeadlineKey = 'acknowledgment' | 'written_report' | 'feedback'
export type StepKind = 'reported' | 'transition' | 'classification' | 'written_report' | 'feedback'

export interface SafetyDeadline {
  key: DeadlineKey
  due_at: Timestamp
  done_at: Timestamp | null
  /** Not done and past due, or done late. */
  overdue: boolean
}

export interface SafetyPerson {
  user_id: Id | null
  name: string
}

export interface SafetyEvent {
  id: Id
  /** SE + local date + counter. */
  event_no: string
  site_id: Id
  type: SafetyEventType
  severity_class: SeverityClass
  state: SafetyState
  occurred_at: Timestamp
  reported_at: Timestamp
  place: string
  people_involved: string
  description: string
  immediate_action: string
  anonymous: boolean
  /** null when reported anonymously (or opened by an acquisition record without one). */
  reporter: SafetyPerson | null
  /** Number and name only with patients.read. */
  patient: { id: Id; patient_no?: string; name?: string } | null
  exam: { id: Id; accession_no: string } | null
  source: 'report' | 'acquisition'
  version: number
  deadlines: SafetyDeadline[]
  /** The deadline keys overdue now. */
  overdue: DeadlineKey[]
}

export interface SafetyStep {
  kind: StepKind
  from_state: string | null
  to_state: string | null
  note: string
  at: Timestamp
  by: SafetyPerson | null
}

export interface SafetyEventDetail extends SafetyEvent {
  steps: SafetyStep[]
}

export interface SafetyReportInput {
  type: SafetyEventType
  severity_class: SeverityClass
  occurred_at: Timestamp
  place: string
  people_involved: string
  description: string
  immediate_action: string
  anonymous: boolean
  exam_id?: Id
  patient_id?: Id
  site_id?: Id
}

/** GET /api/v1/safety-events/summary, for the handlers' home page. */
export interface SafetySummary {
  /** Events not yet closed. */
  open: number
  /** Events with at least one deadline missed and still not done. */
  overdue_events: number
  overdue_by_deadline: Record<DeadlineKey, number>
  /** Up to 10 overdue events, oldest report first. */
  most_overdue: SafetyEvent[]
  /** Only the types reported in the last 365 days appear. */
  last_365_days_by_type: Partial<Record<SafetyEventType, number>>
}

export interface SafetyEventFilters {
  state?: SafetyState
  type?: SafetyEventType
  severity_class?: SeverityClass
  overdue?: 1
  exam_id?: Id
  from?: CalendarDate
  to?: CalendarDate
}
