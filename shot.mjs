import { chromium } from 'playwright-core';
import { readFileSync } from 'node:fs';
const log = readFileSync('/tmp/start4.log', 'utf8');
const token = (role) => log.match(new RegExp(`\\n  ${role}\\s+(\\S+)`))[1];
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
for (const [role, width] of [['liaison', 375], ['committee', 1440], ['officer', 1440], ['convener', 1440]]) {
  const page = await browser.newPage({ viewport: { width, height: 900 } });
  page.on('pageerror', (e) => console.log(role, 'PAGE ERROR', e.message));
  page.on('console', (m) => { if (m.type() === 'error') console.log(role, 'console', m.text()); });
  await page.goto('http://127.0.0.1:3000/');
  await page.fill('input[name=token]', token(role));
  await page.click('button:has-text("登录")');
  await page.waitForTimeout(2000);
  await page.screenshot({ path: `/tmp/shot-${role}.png`, fullPage: false });
}
await browser.close();
