// Every sentence the bot says to citizens, in one place.
import { appealTypeLabels, type AppealType } from '../workorders/work-order.js';

export const texts = {
  greeting:
    '您好，这里是12345政务服务便民热线智能助手。您可以直接提问政策和办事问题，也可以反映问题、投诉举报，或发送"查询工单 工单号"查看办理进度。',
  thanks: '不客气，很高兴为您服务。还有其他问题可以随时问我。',
  emergencyPrefix: '如遇紧急情况，请立即拨打：',
  emergencySuffix: '12345热线不受理紧急警情，请先确保自身安全。',
  clarify: (options: string[]) =>
    `您是想问以下哪个问题？\n${options.map((q, i) => `${i + 1}. ${q}`).join('\n')}\n请回复序号；都不是请回复"都不是"，或换个说法再问。`,
  noneOfThese: '都不是',
  clarifyInvalidChoice: (count: number) => `请回复 1 到 ${count} 之间的序号，或换个说法再问。`,
  abstain:
    '抱歉，知识库中暂时没有找到与您问题相符的答案。需要为您登记工单、转交相关部门处理吗？回复"是"登记，或换个说法再问。',
  offerDeclined: '好的，如有需要可以随时再问我。',
  answerSource: (department: string | null) => (department ? `\n（答复来源：${department}）` : ''),
  intakeAskDescription: (appealType: AppealType) =>
    `好的，我来为您登记${appealTypeLabels[appealType]}工单。请简要描述具体情况（发生了什么、持续多久）。`,
  intakeAskPlace: '请告诉我问题发生的具体地点（区、街道、小区或门牌号）。',
  intakeAskPhone: '请留下您的联系电话，方便承办部门联系您（号码仅用于办理本工单）。',
  intakeInvalidPhone: '这个号码好像不正确，请输入11位手机号码或带区号的固定电话。',
  intakeTooShort: '内容太短了，请再具体说明一下。',
  intakeConfirm: (o: { appealType: AppealType; description: string; place: string; phone: string }) =>
    [
      '请核对工单信息：',
      `诉求类型：${appealTypeLabels[o.appealType]}`,
      `情况描述：${o.description}`,
      `地点：${o.place}`,
      `联系电话：${o.phone}`,
      '确认无误请回复"确认"，放弃请回复"取消"。',
    ].join('\n'),
  intakeConfirmHint: '请回复"确认"提交工单，或回复"取消"放弃。',
  intakeCancelled: '已取消本次工单登记。如需帮助可以随时再找我。',
  ticketFiled: (code: string) =>
    `工单已提交，工单号：${code}。我们将在1个工作日内派单至承办部门，一般问题5个工作日内办结。您可以发送"查询工单 ${code}"查看进度。`,
  statusOf: (o: { code: string; statusLabel: string; summary: string; updatedAt: string }) =>
    `工单 ${o.code}\n当前状态：${o.statusLabel}\n诉求摘要：${o.summary}\n更新时间：${o.updatedAt}`,
  statusNotFound: (code: string) => `没有找到您名下的工单 ${code}。请核对工单号；工单只能由提交它的会话查询。`,
  statusNoOrders: '您在本会话中还没有提交过工单。发送"查询工单 工单号"可以查询指定工单。',
  statusList: (lines: string[]) => `您最近提交的工单：\n${lines.join('\n')}\n发送"查询工单 工单号"查看详情。`,
  internalError: '抱歉，系统暂时出了点问题，您的消息已记录。请稍后再试，或拨打12345热线。',
  yes: '是',
  no: '不用了',
  confirm: '确认',
  cancel: '取消',
} as const;
