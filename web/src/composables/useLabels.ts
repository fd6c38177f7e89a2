// Chinese/English labels for the API's enum keys, falling back to the key itself.
import { useI18n } from 'vue-i18n'

export function useLabels() {
  const { t, te, locale } = useI18n()
  const label = (prefix: string, key: string | null | undefined): string => {
    if (key === null || key === undefined || key === '') return ''
    const path = `${prefix}.${key}`
    return te(path) ? t(path) : String(key)
  }
  return {
    label,
    role: (k: string) => label('roles', k),
    roles: (ks: string[] | null | undefined) => (ks ?? []).map((k) => label('roles', k)).join('、'),
    siteLevel: (k: string) => label('site.levels', k),
    siteKind: (k: string) => label('site.kinds', k),
    licenceType: (k: string) => label('licence.types', k),
    modality: (k: string) => label('room.modalities', k),
    category: (k: string) => label('staff.categories', k),
    title: (k: string | null) => label('staff.titles', k),
    staffStatus: (k: string) => label('staff.statuses', k),
    sex: (k: string) => label('staff.sexes', k),
    certType: (k: string) => label('cert.types', k),
    validity: (k: string) => label('validity', k),
    settingBasis: (k: string) => label('settings.bases', k),
    /** A setting's name in the screen's language (the server holds both). */
    settingName: (s: { name: string; name_en: string } | null | undefined) =>
      s ? (locale.value.startsWith('zh') ? s.name : s.name_en || s.name) : '',
    yesNo: (b: boolean | null | undefined) => (b ? t('common.yes') : t('common.no')),
    patientSex: (k: string) => label('patient.sexes', k),
    docType: (k: string) => label('patient.docTypes', k),
    examState: (k: string) => label('exam.states', k),
    priority: (k: string) => label('order.priorities', k),
    patientClass: (k: string) => label('order.classes', k),
    pathway: (k: string) => label('order.pathways', k),
    gate: (k: string) => label('screening.gates', k),
    approvalGate: (k: string) => label('screening.approvalGates', k),
    rejectReason: (k: string) => label('reject.reasons', k),
    weekday: (n: number) => label('template.weekdays', `d${n}`),
    contrastKind: (k: string) => label('catalogue.kinds', k || 'none'),
    itemCategory: (k: string) => label('catalogue.categories', k),
  }
}
