/**
 * The reach of issue 21 in a real browser (item 10's "Done when"): a worker submits from a 375 px
 * phone by the branch's QR link and the liaison verifies (registers) it; a 12345 work order naming
 * a platform arrives and shows in the committee's queue; a case the branch resolved is closed by the
 * call-back user's rating, the worker follows the text on the demo SMS page to the status page and
 * appeals at 375 px, and the case is back at the level above (the platform's committee).
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { TEST_SECURITY, type TestEngine } from '../support/harness.js';
import { aGrievance, client, type Client, type District } from '../support/builders.js';
import { PHONE, capture, captureBoth, newPage, signIn, startBrowserSuite, stopBrowserSuite } from './support/browser.js';
import { eventually } from '../support/processes.js';

let engine: TestEngine;
let d: District;
let hotline: Client;
let base: string;
let browser: Browser;

beforeAll(async () => {
  // Demo mode's SMS sink on, as `npm start` has it on the embedded database.
  // One phone (127.0.0.1) plays the worker through every public page within a minute: submission, tracking, the SMS
  // page, the status page, the appeal. The public limits have tests of their own (worker-self-service, submissions).
  ({ engine, d, base, browser } = await startBrowserSuite({
    demoSms: true, security: { ...TEST_SECURITY, limits: { ...TEST_SECURITY.limits, publicPerMinute: 1000 } },
  }));
  const unit = await d.admin.post('/api/v1/orgs', { name: '12345 市民服务热线', type: 'hotline', defaultBranchId: d.orgs.branch });
  const operator = await d.admin.post('/api/v1/users', { name: '热线话务员', orgId: unit.body.id, role: 'hotline' });
  hotline = client(engine.app, operator.body.token);
});
afterAll(() => stopBrowserSuite({ engine, browser }));

it('a worker submits from a phone by the QR link; the liaison verifies and registers it', async () => {
  const poster = await d.liaison.get(`/api/v1/orgs/${d.orgs.branch}/intake-qr`);
  const link = /[^\s<>"]*\/submit\/[0-9a-f-]{36}/.exec(poster.text)![0];
  const { page: worker } = await newPage(browser, base, PHONE);
  await worker.goto(new URL(link, base).pathname);
  await worker.getByLabel(/请写下发生了什么/).fill('站点要求每天在线 14 小时，否则停单');
  await worker.getByLabel(/问题类别/).selectOption('HRS');
  await worker.getByLabel(/联系电话/).fill('13712345678');
  await worker.getByRole('button', { name: '提交' }).click();
  await worker.locator('[data-tracking-code]').waitFor();
  expect(await worker.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
  await capture(worker, 'reach-submitted-375');

  const liaison = await signIn(browser, base, d.liaison.token);
  await liaison.getByRole('heading', { name: /待核实/ }).waitFor();
  const card = liaison.locator('.submission', { hasText: '每天在线 14 小时' });
  await card.getByRole('button', { name: '登记为案件' }).click();
  await card.getByLabel(/劳动者类型/).selectOption('delivery');
  await card.getByLabel(/涉及平台/).selectOption('美团');
  await capture(liaison, 'reach-verify-1440');
  await card.locator('form').getByRole('button', { name: '登记为案件' }).click();
  await expect.poll(() => new URL(liaison.url()).hash).toMatch(/^#\/case\//);
  const registered = await d.liaison.get(`/api/v1/cases/${new URL(liaison.url()).hash.split('/')[2]}`);
  expect(registered.body).toMatchObject({ channel: 'online', category: 'HRS', state: 'registered' });
}, 90_000);

it('a 12345 work order naming a platform arrives and shows in the committee\'s queue', async () => {
  const order = await hotline.post('/api/v1/intake/hotline', {
    orderNo: 'GD20260301-0042', description: '来电反映：商家出餐慢导致超时，骑手被扣款 30 元', category: 'DED', platform: '美团', area: '朝阳街道',
    workerType: 'delivery', name: '孙师傅', phone: '13912345678',
  });
  expect(order.status, JSON.stringify(order.body)).toBe(201);
  const { reference } = order.body;
  expect((await d.meituan.get(`/api/v1/cases/${order.body.id}`)).body).toMatchObject({ level: 'platform', holderOrgId: d.orgs.meituan, state: 'forwarded' });

  const committee = await signIn(browser, base, d.meituan.token);
  await committee.getByText(reference).first().waitFor();
  await captureBoth(committee, 'reach-committee-queue');
}, 90_000);

it('a case closed by the call-back user\'s rating is appealed by the worker from the status page at 375 px: back at the level above', async () => {
  const created = await d.liaison.post('/api/v1/cases', aGrievance({ description: '想了解职业伤害保障如何申报', category: 'CON', worker: {
    name: '周师傅', phone: '13612345678', workerType: 'delivery', platforms: ['美团'],
  } }));
  expect(created.status).toBe(201);
  let c = created.body;
  for (const [who, body] of [[d.liaison, { action: 'resolve', resolution: '支部联络员解答了申报流程' }], [d.callback, { action: 'feedback', rating: 'basically_satisfied' }]] as const) {
    const res = await who.act(c.id, body);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    c = res.body;
  }
  expect(c.state).toBe('closed');

  // The demo SMS page: the feedback link (sent at resolution) and the invitation to appeal, newest first —
  // once the outbox has delivered both (its rounds are seconds apart under load).
  let poll = 0;
  await eventually(async () => {
    const res = await engine.app.inject({ method: 'GET', url: '/api/v1/public/demo/sms', remoteAddress: `10.9.0.${++poll}` });
    return res.statusCode === 200 && res.body.split(c.reference).length - 1 >= 2;
  }, 30_000, 'both texts on the demo SMS page');
  const { page: worker } = await newPage(browser, base, PHONE);
  await worker.goto('/demo/sms');
  const invitation = worker.locator('.sms', { hasText: '如不认可结果' }).filter({ hasText: c.reference });
  await invitation.waitFor();
  await expect.poll(() => worker.locator('.sms', { hasText: c.reference }).count()).toBe(2);
  await expect.poll(() => worker.locator('.sms').first().textContent()).toContain('如不认可结果');
  expect(await worker.locator('.sms').first().textContent()).toContain('136****5678');
  await captureBoth(worker, 'reach-demo-sms');

  // The text's link is the status page (PUBLIC_URL's origin): the same path on this server.
  const statusLink = new URL((await invitation.getByRole('link').getAttribute('href'))!, base);
  expect(statusLink.pathname).toBe('/status');
  await worker.goto(`${statusLink.pathname}${statusLink.search}`);
  await expect.poll(() => worker.locator('input[name="reference"]').inputValue()).toBe(c.reference);
  await worker.getByLabel('查询码').fill(created.body.receiptCode);
  await worker.getByRole('button', { name: '查询' }).click();
  await worker.getByRole('heading', { name: /申诉/ }).waitFor();
  await worker.getByLabel(/申诉理由/).fill('按支部说的办了，申报仍未受理，请平台协助');
  expect(await worker.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
  await capture(worker, 'reach-appeal-375');
  await worker.getByRole('button', { name: '提交申诉' }).click();
  await worker.getByText('申诉已受理').waitFor();
  await capture(worker, 'reach-appealed-375');

  const after = await d.liaison.get(`/api/v1/cases/${c.id}`);
  expect(after.body).toMatchObject({ level: 'platform', holderOrgId: d.orgs.meituan });
}, 90_000);
