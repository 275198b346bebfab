import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chat, startTestApp, type TestApp } from '../support/app.js';

describe('the filing reply', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it("promises the order's own completion deadline, the one department staff see", async () => {
    const session = 'ticket-reply-deadline-1';
    await chat(t.app, session, '我要投诉江北区望江路18号的烧烤店每天半夜还在营业，油烟很大，电话13812345678');
    const [filed] = await chat(t.app, session, '确认');
    const order = await t.app.minsheng.db.workOrder.findFirstOrThrow({ where: { ownerSessionId: session } });
    expect(order.completeDueAt).not.toBeNull();
    // The deadline is the end of a working day: the millisecond before it names the day.
    const day = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', month: 'long', day: 'numeric' }).format(
      new Date(order.completeDueAt!.getTime() - 1),
    );
    expect(filed!.text).toContain(`按规定应于${day}前办结`);
    expect(filed!.text).not.toContain('15个工作日');
  });
});
