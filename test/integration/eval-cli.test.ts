import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EvaluationReport } from '../../eval/evaluation.js';
import { FakeOpenAiServer, taskOf } from '../support/fake-openai.js';

const run = promisify(execFile);
const jsonl = (...values: unknown[]) => values.map((v) => JSON.stringify(v)).join('\n') + '\n';

const kb = jsonl(
  { id: 'kb-card', question: '社保卡丢失了如何挂失补办？', similar: ['社保卡丢了怎么办'], answer: '请先挂失再补办。' },
  { id: 'kb-passport', question: '护照过期了如何换发？', similar: ['护照到期换新'], answer: '到出入境窗口换发。' },
  { id: 'kb-fund', question: '住房公积金余额怎么查询？', similar: ['公积金余额查询'], answer: '登录公积金APP查询。' },
);
const rightQueries = [
  { q: '社保卡丢了怎么办', expect: 'kb-card', kind: 'paraphrase' },
  { q: '护照过期了如何换发', expect: 'kb-passport', kind: 'paraphrase' },
  { q: '公积金余额查询', expect: 'kb-fund', kind: 'keyword' },
];
const oos = jsonl(
  { q: '我家厨房着火了', expect: 'emergency' },
  { q: '你好', expect: 'chitchat' },
  { q: '量子计算机的原理是什么', expect: 'refuse' },
);

async function evalCli(args: string[], env: Record<string, string> = {}) {
  return run(process.execPath, ['--import', 'tsx', 'server/cli.ts', 'eval', ...args], {
    env: { ...process.env, NO_COLOR: '1', ...env },
    maxBuffer: 16 * 1024 * 1024,
  }).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => e,
  );
}

// The harness always builds its own temporary SQLite database: running it once is enough.
describe.runIf(process.env.TEST_DATABASE !== 'postgresql')('minsheng eval', () => {
  let dir: string;
  const file = (name: string) => join(dir, name);

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'minsheng-eval-test-'));
    await writeFile(file('kb.jsonl'), kb);
    await writeFile(file('right.jsonl'), jsonl(...rightQueries));
    // The same queries with one expectation pointing at another entry.
    await writeFile(
      file('wrong.jsonl'),
      jsonl(...rightQueries.map((q, i) => (i === 0 ? { ...q, expect: 'kb-fund' } : q))),
    );
    await writeFile(file('oos.jsonl'), oos);
    await writeFile(file('bad.jsonl'), jsonl(rightQueries[0]) + '{"q": "缺期望"}\n' + jsonl(rightQueries[1]));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reports JSON for Minsheng and both peers, and a wrong expectation lowers hit@1', async () => {
    const right = await evalCli([
      '--kb',
      file('kb.jsonl'),
      '--queries',
      file('right.jsonl'),
      '--oos',
      file('oos.jsonl'),
      '--json',
      '--peers',
    ]);
    expect(right.code).toBe(0);
    const report = JSON.parse(right.stdout) as EvaluationReport;
    expect(report.knowledgeBase).toMatchObject({ entries: 3, answerable: 3 });
    expect(report.queries).toMatchObject({ count: 3, kinds: { paraphrase: 2, keyword: 1 } });
    expect(report.outOfScope).toMatchObject({ count: 3, expectations: { emergency: 1, chitchat: 1, refuse: 1 } });
    expect(report.systems.map((s) => s.system)).toEqual(['minsheng', 'bm25-jieba', 'node-nlp']);
    for (const system of report.systems) {
      expect(Object.keys(system.inScope.byKind).sort()).toEqual(['keyword', 'paraphrase']);
      expect(system.inScope.overall).toMatchObject({
        queries: 3,
        hit1: expect.any(Number),
        hit3: expect.any(Number),
        mrr: expect.any(Number),
        correct: expect.any(Number),
        confidentlyWrong: expect.any(Number),
        clarified: expect.any(Number),
        abstained: expect.any(Number),
        latencyMs: { p50: expect.any(Number), p95: expect.any(Number), p99: expect.any(Number) },
      });
      expect(system.outOfScope?.overall).toMatchObject({
        queries: 3,
        handledAsExpected: expect.any(Number),
        answeredWithFaq: expect.any(Number),
      });
      expect(Object.keys(system.outOfScope!.byExpect).sort()).toEqual(['chitchat', 'emergency', 'refuse']);
    }
    const minsheng = report.systems[0]!;
    expect(minsheng.targets.map((t) => t.target)).toContain('emergencies answered with an FAQ = 0');
    expect(minsheng.targets.find((t) => t.target === 'hit@1 ≥ 0.95')).toEqual({
      target: 'hit@1 ≥ 0.95',
      value: 1,
      met: true,
    });
    expect(minsheng.errors).toBe(0);
    expect(minsheng.inScope.overall.hit1).toBe(1);
    expect(minsheng.inScope.overall.confidentlyWrong).toBe(0);
    // The real engine ran: the fire went to emergency advice and the greeting to small talk.
    expect(minsheng.outOfScope!.byExpect.emergency!.handledAsExpected).toBe(1);
    expect(minsheng.outOfScope!.byExpect.chitchat!.handledAsExpected).toBe(1);
    expect(minsheng.outOfScope!.byExpect.emergency!.answeredWithFaq).toBe(0);

    const wrong = await evalCli(['--kb', file('kb.jsonl'), '--queries', file('wrong.jsonl'), '--json', '--misses']);
    expect(wrong.code).toBe(0);
    const lowered = JSON.parse(wrong.stdout) as EvaluationReport;
    expect(lowered.systems.map((s) => s.system)).toEqual(['minsheng']);
    expect(lowered.outOfScope).toBeNull();
    expect(lowered.systems[0]!.inScope.overall.hit1).toBeCloseTo(2 / 3, 10);
    expect(lowered.systems[0]!.inScope.overall.hit1).toBeLessThan(minsheng.inScope.overall.hit1);
    expect(minsheng.misses).toBeUndefined();
    const misses = lowered.systems[0]!.misses!;
    expect(misses).toHaveLength(1);
    expect(misses[0]).toMatchObject({ file: 'queries', line: 1, expect: 'kb-fund', q: '社保卡丢了怎么办' });
    expect(misses[0]!.rank).not.toBe(1);
    expect(misses[0]!.top[0]).toBe('kb-card');
    // Two CLI runs, one training node-nlp: slow on a busy two-core machine.
  }, 180_000);

  it('prints the side-by-side table by default', async () => {
    const result = await evalCli([
      '--kb',
      file('kb.jsonl'),
      '--queries',
      file('right.jsonl'),
      '--oos',
      file('oos.jsonl'),
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/in scope \(3\)\s+minsheng\n\s+hit@1\s+100\.0%/);
    expect(result.stdout).toMatch(/answered with an FAQ entry\s+0\.0%/);
    expect(result.stdout).toMatch(/^paraphrase\s+2\s+100\.0% \/ /m);
  });

  it('measures the optional LLM check with --llm, and refuses --llm without an LLM configured', async () => {
    await writeFile(
      file('cards.jsonl'),
      jsonl(
        {
          id: 'kb-id',
          question: '身份证丢失后如何补办？',
          similar: ['身份证丢了怎么办', '补办身份证', '身份证弄丢了咋补', '身份证找不着了去哪补'],
          answer: '身份证丢失后请到户籍所在地派出所补领。',
        },
        {
          id: 'kb-fund',
          question: '住房公积金余额怎么查询？',
          similar: ['公积金余额查询'],
          answer: '登录公积金APP查询。',
        },
      ),
    );
    await writeFile(file('cards-q.jsonl'), jsonl({ q: '身份证丢了怎么补', expect: 'kb-id', kind: 'paraphrase' }));
    // A near miss: the rules see a sibling (结婚证/身份证) and offer the entry; the model says no entry answers it.
    await writeFile(file('cards-oos.jsonl'), jsonl({ q: '结婚证弄丢了，想补一本去哪办', expect: 'ticket' }));
    const args = ['--kb', file('cards.jsonl'), '--queries', file('cards-q.jsonl'), '--oos', file('cards-oos.jsonl')];
    const fake = new FakeOpenAiServer();
    const baseUrl = await fake.start();
    fake.answer = (request) => (taskOf(request) === 'choose-entry' ? { content: '{"entryId":null}' } : { status: 500 });
    try {
      const rules = JSON.parse((await evalCli([...args, '--json'])).stdout) as EvaluationReport;
      const withModel = await evalCli([...args, '--json', '--llm'], { LLM_BASE_URL: baseUrl, LLM_MODEL: 'qwen-test' });
      expect(withModel.code).toBe(0);
      const checked = JSON.parse(withModel.stdout) as EvaluationReport;
      expect(rules.systems[0]!.outOfScope!.overall.handledAsExpected).toBe(0);
      expect(checked.systems[0]!.outOfScope!.overall.handledAsExpected).toBe(1);
      expect(checked.systems[0]!.description).toContain('qwen-test');
      expect(checked.systems[0]!.inScope.overall.correct).toBe(1);
      expect(fake.requests.some((r) => taskOf(r) === 'choose-entry')).toBe(true);
    } finally {
      await fake.close();
    }
    const unconfigured = await evalCli([...args, '--llm'], { LLM_BASE_URL: '', LLM_MODEL: '' });
    expect(unconfigured.code).toBe(78);
    expect(unconfigured.stderr).toContain('--llm needs LLM_BASE_URL');
  }, 120_000);

  it('names the bad line and exits 1', async () => {
    const result = await evalCli(['--kb', file('kb.jsonl'), '--queries', file('bad.jsonl')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${file('bad.jsonl')}:2: expect:`);
    expect(result.stdout).toBe('');
  });
});
