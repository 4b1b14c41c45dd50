/**
 * The daily work of every role in a real browser (Debian's Chromium driven by playwright-core), on a
 * 375 px phone and a 1440 px screen: a liaison registers on a flaky network (offline reload, lost
 * answer, an edit attempt); the committee accepts and hands off; the department supervises; the
 * committee resolves; the liaison records the feedback; the convener runs a meeting. Every page gets
 * a screenshot in tests/artifacts/ and an axe check (0 serious or critical).
 */
import { readFileSync } from 'node:fs';
import { startSmsGateway, type SmsGateway } from '../support/sms-gateway.js';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ADMIN_TOKEN, startTestEngine, type TestEngine } from '../support/harness.js';
import { aCase, aDistrict, client, type District } from '../support/builders.js';
import { photoWithGps } from '../support/uploads.js';
import { DESKTOP, PHONE, act, capture, captureBoth, compressedScriptBytes, launchBrowser, newPage, signIn } from './support/browser.js';

let engine: TestEngine;
let d: District;
let base: string;
let browser: Browser;
/** The branch's SMS gateway (a local receiver): the worker's one-time feedback link arrives here. */
let gateway: SmsGateway;

beforeAll(async () => {
  engine = await startTestEngine({ runWorkers: true, outboxIntervalMs: 1000 }); // export jobs need a worker
  d = await aDistrict(engine.app);
  gateway = await startSmsGateway();
  expect((await d.admin.put(`/api/v1/orgs/${d.orgs.branch}/channels`, { sms: { gatewayUrl: gateway.url, token: 'sms-token' } })).status).toBe(200);
  base = await engine.app.listen({ port: 0, host: '127.0.0.1' });
  browser = await launchBrowser();
});
afterAll(async () => {
  await gateway?.close();
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
  const { page: visitor } = await newPage(browser, base, DESKTOP);
  await visitor.goto('/');
  await visitor.getByLabel(/登录令牌/).waitFor();
  await captureBoth(visitor, '00-sign-in');
  await visitor.context().close();

  // A liaison on a 375 px phone: no choice starts filled in; skipping them is caught at the fields.
  const liaison = await signIn(browser, base, d.liaison.token, PHONE);
  await expect.poll(() => liaison.getByLabel(/诉求类别/).inputValue()).toBe('');
  await liaison.getByRole('button', { name: '提交登记' }).click();
  await expect.poll(() => liaison.locator('.field.invalid').count()).toBe(4);
  await capture(liaison, '01-liaison-required-375');
  await fillRegistration(liaison);
  // A photo from the phone's camera stays in the draft (IndexedDB) until the case exists.
  await liaison.locator('input[name="file"]').setInputFiles({ name: 'photo.jpg', mimeType: 'image/jpeg', buffer: await photoWithGps() });
  await liaison.getByRole('img', { name: 'photo.jpg' }).waitFor();
  await liaison.reload();
  await expect.poll(() => liaison.getByLabel(/诉求内容/).inputValue()).toBe('暴雨天配送超时被扣款 30 元，申诉未通过');
  await liaison.getByRole('img', { name: 'photo.jpg' }).waitFor();
  expect(await liaison.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
  await capture(liaison, '02-liaison-register-375');

  // The phone form's weight: the JS it loads, compressed as served (budget 60 KB).
  const served = (encoding: string) => async (path: string) =>
    (await engine.app.inject({ url: path, headers: { 'accept-encoding': encoding } })).rawPayload.length;
  const jsBytes = await compressedScriptBytes(liaison, served('br'));
  const gzipBytes = await compressedScriptBytes(liaison, served('gzip'));
  process.stdout.write(`liaison form: ${(jsBytes / 1024).toFixed(1)} KB of JS (brotli), ${(gzipBytes / 1024).toFixed(1)} KB (gzip)\n`);
  expect(jsBytes).toBeLessThanOrEqual(60 * 1024);

  // Offline: the service worker's app shell opens the form on a reload, with the draft.
  await liaison.evaluate(async () => { await navigator.serviceWorker.ready; });
  await liaison.reload();
  await expect.poll(() => liaison.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
  await liaison.context().setOffline(true);
  await liaison.reload();
  await expect.poll(() => liaison.getByLabel(/诉求内容/).inputValue()).toBe('暴雨天配送超时被扣款 30 元，申诉未通过');
  await liaison.getByText(/当前离线/).waitFor();
  await capture(liaison, '02b-liaison-offline-375');
  await liaison.context().setOffline(false);

  // The answer to the submit is lost, and the network stays down for a while: the page does not know
  // whether the case exists, so it locks the form (no edit, no new draft) and replays the same key.
  let registrations = 0;
  let networkDown = true;
  await liaison.context().route('**/api/v1/cases', async (r) => {
    if (r.request().method() !== 'POST') return r.continue();
    registrations++;
    if (!networkDown) return r.continue();
    if (registrations === 1) await r.fetch(); // the server registers it; the answer never arrives
    await r.abort('internetdisconnected');
  });
  await liaison.getByRole('button', { name: '提交登记' }).click();
  await liaison.getByText(/未收到服务器答复|网络中断/).first().waitFor();
  expect(await liaison.getByLabel(/诉求内容/).isDisabled()).toBe(true);
  expect(await liaison.getByRole('button', { name: '清空草稿' }).isDisabled()).toBe(true);
  await capture(liaison, '03a-liaison-checking-375');
  await liaison.reload(); // the unanswered submit is kept with the draft: the check goes on after a reload
  await liaison.getByText(/未收到服务器答复|网络中断/).first().waitFor();
  expect(await liaison.getByLabel(/诉求内容/).isDisabled()).toBe(true);
  networkDown = false;
  await liaison.getByText(/案件已登记（以提交时的内容为准）/).waitFor({ timeout: 20_000 });
  await liaison.getByRole('heading', { name: /登记回执/ }).waitFor();
  expect(registrations).toBeGreaterThanOrEqual(2);
  expect((await d.convener.get('/api/v1/cases?limit=100')).body.items).toHaveLength(1);
  await liaison.getByText('照片已上传').waitFor();
  await capture(liaison, '03-liaison-receipt-375');
  await liaison.emulateMedia({ media: 'print' }); // the printed receipt: reference, code and link, nothing else
  expect(await liaison.getByRole('heading', { name: '我的案件' }).isVisible()).toBe(false);
  expect(await liaison.locator('.receipt dd.code').isVisible()).toBe(true);
  await liaison.screenshot({ path: 'tests/artifacts/03c-liaison-receipt-print.png', fullPage: true });
  await liaison.emulateMedia({ media: 'screen' });
  const caseId = (await d.convener.get('/api/v1/cases?limit=100')).body.items[0].id as string;
  expect((await d.liaison.get(`/api/v1/cases/${caseId}/attachments`)).body.items).toHaveLength(1);
  const reference = (await liaison.locator('.receipt dd').first().innerText()).trim();
  const receiptCode = (await liaison.locator('.receipt dd.code').innerText()).trim();

  // The worker follows the case on the public status page with the receipt's reference and code (no sign-in).
  const { page: worker } = await newPage(browser, base, PHONE);
  await worker.goto(`/status?reference=${reference}`);
  await worker.getByLabel('查询码').fill(receiptCode);
  await worker.getByRole('button', { name: '查询' }).click();
  await worker.getByText('下一步：').waitFor();
  await captureBoth(worker, '03b-worker-status');
  await liaison.context().unroute('**/api/v1/cases');
  await act(liaison, caseId, '转交平台');
  await capture(liaison, '04-liaison-case-375');

  // The committee sees it in its queue, accepts it and hands it off.
  const committee = await signIn(browser, base, d.meituan.token, DESKTOP);
  await committee.getByRole('link', { name: /SQ-/ }).first().waitFor();
  await captureBoth(committee, '05-committee-queue');
  await act(committee, caseId, '受理');
  await act(committee, caseId, '移交主管部门', { reason: '涉及扣款规则，需主管部门处理' });

  // The department accepts and supervises.
  const department = await signIn(browser, base, d.market.token, DESKTOP);
  await department.getByRole('link', { name: /SQ-/ }).first().waitFor();
  await captureBoth(department, '06-department-queue');
  await act(department, caseId, '受理');
  await act(department, caseId, '督办', { instructions: '三个工作日内退还扣款并答复', amount: '3', unit: 'working_days' });
  await department.getByRole('heading', { name: '督办单' }).waitFor();
  await department.evaluate(() => document.body.classList.add('printing-order')); // as the print button does
  await department.emulateMedia({ media: 'print' });
  expect(await department.getByRole('heading', { name: '办理时限' }).isVisible()).toBe(false);
  await department.screenshot({ path: 'tests/artifacts/07b-supervision-order-print.png', fullPage: true });
  await department.emulateMedia({ media: 'screen' });
  await department.evaluate(() => document.body.classList.remove('printing-order'));
  await capture(department, '07-department-supervision-order-1440');

  // The committee resolves; the worker rates it through the one-time link the SMS carries (回访).
  await act(committee, caseId, '办结', { resolution: '已退还扣款 30 元' });
  await expect.poll(() => gateway.texts.find((x) => x.text.includes(reference))?.text ?? '', { timeout: 20_000 }).toMatch(/\/feedback\//);
  const sms = gateway.texts.find((x) => x.text.includes(reference))!;
  expect(sms.to).toContain('13812341234');
  await worker.goto(`/feedback/${/\/feedback\/([A-Za-z0-9_-]+)/.exec(sms.text)![1]}`);
  await worker.getByRole('heading', { name: '办理结果评价' }).waitFor();
  await expect.poll(() => worker.getByLabel(/评价/).first().inputValue()).toBe('');
  await captureBoth(worker, '08a-worker-feedback');
  await worker.getByLabel(/^评价/).selectOption('satisfied');
  await worker.getByLabel(/问题是否解决/).selectOption('yes');
  await worker.getByRole('button', { name: '提交评价' }).click();
  await worker.getByText('感谢您的评价').waitFor();
  await liaison.goto(`/#/case/${caseId}`);
  await liaison.reload();
  await liaison.getByText('已结案').first().waitFor();
  await liaison.getByText(/劳动者评价/).waitFor();
  await capture(liaison, '08-liaison-closed-375');
  expect((await d.convener.get(`/api/v1/cases/${caseId}`)).body).toMatchObject({ state: 'closed', outcome: 'satisfied' });

  // A worker dissatisfied once: the case reopens one level up and is on the next meeting's agenda.
  const reopened = await aCase(d, [['liaison', { action: 'forward' }],
    ['meituan', { action: 'return', reason: '材料不全，请补充订单截图' }], ['liaison', { action: 'forward' }], ['meituan', { action: 'accept' }],
    ['meituan', { action: 'resolve', resolution: '已与站点沟通' }], ['liaison', { action: 'feedback', rating: 'dissatisfied', solved: 'no' }]]);

  // The convener creates a meeting, decides on the reopened case from the agenda, and exports it.
  const convener = await signIn(browser, base, d.convener.token, DESKTOP);
  await convener.getByRole('heading', { name: /考核指标/ }).waitFor();
  await convener.locator('canvas').waitFor();
  await captureBoth(convener, '09-convener-home');
  await convener.getByRole('button', { name: '召开协调会' }).click();
  await convener.waitForURL(/#\/meeting\//);
  const item = convener.locator('.agenda-item', { hasText: reopened.reference });
  await item.getByText(/退回 1/).waitFor();
  await item.getByText(/重办 1/).waitFor();
  await captureBoth(convener, '10a-convener-agenda');
  await item.getByLabel(/牵头单位/).selectOption(d.orgs.market);
  await item.getByLabel(/决定/).fill('市场监管局牵头，五个工作日内约谈站点');
  await item.getByRole('button', { name: '记录决定' }).click();
  await item.getByText(/5 个工作日/).waitFor();
  const download = convener.waitForEvent('download');
  await convener.getByRole('button', { name: '导出 xlsx' }).click();
  expect((await download).suggestedFilename()).toMatch(/\.xlsx$/);
  // The minutes' markdown names things: category, unit of time, reasons — never their codes.
  const markdown = convener.waitForEvent('download');
  await convener.getByRole('button', { name: '导出 md' }).click();
  const text = readFileSync((await (await markdown).path())!, 'utf8');
  expect(text).toContain('扣款罚款');
  expect(text).toContain('5 个工作日');
  expect(text).not.toMatch(/working_days|\| DED \|/);
  await captureBoth(convener, '10-convener-meeting');

  // English, and the page's lang attribute follows, also after a reload.
  await convener.getByRole('button', { name: 'English' }).click();
  expect(await convener.evaluate(() => document.documentElement.lang)).toBe('en');
  await convener.reload();
  await convener.getByRole('button', { name: '中文' }).waitFor();
  expect(await convener.evaluate(() => document.documentElement.lang)).toBe('en');
  await capture(convener, '10b-convener-meeting-english-1440');
  await convener.getByRole('button', { name: '中文' }).click();

  // Errors from the API appear next to the field at fault, in Chinese.
  await committee.goto('/#/');
  await committee.getByRole('tab', { name: /待我处理/ }).waitFor();
  await liaison.goto('/#/');
  await liaison.getByRole('button', { name: '登记下一件' }).click().catch(() => {});
  await fillRegistration(liaison);
  await liaison.getByLabel(/联系电话/).fill('call me');
  await liaison.getByRole('button', { name: '提交登记' }).click();
  await expect.poll(() => liaison.locator('.field.invalid [name="phone"]').count()).toBe(1);
  expect(await liaison.locator('.field.invalid .error').innerText()).toMatch(/[\u4e00-\u9fff]/);
  await capture(liaison, '11-liaison-field-error-375');

  // Corrected and forwarded: the committee's open queue shows it without a reload (server-sent events).
  await liaison.getByLabel(/联系电话/).fill('13812341234');
  await liaison.getByRole('button', { name: '提交登记' }).click();
  const second = (await liaison.locator('.receipt dd').first().innerText()).trim();
  const secondId = (await d.liaison.get(`/api/v1/cases?q=${second}`)).body.items[0].id as string;
  expect(await committee.getByRole('link', { name: second }).count()).toBe(0);
  await act(liaison, secondId, '转交平台');
  await committee.getByRole('link', { name: second }).waitFor({ timeout: 15_000 });
  await captureBoth(committee, '12-committee-queue-live');

  // The bell counts the committee's unread notifications (a case arrived); the list marks one read.
  const bell = committee.getByRole('button', { name: /^通知/ });
  await expect.poll(async () => Number((await bell.innerText()).match(/\d+/)?.[0] ?? 0), { timeout: 10_000 }).toBeGreaterThan(0);
  const unread = Number((await bell.innerText()).match(/\d+/)![0]);
  await bell.click();
  await capture(committee, '13-committee-notifications-1440');
  await committee.locator('#inbox').getByRole('button', { name: '标为已读' }).first().click();
  await expect.poll(async () => Number((await bell.innerText()).match(/\d+/)?.[0] ?? 0)).toBe(unread - 1);
}, 240_000); // 75 s on a quiet machine; the whole suite runs beside it on 2 cores

it('the meeting form\'s period is in Beijing dates at 03:00 Beijing, in a browser set to UTC', async () => {
  // 03:00 in Beijing is 19:00 UTC of the day before: a UTC date would end the period at the start of today.
  const beijingToday = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
  const at3am = new Date(`${beijingToday}T03:00:00+08:00`);
  const dayAfter = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
  const convener = await signIn(browser, base, d.convener.token, DESKTOP, { timezoneId: 'UTC', fixedTime: at3am });
  await convener.getByRole('button', { name: '召开协调会' }).waitFor();
  expect(await convener.locator('input[name="periodTo"]').inputValue()).toBe(dayAfter(beijingToday, 1));
  expect(await convener.locator('input[name="periodFrom"]').inputValue()).toBe(dayAfter(beijingToday, -30));
  expect(await convener.locator('input[name="title"]').inputValue()).toBe(`${beijingToday.slice(0, 4)}年${Number(beijingToday.slice(5, 7))}月诉求处理协调会`);
  await convener.context().close();
}, 60_000);

it('a territorial matter goes from the branch to the street office of its area (以块为主)', async () => {
  const admin = client(engine.app, ADMIN_TOKEN);
  const street = (await admin.post('/api/v1/orgs', { name: '朝阳街道办事处', type: 'territorial', areas: ['朝阳街道'] })).body.id as string;
  const office = (await admin.post('/api/v1/users', { name: '街道干部', orgId: street, role: 'committee' })).body.token as string;

  const liaison = await signIn(browser, base, d.liaison.token, PHONE);
  await liaison.getByLabel(/诉求类别/).selectOption('ACS');
  await liaison.getByLabel(/街道\/区域/).fill('朝阳街道');
  expect(await liaison.getByLabel(/涉及平台/).getAttribute('required')).toBeNull();
  await liaison.getByLabel(/劳动者类型/).selectOption('courier');
  await liaison.getByLabel(/诉求内容/).fill('小区禁止快递员进入，无法送件');
  await capture(liaison, '20-liaison-territorial-375');
  await liaison.getByRole('button', { name: '提交登记' }).click();
  await liaison.getByRole('heading', { name: /登记回执/ }).waitFor();
  const reference = (await liaison.locator('.receipt dd').first().innerText()).trim();
  const caseId = (await d.liaison.get(`/api/v1/cases?q=${reference}`)).body.items[0].id as string;
  await act(liaison, caseId, '转交平台');

  const streetOffice = await signIn(browser, base, office, DESKTOP);
  await streetOffice.getByRole('link', { name: reference }).waitFor();
  await captureBoth(streetOffice, '21-street-office-queue');
  await act(streetOffice, caseId, '受理');
  expect((await client(engine.app, office).get(`/api/v1/cases/${caseId}`)).body).toMatchObject({ holderOrgId: street, level: 'platform', platform: null });
}, 60_000);

it('actions from their field specs: merge by reference, reclassify, co-handling and its opinion', async () => {
  const target = await aCase(d);
  const duplicate = await aCase(d);
  const liaison = await signIn(browser, base, d.liaison.token, PHONE);
  await liaison.goto(`/#/case/${duplicate.id}`);
  await liaison.getByRole('button', { name: '合并', exact: true }).click();
  await liaison.locator('form.action-form [name="intoReference"]').fill('SQ-2026-999999');
  await liaison.locator('form.action-form').getByRole('button', { name: '合并', exact: true }).click();
  const refusal = liaison.locator('form.action-form .form-error, form.action-form .field.invalid .error').first();
  await refusal.waitFor();
  expect(await refusal.innerText()).toMatch(/[\u4e00-\u9fff]/);
  expect(await refusal.innerText()).not.toMatch(/\b(merge|not_found|intoReference)\b/);
  await capture(liaison, '31-liaison-merge-refused-375');
  await act(liaison, duplicate.id, '合并', { intoReference: target.reference });
  expect((await d.liaison.get(`/api/v1/cases/${duplicate.id}`)).body.state).toBe('merged');

  const atDepartment = await aCase(d, [['liaison', { action: 'forward' }], ['meituan', { action: 'accept' }],
    ['meituan', { action: 'hand_off', reason: '需主管部门处理' }], ['market', { action: 'accept' }]]);
  const department = await signIn(browser, base, d.market.token, DESKTOP);
  // Someone else acts while the form is open: sending it answers 409 and the page says so, nothing is overwritten.
  await department.goto(`/#/case/${atDepartment.id}`);
  await department.getByRole('button', { name: '重新分类', exact: true }).click();
  await department.locator('form.action-form [name="reason"]').fill('先按一般处理');
  expect((await d.market.act(atDepartment.id, { action: 'reclassify', urgency: 'critical', reason: '同事已改为特急' })).status).toBe(200);
  await department.locator('form.action-form').getByRole('button', { name: '重新分类', exact: true }).click();
  await department.locator('#toast').getByText(/已被他人更新/).waitFor();
  await act(department, atDepartment.id, '重新分类', { urgency: 'urgent', reason: '涉及多名骑手' });
  await act(department, atDepartment.id, '增加协办单位', { orgIds: d.orgs.hr, reason: '涉及社保缴纳' });
  await captureBoth(department, '30-department-cohandling');
  const hr = await signIn(browser, base, d.hr.token, DESKTOP);
  await act(hr, atDepartment.id, '提交协办意见', { opinion: '社保部分由人社局核查' });
  const after = (await d.market.get(`/api/v1/cases/${atDepartment.id}`)).body;
  expect(after).toMatchObject({ urgency: 'urgent', cohandlers: [{ orgId: d.orgs.hr, opinion: expect.stringContaining('人社局') }] });
  await department.reload();
  await department.getByText(/已提交意见/).waitFor();
}, 60_000);

it('an algorithm decision: the ALG fields on the phone, the committee\'s human review', async () => {
  const liaison = await signIn(browser, base, d.liaison.token, PHONE);
  await liaison.getByRole('button', { name: 'English' }).click();
  await liaison.getByRole('heading', { name: 'Register a grievance' }).waitFor();
  await capture(liaison, '39-liaison-english-375');
  await liaison.getByRole('button', { name: '中文' }).click();
  await liaison.getByLabel(/诉求类别/).selectOption('ALG');
  await liaison.getByLabel(/涉及平台/).selectOption('美团');
  await liaison.getByLabel(/劳动者类型/).selectOption('delivery');
  await liaison.getByLabel(/诉求内容/).fill('系统判定超时并自动扣款 50 元');
  await liaison.getByRole('button', { name: '提交登记' }).click();
  await expect.poll(() => liaison.locator('.field.invalid [name="orderId"]').count()).toBe(1);
  await capture(liaison, '40-liaison-algorithm-375');
  await liaison.getByLabel(/平台订单号/).fill('MT-20261120-0001');
  await liaison.getByLabel(/规则或模型版本/).fill('dispatch-v7.3');
  await liaison.getByLabel(/算法决定时间/).fill('2026-11-20T10:30');
  await liaison.getByLabel(/涉及金额/).fill('50');
  await liaison.getByRole('button', { name: '提交登记' }).click();
  await liaison.getByRole('heading', { name: /登记回执/ }).waitFor();
  const reference = (await liaison.locator('.receipt dd').first().innerText()).trim();
  const caseId = (await d.liaison.get(`/api/v1/cases?q=${reference}`)).body.items[0].id as string;
  await act(liaison, caseId, '转交平台');

  const committee = await signIn(browser, base, d.meituan.token, DESKTOP);
  await act(committee, caseId, '受理');
  await act(committee, caseId, '人工复核', { outcome: 'revised', explanation: '暴雨天气应顺延时限，退还扣款' });
  await committee.getByText(/变更平台决定/).first().waitFor();
  await capture(committee, '41-committee-human-review-1440');
  expect((await d.meituan.get(`/api/v1/cases/${caseId}`)).body.humanReview).toMatchObject({ outcome: 'revised' });
}, 60_000);

it('a referral (矛盾调解): the committee refers from its form, the mediation unit answers from its queue on a phone', async () => {
  const c = await aCase(d, [['liaison', { action: 'forward' }], ['meituan', { action: 'accept' }]]);
  const committee = await signIn(browser, base, d.meituan.token, DESKTOP);
  await committee.goto(`/#/case/${c.id}`);
  await committee.getByRole('button', { name: '转介调解', exact: true }).click();
  const form = committee.locator('form.action-form');
  await form.locator('[name="kind"]').selectOption('mediation').catch(async () => { await form.getByLabel(/转介类型/).getByText('矛盾调解').click(); });
  await form.locator('[name="toOrgId"]').selectOption(d.orgs.mediation).catch(async () => { await form.getByText('区劳动争议调解中心').click(); });
  await form.locator('[name="reason"]').fill('劳动报酬争议，先行调解');
  await capture(committee, '50-committee-refer-1440');
  await form.getByRole('button', { name: '转介调解', exact: true }).click();
  await committee.locator('#toast').getByText('已完成').waitFor();
  expect((await d.meituan.get(`/api/v1/cases/${c.id}`)).body.deadlines.find((x: { step: string }) => x.step === 'referral')).toMatchObject({ status: 'pending' });

  const mediator = await signIn(browser, base, d.mediator.token, PHONE);
  await mediator.getByRole('link', { name: c.reference }).waitFor();
  await capture(mediator, '51-mediator-queue-375');
  await act(mediator, c.id, '答复转介', { outcome: 'settled', note: '双方达成调解协议' });
  await capture(mediator, '52-mediator-answered-375');
  const after = (await d.meituan.get(`/api/v1/cases/${c.id}`)).body;
  expect(after.allowedActions).toContain('resolve');
}, 90_000);
