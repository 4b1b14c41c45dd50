/**
 * The browser side of the journeys: one Chromium (Debian's, via playwright-core), a context per
 * user, screenshots to tests/artifacts/, and axe-core checks injected into each page.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterEach, expect } from 'vitest';
import { startTestEngine, type TestEngine } from '../../support/harness.js';
import { aDistrict, type District } from '../../support/builders.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const ARTIFACTS = 'tests/artifacts';
export const PHONE = { width: 375, height: 812 };
export const DESKTOP = { width: 1440, height: 900 };
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`no browser at ${CHROMIUM}: apt-get install chromium (npm test's set-up does it as root), or set CHROMIUM_PATH`);
  mkdirSync(ARTIFACTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** Where and when the browser believes it is: a zone other than Beijing's, a clock fixed at an instant. */
export interface BrowserClock { timezoneId?: string; fixedTime?: Date }

// Every page a test opened is closed when it ends: a signed-in tab left open keeps its live stream
// and reloads its queue on every change that later tests make, which loads a busy CI machine.
const openContexts = new Set<BrowserContext>();
afterEach(async () => {
  await Promise.all([...openContexts].map((c) => c.close().catch(() => undefined)));
  openContexts.clear();
});

export async function newPage(browser: Browser, base: string, viewport = DESKTOP, clock: BrowserClock = {}): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport, acceptDownloads: true, baseURL: base, serviceWorkers: 'allow', locale: 'zh-CN', timezoneId: clock.timezoneId ?? 'Asia/Shanghai' });
  openContexts.add(context);
  context.on('close', () => openContexts.delete(context));
  const page = await context.newPage();
  if (clock.fixedTime) await page.clock.setFixedTime(clock.fixedTime);
  page.on('pageerror', (e) => { throw e; });
  if (process.env.E2E_CONSOLE) page.on('console', (m) => process.stdout.write(`[browser] ${m.text()} ${JSON.stringify(m.location())}\n`));
  return { context, page };
}

export async function signIn(browser: Browser, base: string, token: string, viewport = DESKTOP, clock: BrowserClock = {}): Promise<Page> {
  const { page } = await newPage(browser, base, viewport, clock);
  await page.goto('/');
  if (process.env.E2E_CONSOLE) { await page.waitForTimeout(2000); process.stdout.write(await page.content()); }
  await page.getByLabel('登录令牌').fill(token);
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByRole('button', { name: '退出' }).waitFor();
  return page;
}

/** Every serious or critical axe violation on the page, as readable lines (expected: none). */
export async function expectAccessible(page: Page, name: string) {
  // Evaluated by the debugger protocol, so the page's strict CSP (no inline script) stays on.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document, o: object): Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
  });
  expect(violations, `axe on ${name}`).toEqual([]);
}

/** A full-page screenshot under tests/artifacts/, and the axe check of what it shows. */
export async function capture(page: Page, name: string) {
  await page.screenshot({ path: `${ARTIFACTS}/${name}.png`, fullPage: true });
  await expectAccessible(page, name);
}

/** Sends one action through the case page's form (the button opens it; the form's button sends it). */
export async function act(page: Page, caseId: string, action: string, fill: Record<string, string> = {}) {
  await page.goto(`/#/case/${caseId}`);
  await page.reload(); // the page may show this case as it was before others acted
  await page.getByRole('button', { name: action, exact: true }).first().click();
  const form = page.locator('form.action-form');
  for (const [name, value] of Object.entries(fill)) {
    const control = form.locator(`[name="${name}"]`);
    if ((await control.evaluate((el) => el.tagName)) === 'SELECT') await control.selectOption(value);
    else await control.fill(value);
  }
  await form.getByRole('button', { name: action, exact: true }).click();
  await page.locator('#toast').getByText('已完成').waitFor();
}

/** Both sizes of one page: a screenshot and an axe check at 1440 px and at 375 px (cards instead of tables). */
export async function captureBoth(page: Page, name: string) {
  const before = page.viewportSize() ?? DESKTOP;
  for (const [size, viewport] of [['1440', DESKTOP], ['375', PHONE]] as const) {
    await page.setViewportSize(viewport);
    // Charts and wrapped text settle after a resize; a page that still does not fit fails here.
    await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth), { message: `${name} fits ${size} px` })
      .toBeLessThanOrEqual(viewport.width);
    await capture(page, `${name}-${size}`);
  }
  await page.setViewportSize(before);
}

/** The JS a page loaded, as the server sends it compressed (brotli), in bytes. */
export async function compressedScriptBytes(page: Page, fetchCompressed: (path: string) => Promise<number>): Promise<number> {
  const scripts = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name).filter((n) => n.endsWith('.js')));
  const sizes = await Promise.all([...new Set(scripts)].map((url) => fetchCompressed(new URL(url).pathname)));
  return sizes.reduce((a, b) => a + b, 0);
}

/** What an e2e file shares: a test engine, its district, the server listening on a free port, and a browser. */
export interface BrowserSuite { engine: TestEngine; d: District; base: string; browser: Browser }

export async function startBrowserSuite(options: Parameters<typeof startTestEngine>[0] = {}): Promise<BrowserSuite> {
  const engine = await startTestEngine(options);
  const d = await aDistrict(engine.app);
  const base = await engine.app.listen({ port: 0, host: '127.0.0.1' });
  return { engine, d, base, browser: await launchBrowser() };
}

export async function stopBrowserSuite(suite: Partial<BrowserSuite>): Promise<void> {
  await suite.browser?.close();
  await suite.engine?.close();
}
