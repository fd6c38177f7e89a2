// Privacy (domain.md §0, §9): patient fields only for roles with patients.read, records only for
// the user's site (another site's answer 404), and lists that show patients read-audited.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { newDatabase, startServer, signedIn, DEMO_PASSWORD } from '../lib/server.mjs';

let deptB, store, server, admin, tech, clinician, engineer, safety, qc, inspector;
let siteB, roomB, techB, clinicianB;
let exam, examB, patientA, patientB, room, eventB;

const PATIENT_KEYS = ['patient_name', 'patient_sex', 'name_pinyin', 'birth_date', 'estimated_age',
  'phone', 'documents', 'patient_no', 'outpatient_no', 'inpatient_no'];
// Every key anywhere in an answer (nested objects and lists included); a `patient` object may
// hold its id only.
function keysOf(v, out = new Set()) {
  if (Array.isArray(v)) v.forEach((x) => keysOf(x, out));
  else if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      out.add(k);
      if (k === 'patient' && x) assert.deepEqual(Object.keys(x), ['id']);
      keysOf(x, out);
    }
  }
  return out;
}
function assertNoPatientFields(body, what) {
  const keys = keysOf(body);
  for (const k of PATIENT_KEYS) assert.ok(!keys.has(k), `${what} carries ${k}: ${JSON.stringify(body).slice(0, 400)}`);
  assert.ok(!JSON.stringify(body).includes('隐私测试'), `${what} carries the patient's name`);
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function orderFor(by, patientId, departmentId = 1) {
  const item = (await admin.get('/api/v1/catalogue')).body.items.find((i) => i.modality === 'CT' && !i.contrast);
  const r = await by.post('/api/v1/orders', {
    patient_id: patientId, item_id: item.id, ordering_department_id: departmentId, ordering_physician: '赵医生',
    clinical_history: '外伤', clinical_question: '骨折?', patient_class: 'emergency', priority: 'emergency',
  });
  return r;
}
async function checkIn(by, e, roomId) {
  const r = await by.post(`/api/v1/exams/${e.id}/transitions`, { to: 'arrived', room_id: roomId, version: e.version });
  assert.equal(r.status, 200, r.text);
  return r.body;
}

before(async () => {
  store = newDatabase();
  server = await startServer(store.db);
  [admin, tech, clinician, engineer, safety, qc, inspector] = await Promise.all(
    ['admin', 'tech', 'clinician', 'engineer', 'safety', 'qc', 'inspector'].map((u) => signedIn(server.url, u)));
  // A second site with its own CT room, technologist and clinician.
  siteB = (await admin.post('/api/v1/sites', { code: 'B9', name: '第二院区', level: 'secondary', kind: 'hospital_department', beds: 100 })).body;
  assert.ok(siteB.id, JSON.stringify(siteB));
  const madeRoom = await admin.post('/api/v1/rooms', { site_id: siteB.id, code: 'CT9', name: '二院CT', modality: 'CT' });
  assert.equal(madeRoom.status, 201, madeRoom.text);
  roomB = madeRoom.body;
  // The new site's own emergency department, and the CT item offered there too.
  deptB = (await admin.post('/api/v1/departments', { site_id: siteB.id, code: 'JZ', name: '急诊科', emergency: true })).body;
  const ct = (await admin.get('/api/v1/catalogue')).body.items.find((i) => i.modality === 'CT' && !i.contrast);
  const offered = await admin.patch(`/api/v1/catalogue/${ct.id}`, { version: ct.version, site_ids: [...ct.site_ids, siteB.id] });
  assert.equal(offered.status, 200, offered.text);
  for (const [username, role] of [['techb', 'technologist'], ['clinb', 'clinician']]) {
    const u = await admin.post('/api/v1/users', {
      username, display_name: username, password: DEMO_PASSWORD, roles: [role], site_id: siteB.id, must_change_password: false,
    });
    assert.equal(u.status, 201, u.text);
  }
  [techB, clinicianB] = await Promise.all(['techb', 'clinb'].map((u) => signedIn(server.url, u)));

  patientA = (await tech.post('/api/v1/patients', { name: '隐私测试甲', sex: 'F', birth_date: '1990-05-05', phone: '13900001111' })).body;
  patientB = (await techB.post('/api/v1/patients', { name: '隐私测试乙', sex: 'M', birth_date: '1980-01-01' })).body;
  assert.equal(patientB.site_id, siteB.id);
  room = (await admin.get('/api/v1/rooms?modality=CT')).body.items.find((r) => r.site_id !== siteB.id);
  const a = await orderFor(clinician, patientA.id);
  assert.equal(a.status, 201, a.text);
  exam = await checkIn(tech, a.body, room.id);
  const b = await orderFor(clinicianB, patientB.id, deptB.id);
  assert.equal(b.status, 201, b.text);
  examB = await checkIn(techB, b.body, roomB.id);
  const ev = await techB.post('/api/v1/safety-events', {
    type: 'fall', severity_class: 'III', occurred_at: new Date().toISOString(), description: '检查床旁跌倒', exam_id: examB.id,
  });
  assert.equal(ev.status, 201, ev.text);
  eventB = ev.body;
});
after(async () => {
  const { code } = await server.stop();
  assert.equal(code, 0, server.stderr);
  store.cleanup();
});

test('without patients.read no answer carries patient fields; with it they are there', async () => {
  const list = await engineer.get(`/api/v1/exams?accession_no=${exam.accession_no}`);
  assert.equal(list.status, 200);
  assert.equal(list.body.items.length, 1);
  assert.equal(list.body.items[0].patient_id, patientA.id, 'the link stays');
  assertNoPatientFields(list.body, 'exam search');
  const detail = await engineer.get(`/api/v1/exams/${exam.id}`);
  assert.equal(detail.status, 200);
  assertNoPatientFields(detail.body, 'exam detail');
  const queue = await engineer.get(`/api/v1/rooms/${room.id}/queue`);
  assert.ok(queue.body.queue.some((q) => q.exam_id === exam.id));
  assertNoPatientFields(queue.body, 'queue');
  const screening = await engineer.get(`/api/v1/exams/${exam.id}/screening`);
  assert.equal(screening.status, 200);
  assert.ok(Array.isArray(screening.body.open_gates));
  assert.equal(screening.body.record, undefined);
  assert.ok(screening.body.open_gates.every((g) => g.message === undefined), 'gate messages name sex and age');
  assertNoPatientFields(await engineer.get(`/api/v1/exams/${exam.id}/acquisition`).then((r) => r.body), 'acquisition');
  assertNoPatientFields((await engineer.get('/api/v1/rejects')).body, 'rejects');
  // Reporting with any patient id used to answer that patient's name.
  const reported = await engineer.post('/api/v1/safety-events', {
    type: 'equipment_failure', severity_class: 'IV', occurred_at: new Date().toISOString(),
    description: 'CT 床板卡顿', patient_id: patientA.id,
  });
  assert.equal(reported.status, 201, reported.text);
  assert.deepEqual(reported.body.patient, { id: patientA.id });
  assertNoPatientFields(reported.body, 'safety report');
  // The radiation protection officer reads safety events but not patients.
  const events = await safety.get('/api/v1/safety-events');
  assert.ok(events.body.items.some((e) => e.id === reported.body.id));
  assertNoPatientFields(events.body, 'safety events');
  assertNoPatientFields((await safety.get(`/api/v1/safety-events/${reported.body.id}`)).body, 'safety event');
  assertNoPatientFields((await safety.get('/api/v1/safety-events/summary')).body, 'safety summary');

  // The technologist and the QC officer see them.
  const techList = await tech.get(`/api/v1/exams?accession_no=${exam.accession_no}`);
  assert.equal(techList.body.items[0].patient_name, '隐私测试甲');
  assert.equal(techList.body.items[0].patient_sex, 'F');
  assert.equal((await tech.get(`/api/v1/exams/${exam.id}`)).body.patient.name, '隐私测试甲');
  const techQueue = await tech.get(`/api/v1/rooms/${room.id}/queue`);
  assert.equal(techQueue.body.queue.find((q) => q.exam_id === exam.id).patient_name, '隐私测试甲');
  const techScreening = await tech.get(`/api/v1/exams/${exam.id}/screening`);
  assert.ok(techScreening.body.record);
  assert.equal((await qc.get(`/api/v1/safety-events/${reported.body.id}`)).body.patient.name, '隐私测试甲');
});

test('a user of one site neither finds nor opens nor changes another site\'s records (404)', async () => {
  // Patients
  assert.ok(!(await tech.get(`/api/v1/patients?q=${encodeURIComponent('隐私测试')}`)).body.items.some((p) => p.id === patientB.id));
  assert.ok((await techB.get(`/api/v1/patients?q=${encodeURIComponent('隐私测试')}`)).body.items.some((p) => p.id === patientB.id));
  assert.ok(!(await techB.get(`/api/v1/patients?q=${encodeURIComponent('隐私测试')}`)).body.items.some((p) => p.id === patientA.id));
  assert.equal((await tech.get(`/api/v1/patients/${patientB.id}`)).status, 404);
  assert.equal((await tech.patch(`/api/v1/patients/${patientB.id}`, { phone: '13000000000', version: 1, reason: '试' })).status, 404);
  assert.equal((await tech.post(`/api/v1/patients/${patientA.id}/merge`, { into_patient_id: patientB.id, reason: '试' })).status, 400);
  const wrongSite = await tech.post('/api/v1/patients', { name: '隐私测试丙', sex: 'M', birth_date: '1970-01-01', site_id: siteB.id });
  assert.equal(wrongSite.status, 400);
  assert.equal(wrongSite.body.error.fields[0].field, 'site_id');
  // Orders
  const order = await orderFor(clinician, patientB.id);
  assert.equal(order.status, 400);
  assert.equal(order.body.error.fields[0].field, 'patient_id');
  // Exams
  assert.ok(!(await tech.get(`/api/v1/exams?accession_no=${examB.accession_no}`)).body.items.length);
  assert.ok(!(await tech.get(`/api/v1/exams?patient_id=${patientB.id}`)).body.items.length);
  for (const path of [`/api/v1/exams/${examB.id}`, `/api/v1/exams/${examB.id}/screening`, `/api/v1/exams/${examB.id}/acquisition`,
    `/api/v1/rooms/${roomB.id}/queue`, `/api/v1/rooms/${roomB.id}/slots`, `/api/v1/rooms/${roomB.id}/slot-templates`]) {
    const r = await tech.get(path);
    assert.equal(r.status, 404, `${path} → ${r.status}`);
  }
  assert.equal((await tech.post(`/api/v1/exams/${examB.id}/transitions`, { to: 'cancelled', reason: '试', version: examB.version })).status, 404);
  assert.equal((await tech.put(`/api/v1/exams/${examB.id}/screening`, { version: 0 })).status, 404);
  assert.equal((await tech.post(`/api/v1/exams/${examB.id}/rejects`, { reason: 'motion', images: 1 })).status, 404);
  assert.equal((await tech.post(`/api/v1/exams/${examB.id}/booking`, { room_id: roomB.id, slot_start: new Date().toISOString(), version: examB.version })).status, 404);
  // A room of another site is no place for this site's exam.
  const moved = await tech.post(`/api/v1/exams/${exam.id}/transitions`, { to: 'in_progress', room_id: roomB.id, version: exam.version });
  assert.equal(moved.status, 400);
  assert.equal(moved.body.error.fields[0].field, 'room_id');
  // Safety events
  const director = await signedIn(server.url, 'director');
  assert.ok(!(await director.get('/api/v1/safety-events')).body.items.some((e) => e.id === eventB.id));
  assert.equal((await director.get(`/api/v1/safety-events/${eventB.id}`)).status, 404);
  assert.equal((await director.post(`/api/v1/safety-events/${eventB.id}/transitions`, { to: 'acknowledged', version: 1 })).status, 404);
  const linked = await tech.post('/api/v1/safety-events', {
    type: 'fall', severity_class: 'IV', occurred_at: new Date().toISOString(), description: '试', exam_id: examB.id,
  });
  assert.equal(linked.status, 400);
  assert.equal(linked.body.error.fields[0].field, 'exam_id');
  const byPatient = await tech.post('/api/v1/safety-events', {
    type: 'fall', severity_class: 'IV', occurred_at: new Date().toISOString(), description: '试', patient_id: patientB.id,
  });
  assert.equal(byPatient.status, 400);
  assert.equal(byPatient.body.error.fields[0].field, 'patient_id');
  // The administrator and the inspector span sites (permission sites.all).
  assert.equal((await admin.get(`/api/v1/exams/${examB.id}`)).status, 200);
  assert.equal((await inspector.get(`/api/v1/patients/${patientB.id}`)).status, 200);
  assert.ok((await inspector.get('/api/v1/safety-events')).body.items.some((e) => e.id === eventB.id));
});

test('lists that show patients are read-audited with the patients shown, the newest list too', async () => {
  const newest = await tech.get('/api/v1/patients?limit=5');
  assert.equal(newest.status, 200, 'with no query the list shows the newest registrations');
  assert.equal(newest.body.items.length, 5);
  assert.equal((await tech.get('/api/v1/patients?q=a')).status, 400);
  assert.equal((await tech.get(`/api/v1/patients?q=${encodeURIComponent('王')}`)).status, 200, 'one surname is a query');

  const found = await tech.get(`/api/v1/patients?q=${encodeURIComponent('隐私测试甲')}`);
  assert.deepEqual(found.body.items.map((p) => p.id), [patientA.id]);
  await tech.get(`/api/v1/exams?accession_no=${exam.accession_no}`);
  await tech.get(`/api/v1/rooms/${room.id}/queue`);
  await qc.get(`/api/v1/safety-events?exam_id=${examB.id}`);  // another site's: nothing shown
  const qcEvents = await qc.get('/api/v1/safety-events');
  const shownByQc = qcEvents.body.items.filter((e) => e.patient).map((e) => e.patient.id);
  assert.ok(shownByQc.includes(patientA.id));
  await engineer.get(`/api/v1/exams?accession_no=${exam.accession_no}`);  // no patient fields: no entry

  await sleep(1500);  // read entries are flushed within a second
  const entries = (await admin.get('/api/v1/audit?action=patient.list&limit=200')).body.items;
  const ids = (e) => e.entity_id.split(',').map(Number);
  const byTech = entries.filter((e) => e.actor === 'tech');
  const newestIds = newest.body.items.map((p) => p.id).sort((a, b) => a - b);
  assert.ok(byTech.some((e) => e.detail === 'GET /api/v1/patients' && ids(e).join() === newestIds.join()), 'the newest list names whom it showed');
  for (const route of ['GET /api/v1/patients', 'GET /api/v1/exams', `GET /api/v1/rooms/${room.id}/queue`]) {
    const e = byTech.find((x) => x.detail === route && ids(x).includes(patientA.id));
    assert.ok(e, `an entry for ${route} in ${JSON.stringify(byTech)}`);
    assert.ok(ids(e).includes(patientA.id), `${route} names patient ${patientA.id}: ${e.entity_id}`);
    assert.equal(e.entity, 'patient');
  }
  const qcEntries = entries.filter((e) => e.actor === 'qc' && e.detail === 'GET /api/v1/safety-events');
  assert.equal(qcEntries.length, 1, 'the list showing no patient leaves no entry');
  assert.deepEqual(ids(qcEntries[0]), [...new Set(shownByQc)].sort((a, b) => a - b));
  assert.ok(!entries.some((e) => e.actor === 'engineer'), 'no patient shown, no entry');
  // A search page of many patients is one entry, not one per patient.
  const many = await tech.get(`/api/v1/patients?q=${encodeURIComponent('王')}&limit=50`);
  await sleep(1500);
  const after = (await admin.get('/api/v1/audit?action=patient.list&actor=tech&limit=200')).body.items;
  assert.equal(after.length, byTech.length + 1);
  assert.equal(ids(after[0]).length, many.body.items.length);
});
