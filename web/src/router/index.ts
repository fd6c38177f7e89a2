// Routes (one lazy chunk per screen) and the guard: GET /api/v1/auth/me once at start,
// unauthenticated → /login, a screen without its permission → home.
import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router'
import { setUnauthorizedHandler } from '@/api/client'
import { canAny, clearSession, loadSession, session } from '@/stores/session'
import type { Permission } from '@/api/types'

declare module 'vue-router' {
  interface RouteMeta {
    public?: boolean
    /** Any of these. */
    permission?: Permission | Permission[]
  }
}

const routes: RouteRecordRaw[] = [
  {
    path: '/login',
    name: 'login',
    component: () => import('@/views/LoginView.vue'),
    meta: { public: true },
  },
  // Printable documents, outside the application's frame.
  {
    path: '/print/:doc(appointment|request|consent|safety-event)/:id',
    name: 'print',
    component: () => import('@/views/PrintView.vue'),
    meta: { permission: ['exams.read', 'safety.read', 'safety.report'] },
  },
  {
    path: '/',
    component: () => import('@/components/AppLayout.vue'),
    children: [
      { path: '', name: 'home', component: () => import('@/views/HomeView.vue') },
      { path: 'patients', name: 'patients', component: () => import('@/views/PatientsView.vue'), meta: { permission: 'patients.read' } },
      { path: 'orders', name: 'orders', component: () => import('@/views/OrderView.vue'), meta: { permission: 'orders.write' } },
      { path: 'booking', name: 'booking', component: () => import('@/views/BookingView.vue'), meta: { permission: ['exams.work', 'schedule.manage'] } },
      { path: 'queue', name: 'queue', component: () => import('@/views/QueueView.vue'), meta: { permission: 'exams.read' } },
      { path: 'exams', name: 'exams', component: () => import('@/views/ExamsView.vue'), meta: { permission: 'exams.read' } },
      { path: 'exams/:id', name: 'exam', component: () => import('@/views/ExamDetailView.vue'), meta: { permission: 'exams.read' } },
      { path: 'rejects', name: 'rejects', component: () => import('@/views/RejectsView.vue'), meta: { permission: 'exams.read' } },
      { path: 'approvals', name: 'approvals', component: () => import('@/views/ApprovalsView.vue'), meta: { permission: 'screening.approve' } },
      { path: 'overrides', name: 'overrides', component: () => import('@/views/OverridesView.vue'), meta: { permission: 'exams.read' } },
      { path: 'safety-events', name: 'safety-events', component: () => import('@/views/SafetyEventsView.vue'), meta: { permission: ['safety.read', 'safety.report'] } },
      { path: 'catalogue', name: 'catalogue', component: () => import('@/views/CatalogueView.vue'), meta: { permission: 'catalogue.write' } },
      { path: 'sites', name: 'sites', component: () => import('@/views/SitesView.vue'), meta: { permission: 'org.read' } },
      { path: 'departments', name: 'departments', component: () => import('@/views/DepartmentsView.vue'), meta: { permission: 'org.read' } },
      { path: 'rooms', name: 'rooms', component: () => import('@/views/RoomsView.vue'), meta: { permission: 'org.read' } },
      { path: 'staff', name: 'staff', component: () => import('@/views/StaffView.vue'), meta: { permission: 'staff.read' } },
      { path: 'users', name: 'users', component: () => import('@/views/UsersView.vue'), meta: { permission: 'users.read' } },
      { path: 'tokens', name: 'tokens', component: () => import('@/views/TokensView.vue'), meta: { permission: 'tokens.manage' } },
      { path: 'jobs', name: 'jobs', component: () => import('@/views/JobsView.vue'), meta: { permission: 'jobs.manage' } },
      { path: 'settings', name: 'settings', component: () => import('@/views/SettingsView.vue'), meta: { permission: 'settings.read' } },
      { path: 'audit', name: 'audit', component: () => import('@/views/AuditView.vue'), meta: { permission: 'audit.read' } },
      { path: ':pathMatch(.*)*', name: 'not-found', component: () => import('@/views/NotFoundView.vue') },
    ],
  },
]

// Hash history: deep links and reloads work whatever the server answers for unknown paths.
export const router = createRouter({ history: createWebHistory(), routes })

router.beforeEach(async (to) => {
  if (!session.checked) await loadSession()
  if (to.meta.public) {
    if (to.name === 'login' && session.user) return { name: 'home' }
    return true
  }
  if (!session.user) {
    return { name: 'login', query: to.fullPath !== '/' ? { redirect: to.fullPath } : {} }
  }
  if (to.meta.permission && !canAny(to.meta.permission)) return { name: 'home' }
  return true
})

// Any 401 from the API (session expired, signed out elsewhere) → sign-in page.
setUnauthorizedHandler(() => {
  clearSession()
  const current = router.currentRoute.value
  if (current.name !== 'login') {
    router.replace({ name: 'login', query: { redirect: current.fullPath } })
  }
})
