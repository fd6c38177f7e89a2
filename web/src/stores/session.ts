// Who is signed in: the user, the CSRF token and the permissions from GET /api/v1/auth/me.
import { reactive } from 'vue'
import { authApi } from '@/api/endpoints'
import { isApiError, setCsrfToken } from '@/api/client'
import type { LoginResponse, MeResponse, Permission, User } from '@/api/types'

interface SessionState {
  user: User | null
  permissions: Permission[]
  /** true once /auth/me has answered (or failed) at least once. */
  checked: boolean
  /** Set when the server could not be reached at start (shown on the sign-in page). */
  startupError: string | null
  /** Open the password dialog (must_change_password, or by hand). */
  passwordDialog: boolean
}

export const session = reactive<SessionState>({
  user: null,
  permissions: [],
  checked: false,
  startupError: null,
  passwordDialog: false,
})

function applyMe(me: MeResponse): void {
  session.user = me.user
  session.permissions = Array.isArray(me.permissions) ? me.permissions : []
  setCsrfToken(me.csrf_token ?? null)
  if (me.user?.must_change_password) session.passwordDialog = true
}

export function clearSession(): void {
  session.user = null
  session.permissions = []
  session.passwordDialog = false
  setCsrfToken(null)
}

/** Loads /auth/me; resolves false when not signed in. Other failures are remembered. */
export async function loadSession(): Promise<boolean> {
  try {
    applyMe(await authApi.me(true))
    session.startupError = null
    return true
  } catch (e) {
    clearSession()
    if (!(isApiError(e) && e.status === 401)) {
      session.startupError = e instanceof Error ? e.message : String(e)
    }
    return false
  } finally {
    session.checked = true
  }
}

export async function signIn(username: string, password: string): Promise<void> {
  const res: LoginResponse = await authApi.login({ username, password })
  setCsrfToken(res.csrf_token)
  session.user = res.user
  // Permissions come only from /auth/me.
  await loadSession()
  if (!session.user) session.user = res.user
  if (res.user.must_change_password) session.passwordDialog = true
}

export async function signOut(): Promise<void> {
  try {
    await authApi.logout()
  } catch {
    /* the session is dropped locally whatever the server says */
  }
  clearSession()
}

export function can(permission: Permission): boolean {
  return session.permissions.includes(permission)
}

/** Any of the permissions (a screen that more than one kind of user works with). */
export function canAny(permissions: Permission | Permission[] | null | undefined): boolean {
  if (!permissions) return true
  return (Array.isArray(permissions) ? permissions : [permissions]).some(can)
}
