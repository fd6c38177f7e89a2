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
