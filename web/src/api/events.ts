// Live updates: server-sent events from GET /api/v1/events (cookie auth). One EventSource per
// browser session: the tabs elect one owner over BroadcastChannel('radqs-events'); it holds the
// stream and relays each event to the other tabs. When the owner closes, another tab takes over.
// `streamState` tells screens whether the stream is up (else they poll).
import { ref } from 'vue'
import { API_BASE } from './client'

export type StreamState = 'idle' | 'connecting' | 'open' | 'failed'
type Listener = (data: unknown) => void
type Message =
  | { t: 'hb'; id: string; open: boolean }
  | { t: 'who' }
  | { t: 'claim'; id: string }
  | { t: 'bye'; id: string }
  | { t: 'ev'; name: string; data: unknown }

/** The named events the owner listens for (screening: the physicians' 待审批 list). */
const EVENT_NAMES = ['queue', 'screening']
const HEARTBEAT_MS = 2000
const LEADER_TIMEOUT_MS = 6500

export const streamState = ref<StreamState>('idle')

const listeners = new Map<string, Set<Listener>>()
const me = Math.random().toString(36).slice(2) + Date.now().toString(36)
let channel: BroadcastChannel | null = null
let source: EventSource | null = null
let leader = false
let running = false
let lastHeartbeat = 0
let timer: ReturnType<typeof setInterval> | null = null
let reconnectTimer: ReturnType<typeof setTimeout> | null = null
let retryMs = 2000

function dispatch(name: string, data: unknown): void {
  for (const fn of listeners.get(name) ?? []) {
    try {
      fn(data)
    } catch {
      /* one screen's failure does not stop the others */
    }
  }
}

function post(m: Message): void {
  try {
    channel?.postMessage(m)
  } catch {
    /* channel closed */
  }
}

function heartbeat(): void {
  post({ t: 'hb', id: me, open: streamState.value === 'open' })
}

function connect(): void {
  if (!leader || source) return
  streamState.value = 'connecting'
  const es = new EventSource(`${API_BASE}/events`)
  source = es
  es.onopen = () => {
    retryMs = 2000
    streamState.value = 'open'
    heartbeat()
  }
  es.onerror = () => {
    // CONNECTING: the browser retries by itself; CLOSED (HTTP error): retry later ourselves.
    streamState.value = es.readyState === EventSource.CLOSED ? 'failed' : 'connecting'
    heartbeat()
    if (es.readyState === EventSource.CLOSED) {
      es.close()
      source = null
      reconnectTimer = setTimeout(connect, retryMs)
      retryMs = Math.min(retryMs * 2, 60000)
    }
  }
  for (const name of EVENT_NAMES) {
    es.addEventListener(name, (e) => {
      let data: unknown = null
      try {
        data = JSON.parse((e as MessageEvent<string>).data)
      } catch {
        data = (e as MessageEvent<string>).data
      }
      dispatch(name, data)
      post({ t: 'ev', name, data })
    })
  }
}

function becomeLeader(): void {
  if (leader || !running) return
  leader = true
  heartbeat()
  connect()
}

function stepDown(): void {
  leader = false
  source?.close()
  source = null
  if (reconnectTimer) clearTimeout(reconnectTimer)
  reconnectTimer = null
}

// Claim the stream unless an owner or a tab with a smaller id answers within a moment.
let claiming = false
function elect(): void {
  if (leader || claiming || !running) return
  if (!channel) return becomeLeader()
  claiming = true
  post({ t: 'claim', id: me })
  setTimeout(() => {
    claiming = false
    if (Date.now() - lastHeartbeat > LEADER_TIMEOUT_MS) becomeLeader()
  }, 300)
}

function onMessage(m: Message): void {
  switch (m.t) {
    case 'hb':
      if (leader && m.id < me) stepDown() // two owners: the smaller id keeps the stream
      if (!leader) {
        lastHeartbeat = Date.now()
        streamState.value = m.open ? 'open' : 'failed'
      }
      break
    case 'who':
      if (leader) heartbeat()
      break
    case 'claim':
      if (leader) heartbeat()
      else if (claiming && m.id < me) lastHeartbeat = Date.now() // let the smaller id win
      break
    case 'bye':
      if (!leader) {
        lastHeartbeat = 0
        setTimeout(elect, Math.random() * 200)
      }
      break
    case 'ev':
      if (!leader) dispatch(m.name, m.data)
      break
  }
}

function onPageHide(): void {
  if (leader) post({ t: 'bye', id: me })
}

/** Joins the session's stream (idempotent); called once signed in. */
export function startEvents(): void {
  if (running || typeof EventSource === 'undefined') return
  running = true
  streamState.value = 'connecting'
  if (typeof BroadcastChannel !== 'undefined') {
    channel = new BroadcastChannel('radqs-events')
    channel.onmessage = (e: MessageEvent<Message>) => onMessage(e.data)
    post({ t: 'who' })
    setTimeout(elect, 300)
  } else {
    becomeLeader()
  }
  timer = setInterval(() => {
    if (leader) heartbeat()
    else if (Date.now() - lastHeartbeat > LEADER_TIMEOUT_MS) elect()
  }, HEARTBEAT_MS)
  window.addEventListener('pagehide', onPageHide)
}

/** Leaves the stream (sign-out); another tab takes it over. */
export function stopEvents(): void {
  if (!running) return
  onPageHide()
  stepDown()
  running = false
  if (timer) clearInterval(timer)
  timer = null
  channel?.close()
  channel = null
  window.removeEventListener('pagehide', onPageHide)
  streamState.value = 'idle'
}

/** Calls `fn` with the data of each event `name`; returns the unsubscribe function. */
export function onServerEvent(name: string, fn: Listener): () => void {
  let set = listeners.get(name)
  if (!set) listeners.set(name, (set = new Set()))
  set.add(fn)
  return () => set!.delete(fn)
}
