import type { Database } from '../../prisma/client.js';
import type { LanguageSources } from '../knowledge-base.js';
import { LearningError } from './learning-errors.js';

export interface SynonymGroupView {
  id: number;
  canonical: string;
  variants: string[];
  updatedBy: string | null;
  updatedAt: Date;
}

export interface GlossaryTermView {
  id: number;
  chinese: string;
  phrases: string[];
  updatedBy: string | null;
  updatedAt: Date;
}

const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];

function meaningfulLines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
}

/** Synonym groups of a synonyms.txt text, in file order (a canonical word repeated merges its variants). */
export function parseSynonymGroups(text: string): { canonical: string; variants: string[] }[] {
  const groups = new Map<string, string[]>();
  for (const line of meaningfulLines(text)) {
    const [canonical, ...variants] = line.split(/\s+/);
    if (!canonical) continue;
    const known = groups.get(canonical) ?? [];
    groups.set(canonical, [...new Set([...known, ...variants.filter((v) => v !== canonical)])]);
  }
  return [...groups].map(([canonical, variants]) => ({ canonical, variants }));
}

/** Glossary terms of a glossary-en.txt text ("中文: phrase, phrase"). */
export function parseGlossary(text: string): { chinese: string; phrases: string[] }[] {
  const terms = new Map<string, string[]>();
  for (const line of meaningfulLines(text)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const chinese = line.slice(0, colon).trim();
    const phrases = line
      .slice(colon + 1)
      .split(',')
      .map((p) => p.trim().toLowerCase())
      .filter(Boolean);
    terms.set(chinese, [...new Set([...(terms.get(chinese) ?? []), ...phrases])]);
  }
  return [...terms].map(([chinese, phrases]) => ({ chinese, phrases }));
}

/**
 * The synonym groups and the English glossary as the console edits them. The tables are seeded
 * from the dictionary files when empty; afterwards the database is the source and the files are
 * only a starting point. Every change is validated against the other groups (a word belongs to
 * one group, an English phrase to one term) and then applied to the live index by the caller.
 */
export class LanguageStore {
  constructor(private readonly db: Database) {}

  /** Fills empty tables from the files' text; another instance seeding at the same time is harmless. */
  async seedIfEmpty(files: LanguageSources): Promise<void> {
    try {
      if ((await this.db.synonymGroup.count()) === 0) {
        const groups = parseSynonymGroups(files.synonyms);
        await this.db.$transaction(groups.map((g) => this.db.synonymGroup.create({ data: g })));
      }
      if ((await this.db.glossaryTerm.count()) === 0) {
        const terms = parseGlossary(files.glossary);
        await this.db.$transaction(terms.map((t) => this.db.glossaryTerm.create({ data: t })));
      }
    } catch (error) {
      // A concurrent seed by another instance wins the unique index; its rows are the same.
      if ((error as { code?: unknown }).code !== 'P2002') throw error;
    }
  }

  /** The stored groups and terms in the dictionary files' formats, for KnowledgeBase.setLanguageSources. */
  async sources(): Promise<LanguageSources> {
    const [groups, terms] = await Promise.all([this.synonyms(), this.glossary()]);
    return {
      synonyms: groups.map((g) => [g.canonical, ...g.variants].join(' ')).join('\n'),
      glossary: terms.map((t) => `${t.chinese}: ${t.phrases.join(', ')}`).join('\n'),
    };
  }

  async synonyms(): Promise<SynonymGroupView[]> {
    const rows = await this.db.synonymGroup.findMany({ orderBy: { id: 'asc' } });
    return rows.map((r) => ({ ...r, variants: strings(r.variants) }));
  }

  async glossary(): Promise<GlossaryTermView[]> {
    const rows = await this.db.glossaryTerm.findMany({ orderBy: { id: 'asc' } });
    return rows.map((r) => ({ ...r, phrases: strings(r.phrases) }));
  }

  async saveSynonymGroup(
    input: { id?: number; canonical: string; variants: string[] },
    actor: string,
  ): Promise<SynonymGroupView> {
    const canonical = input.canonical.trim();
    const variants = [...new Set(input.variants.map((v) => v.trim()))].filter((v) => v && v !== canonical);
    if (!variants.length) throw new LearningError('INVALID_LEARNING_INPUT', 'a group needs at least one variant');
    const all = await this.synonyms();
    const others = all.filter((g) => g.id !== input.id);
    const previous = all.find((g) => g.id === input.id);
    if (input.id !== undefined && !previous)
      throw new LearningError('SYNONYM_NOT_FOUND', `no synonym group ${input.id}`);
    const kept = new Set(previous ? [previous.canonical, ...previous.variants] : []);
    for (const word of [canonical, ...variants]) {
      // Words the group already had may stay even if the seed file listed them twice.
      if (kept.has(word)) continue;
      const owner = others.find((g) => g.canonical === word || g.variants.includes(word));
      if (owner) {
        throw new LearningError('TERM_CONFLICT', `“${word}” belongs to the group of “${owner.canonical}” already`);
      }
    }
    const data = { canonical, variants, updatedBy: actor };
    const row =
      input.id === undefined
        ? await this.db.synonymGroup.create({ data })
        : await this.db.synonymGroup.update({ where: { id: input.id }, data });
    return { ...row, variants: strings(row.variants) };
  }

  async deleteSynonymGroup(id: number): Promise<void> {
    const { count } = await this.db.synonymGroup.deleteMany({ where: { id } });
    if (count === 0) throw new LearningError('SYNONYM_NOT_FOUND', `no synonym group ${id}`);
  }

  async saveGlossaryTerm(
    input: { id?: number; chinese: string; phrases: string[] },
    actor: string,
  ): Promise<GlossaryTermView> {
    const chinese = input.chinese.trim();
    const phrases = [...new Set(input.phrases.map((p) => p.trim().toLowerCase().replace(/\s+/g, ' ')))].filter(Boolean);
    if (!phrases.length) throw new LearningError('INVALID_LEARNING_INPUT', 'a term needs at least one English phrase');
    const all = await this.glossary();
    const others = all.filter((t) => t.id !== input.id);
    const previous = all.find((t) => t.id === input.id);
    if (input.id !== undefined && !previous)
      throw new LearningError('SYNONYM_NOT_FOUND', `no glossary term ${input.id}`);
    const sameChinese = others.find((t) => t.chinese === chinese);
    if (sameChinese) throw new LearningError('TERM_CONFLICT', `“${chinese}” has a glossary term already`);
    for (const phrase of phrases) {
      if (previous?.phrases.includes(phrase)) continue;
      const owner = others.find((t) => t.phrases.includes(phrase));
      if (owner) throw new LearningError('TERM_CONFLICT', `“${phrase}” already stands for “${owner.chinese}”`);
    }
    const data = { chinese, phrases, updatedBy: actor };
    const row =
      input.id === undefined
        ? await this.db.glossaryTerm.create({ data })
        : await this.db.glossaryTerm.update({ where: { id: input.id }, data });
    return { ...row, phrases: strings(row.phrases) };
  }

  async deleteGlossaryTerm(id: number): Promise<void> {
    const { count } = await this.db.glossaryTerm.deleteMany({ where: { id } });
    if (count === 0) throw new LearningError('SYNONYM_NOT_FOUND', `no glossary term ${id}`);
  }
}
