// Loading the rows of a table: a flag for v-loading, and a toast (not a thrown error) when the
// request fails, leaving the rows shown before.
import { ref, type Ref } from 'vue'
import type { Page } from '@/api/types'
import { useErrorText } from './useErrors'

/**
 * A whole list. `fetch` returns null when there is nothing to load yet (no record chosen);
 * `loaded` runs after new rows are in place.
 */
export function useListLoader<T>(fetch: () => Promise<T[]> | null, loaded?: (rows: T[]) => void) {
  const { toast } = useErrorText()
  const rows = ref([]) as Ref<T[]>
  const loading = ref(false)

  async function load(): Promise<void> {
    const request = fetch()
    if (!request) return
    loading.value = true
    try {
      rows.value = await request
      loaded?.(rows.value)
    } catch (e) {
      toast(e)
    } finally {
      loading.value = false
    }
  }

  return { rows, loading, load }
}

/** A list read page by page: `load()` starts again from the first page, `load(true)` appends the next. */
export function usePagedList<T>(fetchPage: (cursor: string | null) => Promise<Page<T>>) {
  const { toast } = useErrorText()
  const rows = ref([]) as Ref<T[]>
  const cursor = ref<string | null>(null)
  const loading = ref(false)
  // The list's size where the server counts it (first page), with whether it was capped.
  const total = ref<{ n: number; capped: boolean } | null>(null)

  async function load(more = false): Promise<void> {
    loading.value = true
    try {
      const page = await fetchPage(more ? cursor.value : null)
      rows.value = more ? [...rows.value, ...page.items] : page.items
      cursor.value = page.next_cursor
      if (!more) total.value = page.total == null ? null : { n: page.total, capped: !!page.total_capped }
    } catch (e) {
      toast(e)
    } finally {
      loading.value = false
    }
  }

  return { rows, cursor, loading, load, total }
}
