// Rule-based recognisers for what a message is about. Each works on NFKC-normalised text.
import { ticketCodePattern } from '../workorders/ticket-code.js';
import type { AppealType } from '../workorders/work-order.js';

export type EmergencyKind = 'fire' | 'gas' | 'violence' | 'medical' | 'traffic' | 'danger';

const emergencyRules: { kind: EmergencyKind; pattern: RegExp }[] = [
  { kind: 'gas', pattern: /(煤气|燃气|天然气|液化气)(泄漏|泄露|漏气|味很?(大|重|浓))|漏(煤气|燃气|天然气)/ },
  { kind: 'fire', pattern: /着火|失火|火灾|起火|大火|烧起来|火情|浓烟/ },
  {
    kind: 'violence',
    pattern: /打架|斗殴|砍人|持刀|拿刀|行凶|抢劫|抢包|绑架|杀人|家暴|殴打|有人打人|被打了|偷窃进行|入室盗窃/,
  },
  { kind: 'traffic', pattern: /车祸|撞车|被车撞|撞人|追尾|翻车|交通事故/ },
  { kind: 'medical', pattern: /晕倒|昏迷|昏倒|不省人事|没有?呼吸|心脏病|抽搐|大出血|中毒|急救|快不行了/ },
  { kind: 'danger', pattern: /救命|跳楼|要跳|轻生|自杀|溺水|落水|掉进(河|水)|被困|困在电梯|坠落/ },
];

export function detectEmergency(text: string): EmergencyKind[] {
  return emergencyRules.filter((rule) => rule.pattern.test(text)).map((rule) => rule.kind);
}

/** Numbers to call, by kind of emergency. */
export const emergencyNumbers: Record<EmergencyKind, string[]> = {
  fire: ['119 火警'],
  gas: ['119 火警', '远离现场后拨打燃气抢修电话'],
  violence: ['110 报警'],
  traffic: ['122 交通事故报警', '120 急救（如有人员受伤）'],
  medical: ['120 急救'],
  danger: ['110 报警', '120 急救'],
};

/** Explicit requests to file a complaint, report or request, with the appeal type they imply. */
const appealRules: { type: AppealType; pattern: RegExp }[] = [
  { type: 'report', pattern: /举报/ },
  { type: 'complaint', pattern: /投诉|扰民|太吵了?|吵得|乱收费|态度(很|太|非常)?(差|恶劣)/ },
  { type: 'suggestion', pattern: /我(要|想)?提?(个|一个|点)?建议|提建议/ },
  { type: 'praise', pattern: /表扬|点赞/ },
  { type: 'help', pattern: /求助|报修|反映(一个|个)?(问题|情况)?|我要反映/ },
];

export function detectAppeal(text: string): AppealType | undefined {
  return appealRules.find((rule) => rule.pattern.test(text))?.type;
}

/** The words of an appeal request without its content ("我要投诉" says what, not about what). */
export function appealContent(text: string): string {
  return text
    .replace(/我?(要|想)?(投诉|举报|反映|报修|求助|表扬|提建议|建议)(一下|一个|个)?(问题|情况)?/g, '')
    .replace(/[\p{P}\s]+/gu, '')
    .trim();
}

const statusRequest =
  /查询?(一下)?(我的)?(工单|进度|办理情况)|(我的|我提交的|我反映的)?工单.{0,4}(进度|状态|办理情况|查询|到哪|怎么样|进展)|办(得|到)怎么样了/;

/** A status request, with the ticket number if one is given. */
export function detectStatusRequest(text: string): { code?: string } | undefined {
  const code = text.match(ticketCodePattern)?.[0]?.toUpperCase();
  if (code) return { code };
  return statusRequest.test(text) ? {} : undefined;
}

const greeting = /^(你好|您好|hi|hello|hey|在吗|在不在|哈喽|嗨|早上好|下午好|晚上好)[啊呀吗呢!！。.~～\s]*$/i;
const thanks = /^(好的)?(谢谢|多谢|感谢|thanks|thank you|thx)(你|您|啦|了)?[!！。.~～\s]*$/i;

export function detectSmallTalk(text: string): 'greeting' | 'thanks' | undefined {
  const trimmed = text.trim();
  if (greeting.test(trimmed)) return 'greeting';
  if (thanks.test(trimmed)) return 'thanks';
  return undefined;
}

export function isAffirmative(text: string): boolean {
  return (
    /^(是|是的|对|对的|好|好的|可以|行|嗯|确认|确定|提交|没问题|需要|要|登记|yes|y|ok)[啊呀吧的,，。!！\s]*(登记工单|提交)?$/i.test(
      text.trim(),
    ) || /^是[,，]?登记工单$/.test(text.trim())
  );
}

export function isNegative(text: string): boolean {
  return /^(不|不是|不用|不用了|不需要|否|没有|no|n)[啊呀吧的了,，。!！\s]*$/i.test(text.trim());
}

export function isCancel(text: string): boolean {
  return /^(取消|算了|不办了|不用了|不要了|放弃|退出|cancel)[吧啊呀了,，。!！\s]*$/i.test(text.trim());
}

export function isNoneOfThese(text: string): boolean {
  return /^(以上)?(都不是|都不对|都没有|没有我要的|不是这些)[的了啊呀,，。!！\s]*$/.test(text.trim());
}

const ordinals: Record<string, number> = { 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5 };

/** "2", "第二个", "选3" → the 1-based choice, if the message is only that. */
export function parseChoice(text: string): number | undefined {
  const match = text.trim().match(/^(?:选|选择|第)?\s*([1-9]|[一二两三四五])\s*(?:个|项|条|号)?[。.!！\s]*$/);
  if (!match?.[1]) return undefined;
  return ordinals[match[1]] ?? Number(match[1]);
}
