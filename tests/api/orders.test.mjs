// Orders hardening (issue C.24–C.27): departments as data, the green-channel limits, catalogue
// availability per site with the independent-centre rule, and a merge that takes every record.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { newDatabase, startServer, signedIn } from '../lib/server.mjs';

let store, server, admin, tech, clinician;
before(async () => {
  store = newDatabase();
  server = await startServer(store.db);
  [admin, tech, clinician] = await Promise.all(['admin', 'tech', 'clinician'].map((u) => signedIn(server.url, u)));
});
after(async () => {
  const { code } = await server.stop();
  assert.equal(code, 0, server.stderr);
  store.cleanup();
});

const item = async (code) => (await admin.get('/api/v1/catalogue')).body.items.find((i) => i.code === code);
const order = (patientId, itemId, departmentId, extra = {}) => clinician.post('/api/v1/orders', {
  patient_id: patientId, item_id: itemId, ordering_department_id: departmentId, ordering_physician: '赵医生',
  clinical_history: '胸痛1小时', clinical_question: '冠脉狭窄？', patient_class: 'emergency', priority: 'emergency', ...extra,
});

test('green-channel limits are stroke 30 and chest pain 25 minutes, settings with their source', async () => {
  const stroke = (await admin.get('/api/v1/settings/tat.green_channel.stroke_cta_minutes')).body;
  const chest = (await admin.get('/api/v1/settings/tat.green_channel.chest_pain_cta_minutes')).body;
  assert.equal(stroke.value, 30);
  assert.equal(chest.value, 25);
  assert.equal(stroke.basis, 'quality_indicator');
  assert.equal(stroke.reference, '绿色通道达标率');
  assert.equal(stroke.name, '卒中绿色通道时限（起始时间至检查完成）');
  const p = await tech.post('/api/v1/patients', { name: '胸痛甲', sex: 'M', birth_date: '1960-01-01' });
  const r = await order(p.body.id, (await item('CT007')).id, 1, { priority: 'green_channel', pathway: 'chest_pain_cta' });
  assert.equal(r.status, 201, r.text);
  const exam = (await tech.get(`/api/v1/exams/${r.body.id}`)).body;
  assert.equal(exam.green_channel.limit_minutes, 25);
  assert.equal(exam.green_channel.start_source, 'ordered');
  assert.equal(exam.green_channel.on_time, null, 'not acquired yet');
});

test('departments are data: the demo has them, orders name one of their own site', async () => {
  const list = (await clinician.get('/api/v1/departments?site_id=1')).body.items;
  const er = list.find((d) => d.name === '急诊科');
  assert.ok(er && er.emergency, JSON.stringify(list));
  assert.ok(['心内科', '神经内科', '呼吸内科', '普外科', '骨科', '体检中心'].every((n) => list.some((d) => d.name === n)));
  assert.equal((await clinician.post('/api/v1/departments', { site_id: 1, code: 'X', name: 'X' })).status, 403);
  const dup = await admin.post('/api/v1/departments', { site_id: 1, code: er.code, name: '重复' });
  assert.equal(dup.status, 409);
  const site = (await admin.get('/api/v1/sites/1')).body;
  assert.equal(site.emergency_department, undefined, 'the flag left the site');
  const other = (await admin.post('/api/v1/sites', { code: 'D2', name: '分院', level: 'secondary', kind: 'hospital_department' })).body;
  const far = (await admin.post('/api/v1/departments', { site_id: other.id, code: 'K1', name: '分院急诊', emergency: true, his_code: '0101' })).body;
  assert.ok(far.id);
  const p = await tech.post('/api/v1/patients', { name: '科室乙', sex: 'M', birth_date: '1970-01-01' });
  const ct = await item('CT002');
  const wrongSite = await order(p.body.id, ct.id, far.id);
  assert.equal(wrongSite.status, 400);
  assert.deepEqual(wrongSite.body.error.fields.map((f) => `${f.field}:${f.rule}`), ['ordering_department_id:site']);
  const old = await order(p.body.id, ct.id, 1, { ordering_department: '急诊科' });
  assert.equal(old.status, 400, 'the free-text field is gone');
  const off = await admin.post('/api/v1/departments', { site_id: 1, code: 'OLD', name: '撤销科室', active: false });
  assert.equal((await order(p.body.id, ct.id, off.body.id)).body.error.fields[0].rule, 'reference');
  const ok = await order(p.body.id, ct.id, er.id);
  assert.equal(ok.status, 201, ok.text);
  assert.equal(ok.body.order.ordering_department, '急诊科');
  const exam = (await tech.get(`/api/v1/exams/${ok.body.id}`)).body;
  assert.equal(exam.order.ordering_department, '急诊科');
  assert.equal(exam.order.emergency_department, true);
  const renamed = await admin.patch(`/api/v1/departments/${far.id}`, { version: far.version, name: '分院急诊科' });
  assert.equal(renamed.status, 200, renamed.text);
  const audit = await admin.get(`/api/v1/audit?action=department.update&entity_id=${far.id}`);
  assert.equal(audit.body.items.length, 1);
});

test('an independent centre may not offer or order prenatal, interventional or therapeutic items', async () => {
  const centre = (await admin.post('/api/v1/sites', { code: 'IC1', name: '影像中心', level: 'secondary', kind: 'independent_center' })).body;
  const base = { name: '经皮穿刺活检', modality: 'CT', duration_minutes: 30, category: 'interventional' };
  const refused = await admin.post('/api/v1/catalogue', { ...base, code: 'IV01', site_ids: [1, centre.id] });
  assert.equal(refused.status, 400, refused.text);
  assert.deepEqual(refused.body.error.fields.map((f) => `${f.field}:${f.rule}`), ['site_ids:independent_center']);
  assert.match(refused.body.error.fields[0].message, /rule \(a\)/);
  const made = await admin.post('/api/v1/catalogue', { ...base, code: 'IV01', site_ids: [1] });
  assert.equal(made.status, 201, made.text);
  assert.deepEqual(made.body.site_ids, [1]);
  const enable = await admin.patch(`/api/v1/catalogue/${made.body.id}`, { version: made.body.version, site_ids: [1, centre.id] });
  assert.equal(enable.status, 400);
  assert.equal(enable.body.error.fields[0].rule, 'independent_center');
  // A diagnostic item offered at the centre may not become interventional there.
  const dr = await item('DR001');
  const withCentre = await admin.patch(`/api/v1/catalogue/${dr.id}`, { version: dr.version, site_ids: [...dr.site_ids, centre.id] });
  assert.equal(withCentre.status, 200, withCentre.text);
  const recat = await admin.patch(`/api/v1/catalogue/${dr.id}`, { version: withCentre.body.version, category: 'therapeutic' });
  assert.deepEqual(recat.body.error.fields.map((f) => `${f.field}:${f.rule}`), ['category:independent_center']);
  // Ordering: an item not offered at the patient's site is refused.
  const techC = admin;  // the administrator registers at any site
  const p = await techC.post('/api/v1/patients', { name: '中心丙', sex: 'M', birth_date: '1970-01-01', site_id: centre.id });
  assert.equal(p.status, 201, p.text);
  const dept = (await admin.post('/api/v1/departments', { site_id: centre.id, code: 'MZ', name: '门诊部' })).body;
  const orderAsAdmin = (itemId) => admin.post('/api/v1/orders', {
    patient_id: p.body.id, item_id: itemId, ordering_department_id: dept.id, ordering_physician: '钱医生',
    clinical_history: '体检', clinical_question: '筛查', patient_class: 'outpatient', priority: 'routine',
  });
  const notOffered = await orderAsAdmin((await item('CT002')).id);
  assert.deepEqual(notOffered.body.error.fields.map((f) => `${f.field}:${f.rule}`), ['item_id:site']);
  const interventional = await orderAsAdmin(made.body.id);
  assert.deepEqual(interventional.body.error.fields.map((f) => `${f.field}:${f.rule}`), ['item_id:independent_center']);
  assert.equal((await orderAsAdmin(dr.id)).status, 201);
  const offered = (await admin.get(`/api/v1/catalogue?site_id=${centre.id}`)).body.items.map((i) => i.code);
  assert.deepEqual(offered, ['DR001']);
});

test('a merge takes every record of the patient along, audited, and the merged one says so', async () => {
  const from = (await tech.post('/api/v1/patients', { name: '无名氏', sex: 'M', estimated_age: 40, unidentified: true })).body;
  const into = (await tech.post('/api/v1/patients', { name: '合并丁', sex: 'M', birth_date: '1985-01-01' })).body;
  assert.ok(from.id && into.id, JSON.stringify(from));
  const r = await order(from.id, (await item('DR001')).id, 1);
  assert.equal(r.status, 201, r.text);
  let exam = r.body;
  const move = async (to, extra = {}) => {
    const m = await tech.post(`/api/v1/exams/${exam.id}/transitions`, { to, version: exam.version, ...extra });
    assert.equal(m.status, 200, m.text);
    exam = m.body;
  };
  await move('arrived');
  const s = await tech.put(`/api/v1/exams/${exam.id}/screening`, { version: 0, shielding: { used: true } });
  assert.equal(s.status, 200, s.text);
  exam = (await tech.get(`/api/v1/exams/${exam.id}`)).body;
  await move('in_progress');
  const acq = await tech.put(`/api/v1/exams/${exam.id}/acquisition`, { version: 0, device_id: 'DR-1', protocol: '常规', image_count: 2, images_checked: true });
  assert.ok(acq.status === 200 || acq.status === 201, acq.text);
  const rej = await tech.post(`/api/v1/exams/${exam.id}/rejects`, { reason: 'positioning', images: 1, repeated: true });
  assert.ok(rej.status === 200 || rej.status === 201, rej.text);
  const ev = await tech.post('/api/v1/safety-events', {
    type: 'fall', severity_class: 'IV', occurred_at: new Date().toISOString(), description: '候诊跌倒', patient_id: from.id,
  });
  assert.equal(ev.status, 201, ev.text);
  const merged = await tech.post(`/api/v1/patients/${from.id}/merge`, { into_patient_id: into.id, reason: '身份确认' });
  assert.equal(merged.status, 200, merged.text);
  assert.deepEqual(merged.body.moved, { orders: 1, exams: 1, safety_events: 1 });
  const e = (await tech.get(`/api/v1/exams/${exam.id}`)).body;
  assert.equal(e.patient_id, into.id);
  assert.equal(e.patient.id, into.id);
  assert.ok((await tech.get(`/api/v1/exams?patient_id=${into.id}`)).body.items.some((x) => x.id === exam.id));
  assert.equal((await tech.get(`/api/v1/exams/${exam.id}/screening`)).status, 200);
  assert.equal((await tech.get(`/api/v1/exams/${exam.id}/acquisition`)).status, 200);
  assert.ok((await admin.get('/api/v1/rejects')).body.items.some((x) => x.exam_id === exam.id));
  const event = (await (await signedIn(server.url, "safety")).get(`/api/v1/safety-events/${ev.body.id}`)).body;
  assert.equal(event.patient.id, into.id);
  const audit = await admin.get(`/api/v1/audit?action=patient.merge&entity_id=${from.id}`);
  assert.equal(audit.body.items.length, 1);
  assert.match(JSON.stringify(audit.body.items[0]), /safety_events/);
  assert.equal((await tech.get(`/api/v1/patients/${from.id}`)).body.merged_into, into.id);
  assert.equal((await order(from.id, (await item('DR001')).id, 1)).body.error.fields[0].rule, 'merged');
});
