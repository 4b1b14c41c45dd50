/**
 * The clerk's workbench in a real browser (issue 22, item 2): a committee clerk with 60 cases
 * waiting selects 50 by keyboard, accepts them in bulk (the page says how many succeeded; the time
 * is printed for the README), assigns 10 to a colleague, reads the workload panel, accepts one more
 * with `a`, downloads the view as CSV, and finds a saved view again after a reload. Screenshots at
 * 1440 and 375 px in tests/artifacts/, each with an axe check (0 serious or critical).
 */
import { readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { TestEngine } from '../support/harness.js';
import { aCase, client, type District } from '../support/builders.js';
import { DESKTOP, capture, captureBoth, signIn, startBrowserSuite, stopBrowserSuite } from './support/browser.js';

let engine: TestEngine;
let d: District;
let base: string;
let browser: Browser;
let colleague: { id: string; name: string };

beforeAll(async () => {
  ({ engine, d, base, browser } = await startBrowserSuite());
  const made = await d.admin.post('/api/v1/users', { name: '美团二号专员', orgId: d.orgs.meituan, role: 'committee' });
  colleague = { id: made.body.id, name: made.body.name };
  for (let batch = 0; batch < 6; batch++) {
    await Promise.all(Array.from({ length: 10 }, () => aCase(d, [['liaison', { action: 'forward' }]])));
  }
}, 120_000);
afterAll(() => stopBrowserSuite({ engine, browser }));

it('60 cases waiting: 50 selected and accepted by keyboard, 10 assigned to a colleague, the workload, one more accepted with a, CSV, a saved view after a reload', async () => {
  const page = await signIn(browser, base, d.meituan.token, DESKTOP);
  const rows = page.locator('.queue-table tbody tr');
  await expect.poll(() => rows.count()).toBe(50);

  // Select by keyboard: j to the first row, x selects it, Shift+J selects as it moves — 50 rows.
  await page.keyboard.press('j');
  await page.keyboard.press('x');
  for (let i = 0; i < 49; i++) await page.keyboard.press('Shift+J');
  const bulk = page.locator('form.bulk');
  await bulk.getByRole('heading', { name: /已选 50 件/ }).waitFor();
  await page.keyboard.press('?');
  await page.getByRole('heading', { name: '键盘快捷键' }).waitFor();
  await captureBoth(page, 'workbench-selected');
  await page.keyboard.press('Escape');

  // Someone else accepts one of them first: that one is refused, with the reason.
  const taken = (await rows.first().locator('a').getAttribute('href'))!.split('/')[2];
  expect((await d.meituan.act(taken, { action: 'accept' })).status).toBe(200);
  const takenReference = (await d.meituan.get(`/api/v1/cases/${taken}`)).body.reference;

  // Bulk 受理: each case its own action; the page says how many succeeded and why the other was refused.
  const started = Date.now();
  await bulk.getByRole('button', { name: /受理 · 对所选 50 件执行/ }).click();
  const report = page.locator('.bulk-report');
  await report.getByText('受理：49 件成功，1 件未执行').waitFor({ timeout: 60_000 });
  const seconds = (Date.now() - started) / 1000;
  console.log(`bulk-accept of 50 cases from the page: ${seconds.toFixed(2)} s`);
  expect(await report.locator('ul.refused li').allInnerTexts()).toEqual([expect.stringMatching(new RegExp(`^${takenReference}：.*(已被他人更新|不能执行 受理)`))]);
  const accepted = (await d.meituan.get('/api/v1/cases?state=platform_handling&limit=100')).body.items;
  expect(accepted).toHaveLength(50);
  await captureBoth(page, 'workbench-bulk-report');

  // Assign 10 to the colleague, by keyboard: x on the current row, Shift+K up nine more; the action and the person chosen with keys.
  await bulk.getByRole('button', { name: '取消选择' }).click();
  await expect.poll(() => page.locator('tr.selected').count()).toBe(0);
  await page.keyboard.press('x');
  for (let i = 0; i < 9; i++) await page.keyboard.press('Shift+K');
  await bulk.getByRole('heading', { name: /已选 10 件/ }).waitFor();
  await bulk.locator('select[name="bulkAction"]').focus();
  await page.keyboard.press('End');
  expect(await bulk.locator('select[name="bulkAction"]').inputValue()).toBe('assign');
  await page.keyboard.press('Tab');
  const person = bulk.locator('select[name="userId"]');
  for (let i = 0; i < 5 && (await person.inputValue()) !== colleague.id; i++) await page.keyboard.press('ArrowDown');
  expect(await person.inputValue()).toBe(colleague.id);
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await report.getByText('分派：10 件成功，0 件未执行').waitFor({ timeout: 30_000 });
  await expect.poll(() => page.getByRole('tab', { name: /我的/ }).innerText()).toMatch(/^我的\s*0$/);
  const mine = (await client(engine.app, (await d.admin.post(`/api/v1/users/${colleague.id}/token`, {})).body.token).get('/api/v1/cases?assignee=me')).body.items;
  expect(mine).toHaveLength(10);

  // The workload panel: the colleague holds 10 open cases.
  const workload = page.locator('.workload');
  await expect.poll(async () => (await workload.locator('tr', { hasText: colleague.name }).innerText()).replace(/\s+/g, ' ')).toMatch(/美团二号专员 .*10 0/);
  await captureBoth(page, 'workbench-bulk-done');

  // Filtered to what still waits for acceptance: `a` accepts the current row.
  await page.locator('select[name="state"]').selectOption('forwarded');
  await expect.poll(() => rows.count()).toBe(10);
  await page.locator('#main').focus();
  await page.keyboard.press('j');
  await page.keyboard.press('a');
  await page.locator('#toast').getByText(/受理 · 已完成/).waitFor();
  await expect.poll(() => rows.count()).toBe(9);

  // The view as CSV: a BOM, Chinese headers, the rows shown.
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '导出 CSV' }).click()]);
  const csv = readFileSync((await file.path())!, 'utf8');
  expect(csv.charCodeAt(0)).toBe(0xfeff);
  const lines = csv.slice(1).trim().split('\r\n');
  expect(lines[0]).toBe('编号,状态,类别,摘要,平台/区域,承办单位,承办人,到期时间,是否超期');
  expect(lines).toHaveLength(10);
  const shown = await page.locator('.queue-table tbody tr td.primary').allInnerTexts();
  expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(shown.map((s) => s.trim()));
  expect(lines[1]).toContain('已转交平台待受理');

  // A saved view survives a reload (this browser, this user).
  await page.locator('input[name="filterName"]').fill('待受理');
  await page.getByRole('button', { name: '保存当前筛选' }).click();
  await page.reload();
  await page.getByRole('button', { name: '退出' }).waitFor();
  await expect.poll(() => rows.count()).toBe(50);
  await page.locator('select[name="savedFilter"]').selectOption('待受理');
  await expect.poll(() => rows.count()).toBe(9);
  expect(await page.locator('select[name="state"]').inputValue()).toBe('forwarded');
  await page.keyboard.press('/');
  expect(await page.evaluate(() => document.activeElement?.id)).toBe('queue-search');

  // Enter opens the current case; its page assigns it too (the unit's people as the choices).
  await page.locator('#main').focus();
  await page.keyboard.press('j');
  const opened = (await page.locator('.queue-table tr.current td.primary').innerText()).trim();
  await page.keyboard.press('Enter');
  await expect.poll(() => new URL(page.url()).hash).toMatch(/^#\/case\//);
  const caseId = new URL(page.url()).hash.split('/')[2];
  expect((await d.meituan.get(`/api/v1/cases/${caseId}`)).body.reference).toBe(opened);
  await page.getByRole('button', { name: '分派', exact: true }).click();
  const form = page.locator('form.action-form');
  await form.locator('select[name="userId"]').selectOption(colleague.id);
  await form.getByRole('button', { name: '分派', exact: true }).click();
  await page.locator('#toast').getByText('已完成').waitFor();
  expect((await d.meituan.get(`/api/v1/cases/${caseId}`)).body.assigneeUserId).toBe(colleague.id);
  await page.goto('/#/');
  await expect.poll(() => rows.count()).toBe(50);

  // Printed: the rows only, without the controls.
  await page.emulateMedia({ media: 'print' });
  await capture(page, 'workbench-print-1440');
  await page.emulateMedia({ media: 'screen' });
  await page.context().close();
}, 180_000);
