// Opening a printable document (views/PrintView.vue) in its own tab, the print dialog up once it
// has loaded.
import { useRouter } from 'vue-router'
import type { Id } from '@/api/types'

export type PrintDoc = 'appointment' | 'request' | 'consent' | 'safety-event'

export function usePrint() {
  const router = useRouter()
  return (doc: PrintDoc, id: Id, query: Record<string, string> = {}): void => {
    const href = router.resolve({ name: 'print', params: { doc, id: String(id) }, query: { ...query, print: '1' } }).href
    window.open(href, '_blank')
  }
}
