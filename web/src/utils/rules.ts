// Form rules shared by more than one dialog.
import type { FormItemRule } from 'element-plus'

/** An optional date (YYYY-MM-DD) that must not come before `start()` — an expiry vs its issue. */
export function notBefore(start: () => string | null, message: string): FormItemRule {
  return {
    validator: (_r, v: string | null, cb) => {
      const from = start()
      return v && from && v < from ? cb(new Error(message)) : cb()
    },
    trigger: 'change',
  }
}
