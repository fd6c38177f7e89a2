// In headless Chromium: on a server whose audit chain was rewritten, the administrator sees a
// red banner on every screen; a role without audit.read does not.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { newDatabase, startServer } from '../lib/server.mjs';
import { launchChromium, signInPage, shots } from '../lib/browser.mjs';
import { rewriteEntry } from '../lib/audit_tamper.mjs';

let store, server, browser;

before(async () => {
  store = newDatabase();
  const first = await startServer(store.db);  // a few entries to rewrite: server.start, .stop
  await first.stop();
  rewriteEntry(store.db, 2, 'mallory');
  server = await startServer(store.db);
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await server.stop();
  store.cleanup();
});

test('the administrator is told that the audit chain is broken', async () => {
  const page = await signInPage(browser, server.url, 'admin');
  const alert = page.getByTestId('audit-alert');
  await alert.waitFor();
  assert.match(await alert.innerText(), /审计日志校验失败：第 2 条/);
  await page.getByTestId('nav-sites').click();
  await alert.waitFor();
  if (shots) await page.screenshot({ path: join(shots, 'audit-alert-admin.png'), fullPage: true });
  await page.close();
});

test('a technologist sees no audit banner', async () => {
  const page = await signInPage(browser, server.url, 'tech');
  await page.getByTestId('home-page').waitFor();
  assert.equal(await page.getByTestId('audit-alert').count(), 0);
  await page.close();
});
