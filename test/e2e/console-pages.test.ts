import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chat, startTestApp, type TestApp } from '../support/app.js';

const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const tokens = { knowledge: 'pages-knowledge-token-0123456789', reviewer: 'pages-reviewer-token-0123456789' };

// Entry list, inbox, health and synonyms pages: errors, history, feedback placement, layout. The
// browser runs in UTC while the hotline is in Asia/Shanghai, so a date shown in the browser's zone shows.
describe('console pages in Chromium', () => {
  let t: TestApp;
  let profile: string;
  let browser: BrowserContext;
  let base: string;
  const pageErrors: Error[] = [];

  beforeAll(async () => {
    if (!existsSync(executablePath)) {
      throw new Error(`Chromium not found at ${executablePath}: apt-get install -y chromium fonts-noto-cjk`);
    }
    t = await startTestApp({
      STAFF_API_TOKENS: `zhou:${tokens.knowledge}:knowledge,qian:${tokens.reviewer}:reviewer`,
      TIMEZONE: 'Asia/Shanghai',
    });
    base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    profile = await mkdtemp(join(tmpdir(), 'minsheng-chromium-'));
    browser = await chromium.launchPersistentContext(profile, {
      executablePath,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-sync'],
      viewport: { width: 1200, height: 900 },
      timezoneId: 'UTC',
      acceptDownloads: true,
    });
    browser.setDefaultTimeout(10_000);
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    if (profile) await rm(profile, { recursive: true, force: true });
  });

  async function open(path: string, role: keyof typeof tokens = 'knowledge'): Promise<Page> {
    const response = await browser.request.post(`${base}/api/console/login`, { data: { token: tokens[role] } });
    expect(response.status()).toBe(200);
    const page = await browser.newPage();
    page.on('pageerror', (error) => pageErrors.push(error));
    await page.goto(`${base}${path}`);
    return page;
  }
  const pagerText = (page: Page) => page.locator('nav.pager span').textContent();
  const category = '社会保障';
  /** How many entries the list has (in total, or in the category): the demo base may grow. */
  const total = async (query = '') => {
    const response = await t.app.inject({
      method: 'GET',
      url: `/api/console/entries?limit=1${query}`,
      headers: { authorization: `Bearer ${tokens.knowledge}` },
    });
    return (response.json() as { total: number }).total;
  };

  it('keeps the page and the filters in the address: Back and reload return to them', async () => {
    const all = await total();
    const inCategory = await total(`&category=${encodeURIComponent(category)}`);
    const pages = Math.ceil(all / 50);
    expect(pages).toBeGreaterThan(1);
    expect(inCategory).toBeLessThanOrEqual(50);
    const page = await open('/console');
    await page.getByText(`共 ${all} 条`).waitFor();
    expect(await pagerText(page)).toBe(`第 1 / ${pages} 页`);
    await page.getByRole('button', { name: '下一页' }).click();
    await page.locator('nav.pager span', { hasText: `第 2 / ${pages} 页` }).waitFor();
    expect(new URL(page.url()).searchParams.get('offset')).toBe('50');

    // Open an entry and come back: still page 2.
    await page.locator('table.entries tbody a').first().click();
    await page.waitForURL(/\/console\/entries\//);
    await page.goBack();
    await page.locator('nav.pager span', { hasText: `第 2 / ${pages} 页` }).waitFor();
    await page.reload();
    await page.locator('nav.pager span', { hasText: `第 2 / ${pages} 页` }).waitFor();

    // A filter is a step of its own: Back undoes it, Forward redoes it.
    await page.getByRole('combobox', { name: '全部分类' }).selectOption(category);
    await page.getByText(`共 ${inCategory} 条`).waitFor();
    expect(await pagerText(page)).toBe('第 1 / 1 页');
    expect(new URL(page.url()).searchParams.get('category')).toBe(category);
    await page.goBack();
    await page.getByText(`共 ${all} 条`).waitFor();
    expect(await page.getByRole('combobox', { name: '全部分类' }).inputValue()).toBe('');
    expect(await pagerText(page)).toBe(`第 2 / ${pages} 页`);
    await page.goForward();
    await page.getByText(`共 ${inCategory} 条`).waitFor();
    expect(await page.getByRole('combobox', { name: '全部分类' }).inputValue()).toBe(category);
  });

  it('says so when the list cannot load, and keeps the filter matching the table', async () => {
    const all = await total();
    const inCategory = await total(`&category=${encodeURIComponent(category)}`);
    const page = await open('/console');
    await page.getByText(`共 ${all} 条`).waitFor();
    await page.route('**/api/console/entries?**', (route) => route.abort('internetdisconnected'));
    await page.getByRole('combobox', { name: '全部分类' }).selectOption(category);
    await page.getByRole('alert').filter({ hasText: '网络错误，请稍后重试' }).waitFor();
    expect(await page.getByRole('combobox', { name: '全部分类' }).inputValue()).toBe('');
    expect(await page.getByText(`共 ${all} 条`).count()).toBe(1);
    expect(new URL(page.url()).searchParams.get('category')).toBeNull();

    // Back online: the same change works and the message goes away.
    await page.unroute('**/api/console/entries?**');
    await page.getByRole('combobox', { name: '全部分类' }).selectOption(category);
    await page.getByText(`共 ${inCategory} 条`).waitFor();
    expect(await page.locator('main [role="alert"]').textContent()).toBe('');
    expect(pageErrors).toEqual([]);
  });

  it("names the export after the hotline's day", async () => {
    const page = await open('/console');
    await page.locator('table.entries tbody tr').first().waitFor();
    // 20:00 UTC on 1 March is 2 March in Beijing.
    await page.clock.setFixedTime(new Date('2025-03-01T20:00:00Z'));
    const download = page.waitForEvent('download');
    await page.locator('a.export[data-format="csv"]').click();
    expect((await download).suggestedFilename()).toBe('minsheng-kb-2025-03-02.csv');
  });

  for (const viewport of [
    { width: 768, height: 1024 },
    { width: 360, height: 800 },
  ]) {
    it(`shows the whole navigation above the content at ${viewport.width} px`, async () => {
      const page = await open('/console/inbox');
      await page.setViewportSize(viewport);
      await page.locator('h1').waitFor();
      const header = (await page.locator('header#shell').boundingBox())!;
      const heading = (await page.locator('h1').boundingBox())!;
      expect(header.y).toBeGreaterThanOrEqual(0);
      expect(header.y + header.height).toBeLessThanOrEqual(heading.y);
      const links = page.locator('header#shell nav a');
      expect(await links.count()).toBe(6);
      for (const link of await links.all()) {
        const box = (await link.boundingBox())!;
        expect(box.y).toBeGreaterThanOrEqual(header.y);
        expect(box.y + box.height).toBeLessThanOrEqual(header.y + header.height);
        expect(box.x + box.width).toBeLessThanOrEqual(viewport.width);
      }
    });
  }

  it('reports a glossary save next to the glossary form, in Chinese', async () => {
    const page = await open('/console/synonyms');
    const glossary = page.locator('[data-editor="glossary"]');
    await glossary.locator('tbody tr').first().waitFor();
    await glossary.getByLabel('中文词').fill('电瓶车');
    await glossary.getByLabel(/英文说法/).fill('e-bike, electric scooter');
    await glossary.getByRole('button', { name: '保存' }).click();
    const status = glossary.getByRole('status');
    await status.filter({ hasText: '已保存“电瓶车”' }).waitFor();
    const box = (await status.boundingBox())!;
    expect(box.y).toBeGreaterThanOrEqual(0);
    expect(box.y + box.height).toBeLessThanOrEqual(900);

    // The same phrase for another term: explained in Chinese, next to the form.
    await glossary.getByLabel('中文词').fill('摩托车');
    await glossary.getByLabel(/英文说法/).fill('e-bike');
    await glossary.getByRole('button', { name: '保存' }).click();
    await status.filter({ hasText: '英文说法“e-bike”已对应中文词“电瓶车”' }).waitFor();

    await glossary.getByLabel(/英文说法/).fill('摩托 motorbike');
    await glossary.getByRole('button', { name: '保存' }).click();
    await status.filter({ hasText: '「英文说法」只能包含英文字母' }).waitFor();
    expect(await status.textContent()).not.toContain('body.');
  });

  it('explains synonym refusals in Chinese: a taken word, a long word, a missing group, a body too large', async () => {
    const page = await open('/console/synonyms');
    const groups = page.locator('[data-editor="synonyms"]');
    await groups.locator('tbody tr').first().waitFor();
    const status = groups.getByRole('status');
    const save = async (canonical: string, variants: string) => {
      await groups.getByLabel('标准词').fill(canonical);
      await groups.getByLabel(/同义说法/).fill(variants);
      await groups.getByRole('button', { name: '保存' }).click();
    };

    await save('电梯', '升降机');
    await status.filter({ hasText: '已保存“电梯”' }).waitFor();
    await save('直梯', '升降机');
    await status.filter({ hasText: '“升降机”已在标准词“电梯”的同义词组中' }).waitFor();

    await save('电梯', '扶'.repeat(21));
    await status.filter({ hasText: '「同义说法」每个词不能超过 20 个字' }).waitFor();
    expect(await status.textContent()).not.toMatch(/body\.|Too big/);

    await save('电梯', '梯'.repeat(70_000));
    await status.filter({ hasText: '内容太长' }).waitFor();

    // Someone else deletes the group while it is open for editing here.
    await groups.getByLabel('筛选').fill('升降机');
    await groups.getByRole('button', { name: '编辑 电梯' }).click();
    const id = await groups.locator('tbody tr').filter({ hasText: '升降机' }).getAttribute('data-id');
    const removed = await browser.request.delete(`${base}/api/console/synonyms/${id}`);
    expect(removed.status()).toBe(204);
    await groups.getByRole('button', { name: '保存' }).click();
    await status.filter({ hasText: '该同义词组已不存在' }).waitFor();
    expect(await status.getAttribute('class')).toContain('error');
  });

  it('inbox: the tab survives a reload, resolved cards show no "null", cards are padded, reviewers get no draft form', async () => {
    // Two questions the bot cannot answer; one is drafted into an entry (resolved), one stays open.
    await chat(t.app, 'pages-inbox-1', '火星上的社保怎么交');
    await chat(t.app, 'pages-inbox-2', '量子计算机的冷却液去哪买');
    const open1 = await t.app.inject({
      method: 'GET',
      url: '/api/console/inbox?status=open',
      headers: { authorization: `Bearer ${tokens.knowledge}` },
    });
    const clusters = (open1.json() as { items: { id: number; label: string }[] }).items;
    const mars = clusters.find((c) => c.label.includes('火星'))!;
    const drafted = await t.app.inject({
      method: 'POST',
      url: `/api/console/inbox/${mars.id}/draft`,
      headers: { authorization: `Bearer ${tokens.knowledge}` },
      payload: { question: '火星上的社保怎么交', answer: '目前没有火星社保。' },
    });
    expect(drafted.statusCode).toBe(201);

    const page = await open('/console/inbox');
    await page.getByRole('button', { name: '已处理' }).click();
    const resolved = page.locator(`li.cluster[data-cluster="${mars.id}"]`);
    await resolved.waitFor();
    expect(new URL(page.url()).searchParams.get('status')).toBe('resolved');
    expect(await resolved.textContent()).not.toContain('null');
    const padding = await resolved.evaluate(
      (node) => node.ownerDocument.defaultView!.getComputedStyle(node).paddingLeft,
    );
    expect(parseFloat(padding)).toBeGreaterThanOrEqual(8);

    await page.reload();
    await resolved.waitFor();
    expect(await page.getByRole('button', { name: '已处理' }).getAttribute('aria-pressed')).toBe('true');
    await page.goBack();
    await page.locator('li.cluster').filter({ hasText: '量子计算机' }).waitFor();
    expect(await page.getByRole('button', { name: '待处理' }).getAttribute('aria-pressed')).toBe('true');

    // A reviewer opening a cluster is told who drafts, instead of a form that ends in 403.
    const reviewer = await open('/console/inbox', 'reviewer');
    const moon = reviewer.locator('li.cluster').filter({ hasText: '量子计算机' });
    await moon.getByRole('button', { name: '处理' }).click();
    await reviewer.locator('[data-draft-hint]').waitFor();
    expect(await reviewer.getByRole('form', { name: '起草新条目' }).count()).toBe(0);
  });

  it("shows the health report's time in the hotline's time zone", async () => {
    const page = await browser.newPage();
    await page.route('**/api/console/health', async (route) => {
      const response = await route.fetch();
      const body = (await response.json()) as Record<string, unknown>;
      await route.fulfill({ response, json: { ...body, generatedAt: '2025-03-01T20:00:00.000Z' } });
    });
    await page.goto(`${base}/console/health`);
    await page.getByText('生成时间：2025/3/2 04:00:00').waitFor();
  });
});
