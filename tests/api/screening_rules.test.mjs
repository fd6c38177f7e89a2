// Screening rules through the API (domain.md §2): the pregnancy question for an unidentified
// patient, approvals voided by a change of what they approved, trainees who never approve, the
// eGFR figures as versioned settings, and the staff distance at a bedside check-in.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { newDatabase, startServer, signedIn, DEMO_PASSWORD } from '../lib/server.mjs';

let store, server, tech, clinician, doctor, admin;
before(async () => {
  store = newDatabase();
  server = await startServer(store.db);
  [tech, clinician, doctor, admin] = await Promise.all(
    ['tech', 'clinician', 'doctor', 'admin'].map((u) => signedIn(server.url, u)));
});
after(async () => {
  const { code } = await server.stop();
  assert.equal(code, 0, server.stderr);
  store.cleanup();
});

const today = () => new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);
let items;
async function order(patientId, code) {
  items ??= (await admin.get('/api/v1/catalogue')).body.items;
  const item = items.find((i) => i.code === code);
  const r = await clinician.post('/api/v1/orders', {
    patient_id: patientId, item_id: item.id, ordering_department_id: 1, ordering_physician: '赵医生',
    clinical_history: '车祸伤', clinical_question: '排除骨盆骨折', patient_class: 'emergency', priority: 'emergency',
  });
  assert.equal(r.status, 201, r.text);
  return r.body;
}
const move = (exam, to, extra = {}) => tech.post(`/api/v1/exams/${exam.id}/transitions`, { to, version: exam.version, ...extra });
const gates = (answer) => answer.open_gates.map((g) => g.key);
const screening = async (exam) => (await tech.get(`/api/v1/exams/${exam.id}/screening`)).body;

test('an unidentified woman of about 25, and a patient of unknown sex, are asked about pregnancy before a CT', async () => {
  for (const [sex, name] of [['F', '无名氏女'], ['U', '无名氏']]) {
    const p = await tech.post('/api/v1/patients', { name, sex, unidentified: true, estimated_age: 25 });
    assert.equal(p.status, 201, p.text);
    assert.equal(p.body.birth_date, null);
    const exam = await order(p.body.id, 'CT008');
    const s = await screening(exam);
    assert.ok(gates(s).includes('pregnancy_question'), `${sex}: ${gates(s)}`);
    assert.match(s.open_gates.find((g) => g.key === 'pregnancy_question').message, /estimated age 25/);
    const arrived = (await move(exam, 'arrived')).body;
    const start = await move(arrived, 'in_progress');
    assert.equal(start.status, 409);
    assert.match(start.body.error.message, /pregnancy_question/);
  }
  // An unidentified man is not asked; a woman estimated at 70 neither.
  for (const [sex, age] of [['M', 25], ['F', 70]]) {
    const p = await tech.post('/api/v1/patients', { name: '无名氏', sex, unidentified: true, estimated_age: age });
    const s = await screening(await order(p.body.id, 'CT008'));
    assert.ok(!gates(s).includes('pregnancy_question'), `${sex} ${age}: ${gates(s)}`);
  }
});

async function approvedPelvis() {
  const woman = await tech.post('/api/v1/patients', { name: '孕妇甲', sex: 'F', birth_date: '1994-04-04' });
  const exam = (await move(await order(woman.body.id, 'DR004'), 'arrived')).body;
  let s = await tech.put(`/api/v1/exams/${exam.id}/screening`, {
    version: 0, shielding: { used: true },
    pregnancy: { status: 'pregnant', gestational_days_lmp: 84, dating_method: 'ultrasound' },
    pregnancy_override: { reason: '疑似骨盆骨折需急诊诊断', signer_name: '孕妇甲', signer_relation: 'patient' },
  });
  assert.equal(s.status, 200, s.text);
  assert.deepEqual(gates(s.body), ['pregnancy_blocked_8_15_weeks']);
  const approved = await doctor.post(`/api/v1/exams/${exam.id}/screening/approvals`, { gate: 'pregnancy_override', reason: '临床必需' });
  assert.equal(approved.status, 201, approved.text);
  assert.deepEqual(gates(approved.body), []);
  return { exam, s: approved.body };
}

test('editing the reason or signer of an approved special need voids the approval, audited', async () => {
  const { exam, s } = await approvedPelvis();
  // Saving the same facts again keeps it.
  const same = await tech.put(`/api/v1/exams/${exam.id}/screening`, {
    version: s.version, pregnancy_override: { reason: '疑似骨盆骨折需急诊诊断', signer_name: '孕妇甲', signer_relation: 'patient' },
  });
  assert.deepEqual(same.body.voided_approvals, []);
  assert.deepEqual(gates(same.body), []);
  const edited = await tech.put(`/api/v1/exams/${exam.id}/screening`, {
    version: same.body.version, pregnancy_override: { reason: '常规复查', signer_name: '孕妇甲', signer_relation: 'patient' },
  });
  assert.equal(edited.status, 200, edited.text);
  assert.deepEqual(edited.body.voided_approvals, ['pregnancy_override']);
  assert.equal(edited.body.record.pregnancy_override.approver_id, null);
  assert.deepEqual(gates(edited.body), ['pregnancy_blocked_8_15_weeks']);
  const start = await move((await tech.get(`/api/v1/exams/${exam.id}`)).body, 'in_progress');
  assert.equal(start.status, 409);
  const trail = await admin.get(`/api/v1/audit?action=screening.approval_voided&entity_id=${exam.id}`);
  assert.equal(trail.body.items.length, 1);
  assert.match(trail.body.items[0].detail, /pregnancy_override/);
  // A radiologist approving the new facts closes it again.
  const again = await doctor.post(`/api/v1/exams/${exam.id}/screening/approvals`, { gate: 'pregnancy_override', reason: '复核后同意' });
  assert.deepEqual(gates(again.body), []);
});

test('a radiologist whose staff record is a trainee never approves a gate', async () => {
  const sites = (await admin.get('/api/v1/sites')).body.items;
  const staff = await admin.post('/api/v1/staff', {
    site_id: sites[0].id, employee_no: 'T9001', name: '进修医师', sex: 'F', category: 'physician', trainee: true,
  });
  assert.equal(staff.status, 201, staff.text);
  const user = await admin.post('/api/v1/users', {
    username: 'trainee.rad', display_name: '进修医师', password: DEMO_PASSWORD, roles: ['radiologist'],
    staff_id: staff.body.id, site_id: sites[0].id, must_change_password: false,
  });
  assert.equal(user.status, 201, user.text);
  const traineeRad = await signedIn(server.url, 'trainee.rad');
  const woman = await tech.post('/api/v1/patients', { name: '孕妇乙', sex: 'F', birth_date: '1996-06-06' });
  const exam = (await move(await order(woman.body.id, 'DR004'), 'arrived')).body;
  await tech.put(`/api/v1/exams/${exam.id}/screening`, {
    version: 0, shielding: { used: true },
    pregnancy: { status: 'pregnant', gestational_days_lmp: 90, dating_method: 'lmp' },
    pregnancy_override: { reason: '急诊', signer_name: '孕妇乙', signer_relation: 'patient' },
  });
  const refused = await traineeRad.post(`/api/v1/exams/${exam.id}/screening/approvals`, { gate: 'pregnancy_override', reason: '同意' });
  assert.equal(refused.status, 403, refused.text);
  assert.deepEqual(refused.body.error.fields.map((f) => `${f.field}:${f.rule}`), ['gate:trainee']);
  assert.deepEqual(gates(await screening(exam)), ['pregnancy_blocked_8_15_weeks']);
  const trainee = await signedIn(server.url, 'trainee');
  assert.equal((await trainee.post(`/api/v1/exams/${exam.id}/screening/approvals`, { gate: 'pregnancy_override', reason: '同意' })).status, 403);
  assert.equal((await doctor.post(`/api/v1/exams/${exam.id}/screening/approvals`, { gate: 'pregnancy_override', reason: '同意' })).status, 201);
});

test('the eGFR thresholds and validity window are versioned settings with their [check] labels', async () => {
  const listed = (await admin.get('/api/v1/settings')).body.items;
  const setting = (key) => listed.find((s) => s.key === key);
  assert.equal(setting('screening.egfr_threshold_iodinated').value, 30);
  assert.match(setting('screening.egfr_threshold_iodinated').reference, /待科室核实/);
  assert.match(setting('screening.egfr_threshold_gadolinium').reference, /待科室核实/);
  assert.equal(setting('screening.egfr_validity_days').value, 90);

  const man = await tech.post('/api/v1/patients', { name: '肾功能', sex: 'M', birth_date: '1950-05-05' });
  const exam = await order(man.body.id, 'CT003');
  const old = new Date(Date.now() - 60 * 864e5 + 8 * 3600e3).toISOString().slice(0, 10);  // 60 days
  const s = await tech.put(`/api/v1/exams/${exam.id}/screening`, {
    version: 0, shielding: { used: true },
    contrast: { metformin: true, egfr: 25, egfr_date: old },
  });
  assert.ok(gates(s.body).includes('egfr_low'), gates(s.body).join());
  assert.ok(!gates(s.body).includes('egfr_missing'));
  for (const [key, value] of [['screening.egfr_threshold_iodinated', 20], ['screening.egfr_validity_days', 30]]) {
    const v = await admin.post(`/api/v1/settings/${key}/versions`, { value, valid_from: today(), reason: '科室制度' });
    assert.equal(v.status, 201, v.text);
  }
  const now = await screening(exam);
  assert.ok(!gates(now).includes('egfr_low'), '25 is not below the new threshold 20');
  assert.ok(gates(now).includes('egfr_missing'), 'a 60-day-old eGFR is outside the 30-day window');
  const bad = await admin.post('/api/v1/settings/screening.egfr_threshold_iodinated/versions',
    { value: 'thirty', valid_from: '2099-01-01', reason: 'x' });
  assert.equal(bad.status, 400);
});

test('a bedside check-in without a staff distance is refused, also when sent as null', async () => {
  const p = await tech.post('/api/v1/patients', { name: '床旁患者', sex: 'M', birth_date: '1955-05-05' });
  const exam = await order(p.body.id, 'DR006');
  for (const distance of [undefined, null, -1, '2']) {
    const r = await move(exam, 'arrived', {
      location: 'ward', mobile_device: '移动DR-2', shielding: '铅屏风', ...(distance === undefined ? {} : { staff_distance_m: distance }),
    });
    assert.equal(r.status, 400, `${distance}: ${r.text}`);
    assert.deepEqual(r.body.error.fields.map((f) => f.field), ['staff_distance_m']);
  }
  const ok = await move(exam, 'arrived', { location: 'ward', mobile_device: '移动DR-2', shielding: '铅屏风', staff_distance_m: 3 });
  assert.equal(ok.status, 200, ok.text);
});

// An approval of a gate that is not open would count as a screening override for nothing.
test('a physician cannot approve a gate that is not open; nothing is recorded', async () => {
  const p = await tech.post('/api/v1/patients', { name: '无需审批', sex: 'M', birth_date: '1970-01-01' });
  const exam = await order(p.body.id, 'CT002');
  const before = (await screening(exam)).version;
  const overridesBefore = (await doctor.get('/api/v1/screening/overrides?limit=500')).body.items.length;
  for (const gate of ['low_egfr', 'mr_clearance', 'gadolinium_pregnancy']) {
    const r = await doctor.post(`/api/v1/exams/${exam.id}/screening/approvals`, { gate, reason: '无' });
    assert.equal(r.status, 409, `${gate}: ${r.text}`);
    assert.deepEqual(r.body.error.fields.map((f) => [f.field, f.rule]), [['gate', 'not_open']]);
  }
  assert.equal((await screening(exam)).version, before, 'the record is unchanged');
  assert.equal((await doctor.get('/api/v1/screening/overrides?limit=500')).body.items.length, overridesBefore);
});
