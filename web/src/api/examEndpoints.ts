// One function per exam-workflow route (GET /api/openapi.json lists them with x-permission).
import { fetchAll, http, type Query } from './client'
import type { CalendarDate, Id, Page } from './types'
import type {
  AcquisitionRecord,
  AcquisitionRow,
  ApprovalGate,
  Booking,
  CatalogueInput,
  CatalogueItem,
  ClosureInput,
  Exam,
  ExamDetail,
  ExamFilters,
  OrderInput,
  Patient,
  PatientInput,
  PendingApproval,
  RecordVersion,
  RejectEntry,
  RejectInput,
  RoomQueue,
  Screening,
  ScreeningInput,
  ScreeningFinding,
  ScreeningOverride,
  ScreeningRecord,
  Slot,
  SlotTemplate,
  TransitionInput,
} from './examTypes'

const enc = (id: Id | string) => encodeURIComponent(String(id))

export const patientsApi = {
  /** Without q the newest registrations; their first page counts them. */
  search: (q: string, cursor: string | null, limit = 30) =>
    http.get<Page<Patient>>('/patients', { q: q || undefined, cursor, limit, total: !q && !cursor ? 'true' : undefined }),
  /** The read is audited on the server. */
  get: (id: Id) => http.get<Patient>(`/patients/${enc(id)}`),
  register: (body: PatientInput) => http.post<Patient>('/patients', body),
  correct: (id: Id, body: Partial<PatientInput> & { version: number; reason: string }) =>
    http.patch<Patient>(`/patients/${enc(id)}`, body),
  merge: (id: Id, body: { into_patient_id: Id; reason: string }) =>
    http.post<{ merged: Id; into: Id; exams_moved: number }>(`/patients/${enc(id)}/merge`, body),
  /** 姓名拼音 from the server's character table, surname readings (多音字) included. */
  pinyin: (name: string) => http.get<{ text: string; key: string; initials: string }>('/pinyin', { name }),
}

export const catalogueApi = {
  all: (includeInactive = false) =>
    fetchAll<CatalogueItem>('/catalogue', includeInactive ? { active: 'all' } : {}),
  create: (body: CatalogueInput) => http.post<CatalogueItem>('/catalogue', body),
  update: (id: Id, body: Partial<CatalogueInput> & { version: number }) =>
    http.patch<CatalogueItem>(`/catalogue/${enc(id)}`, body),
}

export const ordersApi = {
  create: (body: OrderInput) => http.post<Exam & { order: Record<string, unknown> }>('/orders', body),
}

export const examsApi = {
  /** The first page counts the exams the filters select. */
  list: (filters: ExamFilters, cursor: string | null, limit = 50) =>
    http.get<Page<Exam>>('/exams', { ...(filters as Query), cursor, limit, total: cursor ? undefined : 'true' }),
  /** The read is audited on the server. */
  get: (id: Id) => http.get<ExamDetail>(`/exams/${enc(id)}`),
  transition: (id: Id, body: TransitionInput) => http.post<Exam>(`/exams/${enc(id)}/transitions`, body),
  /** overlap_confirmed: book although the patient has another booking close by (409 patient_overlap). */
  book: (id: Id, body: { room_id: Id; slot_start: string; version: number; overlap_confirmed?: boolean }) =>
    http.post<Booking>(`/exams/${enc(id)}/booking`, body),
  /**
   * The exam with this accession number. The search has no accession filter, so the day the
   * number carries (RQ + YYYYMMDD + sequence, the order's local date) is searched page by page.
   */
  async byAccession(accession: string): Promise<Exam | null> {
    const acc = accession.trim().toUpperCase()
    const m = /^RQ(\d{4})(\d{2})(\d{2})\d+$/.exec(acc)
    if (!m) return null
    const day = `${m[1]}-${m[2]}-${m[3]}`
    let cursor: string | null = null
    for (let i = 0; i < 20; i++) {
      const page: Page<Exam> = await examsApi.list({ from: day, to: day }, cursor, 500)
      const hit = page.items.find((e) => e.accession_no === acc)
      if (hit) return hit
      cursor = page.next_cursor
      if (!cursor) break
    }
    return null
  },
}

export const scheduleApi = {
  slots: (roomId: Id, from: string, to: string) =>
    http.get<{ room_id: Id; items: Slot[] }>(`/rooms/${enc(roomId)}/slots`, { from, to }),
  templates: (roomId: Id) => http.get<{ room_id: Id; items: SlotTemplate[] }>(`/rooms/${enc(roomId)}/slot-templates`),
  saveTemplates: (roomId: Id, items: SlotTemplate[]) =>
    http.put<{ room_id: Id; items: SlotTemplate[] }>(`/rooms/${enc(roomId)}/slot-templates`, { items }),
  addClosure: (body: ClosureInput) => http.post<ClosureInput & { id: Id }>('/closures', body),
  queue: (roomId: Id) => http.get<RoomQueue>(`/rooms/${enc(roomId)}/queue`),
}

export const screeningApi = {
  get: (examId: Id) => http.get<Screening>(`/exams/${enc(examId)}/screening`),
  save: (examId: Id, body: ScreeningInput) => http.put<Screening>(`/exams/${enc(examId)}/screening`, body),
  approve: (examId: Id, body: { gate: ApprovalGate; reason: string }) =>
    http.post<Screening>(`/exams/${enc(examId)}/screening/approvals`, body),
  overrides: (cursor: string | null, limit = 50) =>
    http.get<Page<ScreeningOverride>>('/screening/overrides', { cursor, limit }),
  findings: (cursor: string | null, limit = 50) =>
    http.get<Page<ScreeningFinding>>('/screening/findings', { cursor, limit }),
  versions: (examId: Id) =>
    http.get<{ exam_id: Id; items: RecordVersion<ScreeningRecord>[] }>(`/exams/${enc(examId)}/screening/versions`),
  pending: () => http.get<{ items: PendingApproval[]; trainee: boolean }>('/screening/pending-approvals'),
}

export const acquisitionApi = {
  get: (examId: Id) => http.get<AcquisitionRow>(`/exams/${enc(examId)}/acquisition`),
  save: (examId: Id, body: AcquisitionRecord & { version: number; reason?: string }) =>
    http.put<AcquisitionRow>(`/exams/${enc(examId)}/acquisition`, body),
  versions: (examId: Id) =>
    http.get<{ exam_id: Id; items: RecordVersion<AcquisitionRecord>[] }>(`/exams/${enc(examId)}/acquisition/versions`),
}

export interface RejectFilters {
  from?: string
  to?: string
  reason?: string
  exam_id?: Id
}

export const rejectsApi = {
  add: (examId: Id, body: RejectInput) => http.post<RejectEntry>(`/exams/${enc(examId)}/rejects`, body),
  list: (filters: RejectFilters, cursor: string | null, limit = 50) =>
    http.get<Page<RejectEntry>>('/rejects', { ...(filters as Query), cursor, limit }),
}

/** One room's day on the home page (GET /api/v1/today/rooms). */
export interface TodayRoom {
  room_id: Id
  room_name: string
  site_id: Id
  modality: string
  location: string
  open_24h: boolean
  expected: number
  waiting: number
  in_progress: number
  acquired: number
  devices: { device_id: string; exams: number }[]
}

export const todayApi = {
  rooms: () => http.get<{ day: CalendarDate; items: TodayRoom[] }>('/today/rooms'),
}
