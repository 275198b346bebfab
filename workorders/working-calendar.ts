import { z } from 'zod';

const isoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD');

/** The holiday calendar file: public holidays and weekend days that are working days (调休). */
export const holidayCalendarSchema = z.object({
  description: z.string().optional(),
  holidays: z.array(isoDay),
  workdays: z.array(isoDay).default([]),
});
export type HolidayCalendar = z.infer<typeof holidayCalendarSchema>;

export function parseHolidayCalendar(json: string): HolidayCalendar {
  const parsed = holidayCalendarSchema.safeParse(JSON.parse(json));
  if (!parsed.success) {
    throw new Error(
      `invalid holiday calendar: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  }
  return parsed.data;
}

/** Milliseconds the zone is ahead of UTC at an instant. */
function zoneOffsetMs(at: Date, timeZone: string): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    })
      .formatToParts(at)
      .map((p) => [p.type, Number(p.value)]),
  ) as Record<string, number>;
  const asUtc = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
  return asUtc - Math.floor(at.getTime() / 1000) * 1000;
}

/** Working days in a time zone: Monday to Friday, minus holidays, plus adjusted working days. */
export class WorkingCalendar {
  private readonly holidays: Set<string>;
  private readonly workdays: Set<string>;

  constructor(
    calendar: HolidayCalendar,
    private readonly timeZone: string,
  ) {
    this.holidays = new Set(calendar.holidays);
    this.workdays = new Set(calendar.workdays);
  }

  /** The local calendar day of an instant, YYYY-MM-DD. */
  localDay(at: Date): string {
    return new Intl.DateTimeFormat('en-CA', { timeZone: this.timeZone }).format(at);
  }

  isWorkingDay(day: string): boolean {
    if (this.workdays.has(day)) return true;
    if (this.holidays.has(day)) return false;
    const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
    return weekday !== 0 && weekday !== 6;
  }

  /**
   * The end (24:00 local time) of the n-th working day after the day of `from`: an order filed on
   * Friday afternoon with one working day to sign is due at the end of Monday.
   */
  endOfWorkingDaysAfter(from: Date, n: number): Date {
    let day = this.localDay(from);
    let counted = 0;
    while (counted < n) {
      day = nextDay(day);
      if (this.isWorkingDay(day)) counted++;
    }
    return this.startOfLocalDay(nextDay(day));
  }

  private startOfLocalDay(day: string): Date {
    const utcMidnight = new Date(`${day}T00:00:00Z`);
    const guess = new Date(utcMidnight.getTime() - zoneOffsetMs(utcMidnight, this.timeZone));
    return new Date(utcMidnight.getTime() - zoneOffsetMs(guess, this.timeZone));
  }
}

function nextDay(day: string): string {
  const next = new Date(`${day}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  return next.toISOString().slice(0, 10);
}
