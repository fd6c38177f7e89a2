// vue-i18n set-up: zh-CN by default, English on request; the choice is kept in localStorage.
import { computed } from 'vue'
import { createI18n } from 'vue-i18n'
import dayjs from 'dayjs'
import 'dayjs/locale/zh-cn'
import elZhCn from 'element-plus/es/locale/lang/zh-cn'
import elEn from 'element-plus/es/locale/lang/en'
import zhCN, { type Messages } from './zh-CN'
import en from './en'

export type AppLocale = 'zh-CN' | 'en'
export const LOCALES: { value: AppLocale; label: string }[] = [
  { value: 'zh-CN', label: '中文' },
  { value: 'en', label: 'English' },
]
const STORAGE_KEY = 'radqs.locale'

function initialLocale(): AppLocale {
  try {
    const saved = localStorage.getItem(STORAGE_KEY)
    if (saved === 'en' || saved === 'zh-CN') return saved
  } catch {
    /* storage unavailable: fall through */
  }
  return 'zh-CN'
}

export const i18n = createI18n<[Messages], AppLocale, false>({
  legacy: false,
  locale: initialLocale(),
  fallbackLocale: 'zh-CN',
  messages: { 'zh-CN': zhCN, en },
})

// Element Plus date pickers format week and month names through dayjs' global locale.
function applyDocumentLocale(locale: AppLocale): void {
  document.documentElement.lang = locale
  dayjs.locale(locale === 'en' ? 'en' : 'zh-cn')
}
applyDocumentLocale(i18n.global.locale.value)

export function setLocale(locale: AppLocale): void {
  i18n.global.locale.value = locale
  applyDocumentLocale(locale)
  try {
    localStorage.setItem(STORAGE_KEY, locale)
  } catch {
    /* ignore */
  }
}

export const elementLocale = computed(() => (i18n.global.locale.value === 'en' ? elEn : elZhCn))
