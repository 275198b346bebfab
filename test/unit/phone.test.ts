import { describe, expect, it } from 'vitest';
import { extractPhone, maskPhone, maskPhonesInText } from '../../workorders/phone.js';
import { formatTicketCode, ticketDay } from '../../workorders/ticket-code.js';

describe('phone numbers', () => {
  it('extracts mobile and landline numbers as people type them', () => {
    expect(extractPhone('我的电话是138 1234 5678')).toBe('13812345678');
    expect(extractPhone('＋86-13912345678')).toBe('13912345678');
    expect(extractPhone('座机0571-88886666')).toBe('057188886666');
    expect(extractPhone('12345')).toBeUndefined();
    expect(extractPhone('23812345678')).toBeUndefined();
  });

  it('masks numbers for display and inside free text', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskPhonesInText('联系13812345678或0571-88886666')).toBe('联系138****5678或0571-****6666');
  });
});

describe('ticket numbers', () => {
  it('use the calendar day of the hotline time zone', () => {
    const lateUtc = new Date('2026-03-01T17:30:00Z'); // 01:30 on 2 March in Shanghai
    expect(ticketDay(lateUtc, 'Asia/Shanghai')).toBe('20260302');
    expect(formatTicketCode('LJ', '20260302', 123)).toBe('LJ20260302000123');
  });
});
