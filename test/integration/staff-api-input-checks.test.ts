import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chat, startTestApp, type TestApp } from '../support/app.js';

const tokens = { operator: 'operator-token-0123456789', admin: 'admin-token-0123456789' };
const STAFF_API_TOKENS = [`op-li:${tokens.operator}:operator`, `root:${tokens.admin}:admin`].join(',');

describe('staff API: departments from the catalogue, literal text search', () => {
  let t: TestApp;

  const staff = async (method: 'GET' | 'POST', url: string, payload?: object) => {
    const response = await t.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${tokens.operator}` },
      ...(payload ? { payload } : {}),
    });
    return { status: response.statusCode, body: response.json() as Record<string, unknown> };
  };
  const act = (code: string, payload: object) => staff('POST', `/api/staff/work-orders/${code}/actions`, payload);
  const codesOf = (body: Record<string, unknown>) => (body.items as { code: string }[]).map((o) => o.code).sort();

  async function file(session: string, complaint: string, place: string): Promise<string> {
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

  it('refuses to dispatch or reassign to a department the catalogue does not name; the citizen is told nothing', async () => {
    const session = 'session-dispatch-check';
    const code = await file(session, '我要投诉楼下烧烤店每天半夜还在营业，油烟很大', '江北区望江路18号');

    const unknownLead = await act(code, { action: 'dispatch', lead: '不存在的部门' });
    expect(unknownLead.status).toBe(400);
    expect(unknownLead.body.error).toMatchObject({ code: 'INVALID_ACTION_INPUT' });
    expect((unknownLead.body.error as { message: string }).message).toContain(
      'lead department "不存在的部门" is not in the dispatch catalogue',
    );
    const unknownAssisting = await act(code, {
      action: 'dispatch',
      lead: '临江市城市管理局',
      assisting: ['临江市生态环境局', '火星局'],
    });
    expect(unknownAssisting.status).toBe(400);
    expect((unknownAssisting.body.error as { message: string }).message).toContain(
      'assisting department "火星局" not in the dispatch catalogue',
    );
    const order = await staff('GET', `/api/staff/work-orders/${code}`);
    expect(order.body).toMatchObject({ status: 'accepted', leadDepartment: null });

    expect(
      (await act(code, { action: 'dispatch', lead: '临江市城市管理局', assisting: ['临江市生态环境局'] })).body,
    ).toMatchObject({ status: 'dispatched', leadDepartment: '临江市城市管理局' });
    const reassign = await act(code, { action: 'reassign', lead: '不存在的部门', note: '改派' });
    expect(reassign.status).toBe(400);
    expect((reassign.body.error as { message: string }).message).toContain('reassign: lead department "不存在的部门"');

    await t.app.minsheng.notifier.settle();
    const updates = await t.app.minsheng.db.message.findMany({
      where: { conversationId: session, direction: 'out', kind: 'update' },
    });
    expect(updates.map((u) => u.text).join('\n')).not.toContain('不存在的部门');

    const catalogue = await staff('GET', '/api/staff/catalogue');
    expect(catalogue.body.departments).toEqual(expect.arrayContaining(['临江市城市管理局', '临江市生态环境局']));
  });

  it('matches % _ and \\ in the text filter literally', async () => {
    const percent = await file('session-text-1', '我要投诉超市标价打折50%结账却按原价收', '江南区文昌路3号');
    const underscore = await file('session-text-2', '我要投诉小区门口的广告牌写着A_B乱贴', '青山区翠屏路9号');
    const plain = await file('session-text-3', '我要投诉楼下装修噪音太大了', '江北区学府路5号');

    const search = async (text: string) =>
      codesOf((await staff('GET', `/api/staff/work-orders?text=${encodeURIComponent(text)}&limit=200`)).body);
    expect(await search('%')).toEqual([percent]);
    expect(await search('50%')).toEqual([percent]);
    expect(await search('_')).toEqual([underscore]);
    expect(await search('A_B')).toEqual([underscore]);
    expect(await search('\\')).toEqual([]);
    expect(await search('装修噪音')).toEqual([plain]);
    const total = await staff('GET', `/api/staff/work-orders?text=${encodeURIComponent('%')}`);
    expect(total.body.total).toBe(1);
  });
});
