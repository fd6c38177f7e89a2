// Turning ApiError into words on screen: a toast for actions, and per-field messages for forms
// (server field errors from error.fields are always shown next to the matching form field).
import { reactive, ref } from 'vue'
import { useI18n } from 'vue-i18n'
import { ElMessage } from 'element-plus'
import { isApiError } from '@/api/client'
import type { FieldError } from '@/api/types'

/** Rules whose server message carries the limit (e.g. "must be >= 0"), shown with the label. */
const RULES_WITH_DETAIL = new Set([
  'min', 'max', 'max_length', 'weak_password', 'format', 'check_digit', 'gate_open', 'transition', 'closed',
  'modality', 'device', 'independent_center', 'id_mismatch',
])

export function useErrorText() {
  const { t, te, locale } = useI18n()

  function ruleText(fe: FieldError): string {
    const path = `errors.rules.${fe.rule}`
    if (!te(path)) return fe.message || fe.rule
    if (locale.value === 'en') return fe.message || t(path)
    return RULES_WITH_DETAIL.has(fe.rule) && fe.message ? `${t(path)}（${fe.message}）` : t(path)
  }

  function errorText(e: unknown, withServerMessage = true): string {
    if (!isApiError(e)) return e instanceof Error ? e.message : String(e)
    const path = `errors.codes.${e.code}`
    const head = te(path) ? t(path) : t('errors.generic')
    // Show the server's own message too unless it only repeats the code.
    const msg = withServerMessage && e.message && e.message !== e.code && e.message !== head ? e.message : ''
    return msg ? `${head}：${msg}` : head
  }

  function toast(e: unknown): void {
    ElMessage({ type: 'error', message: errorText(e), duration: 5000, showClose: true })
  }

  return { ruleText, errorText, toast }
}

/**
 * Form error state. `apply(e)` spreads error.fields over the form's fields (matching
 * "field", "field[0]" and "field.sub" to "field"); the rest goes to `general`. Each message
 * is also kept under its exact path ("documents[0].number") for inputs inside a list (`at`).
 */
export function useFormErrors(fieldNames: readonly string[]) {
  const { ruleText, errorText } = useErrorText()
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
      else rest.push(fe.field ? `${fe.field}: ${text}` : text)
    }
    const head = list.length && isApiError(e) && e.code === 'validation_failed' ? errorText(e, false) : errorText(e)
    general.value = [head, ...rest]
  }

  const of = (name: string): string => fields[name] ?? ''
  /** The messages of exactly this path, e.g. "documents[0].number". */
  const at = (path: string): string => paths[path] ?? ''

  return { fields, paths, general, clear, apply, of, at }
}
