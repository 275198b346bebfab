import { join } from 'node:path';
import type { Database, KnowledgeEntryModel } from '../prisma/client.js';
import { decide, defaultThresholds, type Decision, type DecisionThresholds } from './decision.js';
import { entryStatuses, isAnswerable, type EntryStatus, type InterchangeEntry, type KnowledgeEntry } from './entry.js';
import { packageRoot } from './package-root.js';
import { LexicalIndex, type Candidate } from './lexical-index.js';
import { ChineseSegmenter, readDictionary } from './segmenter.js';

export const domainDictionaryPath = join(packageRoot, 'knowledge', 'dict', 'domain.txt');

export interface KnowledgeBaseOptions {
  thresholds?: DecisionThresholds;
  clock?: () => Date;
}

export interface SearchOptions {
  topK?: number;
}

/** What the bot needs from the knowledge base. */
export interface KnowledgeAnswerer {
  decide(text: string): Decision;
  entry(id: string): KnowledgeEntry | undefined;
}

const asStrings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];

function toEntry(row: KnowledgeEntryModel): KnowledgeEntry {
  return {
    ...row,
    similar: asStrings(row.similar),
    tags: asStrings(row.tags),
    status: (entryStatuses as readonly string[]).includes(row.status) ? (row.status as EntryStatus) : 'draft',
  };
}

/**
 * The unified knowledge base: entries stored in the database, searched through an in-memory
 * index that is rebuilt whenever entries change in this process.
 */
export class KnowledgeBase implements KnowledgeAnswerer {
  private readonly index: LexicalIndex;
  private readonly thresholds: DecisionThresholds;
  private readonly clock: () => Date;

  private constructor(
    private readonly db: Database,
    segmenter: ChineseSegmenter,
    options: KnowledgeBaseOptions,
  ) {
    this.index = new LexicalIndex(segmenter);
    this.thresholds = options.thresholds ?? defaultThresholds;
    this.clock = options.clock ?? (() => new Date());
  }

  static async open(db: Database, options: KnowledgeBaseOptions = {}): Promise<KnowledgeBase> {
    const segmenter = new ChineseSegmenter({ dictionaries: [readDictionary(domainDictionaryPath)] });
    const base = new KnowledgeBase(db, segmenter, options);
    await base.reload();
    return base;
  }

  /** Re-reads every entry from the database into the index. */
  async reload(): Promise<void> {
    const rows = await this.db.knowledgeEntry.findMany({ orderBy: { id: 'asc' } });
    this.index.rebuild(rows.map(toEntry));
  }

  count(): number {
    return this.index.size;
  }

  entry(id: string): KnowledgeEntry | undefined {
    return this.index.entry(id);
  }

  /** Answerable entries ranked for a citizen's text. */
  search(text: string, options: SearchOptions = {}): Candidate[] {
    const now = this.clock();
    return this.index.search(text, { topK: options.topK ?? 5, accept: (entry) => isAnswerable(entry, now) });
  }

  decide(text: string): Decision {
    return decide(this.search(text), (id) => this.index.entry(id), this.thresholds);
  }

  /** Inserts or updates entries by id in one transaction, then refreshes the index. */
  async importEntries(entries: InterchangeEntry[]): Promise<{ created: number; updated: number }> {
    const existing = new Set(
      (
        await this.db.knowledgeEntry.findMany({ where: { id: { in: entries.map((e) => e.id) } }, select: { id: true } })
      ).map((r) => r.id),
    );
    await this.db.$transaction(
      entries.map((entry) => this.db.knowledgeEntry.upsert({ where: { id: entry.id }, create: entry, update: entry })),
    );
    await this.reload();
    const updated = entries.filter((e) => existing.has(e.id)).length;
    return { created: entries.length - updated, updated };
  }
}
