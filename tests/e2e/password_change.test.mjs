// In headless Chromium: after an administrator resets a password, signing in leads to the
// password change and nothing else; once changed, the home page opens.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { signedIn } from '../lib/server.mjs';
import { PAGE_OPTIONS, browserSuite } from '../lib/browser.mjs';

const suite = browserSuite();

test('a reset password must be changed before any screen opens', async () => {
  const admin = await signedIn(suite.server.url, 'admin');
  const users = await admin.get('/api/v1/users?q=director');
  const director = users.body.items.find((u) => u.username === 'director');
  assert.equal((await admin.post(`/api/v1/users/${director.id}/password`, { new_password: 'Reset2026x' })).status, 200);

  const context = await suite.browser.newContext(PAGE_OPTIONS);
  const page = await context.newPage();
  page.setDefaultTimeout(15000);
  await page.goto(`${suite.server.url}/login`);
  await page.getByTestId('login-username').fill('director');
  await page.getByTestId('login-password').fill('Reset2026x');
  await page.getByTestId('login-submit').click();
  await page.getByTestId('password-dialog').waitFor();
  assert.equal(await page.getByTestId('must-change-password').count(), 1, 'screens stay closed');
  assert.equal(await page.getByTestId('home-page').count(), 0);
  await page.getByTestId('password-current').fill('Reset2026x');
  await page.getByTestId('password-new').fill('Changed2026x');
  await page.getByTestId('password-confirm').fill('Changed2026x');
  await page.getByTestId('password-submit').click();
  await page.getByTestId('home-page').waitFor({ timeout: 20000 });
  assert.equal(await page.getByTestId('must-change-password').count(), 0);
  await context.close();
});
