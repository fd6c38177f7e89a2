// In headless Chromium, a safety event (医疗安全不良事件) from report to closing: a nurse reports a
// fall (class III) and gets its number without seeing the list; the safety officer finds it,
// moves it on one step at a time, is refused the closing while the written report is missing,
// writes it and closes; the steps show each move. An inspector reads it but may not act.
// An acquisition record with an extravasation names the event it opened; a QC officer finds it
// from the home page's safety panel and from the exam page, while a technologist never asks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { signedIn } from '../lib/server.mjs';
import { browserSuite, shots } from '../lib/browser.mjs';

const DESCRIPTION = '患者检查结束后起身时从检查床滑落，臀部着地，当即查看无明显外伤';

const suite = browserSuite();

const { signIn } = suite;

async function choose(page, selectId, optionId) {
  await page.getByTestId(selectId).click();
  const option = page.getByTestId(optionId);
  await option.waitFor({ state: 'visible' });
  await option.click();
}

// The drawer's next-step button, its dialog saved with `note`; resolves once the state shows.
async function step(page, to, label, stateText, note = '') {
  const next = page.getByTestId('safety-next');
  assert.equal(await next.getAttribute('data-to'), to);
  assert.match(await next.innerText(), new RegExp(label));
  await next.click();
  const dialog = page.getByTestId('safety-action-dialog');
  await dialog.waitFor();
  assert.equal(await page.getByTestId('safety-close-needs').count(), 0, 'nothing missing for this step');
  if (note) await page.getByTestId('safety-action-note').fill(note);
  await page.getByTestId('safety-action-save').click();
  await page.getByTestId('safety-drawer-state').filter({ hasText: stateText }).waitFor();
  await dialog.waitFor({ state: 'hidden' });
}

test('report a fall, handle it step by step and close it with its written report', async () => {
  // --- the nurse reports; she may not read the list ------------------------------------------
  const nurse = await signIn('nurse');
  await nurse.getByTestId('nav-safety').click();
  await nurse.getByTestId('safety-report-only').waitFor();
  assert.equal(await nurse.getByTestId('safety-table').count(), 0, 'safety.report alone shows no list');
  await nurse.getByTestId('safety-report').click();
  await nurse.getByTestId('safety-dialog').waitFor();
  // Description is required before anything is sent.
  await nurse.getByTestId('safety-save').click();
  await nurse.getByTestId('safety-dialog').getByText('请填写事件经过').waitFor();
  await choose(nurse, 'safety-type', 'safety-type-fall');
  await choose(nurse, 'safety-class', 'safety-class-III');
  assert.match(await nurse.getByTestId('safety-class-hint').innerText(), /未造成损害/);
  await nurse.getByTestId('safety-place').fill('CT2检查室');
  await nurse.getByTestId('safety-people').fill('护士 王某；技师 李某');
  await nurse.getByTestId('safety-description').fill(DESCRIPTION);
  await nurse.getByTestId('safety-immediate').fill('扶起患者，通知医师查看，测生命体征');
  await nurse.getByTestId('safety-save').click();
  const reported = nurse.getByTestId('safety-reported');
  await reported.waitFor();
  await nurse.getByTestId('safety-dialog').waitFor({ state: 'hidden' });
  const eventNo = await reported.getAttribute('data-event-no');
  const eventId = await reported.getAttribute('data-event-id');
  assert.match(eventNo, /^SE\d{8}\d+$/);
  assert.match(await reported.innerText(), new RegExp(`已上报.*${eventNo}`));
  if (shots) await nurse.screenshot({ path: join(shots, 'safety-reported.png'), fullPage: true });
  await nurse.context().close();

  // --- an inspector reads it through the link the acquisition alert uses, with no actions ----
  const inspector = await signIn('inspector');
  assert.equal(await inspector.getByTestId('nav-safety').count(), 1);
  await inspector.goto(`${suite.server.url}/safety-events?id=${eventId}`);
  await inspector.getByTestId('safety-drawer-state').filter({ hasText: '已上报' }).waitFor();
  assert.match(await inspector.getByTestId('safety-drawer').innerText(), new RegExp(eventNo));
  for (const id of ['safety-next', 'safety-written-report', 'safety-reclassify', 'safety-report']) {
    assert.equal(await inspector.getByTestId(id).count(), 0, `${id} not shown to an inspector`);
  }
  await inspector.context().close();

  // --- the safety officer finds it in the list -----------------------------------------------
  // The safety officer reads events, not patients (spec: domain.md §0): the name stays hidden.
  const officer = await signIn('safety');
  await officer.getByTestId('nav-safety').click();
  const link = officer.getByTestId(`safety-row-${eventNo}`);
  await link.waitFor();
  const row = officer.locator('.el-table__row').filter({ has: link });
  assert.match(await row.innerText(), /跌倒\/坠床[\s\S]*III 未造成后果[\s\S]*已上报/);
  await link.click();

  const drawer = officer.getByTestId('safety-drawer');
  await drawer.getByTestId('safety-drawer-state').filter({ hasText: '已上报' }).waitFor();
  const fields = await drawer.getByTestId('safety-fields').innerText();
  assert.match(fields, new RegExp(DESCRIPTION));
  assert.match(fields, /CT2检查室[\s\S]*III级 未造成后果事件|III级 未造成后果事件[\s\S]*CT2检查室/);
  assert.doesNotMatch(fields, /匿名/, 'a named report keeps its reporter');
  // A fall has the acknowledgment and written-report clocks, no complaint feedback.
  assert.equal(await drawer.getByTestId('safety-deadline-acknowledgment').getAttribute('data-done'), 'false');
  assert.equal(await drawer.getByTestId('safety-deadline-written_report').getAttribute('data-done'), 'false');
  assert.equal(await drawer.getByTestId('safety-deadline-feedback').count(), 0);
  assert.equal(await drawer.getByTestId('safety-feedback').count(), 0, 'feedback is for complaints only');

  await step(officer, 'acknowledged', '确认', '已确认', '已接报，安排调查');
  assert.equal(await drawer.getByTestId('safety-deadline-acknowledgment').getAttribute('data-done'), 'true');
  await step(officer, 'investigating', '开始调查', '调查中');
  await step(officer, 'actions', '制定措施', '整改中', '检查床旁加装扶手，离床时专人搀扶');

  // --- closing without the written report is refused by the server ---------------------------
  await officer.getByTestId('safety-next').click();
  const dialog = officer.getByTestId('safety-action-dialog');
  await dialog.waitFor();
  assert.match(await dialog.innerText(), /结案/);
  assert.match(await officer.getByTestId('safety-close-needs').innerText(), /结案前须提交书面报告/);
  // The conclusion is required on the form before the server is asked.
  await officer.getByTestId('safety-action-save').click();
  await dialog.getByText('结案须填写结论').waitFor();
  await officer.getByTestId('safety-action-note').fill('原因明确，整改落实');
  await officer.getByTestId('safety-action-save').click();
  const refusal = dialog.locator('.form-errors');
  await refusal.waitFor();
  const refusalText = await refusal.innerText();
  // 409 conflict, worded from the server's key, in Chinese only (issue 14 item 1).
  assert.match(refusalText, /与已有记录冲突[\s\S]*结案前须提交书面报告/, refusalText);
  assert.ok(!/written|report|missing/i.test(refusalText), refusalText);
  if (shots) await officer.screenshot({ path: join(shots, 'safety-close-refused.png'), fullPage: true });
  await dialog.getByRole('button', { name: '取消' }).click();
  await dialog.waitFor({ state: 'hidden' });
  assert.match(await drawer.getByTestId('safety-drawer-state').innerText(), /整改中/);

  // --- the written report, then the closing --------------------------------------------------
  const report = '经过：患者检查后自行起身滑落。原因：检查床无扶手（机），离床未搀扶（法）。措施：加装扶手，离床专人搀扶。';
  await officer.getByTestId('safety-written-report').click();
  await dialog.waitFor();
  await officer.getByTestId('safety-action-text').fill(report);
  await officer.getByTestId('safety-action-save').click();
  await dialog.waitFor({ state: 'hidden' });
  await drawer.getByTestId('safety-written-text').filter({ hasText: '加装扶手' }).waitFor();
  assert.equal(await drawer.getByTestId('safety-deadline-written_report').getAttribute('data-done'), 'true');

  await step(officer, 'closed', '结案', '已结案', '原因明确，整改落实，结案');
  assert.equal(await drawer.getByTestId('safety-next').count(), 0, 'a closed event has no next step');
  assert.equal(await drawer.getByTestId('safety-written-report').count(), 0);

  // The steps: reported, four moves and the written report, each with who and when.
  const steps = await drawer.locator('[data-testid^="safety-step-"]').evaluateAll((els) =>
    els.map((e) => ({ kind: e.dataset.testid.slice(12), to: e.dataset.to, text: e.innerText })));
  assert.equal(steps[0]?.kind, 'reported', JSON.stringify(steps));
  assert.deepEqual(steps.filter((s) => s.kind === 'transition').map((s) => s.to),
    ['acknowledged', 'investigating', 'actions', 'closed'], JSON.stringify(steps));
  const written = steps.find((s) => s.kind === 'written_report');
  assert.ok(written, JSON.stringify(steps));
  assert.ok(steps.indexOf(written) < steps.findIndex((s) => s.to === 'closed'), 'written before closing');
  assert.match(written.text, /加装扶手/);
  const timeline = await drawer.getByTestId('safety-steps').innerText();
  assert.match(timeline, /已上报 → 已确认[\s\S]*已确认 → 调查中[\s\S]*调查中 → 整改中[\s\S]*整改中 → 已结案/);
  assert.match(timeline, /原因明确，整改落实，结案/);
  if (shots) await officer.screenshot({ path: join(shots, 'safety-closed.png'), fullPage: true });

  // The list row follows the drawer.
  await officer.keyboard.press('Escape');
  await row.getByTestId('safety-row-state').filter({ hasText: '已结案' }).waitFor();
  await officer.context().close();
});

test('an extravasation recorded on the exam page opens a safety event', async () => {
  // An exam in progress, made through the API: the screens for it have their own test.
  const [tech, clinician] = await Promise.all([signedIn(suite.server.url, 'tech'), signedIn(suite.server.url, 'clinician')]);
  const patient = (await tech.post('/api/v1/patients', { name: '外渗测试', sex: 'M', birth_date: '1960-01-01' })).body;
  const item = (await tech.get('/api/v1/catalogue?modality=CT')).body.items.find((i) => i.code === 'CT003');
  let exam = (await clinician.post('/api/v1/orders', {
    patient_id: patient.id, item_id: item.id, ordering_department_id: 1, ordering_physician: '赵医生',
    clinical_history: '腹痛2小时', clinical_question: '排除穿孔', patient_class: 'emergency', priority: 'emergency',
  })).body;
  exam = (await tech.post(`/api/v1/exams/${exam.id}/transitions`, { to: 'arrived', version: exam.version })).body;
  const screening = await tech.put(`/api/v1/exams/${exam.id}/screening`, {
    version: 0, shielding: { used: true },
    consents: [{ type: 'contrast', signer_name: '外渗测试', signer_relation: 'patient', signed_at: new Date().toISOString() }],
  });
  assert.deepEqual(screening.body.open_gates, [], JSON.stringify(screening.body));
  const started = await tech.post(`/api/v1/exams/${exam.id}/transitions`, { to: 'in_progress', version: exam.version });
  assert.equal(started.status, 200, started.text);

  const page = await signIn('tech');
  // Without safety.read neither the home panel nor the exam's event list asks the server.
  const safetyReads = [];
  page.on('request', (r) => {
    if (r.method() === 'GET' && new URL(r.url()).pathname.startsWith('/api/v1/safety-events')) safetyReads.push(r.url());
  });
  await page.goto(`${suite.server.url}/`);
  // The alerts table renders once the home answer is in; the live-update stream keeps the network
  // busy, so waiting for network idle is not a signal.
  await page.getByTestId('home-alerts').waitFor();
  assert.equal(await page.getByTestId('home-safety').count(), 0, 'no safety panel without safety.read');
  await page.goto(`${suite.server.url}/exams/${exam.id}`);
  await page.locator('#tab-acquisition').click();
  await page.getByTestId('acq-device').fill('CT-01');
  await page.getByTestId('acq-contrast').click();
  // The form item whose label is exactly `label` (对比剂 is also part of 静脉注射对比剂).
  const item_ = (label) => page.getByTestId('acquisition-panel').locator('.el-form-item')
    .filter({ has: page.locator('.el-form-item__label', { hasText: new RegExp(`^${label.replace(/[()]/g, '\\$&')}$`) }) });
  await item_('对比剂').locator('input').fill('碘海醇');
  await item_('批号').locator('input').fill('L2026');
  await item_('用量 (mL)').locator('input').fill('80');
  await item_('注射部位').locator('input').fill('右肘');
  await page.getByTestId('acq-extravasation').click();
  await item_('外渗量 (mL)').locator('input').fill('10');
  await item_('部位').locator('input').fill('右肘');
  await item_('症状').locator('input').fill('局部肿胀');
  await item_('处理').locator('input').fill('冷敷，抬高患肢');
  await page.getByTestId('acq-save').click();
  const alert = page.getByTestId('acq-safety-event');
  await alert.waitFor();
  const eventNo = /已自动上报安全不良事件\s*(SE\d+)/.exec(await alert.innerText())?.[1];
  assert.ok(eventNo, await alert.innerText());
  assert.equal(await alert.locator('a').count(), 0, 'no link for a technologist, who cannot read events');
  assert.equal(await page.getByTestId('exam-safety-events').count(), 0, 'no event list without safety.read');
  assert.deepEqual(safetyReads, []);
  await page.context().close();

  const officer = await signIn('safety');
  await officer.getByTestId('nav-safety').click();
  const link = officer.getByTestId(`safety-row-${eventNo}`);
  await link.waitFor();
  const row = officer.locator('.el-table__row').filter({ has: link });
  assert.match(await row.innerText(), new RegExp(`对比剂外渗[\\s\\S]*已上报[\\s\\S]*患者信息不可见[\\s\\S]*${exam.accession_no}`));
  await link.click();
  const fields = officer.getByTestId('safety-fields');
  await fields.waitFor();
  assert.match(await fields.innerText(), /检查记录自动生成/);
  assert.match(await fields.innerText(), new RegExp(exam.accession_no));
  await officer.context().close();

  // --- the QC officer: the home panel's figures are the server's, and the exam names it -------
  const qcApi = await signedIn(suite.server.url, 'qc');
  const summary = (await qcApi.get('/api/v1/safety-events/summary')).body;
  assert.ok(summary.open >= 1, JSON.stringify(summary));
  const qc = await signIn('qc');
  const panel = qc.getByTestId('home-safety');
  const openCount = panel.getByTestId('home-safety-open');
  await openCount.waitFor();
  assert.equal(Number(await openCount.innerText()), summary.open);
  assert.equal(Number(await panel.getByTestId('home-safety-overdue').innerText()), summary.overdue_events);
  for (const k of ['acknowledgment', 'written_report', 'feedback']) {
    assert.equal(Number(await panel.getByTestId(`home-safety-overdue-${k}`).innerText()), summary.overdue_by_deadline[k], k);
  }
  const panelText = await panel.innerText();
  assert.match(panelText, /未结案[\s\S]*超时事件[\s\S]*确认超时[\s\S]*书面报告超时[\s\S]*反馈超时/);
  assert.equal(await panel.getByTestId('home-safety-row').count(), summary.most_overdue.length);
  assert.ok(summary.last_365_days_by_type.contrast_extravasation >= 1, JSON.stringify(summary));
  await panel.getByTestId('home-safety-chart').locator('canvas').waitFor();
  if (shots) await qc.screenshot({ path: join(shots, 'safety-home.png'), fullPage: true });

  await qc.goto(`${suite.server.url}/exams/${exam.id}`);
  const examEvents = qc.getByTestId('exam-safety-events');
  const entry = examEvents.getByTestId('exam-safety-event').filter({ hasText: eventNo });
  await entry.waitFor();
  assert.equal(await examEvents.getByTestId('exam-safety-event').count(), 1);
  assert.equal(await entry.getAttribute('data-event-no'), eventNo);
  assert.match(await entry.innerText(), new RegExp(`${eventNo}[\\s\\S]*对比剂外渗[\\s\\S]*已上报`));
  await entry.getByRole('link', { name: eventNo }).click();
  await qc.waitForURL(/\/safety-events\?id=\d+/);
  const qcDrawer = qc.getByTestId('safety-drawer');
  await qcDrawer.getByTestId('safety-drawer-state').filter({ hasText: '已上报' }).waitFor();
  const drawerText = await qcDrawer.innerText();
  assert.match(drawerText, new RegExp(eventNo));
  assert.match(drawerText, /对比剂外渗/);
  assert.match(await qcDrawer.getByTestId('safety-fields').innerText(), new RegExp(exam.accession_no));

  // An exam with no event says so.
  let other;
  for (const e of (await qcApi.get('/api/v1/exams?limit=50')).body.items) {
    if ((await qcApi.get(`/api/v1/safety-events?exam_id=${e.id}`)).body.items.length === 0) { other = e; break; }
  }
  assert.ok(other, 'a demo exam without events');
  await qc.goto(`${suite.server.url}/exams/${other.id}`);
  await qc.getByTestId('exam-safety-events').getByTestId('exam-safety-none').filter({ hasText: '本检查无安全不良事件' }).waitFor();
  assert.equal(await qc.getByTestId('exam-safety-event').count(), 0);
  await qc.context().close();
});

test('the home panel lists overdue events and keeps a failed summary to itself', async () => {
  // The server's clock cannot be moved, so a class II fall reported three days ago and never
  // acknowledged is written straight into the database file.
  const old = (Date.now() - 3 * 864e5) * 1000;
  execFileSync('sqlite3', [suite.store.db,
    `INSERT INTO safety_events (site_id, event_no, type, severity_class, occurred_at, reported_at, description)
     VALUES (1, 'SE00000000777', 'fall', 'II', ${old}, ${old}, '夜间患者坠床，未及时上报处理')`]);
  const qcApi = await signedIn(suite.server.url, 'qc');
  const summary = (await qcApi.get('/api/v1/safety-events/summary')).body;
  const late = summary.most_overdue.find((x) => x.event_no === 'SE00000000777');
  assert.ok(late, 'the late event is in the summary');
  const qc = await signIn('qc');
  await qc.goto(`${suite.server.url}/`);
  const panel = qc.getByTestId('home-safety');
  const row = panel.locator('[data-testid="home-safety-row"][data-event-no="SE00000000777"]');
  await row.waitFor();
  assert.equal(await panel.getByTestId('home-safety-row').count(), summary.most_overdue.length);
  assert.match(await row.innerText(), /SE00000000777[\s\S]*确认超时[\s\S]*书面报告超时/);
  const overdue = panel.getByTestId('home-safety-overdue');
  assert.equal(await overdue.innerText(), String(summary.overdue_events));
  const red = (loc) => loc.evaluate((e) => getComputedStyle(e).color);
  assert.equal(await red(overdue), await red(panel.getByTestId('home-safety-overdue-acknowledgment')));
  assert.notEqual(await red(overdue), await red(panel.getByTestId('home-safety-open')), 'overdue shows in red');
  await row.click();
  await qc.waitForURL(new RegExp(`/safety-events\\?id=${late.id}$`));
  await qc.getByTestId('safety-drawer').filter({ hasText: 'SE00000000777' }).waitFor();

  // A failing summary says so inside the panel; the rest of the home page still shows.
  await qc.route('**/api/v1/safety-events/summary', (route) => route.fulfill({
    status: 500, contentType: 'application/json', body: JSON.stringify({ error: { code: 'internal', message: 'internal' } }),
  }));
  await qc.goto(`${suite.server.url}/`);
  await panel.getByTestId('home-safety-error').filter({ hasText: '服务器内部错误' }).waitFor();
  assert.equal(await panel.getByTestId('home-safety-open').count(), 0);
  await qc.getByTestId('home-alerts').waitFor();
  await qc.context().close();
});
