// Sites as a shared, lazily loaded reference list (for selects and for showing site names).
import { computed, ref } from 'vue'
import { sitesApi } from '@/api/endpoints'
import type { Id, Site } from '@/api/types'
import { can } from '@/stores/session'

const sites = ref<Site[]>([])
const loaded = ref(false)
let pending: Promise<void> | null = null

async function reload(): Promise<void> {
  if (!can('org.read')) {
    loaded.value = true
    return
  }
  pending = sitesApi
    .all()
    .then((list) => {
      sites.value = list
      loaded.value = true
    })
    .finally(() => {
      pending = null
    })
  return pending
}

export function useSites() {
  if (!loaded.value && !pending) reload().catch(() => undefined)
  const byId = computed(() => new Map(sites.value.map((s) => [String(s.id), s])))
  const siteName = (id: Id | null | undefined): string => {
    if (id === null || id === undefined) return ''
    return byId.value.get(String(id))?.name ?? String(id)
  }
  return { sites, loaded, reload, siteName, readable: computed(() => can('org.read')) }
}

/** Forget the list (sign-out). */
export function resetSites(): void {
  sites.value = []
  loaded.value = false
}
