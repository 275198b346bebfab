import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';

// The entry editor and the import page when people work at the same time, sessions end, or files change:
// what the page shows is what gets saved, published or imported, and nothing typed is lost.
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const tokens = {
  editor: 'editor-token-editing-e2e-0123',
  editor2: 'editor2-token-editing-e2e-0123',
  reviewer: 'reviewer-token-editing-e2e-0123',
};

describe('knowledge console editing in Chromium', () => {
  let t: TestApp;
  let base: string;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    if (!existsSync(executablePath)) {
      throw new Error(`Chromium not found at ${executablePath}: apt-get install -y chromium fonts-noto-cjk`);
    }
    t = await startTestApp({
      STAFF_API_TOKENS: [
        `wang.editor:${tokens.editor}:knowledge`,
        `zhao.editor:${tokens.editor2}:knowledge`,
        `li.reviewer:${tokens.reviewer}:reviewer`,
      ].join(','),
    });
    base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    browser = await chromium.launch({
      executablePath,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-sync'],
    });
  });

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await t?.close();
  });

  /** A signed-in page of its own browser context (one person's browser). */
  const signedIn = async (token: string): Promise<Page> => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(`${base}/console/login`);
    await page.getByLabel('访问令牌').fill(token);
    await page.getByRole('button', { name: '登录' }).click();
    await page.waitForURL(`${base}/console`);
    return page;
  };
  /** The API as a script would use it (bearer token): the other person's edits. */
  const call = async (token: string, method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) => {
    const response = await t.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${token}` },
      ...(payload ? { payload } : {}),
    });
    expect(response.statusCode, response.body).toBeLessThan(300);
    return response.json();
  };
  const openEntry = async (page: Page, id: string) => {
    await page.goto(`${base}/console/entries/${id}`);
    await page.locator('.entry-header h1').waitFor();
    await page.locator('.workflow button').first().waitFor();
  };

  it(
    'shows the diff to the reviewer, and refuses publishing a version changed after the page loaded',
    { timeout: 120_000 },
    async () => {
      const id = 'kb-002';
      const live = (await call(tokens.editor, 'GET', `/api/console/entries/${id}`)).live;
      await call(tokens.editor, 'PUT', `/api/console/entries/${id}/draft`, {
        content: { ...live, answer: `${live.answer}版本X新增的一句。` },
      });
      await call(tokens.editor, 'POST', `/api/console/entries/${id}/actions`, { action: 'submit' });

      const reviewer = await signedIn(tokens.reviewer);
      await openEntry(reviewer, id);
      const diff = reviewer.locator('section.diff');
      await diff.locator('.change[data-field="answer"] ins').waitFor();
      expect(await diff.locator('.change[data-field="answer"] ins').textContent()).toBe('版本X新增的一句。');
      expect(await diff.textContent()).not.toContain('[object');
      await reviewer.locator('.versions tr[data-version="2"]').getByRole('button', { name: '查看改动' }).click();
      await diff.getByText('第 1 版 → 第 2 版的改动').waitFor();
      expect(await diff.locator('.change[data-field="answer"] ins').textContent()).toBe('版本X新增的一句。');

      // The editor withdraws, changes the text to Y and submits again while the reviewer still reads X.
      await call(tokens.editor, 'POST', `/api/console/entries/${id}/actions`, { action: 'withdraw' });
      await call(tokens.editor, 'PUT', `/api/console/entries/${id}/draft`, {
        content: { ...live, answer: '版本Y：审核员没有看过的答案。' },
      });
      await call(tokens.editor, 'POST', `/api/console/entries/${id}/actions`, { action: 'submit' });
      await reviewer.getByRole('button', { name: '审核通过并发布' }).click();
      await reviewer
        .locator('.error')
        .getByText(/请刷新页面查看最新内容/)
        .waitFor();
      expect((await t.app.minsheng.db.knowledgeEntry.findUniqueOrThrow({ where: { id } })).answer).toBe(live.answer);

      // Reloaded, the reviewer sees Y and publishes it.
      await openEntry(reviewer, id);
      expect(await reviewer.getByLabel('答案').inputValue()).toBe('版本Y：审核员没有看过的答案。');
      await reviewer.getByRole('button', { name: '审核通过并发布' }).click();
      await reviewer.getByText('已发布，市民提问将立即得到新答案').waitFor();
      expect(pageErrors).toEqual([]);
    },
  );

  it('warns that archiving discards the pending draft, and the audit trail shows it', { timeout: 60_000 }, async () => {
    const id = 'kb-003';
    const live = (await call(tokens.editor, 'GET', `/api/console/entries/${id}`)).live;
    const draft = await call(tokens.editor, 'PUT', `/api/console/entries/${id}/draft`, {
      content: { ...live, answer: '编辑正在修改、尚未提交的答案。' },
    });
    const reviewer = await signedIn(tokens.reviewer);
    await openEntry(reviewer, id);
    const asked: string[] = [];
    reviewer.once('dialog', (dialog) => {
      asked.push(dialog.message());
      void dialog.accept();
    });
    await reviewer.getByRole('button', { name: '归档' }).click();
    await reviewer.getByText('已归档，不再用于回答').waitFor();
    expect(asked).toEqual([
      `归档后此条目不再用于回答市民，未发布的第 ${draft.working.number} 版（草稿）将被放弃，恢复后也不会找回。确定归档吗？`,
    ]);
    expect(await reviewer.locator('.events').textContent()).toContain(
      `li.reviewer（审核员）放弃修改 第 ${draft.working.number} 版`,
    );
    await reviewer.getByRole('button', { name: '恢复' }).click();
    await reviewer.getByText('已恢复').waitFor();
    expect(pageErrors).toEqual([]);
  });

  it(
    'refuses a save over a draft another editor started after the page loaded, with the local time',
    { timeout: 60_000 },
    async () => {
      const id = 'kb-004';
      const editor = await signedIn(tokens.editor);
      await openEntry(editor, id);
      expect(await editor.getByRole('button', { name: '保存草稿' }).count()).toBe(1);
      const live = (await call(tokens.editor2, 'GET', `/api/console/entries/${id}`)).live;
      const other = await call(tokens.editor2, 'PUT', `/api/console/entries/${id}/draft`, {
        content: { ...live, answer: '另一位编辑先保存的答案。' },
      });
      await editor.getByLabel('答案').fill('这位编辑后保存的答案。');
      await editor.getByRole('button', { name: '保存草稿' }).click();
      const error = editor.locator('.error');
      await error.getByText(/zhao\.editor 已于/).waitFor();
      const local = new Date(new Date(other.working.updatedAt as string).getTime() + 8 * 3_600_000);
      const two = (n: number) => String(n).padStart(2, '0');
      expect(await error.textContent()).toContain(
        `zhao.editor 已于 ${local.getUTCMonth() + 1}月${local.getUTCDate()}日 ${two(local.getUTCHours())}:${two(local.getUTCMinutes())} 修改了此条目的第`,
      );
      expect(await error.textContent()).not.toMatch(/\d{4}-\d{2}-\d{2}T/);
      expect(await editor.getByText('已保存').count()).toBe(0);
      const stored = await call(tokens.editor, 'GET', `/api/console/entries/${id}`);
      expect(stored.working.content.answer).toBe('另一位编辑先保存的答案。');
      // What was typed is still there to copy after reloading.
      expect(await editor.getByLabel('答案').inputValue()).toBe('这位编辑后保存的答案。');
      expect(pageErrors).toEqual([]);
    },
  );

  it(
    'keeps what was typed through an expired session, and asks before leaving unsaved edits',
    { timeout: 60_000 },
    async () => {
      const editor = await signedIn(tokens.editor);
      await editor.goto(`${base}/console/entries/new`);
      await editor.getByRole('button', { name: '创建草稿' }).waitFor();
      const question = '老旧小区加装电梯怎么申请补贴';
      const answer = '由业主委员会向街道提出申请，经审核后按每台最高20万元给予补贴。';
      await editor.getByLabel('标准问题').fill(question);
      await editor.getByLabel('答案').fill(answer);

      // Leaving with unsaved input asks first; staying keeps it.
      const dialogs: string[] = [];
      editor.on('dialog', (dialog) => {
        dialogs.push(dialog.type());
        void dialog.dismiss();
      });
      await editor.getByRole('link', { name: '返回条目列表' }).click();
      await expect.poll(() => dialogs).toEqual(['beforeunload']);
      expect(editor.url()).toBe(`${base}/console/entries/new`);

      // The session ends elsewhere (another tab signed out); the save sends the user to the login page.
      await t.app.minsheng.db.consoleSession.deleteMany({ where: { name: 'wang.editor' } });
      await editor.getByRole('button', { name: '创建草稿' }).click();
      await editor.waitForURL(/\/console\/login\?next=%2Fconsole%2Fentries%2Fnew/);
      // No "leave the page?" on the way: the text is kept.
      expect(dialogs).toEqual(['beforeunload']);
      await editor.getByLabel('访问令牌').fill(tokens.editor);
      await editor.getByRole('button', { name: '登录' }).click();
      await editor.waitForURL(`${base}/console/entries/new`);
      await editor.getByText('登录已失效，您未保存的内容已恢复，请检查后保存。').waitFor();
      expect(await editor.getByLabel('标准问题').inputValue()).toBe(question);
      expect(await editor.getByLabel('答案').inputValue()).toBe(answer);

      await editor.getByRole('button', { name: '创建草稿' }).click();
      await editor.getByText('已保存').waitFor();
      expect(await editor.evaluate('sessionStorage.length')).toBe(0);
      const created = await t.app.minsheng.db.knowledgeEntry.findFirstOrThrow({ where: { question } });
      expect(created).toMatchObject({ answer, status: 'draft' });
      // Saved: leaving asks nothing.
      await editor.getByRole('link', { name: '返回条目列表' }).click();
      await editor.waitForURL(`${base}/console`);
      expect(dialogs).toEqual(['beforeunload']);
      expect(pageErrors).toEqual([]);
    },
  );

  it(
    'imports only the previewed file, and drops a preview once the file changes or previewing fails',
    { timeout: 60_000 },
    async () => {
      const editor = await signedIn(tokens.editor);
      await editor.goto(`${base}/console/import`);
      const small = {
        name: 'gbk.csv',
        mimeType: 'text/csv',
        buffer: Buffer.from('标准问题,答案\n预览过的问题甲,答案甲\n预览过的问题乙,答案乙\n'),
      };
      const bulk = {
        name: 'bulk60.csv',
        mimeType: 'text/csv',
        buffer: Buffer.from(
          ['标准问题,答案', ...Array.from({ length: 60 }, (_, i) => `没有预览过的问题${i},答案${i}`)].join('\n'),
        ),
      };
      const count = await t.app.minsheng.db.knowledgeEntry.count();
      const file = editor.locator('#import-file');
      const report = editor.locator('.report');
      const confirmSmall = report.getByRole('button', { name: '确认导入 2 行有效数据' });

      await file.setInputFiles(small);
      await editor.getByRole('button', { name: '上传并预览' }).click();
      await confirmSmall.waitFor();
      // Another file picked without previewing it: the old report and its confirm button are gone.
      await file.setInputFiles(bulk);
      await report.waitFor({ state: 'hidden' });
      expect(await editor.getByRole('button', { name: /确认导入/ }).count()).toBe(0);
      await editor.getByText('已选择新文件，请点击“上传并预览”').waitFor();

      // A preview that fails (here a 413) leaves no confirm button of an earlier preview behind.
      await file.setInputFiles(small);
      await editor.getByRole('button', { name: '上传并预览' }).click();
      await confirmSmall.waitFor();
      await editor.route('**/api/console/import/preview*', (route) =>
        route.fulfill({
          status: 413,
          contentType: 'application/json',
          body: JSON.stringify({ error: { code: 'PAYLOAD_TOO_LARGE', message: 'too large' } }),
        }),
      );
      await editor.getByRole('button', { name: '按此对应重新预览' }).click();
      await editor.getByText('文件超过 10 MB，请拆分后分批导入').waitFor();
      expect(await report.isHidden()).toBe(true);
      expect(await editor.getByRole('button', { name: /确认导入/ }).count()).toBe(0);
      await editor.unroute('**/api/console/import/preview*');

      // Confirming sends the previewed bytes with the preview's hash.
      await editor.getByRole('button', { name: '上传并预览' }).click();
      await confirmSmall.waitFor();
      const applied = editor.waitForRequest((r) => r.url().includes('/api/console/import/apply'));
      await confirmSmall.click();
      expect(new URL((await applied).url()).searchParams.get('previewHash')).toMatch(/^[0-9a-f]{64}$/);
      await editor.locator('.result').getByText('新增 2 条').waitFor();
      expect(await t.app.minsheng.db.knowledgeEntry.count()).toBe(count + 2);
      expect(pageErrors).toEqual([]);
    },
  );
});
