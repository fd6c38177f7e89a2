// Reload a screen when a server event concerns it, and poll instead while the stream is down.
import { onBeforeUnmount, onMounted, watch } from 'vue'
import { onServerEvent, streamState } from '@/api/events'

export function useLiveRefresh<T>(
  name: string,
  /** Whether the event's data concerns what the screen shows. */
  matches: (data: T) => boolean,
  reload: () => void,
  pollMs = 30000,
) {
  let poll: ReturnType<typeof setInterval> | null = null
  let off: (() => void) | null = null

  function setPolling(on: boolean): void {
    if (on && !poll) poll = setInterval(reload, pollMs)
    if (!on && poll) {
      clearInterval(poll)
      poll = null
    }
  }

  // Events missed while the stream was down: reload once it is back.
  const stop = watch(streamState, (s, before) => {
    setPolling(s !== 'open')
    if (s === 'open' && before && before !== 'open') reload()
  })

  onMounted(() => {
    off = onServerEvent(name, (data) => {
      if (matches(data as T)) reload()
    })
    setPolling(streamState.value !== 'open')
  })
  onBeforeUnmount(() => {
    off?.()
    stop()
    setPolling(false)
  })

  return { streamState }
}
