/**
 * The admin console in a real browser (Debian's Chromium via playwright-core), on a 1440 px screen
 * and a 375 px phone: the admin creates a unit and a user, rotates the token, signs a phone in with
 * the QR code's link, edits a routing rule and an SLA policy (an invalid save shows the error at its
 * cell), loads a calendar year, and reads the queues and the audit log. Every screen gets a
 * screenshot in tests/artifacts/ and an axe check (0 serious or critical).
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ADMIN_TOKEN, startTestEngine, type TestEngine } from '../support/harness.js';
import { aCase, aDistrict, client, type District } from '../support/builders.js';
import { DESKTOP, PHONE, capture, launchBrowser, newPage, signIn } from './support/browser.js';

let engine: TestEngine;
let d: District;
let base: string;
let browser: Browser;

beforeAll(async () => {
  // Two failures park a receiver: the committee's webhook points at a closed port, so its notification parks.
  engine = await startTestEngine({ runWorkers: true, outboxIntervalMs: 200, delivery: { timeoutMs: 1000, parkAfter: 2, maxBackoffMs: 60_000 } });
  d = await aDistrict(engine.app);
  const hooked = await engine.app.inject({
    method: 'PATCH', url: `/api/v1/orgs/${d.orgs.meituan}`, payload: { webhookUrl: 'http://127.0.0.1:9/hook' }, headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
  });
  expect(hooked.statusCode).toBe(200);
  await aCase(d, [['liaison', { action: 'forward' }]]);
  base = await engine.app.listen({ port: 0, host: '127.0.0.1' });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await engine?.close();
});

const admin = () => client(engine.app, ADMIN_TOKEN);
const toast = (page: Page, text: string | RegExp) => page.locator('#toast').getByText(text).waitFor();
const open = async (page: Page, section: string, heading: string) => {
  await page.goto(`/#/admin/${section}`);
  await page.getByRole('heading', { name: new RegExp(heading) }).first().waitFor();
};
const fitsPhone = async (page: Page) => expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);

async function createUnitAndUser(page: Page) {
  await page.getByRole('button', { name: '新建单位' }).click();
  await page.getByRole('button', { name: '新建', exact: true }).click();
  await expect.poll(() => page.locator('.unit-form .field.invalid').count()).toBe(2); // name and type: required, nothing sent
  await page.getByLabel(/^名称/).fill('第三支部');
  await page.getByLabel(/^类型/).selectOption('branch');
  await page.getByLabel(/辖区/).fill('望京街道，酒仙桥街道');
  await page.getByRole('button', { name: '新建', exact: true }).click();
  await toast(page, '已创建');
  await page.getByRole('cell', { name: '第三支部', exact: true }).waitFor();
  const unit = (await admin().get('/api/v1/orgs')).body.items.find((o: { name: string }) => o.name === '第三支部');
  expect(unit).toMatchObject({ type: 'branch', areas: ['望京街道', '酒仙桥街道'], active: true });

  await open(page, 'users', '用户');
  await page.getByLabel('选择单位').selectOption(unit.id);
  await page.getByLabel(/^名称/).fill('赵联络');
  await page.getByLabel(/^角色/).selectOption('liaison');
  await page.getByRole('button', { name: '新建', exact: true }).click();
  const first = await page.locator('code.secret').innerText();
  expect((await client(engine.app, first).get('/api/v1/me')).body).toMatchObject({ name: '赵联络', role: 'liaison' });
  await page.getByRole('cell', { name: '赵联络', exact: true }).waitFor();
  return first;
}

it('admin: units, users and tokens, rules and policies, calendar, queues and the audit log', async () => {
  const page = await signIn(browser, base, ADMIN_TOKEN, DESKTOP);
  await page.getByRole('heading', { name: /管理控制台 · 单位/ }).waitFor();
  await page.getByRole('cell', { name: '美团平台党委', exact: true }).waitFor();
  await capture(page, '20-admin-units-1440');

  // A unit and a user; the token is shown once, rotating it makes the old one stop working.
  const first = await createUnitAndUser(page);
  await capture(page, '21-admin-user-token-1440');
  await page.getByRole('button', { name: '轮换令牌：赵联络' }).click();
  await expect.poll(() => page.locator('code.secret').innerText()).not.toBe(first);
  const second = await page.locator('code.secret').innerText();
  expect((await client(engine.app, first).get('/api/v1/me')).status).toBe(401);
  expect((await client(engine.app, second).get('/api/v1/me')).status).toBe(200);

  // The sign-in QR code: shown large; its link signs a phone in without a pasted token.
  const link = page.waitForResponse((r) => r.url().includes('/sign-in-link') && r.request().method() === 'POST');
  await page.getByRole('button', { name: '登录二维码：赵联络' }).click();
  const { url } = await (await link).json() as { url: string };
  const qr = page.getByRole('img', { name: /登录二维码：赵联络/ });
  expect((await qr.boundingBox())!.width).toBeGreaterThanOrEqual(300);
  await capture(page, '22-admin-user-qr-1440');
  const { page: phone } = await newPage(browser, base, PHONE);
  await phone.goto(url);
  await phone.getByText(/赵联络/).waitFor();
  await phone.getByRole('button', { name: '退出' }).waitFor();
  await phone.context().close();

  // A routing rule: the delivery workers' hand-off goes to 人社局 instead of 市场监管局 (units by name).
  await open(page, 'routing', '路由规则');
  await expect.poll(() => page.locator('#rule-3-toOrgId option:checked').innerText()).toMatch(/市场监管局/);
  await page.getByRole('button', { name: '添加一行' }).click();
  await page.getByRole('button', { name: /保存全部/ }).click();
  await expect.poll(() => page.locator('td.invalid').count()).toBe(2); // step and unit of the new row: required, nothing sent
  await capture(page, '23-admin-routing-required-1440');
  await page.getByRole('button', { name: '删除 第 5 行' }).click();
  await page.locator('#rule-3-toOrgId').selectOption({ label: '人社局 · 主管部门' });
  await page.getByRole('button', { name: /保存全部/ }).click();
  await toast(page, '已保存');
  const rules = (await admin().get('/api/v1/routing-rules')).body;
  expect(rules[3]).toMatchObject({ step: 'hand_off', match: { workerType: 'delivery' }, toOrgId: d.orgs.hr });

  // An SLA policy: 0 days is refused by the server, shown at its cell in Chinese; 3 is saved.
  await open(page, 'sla', '办理时限');
  await page.locator('#sla-0-amount').fill('0');
  await page.getByRole('button', { name: /保存全部/ }).click();
  const error = page.locator('#sla-0-amount-error');
  await error.waitFor();
  expect(await error.innerText()).toMatch(/[\u4e00-\u9fff]/);
  expect(await page.locator('#sla-0-amount').getAttribute('aria-invalid')).toBe('true');
  await capture(page, '24-admin-sla-error-1440');
  await page.locator('#sla-0-amount').fill('3');
  await page.getByRole('button', { name: /保存全部/ }).click();
  await error.waitFor({ state: 'detached' });
  await expect.poll(async () => (await admin().get('/api/v1/sla-policies')).body[0]).toMatchObject({ step: 'l1_forward', amount: 3 });

  // The catalogue: a new sub-item under 劳动报酬 (a code that does not start with PAY is refused at its cell).
  await open(page, 'catalogue', '诉求目录');
  const catalogue = (await admin().get('/api/v1/catalogue')).body.categories as { code: string; subcategories: unknown[] }[];
  const i = catalogue.findIndex((c) => c.code === 'PAY');
  const n = catalogue[i].subcategories.length;
  const pay = page.locator('details.category-card').nth(i);
  await pay.locator('summary').click();
  await pay.getByRole('button', { name: '添加一行' }).click();
  await page.locator(`#cat-${i}-sub-${n}-code`).fill('XYZ99');
  await page.locator(`#cat-${i}-sub-${n}-name`).fill('平台拖欠押金');
  await page.locator(`#cat-${i}-sub-${n}-nameEn`).fill('Deposit withheld by the platform');
  await page.getByRole('button', { name: /保存全部/ }).click();
  await page.locator(`#cat-${i}-sub-${n}-code-error`).getByText(/PAY/).waitFor();
  await capture(page, '25-admin-catalogue-error-1440');
  await page.locator(`#cat-${i}-sub-${n}-code`).fill('PAY99');
  await page.getByRole('button', { name: /保存全部/ }).click();
  await expect.poll(async () => (await admin().get('/api/v1/catalogue')).body.categories[i].subcategories[n])
    .toMatchObject({ code: 'PAY99', name: '平台拖欠押金', retired: false });

  // A unit's channels: a robot URL that is not one is refused at its field; WeCom and e-mail are saved.
  await expect.poll(async () => (await admin().get('/api/v1/deliveries?status=parked')).body.items.length, { timeout: 20_000 }).toBeGreaterThan(0);
  await open(page, 'channels', '通知渠道');
  await page.getByLabel('选择单位').selectOption(d.orgs.market);
  await page.locator('#ch-wecom-webhookUrl').fill('not a url');
  await page.locator('#ch-email-to').fill('duty@market.example.org， chief@market.example.org');
  await page.getByRole('button', { name: '保存', exact: true }).click();
  await page.locator('#ch-wecom-webhookUrl-error').waitFor();
  expect(await page.locator('#ch-wecom-webhookUrl-error').innerText()).toMatch(/[\u4e00-\u9fff]/);
  await page.locator('#ch-wecom-webhookUrl').fill('https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=test');
  await page.getByRole('button', { name: '保存', exact: true }).click();
  await expect.poll(async () => (await admin().get(`/api/v1/orgs/${d.orgs.market}/channels`)).body).toEqual({
    wecom: { webhookUrl: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=test' },
    email: { to: ['duty@market.example.org', 'chief@market.example.org'] },
  });
  await page.getByRole('heading', { name: '未送达的通知' }).waitFor();
  await page.getByRole('cell', { name: '美团平台党委', exact: true }).waitFor(); // its parked notification
  await capture(page, '26-admin-channels-1440');

  // The calendar: a provisional year gets its published schedule.
  await open(page, 'calendar', '工作日历');
  const provisional = (await admin().get('/api/v1/calendar/status')).body.years.find((y: { source: string }) => y.source === 'provisional')?.year ?? 2030;
  await page.getByLabel(/^年份/).fill(String(provisional));
  await page.getByLabel(/放假日/).fill(`${provisional}-01-01\n${provisional}-10-01, ${provisional}-10-02`);
  await page.getByLabel(/调休上班日/).fill(`${provisional}-09-26`);
  await page.getByRole('button', { name: '载入', exact: true }).click();
  await toast(page, new RegExp(`${provisional} 年已载入`));
  await page.getByRole('row', { name: new RegExp(`${provisional}.*管理员载入`) }).waitFor();
  const calendarTable = page.locator('.set-editor');
  await calendarTable.getByRole('button', { name: '添加一行' }).click();
  await page.locator('#override-0-day').fill(`${provisional}-05-06`);
  await page.locator('#override-0-kind').selectOption('holiday');
  await page.locator('#override-0-note').fill('本区调休');
  await calendarTable.getByRole('button', { name: /保存全部/ }).click();
  await expect.poll(async () => (await admin().get('/api/v1/calendar-overrides')).body).toEqual([{ day: `${provisional}-05-06`, kind: 'holiday', note: '本区调休' }]);
  await capture(page, '27-admin-calendar-1440');

  // Queues and the admin audit log (newest first, paged).
  await open(page, 'activity', '配置变更记录');
  await page.locator('.admin-section').getByText(/尚未提供队列计数|等待/).first().waitFor();
  await page.getByRole('cell', { name: '路由规则' }).first().waitFor();
  await page.getByRole('cell', { name: /角色: 支部联络员; 单位: 第三支部/ }).waitFor(); // units and roles by name
  await capture(page, '28-admin-activity-1440');

  // Deactivation asks first; a unit that rules still name is refused with the reason in words.
  await open(page, 'units', '单位');
  const meituan = page.getByRole('row', { name: /美团平台党委/ });
  await meituan.getByRole('button', { name: '停用' }).click();
  await meituan.getByRole('button', { name: '确定停用' }).click();
  await meituan.getByText(/路由规则指向它/).waitFor();
  const third = page.getByRole('row', { name: /第三支部/ });
  await third.getByRole('button', { name: '停用' }).click();
  await third.getByRole('button', { name: '确定停用' }).click();
  await toast(page, '已停用');
  await third.getByText('已停用').waitFor();

  // The same screens on a 375 px phone: tables become cards, nothing scrolls sideways.
  const small = await signIn(browser, base, ADMIN_TOKEN, PHONE);
  for (const [section, heading, shot] of [
    ['units', '单位', '30-admin-units-375'], ['users', '用户', '31-admin-users-375'], ['routing', '路由规则', '32-admin-routing-375'],
    ['sla', '办理时限', '33-admin-sla-375'], ['catalogue', '诉求目录', '34-admin-catalogue-375'], ['calendar', '工作日历', '35-admin-calendar-375'], ['channels', '通知渠道', '36-admin-channels-375'],
    ['activity', '配置变更记录', '37-admin-activity-375'],
  ] as const) {
    await open(small, section, heading);
    await small.locator('table, .muted').first().waitFor();
    await fitsPhone(small);
    await capture(small, shot);
  }

  // English when switched.
  await small.getByRole('button', { name: 'English' }).click();
  await small.getByRole('heading', { name: /Admin console · Queues & audit/ }).waitFor();
  await capture(small, '38-admin-activity-en-375');
}, 180_000);
