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
 * Brings citizen text and knowledge-base text to one form before indexing or searching:
 * full-width to half-width (NFKC), Traditional to Simplified, Chinese numerals of quantities to
 * digits (八十岁 → 80岁, 5号 → 5日 but 3号线 and 望江路66号 stay), lower case, fillers and punctuation removed, spaces collapsed.
 */
export function normaliseText(input: string): string {
  return (
    numeralsToDigits(toSimplified(input.normalize('NFKC')))
      .toLowerCase()
      // 5号 is a date (5日), but 3号线, 18号楼, 2号窗口 and 望江路66号 are names.
      .replace(/(?<![\d路街道巷弄村])(\d+)号(?![线楼栋门院单元窗口馆路厅房室车站台位岗])/g, '$1日')
      .replace(fillerPattern, ' ')
      .replace(/[\p{P}\p{S}]+/gu, ' ')
      .replace(/\s+/g, ' ')
      .trim()
  );
}
