/**
 * Worker-direct intake in a real browser (issue 21.1): a worker opens the station's QR link on a
 * 375 px phone, writes the grievance with a photo and gets a tracking code; the liaison finds it in
 * 待核实, registers it from the prefilled form; the worker's tracking page then names the case.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { TestEngine } from '../support/harness.js';
import type { District } from '../support/builders.js';
import { photoWithGps } from '../support/uploads.js';
import { PHONE, capture, newPage, signIn, startBrowserSuite, stopBrowserSuite } from './support/browser.js';

let engine: TestEngine;
let d: District;
let base: string;
let browser: Browser;

beforeAll(async () => {
  ({ engine, d, base, browser } = await startBrowserSuite());
});
afterAll(() => stopBrowserSuite({ engine, browser }));

it('a worker submits from a phone by the QR link; the liaison verifies and registers it', async () => {
  const poster = await d.liaison.get(`/api/v1/orgs/${d.orgs.branch}/intake-qr`);
  const link = /[^\s<>"]*\/submit\/[0-9a-f-]{36}/.exec(poster.text)![0];

  const { page: worker } = await newPage(browser, base, PHONE);
  await worker.goto(new URL(link, base).pathname);
  await worker.getByText('第一支部').waitFor();
  await worker.getByLabel(/请写下发生了什么/).fill('站点无故扣我 200 元押金');
  await worker.getByLabel(/问题类别/).selectOption('DED');
  await worker.getByLabel(/联系电话/).fill('13812345678');
  await worker.locator('input[name="file"]').setInputFiles({ name: 'slip.jpg', mimeType: 'image/jpeg', buffer: await photoWithGps(32) });
  expect(await worker.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
  await capture(worker, 'intake-submit-375');
  await worker.getByRole('button', { name: '提交' }).click();
  const code = (await worker.locator('[data-tracking-code]').textContent())!;
  expect(code).toMatch(/^[2-9A-HJKMNP-Z]{12}$/);
  await capture(worker, 'intake-sent-375');

  const liaison = await signIn(browser, base, d.liaison.token, PHONE);
  await liaison.getByRole('heading', { name: /待核实/ }).waitFor();
  const card = liaison.locator('.submission', { hasText: '站点无故扣我' });
  await expect.poll(() => card.textContent()).toContain('138****5678');
  await card.getByRole('button', { name: '登记为案件' }).click();
  await card.getByLabel(/劳动者类型/).selectOption('delivery');
  await card.getByLabel(/涉及平台/).selectOption('美团');
  await capture(liaison, 'intake-verify-375');
  await card.locator('form').getByRole('button', { name: '登记为案件' }).click();
  await expect.poll(() => new URL(liaison.url()).hash).toMatch(/^#\/case\//);
  const caseId = new URL(liaison.url()).hash.split('/')[2];
  const registered = await d.liaison.get(`/api/v1/cases/${caseId}`);
  expect(registered.body).toMatchObject({ channel: 'online', category: 'DED', platform: '美团', description: '站点无故扣我 200 元押金' });
  expect((await d.liaison.get(`/api/v1/cases/${caseId}/attachments`)).body.items).toHaveLength(1);

  await worker.goto(`/submission/${code}`);
  await worker.getByText('已登记为案件').waitFor();
  await worker.getByRole('link', { name: registered.body.reference }).waitFor();
  await capture(worker, 'intake-tracked-375');
}, 90_000);
