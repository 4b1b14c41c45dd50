/**
 * The daily work of every role in a real browser (Debian's Chromium driven by playwright-core), on a
 * 375 px phone and a 1440 px screen: a liaison registers on a flaky network (offline reload, lost
 * answer, an edit attempt); the committee accepts and hands off; the department supervises; the
 * committee resolves; the liaison records the feedback; the convener runs a meeting. Every page gets
 * a screenshot in tests/artifacts/ and an axe check (0 serious or critical).
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestEngine, type TestEngine } from '../support/harness.js';
import { aDistrict, type District } from '../support/builders.js';
import { DESKTOP, PHONE, act, capture, launchBrowser, signIn } from './support/browser.js';

let engine: TestEngine;
let d: District;
let base: string;
let browser: Browser;

beforeAll(async () => {
  engine = await startTestEngine({ runWorkers: true }); // export jobs need a worker
  d = await aDistrict(engine.app);
  base = await engine.app.listen({ port: 0, host: '127.0.0.1' });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await engine?.close();
});

async function fillRegistration(page: Page) {
  await page.getByLabel(/诉求类别/).selectOption('DED');
  await page.getByLabel(/涉及平台/).selectOption('美团');
  await page.getByLabel(/劳动者类型/).selectOption('delivery');
  await page.getByLabel(/诉求内容/).fill('暴雨天配送超时被扣款 30 元，申诉未通过');
  await page.getByLabel(/劳动者姓名/).fill('张三');
  await page.getByLabel(/联系电话/).fill('13812341234');
}

it('liaison → committee → department → committee → liaison → convener', async () => {
  // A liaison on a 375 px phone: no choice starts filled in; skipping them is caught at the fields.
  const liaison = await signIn(browser, base, d.liaison.token, PHONE);
  await expect.poll(() => liaison.getByLabel(/诉求类别/).inputValue()).toBe('');
  await liaison.getByRole('button', { name: '提交登记' }).click();
  await expect.poll(() => liaison.locator('.field.invalid').count()).toBe(4);
  await capture(liaison, '01-liaison-required-375');
  await fillRegistration(liaison);
  await liaison.reload();
  await expect.poll(() => liaison.getByLabel(/诉求内容/).inputValue()).toBe('暴雨天配送超时被扣款 30 元，申诉未通过');
  expect(await liaison.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
  await capture(liaison, '02-liaison-register-375');

  // The answer to the submit is lost: the page does not know whether the case exists, keeps the form
  // locked (no edit, no new draft), and replays the same key until the server answers.
  let registrations = 0;
  await liaison.context().route('**/api/v1/cases', async (r) => {
    if (r.request().method() !== 'POST') return r.continue();
    registrations++;
    if (registrations > 1) return r.continue();
    await r.fetch();
    await r.abort('internetdisconnected');
  });
  await liaison.getByRole('button', { name: '提交登记' }).click();
  await liaison.getByText(/案件已登记（按提交时的内容）/).waitFor();
  await liaison.getByRole('heading', { name: /登记回执/ }).waitFor();
  expect(registrations).toBeGreaterThanOrEqual(2);
  expect((await d.convener.get('/api/v1/cases?limit=100')).body.items).toHaveLength(1);
  await capture(liaison, '03-liaison-receipt-375');
  const caseId = (await d.convener.get('/api/v1/cases?limit=100')).body.items[0].id as string;
  await liaison.context().unroute('**/api/v1/cases');
  await act(liaison, caseId, '转交平台');
  await capture(liaison, '04-liaison-case-375');

  // The committee sees it in its queue, accepts it and hands it off.
  const committee = await signIn(browser, base, d.meituan.token, DESKTOP);
  await committee.getByRole('link', { name: /SQ-/ }).first().waitFor();
  await capture(committee, '05-committee-queue-1440');
  await act(committee, caseId, '受理');
  await act(committee, caseId, '移交主管部门', { reason: '涉及扣款规则，需主管部门处理' });

  // The department accepts and supervises.
  const department = await signIn(browser, base, d.market.token, DESKTOP);
  await department.getByRole('link', { name: /SQ-/ }).first().waitFor();
  await capture(department, '06-department-queue-1440');
  await act(department, caseId, '受理');
  await act(department, caseId, '督办', { instructions: '三个工作日内退还扣款并答复', amount: '3', unit: 'working_days' });
  await department.getByRole('heading', { name: '督办单' }).waitFor();
  await capture(department, '07-department-supervision-order-1440');

  // The committee resolves; the liaison records the worker's satisfaction.
  await act(committee, caseId, '办结', { resolution: '已退还扣款 30 元' });
  await act(liaison, caseId, '记录评价', { rating: 'satisfied', solved: 'yes' });
  await liaison.getByText('已结案').first().waitFor();
  await liaison.getByText(/劳动者评价/).waitFor();
  await capture(liaison, '08-liaison-closed-375');
  expect((await d.convener.get(`/api/v1/cases/${caseId}`)).body).toMatchObject({ state: 'closed', outcome: 'satisfied' });

  // The convener creates a meeting and exports it.
  const convener = await signIn(browser, base, d.convener.token, DESKTOP);
  await capture(convener, '09-convener-home-1440');
  await convener.getByRole('button', { name: '召开协调会' }).click();
  await convener.waitForURL(/#\/meeting\//);
  const download = convener.waitForEvent('download');
  await convener.getByRole('button', { name: '导出 xlsx' }).click();
  expect((await download).suggestedFilename()).toMatch(/\.xlsx$/);
  await capture(convener, '10-convener-meeting-1440');

  // Errors from the API appear next to the field at fault, in Chinese.
  await liaison.goto('/#/');
  await liaison.getByRole('button', { name: '登记下一件' }).click().catch(() => {});
  await fillRegistration(liaison);
  await liaison.getByLabel(/联系电话/).fill('call me');
  await liaison.getByRole('button', { name: '提交登记' }).click();
  await expect.poll(() => liaison.locator('.field.invalid [name="phone"]').count()).toBe(1);
  expect(await liaison.locator('.field.invalid .error').innerText()).toMatch(/[\u4e00-\u9fff]/);
  await capture(liaison, '11-liaison-field-error-375');
}, 120_000);
