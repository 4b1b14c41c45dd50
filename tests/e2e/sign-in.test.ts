/**
 * The breaks of issue 22 that a user meets before any work (each failed before its fix): the QR
 * sign-in link on a phone, a wrong token, the liaison's photo preview, and the admin console's live
 * stream. Debian's Chromium driven by playwright-core, as in the journey.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestEngine, type TestEngine } from '../support/harness.js';
import { aDistrict, type District } from '../support/builders.js';
import { photoWithGps } from '../support/uploads.js';
import { DESKTOP, PHONE, capture, launchBrowser, newPage, signIn } from './support/browser.js';

let engine: TestEngine;
let d: District;
let base: string;
let browser: Browser;

beforeAll(async () => {
  engine = await startTestEngine();
  d = await aDistrict(engine.app);
  base = await engine.app.listen({ port: 0, host: '127.0.0.1' });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await engine?.close();
});

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
