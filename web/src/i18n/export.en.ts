// English texts of exports (XLSX) and of reading the audit log. Same keys as export.zh-CN.ts.
import type { ExportMessages } from './export.zh-CN'

const exportEn: ExportMessages = {
  exporting: {
    button: 'Export',
    running: 'Exporting…',
    progress: 'Exporting {size}',
    done: '{n} rows exported',
    tooMany: 'More than the export limit ({max} rows): narrow the filters and export again',
    failed: 'Export failed',
    queueSection: 'Section',
  },
  auditLog: {
    account: 'Account',
    person: 'Person',
    personHint: 'Find the actor by name or account',
    action: 'Action',
    actionKey: 'Action key',
    open: 'Open the record',
    patients: '{n} patients',
  },
}

export default exportEn
