// Turning ApiError into words on screen: a toast for actions, and per-field messages for forms
// (server field errors from error.fields are always shown next to the matching form field).
// Every text comes from the UI's own messages (errors.codes, errors.rules by message key, with
// the server's params): the server's English `message` is shown in English only, and only for a
// key this UI has no text for — a Chinese screen never shows it (issue 14 item 1).
import { reactive, ref } from 'vue'
import { useI18n } from 'vue-i18n'
import { ElMessage } from 'element-plus'
import { isApiError } from '@/api/client'
import type { FieldError } from '@/api/types'

/** A network failure as fetch reports it ("Failed to fetch", "NetworkError …", "Load failed"). */
export function isNetworkError(e: unknown): boolean {
  return (isApiError(e) && e.code === 'network') || e instanceof TypeError
}

export function useErrorText() {
  const { t, te, locale } = useI18n()

  // Params as the text shows them: a gate key becomes the gate's words.
  function shownParams(fe: FieldError): Record<string, string | number> {
    const out: Record<string, string | number> = { ...(fe.params ?? {}) }
    if (typeof out.gate === 'string' && te(`screening.gates.${out.gate}`)) out.gate = t(`screening.gates.${out.gate}`)
    return out
  }

  function ruleText(fe: FieldError): string {
    const key = fe.key || fe.rule
    const params = shownParams(fe)
    if (Object.keys(fe.params ?? {}).length && te(`errors.detail.${key}`)) return t(`errors.detail.${key}`, params)
    for (const k of [key, fe.rule]) if (te(`errors.rules.${k}`)) return t(`errors.rules.${k}`, params)
    return locale.value === 'en' && fe.message ? fe.message : t('errors.generic')
  }

  /** Field errors not shown beside a form field: the text, after the field path in English. */
  function looseText(fe: FieldError): string {
    const text = ruleText(fe)
    const specific = !!fe.key && fe.key !== fe.rule
    return locale.value === 'en' && fe.field && !specific ? `${fe.field}: ${text}` : text
  }

  function errorText(e: unknown, withDetails = true): string {
    if (isNetworkError(e)) return t('errors.network')
    if (!isApiError(e)) return e instanceof Error && locale.value === 'en' ? e.message : t('errors.generic')
    const path = `errors.codes.${e.code}`
    const head = te(path) ? t(path) : t('errors.generic')
    if (!withDetails) return head
    const details = e.fields.slice(0, 3).map(looseText)
    if (!details.length && locale.value === 'en' && e.message && e.message !== e.code) details.push(e.message)
    const shown = details.filter((d) => d !== head)
    return shown.length ? `${head}：${shown.join('；')}` : head
  }

  function toast(e: unknown): void {
    ElMessage({ type: 'error', message: errorText(e), duration: 5000, showClose: true })
  }

  return { ruleText, looseText, errorText, toast }
}

/**
 * Form error state. `apply(e)` spreads error.fields over the form's fields (matching
 * "field", "field[0]" and "field.sub" to "field"); the rest goes to `general`. Each message
 * is also kept under its exact path ("documents[0].number") for inputs inside a list (`at`).
 */
export function useFormErrors(fieldNames: readonly string[]) {
  const { ruleText, looseText, errorText } = useErrorText()
  const fields = reactive<Record<string, string>>({})
  const paths = reactive<Record<string, string>>({})
  const general = ref<string[]>([])

  function clear(): void {
    for (const k of Object.keys(fields)) delete fields[k]
    for (const k of Object.keys(paths)) delete paths[k]
    general.value = []
  }

  function apply(e: unknown): void {
    clear()
    const list = isApiError(e) ? e.fields : []
    const rest: string[] = []
    for (const fe of list) {
      const base = fe.field.split(/[.[]/)[0]
      const text = ruleText(fe)
      paths[fe.field] = paths[fe.field] ? `${paths[fe.field]}；${text}` : text
      if (fieldNames.includes(base)) fields[base] = fields[base] ? `${fields[base]}；${text}` : text
      else rest.push(looseText(fe))
    }
    // The fields are listed below (or beside their inputs): the head names the code only.
    general.value = [list.length ? errorText(e, false) : errorText(e), ...rest]
  }

  const of = (name: string): string => fields[name] ?? ''
  /** The messages of exactly this path, e.g. "documents[0].number". */
  const at = (path: string): string => paths[path] ?? ''

  return { fields, paths, general, clear, apply, of, at }
}
