import { join } from 'node:path';
import type { Database, KnowledgeEntryModel } from '../prisma/client.js';
import { decide, defaultThresholds, type Decision, type DecisionThresholds } from './decision.js';
import { entryStatuses, isAnswerable, type EntryStatus, type InterchangeEntry, type KnowledgeEntry } from './entry.js';
import { packageRoot } from './package-root.js';
import { RegionScope } from './region-scope.js';
import { LexicalIndex, type Candidate } from './lexical-index.js';
import { ChineseSegmenter, readDictionary } from './segmenter.js';
import { SynonymTable } from './synonyms.js';
import { TextAnalyzer } from './text-analyzer.js';

const dictionaryDir = join(packageRoot, 'knowledge', 'dict');
export const domainDictionaryPath = join(dictionaryDir, 'domain.txt');
export const defaultSynonymsPath = join(dictionaryDir, 'synonyms.txt');
export const defaultGlossaryPath = join(dictionaryDir, 'glossary-en.txt');

export interface KnowledgeBaseOptions {
  thresholds?: DecisionThresholds;
  clock?: () => Date;
  /** Synonym groups file (default: knowledge/dict/synonyms.txt). */
  synonymsPath?: string;
  /** Chinese–English glossary file (default: knowledge/dict/glossary-en.txt). */
  glossaryPath?: string;
}

export interface SearchOptions {
  topK?: number;
  /** The district the session is known to be in; a district named in the text takes precedence. */
  district?: string;
}

/** The segmenter with the domain dictionary and the synonym table, from the dictionary files. */
export function loadLanguageResources(options: Pick<KnowledgeBaseOptions, 'synonymsPath' | 'glossaryPath'> = {}) {
  const synonyms = new SynonymTable()
    .addTokenGroups(readDictionary(options.synonymsPath ?? defaultSynonymsPath))
    .addPhraseGlossary(readDictionary(options.glossaryPath ?? defaultGlossaryPath));
  const segmenter = new ChineseSegmenter({ dictionaries: [readDictionary(domainDictionaryPath)] });
  segmenter.addWords(synonyms.words());
  return { segmenter, synonyms, analyzer: new TextAnalyzer(segmenter, synonyms) };
}

/** What the bot needs from the knowledge base. */
export interface KnowledgeAnswerer {
  decide(text: string, options?: SearchOptions): Decision;
  /** The district a message names, if it names exactly one. */
  districtIn(text: string): string | undefined;
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
  private readonly regions = new RegionScope();

  private constructor(
    private readonly db: Database,
    private readonly segmenter: ChineseSegmenter,
    synonyms: SynonymTable,
    options: KnowledgeBaseOptions,
  ) {
    this.index = new LexicalIndex(new TextAnalyzer(segmenter, synonyms));
    this.thresholds = options.thresholds ?? defaultThresholds;
    this.clock = options.clock ?? (() => new Date());
  }

  static async open(db: Database, options: KnowledgeBaseOptions = {}): Promise<KnowledgeBase> {
    const { segmenter, synonyms } = loadLanguageResources(options);
    const base = new KnowledgeBase(db, segmenter, synonyms, options);
    await base.reload();
    return base;
  }

  /** Re-reads every entry from the database into the index. */
  async reload(): Promise<void> {
    const entries = (await this.db.knowledgeEntry.findMany({ orderBy: { id: 'asc' } })).map(toEntry);
    // The domain dictionary grows from the knowledge base: its tags are words to keep whole.
    this.segmenter.addWords(entries.flatMap((e) => e.tags));
    this.index.rebuild(entries);
    this.regions.update(entries);
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
    const topK = options.topK ?? 5;
    const district = this.regions.districtIn(text) ?? options.district;
    // Wider than topK: scope adjustments may lift a district entry from further down.
    const candidates = this.index.search(text, { topK: topK + 5, accept: (entry) => isAnswerable(entry, now) });
    return this.regions.adjust(candidates, (id) => this.index.entry(id), district).slice(0, topK);
  }

  districtIn(text: string): string | undefined {
    return this.regions.districtIn(text);
  }

  decide(text: string, options: SearchOptions = {}): Decision {
    const candidates = this.search(text, options);
    const entryOf = (id: string) => this.index.entry(id);
    const districtKnown = (this.regions.districtIn(text) ?? options.district) !== undefined;
    const needsDistrict = !districtKnown && this.regions.needsDistrict(candidates, entryOf, this.thresholds.abstain);
    return decide(candidates, entryOf, this.thresholds, needsDistrict);
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
