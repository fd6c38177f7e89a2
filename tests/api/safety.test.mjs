// Safety events through the API: reporting (also anonymously), who may see and handle them, the
// workflow one step at a time with its deadlines, and the event a recorded extravasation opens.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { newDatabase, startServer, signedIn, sql } from '../lib/server.mjs';

let store, server, nurse, safety, inspector, tech, clinician, admin;
before(async () => {
  store = newDatabase();
  server = await startServer(store.db);
  [nurse, safety, inspector, tech, clinician, admin] = await Promise.all(
    ['nurse', 'safety', 'inspector', 'tech', 'clinician', 'admin'].map((u) => signedIn(server.url, u)));
});
after(async () => {
  const { code } = await server.stop();
  assert.equal(code, 0, server.stderr);
  store.cleanup();
});

const hourAgo = () => new Date(Date.now() - 3600e3).toISOString();
const fall = (over = {}) => ({
  type: 'fall', severity_class: 'III', occurred_at: hourAgo(), place: 'CT2室',
  people_involved: '患者及陪同家属', description: '患者下检查床时跌倒，无明显外伤', immediate_action: '扶起，测血压，通知临床', ...over,
});

test('anyone but an inspector reports; bad reports are refused field by field', async () => {
  const bad = await nurse.post('/api/v1/safety-events', {
    type: 'slip', severity_class: 'V', occurred_at: new Date(Date.now() + 864e5).toISOString(), colour: 'red',
  });
  assert.equal(bad.status, 400);
  const fields = bad.body.error.fields.map((f) => `${f.field}:${f.rule}`).sort();
  assert.deepEqual(fields, ['colour:unknown_field', 'description:required', 'occurred_at:future', 'severity_class:enum', 'type:enum']);
  const wrong = await nurse.post('/api/v1/safety-events', fall({ type: 'slip', severity_class: 'V' }));
  assert.deepEqual(wrong.body.error.fields.map((f) => `${f.field}:${f.rule}`), ['type:enum', 'severity_class:enum']);
  const future = await nurse.post('/api/v1/safety-events', fall({ occurred_at: new Date(Date.now() + 864e5).toISOString() }));
  assert.deepEqual(future.body.error.fields.map((f) => `${f.field}:${f.rule}`), ['occurred_at:future']);
  assert.equal((await inspector.post('/api/v1/safety-events', fall())).status, 403);
  assert.equal((await nurse.get('/api/v1/safety-events')).status, 403, 'reporters do not read the register');

  const r = await nurse.post('/api/v1/safety-events', fall());
  assert.equal(r.status, 201, r.text);
  assert.match(r.body.event_no, /^SE\d{11}$/);
  assert.equal(r.body.state, 'reported');
  assert.equal(r.body.source, 'report');
  assert.ok(r.body.reporter.name);
  assert.deepEqual(r.body.deadlines.map((d) => d.key), ['acknowledgment', 'written_report']);
  const ack = r.body.deadlines[0];
  assert.equal(Date.parse(ack.due_at) - Date.parse(r.body.reported_at), 24 * 3600e3);
  assert.equal(Date.parse(r.body.deadlines[1].due_at) - Date.parse(r.body.reported_at), 120 * 3600e3, 'class III: 5 days');
  assert.deepEqual(r.body.steps.map((s) => s.kind), ['reported']);

  const anon = await tech.post('/api/v1/safety-events', fall({ type: 'near_miss', severity_class: 'IV', anonymous: true }));
  assert.equal(anon.status, 201, anon.text);
  assert.equal(anon.body.reporter, null);
  assert.equal(anon.body.steps[0].by.name, '', 'the step names nobody either');
  const seen = await safety.get(`/api/v1/safety-events/${anon.body.id}`);
  assert.equal(seen.body.reporter, null);
});

test('the workflow goes one step at a time; closing needs the written report and a conclusion', async () => {
  let e = (await nurse.post('/api/v1/safety-events', fall({ severity_class: 'II' }))).body;
  assert.equal(Date.parse(e.deadlines[1].due_at) - Date.parse(e.reported_at), 48 * 3600e3, 'class II: 48 h');
  const step = (to, extra = {}) => safety.post(`/api/v1/safety-events/${e.id}/transitions`, { to, version: e.version, ...extra });

  assert.equal((await nurse.post(`/api/v1/safety-events/${e.id}/transitions`, { to: 'acknowledged', version: 1 })).status, 403);
  const skip = await step('investigating');
  assert.equal(skip.status, 409);
  assert.deepEqual(skip.body.error.fields.map((f) => `${f.field}:${f.rule}`), ['state:transition']);
  assert.match(skip.body.error.message, /reported/);
  const early = await safety.post(`/api/v1/safety-events/${e.id}/written-report`, { text: '报告', version: e.version });
  assert.equal(early.status, 409);
  assert.match(early.body.error.message, /acknowledge/);

  e = (await step('acknowledged', { note: '已知悉' })).body;
  assert.equal(e.state, 'acknowledged');
  assert.ok(e.acknowledged_at);
  assert.equal(e.deadlines[0].done_at, e.acknowledged_at);
  const stale = await safety.post(`/api/v1/safety-events/${e.id}/transitions`, { to: 'investigating', version: 1 });
  assert.equal(stale.status, 409);
  assert.equal(stale.body.error.code, 'version_conflict');
  e = (await step('investigating')).body;
  e = (await step('actions', { note: '加强转运培训' })).body;
  const noReport = await step('closed', { note: '已整改' });
  assert.equal(noReport.status, 409);
  assert.deepEqual(noReport.body.error.fields.map((f) => `${f.field}:${f.rule}`), ['written_report:required']);
  const noNote = await step('closed');
  assert.deepEqual(noNote.body.error.fields.map((f) => `${f.field}:${f.rule}`), ['note:required']);
  const fb = await safety.post(`/api/v1/safety-events/${e.id}/feedback`, { text: '已反馈', version: e.version });
  assert.deepEqual(fb.body.error.fields.map((f) => `${f.field}:${f.rule}`), ['type:complaint']);

  const cls = await safety.post(`/api/v1/safety-events/${e.id}/classification`, { severity_class: 'III', reason: '复核后无伤害', version: e.version });
  assert.equal(cls.status, 200, cls.text);
  e = cls.body;
  assert.equal(e.severity_class, 'III');
  e = (await safety.post(`/api/v1/safety-events/${e.id}/written-report`, { text: '书面报告：经过、原因、整改', version: e.version })).body;
  assert.ok(e.written_report_at);
  const twice = await safety.post(`/api/v1/safety-events/${e.id}/written-report`, { text: '再写一次', version: e.version });
  assert.equal(twice.status, 409);
  assert.deepEqual(twice.body.error.fields.map((f) => `${f.field}:${f.rule}`), ['written_report:unique']);
  e = (await step('closed', { note: '整改落实，结案' })).body;
  assert.equal(e.state, 'closed');
  assert.deepEqual(e.steps.map((s) => `${s.kind}:${s.to_state}`), [
    'reported:reported', 'transition:acknowledged', 'transition:investigating', 'transition:actions',
    'classification:', 'written_report:', 'transition:closed',
  ]);
  assert.match(e.steps[4].note, /II → III: 复核后无伤害/);
  assert.equal(e.overdue.length, 0);
  assert.equal((await step('closed', { note: 'x' })).status, 409);
});

test('a complaint needs its feedback before closing', async () => {
  let e = (await nurse.post('/api/v1/safety-events', fall({ type: 'complaint', severity_class: 'IV', description: '患者投诉候诊时间过长' }))).body;
  assert.deepEqual(e.deadlines.map((d) => d.key), ['acknowledgment', 'written_report', 'feedback']);
  assert.equal(Date.parse(e.deadlines[2].due_at) - Date.parse(e.reported_at), 72 * 3600e3);
  for (const to of ['acknowledged', 'investigating', 'actions']) {
    e = (await safety.post(`/api/v1/safety-events/${e.id}/transitions`, { to, version: e.version })).body;
  }
  e = (await safety.post(`/api/v1/safety-events/${e.id}/written-report`, { text: '调查报告', version: e.version })).body;
  const closing = await safety.post(`/api/v1/safety-events/${e.id}/transitions`, { to: 'closed', note: '结案', version: e.version });
  assert.deepEqual(closing.body.error.fields.map((f) => `${f.field}:${f.rule}`), ['feedback:required']);
  e = (await safety.post(`/api/v1/safety-events/${e.id}/feedback`, { text: '已电话致歉并说明', version: e.version })).body;
  assert.ok(e.feedback_at);
  e = (await safety.post(`/api/v1/safety-events/${e.id}/transitions`, { to: 'closed', note: '结案', version: e.version })).body;
  assert.equal(e.state, 'closed');
});

test('lists filter by type, class and overdue deadlines; views are audited', async () => {
  // An event reported three days ago and never acknowledged, written straight into the file.
  const old = (Date.now() - 3 * 864e5) * 1000;
  sql(store.db,
    `INSERT INTO safety_events (site_id, event_no, type, severity_class, occurred_at, reported_at, description)
     VALUES (1, 'SE00000000999', 'equipment_failure', 'III', ${old}, ${old}, '注射器报警未处理')`);
  const overdue = await safety.get('/api/v1/safety-events?overdue=1&limit=500');
  assert.equal(overdue.status, 200);
  const late = overdue.body.items.find((x) => x.event_no === 'SE00000000999');
  assert.ok(late, 'the old event is overdue');
  assert.deepEqual(late.overdue, ['acknowledgment']);
  assert.ok(overdue.body.items.every((x) => x.overdue.length > 0), 'only overdue events');

  const summary = await safety.get('/api/v1/safety-events/summary');
  assert.equal(summary.status, 200, summary.text);
  assert.ok(summary.body.open >= summary.body.overdue_events && summary.body.overdue_events >= 1);
  assert.ok(summary.body.overdue_by_deadline.acknowledgment >= 1);
  assert.ok(summary.body.most_overdue.some((x) => x.event_no === 'SE00000000999'));
  assert.ok(summary.body.last_365_days_by_type.fall >= 1);
  assert.equal((await nurse.get('/api/v1/safety-events/summary')).status, 403);

  const falls = await inspector.get('/api/v1/safety-events?type=fall&severity_class=III&limit=500');
  assert.equal(falls.status, 200);
  assert.ok(falls.body.items.length >= 1);
  assert.ok(falls.body.items.every((x) => x.type === 'fall' && x.severity_class === 'III'));
  const page = await safety.get('/api/v1/safety-events?limit=1');
  assert.equal(page.body.items.length, 1);
  const next = await safety.get(`/api/v1/safety-events?limit=1&cursor=${page.body.next_cursor}`);
  assert.ok(next.body.items[0].id < page.body.items[0].id, 'newest first');
  assert.equal((await safety.get('/api/v1/safety-events?from=2026-02-30')).body.error.fields[0].field, 'from');

  await safety.get(`/api/v1/safety-events/${late.id}`);
  let entries = [];
  for (let i = 0; i < 30 && !entries.length; i++) {
    await new Promise((r) => setTimeout(r, 200));
    entries = (await admin.get(`/api/v1/audit?entity=safety_event&entity_id=${late.id}`)).body.items ?? [];
  }
  assert.ok(entries.some((x) => x.action === 'safety_event.view'));
});

test('a recorded extravasation opens one contrast-extravasation event for the exam', async () => {
  const p = await tech.post('/api/v1/patients', { name: '外渗测试', sex: 'M', birth_date: '1965-02-02' });
  const item = (await admin.get('/api/v1/catalogue')).body.items.find((i) => i.code === 'CT002');
  let exam = (await clinician.post('/api/v1/orders', {
    patient_id: p.body.id, item_id: item.id, ordering_department_id: 1, ordering_physician: '赵医生',
    clinical_history: '腹痛', clinical_question: '排除穿孔', patient_class: 'emergency', priority: 'emergency',
  })).body;
  exam = (await tech.post(`/api/v1/exams/${exam.id}/transitions`, { to: 'arrived', version: exam.version })).body;
  await tech.put(`/api/v1/exams/${exam.id}/screening`, { version: 0, shielding: { used: true } });
  exam = (await tech.post(`/api/v1/exams/${exam.id}/transitions`, { to: 'in_progress', version: exam.version })).body;
  assert.equal(exam.state, 'in_progress');
  const record = (version) => ({
    version, device_id: 'CT-01', protocol: '腹部增强', image_count: 600,
    contrast: { agent: '碘海醇', lot: 'L2611', volume_ml: 80, injection_site: '右肘正中静脉' },
    extravasation: { volume_ml: 15, site: '右肘', symptoms: '局部肿胀疼痛', treatment: '抬高患肢，冷敷', follow_up: '' },
  });
  const saved = await nurse.put(`/api/v1/exams/${exam.id}/acquisition`, record(0));
  assert.equal(saved.status, 200, saved.text);
  assert.match(saved.body.safety_event.event_no, /^SE/);
  // A change of the recorded acquisition needs its reason (issue 14 item 6).
  const again = await nurse.put(`/api/v1/exams/${exam.id}/acquisition`, { ...record(1), reason: '补记外渗处理' });
  assert.equal(again.body.safety_event.id, saved.body.safety_event.id, 'one event per exam');

  const listed = await safety.get(`/api/v1/safety-events?exam_id=${exam.id}`);
  assert.equal(listed.body.items.length, 1);
  const e = listed.body.items[0];
  assert.equal(e.type, 'contrast_extravasation');
  assert.equal(e.source, 'acquisition');
  assert.equal(e.patient.id, p.body.id);
  assert.equal(e.exam.accession_no, exam.accession_no);
  assert.match(e.description, /碘海醇.*L2611.*15 mL/);
  assert.equal(e.immediate_action, '抬高患肢，冷敷');
});
