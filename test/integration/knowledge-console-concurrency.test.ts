import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';

// Several people on one entry, and an import confirmed after the file changed: nobody's work is overwritten,
// published or imported unseen.
const tokens = {
  editor: 'editor-token-concurrency-0123',
  editor2: 'editor2-token-concurrency-0123',
  reviewer: 'reviewer-token-concurrency-0123',
};
const env = {
  STAFF_API_TOKENS: [
    `wang.editor:${tokens.editor}:knowledge`,
    `zhao.editor:${tokens.editor2}:knowledge`,
    `li.reviewer:${tokens.reviewer}:reviewer`,
  ].join(','),
};

/** How the hotline (Asia/Shanghai, UTC+8, no daylight saving) reads a time: 11月30日 05:23. */
const shanghai = (iso: string) => {
  const d = new Date(new Date(iso).getTime() + 8 * 3_600_000);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCMonth() + 1}月${d.getUTCDate()}日 ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}`;
};

describe('knowledge console: concurrent edits, stale reviews, archive, import confirmation', () => {
  let t: TestApp;
  const call = (token: string, method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) =>
    t.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${token}` },
      ...(payload ? { payload } : {}),
    });
  const ok = (response: LightMyRequestResponse) => {
    expect(response.statusCode, response.body).toBeLessThan(300);
    return response.json();
  };
  const liveAnswer = async (id: string) =>
    (await t.app.minsheng.db.knowledgeEntry.findUniqueOrThrow({ where: { id } })).answer;

  beforeAll(async () => {
    t = await startTestApp(env);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('refuses publishing or sending back a version changed after the reviewer loaded it', async () => {
    const id = 'kb-002';
    const before = ok(await call(tokens.editor, 'GET', `/api/console/entries/${id}`));
    const oldAnswer = before.live.answer as string;
    ok(
      await call(tokens.editor, 'PUT', `/api/console/entries/${id}/draft`, {
        content: { ...before.live, answer: '版本X：灵活就业人员可在“临江人社”APP登记参保。' },
        expectedUpdatedAt: 'none',
      }),
    );
    ok(await call(tokens.editor, 'POST', `/api/console/entries/${id}/actions`, { action: 'submit' }));
    // The reviewer opens the entry and reads version X.
    const seen = ok(await call(tokens.reviewer, 'GET', `/api/console/entries/${id}`)).working.updatedAt as string;

    // Meanwhile the editor withdraws, changes it to Y and submits again.
    ok(await call(tokens.editor, 'POST', `/api/console/entries/${id}/actions`, { action: 'withdraw' }));
    const withdrawn = ok(await call(tokens.editor, 'GET', `/api/console/entries/${id}`));
    const versionY = { ...withdrawn.working.content, answer: '版本Y：未经审核的内容。' };
    ok(
      await call(tokens.editor, 'PUT', `/api/console/entries/${id}/draft`, {
        content: versionY,
        expectedUpdatedAt: withdrawn.working.updatedAt,
      }),
    );
    ok(await call(tokens.editor, 'POST', `/api/console/entries/${id}/actions`, { action: 'submit' }));

    for (const action of [{ action: 'publish' }, { action: 'reject', note: '请补充' }]) {
      const stale = await call(tokens.reviewer, 'POST', `/api/console/entries/${id}/actions`, {
        ...action,
        expectedUpdatedAt: seen,
      });
      expect(stale.statusCode, action.action).toBe(409);
      expect(stale.json().error).toMatchObject({ code: 'ENTRY_CONFLICT' });
      expect(stale.json().error.message).toMatch(/wang\.editor 已于 .*修改了此条目的第 \d+ 版.*请刷新页面/);
    }
    expect(await liveAnswer(id)).toBe(oldAnswer);
    const current = ok(await call(tokens.reviewer, 'GET', `/api/console/entries/${id}`));
    expect(current.working).toMatchObject({ state: 'review', content: { answer: '版本Y：未经审核的内容。' } });

    // Reloaded, the reviewer publishes what they now see; a script that sends no stamp still works.
    ok(
      await call(tokens.reviewer, 'POST', `/api/console/entries/${id}/actions`, {
        action: 'reject',
        note: '请写清办理渠道',
        expectedUpdatedAt: current.working.updatedAt,
      }),
    );
    ok(await call(tokens.editor, 'POST', `/api/console/entries/${id}/actions`, { action: 'submit' }));
    ok(await call(tokens.reviewer, 'POST', `/api/console/entries/${id}/actions`, { action: 'publish' }));
    expect(await liveAnswer(id)).toBe('版本Y：未经审核的内容。');

    const malformed = await call(tokens.reviewer, 'POST', `/api/console/entries/${id}/actions`, {
      action: 'archive',
      expectedUpdatedAt: 'yesterday',
    });
    expect(malformed.statusCode).toBe(400);
  });

  it('refuses a second editor starting a draft over one saved since the page was loaded, in local time', async () => {
    const id = 'kb-003';
    const loaded = ok(await call(tokens.editor, 'GET', `/api/console/entries/${id}`));
    expect(loaded.working).toBeNull();
    // Both editors loaded the entry without a working version; A saves first.
    const first = ok(
      await call(tokens.editor2, 'PUT', `/api/console/entries/${id}/draft`, {
        content: { ...loaded.live, answer: '编辑A的修改' },
        expectedUpdatedAt: 'none',
      }),
    );
    const second = await call(tokens.editor, 'PUT', `/api/console/entries/${id}/draft`, {
      content: { ...loaded.live, answer: '编辑B的修改' },
      expectedUpdatedAt: 'none',
    });
    expect(second.statusCode).toBe(409);
    const message = second.json().error.message as string;
    expect(message).toBe(
      `zhao.editor 已于 ${shanghai(first.working.updatedAt)} 修改了此条目的第 ${first.working.number} 版，请刷新页面查看后再编辑`,
    );
    expect(message).not.toMatch(/\d{4}-\d{2}-\d{2}T/);
    const stored = ok(await call(tokens.editor, 'GET', `/api/console/entries/${id}`));
    expect(stored.working.content.answer).toBe('编辑A的修改');

    // A stale timestamp reads the same way; the current one saves; no stamp (scripts) saves as before.
    const stale = await call(tokens.editor, 'PUT', `/api/console/entries/${id}/draft`, {
      content: { ...loaded.live, answer: '编辑B的修改' },
      expectedUpdatedAt: '2020-01-01T00:00:00.000Z',
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.message).toContain(shanghai(first.working.updatedAt));
    const saved = ok(
      await call(tokens.editor, 'PUT', `/api/console/entries/${id}/draft`, {
        content: { ...loaded.live, answer: '编辑B看过A的修改后再改' },
        expectedUpdatedAt: first.working.updatedAt,
      }),
    );
    // Saved in the same millisecond or not, the stamp moves on: A's old stamp no longer matches.
    expect(saved.working.updatedAt).not.toBe(first.working.updatedAt);
    ok(
      await call(tokens.editor2, 'PUT', `/api/console/entries/${id}/draft`, {
        content: { ...loaded.live, answer: '脚本的修改' },
      }),
    );
  });

  it('records the pending draft an archive discards in the audit trail', async () => {
    const id = 'kb-004';
    const loaded = ok(await call(tokens.editor, 'GET', `/api/console/entries/${id}`));
    const draft = ok(
      await call(tokens.editor, 'PUT', `/api/console/entries/${id}/draft`, {
        content: { ...loaded.live, answer: '尚未发布的修改' },
      }),
    );
    const number = draft.working.number as number;
    const archived = ok(
      await call(tokens.reviewer, 'POST', `/api/console/entries/${id}/actions`, {
        action: 'archive',
        expectedUpdatedAt: draft.working.updatedAt,
      }),
    );
    expect(archived.events.slice(0, 2)).toMatchObject([
      { action: 'archive', actor: 'li.reviewer' },
      { action: 'discard', actor: 'li.reviewer', version: number, note: '归档时放弃了未发布的修改' },
    ]);
    const restored = ok(
      await call(tokens.reviewer, 'POST', `/api/console/entries/${id}/actions`, { action: 'restore' }),
    );
    expect(restored.working).toBeNull();
    expect(restored.versions.find((v: { number: number }) => v.number === number).state).toBe('discarded');
  });

  it('imports only the file and mapping that were previewed', async () => {
    const post = (url: string, payload: Buffer) =>
      t.app.inject({
        method: 'POST',
        url,
        headers: { authorization: `Bearer ${tokens.editor}`, 'content-type': 'application/octet-stream' },
        payload,
      });
    const previewed = Buffer.from('标准问题,答案\n预览过的问题一,答案一\n预览过的问题二,答案二\n');
    const other = Buffer.from(
      ['标准问题,答案', ...Array.from({ length: 60 }, (_, i) => `没预览过的问题${i},答案${i}`)].join('\n'),
    );
    const preview = ok(await post('/api/console/import/preview?filename=gbk.csv', previewed));
    expect(preview.previewHash).toMatch(/^[0-9a-f]{64}$/);
    expect(ok(await post('/api/console/import/preview?filename=gbk.csv', previewed)).previewHash).toBe(
      preview.previewHash,
    );
    const count = await t.app.minsheng.db.knowledgeEntry.count();

    const swapped = await post(
      `/api/console/import/apply?filename=bulk60.csv&previewHash=${preview.previewHash}`,
      other,
    );
    expect(swapped.statusCode).toBe(400);
    expect(swapped.json().error.message).toContain('与预览时不同');
    const remapped = await post(
      `/api/console/import/apply?filename=gbk.csv&previewHash=${preview.previewHash}&mapping=${encodeURIComponent(
        JSON.stringify({ question: 1, answer: 0 }),
      )}`,
      previewed,
    );
    expect(remapped.statusCode).toBe(400);
    expect(await t.app.minsheng.db.knowledgeEntry.count()).toBe(count);

    const applied = ok(
      await post(`/api/console/import/apply?filename=gbk.csv&previewHash=${preview.previewHash}`, previewed),
    );
    expect(applied).toMatchObject({ created: 2, invalid: 0 });
  });
});
