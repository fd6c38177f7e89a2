// Screening through the API, issue 14 item 6: the MR safety questionnaire and the gates that
// follow from it, the required consent signer, changes after the exam start (a reason, a new
// version, a QC finding when a gate reopens), and the physicians' 待审批 list.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { newDatabase, startServer, signedIn } from '../lib/server.mjs';

let store, server, tech, clinician, doctor, director, qc, trainee, admin;
before(async () => {
  store = newDatabase();
  server = await startServer(store.db);
  [tech, clinician, doctor, director, qc, trainee, admin] = await Promise.all(
    ['tech', 'clinician', 'doctor', 'director', 'qc', 'trainee', 'admin'].map((u) => signedIn(server.url, u)));
});
after(async () => {
  const { code } = await server.stop();
  assert.equal(code, 0, server.stderr);
  store.cleanup();
});

let items;
async function arrived(patient, code) {
  items ??= (await admin.get('/api/v1/catalogue')).body.items;
  const item = items.find((i) => i.code === code);
  const p = await tech.post('/api/v1/patients', patient);
  assert.equal(p.status, 201, p.text);
  const o = await clinician.post('/api/v1/orders', {
    patient_id: p.body.id, item_id: item.id, ordering_department_id: 1, ordering_physician: '赵医生',
    clinical_history: '头痛三天', clinical_question: '排除颅内病变', patient_class: 'emergency', priority: 'emergency',
  });
  assert.equal(o.status, 201, o.text);
  const a = await tech.post(`/api/v1/exams/${o.body.id}/transitions`, { to: 'arrived', version: o.body.version });
  assert.equal(a.status, 200, a.text);
  return { exam: a.body, patient: p.body };
}
const gates = (answer) => answer.open_gates.map((g) => g.key);
const fields = (r) => r.body.error.fields.map((f) => `${f.field}:${f.rule}`);
const NO_RISKS = {
  active_implant: false, ferromagnetic_implant: false, metal_foreign_body: false,
  tattoo: false, claustrophobia: false, previous_mr: false,
};
const start = async (examId) => {
  const e = (await tech.get(`/api/v1/exams/${examId}`)).body;
  return tech.post(`/api/v1/exams/${examId}/transitions`, { to: 'in_progress', version: e.version });
};

// First, before the tests below start exams of their own.
test('the demo data: every exam that started has its screening gates closed', async () => {
  const started = [];
  for (const state of ['in_progress', 'acquired']) {
    started.push(...(await tech.get(`/api/v1/exams?state=${state}&limit=100`)).body.items);
  }
  assert.ok(started.length > 0, 'the demo has exams that started');
  const modalities = new Set();
  for (const e of started) {
    const s = (await tech.get(`/api/v1/exams/${e.id}/screening`)).body;
    assert.deepEqual(gates(s), [], `${e.accession_no} ${e.modality}`);
    modalities.add(e.modality);
  }
  assert.ok(modalities.has('MR') || modalities.size > 2, [...modalities].join());
});

test('MR screening stays open until the questionnaire is answered; an active implant needs a radiologist', async () => {
  const { exam } = await arrived({ name: '磁共振甲', sex: 'M', birth_date: '1970-03-03' }, 'MR001');
  let s = (await tech.get(`/api/v1/exams/${exam.id}/screening`)).body;
  assert.deepEqual(gates(s), ['mr_questionnaire']);
  assert.match(s.open_gates[0].message, /claustrophobia/);
  assert.equal((await start(exam.id)).status, 409, 'no MR exam starts unasked');

  // Half a questionnaire keeps the gate.
  let r = await tech.put(`/api/v1/exams/${exam.id}/screening`, { version: 0, mr: { active_implant: false, tattoo: true } });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(gates(r.body), ['mr_questionnaire']);
  // Yes to an active implant without naming it is refused, and changes nothing.
  const unnamed = await tech.put(`/api/v1/exams/${exam.id}/screening`, { version: 1, mr: { ...NO_RISKS, active_implant: true } });
  assert.equal(unnamed.status, 400);
  assert.deepEqual(fields(unnamed), ['mr.implant_detail:required']);
  r = await tech.put(`/api/v1/exams/${exam.id}/screening`, {
    version: 1, mr: { ...NO_RISKS, active_implant: true, tattoo: true, implant_detail: '双腔起搏器（MR条件兼容）' },
  });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(gates(r.body), ['mr_implant']);
  assert.equal(r.body.open_gates[0].override_by, 'radiologist');
  assert.deepEqual(r.body.notices.map((n) => n.key), ['mr_tattoo']);
  assert.equal(r.body.record.mr.active_implant, true);
  assert.equal((await start(exam.id)).status, 409);
  // The technologist cannot clear it; the radiologist can.
  assert.equal((await tech.post(`/api/v1/exams/${exam.id}/screening/approvals`, { gate: 'mr_clearance', reason: 'x' })).status, 403);
  const ok = await doctor.post(`/api/v1/exams/${exam.id}/screening/approvals`, { gate: 'mr_clearance', reason: '起搏器为MR条件兼容，按厂家条件扫描' });
  assert.equal(ok.status, 201, ok.text);
  assert.deepEqual(gates(ok.body), []);
  assert.deepEqual(ok.body.record.mr_clearance.covers, ['active_implant']);
  // A foreign body reported afterwards was not cleared: the approval is void and the gate is back.
  const more = await tech.put(`/api/v1/exams/${exam.id}/screening`, {
    version: ok.body.version, mr: { ...ok.body.record.mr, metal_foreign_body: true, implant_detail: '起搏器；右眼金属异物' },
  });
  assert.deepEqual(more.body.voided_approvals, ['mr_clearance']);
  assert.deepEqual(gates(more.body), ['mr_implant']);
});

test('a patient-record implant flag cannot be answered away without a note', async () => {
  const { exam, patient } = await arrived({ name: '磁共振乙', sex: 'M', birth_date: '1960-06-06', pacemaker: true }, 'MR003');
  const s = (await tech.get(`/api/v1/exams/${exam.id}/screening`)).body;
  assert.deepEqual(gates(s), ['mr_questionnaire', 'mr_implant'], 'the flag counts before any answer');
  const denied = await tech.put(`/api/v1/exams/${exam.id}/screening`, { version: 0, mr: NO_RISKS });
  assert.equal(denied.status, 400);
  assert.deepEqual(fields(denied), ['mr.active_implant:patient_flag']);
  assert.equal((await tech.get(`/api/v1/exams/${exam.id}/screening`)).body.version, 0, 'nothing saved');
  const noted = await tech.put(`/api/v1/exams/${exam.id}/screening`, { version: 0, mr: { ...NO_RISKS, flag_note: '起搏器已于2025年取出，见出院小结' } });
  assert.equal(noted.status, 200, noted.text);
  assert.deepEqual(gates(noted.body), []);
  assert.deepEqual(noted.body.notices.map((n) => n.key), ['mr_flag_overruled']);
  assert.equal(patient.pacemaker, true);
});

test('a woman is asked about pregnancy before MR; claustrophobia and pregnancy are notices, gadolinium a gate', async () => {
  const { exam } = await arrived({ name: '磁共振丙', sex: 'F', birth_date: '1992-02-02' }, 'MR002');
  let r = await tech.put(`/api/v1/exams/${exam.id}/screening`, { version: 0, mr: { ...NO_RISKS, claustrophobia: true } });
  assert.ok(gates(r.body).includes('mr_questionnaire'));
  assert.match(r.body.open_gates.find((g) => g.key === 'mr_questionnaire').message, /pregnancy/);
  r = await tech.put(`/api/v1/exams/${exam.id}/screening`, {
    version: 1, pregnancy: { status: 'possibly_pregnant' },
    consents: [{ type: 'contrast', signer_name: '磁共振丙', signer_relation: 'patient', signed_at: new Date().toISOString() }],
  });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(gates(r.body), ['gadolinium_pregnancy']);
  assert.deepEqual(r.body.notices.map((n) => n.key), ['mr_claustrophobia', 'mr_pregnancy']);
});

test('the consent signer is required: an empty signer is refused with field and rule', async () => {
  const { exam } = await arrived({ name: '增强CT', sex: 'M', birth_date: '1966-01-01' }, 'CT003');
  const at = new Date().toISOString();
  for (const [consent, expected] of [
    [{ type: 'contrast', signer_name: '', signer_relation: 'patient', signed_at: at }, 'consents[0].signer_name:required'],
    [{ type: 'contrast', signer_name: '  ', signer_relation: 'patient', signed_at: at }, 'consents[0].signer_name:required'],
    [{ type: 'contrast', signer_relation: 'patient', signed_at: at }, 'consents[0].signer_name:required'],
    [{ type: 'contrast', signer_name: '增强CT', signer_relation: '', signed_at: at }, 'consents[0].signer_relation:required'],
    [{ type: 'contrast', signer_name: '增强CT', signer_relation: 'neighbour', signed_at: at }, 'consents[0].signer_relation:enum'],
    [{ type: 'contrast', signer_name: '张小红', signer_relation: 'lineal_relative', signed_at: at }, 'consents[0].relation_detail:required'],
  ]) {
    const r = await tech.put(`/api/v1/exams/${exam.id}/screening`, { version: 0, shielding: { used: true }, consents: [consent] });
    assert.equal(r.status, 400, `${JSON.stringify(consent)}: ${r.text}`);
    assert.deepEqual(fields(r), [expected]);
  }
  assert.equal((await tech.get(`/api/v1/exams/${exam.id}/screening`)).body.version, 0, 'nothing saved');
  const daughter = await tech.put(`/api/v1/exams/${exam.id}/screening`, {
    version: 0, shielding: { used: true },
    consents: [{ type: 'contrast', signer_name: '张小红', signer_relation: 'lineal_relative', relation_detail: '女儿', signed_at: at }],
  });
  assert.equal(daughter.status, 200, daughter.text);
  assert.deepEqual(gates(daughter.body), []);
  assert.equal(daughter.body.record.consents[0].relation_detail, '女儿');
});

test('after the start a change needs a reason, is a new version, and a reopened gate is a QC finding', async () => {
  const { exam } = await arrived({ name: '开始后更改', sex: 'M', birth_date: '1958-08-08' }, 'MR004');
  const first = await tech.put(`/api/v1/exams/${exam.id}/screening`, { version: 0, mr: NO_RISKS });
  assert.deepEqual(gates(first.body), []);
  assert.equal(first.body.reason_required, false);
  assert.equal((await start(exam.id)).status, 200);
  const s = (await tech.get(`/api/v1/exams/${exam.id}/screening`)).body;
  assert.equal(s.reason_required, true);

  // Without a reason: refused, nothing changes.
  const bare = await tech.put(`/api/v1/exams/${exam.id}/screening`, { version: 1, mr: { ...NO_RISKS, previous_mr: true } });
  assert.equal(bare.status, 400);
  assert.deepEqual(fields(bare), ['reason:required']);
  // A change that reopens no gate: a version with its reason, no finding.
  const minor = await tech.put(`/api/v1/exams/${exam.id}/screening`, {
    version: 1, mr: { ...NO_RISKS, previous_mr: true }, reason: '患者补充：2024年做过腰椎MR',
  });
  assert.equal(minor.status, 200, minor.text);
  assert.equal(minor.body.version, 2);
  // A change that reopens a gate after the start: the finding for the QC group.
  const late = await tech.put(`/api/v1/exams/${exam.id}/screening`, {
    version: 2, mr: { ...NO_RISKS, previous_mr: true, ferromagnetic_implant: true, implant_detail: '膝关节内固定钢板' },
    reason: '扫描中患者诉膝部发热，追问有钢板',
  });
  assert.equal(late.status, 200, late.text);
  assert.deepEqual(gates(late.body), ['mr_implant']);

  const versions = (await tech.get(`/api/v1/exams/${exam.id}/screening/versions`)).body.items;
  assert.deepEqual(versions.map((v) => v.version), [3, 2, 1]);
  assert.equal(versions[0].reason, '扫描中患者诉膝部发热，追问有钢板');
  assert.equal(versions[1].reason, '患者补充：2024年做过腰椎MR');
  assert.equal(versions[2].reason, '');
  assert.equal(versions[2].record.mr.ferromagnetic_implant, false, 'the old answers are kept');
  assert.ok(versions[0].recorded_by, 'who changed it, by name');

  const findings = (await qc.get('/api/v1/screening/findings')).body.items.filter((f) => f.exam_id === exam.id);
  assert.equal(findings.length, 1, 'only the change that reopened a gate');
  assert.deepEqual(findings[0].gates, ['mr_implant']);
  assert.equal(findings[0].exam_state, 'in_progress');
  assert.equal(findings[0].version, 3);
  assert.equal(findings[0].reason, '扫描中患者诉膝部发热，追问有钢板');
  assert.equal(findings[0].accession_no, exam.accession_no);
  const trail = await admin.get(`/api/v1/audit?action=screening.finding&entity_id=${exam.id}`);
  assert.equal(trail.body.items.length, 1);
  assert.match(trail.body.items[0].detail, /mr_implant/);
});

test('a change of the recorded acquisition needs a reason and keeps the earlier version', async () => {
  const { exam } = await arrived({ name: '采集更改', sex: 'M', birth_date: '1959-09-09' }, 'MR001');
  await tech.put(`/api/v1/exams/${exam.id}/screening`, { version: 0, mr: NO_RISKS });
  assert.equal((await start(exam.id)).status, 200);
  const rec = { device_id: 'MR-01', protocol: '头颅常规', image_count: 300 };
  const first = await tech.put(`/api/v1/exams/${exam.id}/acquisition`, { version: 0, ...rec });
  assert.equal(first.status, 200, first.text);
  assert.equal(first.body.reason_required, true);
  const bare = await tech.put(`/api/v1/exams/${exam.id}/acquisition`, { version: 1, ...rec, image_count: 320 });
  assert.equal(bare.status, 400);
  assert.deepEqual(fields(bare), ['reason:required']);
  const changed = await tech.put(`/api/v1/exams/${exam.id}/acquisition`, { version: 1, ...rec, image_count: 320, reason: '补扫DWI序列' });
  assert.equal(changed.status, 200, changed.text);
  const versions = (await tech.get(`/api/v1/exams/${exam.id}/acquisition/versions`)).body.items;
  assert.deepEqual(versions.map((v) => [v.version, v.record.image_count, v.reason]), [[2, 320, '补扫DWI序列'], [1, 300, '']]);
});

test('待审批 lists the exams waiting for an approval the caller may give', async () => {
  const { exam } = await arrived({ name: '待审批甲', sex: 'M', birth_date: '1955-05-05' }, 'MR001');
  await tech.put(`/api/v1/exams/${exam.id}/screening`, { version: 0, mr: { ...NO_RISKS, active_implant: true, implant_detail: '人工耳蜗' } });
  // A CT with a severe prior reaction waits for the director, not the radiologist.
  const ct = (await arrived({ name: '待审批乙', sex: 'M', birth_date: '1950-01-01' }, 'CT003')).exam;
  await tech.put(`/api/v1/exams/${ct.id}/screening`, {
    version: 0, shielding: { used: true }, contrast: { prior_reaction_grade: 'severe', egfr: 80, egfr_date: new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10) },
    consents: [{ type: 'contrast', signer_name: '待审批乙', signer_relation: 'patient', signed_at: new Date().toISOString() }],
  });
  // Answered, nothing to approve: not listed.
  const clear = (await arrived({ name: '待审批丙', sex: 'M', birth_date: '1951-01-01' }, 'MR001')).exam;
  await tech.put(`/api/v1/exams/${clear.id}/screening`, { version: 0, mr: NO_RISKS });

  const mine = await doctor.get('/api/v1/screening/pending-approvals');
  assert.equal(mine.status, 200, mine.text);
  const row = mine.body.items.find((i) => i.exam_id === exam.id);
  assert.ok(row, JSON.stringify(mine.body.items.map((i) => i.accession_no)));
  assert.equal(row.accession_no, exam.accession_no);
  assert.equal(row.patient.name, '待审批甲');
  assert.deepEqual(row.gates.map((g) => [g.key, g.approval]), [['mr_implant', 'mr_clearance']]);
  assert.match(row.gates[0].message, /人工耳蜗/);
  assert.ok(!mine.body.items.some((i) => i.exam_id === ct.id), 'the severe reaction is the director\'s');
  assert.ok(!mine.body.items.some((i) => i.exam_id === clear.id));
  const directors = (await director.get('/api/v1/screening/pending-approvals')).body.items;
  assert.deepEqual(directors.find((i) => i.exam_id === ct.id)?.gates.map((g) => g.key), ['severe_prior_reaction']);
  assert.ok(!directors.some((i) => i.exam_id === exam.id));

  // Approved: it leaves the list.
  await doctor.post(`/api/v1/exams/${exam.id}/screening/approvals`, { gate: 'mr_clearance', reason: '人工耳蜗为MR条件兼容' });
  assert.ok(!(await doctor.get('/api/v1/screening/pending-approvals')).body.items.some((i) => i.exam_id === exam.id));

  // Only physicians who approve: technologists, QC and trainees are refused.
  for (const who of [tech, qc, trainee, clinician]) {
    assert.equal((await who.get('/api/v1/screening/pending-approvals')).status, 403);
  }
});

// A pacemaker entered through 更正患者信息 after the start reopens the MR gate: the QC group sees
// it as a finding, as it would a change of the screening itself.
test('a patient correction that reopens a gate of a started exam is a QC finding', async () => {
  const { exam, patient } = await arrived({ name: '更正起搏器', sex: 'F', birth_date: '1949-04-04' }, 'MR001');
  assert.deepEqual(gates((await tech.put(`/api/v1/exams/${exam.id}/screening`, { version: 0, mr: NO_RISKS })).body), []);
  assert.equal((await start(exam.id)).status, 200);
  const phone = await tech.patch(`/api/v1/patients/${patient.id}`, { version: patient.version, reason: '电话变更', phone: '13900000000' });
  assert.equal(phone.status, 200, phone.text);
  const corrected = await tech.patch(`/api/v1/patients/${patient.id}`, { version: phone.body.version, reason: '家属补充：已装起搏器', pacemaker: true });
  assert.equal(corrected.status, 200, corrected.text);
  assert.deepEqual(gates((await tech.get(`/api/v1/exams/${exam.id}/screening`)).body), ['mr_implant']);
  const findings = (await qc.get('/api/v1/screening/findings')).body.items.filter((f) => f.exam_id === exam.id);
  assert.equal(findings.length, 1, 'the phone change reopened nothing');
  assert.deepEqual(findings[0].gates, ['mr_implant']);
  assert.equal(findings[0].exam_state, 'in_progress');
  assert.match(findings[0].reason, /家属补充：已装起搏器/);
});
