/**
 * The liaison's phone (issue 22 item 4) and the worker's loop on the case page (item 5), in Debian's
 * Chromium at 375 px with a persistent profile (a browser restart keeps IndexedDB, not the tab's
 * sessionStorage) and a fake microphone: sign in, set a PIN, restart offline → PIN → signed in; a voice note
 * recorded offline stays in the draft and is uploaded after registration; the open-case hint; five
 * wrong PINs forget the token; the case page lists the SMS the worker was sent and the feedback.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestEngine, type TestEngine } from '../support/harness.js';
import { aCase, aDistrict, aGrievance, type District } from '../support/builders.js';
import { DESKTOP, PHONE, capture, captureBoth, compressedScriptBytes } from './support/browser.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const WORKER_PHONE = '13655556666';
const PIN = '2468';

let engine: TestEngine;
let d: District;
let base: string;
let profile: string;

beforeAll(async () => {
  engine = await startTestEngine();
  d = await aDistrict(engine.app);
  base = await engine.app.listen({ port: 0, host: '127.0.0.1' });
  profile = mkdtempSync(path.join(tmpdir(), 'phone-profile-'));
});
afterAll(async () => {
  await engine?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

/** The same phone, opened again: a persistent profile (what a browser restart keeps), a fake microphone. */
async function openPhone(dir = profile): Promise<{ context: BrowserContext; page: Page }> {
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: CHROMIUM, viewport: PHONE, baseURL: base, serviceWorkers: 'allow', locale: 'zh-CN', timezoneId: 'Asia/Shanghai',
    permissions: ['microphone'], hasTouch: true, isMobile: false,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream'],
  });
  const page = context.pages()[0] ?? await context.newPage();
  page.on('pageerror', (e) => { throw e; });
  return { context, page };
}

const description = () => 'app 派单规则变化后收入下降，申诉无人回复';

it('installable: the page names its manifest and icons, and the server serves them', async () => {
  const html = (await engine.app.inject({ url: '/' })).body;
  const manifestPath = /<link rel="manifest" href="([^"]+)"/.exec(html)?.[1];
  expect(manifestPath).toBeTruthy();
  const manifest = await engine.app.inject({ url: manifestPath! });
  expect(manifest.statusCode).toBe(200);
  const parsed = JSON.parse(manifest.body);
  expect(parsed).toMatchObject({ start_url: '/', display: 'standalone' });
  for (const icon of parsed.icons as { src: string; type: string }[]) {
    const res = await engine.app.inject({ url: icon.src });
    expect(res.statusCode, icon.src).toBe(200);
    expect(res.headers['content-type']).toContain(icon.type);
  }
  expect(String((await engine.app.inject({ url: '/' })).headers['content-security-policy'])).toContain("manifest-src 'self'");
});

it('a PIN keeps the phone signed in across a restart with no network; a voice note recorded offline is uploaded after registration; the open-case hint shows', async () => {
  const earlier = await aCase(d, [], aGrievance({ worker: { name: '赵六', phone: WORKER_PHONE, workerType: 'delivery', platforms: ['美团'] } }));

  // Sign in with the token; the phone is offered a PIN.
  let { context, page } = await openPhone();
  await page.goto('/');
  await page.getByLabel('登录令牌').fill(d.liaison.token);
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByRole('heading', { name: '设置 PIN 码，在本机保持登录' }).waitFor();
  await capture(page, 'phone-01-pin-offer-375');
  await page.getByLabel('PIN 码（4–6 位数字）').fill(PIN);
  await page.getByLabel('再次输入 PIN 码').fill(PIN);
  await page.getByRole('button', { name: '设置 PIN' }).click();
  await page.locator('#toast').getByText('已设置').waitFor();
  // Never the token in clear on the device: only the sealed bytes.
  const keptText = await page.evaluate(() => new Promise<string>((resolve) => {
    const open = indexedDB.open('grievance-engine');
    open.onsuccess = () => {
      const get = open.result.transaction('device').objectStore('device').get('token');
      get.onsuccess = () => { resolve(JSON.stringify(get.result, (_k, v) => (v instanceof ArrayBuffer ? [...new Uint8Array(v)] : v))); open.result.close(); };
    };
  }));
  expect(keptText).not.toContain(d.liaison.token);
  const served = (encoding: string) => async (p: string) => (await engine.app.inject({ url: p, headers: { 'accept-encoding': encoding } })).rawPayload.length;
  const jsBytes = await compressedScriptBytes(page, served('br'));
  process.stdout.write(`liaison form with the phone's parts: ${(jsBytes / 1024).toFixed(1)} KB of JS (brotli)\n`);
  expect(jsBytes).toBeLessThanOrEqual(30 * 1024);
  await page.evaluate(async () => { await navigator.serviceWorker.ready; });
  await context.close();

  // The browser is closed and opened again with no network: the app shell opens, the PIN opens the kept token and session.
  ({ context, page } = await openPhone());
  await context.setOffline(true);
  await page.goto('/');
  await page.getByRole('heading', { name: '输入 PIN 码继续' }).waitFor();
  await capture(page, 'phone-02-pin-unlock-375');
  await page.getByLabel('PIN 码（4–6 位数字）').fill(PIN);
  await page.getByRole('button', { name: '解锁' }).click();
  await page.getByRole('button', { name: '退出' }).waitFor();
  await page.getByText(/当前离线/).waitFor();

  // Still offline: a voice note is recorded with the fake microphone and kept in the draft.
  await page.getByLabel(/诉求类别/).selectOption('DED');
  await page.getByLabel(/涉及平台/).selectOption('美团');
  await page.getByLabel(/劳动者类型/).selectOption('delivery');
  await page.getByLabel(/诉求内容/).fill(description());
  await page.getByRole('button', { name: '开始录音' }).click();
  await page.getByText('正在录音…').waitFor();
  await page.waitForTimeout(1200);
  await page.getByRole('button', { name: '停止录音' }).click();
  await page.locator('.voice-preview audio').waitFor();
  await page.reload();
  await page.getByText(/当前离线/).waitFor();
  await expect.poll(() => page.getByLabel(/诉求内容/).inputValue()).toBe(description());
  await page.locator('.voice-preview audio').waitFor();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
  await capture(page, 'phone-03-voice-offline-375');
  await context.setOffline(false);
  await page.reload();

  // Online again: the worker's phone shows their other open case in this branch (never the phone back).
  await page.getByLabel(/联系电话/).fill(WORKER_PHONE);
  const hint = page.getByText(/此劳动者在本支部有 1 件未结诉求/);
  await hint.waitFor();
  expect(await hint.textContent()).toContain(earlier.reference);
  await capture(page, 'phone-04-open-case-hint-375');
  await page.getByRole('button', { name: '提交登记' }).click();
  await page.getByText('语音已上传').waitFor();
  const created = (await d.liaison.get('/api/v1/cases?limit=1')).body.items[0];
  const attachments = (await d.liaison.get(`/api/v1/cases/${created.id}/attachments`)).body.items as { name: string; contentType?: string }[];
  expect(attachments.map((a) => a.name)).toEqual([expect.stringMatching(/^voice-note\.(webm|m4a)$/)]);
  await context.close();
}, 120_000);

it('the case page shows what the worker was told (masked, never the link) and the feedback', async () => {
  const c = await aCase(d, [['liaison', { action: 'forward' }], ['meituan', { action: 'accept' }], ['meituan', { action: 'resolve', resolution: '平台已退还扣款' }],
    ['liaison', { action: 'feedback', rating: 'satisfied', solved: 'yes' }]], aGrievance({ worker: { name: '钱七', phone: '13977778888', workerType: 'delivery', platforms: ['美团'] } }));
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
  try {
    const context = await browser.newContext({ viewport: DESKTOP, baseURL: base, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    const page = await context.newPage();
    await page.goto('/');
    await page.getByLabel('登录令牌').fill(d.meituan.token);
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByRole('button', { name: '退出' }).waitFor();
    await page.goto(`/#/case/${c.id}`);
    const loop = page.locator('section.worker-loop');
    await loop.getByText('您反映的诉求已办结，请点击链接评价办理结果').waitFor();
    await loop.getByText(/劳动者评价（联络员记录）：满意/).waitFor();
    const text = await loop.textContent();
    expect(text).toContain('139****8888');
    expect(text).toMatch(/问题是否解决：已解决/);
    expect(await page.content()).not.toMatch(/\/feedback\/|13977778888/);
    await captureBoth(page, 'phone-05-worker-loop');
  } finally {
    await browser.close();
  }
}, 60_000);

it('five wrong PINs forget the kept token: the token is asked for again, also after a restart', async () => {
  const phone = mkdtempSync(path.join(tmpdir(), 'phone-profile-'));
  let { context, page } = await openPhone(phone);
  await page.goto('/');
  await page.getByLabel('登录令牌').fill(d.liaison.token);
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByLabel('PIN 码（4–6 位数字）').fill(PIN);
  await page.getByLabel('再次输入 PIN 码').fill(PIN);
  await page.getByRole('button', { name: '设置 PIN' }).click();
  await page.locator('#toast').getByText('已设置').waitFor();
  await context.close();

  // Online, two wrong PINs then the right one: signed in, and the count starts again.
  ({ context, page } = await openPhone(phone));
  await page.goto('/');
  for (const left of [4, 3]) {
    await page.getByLabel('PIN 码（4–6 位数字）').fill('0000');
    await page.getByRole('button', { name: '解锁' }).click();
    await page.getByText(`PIN 码错误，还可尝试 ${left} 次`).waitFor();
  }
  await page.getByLabel('PIN 码（4–6 位数字）').fill(PIN);
  await page.getByRole('button', { name: '解锁' }).click();
  await page.getByRole('button', { name: '退出' }).waitFor();
  await context.close();

  ({ context, page } = await openPhone(phone));
  await page.goto('/');
  await page.getByRole('heading', { name: '输入 PIN 码继续' }).waitFor();
  for (let left = 4; left >= 1; left--) {
    await page.getByLabel('PIN 码（4–6 位数字）').fill('0000');
    await page.getByRole('button', { name: '解锁' }).click();
    await page.getByText(`PIN 码错误，还可尝试 ${left} 次`).waitFor();
  }
  await captureBoth(page, 'phone-06-pin-wrong');
  await page.getByLabel('PIN 码（4–6 位数字）').fill('0000');
  await page.getByRole('button', { name: '解锁' }).click();
  await page.getByLabel('登录令牌').waitFor();
  await context.close();

  ({ context, page } = await openPhone(phone));
  await page.goto('/');
  await page.getByLabel('登录令牌').waitFor();
  expect(await page.getByRole('heading', { name: '输入 PIN 码继续' }).count()).toBe(0);
  await context.close();
  rmSync(phone, { recursive: true, force: true });
}, 90_000);
