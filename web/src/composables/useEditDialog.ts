// What every form dialog does: reset when it opens, save only once the form's own rules pass,
// and show a failed save on the form (server field errors next to their FormField, the rest in
// FormDialog's box). useEditDialog adds creating or PATCHing one versioned record.
import { provide, reactive, ref, watch, type InjectionKey, type Ref } from 'vue'
import { useI18n } from 'vue-i18n'
import { ElMessage, type FormInstance } from 'element-plus'
import type { Id } from '@/api/types'
import { changedFields } from '@/utils/diff'
import { useFormErrors } from './useErrors'

export type FormErrorState = ReturnType<typeof useFormErrors>

/** How FormField finds the errors of the dialog it sits in. */
export const FORM_ERRORS: InjectionKey<FormErrorState> = Symbol('form errors')

export interface FormDialogOptions {
  visible: Ref<boolean>
  /** The dialog's el-form (ref="formRef"). */
  formRef: Ref<FormInstance | undefined>
  /** Form items that show server errors of the same name. */
  fields: readonly string[]
  /** Refills the form each time the dialog opens. */
  reset: () => void
}

export function useFormDialog({ visible, formRef, fields, reset }: FormDialogOptions) {
  const errs = useFormErrors(fields)
  const saving = ref(false)
  provide(FORM_ERRORS, errs)

  // The previous opening's values and messages must not show again.
  watch(visible, (v) => {
    if (!v) return
    reset()
    errs.clear()
    formRef.value?.clearValidate()
  })

  /**
   * Runs `save` if the form is valid. Its failure is shown on the form instead of thrown;
   * `onError` then runs for what the form cannot show (e.g. a lost session).
   */
  async function submit(save: () => Promise<void>, onError?: (e: unknown) => Promise<void>): Promise<void> {
    if (!(await formRef.value?.validate().catch(() => false))) return
    errs.clear()
    saving.value = true
    try {
      await save()
    } catch (e) {
      errs.apply(e)
      await onError?.(e)
    } finally {
      saving.value = false
    }
  }

  return { errs, saving, submit }
}

interface Versioned {
  id: Id
  version: number
}

export interface EditDialogOptions<R extends Versioned, F extends object, V extends object, S>
  extends Omit<FormDialogOptions, 'reset'> {
  /** The record being edited, or null to create one. */
  record: () => R | null
  /** The form of a new record. */
  blank: () => F
  /** A record as form values; PATCH compares the form against this too. */
  fromRecord: (record: R) => V
  /** The fields PATCH may send; only those that changed are sent (docs/api.md). */
  patchable: readonly (keyof V)[]
  /** The form as it is to be sent (trimmed, '' → null). */
  values: (form: F) => V
  create: (values: V) => Promise<S>
  update: (id: Id, patch: Partial<V> & { version: number }) => Promise<S>
  /** After a successful save; the dialog has already closed. */
  saved: (result: S) => void
}

/** A dialog that creates a record, or edits one with a PATCH of the changed fields plus version. */
export function useEditDialog<R extends Versioned, F extends object, V extends object, S>(
  o: EditDialogOptions<R, F, V, S>,
) {
  const { t } = useI18n()
  // F holds plain values only, so reactive() changes nothing about its type.
  const form = reactive(o.blank()) as F
  const { errs, saving, submit: submitForm } = useFormDialog({
    ...o,
    reset: () => {
      const record = o.record()
      Object.assign(form, o.blank(), record ? o.fromRecord(record) : {})
    },
  })

  function submit(): Promise<void> {
    return submitForm(async () => {
      const values = o.values(form)
      const record = o.record()
      let result: S
      if (record) {
        const diff = changedFields(o.fromRecord(record), values, o.patchable)
        // Nothing changed: close rather than send a PATCH that carries only the version.
        if (!Object.keys(diff).length) {
          o.visible.value = false
          return
        }
        result = await o.update(record.id, { ...diff, version: record.version })
      } else {
        result = await o.create(values)
      }
      ElMessage.success(t('common.saved'))
      o.visible.value = false
      o.saved(result)
    })
  }

  return { form, errs, saving, submit }
}
