// Every sentence the work-order side sends to citizens (status updates, return visit), in one place.
import { satisfactionLabels, type Satisfaction } from './work-order.js';

export const notificationTexts = {
  dispatched: (code: string, department: string) => `您的工单 ${code} 已派至${department}办理，我们会持续跟进。`,
  reassigned: (code: string, department: string) => `您的工单 ${code} 已改派至${department}办理。`,
  processing: (code: string) => `您的工单 ${code} 承办部门已开始办理。`,
  reopened: (code: string) => `您的工单 ${code} 已根据您的意见重新交承办部门办理。`,
  resolved: (code: string, reply: string) =>
    `您的工单 ${code} 已办结。\n办理结果：${reply}\n请对办理结果进行评价，回复"满意"、"基本满意"或"不满意"（可在后面附上意见）。`,
  infoRequested: (code: string, request: string) =>
    `承办部门办理您的工单 ${code} 需要您补充信息：${request}\n请拨打12345热线或联系承办部门补充，补充后将继续办理。`,
  closed: (code: string) => `您的工单 ${code} 已归档。感谢您对12345热线的支持。`,
  progress: (code: string, note: string) => `您的工单 ${code} 有新的办理进展：${note}`,
} as const;

/** The citizen's update for a lifecycle action that tells them (see transitionTable.citizenVisible). */
export function updateText(action: string, o: { code: string; department: string; reply: string }): string {
  switch (action) {
    case 'dispatch':
      return notificationTexts.dispatched(o.code, o.department);
    case 'reassign':
      return notificationTexts.reassigned(o.code, o.department);
    case 'start':
      return notificationTexts.processing(o.code);
    case 'resolve':
      return notificationTexts.resolved(o.code, o.reply);
    case 'reopen':
      return notificationTexts.reopened(o.code);
    case 'request-info':
      return notificationTexts.infoRequested(o.code, o.reply);
    case 'close':
      return notificationTexts.closed(o.code);
    default:
      throw new Error(`no citizen update text for action ${action}`);
  }
}

export const returnVisitTexts = {
  choices: ['满意', '基本满意', '不满意'] as string[],
  thanks: (code: string, satisfaction: Satisfaction) =>
    satisfaction === 'dissatisfied'
      ? `已收到您对工单 ${code} 的评价：不满意。工单已重新交承办部门办理，我们会继续跟进。`
      : `已收到您对工单 ${code} 的评价：${satisfactionLabels[satisfaction]}。感谢您的反馈！`,
} as const;

/** Parses a return-visit answer: "不满意，还是很吵" → dissatisfied + comment. */
export function parseSatisfaction(text: string): { satisfaction: Satisfaction; comment?: string } | undefined {
  const match =
    /^\s*(非常满意|很满意|基本满意|还算满意|不满意|很不满意|非常不满意|满意)[\s,，。.!！:：;；]*(.*)$/su.exec(text);
  if (!match) return undefined;
  const word = match[1]!;
  const satisfaction: Satisfaction = word.includes('不满意')
    ? 'dissatisfied'
    : word === '基本满意' || word === '还算满意'
      ? 'basically-satisfied'
      : 'satisfied';
  const comment = match[2]?.trim();
  return comment ? { satisfaction, comment } : { satisfaction };
}
