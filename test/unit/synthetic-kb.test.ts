import { describe, expect, it } from 'vitest';
import { interchangeEntrySchema } from '../../knowledge/entry.js';
import { seededRandom, syntheticCity, syntheticKnowledgeBase, syntheticQueries } from '../../eval/synthetic-kb.js';

describe('synthetic knowledge base', () => {
  it('is deterministic and nested: a smaller set is the start of a larger one', () => {
    const small = syntheticKnowledgeBase(50);
    expect(syntheticKnowledgeBase(50)).toEqual(small);
    expect(syntheticKnowledgeBase(500).slice(0, 50)).toEqual(small);
    expect(syntheticKnowledgeBase(50, 7)).not.toEqual(small);
  });

  it('has unique ids and questions, each a valid interchange entry', () => {
    const entries = syntheticKnowledgeBase(2000);
    expect(new Set(entries.map((e) => e.id)).size).toBe(2000);
    expect(new Set(entries.map((e) => e.question)).size).toBe(2000);
    // Valid as an import line: the interchange form leaves empty fields out.
    for (const entry of entries.slice(0, 20)) {
      const line = Object.fromEntries(Object.entries(entry).filter(([, v]) => v !== null));
      expect(interchangeEntrySchema.safeParse(line).success).toBe(true);
    }
  });

  it('builds queries that name an entry of the set and differ from its questions', () => {
    const entries = syntheticKnowledgeBase(300);
    const byId = new Map(entries.map((e) => [e.id, e]));
    const queries = syntheticQueries(300, 100);
    expect(queries).toEqual(syntheticQueries(300, 100));
    for (const { q, expect: id } of queries) {
      const entry = byId.get(id);
      expect(entry).toBeDefined();
      expect(q).not.toBe(entry!.question);
      // The query names the entry's service and place (its district, for a district entry).
      const place = entry!.answer.slice(0, entry!.answer.indexOf(entry!.category!));
      expect(q).toContain(entry!.category!);
      expect(q).toContain(place);
      if (entry!.region !== syntheticCity) expect(place).toBe(entry!.region);
    }
  });

  it('is mostly city-wide, with some district entries, like a real city base', () => {
    const entries = syntheticKnowledgeBase(10_000);
    const cityWide = entries.filter((e) => e.region === syntheticCity).length / entries.length;
    expect(cityWide).toBeGreaterThan(0.7);
    expect(cityWide).toBeLessThan(0.9);
    const districts = new Set(entries.filter((e) => e.region !== syntheticCity).map((e) => e.region));
    expect(districts.size).toBeGreaterThan(1);
    // No city-wide question names a district (its scope would be ambiguous).
    for (const e of entries.filter((x) => x.region === syntheticCity).slice(0, 500))
      for (const d of districts) expect(e.question).not.toContain(d!);
  });

  it('refuses more entries than the combinations allow', () => {
    expect(() => syntheticKnowledgeBase(10_000_000)).toThrow(/at most/);
  });

  it('draws the same numbers from the same seed, in [0, 1)', () => {
    const a = seededRandom(1);
    const b = seededRandom(1);
    const drawn = Array.from({ length: 100 }, () => a());
    expect(Array.from({ length: 100 }, () => b())).toEqual(drawn);
    expect(drawn.every((x) => x >= 0 && x < 1)).toBe(true);
  });
});
