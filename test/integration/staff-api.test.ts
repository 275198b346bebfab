import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chat, startTestApp, type TestApp } from '../support/app.js';

const tokens = {
  operator: 'operator-token-0123456789',
  handler: 'handler-token-0123456789',
  otherHandler: 'edu-handler-token-0123456789',
  admin: 'admin-token-0123456789',
};
const STAFF_API_TOKENS = [
  `op-li:${tokens.operator}:operator`,
  `cg-wang:${tokens.handler}:handler:临江市城市管理局`,
  `edu-zhao:${tokens.otherHandler}:handler:临江市教育局`,
  `root:${tokens.admin}:admin`,
].join(',');

describe('staff API and the closed loop over HTTP', () => {
  let t: TestApp;

  const staff = async (token: string, method: 'GET' | 'POST', url: string, payload?: object) => {
    const response = await t.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${token}` },
      ...(payload ? { payload } : {}),
    });
    return {
      status: response.statusCode,
      body: response.json() as Record<string, unknown> & { error?: { code: string } },
    };
  };
  const act = (token: string, code: string, payload: object) =>
    staff(token, 'POST', `/api/staff/work-orders/${code}/actions`, payload);
  const updatesOf = async (sessionId: string) => {
    await t.app.minsheng.notifier.settle();
    const rows = await t.app.minsheng.db.message.findMany({
      where: { conversationId: sessionId, direction: 'out', kind: 'update' },
      orderBy: { id: 'asc' },
    });
    return rows.map((r) => r.text);
  };

  async function fileByChat(session: string, complaint: string, place: string): Promise<string> {
    await chat(t.app, session, complaint);
    await chat(t.app, session, place);
    await chat(t.app, session, '13812345678');
    const [filed] = await chat(t.app, session, '确认');
    return filed!.ticket!.code;
  }

  beforeAll(async () => {
    t = await startTestApp({ STAFF_API_TOKENS, DEMO_KNOWLEDGE: 'off' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('walks one order through the whole loop, and the citizen session receives each update', async () => {
    const session = 'session-loop-1';
    const code = await fileByChat(session, '我要投诉楼下烧烤店每天半夜还在营业，油烟很大', '江北区望江路18号');

    const listed = await staff(tokens.operator, 'GET', '/api/staff/work-orders?status=accepted');
    expect(listed.status).toBe(200);
    const item = (listed.body.items as { code: string; suggestedDepartments: string[]; dispatchRuleId: string }[]).find(
      (o) => o.code === code,
    );
    expect(item).toMatchObject({
      suggestedDepartments: ['临江市城市管理局', '临江市生态环境局'],
      dispatchRuleId: 'env-fumes-catering',
    });

    expect((await act(tokens.operator, code, { action: 'dispatch' })).body).toMatchObject({
      status: 'dispatched',
      leadDepartment: '临江市城市管理局',
    });
    expect((await act(tokens.handler, code, { action: 'sign' })).body).toMatchObject({ status: 'signed' });
    const note = await staff(tokens.handler, 'POST', `/api/staff/work-orders/${code}/notes`, {
      note: '执法人员已上门核查',
      citizenVisible: true,
    });
    expect(note.status).toBe(200);
    await act(tokens.handler, code, { action: 'resolve', note: '已责令店主安装油烟净化设备' });

    const [askRating] = (await updatesOf(session)).slice(-1);
    expect(askRating).toContain('请对办理结果进行评价');
    const [unhappy] = await chat(t.app, session, '不满意，晚上还是有油烟');
    expect(unhappy).toMatchObject({ kind: 'status', ticket: { code, status: 'processing' } });
    expect(unhappy?.text).toContain('重新交承办部门办理');

    await act(tokens.handler, code, { action: 'resolve', note: '净化设备已安装并通过检测' });
    const [happy] = await chat(t.app, session, '满意');
    expect(happy).toMatchObject({ kind: 'status', ticket: { code, status: 'visited' } });
    expect((await act(tokens.operator, code, { action: 'close' })).body).toMatchObject({
      status: 'closed',
      satisfaction: 'satisfied',
      reopenCount: 1,
    });

    const one = await staff(tokens.admin, 'GET', `/api/staff/work-orders/${code}`);
    expect((one.body.history as { action: string; actor: string }[]).map((h) => `${h.action}:${h.actor}`)).toEqual([
      'file:citizen',
      'dispatch:op-li',
      'sign:cg-wang',
      'note:cg-wang',
      'resolve:cg-wang',
      'reopen:citizen',
      'resolve:cg-wang',
      'rate:citizen',
      'close:op-li',
    ]);
    const updates = await updatesOf(session);
    expect(updates).toHaveLength(6);
    expect(updates[0]).toContain('已派至临江市城市管理局办理');
    expect(updates[1]).toContain('执法人员已上门核查');
    expect(updates[2]).toContain('已责令店主安装油烟净化设备');
    expect(updates[3]).toContain('重新交承办部门办理');
    expect(updates[4]).toContain('净化设备已安装并通过检测');
    expect(updates[5]).toContain('已归档');
    for (const text of updates) expect(text).toContain(code);
  });

  it('answers an illegal transition with 409 and its code, and a missing reason with 400', async () => {
    const code = await fileByChat('session-loop-2', '我要投诉小区门口垃圾堆积没人清运', '江北区望江路20号');
    const early = await act(tokens.admin, code, { action: 'resolve', note: '好了' });
    expect(early).toMatchObject({ status: 409, body: { error: { code: 'ILLEGAL_TRANSITION' } } });
    await act(tokens.operator, code, { action: 'dispatch' });
    const noReason = await act(tokens.handler, code, { action: 'return' });
    expect(noReason).toMatchObject({ status: 400, body: { error: { code: 'INVALID_ACTION_INPUT' } } });
    const stale = await act(tokens.handler, code, { action: 'sign', expectedVersion: 0 });
    expect(stale).toMatchObject({ status: 409, body: { error: { code: 'WORK_ORDER_CONFLICT' } } });
    const wrongRole = await act(tokens.operator, code, { action: 'sign' });
    expect(wrongRole).toMatchObject({ status: 403, body: { error: { code: 'ACTION_NOT_PERMITTED' } } });
  });

  it("keeps a department handler out of another department's orders (403)", async () => {
    const code = await fileByChat('session-loop-3', '我要投诉烧烤店油烟太大', '江北区望江路22号');
    await act(tokens.operator, code, { action: 'dispatch' });
    const read = await staff(tokens.otherHandler, 'GET', `/api/staff/work-orders/${code}`);
    expect(read).toMatchObject({ status: 403, body: { error: { code: 'DEPARTMENT_MISMATCH' } } });
    const change = await act(tokens.otherHandler, code, { action: 'sign' });
    expect(change).toMatchObject({ status: 403, body: { error: { code: 'DEPARTMENT_MISMATCH' } } });
    const note = await staff(tokens.otherHandler, 'POST', `/api/staff/work-orders/${code}/notes`, { note: '看看' });
    expect(note.status).toBe(403);
    const list = await staff(tokens.otherHandler, 'GET', '/api/staff/work-orders?department=临江市城市管理局');
    expect((list.body.items as { code: string }[]).map((o) => o.code)).not.toContain(code);
    const own = await staff(tokens.handler, 'GET', `/api/staff/work-orders/${code}`);
    expect(own.status).toBe(200);
  });

  it('lists orders of an assisting department, and records a return visit made by phone', async () => {
    const code = await fileByChat('session-loop-4', '我要投诉饭店油烟直排', '江南区滨江路5号');
    await act(tokens.operator, code, { action: 'dispatch' });
    const assisting = await staff(tokens.admin, 'GET', '/api/staff/work-orders?department=临江市生态环境局');
    expect((assisting.body.items as { code: string }[]).map((o) => o.code)).toContain(code);
    const unrelated = await staff(tokens.admin, 'GET', '/api/staff/work-orders?department=临江市生态环境');
    expect((unrelated.body.items as { code: string }[]).map((o) => o.code)).not.toContain(code);
    await act(tokens.handler, code, { action: 'sign' });
    await act(tokens.handler, code, { action: 'resolve', note: '已安装净化器' });
    const rated = await act(tokens.operator, code, {
      action: 'rate',
      satisfaction: 'basically-satisfied',
      note: '电话回访',
    });
    expect(rated.body).toMatchObject({
      status: 'visited',
      satisfaction: 'basically-satisfied',
      satisfactionComment: '电话回访',
    });
  });

  it('lets only administrators read the delivery records', async () => {
    expect((await staff(tokens.operator, 'GET', '/api/staff/outbox')).status).toBe(403);
    const admin = await staff(tokens.admin, 'GET', '/api/staff/outbox?status=delivered');
    expect(admin.status).toBe(200);
    expect((admin.body.items as { deliveredVia: string }[]).length).toBeGreaterThan(0);
    expect((admin.body.items as { deliveredVia: string }[]).every((i) => i.deliveredVia === 'web')).toBe(true);
  });

  it('refuses requests without a valid token (401) and documents the staff API', async () => {
    const none = await t.app.inject({ method: 'GET', url: '/api/staff/work-orders' });
    expect(none.statusCode).toBe(401);
    expect(none.headers['www-authenticate']).toBe('Bearer');
    const wrong = await staff('not-a-real-token-000000', 'GET', '/api/staff/me');
    expect(wrong).toMatchObject({ status: 401, body: { error: { code: 'UNAUTHORIZED' } } });
    expect((await staff(tokens.handler, 'GET', '/api/staff/me')).body).toEqual({
      name: 'cg-wang',
      role: 'handler',
      department: '临江市城市管理局',
    });
    const spec = await t.app.inject({ method: 'GET', url: '/docs/json' });
    expect(Object.keys((spec.json() as { paths: object }).paths)).toEqual(
      expect.arrayContaining(['/api/staff/work-orders', '/api/staff/work-orders/{code}/actions', '/api/staff/outbox']),
    );
  });

  it('validates filters and ticket numbers', async () => {
    expect((await staff(tokens.admin, 'GET', '/api/staff/work-orders?status=bogus')).status).toBe(400);
    expect((await staff(tokens.admin, 'GET', '/api/staff/work-orders/not-a-code')).status).toBe(400);
    expect((await staff(tokens.admin, 'GET', '/api/staff/work-orders/LJ20990101000001')).status).toBe(404);
    const red = await staff(tokens.admin, 'GET', '/api/staff/work-orders?overdue=true');
    expect(red.status).toBe(200);
  });
});
