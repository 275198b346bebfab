import * as OpenCC from 'opencc-js';

const toSimplified = OpenCC.Converter({ from: 'hk', to: 'cn' });

/**
 * Polite openers and fillers that voice input and chat add but that carry no meaning for
 * retrieval. Longest first so that "我想问一下" is removed before "我想问".
 */
const fillers = [
  '我想咨询一下',
  '我想问一下',
  '想咨询一下',
  '想问一下',
  '请问一下',
  '我想咨询',
  '我想问问',
  '我想问',
  '咨询一下',
  '问一下',
  '请问',
  '您好',
  '你好',
  '那个',
  '就是说',
  '麻烦',
  '谢谢',
].sort((a, b) => b.length - a.length);
const fillerPattern = new RegExp(fillers.join('|'), 'g');

const digits: Record<string, number> = {
  零: 0,
  〇: 0,
  一: 1,
  二: 2,
  两: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
};
const units: Record<string, number> = { 十: 10, 百: 100, 千: 1000 };

/** 八十 → 80, 一百二十 → 120, 十五 → 15, 二〇二七 → 2027 (digit by digit when there is no unit). */
export function chineseNumeralValue(numeral: string): number | undefined {
  if (![...numeral].some((c) => c in units)) {
    const plain = [...numeral].map((c) => digits[c]);
    return plain.every((d) => d !== undefined) ? Number(plain.join('')) : undefined;
  }
  let total = 0;
  let current = 0;
  for (const c of numeral) {
    if (c in digits) current = digits[c]!;
    else if (c in units) {
      total += (current || 1) * units[c]!;
      current = 0;
    } else return undefined;
  }
  return total + current;
}

/** A numeral followed by a unit of age, time, money or count, as citizens write quantities. */
const quantityPattern =
  /([零〇一二两三四五六七八九十百千]+)(?=(周岁|岁|年|个月|月|天|日|号|元|块|万|人|次|胎|套|小时|分钟|公里|平方|个工作日))/g;

function numeralsToDigits(text: string): string {
  return text.replace(quantityPattern, (numeral) => {
    // 一 alone before 个月/天 etc. is "a"/"one" as often as a number; still a number here.
    const value = chineseNumeralValue(numeral);
    return value === undefined ? numeral : String(value);
  });
}

/**
 * Written Cantonese (Hong Kong and Macau visitors, Guangdong residents) to the Mandarin the
 * knowledge base is written in, after Traditional → Simplified: 出世纸唔见咗点补 → 出生证明不见了怎么补.
 * Only words that mean nothing else in Mandarin: 系 (关系, 系统) and 点 (几点, 地点) are mapped only
 * in fixed phrases. Longest first.
 */
const cantonese: [string, string][] = (
  [
    ['出世纸', '出生证明'],
    ['唔该晒', '谢谢'],
    ['唔该', '谢谢'],
    ['多谢晒', '谢谢'],
    ['身份证明书', '身份证明'],
    ['入境处', '出入境管理部门'],
    ['买飞', '买票'],
    ['入场飞', '门票'],
    ['屋企', '家'],
    ['街市', '菜市场'],
    ['的士', '出租车'],
    ['巴士', '公交车'],
    ['系唔系', '是不是'],
    ['系咪', '是不是'],
    ['唔系', '不是'],
    ['使唔使', '要不要'],
    ['唔使', '不用'],
    ['得唔得', '可不可以'],
    ['有冇', '有没有'],
    ['点样', '怎么'],
    ['点解', '为什么'],
    ['点算', '怎么办'],
    ['点办', '怎么办'],
    ['边度', '哪里'],
    ['边到', '哪里'],
    ['边个', '哪个'],
    ['边间', '哪间'],
    ['边区', '哪个区'],
    ['几时', '什么时候'],
    ['乜嘢', '什么'],
    ['咩嘢', '什么'],
    ['仲有', '还有'],
    ['仲要', '还要'],
    ['仲未', '还没'],
    ['佢哋', '他们'],
    ['我哋', '我们'],
    ['你哋', '你们'],
    ['咁样', '这样'],
    ['冇', '没有'],
    ['唔', '不'],
    ['咗', '了'],
    ['喺', '在'],
    ['嘅', '的'],
    ['啲', '些'],
    ['咩', '什么'],
    ['乜', '什么'],
    ['嘢', '东西'],
    ['揾', '找'],
    ['搵', '找'],
    ['睇', '看'],
    ['攞', '拿'],
    ['俾', '给'],
    ['畀', '给'],
    ['佢', '他'],
    ['哋', '们'],
    ['嚟', '来'],
    ['咁', '这么'],
  ] as [string, string][]
).sort((a, b) => b[0].length - a[0].length);
const cantonesePattern = new RegExp(cantonese.map(([word]) => word).join('|'), 'g');
const cantoneseMandarin = new Map(cantonese);
/** 点 before a verb asks how (点补, 点去), except after a number or in a word (几点去, 地点). */
const cantoneseHow =
  /(?<![\d零一二两三四五六七八九十几半整钟地重要优缺特亮终起焦热观据景网站])点(?=(补|去|申请|办|搞|做|整|拎|攞|拿|交|查|报|续|换|预约|返))/g;

function cantoneseToMandarin(simplified: string): string {
  return (
    simplified
      // 咩 ends a question as 吗 does ("有人咩"); elsewhere it is 什么 ("做咩", "咩事").
      .replace(/咩(?=[\s?？!！。.~～]*$)/u, '吗')
      .replace(cantonesePattern, (word) => cantoneseMandarin.get(word) ?? word)
      .replace(cantoneseHow, '怎么')
  );
}

/**
 * The characters and words of a message in one script and language, punctuation and case kept:
 * NFKC (full/half width), Traditional → Simplified, written Cantonese → Mandarin. What the
 * conversation engine's rules read, and the first step of normaliseText.
 */
export function toSimplifiedMandarin(input: string): string {
  return cantoneseToMandarin(toSimplified(input.normalize('NFKC').replace(invisible, '')));
}

/**
 * Zero-width and direction marks that pasted or dictated text carries: invisible, yet "取\u200b消"
 * is no 取消 and a ticket number with one inside is no ticket number.
 */
const invisible = /[\u200B-\u200D\u2060\uFEFF\u202A-\u202E\u2066-\u2069]/g;

/**
 * Brings citizen text and knowledge-base text to one form before indexing or searching:
 * full-width to half-width (NFKC), Traditional to Simplified, Chinese numerals of quantities to
 * digits (八十岁 → 80岁, 5号 → 5日 but 3号线 and 望江路66号 stay), lower case, fillers and punctuation removed, spaces collapsed.
 */
export function normaliseText(input: string): string {
  return (
    numeralsToDigits(toSimplifiedMandarin(input))
      .toLowerCase()
      // 5号 is a date (5日), but 3号线, 18号楼, 2号窗口 and 望江路66号 are names.
      .replace(/(?<![\d路街道巷弄村])(\d+)号(?![线楼栋门院单元窗口馆路厅房室车站台位岗])/g, '$1日')
      .replace(fillerPattern, ' ')
      .replace(/[\p{P}\p{S}]+/gu, ' ')
      .replace(/\s+/g, ' ')
      .trim()
  );
}
