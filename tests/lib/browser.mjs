// Headless Chromium for the browser tests (playwright-core driving Debian's chromium): the
// flags this machine needs, and a signed-in page in a fresh context per user.
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { DEMO_PASSWORD, newDatabase, startServer } from './server.mjs';

const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
// The demo site runs on UTC+8; the browser shows times in its own zone, as in the department.
export const PAGE_OPTIONS = { locale: 'zh-CN', timezoneId: 'Asia/Shanghai', viewport: { width: 1500, height: 950 } };
/** Where to write screenshots (RADQS_SCREENSHOTS), or undefined for none. */
export const shots = process.env.RADQS_SCREENSHOTS;

// Playwright gives each launch a fresh, empty profile; background networking is off because
// this machine refuses outside connections.
export function launchChromium() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** Signs `username` in on a new page of its own context and waits for the home page. */
export async function signInPage(browser, url, username, options = PAGE_OPTIONS) {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  page.setDefaultTimeout(15000);
  await page.goto(`${url}/login`);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(DEMO_PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('home-page').waitFor({ timeout: 20000 });
  return page;
}

/**
 * What most browser test files share: a fresh demo database, the server on it and Chromium,
 * closed after the file's tests (the server must exit cleanly). Fields are filled in before().
 */
export function browserSuite() {
  const suite = {
    store: null,
    server: null,
    browser: null,
    /** A signed-in page of `username` in its own context. */
    signIn: (username) => signInPage(suite.browser, suite.server.url, username),
  };
  before(async () => {
    suite.store = newDatabase();
    suite.server = await startServer(suite.store.db);
    suite.browser = await launchChromium();
  });
  after(async () => {
    await suite.browser?.close();
    const { code } = await suite.server.stop();
    assert.equal(code, 0, suite.server.stderr);
    suite.store.cleanup();
  });
  return suite;
}
