import { createHash } from 'node:crypto';
import type { Database, Prisma } from '../prisma/client.js';
import {
  contentOf,
  diffContent,
  rowFields,
  sameContent,
  type EntryContent,
  type FieldChange,
} from './entry-content.js';
import { entryStatuses, type EntryStatus } from './entry.js';
import { normaliseText } from './normalise.js';

/** Who acts in the console; the name is written to every version and event. */
export interface Editor {
  name: string;
  role: 'knowledge' | 'reviewer' | 'admin';
}

export const workflowActions = ['submit', 'withdraw', 'publish', 'reject', 'archive', 'restore', 'discard'] as const;
export type WorkflowAction = (typeof workflowActions)[number];

/** Who may do what: managers draft and submit, reviewers publish or send back, administrators all. */
const permitted: Record<WorkflowAction | 'edit' | 'import' | 'import-publish', readonly Editor['role'][]> = {
  edit: ['knowledge', 'admin'],
  import: ['knowledge', 'admin'],
  'import-publish': ['admin'],
  submit: ['knowledge', 'admin'],
  withdraw: ['knowledge', 'admin'],
  discard: ['knowledge', 'admin'],
  publish: ['reviewer', 'admin'],
  reject: ['reviewer', 'admin'],
  archive: ['reviewer', 'admin'],
  restore: ['reviewer', 'admin'],
};

export type EntryWorkflowErrorCode =
  | 'ENTRY_NOT_FOUND'
  | 'ENTRY_ACTION_NOT_PERMITTED'
  | 'ILLEGAL_ENTRY_TRANSITION'
  | 'ENTRY_CONFLICT'
  | 'INVALID_ENTRY';

export class EntryWorkflowError extends Error {
  constructor(
    readonly code: EntryWorkflowErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'EntryWorkflowError';
  }
}

/** Version states: a working version is draft or review; at most one per entry. */
export type VersionState = 'draft' | 'review' | 'published' | 'superseded' | 'discarded';
const workingStates = ['draft', 'review'];

export interface VersionView {
  number: number;
  state: VersionState;
  origin: string;
  basedOn: number | null;
  content: EntryContent;
  createdBy: string;
  createdAt: Date;
  updatedBy: string;
  updatedAt: Date;
  submittedBy: string | null;
  submittedAt: Date | null;
  reviewedBy: string | null;
  reviewedAt: Date | null;
  reviewNote: string | null;
}

export interface EntryEventView {
  action: string;
  version: number | null;
  actor: string;
  actorRole: string;
  note: string | null;
  at: Date;
}

export interface EntryDetail {
  id: string;
  status: EntryStatus;
  /** The version citizens are answered with (0: loaded outside the console, never versioned). */
  revision: number;
  /** Published content; null for an entry never published. */
  live: EntryContent | null;
  working: VersionView | null;
  versions: VersionView[];
  events: EntryEventView[];
  createdBy: string | null;
  updatedBy: string | null;
  publishedBy: string | null;
  publishedAt: Date | null;
  updatedAt: Date;
}

export interface EntrySummary {
  id: string;
  status: EntryStatus;
  question: string;
  category: string | null;
  department: string | null;
  region: string | null;
  tags: string[];
  validFrom: Date | null;
  validTo: Date | null;
  working: { number: number; state: 'draft' | 'review'; updatedBy: string; updatedAt: Date } | null;
  updatedBy: string | null;
  updatedAt: Date;
}

export interface EntryFilter {
  text?: string;
  category?: string;
  department?: string;
  region?: string;
  /** An entry matches a status when it has it or its working version does (a published entry under review). */
  status?: EntryStatus[];
  /** Valid until within this many days from now (and not yet expired). */
  expiringWithinDays?: number;
  ids?: string[];
  limit?: number;
  offset?: number;
}

export interface ImportRow {
  line: number;
  id?: string;
  content: EntryContent;
}

export interface ImportResult {
  created: number;
  updated: number;
  unchanged: number;
  /** Rows not applied, with the reason (e.g. the entry is under review). */
  skipped: { line: number; id: string; reason: string }[];
  ids: string[];
}

/**
 * What the caller saw of the entry, so a change made meanwhile is refused (409) instead of being
 * overwritten or published unseen. Omitted, nothing is compared (scripts, imports).
 */
export interface ExpectedVersion {
  /** The working version's updatedAt as loaded (ISO), or 'none' when the caller loaded no working version. */
  expectedUpdatedAt?: string;
  /** The hotline's time zone, for the time in a conflict message (default Asia/Shanghai). */
  timeZone?: string;
}

export interface ActOptions extends ExpectedVersion {
  note?: string;
}

/**
 * A time as a person at the hotline reads it, in its time zone: 11月30日 05:23 (UTC would say 21:23 the
 * day before); the year only when it is not the current one.
 */
export function localTime(at: Date, timeZone = 'Asia/Shanghai', now = new Date()): string {
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  const partsOf = (d: Date) => Object.fromEntries(format.formatToParts(d).map((p) => [p.type, p.value]));
  const parts = partsOf(at);
  const year = parts.year === partsOf(now).year ? '' : `${parts.year}年`;
  return `${year}${parts.month}月${parts.day}日 ${parts.hour}:${parts.minute}`;
}

/** Refuses when the working version is not the one the caller saw (changed, replaced, started or gone). */
function checkExpected(
  working: { updatedAt: Date; updatedBy: string; number: number } | null,
  expected: ExpectedVersion,
  what: 'save' | 'review',
): void {
  const seen = expected.expectedUpdatedAt;
  if (seen === undefined || (working ? working.updatedAt.toISOString() : 'none') === seen) return;
  const change = working
    ? `${working.updatedBy} 已于 ${localTime(working.updatedAt, expected.timeZone)} 修改了此条目的第 ${working.number} 版`
    : '您打开的版本已被发布或放弃';
  throw new EntryWorkflowError(
    'ENTRY_CONFLICT',
    what === 'save'
      ? `${change}，请刷新页面查看后再编辑`
      : `${change}，与您看到的内容不同，请刷新页面查看最新内容后再操作`,
  );
}

export interface EntryWorkflowOptions {
  /** Called after a change that alters what citizens are answered with (publish, archive, restore). */
  onPublished?: () => Promise<void>;
  /** Ranked ids of answerable entries for a query: the real retrieval. */
  search?: (text: string) => Promise<string[]>;
  clock?: () => Date;
}

const summaryFields = {
  id: true,
  status: true,
  question: true,
  category: true,
  department: true,
  region: true,
  tags: true,
  validFrom: true,
  validTo: true,
  updatedBy: true,
  updatedAt: true,
} as const;

const asStatus = (s: string): EntryStatus =>
  (entryStatuses as readonly string[]).includes(s) ? (s as EntryStatus) : 'draft';
const asJson = (content: EntryContent) => content as unknown as Prisma.InputJsonValue;
/** Two questions with the same key are the same question (import keys rows without an id by it). */
export const questionKey = (question: string) => normaliseText(question).replace(/[\s?？!！。.,，]/g, '');

/** The id given to an imported row without one: the same question always gets the same id. */
export const idForQuestion = (question: string) =>
  `kb-${createHash('sha256').update(questionKey(question)).digest('hex').slice(0, 12)}`;

function toVersion(row: {
  number: number;
  state: string;
  origin: string;
  basedOn: number | null;
  content: unknown;
  createdBy: string;
  createdAt: Date;
  updatedBy: string;
  updatedAt: Date;
  submittedBy: string | null;
  submittedAt: Date | null;
  reviewedBy: string | null;
  reviewedAt: Date | null;
  reviewNote: string | null;
}): VersionView {
  return { ...row, state: row.state as VersionState, content: contentOf(row.content as Record<string, unknown>) };
}

/**
 * The editorial workflow of the knowledge base: draft → review → published → archived.
 * The entry row is what citizens are answered with; edits of a published entry live in a working
 * version beside it until a reviewer publishes them. Every change is a version or an event with
 * its author and time; rollback makes a new version from an old one.
 */
export class EntryWorkflow {
  private readonly clock: () => Date;

  constructor(
    private readonly db: Database,
    private readonly options: EntryWorkflowOptions = {},
  ) {
    this.clock = options.clock ?? (() => new Date());
  }

  /**
   * The next updatedAt of a working version: strictly after the previous one, so two changes in the
   * same millisecond still differ and a caller holding the older stamp is refused.
   */
  private after(previous: Date): Date {
    const now = this.clock();
    return now > previous ? now : new Date(previous.getTime() + 1);
  }

  private allow(editor: Editor, action: keyof typeof permitted): void {
    if (!permitted[action].includes(editor.role)) {
      throw new EntryWorkflowError('ENTRY_ACTION_NOT_PERMITTED', `角色「${editor.role}」不能执行此操作（${action}）`);
    }
  }

  /** The part of a filter the database applies; status and text are applied to the rows read. */
  private whereOf(filter: EntryFilter, now: Date): Prisma.KnowledgeEntryWhereInput {
    return {
      ...(filter.category ? { category: filter.category } : {}),
      ...(filter.department ? { department: filter.department } : {}),
      ...(filter.region ? { region: filter.region } : {}),
      ...(filter.ids ? { id: { in: filter.ids } } : {}),
      ...(filter.expiringWithinDays !== undefined
        ? { validTo: { gte: now, lte: new Date(now.getTime() + filter.expiringWithinDays * 86_400_000) } }
        : {}),
    };
  }

  async list(filter: EntryFilter = {}): Promise<{ total: number; items: EntrySummary[] }> {
    const now = this.clock();
    const where = this.whereOf(filter, now);
    const rows = await this.db.knowledgeEntry.findMany({
      where,
      select: summaryFields,
      orderBy: { updatedAt: 'desc' },
    });
    const working = new Map(
      (
        await this.db.knowledgeEntryVersion.findMany({
          where: { state: { in: workingStates } },
          select: { entryId: true, number: true, state: true, updatedBy: true, updatedAt: true, content: true },
        })
      ).map((v) => [v.entryId, v]),
    );
    let items: EntrySummary[] = rows.map((row) => {
      const w = working.get(row.id);
      return {
        ...row,
        status: asStatus(row.status),
        tags: contentOf({ tags: row.tags }).tags,
        working: w
          ? { number: w.number, state: w.state as 'draft' | 'review', updatedBy: w.updatedBy, updatedAt: w.updatedAt }
          : null,
      };
    });
    if (filter.status?.length) {
      const wanted = new Set<string>(filter.status);
      items = items.filter((e) => wanted.has(e.status) || (e.working !== null && wanted.has(e.working.state)));
    }
    if (filter.text) items = await this.rankByText(items, filter.text, working, where);
    const offset = filter.offset ?? 0;
    return { total: items.length, items: items.slice(offset, offset + (filter.limit ?? 50)) };
  }

  /** The retrieval's ranking first (published entries as citizens would find them), then plain text matches. */
  private async rankByText(
    items: EntrySummary[],
    text: string,
    working: Map<string, { content: unknown }>,
    where: Prisma.KnowledgeEntryWhereInput,
  ): Promise<EntrySummary[]> {
    const needle = normaliseText(text).toLowerCase();
    // The list's own filter again, not the ids it found: an IN list of a whole base exceeds bind-parameter limits.
    const full = new Map(
      (
        await this.db.knowledgeEntry.findMany({
          where,
          select: { id: true, question: true, answer: true, similar: true },
        })
      ).map((r) => [r.id, r]),
    );
    const contains = (value: string | undefined) =>
      value !== undefined && (normaliseText(value).toLowerCase().includes(needle) || value.includes(text));
    const workingQuestion = (id: string) => (working.get(id)?.content as { question?: string } | undefined)?.question;
    // A question containing the words typed comes first, then what citizens asking this would get, then other text.
    const inQuestion = items.filter((e) => contains(full.get(e.id)?.question) || contains(workingQuestion(e.id)));
    const ranked = this.options.search ? await this.options.search(text) : [];
    const byId = new Map(items.map((e) => [e.id, e]));
    const result: EntrySummary[] = [];
    const seen = new Set<string>();
    const add = (item: EntrySummary | undefined) => {
      if (item && !seen.has(item.id)) {
        result.push(item);
        seen.add(item.id);
      }
    };
    inQuestion.forEach(add);
    ranked.forEach((id) => add(byId.get(id)));
    for (const item of items) {
      if (seen.has(item.id)) continue;
      const row = full.get(item.id);
      const haystack = [item.id, row?.answer, ...(Array.isArray(row?.similar) ? (row.similar as string[]) : [])];
      if (haystack.some((v) => contains(v)) || contains(JSON.stringify(working.get(item.id)?.content ?? ''))) add(item);
    }
    return result;
  }

  /** Distinct categories, departments and regions, for the list's filters. */
  async facets(): Promise<{ categories: string[]; departments: string[]; regions: string[] }> {
    const rows = await this.db.knowledgeEntry.findMany({
      where: { status: { not: 'archived' } },
      select: { category: true, department: true, region: true },
    });
    const distinct = (field: 'category' | 'department' | 'region') =>
      [...new Set(rows.map((r) => r[field]).filter((v): v is string => Boolean(v)))].sort((a, b) =>
        a.localeCompare(b, 'zh-CN'),
      );
    return {
      categories: await distinct('category'),
      departments: await distinct('department'),
      regions: await distinct('region'),
    };
  }

  async get(id: string): Promise<EntryDetail> {
    const row = await this.db.knowledgeEntry.findUnique({
      where: { id },
      include: { versions: { orderBy: { number: 'desc' } } },
    });
    if (!row) throw new EntryWorkflowError('ENTRY_NOT_FOUND', `没有编号为 ${id} 的条目`);
    const events = await this.db.knowledgeEntryEvent.findMany({ where: { entryId: id }, orderBy: { id: 'desc' } });
    const versions = row.versions.map(toVersion);
    const everPublished =
      row.status === 'published' ||
      row.revision > 0 ||
      versions.some((v) => v.state !== 'draft' && v.state !== 'review' && v.state !== 'discarded');
    return {
      id: row.id,
      status: asStatus(row.status),
      revision: row.revision,
      live: everPublished ? contentOf(row) : null,
      working: versions.find((v) => workingStates.includes(v.state)) ?? null,
      versions,
      events: events.map((e) => ({
        action: e.action,
        version: e.version,
        actor: e.actor,
        actorRole: e.actorRole,
        note: e.note,
        at: e.createdAt,
      })),
      createdBy: row.createdBy,
      updatedBy: row.updatedBy,
      publishedBy: row.publishedBy,
      publishedAt: row.publishedAt,
      updatedAt: row.updatedAt,
    };
  }

  /** Field-by-field changes between two versions; "live" is the published row, omitted `to` the working version. */
  async diff(id: string, from: number | 'live', to?: number): Promise<FieldChange[]> {
    const detail = await this.get(id);
    const pick = (n: number | 'live' | undefined): EntryContent | null => {
      if (n === 'live') return detail.live;
      if (n === undefined) return detail.working?.content ?? detail.live;
      const version = detail.versions.find((v) => v.number === n);
      if (!version) throw new EntryWorkflowError('ENTRY_NOT_FOUND', `条目 ${id} 没有第 ${n} 版`);
      return version.content;
    };
    const after = pick(to);
    if (!after) return [];
    return diffContent(pick(from), after);
  }

  private async nextNumber(tx: Prisma.TransactionClient, entryId: string, revision: number): Promise<number> {
    const last = await tx.knowledgeEntryVersion.findFirst({ where: { entryId }, orderBy: { number: 'desc' } });
    return Math.max(last?.number ?? 0, revision) + 1;
  }

  private event(
    tx: Prisma.TransactionClient,
    entryId: string,
    action: string,
    editor: Editor,
    version: number | null,
    note?: string | null,
  ) {
    return tx.knowledgeEntryEvent.create({
      data: {
        entryId,
        action,
        version,
        actor: editor.name,
        actorRole: editor.role,
        note: note ?? null,
        createdAt: this.clock(),
      },
    });
  }

  /** A new entry: a draft nobody is answered with until it is published. */
  async create(content: EntryContent, editor: Editor, id?: string): Promise<EntryDetail> {
    this.allow(editor, 'edit');
    const entryId = id ?? idForQuestion(content.question);
    await this.db.$transaction(async (tx) => {
      if (await tx.knowledgeEntry.findUnique({ where: { id: entryId }, select: { id: true } })) {
        throw new EntryWorkflowError('ENTRY_CONFLICT', `编号 ${entryId} 已存在（相同的标准问题已有条目）`);
      }
      await this.insertDraft(tx, entryId, content, editor, 'create');
    });
    return this.get(entryId);
  }

  private async insertDraft(
    tx: Prisma.TransactionClient,
    entryId: string,
    content: EntryContent,
    editor: Editor,
    origin: string,
  ) {
    const now = this.clock();
    await tx.knowledgeEntry.create({
      data: {
        id: entryId,
        ...rowFields(content),
        status: 'draft',
        createdBy: editor.name,
        updatedBy: editor.name,
        createdAt: now,
      },
    });
    await tx.knowledgeEntryVersion.create({
      data: {
        entryId,
        number: 1,
        content: asJson(content),
        state: 'draft',
        origin,
        createdBy: editor.name,
        updatedBy: editor.name,
        createdAt: now,
      },
    });
    await this.event(tx, entryId, origin, editor, 1);
  }

  /**
   * Saves the working version: updates the open draft, or starts one from the live content.
   * `expectedUpdatedAt` (the working version's updatedAt the editor loaded, 'none' when there was
   * none) refuses overwriting someone else's save made meanwhile.
   */
  async save(id: string, content: EntryContent, editor: Editor, expected: ExpectedVersion = {}): Promise<EntryDetail> {
    this.allow(editor, 'edit');
    await this.db.$transaction(async (tx) => {
      await this.saveIn(tx, id, content, editor, 'edit', expected);
    });
    return this.get(id);
  }

  private async saveIn(
    tx: Prisma.TransactionClient,
    id: string,
    content: EntryContent,
    editor: Editor,
    origin: string,
    expected: ExpectedVersion = {},
    basedOn?: number,
  ): Promise<'created' | 'updated' | 'unchanged'> {
    const entry = await tx.knowledgeEntry.findUnique({ where: { id } });
    if (!entry) throw new EntryWorkflowError('ENTRY_NOT_FOUND', `没有编号为 ${id} 的条目`);
    if (entry.status === 'archived')
      throw new EntryWorkflowError('ILLEGAL_ENTRY_TRANSITION', '已归档的条目不能修改，请先恢复');
    const working = await tx.knowledgeEntryVersion.findFirst({ where: { entryId: id, state: { in: workingStates } } });
    const now = this.clock();
    const unpublished = entry.status === 'draft' || entry.status === 'review';
    if (working?.state === 'review') {
      throw new EntryWorkflowError('ILLEGAL_ENTRY_TRANSITION', `第 ${working.number} 版正在审核中，请先撤回再修改`);
    }
    checkExpected(working, expected, 'save');
    if (working) {
      if (sameContent(contentOf(working.content as Record<string, unknown>), content) && origin !== 'rollback')
        return 'unchanged';
      await tx.knowledgeEntryVersion.update({
        where: { id: working.id },
        data: {
          content: asJson(content),
          updatedBy: editor.name,
          updatedAt: this.after(working.updatedAt),
          ...(basedOn ? { basedOn, origin } : {}),
        },
      });
      if (unpublished)
        await tx.knowledgeEntry.update({ where: { id }, data: { ...rowFields(content), updatedBy: editor.name } });
      await this.event(tx, id, origin === 'edit' ? 'save' : origin, editor, working.number);
      return 'updated';
    }
    if (!unpublished && sameContent(contentOf(entry), content) && origin !== 'rollback') return 'unchanged';
    const number = await this.nextNumber(tx, id, entry.revision);
    if (entry.status === 'published' && entry.revision === 0) {
      // Loaded outside the console: its live content becomes version 1, so the history starts complete.
      await tx.knowledgeEntryVersion.create({
        data: {
          entryId: id,
          number: number,
          content: asJson(contentOf(entry)),
          state: 'published',
          origin: 'baseline',
          createdBy: entry.updatedBy ?? 'system',
          updatedBy: entry.updatedBy ?? 'system',
          createdAt: entry.createdAt,
        },
      });
      await tx.knowledgeEntry.update({ where: { id }, data: { revision: number } });
      return this.saveIn(tx, id, content, editor, origin, expected, basedOn);
    }
    await tx.knowledgeEntryVersion.create({
      data: {
        entryId: id,
        number,
        content: asJson(content),
        state: 'draft',
        origin,
        basedOn: basedOn ?? (entry.revision || null),
        createdBy: editor.name,
        updatedBy: editor.name,
        createdAt: now,
      },
    });
    if (unpublished)
      await tx.knowledgeEntry.update({
        where: { id },
        data: { ...rowFields(content), status: 'draft', updatedBy: editor.name },
      });
    await this.event(tx, id, origin === 'edit' ? 'save' : origin, editor, number);
    return 'created';
  }

  /**
   * A workflow step on the entry's working version (or on the entry, for archive and restore).
   * With `expectedUpdatedAt` it is refused when the working version is not the one the caller saw:
   * a reviewer publishes or sends back exactly what they read.
   */
  async act(id: string, action: WorkflowAction, editor: Editor, options: ActOptions = {}): Promise<EntryDetail> {
    this.allow(editor, action);
    let liveChanged = false;
    await this.db.$transaction(async (tx) => {
      liveChanged = await this.actIn(tx, id, action, editor, options);
    });
    if (liveChanged) await this.options.onPublished?.();
    return this.get(id);
  }

  private async actIn(
    tx: Prisma.TransactionClient,
    id: string,
    action: WorkflowAction,
    editor: Editor,
    options: ActOptions,
  ): Promise<boolean> {
    const { note } = options;
    const entry = await tx.knowledgeEntry.findUnique({ where: { id } });
    if (!entry) throw new EntryWorkflowError('ENTRY_NOT_FOUND', `没有编号为 ${id} 的条目`);
    const working = await tx.knowledgeEntryVersion.findFirst({ where: { entryId: id, state: { in: workingStates } } });
    checkExpected(working, options, 'review');
    const now = this.clock();
    const unpublished = entry.status === 'draft' || entry.status === 'review';
    const illegal = (message: string) => new EntryWorkflowError('ILLEGAL_ENTRY_TRANSITION', message);
    switch (action) {
      case 'submit': {
        if (working?.state !== 'draft') throw illegal('没有可提交审核的草稿');
        await tx.knowledgeEntryVersion.update({
          where: { id: working.id },
          data: {
            state: 'review',
            submittedBy: editor.name,
            submittedAt: now,
            reviewNote: note ?? null,
            updatedAt: this.after(working.updatedAt),
          },
        });
        if (unpublished)
          await tx.knowledgeEntry.update({ where: { id }, data: { status: 'review', updatedBy: editor.name } });
        await this.event(tx, id, 'submit', editor, working.number, note);
        return false;
      }
      case 'withdraw': {
        if (working?.state !== 'review') throw illegal('没有正在审核的版本');
        await tx.knowledgeEntryVersion.update({
          where: { id: working.id },
          data: { state: 'draft', updatedAt: this.after(working.updatedAt) },
        });
        if (unpublished)
          await tx.knowledgeEntry.update({ where: { id }, data: { status: 'draft', updatedBy: editor.name } });
        await this.event(tx, id, 'withdraw', editor, working.number, note);
        return false;
      }
      case 'reject': {
        if (working?.state !== 'review') throw illegal('没有正在审核的版本');
        if (!note?.trim()) throw new EntryWorkflowError('INVALID_ENTRY', '退回时请填写退回理由');
        await tx.knowledgeEntryVersion.update({
          where: { id: working.id },
          data: {
            state: 'draft',
            reviewedBy: editor.name,
            reviewedAt: now,
            reviewNote: note,
            updatedAt: this.after(working.updatedAt),
          },
        });
        if (unpublished)
          await tx.knowledgeEntry.update({ where: { id }, data: { status: 'draft', updatedBy: editor.name } });
        await this.event(tx, id, 'reject', editor, working.number, note);
        return false;
      }
      case 'publish': {
        if (!working) throw illegal('没有待发布的版本');
        if (working.state !== 'review' && editor.role !== 'admin') throw illegal('只有已提交审核的版本才能发布');
        // Four eyes: a reviewer does not publish a version they wrote themselves.
        if (editor.role !== 'admin' && (working.updatedBy === editor.name || working.createdBy === editor.name)) {
          throw new EntryWorkflowError('ENTRY_ACTION_NOT_PERMITTED', '不能审核发布自己编写的版本');
        }
        await this.publishIn(
          tx,
          entry.id,
          working.id,
          working.number,
          contentOf(working.content as Record<string, unknown>),
          editor,
          note,
        );
        return true;
      }
      case 'discard': {
        if (!working) throw illegal('没有未发布的修改');
        if (unpublished) throw illegal('此条目从未发布，不能丢弃草稿；不需要时请由审核员归档');
        await tx.knowledgeEntryVersion.update({
          where: { id: working.id },
          data: { state: 'discarded', updatedBy: editor.name },
        });
        await this.event(tx, id, 'discard', editor, working.number, note);
        return false;
      }
      case 'archive': {
        if (entry.status === 'archived') throw illegal('条目已归档');
        await tx.knowledgeEntry.update({ where: { id }, data: { status: 'archived', updatedBy: editor.name } });
        if (working) {
          await tx.knowledgeEntryVersion.update({
            where: { id: working.id },
            data: { state: 'discarded', updatedBy: editor.name },
          });
          // Archiving ends the pending edit too: the audit trail says so, as a discard of its own would.
          await this.event(tx, id, 'discard', editor, working.number, '归档时放弃了未发布的修改');
        }
        await this.event(tx, id, 'archive', editor, entry.revision || null, note);
        return entry.status === 'published';
      }
      case 'restore': {
        if (entry.status !== 'archived') throw illegal('只有已归档的条目可以恢复');
        const status = entry.revision > 0 || entry.publishedAt ? 'published' : 'draft';
        await tx.knowledgeEntry.update({ where: { id }, data: { status, updatedBy: editor.name } });
        if (status === 'draft') {
          const number = await this.nextNumber(tx, id, entry.revision);
          await tx.knowledgeEntryVersion.create({
            data: {
              entryId: id,
              number,
              content: asJson(contentOf(entry)),
              state: 'draft',
              origin: 'restore',
              createdBy: editor.name,
              updatedBy: editor.name,
              createdAt: now,
            },
          });
        }
        await this.event(tx, id, 'restore', editor, entry.revision || null, note);
        return status === 'published';
      }
    }
  }

  private async publishIn(
    tx: Prisma.TransactionClient,
    entryId: string,
    versionId: number,
    number: number,
    content: EntryContent,
    editor: Editor,
    note?: string | null,
  ) {
    const now = this.clock();
    await tx.knowledgeEntryVersion.updateMany({
      where: { entryId, state: 'published' },
      data: { state: 'superseded' },
    });
    await tx.knowledgeEntryVersion.update({
      where: { id: versionId },
      data: { state: 'published', reviewedBy: editor.name, reviewedAt: now, ...(note ? { reviewNote: note } : {}) },
    });
    await tx.knowledgeEntry.update({
      where: { id: entryId },
      data: {
        ...rowFields(content),
        status: 'published',
        revision: number,
        publishedBy: editor.name,
        publishedAt: now,
        updatedBy: editor.name,
      },
    });
    await this.event(tx, entryId, 'publish', editor, number, note);
  }

  /** A new working version with the content of an old one; it is reviewed and published like any edit. */
  async rollback(id: string, number: number, editor: Editor): Promise<EntryDetail> {
    this.allow(editor, 'edit');
    await this.db.$transaction(async (tx) => {
      const version = await tx.knowledgeEntryVersion.findUnique({ where: { entryId_number: { entryId: id, number } } });
      if (!version) throw new EntryWorkflowError('ENTRY_NOT_FOUND', `条目 ${id} 没有第 ${number} 版`);
      const working = await tx.knowledgeEntryVersion.findFirst({
        where: { entryId: id, state: { in: workingStates } },
      });
      if (working?.state === 'review') {
        throw new EntryWorkflowError('ILLEGAL_ENTRY_TRANSITION', `第 ${working.number} 版正在审核中，请先撤回再回滚`);
      }
      if (working)
        await tx.knowledgeEntryVersion.update({
          where: { id: working.id },
          data: { state: 'discarded', updatedBy: editor.name },
        });
      await this.saveIn(tx, id, contentOf(version.content as Record<string, unknown>), editor, 'rollback', {}, number);
    });
    return this.get(id);
  }

  /**
   * Applies validated import rows. Keyed by id, or by the question when a row has none, so the
   * same file applied twice changes nothing the second time. New entries become drafts and
   * changed ones get a working draft; with `publish` (administrators) they are published at once.
   */
  async importRows(
    rows: ImportRow[],
    editor: Editor,
    options: { publish?: boolean; onProgress?: (done: number, total: number) => void } = {},
  ): Promise<ImportResult> {
    this.allow(editor, options.publish ? 'import-publish' : 'import');
    const existing = await this.db.knowledgeEntry.findMany({ select: { id: true, question: true } });
    const byQuestion = new Map(existing.map((e) => [questionKey(e.question), e.id]));
    const ids = new Set(existing.map((e) => e.id));
    const result: ImportResult = { created: 0, updated: 0, unchanged: 0, skipped: [], ids: [] };
    const chunk = 200;
    for (let start = 0; start < rows.length; start += chunk) {
      const batch = rows.slice(start, start + chunk);
      await this.db.$transaction(
        async (tx) => {
          for (const row of batch) {
            const id =
              row.id ?? byQuestion.get(questionKey(row.content.question)) ?? idForQuestion(row.content.question);
            result.ids.push(id);
            try {
              let outcome: 'created' | 'updated' | 'unchanged';
              if (!ids.has(id)) {
                await this.insertDraft(tx, id, row.content, editor, 'import');
                ids.add(id);
                byQuestion.set(questionKey(row.content.question), id);
                outcome = 'created';
              } else {
                const saved = await this.saveIn(tx, id, row.content, editor, 'import');
                outcome = saved === 'unchanged' ? 'unchanged' : 'updated';
              }
              if (options.publish && outcome !== 'unchanged') {
                const working = await tx.knowledgeEntryVersion.findFirst({
                  where: { entryId: id, state: { in: workingStates } },
                });
                if (working)
                  await this.publishIn(tx, id, working.id, working.number, row.content, editor, '导入时直接发布');
              }
              result[outcome]++;
            } catch (error) {
              if (!(error instanceof EntryWorkflowError)) throw error;
              result.skipped.push({ line: row.line, id, reason: error.message });
            }
          }
        },
        { timeout: 120_000 },
      );
      options.onProgress?.(Math.min(start + chunk, rows.length), rows.length);
    }
    if (options.publish && result.created + result.updated > 0) await this.options.onPublished?.();
    return result;
  }

  /**
   * A cheap fingerprint of the entry table (row count and latest change): it differs after any
   * write, including ones made outside this process (`minsheng kb import` into a running server's
   * database), so a server polling it knows when its index is stale.
   */
  async contentVersion(): Promise<string> {
    const { _count, _max } = await this.db.knowledgeEntry.aggregate({
      _count: { _all: true },
      _max: { updatedAt: true },
    });
    return `${_count._all}:${_max.updatedAt?.getTime() ?? 0}`;
  }

  /** Which entry asks each question (by `questionKey`), archived entries left out: an import checks its rows against it. */
  async questionOwners(): Promise<Map<string, string>> {
    const rows = await this.db.knowledgeEntry.findMany({
      where: { status: { not: 'archived' } },
      select: { id: true, question: true },
      orderBy: { id: 'asc' },
    });
    return new Map(rows.map((r) => [questionKey(r.question), r.id]));
  }

  /** Entries for export: the live content (or the draft of a never-published entry), filtered like the list. */
  async exportRows(filter: EntryFilter): Promise<{ id: string; status: EntryStatus; content: EntryContent }[]> {
    const now = this.clock();
    const { items } = await this.list({ ...filter, limit: Number.MAX_SAFE_INTEGER, offset: 0 });
    const wanted = new Set(items.map((i) => i.id));
    // The same database filter, then the list's status and text filters in memory: an IN list of every
    // id exceeds the bind-parameter limit (SQLite's 999 under Prisma) once the base grows.
    const rows = await this.db.knowledgeEntry.findMany({ where: this.whereOf(filter, now), orderBy: { id: 'asc' } });
    return rows
      .filter((row) => wanted.has(row.id))
      .map((row) => ({ id: row.id, status: asStatus(row.status), content: contentOf(row) }));
  }
}
