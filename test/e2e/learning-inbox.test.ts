import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chat, startTestApp, type TestApp } from '../support/app.js';

const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const screenshotDir = join(process.cwd(), 'test-results');
const tokens = { knowledge: 'knowledge-token-0123456789', reviewer: 'reviewer-token-0123456789' };

describe('learning from traffic in Chromium: an abstained question becomes an entry', () => {
  let t: TestApp;
  let profile: string;
  let browser: BrowserContext;
  let base: string;

  beforeAll(async () => {
    if (!existsSync(executablePath)) {
      throw new Error(`Chromium not found at ${executablePath}: apt-get install -y chromium fonts-noto-cjk`);
    }
    t = await startTestApp({
      STAFF_API_TOKENS: `zhou:${tokens.knowledge}:knowledge,qian:${tokens.reviewer}:reviewer`,
    });
    base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    profile = await mkdtemp(join(tmpdir(), 'minsheng-chromium-'));
    browser = await chromium.launchPersistentContext(profile, {
      executablePath,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-sync'],
      viewport: { width: 1200, height: 900 },
    });
    browser.setDefaultTimeout(10_000);
    await mkdir(screenshotDir, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    if (profile) await rm(profile, { recursive: true, force: true });
  });

  async function ask(page: Page, text: string) {
    const log = page.getByRole('log');
    const before = await log.locator('.msg.bot').count();
    const input = page.getByPlaceholder(/请输入您的问题/);
    await input.fill(text);
    await input.press('Enter');
    const reply = log.locator('.msg.bot').nth(before);
    await reply.waitFor();
    return reply;
  }

  async function logIn(token: string) {
    const response = await browser.request.post(`${base}/api/console/login`, { data: { token } });
    expect(response.status()).toBe(200);
  }

  it('abstains, is rated, the cluster is drafted and published, and the question is then answered', async () => {
    const question = '无人机可以在公园飞吗';
    const chatPage = await browser.newPage();
    await chatPage.goto(base);
    const abstained = await ask(chatPage, question);
    expect(await abstained.getAttribute('data-kind')).toBe('fallback');
    await ask(chatPage, '公园里能放无人机吗');

    // 没帮助 under an answer, by keyboard.
    const answer = await ask(chatPage, '社保卡丢了怎么办');
    expect(await answer.getAttribute('data-kind')).toBe('answer');
    const unhelpful = answer.getByRole('button', { name: '这个回答没帮助' });
    await unhelpful.focus();
    await chatPage.keyboard.press('Enter');
    await answer.getByRole('status').filter({ hasText: '感谢反馈' }).waitFor();
    expect(await unhelpful.getAttribute('aria-pressed')).toBe('true');

    // A knowledge manager finds the cluster in the inbox and drafts an entry from it.
    await logIn(tokens.knowledge);
    const consolePage = await browser.newPage();
    await consolePage.goto(`${base}/console/inbox`);
    const cluster = consolePage.locator('li.cluster').filter({ hasText: question });
    await cluster.waitFor();
    expect(await cluster.textContent()).toContain('2 次');
    await consolePage.locator('li.cluster').filter({ hasText: '社保卡丢了怎么办' }).waitFor();
    await consolePage.screenshot({ path: join(screenshotDir, 'console-inbox.png'), fullPage: true });

    await cluster.getByRole('button', { name: '处理' }).click();
    const form = consolePage.getByRole('form', { name: '起草新条目' });
    await form.waitFor();
    expect(await form.getByLabel('标准问题').inputValue()).toBe(question);
    await form.getByLabel('标准问题').fill('公园里可以放飞无人机吗？');
    await form.getByLabel('答案').fill('城市公园内禁止放飞无人机。如需试飞，请到市体育中心无人机试飞区。');
    await form.getByLabel('承办部门（可选）').fill('临江市公安局');
    await form.getByRole('button', { name: '生成草稿' }).click();
    await consolePage.getByRole('status').filter({ hasText: '已创建草稿条目' }).waitFor();
    const entryId = /条目 (\S+)（/.exec((await consolePage.getByRole('status').textContent())!)![1]!;

    // Still a draft: the citizen is not answered from it.
    expect(await (await ask(chatPage, question)).getAttribute('data-kind')).toBe('fallback');

    // The manager submits it for review from the resolved tab; a reviewer publishes it there.
    await consolePage.getByRole('button', { name: '已处理' }).click();
    await consolePage.locator(`[data-submit="${entryId}"]`).click();
    await consolePage.getByRole('status').filter({ hasText: '已提交审核' }).waitFor();
    await logIn(tokens.reviewer);
    await consolePage.reload();
    await consolePage.getByRole('button', { name: '已处理' }).click();
    await consolePage.locator(`[data-publish="${entryId}"]`).click();
    await consolePage.getByRole('status').filter({ hasText: '已发布' }).waitFor();

    const answered = await ask(chatPage, question);
    expect(await answered.getAttribute('data-kind')).toBe('answer');
    expect(await answered.textContent()).toContain('城市公园内禁止放飞无人机');
    // The source names the new entry by its question (ids are for staff, not citizens).
    expect(await answered.locator('.source').textContent()).toContain('公园里可以放飞无人机吗？');
    expect(await answered.locator('.source').textContent()).not.toContain(entryId);

    // The health report draws its charts and lists the cluster that is still open and an expiring entry.
    await t.app.minsheng.db.knowledgeEntry.update({
      where: { id: 'kb-003' },
      data: { validTo: new Date(Date.now() + 12 * 86_400_000) },
    });
    await consolePage.goto(`${base}/console/health`);
    await consolePage.locator('svg[aria-labelledby="abstain-title abstain-desc"] rect.bar').last().waitFor();
    const thisWeek = consolePage.locator('[data-stat="abstain-rate"] b');
    expect(await thisWeek.textContent()).toMatch(/%$/);
    await consolePage.locator('svg[aria-labelledby="cluster-title"]').waitFor();
    const download = consolePage.waitForEvent('download');
    await consolePage.getByRole('button', { name: '导出 CSV' }).click();
    expect((await download).suggestedFilename()).toMatch(/^minsheng-health-\d{4}-\d{2}-\d{2}\.csv$/);
    expect(await consolePage.locator('[data-stat="expiring"] b').textContent()).toBe('1');
    await consolePage.setViewportSize({ width: 1200, height: 1400 });
    await consolePage.screenshot({ path: join(screenshotDir, 'console-health.png') });

    // Try it: the new entry explains itself.
    await consolePage.goto(`${base}/console/try`);
    await consolePage.getByLabel('市民的问题').fill('公园能飞无人机吗');
    await consolePage.getByRole('button', { name: '提问' }).click();
    const live = consolePage.locator('[data-result="live"]');
    await live.waitFor();
    expect(await live.locator(`tr[data-entry="${entryId}"]`).count()).toBe(1);
    await consolePage.screenshot({ path: join(screenshotDir, 'console-try.png'), fullPage: true });
  }, 120_000);

  it('edits synonyms in the console and the web chat understands the new word at once', async () => {
    const [before] = await chat(t.app, 'synonym-before-01', '市民一卡通丢了怎么补办');
    expect(before!.kind).not.toBe('answer');
    await logIn(tokens.knowledge);
    const consolePage = await browser.newPage();
    await consolePage.goto(`${base}/console/synonyms`);
    const editor = consolePage.locator('[data-editor="synonyms"]');
    await editor.locator('tbody tr').first().waitFor();
    await editor.getByLabel('标准词').fill('社保卡');
    await editor.getByLabel(/同义说法/).fill('市民一卡通');
    await editor.getByRole('button', { name: '保存' }).click();
    // 社保卡 has its group already: the conflict is explained, nothing is saved.
    await consolePage.getByRole('status').filter({ hasText: '社保卡' }).waitFor();
    expect(await consolePage.getByRole('status').getAttribute('class')).toContain('error');

    await editor.getByLabel('筛选').fill('社保卡');
    await editor.getByRole('button', { name: '编辑 社保卡' }).click();
    const variants = editor.getByLabel(/同义说法/);
    await variants.fill(`${await variants.inputValue()} 市民一卡通`);
    await editor.getByRole('button', { name: '保存' }).click();
    await consolePage.getByRole('status').filter({ hasText: '已保存' }).waitFor();
    expect(await editor.locator('tbody tr').filter({ hasText: '市民一卡通' }).count()).toBe(1);
    await consolePage.screenshot({ path: join(screenshotDir, 'console-synonyms.png') });

    const chatPage = await browser.newPage();
    await chatPage.goto(base);
    const reply = await ask(chatPage, '市民一卡通丢了怎么补办');
    expect(await reply.getAttribute('data-kind')).toBe('answer');
    expect(await reply.locator('.source').textContent()).toContain('社保卡');
  });

  it('shows hostile text from citizens as text in the inbox', async () => {
    const chatPage = await browser.newPage();
    await chatPage.goto(base);
    await ask(chatPage, '<img src=x onerror="window.__pwned=1">火星移民签证怎么办');
    await logIn(tokens.knowledge);
    const consolePage = await browser.newPage();
    await consolePage.goto(`${base}/console/inbox`);
    const cluster = consolePage.locator('li.cluster').filter({ hasText: '<img src=x' });
    await cluster.waitFor();
    expect(await consolePage.evaluate('window.__pwned')).toBeUndefined();
    expect(await consolePage.locator('li.cluster img').count()).toBe(0);
  });
});
