// Left navigation: which item shows for which permission (from GET /api/v1/auth/me).
import type { Component } from 'vue'
import {
  Guide,
  Timer,
  Calendar,
  Checked,
  Document,
  DocumentAdd,
  Files,
  FirstAidKit,
  List,
  Tickets,
  UserFilled,
  Warning,
  WarnTriangleFilled,
  HomeFilled,
  Key,
  OfficeBuilding,
  Avatar,
  Setting,
  User,
  VideoCamera,
} from '@element-plus/icons-vue'
import type { Permission } from '@/api/types'

export interface NavItem {
  path: string
  name: string
  labelKey: string
  testid: string
  icon: Component
  /** Shown with any of these permissions (null: to everyone signed in). */
  permission: Permission | Permission[] | null
}

export const NAV_ITEMS: NavItem[] = [
  { path: '/', name: 'home', labelKey: 'nav.home', testid: 'nav-home', icon: HomeFilled, permission: null },
  { path: '/patients', name: 'patients', labelKey: 'nav.patients', testid: 'nav-patients', icon: UserFilled, permission: 'patients.read' },
  { path: '/orders', name: 'orders', labelKey: 'nav.orders', testid: 'nav-orders', icon: DocumentAdd, permission: 'orders.write' },
  { path: '/booking', name: 'booking', labelKey: 'nav.booking', testid: 'nav-booking', icon: Calendar, permission: ['exams.work', 'schedule.manage'] },
  { path: '/queue', name: 'queue', labelKey: 'nav.queue', testid: 'nav-queue', icon: List, permission: 'exams.read' },
  { path: '/exams', name: 'exams', labelKey: 'nav.exams', testid: 'nav-exams', icon: Tickets, permission: 'exams.read' },
  { path: '/rejects', name: 'rejects', labelKey: 'nav.rejects', testid: 'nav-rejects', icon: Warning, permission: 'exams.read' },
  { path: '/approvals', name: 'approvals', labelKey: 'nav.approvals', testid: 'nav-approvals', icon: Checked, permission: 'screening.approve' },
  { path: '/overrides', name: 'overrides', labelKey: 'nav.overrides', testid: 'nav-overrides', icon: WarnTriangleFilled, permission: 'exams.read' },
  { path: '/safety-events', name: 'safety-events', labelKey: 'safety.nav', testid: 'nav-safety', icon: FirstAidKit, permission: ['safety.read', 'safety.report'] },
  { path: '/catalogue', name: 'catalogue', labelKey: 'nav.catalogue', testid: 'nav-catalogue', icon: Files, permission: 'catalogue.write' },
  { path: '/sites', name: 'sites', labelKey: 'nav.sites', testid: 'nav-sites', icon: OfficeBuilding, permission: 'org.read' },
  { path: '/rooms', name: 'rooms', labelKey: 'nav.rooms', testid: 'nav-rooms', icon: VideoCamera, permission: 'org.read' },
  { path: '/departments', name: 'departments', labelKey: 'nav.departments', testid: 'nav-departments', icon: Guide, permission: 'org.read' },
  { path: '/staff', name: 'staff', labelKey: 'nav.staff', testid: 'nav-staff', icon: Avatar, permission: 'staff.read' },
  { path: '/users', name: 'users', labelKey: 'nav.users', testid: 'nav-users', icon: User, permission: 'users.read' },
  { path: '/tokens', name: 'tokens', labelKey: 'nav.tokens', testid: 'nav-tokens', icon: Key, permission: 'tokens.manage' },
  { path: '/jobs', name: 'jobs', labelKey: 'nav.jobs', testid: 'nav-jobs', icon: Timer, permission: 'jobs.manage' },
  { path: '/settings', name: 'settings', labelKey: 'nav.settings', testid: 'nav-settings', icon: Setting, permission: 'settings.read' },
  { path: '/audit', name: 'audit', labelKey: 'nav.audit', testid: 'nav-audit', icon: Document, permission: 'audit.read' },
]
