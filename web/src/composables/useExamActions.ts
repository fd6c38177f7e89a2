// Moving an exam on (签到, 开始检查, 检查完成, 取消, 未到检) with the server's refusals turned into
// what the user must do next: open screening gates → the screening tab; a missing acquisition
// record → the acquisition tab.
import { ref } from 'vue'
import { useI18n } from 'vue-i18n'
import { ElMessage } from 'element-plus'
import { isApiError } from '@/api/client'
import { examsApi } from '@/api/examEndpoints'
import type { Exam, Id, TransitionInput, TransitionTo } from '@/api/types'
import { useErrorText } from './useErrors'
import { useLabels } from './useLabels'

export type Blocked = 'screening' | 'acquisition'
export interface TransitionResult {
  exam?: Exam
  /** The refusal names open screening gates or the missing acquisition record. */
  blocked?: Blocked
  /** The gate keys of a refused start. */
  gates?: string[]
  /** A start passing over a longer-waiting emergency: the accession number of the one passed over. */
  reasonNeeded?: string
}

export function useExamActions() {
  const { t } = useI18n()
  const L = useLabels()
  const { errorText } = useErrorText()
  const busy = ref<string | null>(null)

  async function move(
    exam: { id: Id; version: number },
    to: TransitionTo,
    extra: Omit<TransitionInput, 'to' | 'version'> = {},
  ): Promise<TransitionResult> {
    busy.value = `${exam.id}:${to}`
    try {
      const after = await examsApi.transition(exam.id, { to, version: exam.version, ...extra })
      ElMessage.success(t('exam.done', { state: L.examState(after.state) }))
      return { exam: after }
    } catch (e) {
      if (isApiError(e) && e.status === 409) {
        const gates = e.fields.filter((f) => f.field.startsWith('screening.')).map((f) => f.field.slice(10))
        if (gates.length) {
          ElMessage({ type: 'warning', message: t('exam.gatesOpen'), duration: 5000, showClose: true })
          return { blocked: 'screening', gates }
        }
        const jump = e.fields.find((f) => f.field === 'reason' && f.rule === 'queue_jump')
        if (jump) return { reasonNeeded: String(jump.params?.accession_no ?? '') }
        if (e.fields.some((f) => f.field === 'acquisition')) {
          ElMessage({ type: 'warning', message: t('exam.acquisitionMissing'), duration: 5000, showClose: true })
          return { blocked: 'acquisition' }
        }
      }
      ElMessage({ type: 'error', message: errorText(e), duration: 6000, showClose: true })
      return {}
    } finally {
      busy.value = null
    }
  }

  const isBusy = (id: Id, to: TransitionTo) => busy.value === `${id}:${to}`
  return { move, busy, isBusy }
}
