// In headless Chromium: the printed documents (issue 14 item 4) — 预约单 with the item's
// preparation, 检查申请单, 知情同意书 with the signer, 不良事件报告表 — rendered to A4 PDF by
// Chromium's print path and their text read back; the screens open them from their buttons.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { browserSuite, shots } from '../lib/browser.mjs';
import { freeSlot, signedIn } from '../lib/server.mjs';

const pdfParse = createRequire(import.meta.url)('pdf-parse/lib/pdf-parse.js');
const suite = browserSuite();
let exam, room, event;

// The records to print, made once the suite's server runs (its own before hook starts it).
let made = null;
const records = () => (made ??= make());
async function make() {
  const [tech, clinician, nurse, admin] = await Promise.all(['tech', 'clinician', 'nurse', 'admin'].map((u) => signedIn(suite.server.url, u)));
  const item = (await admin.get('/api/v1/catalogue?modality=CT')).body.items.find((i) => i.code === 'CT003');
  room = (await admin.get('/api/v1/rooms?modality=CT')).body.items.find((r) => r.code === 'R02');
  const p = (await tech.post('/api/v1/patients', {
    name: '打印患者', sex: 'F', birth_date: '1962-08-15', documents: [{ type: 'resident_id', number: '330106196208150006' }],
  })).body;
  const o = await clinician.post('/api/v1/orders', {
    patient_id: p.id, item_id: item.id, ordering_department_id: 4, ordering_physician: '赵医生',
    clinical_history: '咳嗽三周，痰中带血', clinical_question: '肺占位？', patient_class: 'outpatient', priority: 'routine',
  });
  assert.equal(o.status, 201, o.text);
  const slot = await freeSlot(tech, room.id, 2);
  const booked = await tech.post(`/api/v1/exams/${o.body.id}/booking`, { room_id: room.id, slot_start: slot.start, version: o.body.version });
  assert.equal(booked.status, 200, booked.text);
  const s = await tech.put(`/api/v1/exams/${o.body.id}/screening`, {
    version: 0, shielding: { used: true },
    consents: [{ type: 'contrast', signer_name: '打印家属', signer_relation: 'lineal_relative', relation_detail: '女儿', signed_at: new Date().toISOString() }],
  });
  assert.equal(s.status, 200, s.text);
  exam = (await tech.get(`/api/v1/exams/${o.body.id}`)).body;
  const e = await nurse.post('/api/v1/safety-events', {
    type: 'fall', severity_class: 'III', occurred_at: new Date(Date.now() - 3600e3).toISOString(), place: 'CT2室',
    people_involved: '患者及陪同家属', description: '患者下检查床时跌倒，无明显外伤', immediate_action: '扶起，测血压，通知临床',
  });
  assert.equal(e.status, 201, e.text);
  event = e.body;
}

// Chromium's PDF maps some ideographs to the CJK radicals that share their glyph in the Noto CJK
// face (食 → ⻝); the text read back is mapped back before comparing.
const RADICALS = { '⻝': '食', '⺠': '民', '⻔': '门', '⻓': '长', '⻛': '风', '⻢': '马', '⻅': '见', '⻋': '车', '⻚': '页', '⻘': '青', '⻬': '齐', '⻰': '龙', '⻥': '鱼', '⻩': '黄', '⻜': '飞', '⻨': '麦', '⻮': '齿', '⻳': '龟' };
const readBack = (text) => text.replace(/\s+/g, '').replace(/[\u2e80-\u2fdf]/g, (c) => RADICALS[c] ?? c.normalize('NFKC'));

// The document at `path` as Chromium prints it to A4, and its text.
async function printed(username, path, name) {
  const page = await suite.signIn(username);
  await page.goto(`${suite.server.url}${path}`);
  await page.locator('[data-testid="print-page"][data-ready="true"]').waitFor();
  await page.emulateMedia({ media: 'print' });
  if (shots) await page.screenshot({ path: join(shots, `print-${name}.png`), fullPage: true });
  const pdf = await page.pdf({ format: 'A4', printBackground: false, preferCSSPageSize: true });
  await page.close();
  const parsed = await pdfParse(pdf);
  return { text: readBack(parsed.text), pages: parsed.numpages };
}

test('预约单: patient, time and place, and the item\'s preparation, on one A4 page', async () => {
  await records();
  const { text, pages } = await printed('tech', `/print/appointment/${exam.id}`, 'appointment');
  assert.equal(pages, 1);
  const local = new Date(Date.parse(exam.appointment_at) + 8 * 3600e3).toISOString().slice(0, 16).replace('T', '');
  for (const words of ['检查预约单', '打印患者', exam.accession_no, '胸部CT增强', room.name, local, '检查前准备', '禁食', '肾功能', '**************0006']) {
    assert.ok(text.includes(words.replace(/\s+/g, '')), `"${words}" in ${text}`);
  }
  assert.ok(!text.includes('退出登录') && !text.includes('患者查询'), 'no navigation on paper');
});

test('检查申请单 and 知情同意书 carry the order and the signer', async () => {
  await records();
  const request = await printed('tech', `/print/request/${exam.id}`, 'request');
  for (const words of ['医学影像检查申请单', '打印患者', '咳嗽三周，痰中带血', '肺占位？', '赵医生']) {
    assert.ok(request.text.includes(words), `"${words}" in ${request.text}`);
  }
  const consent = await printed('tech', `/print/consent/${exam.id}?type=contrast`, 'consent');
  for (const words of ['碘对比剂使用知情同意书', '打印患者', '打印家属', '直系亲属（女儿）', '喉头水肿', '患者/家属签名']) {
    assert.ok(consent.text.includes(words), `"${words}" in ${consent.text}`);
  }
  assert.equal(consent.pages, 1);
});

test('不良事件报告表 of a reported event', async () => {
  await records();
  const { text } = await printed('safety', `/print/safety-event/${event.id}`, 'safety-event');
  for (const words of ['医疗安全（不良）事件报告表', event.event_no, '跌倒/坠床', '患者下检查床时跌倒，无明显外伤', 'CT2室']) {
    assert.ok(text.includes(words), `"${words}" in ${text}`);
  }
});

test('the exam page opens the request form for printing in its own tab', async () => {
  await records();
  const page = await suite.signIn('tech');
  await page.goto(`${suite.server.url}/exams/${exam.id}`);
  await page.getByTestId('exam-accession').filter({ hasText: exam.accession_no }).waitFor();
  const [popup] = await Promise.all([page.waitForEvent('popup'), page.getByTestId('print-request-form').click()]);
  await popup.waitForURL(/\/print\/request\/\d+\?print=1$/);
  await popup.locator('[data-testid="print-page"][data-ready="true"]').waitFor();
  assert.match(await popup.getByTestId('print-sheet').innerText(), /医学影像检查申请单/);
  await popup.close();
  await page.close();
});
