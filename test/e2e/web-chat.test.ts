import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';

const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const screenshotDir = join(process.cwd(), 'test-results');

describe('web chat page in Chromium', () => {
  let t: TestApp;
  let profile: string;
  let browser: BrowserContext;
  let base: string;

  beforeAll(async () => {
    if (!existsSync(executablePath)) {
      throw new Error(`Chromium not found at ${executablePath}: apt-get install -y chromium fonts-noto-cjk`);
    }
    t = await startTestApp();
    base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    profile = await mkdtemp(join(tmpdir(), 'minsheng-chromium-'));
    browser = await chromium.launchPersistentContext(profile, {
      executablePath,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
      viewport: { width: 420, height: 860 },
    });
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    if (profile) await rm(profile, { recursive: true, force: true });
  });

  it('answers a demo question with its source, clarifies by click, and files a work order', async () => {
    const page = await browser.newPage();
    await page.goto(base);
    const log = page.getByRole('log');
    const input = page.getByPlaceholder(/请输入您的问题/);

    await input.fill('社保卡丢了怎么办');
    await input.press('Enter');
    const answer = log.locator('.msg.bot.answer').last();
    await answer.waitFor();
    expect(await answer.textContent()).toContain('挂失');
    expect(await answer.locator('.source').textContent()).toContain('社保卡丢失了如何挂失补办？');
    // The entry's id is for staff, not citizens.
    expect(await answer.locator('.source').textContent()).not.toMatch(/kb-\d/);

    await input.fill('小学报名时间');
    await page.getByRole('button', { name: '发送' }).click();
    const clarify = log.locator('.msg.bot.clarify').last();
    await clarify.waitFor();
    // The log is scrolled to the end of the choices, so the last of them (都不是) is in view on a phone.
    expect(await log.evaluate((el) => el.scrollTop + el.clientHeight >= el.scrollHeight - 1)).toBe(true);
    const option = clarify.getByRole('button').nth(1);
    const optionText = await option.textContent();
    await option.click();
    await log.locator('.msg.bot.answer').nth(1).waitFor();
    expect(await log.locator('.msg.bot.answer').nth(1).locator('.source').textContent()).toContain(optionText!);

    for (const text of ['我要投诉楼下烧烤店半夜噪音扰民', '江北区望江路18号', '13812345678']) {
      const before = await log.locator('.msg.bot').count();
      await input.fill(text);
      await input.press('Enter');
      await log.locator('.msg.bot').nth(before).waitFor();
    }
    await log.locator('.msg.bot').last().getByRole('button', { name: '确认' }).click();
    const ticket = log.locator('.msg.bot.ticket');
    await ticket.waitFor();
    expect(await ticket.textContent()).toMatch(/工单号：LJ\d{14}/);

    // The widget talks over its WebSocket; a work-order update pushed later appears in the open page.
    expect(await page.locator('.ms-chat').getAttribute('data-transport')).toBe('websocket');
    const code = (await ticket.textContent())!.match(/LJ\d{14}/)![0];
    const sessionId = (await page.evaluate("localStorage.getItem('minsheng.sessionId')")) as string | null;
    const delivered = t.app.channels.webChat.pushToSession(sessionId!, {
      kind: 'status',
      text: `您的工单 ${code} 已派单至承办部门，正在办理。`,
      sources: [],
    });
    expect(delivered).toBe(true);
    const update = log.locator('.msg.bot.status').filter({ hasText: code });
    await update.waitFor();

    // The connection drops; an update sent meanwhile arrives after the widget reconnects and re-syncs.
    for (const client of t.app.websocketServer.clients) client.terminate();
    t.app.channels.webChat.pushToSession(sessionId!, {
      kind: 'status',
      text: `您的工单 ${code} 已办结，请对办理结果进行评价。`,
      sources: [],
    });
    await log.locator('.msg.bot.status').filter({ hasText: '已办结' }).waitFor();
    expect(await log.locator('.msg.bot.status').count()).toBe(2);
    await page.locator('.ms-chat[data-transport="websocket"]').waitFor();

    // Accessibility: the log is announced politely and the quick replies are reachable by keyboard.
    expect(await log.getAttribute('aria-live')).toBe('polite');
    await input.focus();
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Shift+Tab');
    const focused = await page.evaluate('document.activeElement && document.activeElement.tagName');
    expect(focused).toBe('BUTTON');

    await mkdir(screenshotDir, { recursive: true });
    await page.screenshot({ path: join(screenshotDir, 'web-chat.png'), fullPage: true });
  });

  it("shows both sides of the conversation on the session's other pages and after a reload", async () => {
    // One citizen, two tabs: a session of its own, so the first test's conversation is not in it.
    const openTab = async () => {
      const tab = await browser.newPage();
      await tab.addInitScript({ content: "localStorage.setItem('minsheng.sessionId', 'e2e-two-tabs-0001')" });
      await tab.goto(base);
      await tab.locator('.ms-chat[data-transport="websocket"]').waitFor();
      return tab;
    };
    const said = (tab: Page) => tab.getByRole('log').locator('.msg.me').allTextContents();
    const first = await openTab();
    const second = await openTab();

    const input = first.getByPlaceholder(/请输入您的问题/);
    await input.fill('我要投诉楼下烧烤店半夜噪音扰民');
    await input.press('Enter');
    // The other tab shows the complaint, then the bot's question about where.
    const asked = second.getByRole('log').locator('.msg.bot').nth(1);
    await asked.waitFor();
    expect(await said(second)).toEqual(['我：我要投诉楼下烧烤店半夜噪音扰民']);
    expect(await asked.textContent()).toMatch(/地点|地址|位置/);

    // The citizen answers in the other tab; the first shows that answer and what follows, once.
    const answer = second.getByPlaceholder(/请输入您的问题/);
    await answer.fill('江北区望江路18号');
    await answer.press('Enter');
    await first.getByRole('log').locator('.msg.bot').nth(2).waitFor();
    expect(await said(first)).toEqual(['我：我要投诉楼下烧烤店半夜噪音扰民', '我：江北区望江路18号']);
    expect(await said(second)).toEqual(['我：我要投诉楼下烧烤店半夜噪音扰民', '我：江北区望江路18号']);

    // A reload keeps the conversation, so the citizen still sees that a phone number is asked for.
    await first.reload();
    await first.getByRole('log').locator('.msg.bot').nth(2).waitFor();
    expect(await said(first)).toEqual(['我：我要投诉楼下烧烤店半夜噪音扰民', '我：江北区望江路18号']);
    expect(await first.getByRole('log').locator('.msg.bot').count()).toBe(3);
    expect(await first.getByRole('log').locator('.msg.bot').last().textContent()).toMatch(/电话|联系方式|手机/);
    await first.close();
    await second.close();

    // A browser without WebSocket (or a network that blocks it) is sent the conversation over HTTP at once.
    const plain = await browser.newPage();
    await plain.addInitScript({
      content: "localStorage.setItem('minsheng.sessionId', 'e2e-two-tabs-0001'); delete window.WebSocket;",
    });
    await plain.goto(base);
    await plain.getByRole('log').locator('.msg.bot').nth(2).waitFor({ timeout: 5000 });
    expect(await said(plain)).toEqual(['我：我要投诉楼下烧烤店半夜噪音扰民', '我：江北区望江路18号']);
    expect(await plain.locator('.ms-chat').getAttribute('data-transport')).not.toBe('websocket');

    await plain.close();

    // Over HTTP, two quick questions are answered in the order asked, even when the first is slow.
    const quick = await browser.newPage();
    await quick.addInitScript({
      content: "localStorage.setItem('minsheng.sessionId', 'e2e-http-order-0001'); delete window.WebSocket;",
    });
    await quick.goto(base);
    await quick.getByRole('log').locator('.msg.bot').first().waitFor();
    let delayed = false;
    await quick.route('**/api/chat', async (route) => {
      if (!delayed) {
        delayed = true;
        await new Promise((resolve) => setTimeout(resolve, 1500));
      }
      await route.continue();
    });
    const before = await quick.getByRole('log').locator('.msg.bot').count();
    // Two suggestion buttons of the greeting, clicked while the first answer is on its way.
    const suggestions = quick.getByRole('log').locator('.msg.bot').first().getByRole('button');
    await suggestions.nth(0).click();
    await suggestions.nth(1).click();
    await quick
      .getByRole('log')
      .locator('.msg.bot')
      .nth(before + 1)
      .waitFor({ timeout: 10_000 });
    const answers = await quick.getByRole('log').locator('.msg.bot').allTextContents();
    expect(answers[before]).toContain('社保卡');
    expect(answers[before + 1]).toContain('公积金');
    await quick.close();
  });
});
