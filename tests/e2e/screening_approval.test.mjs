// In headless Chromium, issue 14 item 6: the technologist answers the MR safety questionnaire
// with an active implant, the gate opens; the radiologist finds the exam on 待审批 — live, without
// reloading — opens it and gives the MR clearance; the gate is closed and the exam leaves the list.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { signedIn } from '../lib/server.mjs';
import { browserSuite, shots } from '../lib/browser.mjs';

const suite = browserSuite();

test('MR questionnaire with an active implant → gate → the radiologist approves from 待审批', async () => {
  const [tech, clinician] = await Promise.all(['tech', 'clinician'].map((u) => signedIn(suite.server.url, u)));
  const patient = (await tech.post('/api/v1/patients', { name: '磁共振测试', sex: 'M', birth_date: '1962-04-04' })).body;
  const item = (await tech.get('/api/v1/catalogue?modality=MR')).body.items.find((i) => i.code === 'MR001');
  let exam = (await clinician.post('/api/v1/orders', {
    patient_id: patient.id, item_id: item.id, ordering_department_id: 1, ordering_physician: '赵医生',
    clinical_history: '头晕一周', clinical_question: '排除脑梗死', patient_class: 'emergency', priority: 'emergency',
  })).body;
  exam = (await tech.post(`/api/v1/exams/${exam.id}/transitions`, { to: 'arrived', version: exam.version })).body;

  // The radiologist has 待审批 open before anything is asked: the list starts without this exam.
  const doctor = await suite.signIn('doctor');
  await doctor.getByTestId('nav-approvals').click();
  await doctor.getByText('待审批', { exact: true }).first().waitFor();
  await doctor.getByTestId('approvals-live').filter({ hasText: '实时' }).waitFor({ timeout: 15000 });
  assert.equal(await doctor.getByTestId(`approval-exam-${exam.accession_no}`).count(), 0);

  // --- the technologist: MR screening is open until the questionnaire is answered ------------
  const page = await suite.signIn('tech');
  assert.equal(await page.getByTestId('nav-approvals').count(), 0, 'technologists do not approve');
  await page.goto(`${suite.server.url}/exams/${exam.id}`);
  await page.getByTestId('gate-mr_questionnaire').waitFor();
  assert.match(await page.getByTestId('gate-mr_questionnaire').innerText(), /MR安全筛查/);
  assert.equal(await page.getByTestId('screening-clear').count(), 0);
  await page.getByTestId('mr-active_implant-yes').click();
  for (const q of ['ferromagnetic_implant', 'metal_foreign_body', 'tattoo', 'claustrophobia', 'previous_mr']) {
    await page.getByTestId(`mr-${q}-no`).click();
  }
  await page.getByTestId('mr-implant-detail').fill('MR条件兼容起搏器（美敦力）');
  await page.getByTestId('screening-save').click();
  await page.getByTestId('gate-mr_implant').waitFor();
  assert.equal(await page.getByTestId('gate-mr_questionnaire').count(), 0);
  assert.match(await page.getByTestId('gate-mr_implant').innerText(), /诊断医师/);
  assert.equal(await page.getByTestId('gate-approve-mr_implant').count(), 0, 'no approve button for the technologist');
  if (shots) await page.screenshot({ path: join(shots, 'mr-questionnaire.png'), fullPage: true });

  // --- the radiologist: the exam appears on 待审批 by the server event -----------------------
  const link = doctor.getByTestId(`approval-exam-${exam.accession_no}`);
  await link.waitFor({ timeout: 15000 });
  assert.match(await doctor.getByTestId(`approval-gate-${exam.accession_no}-mr_implant`).innerText(), /起搏器/);
  assert.match(await doctor.getByTestId('approvals-table').innerText(), /磁共振测试/);
  if (shots) await doctor.screenshot({ path: join(shots, 'approvals.png'), fullPage: true });
  await link.click();
  await doctor.getByTestId('exam-accession').filter({ hasText: exam.accession_no }).waitFor();
  await doctor.getByTestId('gate-approve-mr_implant').click();
  await doctor.locator('.el-message-box__input input').fill('起搏器为MR条件兼容，按厂家条件1.5T扫描');
  await doctor.locator('.el-message-box__btns .el-button--primary').click();
  await doctor.getByTestId('screening-clear').waitFor();
  assert.match(await doctor.getByTestId('screening-approvals').innerText(), /MR安全许可/);

  // Closed for the technologist too, and gone from the list.
  const s = (await tech.get(`/api/v1/exams/${exam.id}/screening`)).body;
  assert.deepEqual(s.open_gates, []);
  await doctor.getByTestId('nav-approvals').click();
  await doctor.getByTestId('approvals-table').waitFor();
  await doctor.getByText('暂无待审批的检查').waitFor();
  assert.equal(await doctor.getByTestId(`approval-exam-${exam.accession_no}`).count(), 0);
});
