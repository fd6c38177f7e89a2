// Left navigation: which item shows for which permission (from GET /api/v1/auth/me).
import type { Component } from 'vue'
import {
  Document,
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
  permission: Permission | null
}

export const NAV_ITEMS: NavItem[] = [
  { path: '/', name: 'home', labelKey: 'nav.home', testid: 'nav-home', icon: HomeFilled, permission: null },
  { path: '/sites', name: 'sites', labelKey: 'nav.sites', testid: 'nav-sites', icon: OfficeBuilding, permission: 'org.read' },
  { path: '/rooms', name: 'rooms', labelKey: 'nav.rooms', testid: 'nav-rooms', icon: VideoCamera, permission: 'org.read' },
  { path: '/staff', name: 'staff', labelKey: 'nav.staff', testid: 'nav-staff', icon: Avatar, permission: 'staff.read' },
  { path: '/users', name: 'users', labelKey: 'nav.users', testid: 'nav-users', icon: User, permission: 'users.read' },
  { path: '/tokens', name: 'tokens', labelKey: 'nav.tokens', testid: 'nav-tokens', icon: Key, permission: 'tokens.manage' },
  { path: '/settings', name: 'settings', labelKey: 'nav.settings', testid: 'nav-settings', icon: Setting, permission: 'settings.read' },
  { path: '/audit', name: 'audit', labelKey: 'nav.audit', testid: 'nav-audit', icon: Document, permission: 'audit.read' },
]
