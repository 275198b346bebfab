import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chat, startTestApp, type TestApp } from '../support/app.js';

const tokens = {
  knowledge: 'knowledge-token-0123456789',
  reviewer: 'reviewer-token-0123456789',
  operator: 'operator-token-0123456789',
};
const STAFF_API_TOKENS = [
  `zhou:${tokens.knowledge}:knowledge`,
  `qian:${tokens.reviewer}:reviewer`,
  `op-li:${tokens.operator}:operator`,
].join(',');

interface Cluster {
  id: number;
  status: string;
  label: string;
  questionCount: number;
  sources: Record<string, number>;
  examples: string[];
  staffAnswers: string[];
  entryId: string | null;
}

describe('learning inbox: questions the bot did not serve, clustered and turned into entries', () => {
  let t: TestApp;

  const call = async (token: string | undefined, method: 'GET' | 'POST', url: string, payload?: object) => {
    const response = await t.app.inject({
      method,
      url,
      headers: token ? { authorization: `Bearer ${token}` } : {},
      ...(payload ? { payload } : {}),
    });
    return {
      status: response.statusCode,
      body: response.json() as Record<string, unknown> & { error?: { code: string } },
    };
  };
  const inbox = async (status = 'open') =>
    (await call(tokens.knowledge, 'GET', `/api/console/inbox?status=${status}`)).body as unknown as {
      total: number;
      items: Cluster[];
    };
  const clusterOf = async (text: string, status = 'open') =>
    (await inbox(status)).items.find((c) => c.examples.includes(text) || c.label === text);

  beforeAll(async () => {
    t = await startTestApp({ STAFF_API_TOKENS });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('needs a console role: no token and a work-order operator get 401', async () => {
    expect((await call(undefined, 'GET', '/api/console/inbox')).status).toBe(401);
    const operator = await call(tokens.operator, 'GET', '/api/console/inbox');
    expect(operator.status).toBe(401);
  });

  it('clusters abstained questions: paraphrases together, another topic apart', async () => {
    const [first] = await chat(t.app, 'learn-a-000001', '无人机可以在公园飞吗');
    expect(first!.kind).toBe('fallback');
    await chat(t.app, 'learn-a-000002', '公园里能放无人机吗');
    await chat(t.app, 'learn-a-000003', '宠物猫可以带上地铁吗');

    const drone = await clusterOf('无人机可以在公园飞吗');
    expect(drone).toBeDefined();
    expect(drone!.questionCount).toBe(2);
    expect(drone!.examples).toEqual(['公园里能放无人机吗', '无人机可以在公园飞吗']);
    expect(drone!.sources).toEqual({ abstain: 2 });
    const cat = await clusterOf('宠物猫可以带上地铁吗');
    expect(cat).toBeDefined();
    expect(cat!.id).not.toBe(drone!.id);

    const detail = await call(tokens.knowledge, 'GET', `/api/console/inbox/${drone!.id}`);
    expect(detail.status).toBe(200);
    expect((detail.body.questions as unknown[]).length).toBe(2);
    expect((await call(tokens.knowledge, 'GET', '/api/console/inbox/999999')).status).toBe(404);
  });

  it('keeps a dismissed cluster dismissed when a matching question arrives', async () => {
    await chat(t.app, 'learn-b-000001', '宠物猫能不能带上地铁');
    const cat = await clusterOf('宠物猫可以带上地铁吗');
    expect(cat!.questionCount).toBe(2);
    expect((await call(tokens.knowledge, 'POST', `/api/console/inbox/${cat!.id}/dismiss`)).status).toBe(200);
    await chat(t.app, 'learn-b-000002', '可以带宠物猫上地铁吗');
    expect(await clusterOf('宠物猫可以带上地铁吗')).toBeUndefined();
    const dismissed = await clusterOf('宠物猫可以带上地铁吗', 'dismissed');
    expect(dismissed!.questionCount).toBe(3);
    // Undo brings it back.
    expect((await call(tokens.knowledge, 'POST', `/api/console/inbox/${cat!.id}/reopen`)).status).toBe(200);
    expect((await clusterOf('宠物猫可以带上地铁吗'))!.questionCount).toBe(3);
  });

  it('drafts a new entry from a cluster; published by a reviewer, the same question is answered', async () => {
    const drone = (await clusterOf('无人机可以在公园飞吗'))!;
    const bad = await call(tokens.knowledge, 'POST', `/api/console/inbox/${drone.id}/draft`, {
      question: '',
      answer: '',
    });
    expect(bad.status).toBe(400);
    const drafted = await call(tokens.knowledge, 'POST', `/api/console/inbox/${drone.id}/draft`, {
      question: '公园里可以放飞无人机吗？',
      answer: '城市公园内禁止放飞无人机，请到市体育中心无人机试飞区放飞。',
      department: '临江市公安局',
    });
    expect(drafted.status).toBe(201);
    const entryId = drafted.body.entryId as string;
    const draft = await t.app.minsheng.db.knowledgeEntry.findUniqueOrThrow({ where: { id: entryId } });
    expect(draft.status).toBe('draft');
    expect(draft.similar).toEqual(['公园里能放无人机吗', '无人机可以在公园飞吗']);
    // A draft is never answered.
    expect((await chat(t.app, 'learn-c-000001', '无人机可以在公园飞吗'))[0]!.kind).toBe('fallback');
    expect((await clusterOf('无人机可以在公园飞吗', 'resolved'))?.entryId).toBe(entryId);

    const resolved = (await clusterOf('无人机可以在公园飞吗', 'resolved')) as Cluster & { workingState: string };
    expect(resolved.workingState).toBe('draft');
    // Through the editorial workflow: knowledge managers submit, reviewers publish.
    const step = (token: string, action: string) =>
      call(token, 'POST', `/api/console/entries/${entryId}/actions`, { action });
    expect((await step(tokens.knowledge, 'publish')).status).toBe(403);
    expect((await step(tokens.knowledge, 'submit')).status).toBe(200);
    expect((await step(tokens.reviewer, 'publish')).status).toBe(200);
    const [answer] = await chat(t.app, 'learn-c-000002', '无人机可以在公园飞吗');
    expect(answer!.kind).toBe('answer');
    expect(answer!.sources[0]!.id).toBe(entryId);
    // The same id is never drafted twice.
    const again = await call(tokens.knowledge, 'POST', `/api/console/inbox/${drone.id}/draft`, {
      id: entryId,
      question: '公园里可以放飞无人机吗？',
      answer: '…',
    });
    expect(again.status).toBe(409);
  });

  it("adds a cluster's questions as similar questions of an existing entry", async () => {
    const cat = (await clusterOf('宠物猫可以带上地铁吗'))!;
    const detail = await call(tokens.knowledge, 'GET', `/api/console/inbox/${cat.id}`);
    expect(Array.isArray(detail.body.suggestedEntries)).toBe(true);
    const target = (await t.app.minsheng.db.knowledgeEntry.findFirstOrThrow({ where: { status: 'published' } })).id;
    const added = await call(tokens.knowledge, 'POST', `/api/console/inbox/${cat.id}/similar`, {
      entryId: target,
      questions: ['宠物猫可以带上地铁吗'],
    });
    expect(added.status).toBe(200);
    expect(added.body.added).toEqual(['宠物猫可以带上地铁吗']);
    // A working version: the live entry answers as before until the edit is published.
    expect((await chat(t.app, 'learn-d-000001', '宠物猫可以带上地铁吗'))[0]!.sources[0]?.id).not.toBe(target);
    const step = (token: string, action: string) =>
      call(token, 'POST', `/api/console/entries/${target}/actions`, { action });
    expect((await step(tokens.knowledge, 'submit')).status).toBe(200);
    expect((await step(tokens.reviewer, 'publish')).status).toBe(200);
    const [reply] = await chat(t.app, 'learn-d-000002', '宠物猫可以带上地铁吗');
    expect(reply!.sources[0]?.id).toBe(target);
    const history = await t.app.minsheng.entries.get(target);
    expect(history.events.some((e) => e.actor === 'zhou')).toBe(true);
    const missing = await call(tokens.knowledge, 'POST', `/api/console/inbox/${cat.id}/similar`, {
      entryId: 'no-such',
    });
    expect(missing.status).toBe(404);
  });

  it('records 没帮助 on an answer into the inbox; 有帮助 afterwards takes it out', async () => {
    const session = 'learn-e-000001';
    const [answer] = await chat(t.app, session, '社保卡丢了怎么办');
    expect(answer!.kind).toBe('answer');
    const entryId = answer!.sources[0]!.id;
    const feedback = (payload: object) => t.app.inject({ method: 'POST', url: '/api/chat/feedback', payload });

    expect((await feedback({ sessionId: session, entryId, helpful: 'no' })).statusCode).toBe(400);
    expect((await feedback({ sessionId: 'learn-e-unknown', entryId, helpful: false })).statusCode).toBe(404);
    const stored = await feedback({ sessionId: session, entryId, helpful: false });
    expect(stored.statusCode).toBe(200);
    const row = await t.app.minsheng.db.answerFeedback.findFirstOrThrow({ where: { sessionId: session } });
    expect(row).toMatchObject({ entryId, helpful: false, question: '社保卡丢了怎么办' });
    const cluster = await clusterOf('社保卡丢了怎么办');
    expect(cluster!.sources).toEqual({ unhelpful: 1 });

    expect((await feedback({ sessionId: session, entryId, helpful: true })).statusCode).toBe(200);
    expect(await clusterOf('社保卡丢了怎么办')).toBeUndefined();
    expect(await t.app.minsheng.db.answerFeedback.count({ where: { sessionId: session } })).toBe(1);
  });

  it('brings 咨询 work orders that staff answered into the inbox, once, with the staff reply', async () => {
    const { workOrders } = t.app.minsheng;
    const filed = await workOrders.file(
      {
        appealType: 'consult',
        description: '老年人乘坐公交车免费需要办什么卡',
        contactPhone: '13812345678',
        channel: 'web',
        ownerSessionId: 'learn-f-000001',
      },
      'learn-f-000001:1',
    );
    const admin = { name: 'root', role: 'admin' as const };
    await workOrders.act(filed.code, 'dispatch', admin, { lead: '临江市交通运输局' });
    await workOrders.act(filed.code, 'sign', admin);
    await workOrders.act(filed.code, 'resolve', admin, { note: '年满65周岁可持身份证到公交卡服务网点办理敬老卡。' });
    const cluster = await clusterOf('老年人乘坐公交车免费需要办什么卡');
    expect(cluster!.sources).toEqual({ 'work-order': 1 });
    expect(cluster!.staffAnswers).toEqual(['年满65周岁可持身份证到公交卡服务网点办理敬老卡。']);
    await inbox();
    expect((await clusterOf('老年人乘坐公交车免费需要办什么卡'))!.questionCount).toBe(1);
  });
});
