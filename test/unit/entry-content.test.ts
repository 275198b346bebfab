import { describe, expect, it } from 'vitest';
import {
  diffContent,
  entryContentSchema,
  parseValidity,
  textDiff,
  validityDay,
} from '../../knowledge/entry-content.js';

const schema = entryContentSchema('Asia/Shanghai');

describe('entry content', () => {
  it('reads validity days in the hotline time zone: from the first day start to the last day end', () => {
    expect(parseValidity('2025-01-01', 'start', 'Asia/Shanghai')?.toISOString()).toBe('2024-12-31T16:00:00.000Z');
    expect(parseValidity('2025/12/31', 'end', 'Asia/Shanghai')?.toISOString()).toBe('2025-12-31T15:59:59.999Z');
    expect(parseValidity('2025年3月8日', 'start', 'Asia/Shanghai')?.toISOString()).toBe('2025-03-07T16:00:00.000Z');
    expect(parseValidity('2025-02-30', 'start', 'Asia/Shanghai')).toBeUndefined();
    expect(parseValidity('明年', 'start', 'Asia/Shanghai')).toBeUndefined();
    expect(validityDay('2025-12-31T15:59:59.999Z', 'Asia/Shanghai')).toBe('2025-12-31');
  });

  it('validates with Chinese messages; only http(s) links; drops blanks, repeats and the question among similar', () => {
    const parsed = schema.parse({
      question: ' 护照怎么办 ',
      similar: ['护照怎么办', '办护照', '办护照', ''],
      answer: '到出入境大厅',
      tags: ['出入境', ''],
      sourceUrl: 'https://gov.example/a',
    });
    expect(parsed).toMatchObject({ question: '护照怎么办', similar: ['办护照'], tags: ['出入境'], category: null });
    const bad = schema.safeParse({
      question: '',
      answer: 'x',
      sourceUrl: 'javascript:alert(1)',
      validFrom: '2025-02-01',
      validTo: '2025-01-01',
    });
    const messages = bad.success ? [] : bad.error.issues.map((i) => i.message);
    expect(messages).toContain('「标准问题」不能为空');
    expect(messages).toContain('「政策链接」必须是 http:// 或 https:// 开头的网址');
  });

  it('diffs text by character, lists by item, values as before and after', () => {
    const pieces = textDiff('社保卡丢失后请挂失', '社保卡丢失后请立即挂失');
    expect(pieces).toEqual([
      { op: 'same', text: '社保卡丢失后请' },
      { op: 'add', text: '立即' },
      { op: 'same', text: '挂失' },
    ]);
    const before = schema.parse({ question: '问', answer: '答', similar: ['甲', '乙'], category: '社保' });
    const after = schema.parse({ question: '问', answer: '答', similar: ['乙', '丙'], category: '医保' });
    expect(diffContent(before, after)).toEqual([
      { field: 'similar', label: '相似问题', kind: 'list', added: ['丙'], removed: ['甲'] },
      { field: 'category', label: '分类', kind: 'value', before: '社保', after: '医保' },
    ]);
  });
});
