// Every sentence the SMS channel says by itself (the bot says everything else).
export const smsTexts = {
  optedOut: '您已退订12345热线短信通知，将不再收到工单进度短信。如需恢复，请回复"订阅"。',
  optedIn: '您已恢复接收12345热线短信通知。回复T退订。',
  choicesHeader: '回复序号：',
  truncated: '…（详情请访问12345网站或拨打12345）',
  /** Marks a line shortened to fit, the rest of the message kept. */
  cut: '…',
  empty: '请用文字描述您的问题。',
  unavailable: '系统暂时繁忙，您的短信未能处理，请稍后再发，或拨打12345热线。',
  optOutHint: '回复T退订。',
  /** The return-visit question when only a short template variable carries the update. */
  rateBy: (choices: string[]) => `请回复${choices.join('/')}评价`,
} as const;

/** Replies that stop notifications (operators' usual set, plus Chinese). */
export const optOutWords: ReadonlySet<string> = new Set(['T', 'TD', 'N', 'R', 'STOP', '退订', '取消订阅', '退订短信']);
export const optInWords: ReadonlySet<string> = new Set(['订阅', 'START', 'UNSTOP']);

/** A status update that has no text of its own, for gateways without templates (Twilio). */
export const statusUpdateLine = (code: string, status: string) => `您的工单${code}状态已更新为：${status}。`;

/** A line that tells the citizen what to reply (确认, 满意, a choice): kept whole when a message is shortened. */
export const isReplyInstruction = (line: string) => /回复/.test(line);
