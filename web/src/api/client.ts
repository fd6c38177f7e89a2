// The one fetch wrapper every screen uses. Relative URLs (same origin as the server that serves
// this app), session cookie, JSON bodies, X-CSRF-Token on writes, typed errors.
import type { ErrorBody, FieldError, Page } from './types'

export const API_BASE = '/api/v1'

export class ApiError extends Error {
  readonly status: number
  readonly code: string
  readonly fields: FieldError[]
  readonly requestId: string | null
  /** Extra data some errors carry (e.g. locked_until on 423). */
  readonly extra: Record<string, unknown>

  constructor(
    status: number,
    code: string,
    message: string,
    fields: FieldError[] = [],
    requestId: string | null = null,
    extra: Record<string, unknown> = {},
  ) {
    super(message)
    this.name = 'ApiError'
    this.status = status
    this.code = code
    this.fields = fields
    this.requestId = requestId
    this.extra = extra
  }
}

export function isApiError(e: unknown): e is ApiError {
  return e instanceof ApiError
}

const STATUS_CODES: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  413: 'payload_too_large',
  423: 'locked',
  429: 'too_many_requests',
  500: 'internal',
  503: 'unavailable',
}

let csrfToken: string | null = null
let unauthorizedHandler: (() => void) | null = null

export function setCsrfToken(token: string | null): void {
  csrfToken = token
}

/** Called on any 401 (except where the caller opts out, e.g. the sign-in call itself). */
export function setUnauthorizedHandler(fn: (() => void) | null): void {
  unauthorizedHandler = fn
}

export type QueryValue = string | number | boolean | null | undefined
export type Query = Record<string, QueryValue>

export interface RequestOptions {
  query?: Query
  body?: unknown
  /** Do not run the global 401 handler (sign-in form, first /auth/me). */
  noAuthRedirect?: boolean
  signal?: AbortSignal
}

export function buildUrl(path: string, query?: Query): string {
  let url = API_BASE + path
  if (query) {
    const params = new URLSearchParams()
    for (const [k, v] of Object.entries(query)) {
      if (v === undefined || v === null || v === '') continue
      params.append(k, String(v))
    }
    const qs = params.toString()
    if (qs) url += (url.includes('?') ? '&' : '?') + qs
  }
  return url
}

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

export async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' }
  const init: RequestInit = { method, headers, credentials: 'same-origin', signal: opts.signal }
  if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json'
    init.body = JSON.stringify(opts.body)
  }
  if (WRITE_METHODS.has(method) && csrfToken) headers['X-CSRF-Token'] = csrfToken

  let res: Response
  try {
    res = await fetch(buildUrl(path, opts.query), init)
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e
    throw new ApiError(0, 'network', e instanceof Error ? e.message : String(e))
  }

  const requestId = res.headers.get('X-Request-Id')
  const text = res.status === 204 ? '' : await res.text()
  let data: unknown = undefined
  if (text) {
    try {
      data = JSON.parse(text)
    } catch {
      data = text
    }
  }

  if (!res.ok) {
    const body = (data && typeof data === 'object' ? (data as Partial<ErrorBody>) : {}).error
    const { code, message, fields, ...extra } = body ?? {}
    const err = new ApiError(
      res.status,
      code || STATUS_CODES[res.status] || 'http_' + res.status,
      message || (typeof data === 'string' && data) || res.statusText || 'HTTP ' + res.status,
      Array.isArray(fields) ? fields : [],
      requestId,
      extra,
    )
    if (res.status === 401 && !opts.noAuthRedirect && unauthorizedHandler) unauthorizedHandler()
    throw err
  }
  return data as T
}

export const http = {
  get: <T>(path: string, query?: Query, opts: RequestOptions = {}) =>
    request<T>('GET', path, { ...opts, query }),
  post: <T>(path: string, body?: unknown, opts: RequestOptions = {}) =>
    request<T>('POST', path, { ...opts, body: body ?? {} }),
  patch: <T>(path: string, body: unknown, opts: RequestOptions = {}) =>
    request<T>('PATCH', path, { ...opts, body }),
  put: <T>(path: string, body: unknown, opts: RequestOptions = {}) =>
    request<T>('PUT', path, { ...opts, body }),
}

/** Follows next_cursor until the end (bounded) — for small reference lists (sites, rooms). */
export async function fetchAll<T>(path: string, query: Query = {}, maxPages = 20): Promise<T[]> {
  const out: T[] = []
  let cursor: string | null = null
  for (let i = 0; i < maxPages; i++) {
    const page: Page<T> | T[] = await http.get<Page<T> | T[]>(path, { ...query, limit: 500, cursor })
    // Tolerate a bare array for sub-resource lists (licences, certificates).
    if (Array.isArray(page)) return out.concat(page)
    out.push(...(page.items ?? []))
    cursor = page.next_cursor
    if (!cursor) break
  }
  return out
}
