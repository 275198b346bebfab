import type { Database } from '../../prisma/client.js';
import type { LearningInbox } from './learning-inbox.js';

export const NEVER_HIT_DAYS = 90;
export const EXPIRING_DAYS = 30;
export const REPORT_WEEKS = 12;
const TOP_CLUSTERS = 10;
const DAY = 86_400_000;

export interface WeekRate {
  /** Monday of the week (YYYY-MM-DD, in the report's time zone). */
  week: string;
  answered: number;
  clarified: number;
  abstained: number;
  /** abstained / (answered + clarified + abstained); null without decisions. */
  abstainRate: number | null;
}

export interface HealthReport {
  generatedAt: Date;
  neverHit: { id: string; question: string; category: string | null; department: string | null }[];
  expiring: { id: string; question: string; department: string | null; validTo: Date; daysLeft: number }[];
  weeks: WeekRate[];
  topClusters: { id: number; label: string; questionCount: number; status: string }[];
}

/** The calendar day of an instant in a time zone, as YYYY-MM-DD. */
function dayIn(timeZone: string, at: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

/** Start instants of the last `weeks` weeks (Monday 00:00 in the time zone), oldest first, plus the next one. */
export function weekStarts(now: Date, weeks: number, timeZone: string): { day: string; start: Date }[] {
  const today = dayIn(timeZone, now);
  const [y, m, d] = today.split('-').map(Number) as [number, number, number];
  const localMidnightUtc = Date.UTC(y, m - 1, d);
  const weekday = (new Date(localMidnightUtc).getUTCDay() + 6) % 7; // Monday 0
  const offset = localMidnightUtc - zonedMidnight(today, timeZone);
  const result: { day: string; start: Date }[] = [];
  for (let i = weeks - 1; i >= -1; i--) {
    const mondayUtc = localMidnightUtc - (weekday + 7 * i) * DAY;
    const day = new Date(mondayUtc).toISOString().slice(0, 10);
    result.push({ day, start: new Date(mondayUtc - offset) });
  }
  return result;
}

/** The UTC instant of 00:00 on `day` in the time zone (to the minute; zones without DST changes on Mondays). */
function zonedMidnight(day: string, timeZone: string): number {
  const guess = Date.parse(`${day}T00:00:00Z`);
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  }).formatToParts(new Date(guess));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const shown = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'));
  return guess - (shown - guess);
}

/**
 * The knowledge base's health: published entries no answer used in 90 days, published entries
 * whose validity ends within 30 days, the weekly abstain rate of new questions (answers,
 * clarifications and abstentions of the knowledge step; picks after a clarification are not new
 * questions), and the most asked open inbox clusters.
 */
export async function healthReport(
  db: Database,
  inbox: LearningInbox,
  options: { now?: Date; timeZone: string },
): Promise<HealthReport> {
  const now = options.now ?? new Date();
  await inbox.syncAnsweredConsultations();
  const hitSince = new Date(now.getTime() - NEVER_HIT_DAYS * DAY);
  const [hits, published, expiringRows] = await Promise.all([
    db.knowledgeOutcome.groupBy({
      by: ['entryId'],
      where: { createdAt: { gte: hitSince }, outcome: { in: ['answer', 'clarify-answer'] }, entryId: { not: null } },
    }),
    db.knowledgeEntry.findMany({
      where: { status: 'published' },
      orderBy: { id: 'asc' },
      select: { id: true, question: true, category: true, department: true },
    }),
    db.knowledgeEntry.findMany({
      where: { status: 'published', validTo: { gte: now, lte: new Date(now.getTime() + EXPIRING_DAYS * DAY) } },
      orderBy: [{ validTo: 'asc' }, { id: 'asc' }],
      select: { id: true, question: true, department: true, validTo: true },
    }),
  ]);
  const hit = new Set(hits.map((h) => h.entryId));
  const starts = weekStarts(now, REPORT_WEEKS, options.timeZone);
  const weeks: WeekRate[] = [];
  for (let i = 0; i + 1 < starts.length; i++) {
    const counts = await db.knowledgeOutcome.groupBy({
      by: ['outcome'],
      where: { createdAt: { gte: starts[i]!.start, lt: starts[i + 1]!.start } },
      _count: { _all: true },
    });
    const count = (outcome: string) => counts.find((c) => c.outcome === outcome)?._count._all ?? 0;
    const [answered, clarified, abstained] = [count('answer'), count('clarify'), count('abstain')];
    const total = answered + clarified + abstained;
    weeks.push({
      week: starts[i]!.day,
      answered,
      clarified,
      abstained,
      abstainRate: total ? abstained / total : null,
    });
  }
  const top = await inbox.clusters({ status: 'open', limit: TOP_CLUSTERS });
  return {
    generatedAt: now,
    neverHit: published.filter((e) => !hit.has(e.id)),
    expiring: expiringRows.map((e) => ({
      ...e,
      validTo: e.validTo!,
      daysLeft: Math.ceil((e.validTo!.getTime() - now.getTime()) / DAY),
    })),
    weeks,
    topClusters: top.items.map((c) => ({
      id: c.id,
      label: c.label,
      questionCount: c.questionCount,
      status: c.status,
    })),
  };
}

/** A spreadsheet cell: quoted, and a leading = + - @ neutralised so Excel never runs it as a formula. */
function cell(value: string | number | null): string {
  if (value === null) return '';
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The report as one CSV table (UTF-8 with BOM for Excel): section, key, label, value, detail. */
export function healthReportCsv(report: HealthReport): string {
  const rows: (string | number | null)[][] = [['section', 'key', 'label', 'value', 'detail']];
  for (const e of report.neverHit) rows.push(['never-hit-90d', e.id, e.question, null, e.department]);
  for (const e of report.expiring) {
    rows.push(['expiring-30d', e.id, e.question, e.daysLeft, e.validTo.toISOString().slice(0, 10)]);
  }
  for (const w of report.weeks) {
    rows.push([
      'abstain-rate-week',
      w.week,
      `answered ${w.answered}; clarified ${w.clarified}; abstained ${w.abstained}`,
      w.abstainRate === null ? null : Number(w.abstainRate.toFixed(4)),
      null,
    ]);
  }
  for (const c of report.topClusters) rows.push(['top-cluster', c.id, c.label, c.questionCount, c.status]);
  return `\uFEFF${rows.map((r) => r.map(cell).join(',')).join('\r\n')}\r\n`;
}
