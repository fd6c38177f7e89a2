// Reference lists loaded once and shared (catalogue items, rooms), like useSites.
import { computed, ref, type Ref } from 'vue'
import { catalogueApi } from '@/api/examEndpoints'
import { roomsApi } from '@/api/endpoints'
import type { CatalogueItem, Id, Room } from '@/api/types'
import { can } from '@/stores/session'

function sharedList<T extends { id: Id }>(fetch: () => Promise<T[]>, allowed: () => boolean) {
  const rows = ref([]) as Ref<T[]>
  const loaded = ref(false)
  let pending: Promise<void> | null = null
  function reload(): Promise<void> {
    if (!allowed()) {
      loaded.value = true
      return Promise.resolve()
    }
    pending = fetch()
      .then((list) => {
        rows.value = list
        loaded.value = true
      })
      .finally(() => {
        pending = null
      })
    return pending
  }
  function use() {
    if (!loaded.value && !pending) reload().catch(() => undefined)
    const byId = computed(() => new Map(rows.value.map((r) => [String(r.id), r])))
    const find = (id: Id | null | undefined): T | undefined =>
      id === null || id === undefined ? undefined : byId.value.get(String(id))
    return { rows, loaded, reload, find }
  }
  function reset(): void {
    rows.value = []
    loaded.value = false
  }
  return { use, reset }
}

// Inactive items too, so that old exams still show their item's name.
const catalogue = sharedList<CatalogueItem>(() => catalogueApi.all(true), () => true)
const rooms = sharedList<Room>(() => roomsApi.all(), () => can('org.read'))

export function useCatalogue() {
  const { rows, loaded, reload, find } = catalogue.use()
  const active = computed(() => rows.value.filter((i) => i.active))
  const itemName = (id: Id | null | undefined) => find(id)?.name ?? (id == null ? '' : `#${id}`)
  return { items: rows, active, loaded, reload, find, itemName }
}

export function useRooms() {
  const { rows, loaded, reload, find } = rooms.use()
  const active = computed(() => rows.value.filter((r) => r.active))
  const roomName = (id: Id | null | undefined) => find(id)?.name ?? (id == null ? '' : `#${id}`)
  return { rooms: rows, active, loaded, reload, find, roomName }
}

/** Forget the lists (sign-out). */
export function resetReference(): void {
  catalogue.reset()
  rooms.reset()
}
