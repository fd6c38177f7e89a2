// PATCH bodies carry only the fields that changed (docs/api.md: "the fields to change plus
// version").
export function changedFields<T extends object>(
  original: T,
  current: Partial<T>,
  keys: readonly (keyof T)[],
): Partial<T> {
  const out: Partial<T> = {}
  for (const k of keys) {
    const a = original[k]
    const b = current[k]
    if (b === undefined) continue
    if (JSON.stringify(a ?? null) !== JSON.stringify(b ?? null)) out[k] = b
  }
  return out
}

/** '' → null for optional dates and references coming out of form controls. */
export function emptyToNull<T>(v: T | '' | undefined): T | null {
  return v === '' || v === undefined ? null : v
}
