// In headless Chromium (zh-CN): what the server refuses reads in Chinese only (issue 14 item 1).
// A second patient with an identity number already registered names the first patient in
// Chinese; an MR exam of a patient with a ferromagnetic implant shows its gate in Chinese, and
// the start it blocks too; a request the server never answers reads 「无法连接服务器」.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { signedIn } from '../lib/server.mjs';
import { browserSuite } from '../lib/browser.mjs';

// 110105 19800101 001 + check digit 6 (GB 11643).
const ID_NUMBER = '110105198001010016';
// English as the server words it: two Latin words in a row, or the raw field paths.
const ENGLISH = /[A-Za-z]{2,} [A-Za-z]{2,}|documents\[|Failed to fetch|screening\./;

const suite = browserSuite();

function chineseOnly(text, where) {
  assert.ok(!ENGLISH.test(text), `${where} shows English: ${JSON.stringify(text)}`);
  assert.match(text, /[\u4e00-\u9fff]/, `${where} shows Chinese`);
}

test('a duplicate identity number names the registered patient, in Chinese', async () => {
  const api = await signedIn(suite.server.url, 'tech');
  const first = await api.post('/api/v1/patients', {
    name: '韩一', sex: 'M', birth_date: '1980-01-01', documents: [{ type: 'resident_id', number: ID_NUMBER }],
  });
  assert.equal(first.status, 201, first.text);

  const tech = await suite.signIn('tech');
  await tech.getByTestId('nav-patients').click();
  await tech.getByTestId('patient-create').click();
  await tech.getByTestId('patient-dialog').waitFor();
  await tech.getByTestId('patient-name').fill('韩二');
  await tech.getByTestId('patient-doc-number-0').fill(ID_NUMBER);
  await tech.getByTestId('patient-sex-M').click();
  await tech.getByTestId('patient-save').click();
  const error = tech.getByTestId('patient-doc-0').locator('.el-form-item__error');
  await error.waitFor();
  const text = await error.innerText();
  assert.ok(text.includes(first.body.patient_no) && text.includes('韩一'), `names the first patient: ${text}`);
  chineseOnly(text.replace(first.body.patient_no, ''), 'the document conflict');
  const general = await tech.getByTestId('patient-dialog').locator('.form-errors, .el-alert').allInnerTexts();
  for (const g of general) chineseOnly(g, 'the dialog errors');
  await tech.context().close();
});

test('a screening gate and the start it blocks read in Chinese only', async () => {
  const tech = await signedIn(suite.server.url, 'tech');
  const clinician = await signedIn(suite.server.url, 'clinician');
  const patient = await tech.post('/api/v1/patients', {
    name: '钱植入', sex: 'M', birth_date: '1966-06-06', ferromagnetic_implant: true,
  });
  assert.equal(patient.status, 201, patient.text);
  const mr = (await tech.get('/api/v1/catalogue')).body.items.find((i) => i.modality === 'MR' && !i.contrast);
  const order = await clinician.post('/api/v1/orders', {
    patient_id: patient.body.id, item_id: mr.id, ordering_department_id: 1, ordering_physician: '赵医生',
    clinical_history: '头痛一周', clinical_question: '颅内占位？', patient_class: 'emergency', priority: 'emergency',
  });
  assert.equal(order.status, 201, order.text);
  const exam = order.body;
  const arrived = await tech.post(`/api/v1/exams/${exam.id}/transitions`, { to: 'arrived', version: exam.version });
  assert.equal(arrived.status, 200, arrived.text);

  const page = await suite.signIn('tech');
  await page.goto(`${suite.server.url}/exams/${exam.id}`);
  const gate = page.getByTestId('gate-mr_implant');
  await gate.waitFor();
  chineseOnly(await gate.innerText(), 'the mr_implant gate');
  chineseOnly(await page.getByTestId('screening-gates').innerText(), 'the open gates');
  await page.getByTestId('exam-start').click();
  const toast = page.locator('.el-message').first();
  await toast.waitFor();
  chineseOnly(await toast.innerText(), 'the refused start');
  await page.context().close();
});

test('a server that cannot be reached reads 「无法连接服务器」, never "Failed to fetch"', async () => {
  const page = await suite.signIn('tech');
  await page.route('**/api/v1/rejects**', (route) => route.abort('connectionrefused'));
  await page.getByTestId('nav-rejects').click();
  await page.locator('.el-message').getByText('无法连接服务器').first().waitFor();
  const body = await page.locator('body').innerText();
  assert.ok(!body.includes('Failed to fetch'), 'no browser message on screen');
  await page.context().close();
});

test('the reject dialog preselects nothing: one click names what is missing, in Chinese', async () => {
  const tech = await signedIn(suite.server.url, 'tech');
  const clinician = await signedIn(suite.server.url, 'clinician');
  const patient = await tech.post('/api/v1/patients', { name: '孙废片', sex: 'M', birth_date: '1970-07-07' });
  const ct = (await tech.get('/api/v1/catalogue')).body.items.find((i) => i.code === 'CT002');
  const order = await clinician.post('/api/v1/orders', {
    patient_id: patient.body.id, item_id: ct.id, ordering_department_id: 1, ordering_physician: '赵医生',
    clinical_history: '咳嗽', clinical_question: '肺炎？', patient_class: 'emergency', priority: 'emergency',
  });
  assert.equal(order.status, 201, order.text);
  let exam = order.body;
  exam = (await tech.post(`/api/v1/exams/${exam.id}/transitions`, { to: 'arrived', version: exam.version })).body;
  const s = await tech.put(`/api/v1/exams/${exam.id}/screening`, { version: 0, shielding: { used: true } });
  assert.equal(s.status, 200, s.text);
  const started = await tech.post(`/api/v1/exams/${exam.id}/transitions`, { to: 'in_progress', version: exam.version });
  assert.equal(started.status, 200, started.text);

  const page = await suite.signIn('tech');
  await page.goto(`${suite.server.url}/exams/${exam.id}`);
  await page.locator('#tab-rejects').click();
  await page.getByTestId('reject-add').click();
  const dialog = page.getByTestId('reject-dialog');
  await dialog.waitFor();
  assert.equal(await page.getByTestId('reject-images').locator('input').inputValue(), '', 'no count chosen');
  assert.equal(await dialog.locator('.el-radio.is-checked').count(), 0, 'repeated not answered');
  await page.getByTestId('reject-save').click();
  await dialog.getByText('请选择废片原因').waitFor();
  await dialog.getByText('请填写废片数').waitFor();
  await dialog.getByText('请选择是否已重拍').waitFor();
  assert.equal((await tech.get(`/api/v1/rejects?exam_id=${exam.id}`)).body.items.length, 0, 'nothing recorded');
  await page.context().close();
});
