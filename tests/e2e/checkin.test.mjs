// In headless Chromium: a bedside check-in of a critical patient records the mobile device, the
// staff distance, the shielding and the escort, and the exam page shows them.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { newDatabase, startServer, signedIn } from '../lib/server.mjs';
import { launchChromium, signInPage } from '../lib/browser.mjs';

let store, server, browser, exam;

before(async () => {
  store = newDatabase();
  server = await startServer(store.db);
  const [tech, clinician] = await Promise.all([signedIn(server.url, 'tech'), signedIn(server.url, 'clinician')]);
  const patient = await tech.post('/api/v1/patients', { name: '床旁测试', sex: 'M', birth_date: '1948-08-08' });
  const item = (await tech.get('/api/v1/catalogue?modality=DR')).body.items.find((i) => i.code === 'DR006');
  exam = (await clinician.post('/api/v1/orders', {
    patient_id: patient.body.id, item_id: item.id, ordering_department_id: 12, ordering_physician: '钱医生',
    clinical_history: '呼吸机辅助通气', clinical_question: '气管插管位置', patient_class: 'inpatient', priority: 'urgent',
  })).body;
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  const { code } = await server.stop();
  assert.equal(code, 0, server.stderr);
  store.cleanup();
});

test('bedside check-in of a critical patient', async () => {
  const page = await signInPage(browser, server.url, 'tech');
  await page.goto(`${server.url}/exams/${exam.id}`);
  await page.getByTestId('exam-arrive-detail').click();
  const dialog = page.locator('.el-dialog').filter({ hasText: '床旁/危重签到' });
  await dialog.getByTestId('exam-arrive-location').click();
  await page.getByRole('option', { name: '床旁', exact: true }).click();
  const item = (label) => dialog.locator('.el-form-item').filter({ hasText: label });
  await item('移动设备').locator('input').fill('移动DR-1');
  // No distance is pre-filled: confirming without one is refused and the exam stays ordered.
  assert.equal(await item('人员距离').locator('input').inputValue(), '');
  await item('周围人员防护').locator('input').fill('铅屏风');
  await item('危重患者').locator('.el-switch').click();
  await item('陪检医师').locator('input').fill('钱医生');
  await item('抢救药品').locator('input').fill('肾上腺素');
  await dialog.getByTestId('exam-arrive-detail-confirm').click();
  await page.locator('.el-message--error').first().waitFor({ timeout: 15000 });
  const tech = await signedIn(server.url, 'tech');
  assert.equal((await tech.get(`/api/v1/exams/${exam.id}`)).body.state, 'ordered');
  await page.getByTestId('exam-arrive-detail').click();
  await item('人员距离').locator('input').fill('2.5');
  await item('人员距离').locator('input').blur();
  await dialog.getByTestId('exam-arrive-detail-confirm').click();
  await page.getByText('移动DR-1').first().waitFor({ timeout: 15000 });
  const summary = await page.locator('.el-descriptions').first().innerText();
  assert.match(summary, /床旁.*移动DR-1.*2\.5 m.*铅屏风/s);
  assert.match(summary, /钱医生.*肾上腺素/s);
});
