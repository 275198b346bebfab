import { describe, expect, it } from 'vitest';
import {
  calibrateSimilarity,
  defaultFusionOptions,
  fuseRankings,
  reciprocalRankFusion,
  weightedFusion,
} from '../../knowledge/dense/rank-fusion.js';

const calibration = { floor: 0.5, ceiling: 0.9 };

describe('calibrateSimilarity', () => {
  it('maps the floor to 0, the ceiling to 1 and is linear in between', () => {
    expect(calibrateSimilarity(0.2, calibration)).toBe(0);
    expect(calibrateSimilarity(0.5, calibration)).toBe(0);
    expect(calibrateSimilarity(0.7, calibration)).toBeCloseTo(0.5, 10);
    expect(calibrateSimilarity(0.9, calibration)).toBe(1);
    expect(calibrateSimilarity(1, calibration)).toBe(1);
  });

  it('refuses a ceiling that is not above the floor', () => {
    expect(() => calibrateSimilarity(0.7, { floor: 0.8, ceiling: 0.8 })).toThrow(RangeError);
  });
});

describe('weightedFusion', () => {
  it('combines (1 - w) * lexical + w * calibrated dense, counting a missing side as 0', () => {
    const fused = weightedFusion(
      [
        { entryId: 'a', score: 0.6 },
        { entryId: 'b', score: 0.4 },
      ],
      [
        { entryId: 'b', similarity: 0.9 },
        { entryId: 'c', similarity: 0.7 },
      ],
      { denseWeight: 0.3, calibration },
    );
    expect(fused.map((c) => [c.entryId, Number(c.score.toFixed(6))])).toEqual([
      ['b', 0.58],
      ['a', 0.42],
      ['c', 0.15],
    ]);
    expect(fused[0]).toMatchObject({ lexicalScore: 0.4, denseSimilarity: 0.9, denseScore: 1 });
    expect(fused[2]).toMatchObject({ lexicalScore: null, denseScore: expect.closeTo(0.5, 10) });
  });

  it('reproduces the lexical ranking and scores exactly with weight 0', () => {
    const lexical = [
      { entryId: 'a', score: 0.31 },
      { entryId: 'b', score: 0.72 },
    ];
    const fused = weightedFusion(lexical, [{ entryId: 'a', similarity: 0.99 }], { denseWeight: 0, calibration });
    expect(fused.map((c) => [c.entryId, c.score])).toEqual([
      ['b', 0.72],
      ['a', 0.31],
    ]);
  });

  it('keeps every score within [0, 1], whatever the inputs', () => {
    const fused = weightedFusion(
      [
        { entryId: 'a', score: 1.4 },
        { entryId: 'b', score: -0.2 },
        { entryId: 'c', score: Number.NaN },
      ],
      [
        { entryId: 'a', similarity: 1 },
        { entryId: 'b', similarity: -1 },
      ],
      { denseWeight: 0.5, calibration },
    );
    for (const c of fused) expect(c.score).toBeGreaterThanOrEqual(0);
    for (const c of fused) expect(c.score).toBeLessThanOrEqual(1);
    expect(fused[0]).toMatchObject({ entryId: 'a', score: 1 });
  });

  it('with the defaults, a match found by the dense side alone can be offered but never answered', () => {
    const [top] = fuseRankings([], [{ entryId: 'x', similarity: 0.99 }]);
    expect(top!.score).toBeCloseTo(defaultFusionOptions.denseWeight, 10);
    expect(top!.score).toBeLessThan(0.35); // the answer threshold of knowledge/decision.ts
    expect(top!.score).toBeGreaterThanOrEqual(0.25); // its abstain threshold
  });

  it('leaves an out-of-scope query below the abstain threshold when both sides are weak', () => {
    const fused = fuseRankings([{ entryId: 'a', score: 0.2 }], [{ entryId: 'a', similarity: 0.55 }]);
    expect(fused[0]!.score).toBeLessThan(0.25);
  });

  it('breaks ties by the lexical score, then by id, so the order is stable', () => {
    const fused = weightedFusion(
      [
        { entryId: 'b', score: 0.5 },
        { entryId: 'a', score: 0.5 },
      ],
      [{ entryId: 'c', similarity: 0.5 }],
      { denseWeight: 0.5, calibration: { floor: 0, ceiling: 1 } },
    );
    expect(fused.map((c) => c.score)).toEqual([0.25, 0.25, 0.25]);
    expect(fused.map((c) => c.entryId)).toEqual(['a', 'b', 'c']);
  });

  it('refuses a weight outside [0, 1]', () => {
    expect(() => weightedFusion([], [], { denseWeight: 1.5, calibration })).toThrow(RangeError);
  });
});

describe('reciprocalRankFusion', () => {
  it('ranks an entry both lists agree on above one only a single list ranks first', () => {
    const fused = reciprocalRankFusion(
      [
        { entryId: 'lex-only', score: 0.8 },
        { entryId: 'both', score: 0.7 },
      ],
      [
        { entryId: 'dense-only', similarity: 0.95 },
        { entryId: 'both', similarity: 0.9 },
      ],
      { k: 60, calibration },
    );
    expect(fused[0]!.entryId).toBe('both');
    expect(
      fused
        .map((c) => c.entryId)
        .slice(1)
        .sort(),
    ).toEqual(['dense-only', 'lex-only']);
  });

  it('gives 1 only to an entry ranked first by both lists with full evidence', () => {
    const [top] = reciprocalRankFusion([{ entryId: 'a', score: 1 }], [{ entryId: 'a', similarity: 0.95 }], {
      k: 60,
      calibration,
    });
    expect(top!.score).toBeCloseTo(1, 10);
  });

  it('scales by the strongest evidence, so a weak top match still abstains', () => {
    const [top] = reciprocalRankFusion([{ entryId: 'a', score: 0.1 }], [{ entryId: 'a', similarity: 0.52 }], {
      k: 60,
      calibration,
    });
    expect(top!.entryId).toBe('a');
    expect(top!.score).toBeCloseTo(0.1, 10);
  });

  it('is chosen through fuseRankings with method "rrf"', () => {
    const lexical = [{ entryId: 'a', score: 0.5 }];
    const dense = [{ entryId: 'b', similarity: 0.8 }];
    expect(fuseRankings(lexical, dense, { method: 'rrf', k: 60, calibration })).toEqual(
      reciprocalRankFusion(lexical, dense, { k: 60, calibration }),
    );
  });

  it('refuses a non-positive k', () => {
    expect(() => reciprocalRankFusion([], [], { k: 0, calibration })).toThrow(RangeError);
  });
});
