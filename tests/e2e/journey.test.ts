/**
 * One journey through the web pages in a real browser (Debian's Chromium driven by playwright-core):
 * a liaison on a phone registers; the committee accepts and hands off; the department supervises;
 * the committee resolves; the liaison records "satisfied"; the convener exports. Screenshots of
 * each page go to tests/artifacts/.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestEngine, type TestEngine } from '../support/harness.js';
import { aDistrict, type District } from '../support/builders.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS = 'tests/artifacts';
let engine: TestEngine;
let d: District;
let base: string;
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`no browser at ${CHROMIUM}: apt-get install chromium (npm test's set-up does it as root), or set CHROMIUM_PATH`);
  mkdirSync(ARTIFACTS, { recursive: true });
  engine = await startTestEngine({ runWorkers: true }); // export jobs need a worker
  d = await aDistrict(engine.app);
  base = await engine.app.listen({ port: 0, host: '127.0.0.1' });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});
afterAll(async () => {
  await browser?.close();
  await engine?.close();
});

async function signIn(token: string, viewport = { width: 1440, height: 900 }): Promise<Page> {
  const context = await browser.newContext({ viewport, acceptDownloads: true });
  const page = await context.newPage();
  page.on('pageerror', (e) => { throw e; });
  await page.goto(base);
  await page.getByLabel('登录令牌').fill(token);
  await page.getByRole('button', { name: '登录' }).click();
  await page.locator('#who').getByText('退出').waitFor();
  return page;
}

async function act(page: Page, caseId: string, action: string, fill: Record<string, string> = {}) {
  await page.goto(`${base}/#/case/${caseId}`);
  await page.reload(); // the page may already show this case, as it was before others acted
  await page.getByRole('button', { name: action, exact: true }).first().click();
  const form = page.locator('form.card');
  for (const [name, value] of Object.entries(fill)) {
    const control = form.locator(`[name="${name}"]`);
    if ((await control.evaluate((el) => el.tagName)) === 'SELECT') await control.selectOption(value);
    else await control.fill(value);
  }
  await form.getByRole('button', { name: action, exact: true }).click();
  await page.locator('#toast').getByText('已完成').waitFor();
}

it('liaison → committee → department → committee → liaison → convener', async () => {
  // A liaison on a 375 px phone: the draft survives a reload, then the grievance is registered and forwarded.
  const liaison = await signIn(d.liaison.token, { width: 375, height: 812 });
  await liaison.getByLabel('诉求类别').selectOption('DED');
  await liaison.getByLabel('涉及平台').selectOption('美团');
  await liaison.getByLabel('劳动者类型').selectOption('delivery');
  await liaison.getByLabel('诉求内容').fill('暴雨天配送超时被扣款 30 元，申诉未通过');
  await liaison.getByLabel(/劳动者姓名/).fill('张三');
  await liaison.getByLabel(/联系电话/).fill('13812341234');
  await liaison.reload();
  await expect.poll(() => liaison.getByLabel('诉求内容').inputValue()).toBe('暴雨天配送超时被扣款 30 元，申诉未通过');
  expect(await liaison.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
  await liaison.screenshot({ path: `${ARTIFACTS}/1-liaison-register.png`, fullPage: true });
  // The connection drops after the server registered the case: the answer never arrives.
  let registrations = 0;
  await liaison.route('**/api/v1/cases', async (r) => {
    registrations++;
    await r.fetch();
    await r.abort('internetdisconnected');
  });
  await liaison.getByRole('button', { name: '提交' }).click();
  await liaison.getByText(/网络中断/).waitFor();
  await liaison.unroute('**/api/v1/cases');
  await liaison.getByRole('button', { name: '提交' }).click(); // the retry carries the draft's key
  await liaison.waitForURL(/#\/case\//);
  expect(registrations).toBe(1);
  expect((await d.convener.get('/api/v1/cases?limit=100')).body.items).toHaveLength(1);
  const caseId = liaison.url().split('/').pop()!;
  await expect.poll(async () => (await d.liaison.get(`/api/v1/cases/${caseId}`)).body.state).toBe('registered');
  await act(liaison, caseId, '转交平台');
  await liaison.screenshot({ path: `${ARTIFACTS}/2-liaison-forwarded.png`, fullPage: true });

  // The committee sees it in its triage queue, accepts it and hands it off.
  const committee = await signIn(d.meituan.token);
  await committee.getByRole('heading', { name: /待办队列/ }).waitFor();
  await committee.screenshot({ path: `${ARTIFACTS}/3-committee-queue.png`, fullPage: true });
  await act(committee, caseId, '受理');
  await act(committee, caseId, '移交主管部门', { reason: '涉及扣款规则，需主管部门处理' });

  // The department's oversight board shows it; the officer accepts and supervises.
  const department = await signIn(d.market.token);
  await department.getByRole('link', { name: /SQ-/ }).first().waitFor();
  await department.screenshot({ path: `${ARTIFACTS}/4-department-board.png`, fullPage: true });
  await act(department, caseId, '受理');
  await act(department, caseId, '督办', { instructions: '三个工作日内退还扣款并答复', amount: '3', unit: 'working_days' });

  // The committee resolves; the liaison records the worker's satisfaction.
  await act(committee, caseId, '办结', { resolution: '已退还扣款 30 元' });
  await act(liaison, caseId, '记录评价', { rating: 'satisfied' });
  await liaison.getByText('已结案').first().waitFor();
  await liaison.screenshot({ path: `${ARTIFACTS}/5-liaison-closed.png`, fullPage: true });
  expect((await d.convener.get(`/api/v1/cases/${caseId}`)).body).toMatchObject({ state: 'closed', outcome: 'satisfied' });

  // The convener creates a meeting and exports it, watching the progress bar.
  const convener = await signIn(d.convener.token);
  await convener.getByRole('button', { name: '召开协调会' }).click();
  await convener.waitForURL(/#\/meeting\//);
  const download = convener.waitForEvent('download');
  await convener.getByRole('button', { name: '导出 xlsx' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/\.xlsx$/);
  await convener.screenshot({ path: `${ARTIFACTS}/6-convener-meeting.png`, fullPage: true });

  // Errors from the API appear next to the field at fault.
  await liaison.goto(`${base}/#/`);
  await liaison.getByLabel('诉求内容').fill('x');
  await liaison.getByLabel(/联系电话/).fill('call me');
  await liaison.getByRole('button', { name: '提交' }).click();
  await expect.poll(() => liaison.locator('.field.invalid [name="phone"]').count()).toBe(1);
  await liaison.screenshot({ path: `${ARTIFACTS}/7-liaison-field-error.png`, fullPage: true });
}, 120_000);
