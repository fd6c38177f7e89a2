// 导出（XLSX）与审计日志阅读的中文文案。
const exportZhCN = {
  exporting: {
    button: '导出',
    running: '正在导出…',
    progress: '正在导出 {size}',
    done: '已导出 {n} 行',
    tooMany: '超过导出上限（{max} 行），请缩小筛选范围后再导出',
    failed: '导出失败',
    queueSection: '队列分组',
  },
  auditLog: {
    account: '账号',
    person: '人员姓名',
    personHint: '按姓名或账号查找操作人',
    action: '操作',
    actionKey: '操作代码',
    open: '打开记录',
    patients: '患者 {n} 人',
  },
}

export type ExportMessages = typeof exportZhCN
export default exportZhCN
