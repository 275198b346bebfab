import { describe, expect, it } from 'vitest';
import { extractPhone, maskPhone, maskPhonesInText } from '../../personal-data/phone.js';
import { formatTicketCode, ticketDay } from '../../workorders/ticket-code.js';

describe('phone numbers', () => {
  it('extracts mobile and landline numbers as people type them', () => {
    expect(extractPhone('我的电话是138 1234 5678')).toBe('13812345678');
    expect(extractPhone('＋86-13912345678')).toBe('13912345678');
    expect(extractPhone('座机0571-88886666')).toBe('057188886666');
    // Landlines as the prompt's "带区号的固定电话" invites them to be written.
    expect(extractPhone('(0571)87654321')).toBe('057187654321');
    expect(extractPhone('（0571）87654321')).toBe('057187654321');
    expect(extractPhone('0571 8765 4321')).toBe('057187654321');
    expect(extractPhone('010-1234567')).toBe('0101234567');
    expect(extractPhone('查询工单 LJ20261130000001')).toBeUndefined();
    expect(extractPhone('12345')).toBeUndefined();
    expect(extractPhone('23812345678')).toBeUndefined();
  });

  it('masks numbers for display and inside free text', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskPhonesInText('联系13812345678或0571-88886666')).toBe('联系138****5678或0571-****6666');
    expect(maskPhonesInText('座机（0571）8765 4321')).toBe('座机0571-****4321');
  });
});

describe('ticket numbers', () => {
  it('use the calendar day of the hotline time zone', () => {
    const lateUtc = new Date('2026-03-01T17:30:00Z'); // 01:30 on 2 March in Shanghai
    expect(ticketDay(lateUtc, 'Asia/Shanghai')).toBe('20260302');
    expect(formatTicketCode('LJ', '20260302', 123)).toBe('LJ20260302000123');
  });
});
