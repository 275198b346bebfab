import { join } from 'node:path';
import type { Database, KnowledgeEntryModel } from '../prisma/client.js';
import { decide, defaultPolicy, messageLength, type Decision, type DecisionPolicy } from './decision.js';
import { entryStatuses, isAnswerable, type EntryStatus, type InterchangeEntry, type KnowledgeEntry } from './entry.js';
import { packageRoot } from './package-root.js';
import type { DenseMatch, DenseRetriever } from './dense/dense-retriever.js';
import { fuseRankings } from './dense/rank-fusion.js';
import { normaliseText } from './normalise.js';
import { RegionScope } from './region-scope.js';
import { isWord, LexicalIndex, type Candidate } from './lexical-index.js';
import { ChineseSegmenter, readDictionary } from './segmenter.js';
import { SynonymTable } from './synonyms.js';
import { TextAnalyzer } from './text-analyzer.js';

const dictionaryDir = join(packageRoot, 'knowledge', 'dict');
export const domainDictionaryPath = join(dictionaryDir, 'domain.txt');
export const defaultSynonymsPath = join(dictionaryDir, 'synonyms.txt');
export const defaultGlossaryPath = join(dictionaryDir, 'glossary-en.txt');

export interface KnowledgeBaseOptions {
  /** How to choose between answering, asking and handing over (default: the fitted policy). */
  policy?: DecisionPolicy;
  clock?: () => Date;
  /** Synonym groups file (default: knowledge/dict/synonyms.txt). */
  synonymsPath?: string;
  /** Chinese–English glossary file (default: knowledge/dict/glossary-en.txt). */
  glossaryPath?: string;
  /** Synonym and glossary text in the files' formats (e.g. edited in the console); takes precedence over the paths. */
  languageSources?: LanguageSources;
  /** Optional dense retrieval (a local embedding model); fused with the lexical ranking. */
  dense?: DenseRetriever;
  /** Called when dense retrieval fails; the lexical ranking answers alone. */
  onDenseError?: (error: unknown) => void;
}

/** A query's ranked candidates and whether its answer hinges on the district. */
export interface RankedQuery {
  candidates: Candidate[];
  /** The best entry is one district's while another region's also fits, and no district is known. */
  needsDistrict: boolean;
  /** The best entry is scoped to the district the citizen named or is known to be in. */
  topInDistrict: boolean;
  /**
   * The candidate competing with the best one, when it is not simply the second: with no district
   * known and a city-wide best entry, entries of single districts below it are its local versions
   * (江北区's social insurance hall under the city's), so the rival is the next entry valid
   * everywhere (undefined: none).
   */
  rival?: Candidate | undefined;
  /** The message's length (see decision.ts messageLength). */
  messageLength: number;
}

/** The district a message names, and the text it was found in (as written, or glossed). */
interface NamedDistrict {
  district?: string;
  text: string;
}

export interface SearchOptions {
  topK?: number;
  /** The district the session is known to be in; a district named in the text takes precedence. */
  district?: string;
}

/** Synonym groups and the English glossary, in the formats of synonyms.txt and glossary-en.txt. */
export interface LanguageSources {
  synonyms: string;
  glossary: string;
}

/** The segmenter with the domain dictionary and the synonym table, from the dictionary files (or given text). */
export function loadLanguageResources(
  options: Pick<KnowledgeBaseOptions, 'synonymsPath' | 'glossaryPath' | 'languageSources'> = {},
) {
  const synonyms = new SynonymTable()
    .addTokenGroups(options.languageSources?.synonyms ?? readDictionary(options.synonymsPath ?? defaultSynonymsPath))
    .addPhraseGlossary(
      options.languageSources?.glossary ?? readDictionary(options.glossaryPath ?? defaultGlossaryPath),
    );
  const segmenter = new ChineseSegmenter({ dictionaries: [readDictionary(domainDictionaryPath)] });
  segmenter.addWords(synonyms.words());
  return { segmenter, synonyms, analyzer: new TextAnalyzer(segmenter, synonyms) };
}

/**
 * Words that ask about an aspect of any matter (where, when, how long, what it costs, what to
 * bring: the canonical words of knowledge/dict/synonyms.txt), not about which matter.
 */
const aspectWords = new Set(['地址', '时间', '多久', '费用', '材料']);

/**
 * Whether a candidate matched the message on its topic: on some word other than an aspect word,
 * or on characters alone (a typo or Traditional text that no word matched). 江北区's social
 * insurance hall matched "江北区能办护照吗，在什么地方" on 地址 only.
 */
const sharesTopic = (candidate: Candidate) => {
  const words = candidate.matchedTerms.filter(isWord);
  return words.length === 0 || words.some((w) => !aspectWords.has(w));
};

/**
 * Words that name no matter of their own: "不用", "好", "帮我查一下", "有问题", a bare number. A
 * message of these and aspect words ("什么时候", "地址写错了") asks about nothing in particular, and
 * whatever entry its words touch would be a guess (不用 was answered with the entry on car
 * inspections, 什么时候 with the National Day holiday).
 */
const topicFreeWords = new Set([
  '不用',
  '不要',
  '不是',
  '没有',
  '不对',
  '好',
  '嗯',
  '要求',
  '办理',
  '不了',
  '帮',
  '查询',
  '问题',
  '写错',
  '错',
  '可以',
  '需要',
  '知道',
  '咨询',
  '情况',
  '事情',
  '东西',
  // Verbs any procedure has: "那需要带什么", "去哪交" ask about the matter already on the table.
  '带',
  '准备',
  '提交',
  '提供',
  '交',
  '办',
  '拿',
  '去',
  '能',
  '要',
]);

/** What the bot needs from the knowledge base. */
export interface KnowledgeAnswerer {
  decide(text: string, options?: SearchOptions): Promise<Decision>;
  /** Whether the message names some matter at all (see topicFreeWords). */
  hasTopic(text: string): boolean;
  /**
   * Whether every word of the message that names a matter occurs in the entry (its phrasings or
   * answer): "可以代办吗" after the answer on 身份证 that mentions 代办 asks about that answer.
   */
  coversMatter(entryId: string, text: string): boolean;
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
  private index: LexicalIndex;
  private analyzer: TextAnalyzer;
  /** The entries last indexed (a preview copies them). */
  private indexed: KnowledgeEntry[] = [];
  /** Synonyms and glossary to build the index with at the next reload. */
  private pendingLanguage: LanguageSources | undefined;
  private readonly policy: DecisionPolicy;
  private readonly clock: () => Date;
  private readonly regions = new RegionScope();
  private readonly dense: DenseRetriever | undefined;
  private readonly onDenseError: (error: unknown) => void;

  private constructor(
    private readonly db: Database,
    private segmenter: ChineseSegmenter,
    private synonyms: SynonymTable,
    private readonly options: KnowledgeBaseOptions,
  ) {
    this.analyzer = new TextAnalyzer(segmenter, synonyms);
    this.index = new LexicalIndex(this.analyzer);
    this.policy = options.policy ?? defaultPolicy;
    this.clock = options.clock ?? (() => new Date());
    this.dense = options.dense;
    this.onDenseError = options.onDenseError ?? (() => {});
  }

  static async open(db: Database, options: KnowledgeBaseOptions = {}): Promise<KnowledgeBase> {
    const { segmenter, synonyms } = loadLanguageResources(options);
    const base = new KnowledgeBase(db, segmenter, synonyms, options);
    await base.reload();
    return base;
  }

  /** Re-reads every entry from the database into the index (with new language sources, if given meanwhile). */
  async reload(): Promise<void> {
    const entries = (await this.db.knowledgeEntry.findMany({ orderBy: { id: 'asc' } })).map(toEntry);
    const sources = this.pendingLanguage;
    if (sources) {
      this.pendingLanguage = undefined;
      const { segmenter, synonyms } = loadLanguageResources({ languageSources: sources });
      const analyzer = new TextAnalyzer(segmenter, synonyms);
      const index = new LexicalIndex(analyzer);
      const previous = { segmenter: this.segmenter, synonyms: this.synonyms, analyzer: this.analyzer };
      Object.assign(this, { segmenter, synonyms, analyzer });
      try {
        this.indexEntries(entries, index, true);
      } catch (error) {
        Object.assign(this, previous);
        throw error;
      }
      this.index = index;
    } else {
      this.indexEntries(entries, this.index, true);
    }
    if (this.dense) {
      try {
        await this.dense.sync(
          entries.map((e) => ({
            id: e.id,
            question: normaliseText(e.question),
            similar: e.similar.map(normaliseText),
          })),
        );
      } catch (error) {
        this.onDenseError(error);
      }
    }
  }

  private indexEntries(entries: KnowledgeEntry[], index: LexicalIndex, addTags: boolean): void {
    // The domain dictionary grows from the knowledge base: its tags are words to keep whole.
    if (addTags) this.segmenter.addWords(entries.flatMap((e) => e.tags));
    this.regions.update(entries);
    // A district entry is indexed without its district's name: the district counts through scope.
    index.rebuild(entries, (entry, text) =>
      this.regions.isDistrict(entry.region) ? this.regions.withoutDistrict(text, entry.region) : text,
    );
    this.indexed = entries;
  }

  /**
   * Replaces the synonym groups and the glossary (edited in the console) from the next reload()
   * on. Scoring is unchanged; the reload builds a new segmenter, synonym table and index aside
   * and swaps them in, so searches meanwhile use the old ones.
   */
  useLanguageSources(sources: LanguageSources): void {
    this.pendingLanguage = sources;
  }

  /** The weighted terms of a text as the index sees them (words, "b:"/"p:"/"c:" pairs and characters). */
  analyze(text: string): Map<string, number> {
    return this.analyzer.analyze(text).terms;
  }

  /**
   * How a query is read before scoring: its normalised text, the text after English glossary
   * phrases became Chinese terms, the knowledge-base words it probably meant where voice input
   * wrote other characters of the same sound, and the words a synonym group mapped to its
   * canonical word.
   */
  explainQuery(text: string): {
    normalised: string;
    glossed: string;
    corrections: string[];
    synonyms: { word: string; canonical: string }[];
  } {
    const normalised = normaliseText(text);
    const glossed = this.synonyms.replacePhrases(normalised);
    const synonyms = new Map<string, string>();
    for (const word of this.segmenter.tokens(glossed)) {
      const canonical = this.synonyms.canonical(word);
      if (canonical !== word && !this.segmenter.isStopword(canonical)) synonyms.set(word, canonical);
    }
    return {
      normalised,
      glossed: glossed.trim(),
      corrections: this.index.corrections(glossed),
      synonyms: [...synonyms].map(([word, canonical]) => ({ word, canonical })),
    };
  }

  /**
   * A separate, in-memory knowledge base where `draft` replaces the entry with its id (or is
   * added), treated as published and valid: "what would the bot do if this edit were live".
   * The live index, its dictionary and the database are not touched; dense retrieval is left out.
   */
  preview(draft: KnowledgeEntry): KnowledgeBase {
    const copy = new KnowledgeBase(this.db, this.segmenter, this.synonyms, { ...this.options, dense: undefined });
    copy.analyzer = this.analyzer;
    copy.index = new LexicalIndex(this.analyzer);
    const live: KnowledgeEntry = { ...draft, status: 'published', validFrom: null, validTo: null };
    const entries = [...this.indexed.filter((e) => e.id !== draft.id), live];
    copy.indexEntries(entries, copy.index, false);
    return copy;
  }

  count(): number {
    return this.index.size;
  }

  entry(id: string): KnowledgeEntry | undefined {
    return this.index.entry(id);
  }

  /** Answerable entries ranked for a citizen's text (lexical, fused with dense when configured). */
  async search(text: string, options: SearchOptions = {}): Promise<Candidate[]> {
    return this.searchNamed(text, this.namedDistrict(text), options);
  }

  /** search() once the district the text names is known (rank() needs it too). */
  private async searchNamed(
    text: string,
    { district: named, text: written }: NamedDistrict,
    options: SearchOptions,
  ): Promise<Candidate[]> {
    const now = this.clock();
    const topK = options.topK ?? 5;
    const district = named ?? options.district;
    // Another district's entries never answer here; leaving them out keeps the window for the rest.
    const accept = (entry: KnowledgeEntry) =>
      isAnswerable(entry, now) &&
      (district === undefined || !this.regions.isDistrict(entry.region) || entry.region === district);
    // Wider than topK: scope adjustments and fusion may lift an entry from further down.
    const width = topK + 5;
    const topic = named ? this.regions.withoutDistrict(written, named) : text;
    let candidates = this.index.search(topic, { topK: width, accept });
    if (this.dense) candidates = await this.fuseDense(text, candidates, width, accept);
    return this.regions.adjust(candidates, (id) => this.index.entry(id), district, sharesTopic).slice(0, topK);
  }

  districtIn(text: string): string | undefined {
    return this.namedDistrict(text).district;
  }

  /**
   * The district a message names, and the text it was found in: as written, or with the English
   * glossary applied ("social insurance office in Jiangbei" names 江北区).
   */
  private namedDistrict(text: string): NamedDistrict {
    const written = this.regions.districtIn(text);
    if (written) return { district: written, text };
    if (!/[a-z]/i.test(text)) return { text };
    const glossed = this.synonyms.replacePhrases(normaliseText(text));
    const district = this.regions.districtIn(glossed);
    return district ? { district, text: glossed } : { text };
  }

  /** The ranking as the decision sees it, with the district facts the decision needs. */
  async rank(text: string, options: SearchOptions = {}): Promise<RankedQuery> {
    const named = this.namedDistrict(text);
    const candidates = await this.searchNamed(text, named, options);
    const entryOf = (id: string) => this.index.entry(id);
    const district = named.district ?? options.district;
    const needsDistrict = !district && this.regions.needsDistrict(candidates, entryOf, this.policy.abstain);
    const top = candidates[0] && entryOf(candidates[0].entryId);
    const topInDistrict = district !== undefined && top?.region === district;
    const cityWideTop = !district && top !== undefined && !this.regions.isDistrict(top.region);
    return {
      candidates,
      needsDistrict,
      topInDistrict,
      ...(cityWideTop
        ? { rival: candidates.slice(1).find((c) => !this.regions.isDistrict(entryOf(c.entryId)?.region ?? null)) }
        : {}),
      messageLength: messageLength(normaliseText(text)),
    };
  }

  hasTopic(text: string): boolean {
    return this.matterWords(text).length > 0;
  }

  coversMatter(entryId: string, text: string): boolean {
    const entry = this.index.entry(entryId);
    if (!entry) return false;
    const body = [entry.question, ...entry.similar, entry.answer].map(normaliseText).join(' ');
    const inEntry = new Set(this.analyzer.analyze(body).words);
    return this.matterWords(text).every((word) => inEntry.has(word) || body.includes(word));
  }

  /** The message's words that name a matter. A bare "2" names nothing; 12345 (the hotline) and 2027 (a year) do. */
  private matterWords(text: string): string[] {
    return this.analyzer
      .analyze(text)
      .words.filter((word) => !aspectWords.has(word) && !topicFreeWords.has(word) && !/^\d{1,2}$/.test(word));
  }

  async decide(text: string, options: SearchOptions = {}): Promise<Decision> {
    return this.decideRanked(await this.rank(text, options));
  }

  decideRanked(ranked: RankedQuery, policy: DecisionPolicy = this.policy): Decision {
    return decide(ranked.candidates, (id) => this.index.entry(id), policy, ranked);
  }

  private async fuseDense(
    text: string,
    lexical: Candidate[],
    width: number,
    accept: (entry: KnowledgeEntry) => boolean,
  ): Promise<Candidate[]> {
    let dense: DenseMatch[];
    try {
      dense = await this.dense!.search(normaliseText(text), width, {
        accept: (id) => {
          const entry = this.index.entry(id);
          return entry !== undefined && accept(entry);
        },
      });
    } catch (error) {
      this.onDenseError(error);
      return lexical;
    }
    const byId = new Map(lexical.map((c) => [c.entryId, c]));
    const denseById = new Map(dense.map((d) => [d.entryId, d]));
    return fuseRankings(lexical, dense)
      .slice(0, width)
      .map((fused) => {
        const found = byId.get(fused.entryId);
        if (found) return { ...found, score: fused.score };
        const entry = this.index.entry(fused.entryId)!;
        return {
          entryId: entry.id,
          question: entry.question,
          score: fused.score,
          matchedQuestion: denseById.get(fused.entryId)?.matchedQuestion ?? entry.question,
          matchedTerms: [],
          questionCoverage: 0,
        };
      });
  }

  /** Inserts or updates entries by id in one transaction, then refreshes the index (unless told not to, for batches). */
  async importEntries(
    entries: InterchangeEntry[],
    options: { reload?: boolean } = {},
  ): Promise<{ created: number; updated: number }> {
    const existing = new Set(
      (
        await this.db.knowledgeEntry.findMany({ where: { id: { in: entries.map((e) => e.id) } }, select: { id: true } })
      ).map((r) => r.id),
    );
    await this.db.$transaction(
      entries.map((entry) => this.db.knowledgeEntry.upsert({ where: { id: entry.id }, create: entry, update: entry })),
    );
    if (options.reload !== false) await this.reload();
    const updated = entries.filter((e) => existing.has(e.id)).length;
    return { created: entries.length - updated, updated };
  }
}
