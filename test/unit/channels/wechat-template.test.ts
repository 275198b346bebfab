import { describe, expect, it } from 'vitest';
import type { Reply } from '../../../bot/message.js';
import { parseTemplateFields, templateData, templateUrl } from '../../../channels/wechat/template.js';

const update: Reply = {
  kind: 'status',
  text: '您的工单 LJ20261129000001 已派至临江市城市管理局办理，\n我们会持续跟进。',
  sources: [],
  ticket: { code: 'LJ20261129000001', status: 'returned', statusLabel: '已退单待改派' },
};

describe('WeChat work-order template', () => {
  it('parses the field mapping and names the bad pair', () => {
    expect(parseTemplateFields('character_string1=code, phrase2=status,thing3=text,time4=time')).toEqual({
      character_string1: 'code',
      phrase2: 'status',
      thing3: 'text',
      time4: 'time',
    });
    expect(parseTemplateFields('thing1')).toBe('"thing1" is not KEYWORD=VALUE');
    expect(parseTemplateFields('thing1=phone')).toMatch(/"phone" is not one of/);
    expect(parseTemplateFields('Thing1=code')).toMatch(/not KEYWORD=VALUE/);
  });

  it('fills each keyword with its value, cut to what its type accepts, the time in the hotline time zone', () => {
    const data = templateData(
      {
        templateId: 't',
        fields: { character_string1: 'code', phrase2: 'status', thing3: 'text', time4: 'time', keyword5: 'text' },
        timeZone: 'Asia/Shanghai',
      },
      update,
      new Date('2026-11-29T16:05:00Z'),
    );
    expect(data.character_string1).toBe('LJ20261129000001');
    // phrase: at most 5 characters; thing: at most 20.
    expect(data.phrase2).toBe('已退单待…');
    expect([...data.thing3!]).toHaveLength(20);
    expect(data.thing3).toBe('您的工单 LJ202611290000…');
    expect(data.time4).toBe('2026年11月30日 00:05');
    // Older keywords take the whole text, on one line.
    expect(data.keyword5).toBe('您的工单 LJ20261129000001 已派至临江市城市管理局办理， 我们会持续跟进。');
  });

  it('puts the ticket number into the link', () => {
    const template = { templateId: 't', fields: {}, timeZone: 'Asia/Shanghai' };
    expect(templateUrl({ ...template, url: 'https://h.example.gov.cn/?t={code}' }, update)).toBe(
      'https://h.example.gov.cn/?t=LJ20261129000001',
    );
    expect(templateUrl(template, update)).toBeUndefined();
  });
});
