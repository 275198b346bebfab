import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCatalogue } from '../../workorders/catalogue.js';
import { computeDueDates, dueState } from '../../workorders/deadlines.js';
import { parseHolidayCalendar, WorkingCalendar } from '../../workorders/working-calendar.js';

const root = join(import.meta.dirname, '..', '..');
const catalogue = parseCatalogue(readFileSync(join(root, 'workorders/demo/linjiang-catalogue.json'), 'utf8'));
const calendar = new WorkingCalendar(
  parseHolidayCalendar(readFileSync(join(root, 'workorders/demo/holidays.json'), 'utf8')),
  'Asia/Shanghai',
);

describe('working calendar and due dates', () => {
  it('knows weekends, public holidays and adjusted working days (调休)', () => {
    expect(calendar.isWorkingDay('2026-11-27')).toBe(true); // Friday
    expect(calendar.isWorkingDay('2026-11-28')).toBe(false); // Saturday
    expect(calendar.isWorkingDay('2026-10-05')).toBe(false); // National Day holiday, a Monday
    expect(calendar.isWorkingDay('2026-10-10')).toBe(true); // Saturday made a working day
  });

  it('counts whole working days after the day of filing, due at 24:00 Beijing time', () => {
    // Friday 16:00 in Beijing + 1 working day = end of Monday.
    expect(calendar.endOfWorkingDaysAfter(new Date('2026-11-27T08:00:00Z'), 1).toISOString()).toBe(
      '2026-11-30T16:00:00.000Z',
    );
    // 30 September + 1 working day skips the National Day week: end of Thursday 8 October.
    expect(calendar.endOfWorkingDaysAfter(new Date('2026-09-30T02:00:00Z'), 1).toISOString()).toBe(
      '2026-10-08T16:00:00.000Z',
    );
    // Friday 9 October + 1 = the adjusted working Saturday 10 October.
    expect(calendar.endOfWorkingDaysAfter(new Date('2026-10-09T02:00:00Z'), 1).toISOString()).toBe(
      '2026-10-10T16:00:00.000Z',
    );
  });

  it('takes the due dates from the rule for the appeal type and urgency', () => {
    const filed = new Date('2026-11-27T08:00:00Z');
    const urgent = computeDueDates(catalogue, calendar, { appealType: 'complaint', urgency: 'urgent' }, filed);
    expect(urgent.respondDueAt.toISOString()).toBe('2026-11-27T10:00:00.000Z');
    const complaint = computeDueDates(catalogue, calendar, { appealType: 'complaint', urgency: 'normal' }, filed);
    expect(complaint.completeDueAt.toISOString()).toBe('2026-12-04T16:00:00.000Z'); // 5 working days
    const consult = computeDueDates(catalogue, calendar, { appealType: 'consult', urgency: 'normal' }, filed);
    expect(consult.completeDueAt.toISOString()).toBe('2026-12-02T16:00:00.000Z'); // 3 working days
  });

  it('lists open orders near their due date yellow and past it red', () => {
    const respondDueAt = new Date('2026-11-30T16:00:00Z');
    const completeDueAt = new Date('2026-12-04T16:00:00Z');
    const order = { status: 'dispatched' as const, respondDueAt, completeDueAt };
    expect(dueState(order, new Date('2026-11-29T00:00:00Z'), 24)).toBe('ok');
    expect(dueState(order, new Date('2026-11-30T00:00:00Z'), 24)).toBe('yellow');
    expect(dueState(order, new Date('2026-12-01T00:00:00Z'), 24)).toBe('red');
    // Once signed, only completion counts; once resolved, nothing.
    expect(dueState({ ...order, status: 'signed' }, new Date('2026-12-01T00:00:00Z'), 24)).toBe('ok');
    expect(dueState({ ...order, status: 'resolved' }, new Date('2026-12-09T00:00:00Z'), 24)).toBe('ok');
  });

  it('rejects a malformed holiday calendar', () => {
    expect(() => parseHolidayCalendar('{"holidays": ["2026/10/01"]}')).toThrow(/holidays.0/);
  });
});
