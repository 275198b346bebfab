import { isReply } from '../../channels/web/web-chat-hub.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chat, startTestApp, type TestApp } from '../support/app.js';

describe('work-order updates reach the citizen on their channel', () => {
  let t: TestApp;
  const token = 'operator-token-for-updates-0123';

  beforeAll(async () => {
    t = await startTestApp({ STAFF_API_TOKENS: `op-li:${token}:operator` });
  });
  afterAll(async () => {
    await t.close();
  });

  it('pushes a status change into the web chat session (for open pages and re-sync)', async () => {
    const session = 'session-web-push-1';
    await chat(t.app, session, '我要投诉楼下烧烤店每天半夜还在营业，油烟很大');
    await chat(t.app, session, '江北区望江路18号');
    await chat(t.app, session, '13812345678');
    const [filed] = await chat(t.app, session, '确认');
    const code = filed!.ticket!.code;

    const response = await t.app.inject({
      method: 'POST',
      url: `/api/staff/work-orders/${code}/actions`,
      headers: { authorization: `Bearer ${token}` },
      payload: { action: 'dispatch' },
    });
    expect(response.statusCode).toBe(200);
    await t.app.minsheng.notifier.settle();

    const history = t.app.channels.webChat.since(session, 0);
    const pushed = history.filter(isReply).map((item) => item.reply);
    // The session's history holds the citizen's messages and the turn's replies, then the pushed update.
    expect(pushed.at(-1)).toEqual(
      expect.objectContaining({ kind: 'status', ticket: expect.objectContaining({ code, status: 'dispatched' }) }),
    );
    expect(pushed.filter((r) => r.kind === 'status')).toHaveLength(1);
  });
});
