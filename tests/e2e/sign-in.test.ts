/**
 * The breaks of issue 22 that a user meets before any work (each failed before its fix): the QR
 * sign-in link on a phone, a wrong token, the liaison's photo preview, the admin console's live
 * stream, and a case at the wrong platform corrected from the page. Debian's Chromium driven by
 * playwright-core, as in the journey.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { TestEngine } from '../support/harness.js';
import { aCase, aGrievance, type District } from '../support/builders.js';
import { photoWithGps } from '../support/uploads.js';
import { DESKTOP, PHONE, capture, captureBoth, newPage, signIn, startBrowserSuite, stopBrowserSuite } from './support/browser.js';

let engine: TestEngine;
let d: District;
let base: string;
let browser: Browser;

beforeAll(async () => {
  ({ engine, d, base, browser } = await startBrowserSuite());
});
afterAll(() => stopBrowserSuite({ engine, browser }));

it('a sign-in link opened on a phone signs in and shows the home page, without a reload', async () => {
  const me = (await d.liaison.get('/api/v1/me')).body;
  const link = await d.admin.post(`/api/v1/users/${me.userId}/sign-in-link`, {});
  expect(link.status).toBe(201);
  const { page } = await newPage(browser, base, PHONE);
  await page.goto(`/${new URL(link.body.url).hash}`);
  await page.getByRole('button', { name: '退出' }).waitFor({ timeout: 5_000 });
  await expect.poll(() => page.getByText('加载中…').count(), { timeout: 5_000 }).toBe(0);
  expect(new URL(page.url()).hash).toBe('#/');
  await capture(page, 'sign-in-link-375');
  await page.context().close();
}, 60_000);

it('a wrong token says so, on the first try and the next, and keeps what was typed', async () => {
  const { page } = await newPage(browser, base, PHONE);
  await page.goto('/');
  for (const attempt of [1, 2]) {
    await page.getByLabel('登录令牌').fill(`ge_wrong_token_${attempt}`);
    await page.getByRole('button', { name: '登录' }).click();
    await expect.poll(() => page.getByText('令牌无效').count(), { message: `attempt ${attempt}` }).toBeGreaterThan(0);
    expect(await page.getByLabel('登录令牌').inputValue()).toBe(`ge_wrong_token_${attempt}`);
  }
  await capture(page, 'sign-in-wrong-token-375');
  await page.context().close();
}, 60_000);

it('the liaison\'s photo shows its preview (the pages\' CSP allows the blob: it is shown from)', async () => {
  const page = await signIn(browser, base, d.liaison.token, PHONE);
  const refused: string[] = [];
  page.on('console', (m) => { if (/Content Security Policy/.test(m.text())) refused.push(m.text()); });
  await page.locator('input[type="file"][name="file"]').setInputFiles({ name: 'slip.jpg', mimeType: 'image/jpeg', buffer: await photoWithGps(64) });
  const preview = page.locator('.photo-preview img');
  await preview.waitFor();
  await expect.poll(() => preview.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(64);
  expect(refused).toEqual([]);
  await page.context().close();
}, 60_000);

it('the admin console asks for the live stream once: a refusal (403) is not retried', async () => {
  const { page } = await newPage(browser, base, DESKTOP);
  const streams: number[] = [];
  page.on('response', (r) => { if (r.url().endsWith('/api/v1/stream')) streams.push(r.status()); });
  await page.goto('/');
  await page.getByLabel('登录令牌').fill(d.admin.token);
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByRole('button', { name: '退出' }).waitFor();
  // The client's backoff would have retried at 1 s, 2 s and 4 s.
  await page.waitForTimeout(5_000);
  expect(streams.length).toBeLessThanOrEqual(1);
  expect(streams.every((s) => s === 403)).toBe(true);
  await page.context().close();
}, 60_000);

it('a case at the wrong platform: the committee corrects the worker\'s platforms from the page, then 转办 offers that platform\'s committee', async () => {
  const worker = { name: '张三', phone: '13812341234', workerType: 'delivery', platforms: ['美团'] };
  const c = await aCase(d, [['liaison', { action: 'forward' }], ['meituan', { action: 'accept' }]], aGrievance({ worker }));
  const committee = await signIn(browser, base, d.meituan.token, DESKTOP);
  await committee.goto(`/#/case/${c.id}`);
  // Before: the transfer form offers no unit the server would refuse, so not 饿了么's committee.
  await committee.getByRole('button', { name: '转办', exact: true }).click();
  const transfer = committee.locator('form.action-form');
  expect(await transfer.locator(`option[value="${d.orgs.eleme}"], input[value="${d.orgs.eleme}"]`).count()).toBe(0);
  await transfer.getByRole('button', { name: '取消' }).click();

  await committee.getByRole('button', { name: '重新分类', exact: true }).click();
  const form = committee.locator('form.action-form');
  await form.locator('select[name="platforms"]').selectOption(['饿了么']);
  await form.locator('[name="reason"]').fill('劳动者实为饿了么骑手');
  await captureBoth(committee, 'reclassify-platforms');
  await form.getByRole('button', { name: '重新分类', exact: true }).click();
  await committee.locator('#toast').getByText('已完成').waitFor();
  expect((await d.meituan.get(`/api/v1/cases/${c.id}`)).body.worker.platforms).toEqual(['饿了么']);

  await committee.getByRole('button', { name: '转办', exact: true }).click();
  const again = committee.locator('form.action-form');
  await expect.poll(() => again.locator(`option[value="${d.orgs.eleme}"], input[value="${d.orgs.eleme}"]`).count()).toBeGreaterThan(0);
  await committee.context().close();
}, 60_000);
