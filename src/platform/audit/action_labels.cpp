#include "platform/audit/action_labels.h"

namespace radqs::audit {

const std::vector<ActionLabel>& ActionLabels() {
  static const std::vector<ActionLabel> kAll = {
      // Access and sign-in
      {"access.denied", "拒绝访问", "Access denied"},
      {"auth.login", "登录", "Signed in"},
      {"auth.logout", "退出登录", "Signed out"},
      {"auth.login_failed", "登录失败", "Sign-in failed"},
      {"auth.login_refused_locked", "锁定账户登录被拒", "Sign-in refused (locked)"},
      {"auth.account_locked", "账户已锁定", "Account locked"},
      {"auth.password_changed", "修改密码", "Password changed"},
      // Accounts and tokens
      {"user.create", "新建用户", "User created"},
      {"user.update", "修改用户", "User changed"},
      {"user.lock", "锁定用户", "User locked"},
      {"user.unlock", "解锁用户", "User unlocked"},
      {"user.password_reset", "重置密码", "Password reset"},
      {"api_token.create", "新建接口令牌", "API token created"},
      {"api_token.revoke", "吊销接口令牌", "API token revoked"},
      // Organisation
      {"site.create", "新建机构", "Site created"},
      {"site.update", "修改机构", "Site changed"},
      {"licence.create", "新增许可证", "Licence added"},
      {"licence.update", "修改许可证", "Licence changed"},
      {"room.create", "新建检查室", "Room created"},
      {"room.update", "修改检查室", "Room changed"},
      {"department.create", "新建申请科室", "Department created"},
      {"department.update", "修改申请科室", "Department changed"},
      {"staff.create", "新建人员", "Staff member created"},
      {"staff.update", "修改人员", "Staff member changed"},
      {"staff.title", "职称变更", "Title changed"},
      {"staff.view", "查看人员档案", "Staff record viewed"},
      {"certificate.create", "新增证书", "Certificate added"},
      {"certificate.update", "修改证书", "Certificate changed"},
      {"setting.version", "修改系统参数", "Setting changed"},
      {"catalogue.create", "新建检查项目", "Catalogue item created"},
      {"catalogue.update", "修改检查项目", "Catalogue item changed"},
      // Patients, orders, exams
      {"patient.register", "患者登记", "Patient registered"},
      {"patient.correct", "更正患者信息", "Patient corrected"},
      {"patient.merge", "合并患者", "Patients merged"},
      {"patient.view", "查看患者", "Patient viewed"},
      {"patient.list", "患者列表查询", "Patients listed"},
      {"order.create", "开单", "Order created"},
      {"exam.view", "查看检查", "Exam viewed"},
      {"exam.book", "预约", "Booked"},
      {"exam.rebook", "改约", "Rebooked"},
      {"exam.ordered", "已申请", "Ordered"},
      {"exam.scheduled", "已预约", "Scheduled"},
      {"exam.arrived", "已签到", "Checked in"},
      {"exam.in_progress", "开始检查", "Started"},
      {"exam.acquired", "检查完成", "Acquired"},
      {"exam.preliminary", "已出预报告", "Preliminary report"},
      {"exam.final", "已审核", "Report finalised"},
      {"exam.amended", "已更正报告", "Report amended"},
      {"exam.cancelled", "已取消", "Cancelled"},
      {"exam.no_show", "未到检", "No-show"},
      {"exam.acquisition", "记录检查执行", "Acquisition recorded"},
      {"exam.reject", "废片登记", "Reject recorded"},
      {"acquisition.view", "查看检查执行记录", "Acquisition viewed"},
      {"acquisition.versions", "查看检查执行历史", "Acquisition versions viewed"},
      {"schedule.templates", "修改排班模板", "Slot templates changed"},
      {"schedule.closure", "新增停诊", "Closure added"},
      {"schedule.closure_cancel", "取消停诊", "Closure cancelled"},
      {"screening.record", "安全核查记录", "Screening recorded"},
      {"screening.view", "查看安全核查", "Screening viewed"},
      {"screening.versions", "查看安全核查历史", "Screening versions viewed"},
      {"screening.override", "医师批准", "Gate approved"},
      {"screening.approval_voided", "批准作废", "Approval voided"},
      {"screening.finding", "开始后重开核查项", "Gate reopened after the start"},
      // Safety events
      {"safety_event.report", "上报不良事件", "Safety event reported"},
      {"safety_event.view", "查看不良事件", "Safety event viewed"},
      {"safety_event.transition", "不良事件流程变更", "Safety event step"},
      {"safety_event.classify", "不良事件分级变更", "Safety event reclassified"},
      {"safety_event.written_report", "提交书面报告", "Written report recorded"},
      {"safety_event.feedback", "投诉反馈", "Complaint feedback recorded"},
      // System
      {"list.export", "导出列表", "List exported"},
      {"server.start", "服务启动", "Server started"},
      {"server.stop", "服务停止", "Server stopped"},
      {"server.unclean_stop", "服务异常停止", "Server stopped uncleanly"},
      {"database.backup", "数据库备份", "Database backed up"},
      {"database.restore", "数据库恢复", "Database restored"},
      {"database.copy", "数据库迁至 PostgreSQL", "Database copied to PostgreSQL"},
      {"job.retry", "后台任务重试", "Background job retried"},
      {"demo.generate", "生成演示数据", "Demo data generated"},
  };
  return kAll;
}

const ActionLabel* FindActionLabel(std::string_view key) {
  for (const auto& l : ActionLabels()) {
    if (l.key == key) return &l;
  }
  return nullptr;
}

}  // namespace radqs::audit
