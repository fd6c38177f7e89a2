// 打印单据（预约单、检查申请单、知情同意书、不良事件报告表）的中文文案。
const printZhCN = {
  print: {
    print: '打印',
    close: '关闭',
    printedAt: '打印时间',
    loading: '正在准备打印内容…',
    failed: '无法加载打印内容',
    signature: '签名',
    date: '日期',
    none: '无',
    appointment: {
      button: '打印预约单',
      title: '检查预约单',
      time: '预约时间',
      place: '检查地点',
      arrive: '请于预约时间前 15 分钟持本单到检查室登记处签到；过号须重新排队。',
      preparation: '检查前准备',
      noPreparation: '无特殊准备。',
      change: '如需改约或取消，请提前联系放射科登记处。',
    },
    request: {
      button: '打印申请单',
      title: '医学影像检查申请单',
      clinical: '临床资料',
      physicianSign: '申请医师签名',
    },
    consent: {
      button: '打印知情同意书',
      title: '{type}知情同意书',
      risks: '检查目的与可能的风险',
      statement: '本人已详细阅读并理解上述内容，医务人员已就检查的目的、风险及替代方案作了说明，本人同意接受该项检查，并愿意承担可能出现的风险。',
      signer: '签署人',
      relation: '与患者关系',
      signedAt: '签署时间',
      signerSign: '患者 / 家属签名',
      staffSign: '告知医务人员签名',
      text: {
        contrast: [
          '为明确诊断，本次检查需经静脉注射碘对比剂。',
          '多数患者可耐受；少数可出现恶心、呕吐、皮疹、瘙痒等轻度反应，极少数可出现喉头水肿、支气管痉挛、血压下降、休克等严重反应，甚至危及生命。',
          '对比剂可能渗漏至注射部位皮下，引起局部肿胀、疼痛，个别需要处理。',
          '对比剂可能加重肾功能损害；检查后请多饮水，如有不适立即告知医务人员。',
        ],
        gadolinium: [
          '为明确诊断，本次检查需经静脉注射钆对比剂。',
          '少数患者可出现头痛、恶心、皮疹等反应，严重过敏反应罕见。',
          '肾功能严重受损者有发生肾源性系统性纤维化的风险，已按规定评估肾功能。',
        ],
        pregnancy: [
          '患者处于妊娠期或可能妊娠，本次检查涉及电离辐射。',
          '医师已评估检查的必要性，并采取屏蔽防护、降低剂量等措施，尽量减少胎儿受照。',
          '辐射对胎儿的影响与受照剂量和孕周有关，不能完全排除风险。',
        ],
        other: [
          '为明确诊断或治疗，本次检查存在一定风险，医务人员已向患者或家属作了说明。',
          '检查中如出现不适，请立即告知医务人员。',
        ],
      },
    },
    safety: {
      button: '打印报告表',
      title: '医疗安全（不良）事件报告表',
      reporter: '报告人',
      anonymous: '匿名上报',
      process: '处理经过',
      reviewerSign: '科室负责人签名',
    },
  },
}

export type PrintMessages = typeof printZhCN
export default printZhCN
