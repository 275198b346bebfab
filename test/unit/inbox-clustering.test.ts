import { describe, expect, it } from 'vitest';
import { loadLanguageResources } from '../../knowledge/knowledge-base.js';
import {
  CLUSTER_SIMILARITY,
  nearestCluster,
  termSimilarity,
  termsFromJson,
  termsToJson,
} from '../../knowledge/learning/clustering.js';
import { healthReportCsv, weekStarts, type HealthReport } from '../../knowledge/learning/health-report.js';
import { parseGlossary, parseSynonymGroups } from '../../knowledge/learning/language-store.js';

const { analyzer } = loadLanguageResources();
const terms = (text: string) => analyzer.analyze(text).terms;

describe('inbox clustering', () => {
  it('keeps paraphrases together and different topics apart at the documented threshold', () => {
    expect(termSimilarity(terms('社保卡丢了怎么办'), terms('社保卡掉了咋补'))).toBeGreaterThanOrEqual(
      CLUSTER_SIMILARITY,
    );
    expect(termSimilarity(terms('无人机可以在公园飞吗'), terms('公园里能放无人机吗'))).toBeGreaterThanOrEqual(
      CLUSTER_SIMILARITY,
    );
    expect(termSimilarity(terms('社保卡丢了'), terms('医保卡丢了'))).toBeLessThan(CLUSTER_SIMILARITY);
    expect(termSimilarity(terms('无人机可以在公园飞吗'), terms('公园开放时间'))).toBeLessThan(CLUSTER_SIMILARITY);
  });

  it('joins the most similar leader, the older one on a tie, and none below the threshold', () => {
    const a = { id: 1, terms: terms('护照过期了怎么办') };
    const b = { id: 2, terms: terms('护照过期了怎么办') };
    const c = { id: 3, terms: terms('公积金怎么提取') };
    expect(nearestCluster(terms('护照到期换发'), [b, a, c])?.id).toBe(1);
    expect(nearestCluster(terms('宠物猫可以带上地铁吗'), [a, b, c])).toBeUndefined();
    expect(termSimilarity(new Map(), terms('护照'))).toBe(0);
  });

  it('round-trips terms through JSON and ignores what is not a weight', () => {
    const bag = terms('社保卡丢了');
    expect(termsFromJson(JSON.parse(JSON.stringify(termsToJson(bag))))).toEqual(bag);
    expect(termsFromJson({ a: 1, b: 'x' })).toEqual(new Map([['a', 1]]));
    expect(termsFromJson([1, 2]).size).toBe(0);
  });
});

describe('health report helpers', () => {
  it('starts weeks on Monday 00:00 in the time zone', () => {
    // Sunday 2026-11-29 08:00 UTC = 16:00 in Shanghai; the week began Monday 2026-11-23 00:00 +08:00.
    const starts = weekStarts(new Date('2026-11-29T08:00:00Z'), 2, 'Asia/Shanghai');
    expect(starts.map((s) => s.day)).toEqual(['2026-11-16', '2026-11-23', '2026-11-30']);
    expect(starts[1]!.start.toISOString()).toBe('2026-11-22T16:00:00.000Z');
    // Monday 00:30 in Shanghai is still Sunday in UTC, but already the new week.
    const monday = weekStarts(new Date('2026-11-29T16:30:00Z'), 1, 'Asia/Shanghai');
    expect(monday[0]!.day).toBe('2026-11-30');
  });

  it('writes CSV that spreadsheets cannot run as formulas', () => {
    const report: HealthReport = {
      generatedAt: new Date('2026-11-29T00:00:00Z'),
      neverHit: [{ id: 'kb-1', question: '=1+2', category: null, department: '@dept' }],
      expiring: [],
      weeks: [{ week: '2026-11-23', answered: 1, clarified: 0, abstained: 1, abstainRate: 0.5 }],
      topClusters: [{ id: 7, label: '他说"你好",再见', questionCount: 3, status: 'open' }],
    };
    const lines = healthReportCsv(report).replace('\uFEFF', '').trim().split('\r\n');
    expect(lines).toEqual([
      'section,key,label,value,detail',
      "never-hit-90d,kb-1,'=1+2,,'@dept",
      'abstain-rate-week,2026-11-23,answered 1; clarified 0; abstained 1,0.5,',
      'top-cluster,7,"他说""你好"",再见",3,open',
    ]);
  });
});

describe('synonym and glossary files', () => {
  it('parses groups and terms, merging repeated heads', () => {
    expect(parseSynonymGroups('# comment\n孩子 娃 小孩\n孩子 子女 娃\n\n老人 长辈')).toEqual([
      { canonical: '孩子', variants: ['娃', '小孩', '子女'] },
      { canonical: '老人', variants: ['长辈'] },
    ]);
    expect(parseGlossary('护照: Passport, passports\nbad line\n护照: visa')).toEqual([
      { chinese: '护照', phrases: ['passport', 'passports', 'visa'] },
    ]);
  });
});
