// One function per safety-event route (docs/api.md "Safety events"). Every write after the
// report carries the event's version; a stale one answers 409 version_conflict.
import { http, type Query } from './client'
import type { Id, Page } from './types'
import type {
  SafetyEvent,
  SafetyEventDetail,
  SafetyEventFilters,
  SafetyReportInput,
  SafetyState,
  SafetySummary,
  SeverityClass,
} from './safetyTypes'

const enc = (id: Id | string) => encodeURIComponent(String(id))
const path = (id: Id, tail = '') => `/safety-events/${enc(id)}${tail}`

export const safetyApi = {
  list: (filters: SafetyEventFilters, cursor: string | null, limit = 50) =>
    http.get<Page<SafetyEvent>>('/safety-events', { ...(filters as Query), cursor, limit }),
  /** Open and overdue counts, the longest overdue events and the year by type. */
  summary: () => http.get<SafetySummary>('/safety-events/summary'),
  /** With its steps; the read is audited on the server. */
  get: (id: Id) => http.get<SafetyEventDetail>(path(id)),
  report: (body: SafetyReportInput) => http.post<SafetyEvent>('/safety-events', body),
  /** One step forward; closing needs the written report (and a complaint's feedback) and a note. */
  transition: (id: Id, body: { to: SafetyState; note: string; version: number }) =>
    http.post<SafetyEvent>(path(id, '/transitions'), body),
  classify: (id: Id, body: { severity_class: SeverityClass; reason: string; version: number }) =>
    http.post<SafetyEvent>(path(id, '/classification'), body),
  writtenReport: (id: Id, body: { text: string; version: number }) =>
    http.post<SafetyEvent>(path(id, '/written-report'), body),
  /** Complaints only. */
  feedback: (id: Id, body: { text: string; version: number }) => http.post<SafetyEvent>(path(id, '/feedback'), body),
}
