// In headless Chromium: the patient list opens at the newest registrations with its count and
// masked numbers, the last four digits find a patient, and the exam list sorts by a column
// through the server (issue 14 item 10).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { browserSuite } from '../lib/browser.mjs';
import { signedIn } from '../lib/server.mjs';

const suite = browserSuite();

test('the patient list starts at the newest, masked, counted; the last four digits find one', async () => {
  const tech = await signedIn(suite.server.url, 'tech');
  const r = await tech.post('/api/v1/patients', {
    name: '列表尾号', sex: 'F', birth_date: '1985-04-12', phone: '13957106283', documents: [{ type: 'resident_id', number: '33010619850412002X' }],
  });
  assert.equal(r.status, 201, r.text);
  const page = await suite.signIn('tech');
  await page.getByTestId('nav-patients').click();
  const table = page.getByTestId('patient-table');
  const first = table.locator('.el-table__body tr').first();
  await first.getByText('列表尾号').waitFor();
  assert.match(await first.innerText(), /\*{14}002X[\s\S]*139\*{4}6283/);
  assert.match(await page.getByTestId('list-total').innerText(), /^共 \d+ 条$/);

  await page.getByTestId('patient-search').fill('6283');
  await page.getByTestId('patient-search-submit').click();
  await table.getByText('列表尾号').waitFor();
  assert.ok((await table.locator('.el-table__body tr').count()) >= 1);
  await page.close();
});

test('clicking 预约时间 sorts the exam list on the server, every page in that order', async () => {
  const page = await suite.signIn('tech');
  await page.getByTestId('nav-exams').click();
  await page.getByTestId('exam-table').locator('.el-table__body tr').first().waitFor();
  const request = page.waitForRequest((req) => req.url().includes('/api/v1/exams?') && req.url().includes('sort=appointment_at'));
  await page.getByTestId('exam-table').locator('th').filter({ hasText: '预约时间' }).click();
  await request;
  await page.close();
});
