// Rules that read work-order fields out of what the citizen already said.
import { extractPhone } from '../personal-data/phone.js';
import type { AppealType } from '../workorders/work-order.js';
import { appealTypeNamed } from './intents.js';

/** Keywords → category shown in the read-back; the dispatcher may re-classify. */
const categories: { category: string; pattern: RegExp }[] = [
  { category: '噪声扰民', pattern: /噪音|噪声|太吵|吵得|扰民|广场舞|施工声|喇叭/ },
  { category: '餐饮油烟', pattern: /油烟|烧烤/ },
  { category: '环境卫生', pattern: /垃圾|脏乱|臭味|污水|粪|老鼠/ },
  { category: '市政设施', pattern: /路灯|井盖|路面|坑洼|护栏|下水道|积水/ },
  { category: '供水供电供气', pattern: /停水|水压|停电|断电|燃气|暖气|供暖/ },
  { category: '交通秩序', pattern: /违停|违章停车|占道|堵车|乱停|公交/ },
  { category: '物业管理', pattern: /物业|电梯|小区门禁/ },
  { category: '违法建设', pattern: /违建|违章建筑|私搭乱建|加盖/ },
  { category: '劳动保障', pattern: /欠薪|拖欠工资|工资|社保未缴/ },
  { category: '消费维权', pattern: /退款|退货|预付卡|商家|假货|乱收费/ },
  { category: '市场监管', pattern: /无证经营|过期食品|食品安全/ },
];

export function guessCategory(text: string): string | undefined {
  return categories.find((c) => c.pattern.test(text))?.category;
}

/** A road, street, number or named compound marks a place. */
const placeAnchor =
  /(?:路|街|大道|巷|弄|胡同)(?:\d+号(?:楼|院)?)?(?:路口|口|门口)?|\d+号(?:楼|院)?|小区|花园|家园|新村|大厦|广场|菜市场|市场|公园|商场|社区|村|服务中心|服务大厅|医院|学校|派出所|地铁站|车站/g;
/** Words that can precede a place inside the same phrase but are not part of it. */
const placeLead =
  /^(?:表扬|投诉|举报|反映|建议|求助|报修|今天|昨天|前天|每天|天天|每晚|最近|早上|上午|中午|下午|傍晚|晚上|夜里|半夜|凌晨|深夜)+/;
/** Characters that end a place when reading backwards from its anchor. */
const placeStop = new Set([...'在到于诉报映我你他们的了是说有，,。、；; ：:要想从给对']);

/** The place the citizen named, read backwards from a place word to the start of the phrase. */
export function extractPlace(text: string): string | undefined {
  for (const match of text.matchAll(placeAnchor)) {
    const end = match.index + match[0].length;
    let start = match.index;
    while (start > 0 && !placeStop.has(text[start - 1]!) && match.index - start < 12) start--;
    const place = text.slice(start, end).replace(placeLead, '');
    if (place.length >= 3) return place;
  }
  return undefined;
}

const timePattern =
  /(?:\d{1,2}月\d{1,2}[日号])?(?:今天|昨天|前天|每天|天天|每晚|最近|这几天|近期|上周[一二三四五六日末]?|周[一二三四五六日末]|星期[一二三四五六日天])?(?:早上|上午|中午|下午|傍晚|晚上|夜里|夜间|半夜|凌晨|深夜)?(?:\d{1,2}(?:点|:\d{2})(?:半|多|左右)?(?:以后|之后|后)?)?/g;

/** When it happens or happened, as the citizen said it. */
export function extractTime(text: string): string | undefined {
  for (const match of text.matchAll(timePattern)) if (match[0].length >= 2) return match[0];
  return undefined;
}

/**
 * A change to one field of the order being collected. Without a value ("地址不对") the citizen is
 * asked for that field again.
 */
export type Correction =
  | { field: 'place' | 'description' | 'time' | 'phone'; value: string | undefined }
  | { field: 'appealType'; value: AppealType };

/** What says a field is wrong: "地址写错了", "地点不是这个". */
const wrongWords = '(?:写错了|填错了|说错了|错了|不对|有误|不是这个|不是这里|不是这儿)';
const changeWords = '(?:改成|改为|换成|应该是|应为|更正为|是)';

const fieldNames = {
  place: '地点|地址|位置|发生地点',
  description: '描述|内容|情况|情况描述',
  time: '时间|发生时间',
} as const;

/**
 * "地点改成…", "地址写错了，应该是…", "电话错了，是…", "类型改成投诉", or a field said to be wrong
 * without the right value ("地址不对", "电话错了").
 */
export function parseCorrection(text: string): Correction | undefined {
  const t = text.trim().replace(/[。!！]+$/, '');
  const field = (names: string) =>
    t.match(new RegExp(`^(?:把)?(?:${names})(?:${wrongWords}[,，\\s]*)?${changeWords}[:：\\s]*(.+)$`))?.[1];
  const wrong = (names: string) => new RegExp(`^(?:把)?(?:${names})${wrongWords}[了啊呀吧的,，\\s]*$`).test(t);
  const phone = t.match(/^(?:把)?(?:电话|手机|号码|联系电话|手机号|电话号码)(?:号码)?.{0,8}?(\+?[\d\s()（）-]{4,20})$/);
  if (phone || /^(?:电话|手机|号码|联系电话|手机号)(?:号码)?(?:错了|不对|写错了|有误)/.test(t))
    return { field: 'phone', value: extractPhone(t) };
  for (const name of ['place', 'description', 'time'] as const) {
    const value = field(fieldNames[name])?.trim();
    if (value) return { field: name, value };
    if (wrong(fieldNames[name])) return { field: name, value: undefined };
  }
  const type = t.match(/^(?:类型|诉求类型)?(?:改成|改为|换成|应该是)(咨询|求助|投诉|举报|建议|表扬)/)?.[1];
  if (type) return { field: 'appealType', value: appealTypeNamed(type)! };
  return undefined;
}
