// Display helpers. Server times are UTC ISO-8601; they are shown in the browser's local time
// (in China: Asia/Shanghai) as YYYY-MM-DD HH:mm. Calendar dates are shown as sent.

const pad = (n: number) => String(n).padStart(2, '0')

export function fmtTime(iso: string | null | undefined): string {
  if (!iso) return ''
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return String(iso)
  return (
    `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ` +
    `${pad(d.getHours())}:${pad(d.getMinutes())}`
  )
}

/** A calendar date, or a timestamp shown as local time. */
export function fmtDateOrTime(v: string | null | undefined): string {
  if (!v) return ''
  return /^\d{4}-\d{2}-\d{2}$/.test(v) ? v : fmtTime(v)
}

/** Today's local calendar date, YYYY-MM-DD. */
export function todayLocal(): string {
  const d = new Date()
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`
}


/** A Date (from a date-time picker) as a UTC ISO-8601 string without milliseconds. */
export function toUtcIso(d: Date | string | number): string {
  return new Date(d).toISOString().replace(/\.\d{3}Z$/, 'Z')
}

/** A setting value for display: strings plain, everything else as compact JSON. */
export function fmtValue(v: unknown): string {
  if (v === null || v === undefined) return ''
  if (typeof v === 'string') return v
  return JSON.stringify(v)
}

/** YYYY-MM-DD of a Date in local time. */
export function ymd(d: Date): string {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`
}

/** A calendar date moved by `days` (local calendar). */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number)
  return ymd(new Date(y, m - 1, d + days))
}

/** ISO weekday (1 = Monday .. 7 = Sunday) of a calendar date. */
export function isoWeekday(date: string): number {
  const [y, m, d] = date.split('-').map(Number)
  return ((new Date(y, m - 1, d).getDay() + 6) % 7) + 1
}

/** The local calendar date and HH:mm of a timestamp. */
export function localDay(iso: string): string {
  return ymd(new Date(iso))
}
export function localHm(iso: string | null | undefined): string {
  if (!iso) return ''
  const d = new Date(iso)
  return `${pad(d.getHours())}:${pad(d.getMinutes())}`
}

/** Minutes after midnight as HH:mm, and back. */
export function hhmm(minutes: number): string {
  return `${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`
}
export function minutesOf(text: string): number {
  const [h, m] = text.split(':').map(Number)
  return (h || 0) * 60 + (m || 0)
}

/** Age in completed years on today's date, or the estimated age. */
export function ageOf(birth: string | null | undefined, estimated?: number | null): number | null {
  if (!birth) return estimated ?? null
  const [y, m, d] = birth.split('-').map(Number)
  const now = new Date()
  let age = now.getFullYear() - y
  if (now.getMonth() + 1 < m || (now.getMonth() + 1 === m && now.getDate() < d)) age--
  return age
}

/** Minutes (possibly fractional) rounded for display; '' when absent. */
export function fmtMinutes(v: number | null | undefined): string {
  return v === null || v === undefined ? '' : String(Math.round(v))
}

// The masks of list answers, as the server writes them (exam/identity.h MaskIdNumber, MaskPhone),
// for a record shown back in a list after its drawer read it whole.
function keepEnds(s: string, head: number, tail: number): string {
  const cps = [...s]
  return cps.map((c, i) => (i < head || i + tail >= cps.length ? c : '*')).join('')
}
export function maskId(n: string): string {
  const length = [...n].length
  return length <= 8 ? '*'.repeat(length) : keepEnds(n, 0, 4)
}
export function maskPhone(p: string): string {
  const length = [...p].length
  if (length >= 11) return keepEnds(p, 3, 4)
  return length >= 8 ? keepEnds(p, 0, 4) : '*'.repeat(length)
}
