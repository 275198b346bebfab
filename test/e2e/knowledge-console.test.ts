import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';

const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const screenshotDir = join(process.cwd(), 'test-results');
const tokens = { editor: 'editor-token-e2e-0123456789', reviewer: 'reviewer-token-e2e-0123456789' };

async function workbook(): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('新增知识');
  sheet.addRow([
    '标准问题',
    '相似问题',
    '答案',
    '分类',
    '部门',
    '区域',
    '标签',
    '生效日期',
    '失效日期',
    '政策文件',
    '文号',
  ]);
  sheet.addRow([
    '新能源汽车充电桩怎么申请安装',
    '小区里想装充电桩找谁\n私人充电桩报装流程',
    '请先取得物业同意证明，再向供电公司申请报装。',
    '城市建设',
    '市供电公司',
    '临江市',
    '充电桩、新能源汽车',
    new Date(Date.UTC(2025, 0, 1)),
    new Date(Date.UTC(2099, 11, 31)),
    '临江市电动汽车充电基础设施管理办法',
    '临政办发〔2025〕3号',
  ]);
  sheet.addRow([
    '<img src=x onerror="window.hacked=1">居住证怎么办',
    '',
    '<script>window.hacked=1</script>请到派出所办理。',
  ]);
  sheet.addRow(['没有答案的问题', '', '']);
  return Buffer.from(await book.xlsx.writeBuffer());
}

describe('knowledge console in Chromium', () => {
  let t: TestApp;
  let profile: string;
  let browser: BrowserContext;
  let base: string;

  beforeAll(async () => {
    if (!existsSync(executablePath)) {
      throw new Error(`Chromium not found at ${executablePath}: apt-get install -y chromium fonts-noto-cjk`);
    }
    t = await startTestApp({
      STAFF_API_TOKENS: `wang.editor:${tokens.editor}:knowledge,li.reviewer:${tokens.reviewer}:reviewer`,
    });
    base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    profile = await mkdtemp(join(tmpdir(), 'minsheng-chromium-'));
    browser = await chromium.launchPersistentContext(profile, {
      executablePath,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-sync'],
      viewport: { width: 1280, height: 900 },
    });
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    if (profile) await rm(profile, { recursive: true, force: true });
  });

  const login = async (page: Page, token: string) => {
    await page.goto(`${base}/console`);
    await page.waitForURL(/\/console\/login\?next=/);
    await page.getByLabel('访问令牌').fill(token);
    await page.getByRole('button', { name: '登录' }).click();
    await page.waitForURL(`${base}/console`);
    await page.locator('table.entries tbody tr').first().waitFor();
  };

  // A long walk through several pages: a generous timeout for a busy machine.
  it(
    'imports an xlsx, edits an entry, sends it to review, publishes it, and the web chat answers with the new text',
    { timeout: 180_000 },
    async () => {
      await mkdir(screenshotDir, { recursive: true });
      const errors: string[] = [];
      const page = await browser.newPage();
      page.on('pageerror', (error) => errors.push(error.message));

      // A knowledge manager signs in and imports a spreadsheet: preview first, nothing written until confirmed.
      await login(page, tokens.editor);
      expect(await page.locator('.shell .user').textContent()).toContain('wang.editor（知识编辑）');
      for (const href of ['/console/inbox', '/console/health', '/console/try', '/console/synonyms']) {
        expect(await page.locator(`.shell nav a[href="${href}"]`).count()).toBe(1);
      }
      await page.getByRole('link', { name: '导入' }).first().click();
      await page.waitForURL(`${base}/console/import`);
      const count = await t.app.minsheng.db.knowledgeEntry.count();
      await page.locator('#import-file').setInputFiles({
        name: '新增知识.xlsx',
        mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        buffer: await workbook(),
      });
      await page.getByRole('button', { name: '上传并预览' }).click();
      const report = page.locator('.report');
      await report.getByText('共 3 行数据：可导入 2 行，有错误 1 行').waitFor();
      expect(await page.locator('#map-question').inputValue()).toBe('0');
      expect(await page.locator('#map-sourceNumber').inputValue()).toBe('10');
      expect(await report.locator('.row-errors').textContent()).toContain('第 4 行「答案」不能为空');
      // Hostile cells are shown as text, never run.
      expect(await report.locator('.sample').textContent()).toContain('<script>window.hacked=1</script>');
      expect(await t.app.minsheng.db.knowledgeEntry.count()).toBe(count);
      await report.getByRole('button', { name: '确认导入 2 行有效数据' }).click();
      await page.locator('.result').getByText('新增 2 条').waitFor();
      expect(await t.app.minsheng.db.knowledgeEntry.count()).toBe(count + 2);

      // The list shows the drafts; the manager finds the entry through the search and edits its answer.
      await page.goto(`${base}/console`);
      await page.locator('table.entries tbody tr').nth(10).waitFor();
      await page.screenshot({ path: join(screenshotDir, 'console-entry-list.png') });
      await page.goto(`${base}/console?status=draft`);
      const rows = page.locator('table.entries tbody tr');
      await rows.first().waitFor();
      expect(await rows.count()).toBe(2);
      expect(await page.locator('table.entries').textContent()).toContain(
        '<img src=x onerror="window.hacked=1">居住证怎么办',
      );
      expect(await page.locator('table.entries img').count()).toBe(0);
      await page.getByRole('searchbox', { name: '搜索条目' }).fill('充电桩');
      await page.getByRole('button', { name: '搜索' }).click();
      await page.getByText('共 1 条').waitFor();
      await page.getByRole('link', { name: '新能源汽车充电桩怎么申请安装' }).click();
      await page.waitForURL(/\/console\/entries\/kb-/);
      const newAnswer =
        '新能源汽车充电桩报装：先取得物业出具的同意安装证明，再通过“临江供电”APP提交申请，供电公司5个工作日内上门勘察。';
      await page.getByLabel('答案').fill(newAnswer);
      await page.getByLabel('相似问题（每行一个）').fill('小区里想装充电桩找谁\n私人充电桩报装流程\n充电桩报装');
      await page.getByRole('button', { name: '提交审核' }).click();
      await page.getByText('已提交审核').waitFor();
      expect(await page.locator('.entry-header .badge').first().textContent()).toBe('审核中');
      const entryUrl = page.url();

      // Not published yet: the chat does not answer with it. Each question comes from a new citizen: a page of the
      // same browser would share the session, and the re-sync of its earlier replies could be read as the answer.
      const ask = async (text: string) => {
        const chat = await browser.newPage();
        await chat.addInitScript({ content: "localStorage.removeItem('minsheng.sessionId')" });
        await chat.goto(base);
        const input = chat.getByPlaceholder(/请输入您的问题/);
        await input.fill(text);
        await input.press('Enter');
        const reply = chat.getByRole('log').locator('.msg.bot').last();
        await reply.waitFor();
        const shown = (await reply.textContent()) ?? '';
        await chat.close();
        return shown;
      };
      expect(await ask('充电桩报装')).not.toContain('5个工作日内上门勘察');

      // The reviewer signs in, reads the version, and publishes it.
      await page.getByRole('button', { name: '退出登录' }).click();
      await page.waitForURL(/\/console\/login/);
      await login(page, tokens.reviewer);
      await page.goto(entryUrl);
      const publish = page.getByRole('button', { name: '审核通过并发布' });
      await publish.waitFor();
      expect(await page.getByLabel('答案').inputValue()).toBe(newAnswer);
      expect(await page.getByLabel('答案').getAttribute('readonly')).not.toBeNull();
      // Validity dates are days in the hotline's time zone, as typed in the spreadsheet.
      expect(await page.getByLabel('生效日期').inputValue()).toBe('2025-01-01');
      expect(await page.getByLabel('失效日期').inputValue()).toBe('2099-12-31');
      expect(await page.locator('.versions tbody tr').count()).toBe(1);
      expect(await page.locator('.events').textContent()).toContain('wang.editor（知识编辑）提交审核 第 1 版');
      await page.screenshot({ path: join(screenshotDir, 'console-entry-editor.png'), fullPage: true });
      await publish.click();
      await page.getByText('已发布，市民提问将立即得到新答案').waitFor();
      expect(await page.locator('.entry-header .badge').first().textContent()).toBe('已发布');

      // The web chat answers with the new text at once, without a restart.
      const answer = await ask('充电桩报装');
      expect(answer).toContain(newAnswer);
      expect(errors).toEqual([]);
      expect(await page.evaluate('window.hacked')).toBeUndefined();
    },
  );
});
