// In headless Chromium: the administrator keeps the ordering departments (申请科室) — a new one
// with its HIS code, then flagged as an emergency department — and the list shows them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { signedIn } from '../lib/server.mjs';
import { browserSuite } from '../lib/browser.mjs';

const suite = browserSuite();

test('the administrator adds a department and flags it as emergency', async () => {
  const page = await suite.signIn('admin');
  await page.getByTestId('nav-departments').click();
  const table = page.getByTestId('department-table');
  await table.locator('.el-table__row').filter({ hasText: '急诊科' }).first().waitFor();
  assert.match(await table.innerText(), /急诊科[\s\S]*急诊/, 'the demo emergency department is flagged');

  await page.getByTestId('department-create').click();
  const dialog = page.getByTestId('department-dialog');
  await dialog.locator('.el-select').first().click();
  await page.locator('.el-select-dropdown__item:visible').first().click();
  await page.getByTestId('department-code').fill('D901');
  await page.getByTestId('department-name').fill('发热门诊');
  await page.getByTestId('department-his-code').fill('HIS-FR');
  await page.getByTestId('department-save').click();
  const row = table.locator('.el-table__row').filter({ hasText: '发热门诊' });
  await row.waitFor();
  assert.match(await row.innerText(), /D901[\s\S]*HIS-FR/);

  await page.getByTestId('department-edit-D901').click();
  await page.getByTestId('department-emergency').click();
  await page.getByTestId('department-save').click();
  await row.filter({ hasText: '急诊' }).waitFor();

  const admin = await signedIn(suite.server.url, 'admin');
  const made = (await admin.get('/api/v1/departments?q=发热')).body.items.find((d) => d.code === 'D901');
  assert.equal(made.emergency, true);
  assert.equal(made.his_code, 'HIS-FR');
  await page.context().close();
});
