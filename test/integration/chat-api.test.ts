import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chat, startTestApp, type TestApp } from '../support/app.js';

describe('web chat API on the demo knowledge base', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('reports health with the loaded demo knowledge base', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/healthz' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok', knowledgeEntries: 100, storedEntries: 100 });
  });

  it('serves the chat page and the OpenAPI document', async () => {
    const page = await t.app.inject({ method: 'GET', url: '/' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.body).toContain('<script src="/widget.js"></script>');
    expect(page.body).toContain("MinshengChat.init({ target: '#chat' })");
    const widget = await t.app.inject({ method: 'GET', url: '/widget.js' });
    expect(widget.headers['content-type']).toMatch(/javascript/);
    expect(widget.body).toContain("role: 'log'");
    expect(widget.body).toContain("'aria-live': 'polite'");
    const spec = await t.app.inject({ method: 'GET', url: '/docs/json' });
    expect(spec.statusCode).toBe(200);
    expect(Object.keys((spec.json() as { paths: object }).paths)).toEqual(
      expect.arrayContaining(['/api/chat', '/healthz']),
    );
  });

  it('answers a demo question with the approved answer and its source', async () => {
    const [reply] = await chat(t.app, 'session-answer-1', '社保卡丢了怎么办？');
    expect(reply?.kind).toBe('answer');
    expect(reply?.sources).toEqual([expect.objectContaining({ id: 'kb-001', question: '社保卡丢失了如何挂失补办？' })]);
    expect(reply?.text).toContain('挂失');
  });

  it('answers Traditional Chinese', async () => {
    const [reply] = await chat(t.app, 'session-answer-2', '身份證丟了怎麼補辦');
    expect(reply).toMatchObject({ kind: 'answer', sources: [expect.objectContaining({ id: 'kb-026' })] });
  });

  it('asks which question was meant when two entries fit, and accepts the number', async () => {
    const [question] = await chat(t.app, 'session-clarify', '小学报名时间');
    expect(question?.kind).toBe('clarify');
    expect(question?.choices?.length).toBeGreaterThanOrEqual(3);
    expect(question?.choices?.at(-1)).toBe('都不是');
    const [answer] = await chat(t.app, 'session-clarify', '第二个');
    expect(answer?.kind).toBe('answer');
    expect(answer?.sources[0]?.question).toBe(question?.choices?.[1]);
  });

  it('turns "none of these" after a clarification into an offer of a work order for the question', async () => {
    await chat(t.app, 'session-none', '小学报名时间');
    const [offer] = await chat(t.app, 'session-none', '都不是');
    expect(offer?.kind).toBe('fallback');
    await chat(t.app, 'session-none', '是');
    await chat(t.app, 'session-none', '江南区');
    const [confirm] = await chat(t.app, 'session-none', '13600001234');
    expect(confirm?.text).toContain('情况描述：小学报名时间');
  });

  it('prefers the district-scoped entry for a district named now or earlier in the session', async () => {
    const [named] = await chat(t.app, 'session-district', '江北区的社保大厅在哪');
    expect(named?.sources[0]?.id).toBe('kb-008');
    const [cityWide] = await chat(t.app, 'session-no-district', '社保大厅在哪里');
    expect(cityWide?.sources[0]?.id).toBe('kb-007');
    await chat(t.app, 'session-remembered', '我住在江北区，孩子明年上小学');
    const [remembered] = await chat(t.app, 'session-remembered', '小学什么时候报名');
    expect(remembered?.sources[0]?.id).toBe('kb-043');
  });

  it('points to emergency numbers before anything else', async () => {
    const [reply] = await chat(t.app, 'session-emergency', '楼下着火了，好多烟');
    expect(reply?.kind).toBe('emergency');
    expect(reply?.text).toContain('119');
  });

  it('files a complaint as a work order, then shows its status to its owner only', async () => {
    const session = 'session-complaint';
    const asked = await chat(t.app, session, '我要投诉楼下烧烤店每天半夜还在营业，油烟很大');
    expect(asked[0]).toMatchObject({ kind: 'ask' });
    expect(asked[0]?.text).toContain('地点');
    expect((await chat(t.app, session, '江北区望江路18号'))[0]?.text).toContain('联系电话');
    const confirm = await chat(t.app, session, '13812345678');
    expect(confirm[0]?.text).toContain('请核对工单信息');
    expect(confirm[0]?.text).toContain('投诉');
    const [filed] = await chat(t.app, session, '确认');
    expect(filed?.kind).toBe('ticket');
    const code = filed!.ticket!.code;
    expect(code).toMatch(/^LJ\d{14}$/);
    expect(filed?.text).toContain(code);

    // A second confirmation files nothing new.
    await chat(t.app, session, '确认');
    expect(await t.app.minsheng.db.workOrder.count({ where: { ownerSessionId: session } })).toBe(1);

    const [status] = await chat(t.app, session, `查询工单 ${code}`);
    expect(status).toMatchObject({ kind: 'status', ticket: { code, status: 'accepted' } });
    expect(status?.text).toContain('已受理');

    const [stranger] = await chat(t.app, 'session-stranger', `查询工单 ${code}`);
    const [unknown] = await chat(t.app, 'session-stranger', '查询工单 LJ20990101000001');
    expect(stranger?.kind).toBe('status');
    expect(stranger?.text).not.toContain('烧烤');
    expect(stranger?.text.replace(code, 'X')).toBe(unknown?.text.replace('LJ20990101000001', 'X'));
  });

  it('offers a work order when the knowledge base has no answer, and files it on yes', async () => {
    const session = 'session-unanswered';
    const [fallback] = await chat(t.app, session, '我家附近的路灯坏了好几天了');
    expect(fallback?.kind).toBe('fallback');
    const [ask] = await chat(t.app, session, '是');
    expect(ask?.text).toContain('地点');
    await chat(t.app, session, '青山区鹿鸣路和学府路路口');
    await chat(t.app, session, '电话是 139-1234-5678');
    const [filed] = await chat(t.app, session, '确认');
    expect(filed?.kind).toBe('ticket');
    const row = await t.app.minsheng.db.workOrder.findUniqueOrThrow({ where: { code: filed!.ticket!.code } });
    expect(row).toMatchObject({
      appealType: 'help', // a problem reported, not a question asked
      description: '我家附近的路灯坏了好几天了',
      place: '青山区鹿鸣路和学府路路口',
      contactPhone: '13912345678',
      channel: 'web',
    });
  });

  it('lets the citizen cancel a work order in progress', async () => {
    const session = 'session-cancel';
    await chat(t.app, session, '我要举报');
    const [cancelled] = await chat(t.app, session, '算了');
    expect(cancelled?.text).toContain('已取消');
    expect(await t.app.minsheng.db.workOrder.count({ where: { ownerSessionId: session } })).toBe(0);
  });

  it('keeps every message and reply of a conversation', async () => {
    await chat(t.app, 'session-transcript', '你好');
    const messages = await t.app.minsheng.db.message.findMany({
      where: { conversationId: 'session-transcript' },
      orderBy: { id: 'asc' },
    });
    expect(messages.map((m) => [m.direction, m.kind])).toEqual([
      ['in', 'text'],
      ['out', 'chitchat'],
    ]);
  });

  it('answers a malformed body with 400 and the reason', async () => {
    const missing = await t.app.inject({ method: 'POST', url: '/api/chat', payload: { sessionId: 'abc' } });
    expect(missing.statusCode).toBe(400);
    expect(missing.json()).toMatchObject({ error: { code: 'INVALID_REQUEST' } });
    expect(missing.json().error.message).toMatch(/body\.text/);

    const blank = await t.app.inject({
      method: 'POST',
      url: '/api/chat',
      payload: { sessionId: 'session-blank', text: '   ' },
    });
    expect(blank.statusCode).toBe(400);
    expect(blank.json().error.message).toMatch(/must not be empty/);

    const broken = await t.app.inject({
      method: 'POST',
      url: '/api/chat',
      headers: { 'content-type': 'application/json' },
      payload: '{"sessionId": "x",',
    });
    expect(broken.statusCode).toBe(400);
    expect(broken.json()).toMatchObject({ error: { code: 'INVALID_REQUEST' } });

    const tooLong = await t.app.inject({
      method: 'POST',
      url: '/api/chat',
      payload: { sessionId: 'session-long', text: '长'.repeat(2001) },
    });
    expect(tooLong.statusCode).toBe(400);
  });

  it('answers an unknown route with 404 in JSON', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/no/such/page?x=1' });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({ error: { code: 'NOT_FOUND', message: 'Route GET /no/such/page not found' } });
  });

  it('never writes a full phone number to the logs', async () => {
    await t.app.inject({ method: 'GET', url: '/healthz?phone=13700001111' });
    t.app.log.info({ detail: { text: '联系13700002222' } }, '测试 13700003333');
    const all = JSON.stringify(t.logs());
    expect(all).toContain('137****1111');
    expect(all).not.toMatch(/1370000(1111|2222|3333)/);
    expect(all).not.toMatch(/13812345678|13912345678/);
  });
});
