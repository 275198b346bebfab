import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chat, startTestApp, type TestApp } from '../support/app.js';

const token = 'knowledge-token-0123456789';
const STAFF_API_TOKENS = `zhou:${token}:knowledge`;

interface Tried {
  kind: string;
  entry?: { id: string };
  candidates: {
    entryId: string;
    score: number;
    words: string[];
    synonyms: { word: string; canonical: string }[];
    pinyinPairs: string[];
    charPairs: string[];
  }[];
}

describe('console: synonyms and glossary, try it, health report', () => {
  let t: TestApp;

  const call = async (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: object) => {
    const response = await t.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${token}` },
      ...(payload ? { payload } : {}),
    });
    return {
      status: response.statusCode,
      body: (String(response.headers['content-type']).includes('json') ? response.json() : {}) as Record<
        string,
        unknown
      > & { error?: { code: string } },
      raw: response,
    };
  };
  const tryIt = async (payload: object) => {
    const response = await call('POST', '/api/console/try', payload);
    expect(response.status).toBe(200);
    return response.body as unknown as {
      synonyms: { word: string; canonical: string }[];
      corrections: string[];
      live: Tried;
      draft?: Tried;
    };
  };

  beforeAll(async () => {
    t = await startTestApp({ STAFF_API_TOKENS });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('seeds synonyms and glossary from the dictionary files', async () => {
    const { body } = await call('GET', '/api/console/synonyms');
    const synonyms = body.synonyms as { canonical: string; variants: string[] }[];
    const glossary = body.glossary as { chinese: string; phrases: string[] }[];
    expect(synonyms.find((g) => g.canonical === '孩子')?.variants).toContain('娃');
    expect(glossary.find((g) => g.chinese === '护照')?.phrases).toContain('passport');
  });

  it('applies a new synonym group to the live index on save, and refuses conflicts and bad input', async () => {
    const before = await tryIt({ question: '社宝卡掉了咋办' });
    expect(before.live.kind).not.toBe('abstain');

    // 市民卡 is how some citizens call the social security card.
    const beforeCard = await tryIt({ question: '市民卡丢了怎么补办' });
    const created = await call('POST', '/api/console/synonyms', { canonical: '社保卡', variants: ['市民卡'] });
    expect(created.status).toBe(409); // 社保卡 has a group already
    const groups = (await call('GET', '/api/console/synonyms')).body.synonyms as {
      id: number;
      canonical: string;
      variants: string[];
    }[];
    const card = groups.find((g) => g.canonical === '社保卡')!;
    const updated = await call('PUT', `/api/console/synonyms/${card.id}`, {
      canonical: '社保卡',
      variants: [...card.variants, '市民卡'],
    });
    expect(updated.status).toBe(200);
    expect(updated.body.updatedBy).toBe('zhou');
    const after = await tryIt({ question: '市民卡丢了怎么补办' });
    expect(after.synonyms).toContainEqual({ word: '市民卡', canonical: '社保卡' });
    expect(after.live.candidates[0]!.score).toBeGreaterThan(beforeCard.live.candidates[0]?.score ?? 0);
    expect(after.live.candidates[0]!.synonyms).toContainEqual({ word: '市民卡', canonical: '社保卡' });
    const [reply] = await chat(t.app, 'console-a-000001', '市民卡丢了怎么补办');
    expect(reply!.kind).toBe('answer');

    const conflict = await call('POST', '/api/console/synonyms', { canonical: '卡片', variants: ['市民卡'] });
    expect(conflict.status).toBe(409);
    expect(conflict.body.error!.code).toBe('TERM_CONFLICT');
    const bad = await call('POST', '/api/console/synonyms', { canonical: '有 空格', variants: [] });
    expect(bad.status).toBe(400);

    const added = await call('POST', '/api/console/synonyms', { canonical: '共享单车', variants: ['小黄车', '单车'] });
    expect(added.status).toBe(201);
    expect((await call('DELETE', `/api/console/synonyms/${added.body.id as number}`)).status).toBe(204);
    expect((await call('DELETE', `/api/console/synonyms/${added.body.id as number}`)).status).toBe(404);
  });

  it('applies a glossary term to English questions', async () => {
    const before = await tryIt({ question: 'where can I buy a metro ticket' });
    const created = await call('POST', '/api/console/glossary', {
      chinese: '地铁票',
      phrases: ['metro ticket', 'subway ticket'],
    });
    expect(created.status).toBe(201);
    const after = (await call('POST', '/api/console/try', { question: 'where can I buy a metro ticket' })).body as {
      glossed: string;
    };
    expect(after.glossed).toContain('地铁票');
    expect(before).not.toEqual(after);
    const taken = await call('POST', '/api/console/glossary', { chinese: '车票', phrases: ['Metro Ticket'] });
    expect(taken.status).toBe(409);
    const bad = await call('POST', '/api/console/glossary', { chinese: '车票', phrases: ['<script>'] });
    expect(bad.status).toBe(400);
  });

  it('explains candidates and compares the live index with an unpublished edit', async () => {
    const live = await tryIt({ question: '社宝卡丢了' });
    const top = live.live.candidates[0]!;
    // Accent-folded pinyin: sh → s, so 社宝 and 色宝 both read sebao.
    expect(top.pinyinPairs).toContain('sebao');
    expect(top.words).toContain('丢失');
    expect(live.synonyms).toContainEqual({ word: '丢了', canonical: '丢失' });
    // Voice input's 社宝卡 is read as the knowledge base's 社保卡 too.
    expect(live.corrections).toEqual(['社保卡']);
    expect(top.words).toContain('社保卡');

    const question = '无人机可以在公园里飞吗';
    const drafted = await tryIt({
      question,
      draft: {
        question: '公园里可以放飞无人机吗',
        similar: ['无人机能在公园飞吗'],
        answer: '城市公园内禁止放飞无人机。',
      },
    });
    expect(drafted.live.kind).toBe('abstain');
    expect(drafted.draft!.kind).toBe('answer');
    expect(drafted.draft!.entry!.id).toBe('(draft)');
    // The live index did not change.
    expect((await tryIt({ question })).live.kind).toBe('abstain');
    expect((await chat(t.app, 'console-b-000001', question))[0]!.kind).toBe('fallback');

    const entryId = top.entryId;
    const edit = await tryIt({ question: '社宝卡丢了', draft: { entryId, question: '养老金怎么领', similar: [] } });
    expect(edit.draft!.candidates.find((c) => c.entryId === entryId)?.score ?? 0).toBeLessThan(top.score);
    expect(
      (await call('POST', '/api/console/try', { question: 'x', draft: { entryId: 'nope', question: 'y' } })).status,
    ).toBe(404);
    expect((await call('POST', '/api/console/try', { question: '' })).status).toBe(400);
  });

  it('reports entries never hit, entries expiring, the weekly abstain rate and top clusters; exports CSV', async () => {
    const db = t.app.minsheng.db;
    const [first, second] = await db.knowledgeEntry.findMany({
      where: { status: 'published' },
      orderBy: { id: 'asc' },
    });
    const soon = new Date(Date.now() + 10 * 86_400_000);
    await t.app.minsheng.knowledge
      .importEntries([
        {
          id: '=cmd-entry',
          question: '=HYPERLINK("http://evil")',
          answer: '测试',
          similar: [],
          tags: [],
          status: 'published',
          category: null,
          department: null,
          region: null,
          sourceTitle: null,
          sourceUrl: null,
          validFrom: null,
          validTo: soon,
        },
      ])
      .catch(() => undefined);
    await db.knowledgeEntry.update({ where: { id: second!.id }, data: { validTo: soon } });
    await t.app.minsheng.knowledge.reload();

    await chat(t.app, 'console-c-000001', first!.question);
    await chat(t.app, 'console-c-000002', '火星上能办户口吗，宇宙飞船停哪');
    const { status, body } = await call('GET', '/api/console/health');
    expect(status).toBe(200);
    const report = body as unknown as {
      neverHit: { id: string }[];
      expiring: { id: string; daysLeft: number }[];
      weeks: { week: string; answered: number; abstained: number; abstainRate: number | null }[];
      topClusters: { label: string; questionCount: number }[];
    };
    expect(report.neverHit.map((e) => e.id)).not.toContain(first!.id);
    expect(report.neverHit.map((e) => e.id)).toContain(second!.id);
    expect(report.expiring.find((e) => e.id === second!.id)?.daysLeft).toBe(10);
    expect(report.weeks).toHaveLength(12);
    const thisWeek = report.weeks.at(-1)!;
    expect(thisWeek.abstained).toBeGreaterThanOrEqual(1);
    expect(thisWeek.abstainRate).toBeCloseTo(
      thisWeek.abstained /
        (thisWeek.answered + thisWeek.abstained + (thisWeek as unknown as { clarified: number }).clarified),
    );
    expect(report.topClusters.map((c) => c.label)).toContain('火星上能办户口吗，宇宙飞船停哪');

    const csv = await call('GET', '/api/console/health.csv');
    expect(csv.raw.headers['content-type']).toContain('text/csv');
    const text = csv.raw.body;
    expect(text.startsWith('\uFEFFsection,key,label,value,detail')).toBe(true);
    expect(text).toContain(`expiring-30d,${second!.id},`);
    expect(text).toContain('top-cluster,');
    expect(text).not.toMatch(/(^|,)=HYPERLINK/m);
  });
});
