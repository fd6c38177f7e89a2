// One function per route of docs/api.md that the UI uses.
import { fetchAll, http, type Query } from './client'
import type {
  ApiToken,
  ApiTokenCreate,
  ApiTokenCreated,
  AuditActionLabel,
  AuditEntry,
  AuditFilters,
  AuditStatus,
  AuditVerifyResult,
  Certificate,
  CertificateInput,
  HomeResponse,
  Job,
  Id,
  Licence,
  LicenceInput,
  LoginRequest,
  LoginResponse,
  MeResponse,
  Page,
  PasswordChange,
  Room,
  RoomInput,
  Setting,
  SettingVersion,
  Site,
  SiteInput,
  Staff,
  StaffFilters,
  StaffInput,
  TitleChange,
  User,
  UserCreate,
  UserPatch,
} from './types'

const enc = (id: Id | string) => encodeURIComponent(String(id))
type Versioned<T> = Partial<T> & { version: number }

export const authApi = {
  login: (body: LoginRequest) => http.post<LoginResponse>('/auth/login', body, { noAuthRedirect: true }),
  logout: () => http.post<void>('/auth/logout', undefined, { noAuthRedirect: true }),
  me: (noAuthRedirect = false) => http.get<MeResponse>('/auth/me', undefined, { noAuthRedirect }),
  // A wrong current password may answer 401; the dialog checks the session itself.
  changePassword: (body: PasswordChange) =>
    http.post<void>('/auth/password', body, { noAuthRedirect: true }),
}

export const homeApi = {
  get: () => http.get<HomeResponse>('/home'),
}

export const sitesApi = {
  all: () => fetchAll<Site>('/sites'),
  get: (id: Id) => http.get<Site>(`/sites/${enc(id)}`),
  create: (body: SiteInput) => http.post<Site>('/sites', body),
  update: (id: Id, body: Versioned<SiteInput>) => http.patch<Site>(`/sites/${enc(id)}`, body),
  licences: (siteId: Id) => fetchAll<Licence>(`/sites/${enc(siteId)}/licences`),
  createLicence: (siteId: Id, body: LicenceInput) =>
    http.post<Licence>(`/sites/${enc(siteId)}/licences`, body),
  updateLicence: (id: Id, body: Versioned<LicenceInput>) =>
    http.patch<Licence>(`/licences/${enc(id)}`, body),
}

export const roomsApi = {
  all: (filters: { site_id?: Id; modality?: string; active?: boolean } = {}) =>
    fetchAll<Room>('/rooms', filters as Query),
  create: (body: RoomInput) => http.post<Room>('/rooms', body),
  update: (id: Id, body: Versioned<RoomInput>) => http.patch<Room>(`/rooms/${enc(id)}`, body),
}

export interface Department {
  id: Id
  site_id: Id
  code: string
  name: string
  emergency: boolean
  his_code: string
  active: boolean
  version: number
}
export type DepartmentInput = Pick<Department, 'site_id' | 'code' | 'name' | 'emergency' | 'his_code' | 'active'>

// 申请科室 (ordering departments) of the sites.
export const departmentsApi = {
  all: (filters: { site_id?: Id; active?: boolean } = {}) =>
    fetchAll<Department>('/departments', filters as Query),
  create: (body: DepartmentInput) => http.post<Department>('/departments', body),
  update: (id: Id, body: Versioned<DepartmentInput>) =>
    http.patch<Department>(`/departments/${enc(id)}`, body),
}

export const staffApi = {
  list: (filters: StaffFilters, cursor: string | null, limit = 50) =>
    http.get<Page<Staff>>('/staff', { ...(filters as Query), cursor, limit }),
  get: (id: Id) => http.get<Staff>(`/staff/${enc(id)}`),
  create: (body: StaffInput) => http.post<Staff>('/staff', body),
  update: (id: Id, body: Versioned<StaffInput>) => http.patch<Staff>(`/staff/${enc(id)}`, body),
  changeTitle: (id: Id, body: TitleChange) => http.post<Staff>(`/staff/${enc(id)}/titles`, body),
  certificates: (id: Id) => fetchAll<Certificate>(`/staff/${enc(id)}/certificates`),
  createCertificate: (id: Id, body: CertificateInput) =>
    http.post<Certificate>(`/staff/${enc(id)}/certificates`, body),
  updateCertificate: (id: Id, body: Versioned<CertificateInput>) =>
    http.patch<Certificate>(`/certificates/${enc(id)}`, body),
}

export const usersApi = {
  all: () => fetchAll<User>('/users'),
  get: (id: Id) => http.get<User>(`/users/${enc(id)}`),
  create: (body: UserCreate) => http.post<User>('/users', body),
  update: (id: Id, body: UserPatch) => http.patch<User>(`/users/${enc(id)}`, body),
  lock: (id: Id) => http.post<User | void>(`/users/${enc(id)}/lock`, {}),
  unlock: (id: Id) => http.post<User | void>(`/users/${enc(id)}/unlock`, {}),
  resetPassword: (id: Id, new_password: string) =>
    http.post<void>(`/users/${enc(id)}/password`, { new_password }),
}

export const tokensApi = {
  all: () => fetchAll<ApiToken>('/api-tokens'),
  create: (body: ApiTokenCreate) => http.post<ApiTokenCreated>('/api-tokens', body),
  revoke: (id: Id) => http.post<ApiToken | void>(`/api-tokens/${enc(id)}/revoke`, {}),
}

export const jobsApi = {
  /** The newest 200 in a state (or every state). */
  recent: (state?: string) => http.get<Page<Job>>('/jobs', { limit: 200, ...(state ? { state } : {}) }),
  retry: (id: Id) => http.post<{ id: Id; state: string }>(`/jobs/${enc(id)}/retry`, {}),
}

export const settingsApi = {
  all: () => fetchAll<Setting>('/settings'),
  get: (key: string) => http.get<Setting>(`/settings/${enc(key)}`),
  addVersion: (key: string, body: SettingVersion) =>
    http.post<Setting>(`/settings/${enc(key)}/versions`, body),
}

export const auditApi = {
  list: (filters: AuditFilters, cursor: string | null, limit = 50) =>
    http.get<Page<AuditEntry>>('/audit', { ...(filters as Query), cursor, limit }),
  verify: () => http.get<AuditVerifyResult>('/audit/verify'),
  status: () => http.get<AuditStatus>('/audit/status'),
  actions: () => http.get<{ items: AuditActionLabel[] }>('/audit/actions'),
}
