// In headless Chromium: the room queue opened from 预约 and from 检查列表 shows its patients at
// once (issue 14 item 5: it came up blank until 刷新), and a failed load shows the error, not an
// empty queue.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { signedIn } from '../lib/server.mjs';
import { browserSuite } from '../lib/browser.mjs';

const suite = browserSuite();
let room, exam, green;

// Once, inside the first test: browserSuite's own before() starts the server after ours would run.
let ready;
const setUp = () => (ready ??= (async () => {
  const [tech, clinician] = await Promise.all([signedIn(suite.server.url, 'tech'), signedIn(suite.server.url, 'clinician')]);
  room = (await tech.get('/api/v1/rooms?modality=CT')).body.items[0];
  const item = (await tech.get('/api/v1/catalogue?modality=CT')).body.items.find((i) => i.code === 'CT002');
  const patient = await tech.post('/api/v1/patients', { name: '队列测试', sex: 'M', birth_date: '1960-01-01' });
  exam = (await clinician.post('/api/v1/orders', {
    patient_id: patient.body.id, item_id: item.id, ordering_department_id: 4, ordering_physician: '赵医生',
    clinical_history: '胸痛', clinical_question: '主动脉夹层？', patient_class: 'emergency', priority: 'emergency',
  })).body;
  const r = await tech.post(`/api/v1/exams/${exam.id}/transitions`, { to: 'arrived', room_id: room.id, version: exam.version });
  assert.equal(r.status, 200, r.text);
  const p2 = await tech.post('/api/v1/patients', { name: '卒中倒计时', sex: 'M', birth_date: '1950-02-02' });
  green = (await clinician.post('/api/v1/orders', {
    patient_id: p2.body.id, item_id: item.id, ordering_department_id: 4, ordering_physician: '赵医生',
    clinical_history: '突发偏瘫', clinical_question: '脑梗死？', patient_class: 'emergency', priority: 'green_channel', pathway: 'stroke_cta',
  })).body;
  const g = await tech.post(`/api/v1/exams/${green.id}/transitions`, { to: 'arrived', room_id: room.id, version: green.version });
  assert.equal(g.status, 200, g.text);
})());

test('each row shows its waiting time, the green-channel countdown and the open gates; search filters', async () => {
  await setUp();
  const page = await suite.signIn('tech');
  await page.goto(`${suite.server.url}/queue?room=${room.id}`);
  await page.getByTestId(`queue-exam-${green.accession_no}`).waitFor();
  assert.match(await page.getByTestId(`queue-waited-${exam.accession_no}`).innerText(), /^\d+ 分钟$/);
  assert.match(await page.getByTestId(`queue-green-${green.accession_no}`).innerText(), /剩余 (30|29) 分钟/);
  assert.equal(await page.getByTestId(`queue-green-${exam.accession_no}`).count(), 0, 'an emergency has no pathway clock');
  assert.match(await page.getByTestId(`queue-gates-${green.accession_no}`).innerText(), /\d+ 项未通过/);
  await page.getByTestId('queue-search').fill('卒中倒计');
  await page.getByTestId(`queue-exam-${exam.accession_no}`).waitFor({ state: 'detached' });
  assert.equal(await page.getByTestId(`queue-exam-${green.accession_no}`).count(), 1);
  await page.getByTestId('queue-search').fill(exam.accession_no);
  await page.getByTestId(`queue-exam-${exam.accession_no}`).waitFor();
  assert.equal(await page.getByTestId(`queue-exam-${green.accession_no}`).count(), 0);
  await page.context().close();
});

for (const [entry, path, ready] of [['预约', '/booking', 'booking-room'], ['检查列表', '/exams', 'exam-accession']]) {
  test(`the queue opened from ${entry} shows its patients without 刷新`, async () => {
    await setUp();
    const page = await suite.signIn('tech');
    // The room chosen last time is the one the queue opens with.
    await page.goto(`${suite.server.url}/queue?room=${room.id}`);
    await page.getByTestId(`queue-exam-${exam.accession_no}`).waitFor();
    await page.goto(`${suite.server.url}${path}`);
    await page.getByTestId(ready).waitFor();
    await page.getByTestId('nav-queue').click();
    await page.getByTestId(`queue-exam-${exam.accession_no}`).waitFor();
    assert.match(await page.getByTestId('queue-waiting').innerText(), /队列测试/);
    await page.context().close();
  });
}

test('a failed load shows the error instead of an empty queue', async () => {
  await setUp();
  const page = await suite.signIn('tech');
  await page.route('**/api/v1/rooms/*/queue*', (r) => r.fulfill({
    status: 503, contentType: 'application/json',
    body: JSON.stringify({ error: { code: 'unavailable', message: 'database busy', fields: [] } }),
  }));
  await page.goto(`${suite.server.url}/queue?room=${room.id}`);
  const error = page.getByTestId('queue-error');
  await error.waitFor();
  assert.match(await error.innerText(), /检查队列加载失败/);
  assert.equal(await page.getByTestId('queue-waiting').count(), 0, 'no empty tables under the error');
  await page.unroute('**/api/v1/rooms/*/queue*');
  await page.getByTestId('queue-refresh').click();
  await page.getByTestId(`queue-exam-${exam.accession_no}`).waitFor();
  assert.equal(await error.count(), 0);
  await page.context().close();
});

test('starting a routine exam ahead of a longer-waiting emergency asks for the reason', async () => {
  const [tech, clinician] = await Promise.all([signedIn(suite.server.url, 'tech'), signedIn(suite.server.url, 'clinician')]);
  const dr = (await tech.get('/api/v1/rooms?modality=DR')).body.items[0];
  const item = (await tech.get('/api/v1/catalogue?modality=DR')).body.items[0];
  const arrive = async (name, priority) => {
    const p = await tech.post('/api/v1/patients', { name, sex: 'M', birth_date: '1970-03-03' });
    const o = (await clinician.post('/api/v1/orders', {
      patient_id: p.body.id, item_id: item.id, ordering_department_id: 4, ordering_physician: '赵医生',
      clinical_history: '外伤', clinical_question: '骨折？', patient_class: 'outpatient', priority,
    })).body;
    const r = await tech.post(`/api/v1/exams/${o.id}/transitions`, { to: 'arrived', room_id: dr.id, version: o.version });
    assert.equal(r.status, 200, r.text);
    return r.body;
  };
  await arrive('急诊先到', 'emergency');
  const routine = await arrive('常规后到', 'routine');
  assert.equal((await tech.put(`/api/v1/exams/${routine.id}/screening`, { version: 0, shielding: { used: true } })).status, 200);

  const page = await suite.signIn('tech');
  await page.goto(`${suite.server.url}/queue?room=${dr.id}`);
  await page.getByTestId(`queue-in_progress-${routine.accession_no}`).click();
  const dialog = page.locator('.queue-jump-dialog');
  await dialog.waitFor();
  assert.match(await dialog.innerText(), /已等候更久/);
  await dialog.locator('textarea').fill('急诊患者在等家属');
  await dialog.getByRole('button', { name: '开始检查' }).click();
  await page.getByTestId(`queue-in_progress-${routine.accession_no}`).waitFor({ state: 'detached' });
  const detail = (await tech.get(`/api/v1/exams/${routine.id}`)).body;
  assert.equal(detail.state, 'in_progress');
  assert.equal(detail.timeline.at(-1).detail, '急诊患者在等家属');
  await page.context().close();
});
