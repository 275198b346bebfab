// Every sentence the bot says to citizens, in one place.
import { appealTypeLabels, type AppealType } from '../workorders/work-order.js';
import type { EmergencyKind } from './emergency-rules.js';
import type { RefusalReason } from './intents.js';

/** Expected handling time told to the citizen when a ticket is filed, by appeal type. */
const handlingTime: Record<AppealType, string> = {
  consult: '咨询类诉求一般3个工作日内答复',
  help: '求助类诉求一般5个工作日内办结',
  complaint: '投诉类诉求一般15个工作日内办结',
  report: '举报类诉求一般15个工作日内办结',
  suggestion: '建议类诉求一般15个工作日内答复',
  praise: '表扬将在5个工作日内转达相关单位',
};

const refusals: Record<RefusalReason, string> = {
  abuse: '请文明交流。如果您有需要政府部门办理或答复的问题，我很乐意帮您。',
  creative: '抱歉，写诗作文不在12345热线的服务范围内。我可以解答政策办事问题，或帮您反映诉求。',
  finance: '抱歉，12345热线不提供股票、基金等投资建议。我可以解答政策办事问题，或帮您反映诉求。',
  homework: '抱歉，作业辅导不在12345热线的服务范围内。教育政策、入学报名等问题可以问我。',
  coding: '抱歉，编写代码不在12345热线的服务范围内。我可以解答政策办事问题，或帮您反映诉求。',
  medical:
    '抱歉，我不能提供疾病诊断或用药建议，请到正规医院就诊；情况紧急请拨打120。医保报销、就医备案等政策问题可以问我。',
  entertainment: '抱歉，这不在12345热线的服务范围内。我可以解答政策办事问题，或帮您反映诉求。',
  opinion: '抱歉，我不对政治和时事发表评论。我可以解答政策办事问题，或帮您反映对政府工作的意见建议。',
  personal: '抱歉，情感问题不在12345热线的服务范围内。如需心理疏导，可拨打心理援助热线12356。',
  shopping: '抱歉，我不做购物推荐。商品质量、三包退换和消费纠纷的问题可以问我，也可以帮您登记投诉。',
};

/** What to do while help is on its way, by kind of emergency (standard public safety advice). */
const emergencyAdvice: Record<EmergencyKind, string> = {
  gas: '闻到燃气味时不要开关电灯电器、不要点火，也不要在屋内打电话；打开门窗通风，关闭燃气阀门，到室外安全处再打电话。',
  fire: '火灾时不要乘电梯，用湿毛巾捂住口鼻、弯腰沿安全出口撤离；被困时关紧房门，到窗口或阳台呼救。',
  medical: '打电话时说清地址和病人情况；不要随意搬动摔伤或昏迷的人，保持呼吸道通畅。',
  traffic: '开启危险报警闪光灯，在车后方放置警告标志，车上人员撤到护栏外等候。',
  violence: '先离开危险的地方，到人多处或锁好门，再报警，说清地址和对方特征。',
  danger: '先确保自身安全，不要贸然涉险施救；说清所在位置，等待救援。',
  fraud: '不要再向对方转账；立即打电话给银行申请紧急止付、冻结账户，保留转账记录和聊天记录。',
  selfharm: '',
};

/** Emergency replies for messages written in English (tourists): numbers first, then what to do. */
const emergencyEnglish: Record<EmergencyKind, { call: string; advice: string }> = {
  gas: {
    call: '119 (fire brigade); once outside, the gas company',
    advice:
      'Do not switch lights or appliances on or off, no flames; open windows, close the gas valve, leave, then call.',
  },
  fire: {
    call: '119 (fire brigade)',
    advice: 'Do not use lifts; cover nose and mouth with a wet cloth and stay low on the way out.',
  },
  medical: {
    call: '120 (ambulance)',
    advice: 'Give the address and what happened; do not move someone who fell or fainted.',
  },
  traffic: {
    call: '122 (traffic accidents); 120 (ambulance) if anyone is hurt',
    advice: 'Turn on hazard lights, put a warning sign behind the car, wait behind the barrier.',
  },
  violence: { call: '110 (police)', advice: 'Get away first, to a crowded place or behind a locked door, then call.' },
  danger: {
    call: '110 (police); 120 (ambulance)',
    advice: 'Keep yourself safe first; say where you are and wait for help.',
  },
  fraud: {
    call: '110 (police)',
    advice: 'Send no more money; call your bank at once to stop the payment and freeze the account; keep the records.',
  },
  selfharm: {
    call: '12356 (psychological help line); 120 (ambulance) if you are hurt or took something',
    advice: 'You are not alone: please call now, or ask someone you trust to stay with you.',
  },
};

export const texts = {
  greeting:
    '您好，这里是12345政务服务便民热线智能助手。您可以直接提问政策和办事问题，也可以反映问题、投诉举报，或发送"查询工单 工单号"查看办理进度。',
  thanks: '不客气，很高兴为您服务。还有其他问题可以随时问我。',
  goodbye: '好的，祝您生活愉快。有需要随时找我。',
  acknowledged: '好的。还有其他问题可以随时问我。',
  identity: '我是12345政务服务便民热线的智能助手，答复来自政府部门审核过的知识库。需要人工服务请回复"转人工"。',
  capability:
    '我可以：1. 解答社保、医保、户籍、出入境、交通、教育、住房等政策和办事问题；2. 帮您登记投诉、举报、求助和建议，交给责任部门办理；3. 查询工单办理进度（发送"查询工单 工单号"）。请直接说出您的问题。',
  pleasantry:
    '谢谢您！我是12345热线的智能助手，可以解答政策和办事问题、帮您反映诉求，或查询工单进度。请问有什么可以帮您？',
  frustration:
    '抱歉没能帮上忙。您可以换个说法再问一次，或直接描述您遇到的问题，我帮您登记工单交给工作人员处理；需要人工服务请回复"转人工"。',
  emergencyPrefix: '如遇紧急情况，请立即拨打：',
  emergencySuffix: '12345热线不受理紧急警情，请先确保自身安全。',
  selfHarm:
    '听到您这样说，我很担心您。您并不孤单：请现在就拨打心理援助热线12356，或者让身边信任的人陪着您。如果已经伤害了自己或服了药，请立即拨打120急救。愿意的话，也可以拨打12345热线，和工作人员说说您遇到的难处。',
  emergencyInEnglish: (kinds: EmergencyKind[]) =>
    `If this is an emergency, call now: ${kinds.map((kind) => emergencyEnglish[kind].call).join('; ')}. ${kinds
      .map((kind) => emergencyEnglish[kind].advice)
      .join(' ')} The 12345 hotline does not handle emergencies.`,
  emergencyNumbers:
    '紧急电话：110 报警，119 火警，120 急救，122 交通事故报警。心理援助热线 12356。Emergency numbers: 110 police, 119 fire, 120 ambulance, 122 traffic accidents.',
  emergencyAdvice: (kinds: EmergencyKind[]) => kinds.map((kind) => emergencyAdvice[kind]).join(''),
  refuse: (reason: RefusalReason) => refusals[reason],
  handoff:
    '如需人工服务，请直接拨打12345政务服务便民热线（24小时有人接听），我不能在这里为您转接电话。我也可以现在为您登记工单，由工作人员跟进处理并联系您。需要登记工单吗？',
  handoffDuringIntake:
    '如需人工服务，请直接拨打12345政务服务便民热线（24小时有人接听）。您正在登记的工单还没有提交，也可以继续在这里完成：',
  fileWorkOrder: '登记工单',
  clarify: (options: string[]) =>
    `您是想问以下哪个问题？\n${options.map((q, i) => `${i + 1}. ${q}`).join('\n')}\n请回复序号；都不是请回复"都不是"，或换个说法再问。`,
  noneOfThese: '都不是',
  districtNoted: (district: string) =>
    `好的，已记下您在${district}。接下来的问题我会优先按${district}的规定答复，请问有什么可以帮您？`,
  clarifyInvalidChoice: (count: number) => `请回复 1 到 ${count} 之间的序号，或换个说法再问。`,
  abstain:
    '抱歉，知识库中暂时没有找到与您问题相符的答案。需要为您登记工单、转交相关部门处理吗？回复"是"登记，或换个说法再问。',
  offerDeclined: '好的，如有需要可以随时再问我。',
  offerWithDetail: '好的，已补充到您反映的问题中。需要为您登记工单、转交相关部门处理吗？回复"是"登记。',
  askForTopic: '请问您想咨询或反映什么事情？说得具体一些我才能帮您，例如"社保卡丢了怎么补办"或"楼下烧烤店油烟扰民"。',
  answerSource: (department: string | null) => (department ? `\n（答复来源：${department}）` : ''),
  rephrasedNote: '（以上内容依据知识库条目整理）',
  intakeAskDescription: (appealType: AppealType) =>
    `好的，我来为您登记${appealTypeLabels[appealType]}工单。请简要描述具体情况（发生了什么、持续多久）。`,
  intakeAskPlace: '请告诉我问题发生的具体地点（区、街道、小区或门牌号）。',
  intakeAskPhone: '请留下您的联系电话，方便承办部门联系您（号码仅用于办理本工单）。',
  intakeInvalidPhone: '这个号码好像不正确，请输入11位手机号码或带区号的固定电话。',
  intakeTooShort: '内容太短了，请再具体说明一下。',
  intakeAskAgain: {
    place: '好的，请告诉我正确的地点（区、街道、小区或门牌号）。',
    phone: '好的，请输入正确的联系电话（11位手机号码或带区号的固定电话）。',
    description: '好的，请重新描述具体情况。',
  },
  intakePhoneNoted: '已记下您的联系电话。',
  intakePlaceNoted: '已更新地点。',
  intakePhoneNeeded:
    '承办部门需要联系电话才能核实情况、反馈办理结果，号码仅用于办理本工单，不会公开。不方便留电话的话，可以直接拨打12345热线反映；放弃登记请回复"取消"。',
  intakePhoneStillNeeded:
    '您的工单还没有提交：请留下联系电话（11位手机号码或带区号的固定电话）；放弃登记请回复"取消"。',
  intakeNotAPlace: '请告诉我问题发生的具体地点（区、街道、小区或门牌号）；不想继续登记可以回复"取消"。',
  intakePlaceStillNeeded: '您的工单还没有提交：请告诉我问题发生的具体地点（区、街道、小区或门牌号）。',
  intakePlaceVague:
    '请说得再具体一些：在哪个区、哪条街道、哪个小区或门牌号附近？这样承办部门才能找到现场。不方便说的话，请再说一次大概位置。',
  intakeConfirm: (o: {
    appealType: AppealType;
    description: string;
    category?: string;
    place: string;
    time?: string;
    phone: string;
  }) =>
    [
      '请核对工单信息：',
      `诉求类型：${appealTypeLabels[o.appealType]}`,
      ...(o.category ? [`问题分类：${o.category}`] : []),
      `情况描述：${o.description}`,
      `地点：${o.place}`,
      ...(o.time ? [`发生时间：${o.time}`] : []),
      `联系电话：${o.phone}`,
      '确认无误请回复"确认"；需要修改可以直接说，如"地点改成…""电话错了，是…"；放弃请回复"取消"。',
    ].join('\n'),
  intakeConfirmHint: '请回复"确认"提交工单，或说明要修改的内容（如"地点改成…"），或回复"取消"放弃。',
  intakeStillPending: '您的工单还没有提交：回复"确认"提交，或回复"取消"放弃。',
  intakeCancelled: '已取消本次工单登记。如需帮助可以随时再找我。',
  cancelAfterFiling: (code: string) =>
    `工单 ${code} 已经提交，不能在这里撤回。如需撤回或补充说明，请拨打12345热线并告知工单号。`,
  /** `merged`: joined to another citizen's open order on the same matter (并单), which has its own schedule. */
  /** `dueDay`: the order's own completion deadline ("12月7日"), when the dispatch catalogue set one. */
  ticketFiled: (code: string, appealType: AppealType, merged = false, dueDay?: string) =>
    `工单已提交，工单号：${code}。${
      merged
        ? '其他市民已反映过同一事项，您的工单已与其合并办理，办理进展会同步告知您'
        : `我们将在1个工作日内派单至承办部门，${dueDay ? `按规定应于${dueDay}前办结` : handlingTime[appealType]}`
    }。您可以发送"查询工单 ${code}"查看进度。`,
  statusOf: (o: { code: string; statusLabel: string; summary: string; updatedAt: string }) =>
    `工单 ${o.code}\n当前状态：${o.statusLabel}\n诉求摘要：${o.summary}\n更新时间：${o.updatedAt}`,
  statusAskPhoneTail: (code: string) =>
    `为保护个人信息，查询工单 ${code} 需要验证：请回复登记该工单时留下的联系电话后四位。`,
  statusDenied: '验证未通过，无法查询该工单。请核对工单号和电话后四位，或拨打12345热线查询。',
  statusThrottled: '查询验证失败次数过多，请15分钟后再试，或拨打12345热线查询。',
  statusMistypedCode: (code: string) =>
    `工单号 ${code} 的格式不对：工单号是字母加14位数字，例如 LJ20261129000001。请核对后发送"查询工单 工单号"。`,
  statusNoOrders: '您在本会话中还没有提交过工单。发送"查询工单 工单号"可以查询指定工单。',
  statusList: (lines: string[]) => `您最近提交的工单：\n${lines.join('\n')}\n发送"查询工单 工单号"查看详情。`,
  evaluationThanks: (code: string, satisfied: boolean) =>
    satisfied
      ? `感谢您对工单 ${code} 办理结果的评价，我们已记录您"满意"的反馈。`
      : `很抱歉工单 ${code} 的办理结果没有让您满意，我们已记录您的评价，回访人员会与您联系核实。`,
  evaluationNoTicket: '您在本会话中还没有已办结的工单可以评价。如需查询进度，请发送"查询工单 工单号"。',
  internalError: '抱歉，系统暂时出了点问题，您的消息已记录。请稍后再试，或拨打12345热线。',
  yes: '是',
  no: '不用了',
  confirm: '确认',
  cancel: '取消',
} as const;
