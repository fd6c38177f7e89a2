// The exam workflow through the API: registration with identity checks, orders, the state
// machine with stamps, the screening gates that guard the start, and masking by role.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { newDatabase, startServer, signedIn } from '../lib/server.mjs';

let store, server, tech, clinician, doctor, qc, admin;
before(async () => {
  store = newDatabase();
  server = await startServer(store.db);
  [tech, clinician, doctor, qc, admin] = await Promise.all(
    ['tech', 'clinician', 'doctor', 'qc', 'admin'].map((u) => signedIn(server.url, u)));
});
after(async () => {
  const { code } = await server.stop();
  assert.equal(code, 0, server.stderr);
  store.cleanup();
});

// 11010519491231002X is the standard GB 11643 example; its 17th digit (2) is even: a woman.
const womanId = '11010519491231002X';
const patient = (over = {}) => ({
  name: '张三', sex: 'F', birth_date: '1949-12-31', phone: '13812345678',
  documents: [{ type: 'resident_id', number: womanId.toLowerCase() }], ...over,
});

async function catalogue(code) {
  const items = (await admin.get('/api/v1/catalogue')).body.items;
  return items.find((i) => i.code === code);
}

test('registration checks the identity number and refuses a second owner, naming the first', async () => {
  const bad = await tech.post('/api/v1/patients', patient({ documents: [{ type: 'resident_id', number: '110105194912310021' }] }));
  assert.equal(bad.status, 400);
  assert.deepEqual(bad.body.error.fields.map((f) => `${f.field}:${f.rule}`), ['documents[0].number:check_digit']);
  const mismatch = await tech.post('/api/v1/patients', patient({ sex: 'M' }));
  assert.equal(mismatch.status, 400);
  assert.ok(mismatch.body.error.fields.some((f) => f.field === 'sex' && f.rule === 'id_mismatch'));
  const ok = await tech.post('/api/v1/patients', patient());
  assert.equal(ok.status, 201, ok.text);
  assert.equal(ok.body.documents[0].number, womanId, 'stored upper-case, shown in full to technologists');
  const again = await tech.post('/api/v1/patients', patient({ name: '张三丰' }));
  assert.equal(again.status, 409);
  assert.equal(again.body.error.existing_patient.id, ok.body.id);
  assert.match(again.body.error.message, new RegExp(ok.body.patient_no));
  // The UI words the conflict itself, from the key and params (issue 14 item 1).
  const owner = again.body.error.fields[0];
  assert.equal(owner.key, 'unique_document');
  assert.deepEqual(owner.params, { patient_no: ok.body.patient_no, name: '张三' });
  assert.equal(bad.body.error.fields[0].key, 'check_digit');
  const tooLong = await tech.post('/api/v1/patients', patient({ name: '张'.repeat(65) }));
  const limit = tooLong.body.error.fields.find((f) => f.field === 'name');
  assert.equal(limit.rule, 'max_length');
  assert.equal(typeof limit.params.limit, 'number');
  const guardian = await tech.post('/api/v1/patients', patient({
    name: '张三之子', sex: 'M', birth_date: '2026-11-01',
    documents: [{ type: 'resident_id', number: womanId, guardian: true, guardian_relation: '母亲' }],
  }));
  assert.equal(guardian.status, 201, guardian.text);
});

test('pinyin is generated from the table with surname readings, searchable by key and initials', async () => {
  const preview = await tech.get(`/api/v1/pinyin?name=${encodeURIComponent('曾晓燕')}`);
  assert.deepEqual(preview.body, { text: 'ZENG XIAO YAN', key: 'zengxiaoyan', initials: 'zxy' });
  assert.equal((await tech.get('/api/v1/pinyin')).body.error.fields[0].field, 'name');

  const made = await tech.post('/api/v1/patients', { name: '覃卫国', sex: 'M', birth_date: '1970-03-01' });
  assert.equal(made.status, 201, made.text);
  assert.equal(made.body.name_pinyin, 'QIN WEI GUO');
  for (const q of ['qwg', 'QWG', 'qinwei', 'Qin Wei Guo', '覃卫']) {
    const found = await tech.get(`/api/v1/patients?q=${encodeURIComponent(q)}`);
    assert.ok(found.body.items.some((x) => x.id === made.body.id), `found by ${q}`);
  }
  assert.ok(!(await tech.get('/api/v1/patients?q=qwx')).body.items.some((x) => x.id === made.body.id));

  const typed = await tech.post('/api/v1/patients', { name: '吕小明', name_pinyin: 'Lǚ xiaoming', sex: 'M', birth_date: '1990-01-01' });
  assert.equal(typed.body.name_pinyin, 'LV XIAO MING');
  const bad = await tech.post('/api/v1/patients', { name: '王五', name_pinyin: 'wang5', sex: 'M', birth_date: '1990-01-01' });
  assert.equal(bad.status, 400);
  assert.deepEqual(bad.body.error.fields.map((f) => `${f.field}:${f.rule}`), ['name_pinyin:pinyin']);

  // A corrected name brings a new pinyin unless one is typed with it.
  const renamed = await tech.patch(`/api/v1/patients/${made.body.id}`, { version: 1, reason: '姓名录入错误', name: '单卫国' });
  assert.equal(renamed.body.name_pinyin, 'SHAN WEI GUO');
  assert.ok((await tech.get('/api/v1/patients?q=swg')).body.items.some((x) => x.id === made.body.id));
});

test('a search pages through each kind of match in index order, each patient once', async () => {
  const register = async (name, name_pinyin, phone) => {
    const r = await tech.post('/api/v1/patients', { name, name_pinyin, phone, sex: 'F', birth_date: '1980-01-01' });
    assert.equal(r.status, 201, r.text);
    return r.body;
  };
  // TAN... by key and initials (once, as pinyin); TIAN AI NONG by initials only; a phone that
  // spells the query is an exact number.
  const both = await register('谈安娜', 'TAN AN NA');
  const initialsOnly = await register('田爱农', 'TIAN AI NONG');
  const keyOnly = await register('檀雪', 'TAN XUE');
  const all = async (q, limit) => {
    const seen = [];
    let cursor = '';
    for (let pages = 0; pages < 1000; ++pages) {
      const r = await tech.get(`/api/v1/patients?q=${encodeURIComponent(q)}&limit=${limit}&cursor=${cursor}`);
      assert.equal(r.status, 200, r.text);
      seen.push(...r.body.items);
      if (!r.body.next_cursor) return seen;
      assert.match(r.body.next_cursor, /^(number|name|pinyin|initials)_\d+$/);
      cursor = encodeURIComponent(r.body.next_cursor);
    }
    assert.fail('too many pages');
  };
  const paged = await all('tan', 2);
  const whole = await all('tan', 500);
  assert.deepEqual(paged.map((p) => p.id), whole.map((p) => p.id), 'pages join up to the whole list');
  assert.equal(new Set(paged.map((p) => p.id)).size, paged.length, 'nobody twice');
  const by = Object.fromEntries(paged.map((p) => [p.id, p.matched_by]));
  assert.equal(by[both.id], 'pinyin');
  assert.equal(by[keyOnly.id], 'pinyin');
  assert.equal(by[initialsOnly.id], 'initials');
  const kinds = paged.map((p) => p.matched_by);
  assert.deepEqual(kinds, [...kinds].sort((a, b) => ['pinyin', 'initials'].indexOf(a) - ['pinyin', 'initials'].indexOf(b)));
  const pinyinKeys = paged.filter((p) => p.matched_by === 'pinyin').map((p) => p.name_pinyin.replace(/ /g, '').toLowerCase());
  assert.deepEqual(pinyinKeys, [...pinyinKeys].sort(), 'pinyin matches in key order');

  const names = (await all('谈', 1)).map((p) => p.name);
  assert.deepEqual(names, [...names].sort(), 'name matches in name order');
  assert.ok(names.includes('谈安娜'));

  const phone = await register('范例', 'FAN LI', '13700001111');
  const byPhone = await tech.get('/api/v1/patients?q=13700001111');
  assert.deepEqual(byPhone.body.items.map((p) => [p.id, p.matched_by]), [[phone.id, 'number']]);

  for (const cursor of ['12', 'name_', 'nam_3', 'name_-1', 'name_1x']) {
    const bad = await tech.get(`/api/v1/patients?q=tan&cursor=${cursor}`);
    assert.equal(bad.status, 400, cursor);
    assert.deepEqual(bad.body.error.fields.map((f) => `${f.field}:${f.rule}`), ['cursor:format']);
  }
});

test('identity numbers and phones are masked for roles that do not need them; views are audited', async () => {
  const found = await qc.get(`/api/v1/patients?q=${encodeURIComponent('张三')}`);
  assert.equal(found.status, 200);
  const p = found.body.items.find((x) => x.name === '张三');
  assert.equal(p.documents[0].number, '**************002X');
  assert.equal(p.phone, '138****5678');
  const byId = await tech.get(`/api/v1/patients?q=${womanId}`);
  assert.equal(byId.body.items[0].name, '张三');
  assert.equal((await qc.get(`/api/v1/patients/${p.id}`)).status, 200);
  await new Promise((r) => setTimeout(r, 1500));  // read entries are flushed within a second
  const audit = await admin.get(`/api/v1/audit?action=patient.view&entity_id=${p.id}`);
  assert.ok(audit.body.items.some((e) => e.actor === 'qc'));
});

test('corrections keep the previous version and need the current version number', async () => {
  const p = (await tech.get(`/api/v1/patients?q=${womanId}`)).body.items[0];
  const stale = await tech.patch(`/api/v1/patients/${p.id}`, { phone: '13900000000', version: p.version + 1, reason: '电话变更' });
  assert.equal(stale.status, 409);
  const noReason = await tech.patch(`/api/v1/patients/${p.id}`, { phone: '13900000000', version: p.version });
  assert.equal(noReason.body.error.fields[0].field, 'reason');
  const ok = await tech.patch(`/api/v1/patients/${p.id}`, { phone: '13900000000', version: p.version, reason: '电话变更' });
  assert.equal(ok.status, 200);
  assert.equal((await tech.get(`/api/v1/patients/${p.id}`)).body.versions, 1);
});

test('an order lacking fields is refused field by field', async () => {
  const r = await clinician.post('/api/v1/orders', { priority: 'green_channel' });
  assert.equal(r.status, 400);
  const fields = r.body.error.fields.map((f) => f.field);
  for (const f of ['patient_id', 'item_id', 'ordering_department_id', 'ordering_physician', 'clinical_history', 'clinical_question', 'patient_class', 'pathway']) {
    assert.ok(fields.includes(f), `${f} in ${fields}`);
  }
  assert.equal((await tech.post('/api/v1/orders', {})).status, 403, 'technologists do not order');
});

async function order(patientId, code, extra = {}) {
  const item = await catalogue(code);
  const r = await clinician.post('/api/v1/orders', {
    patient_id: patientId, item_id: item.id, ordering_department_id: 1, ordering_physician: '赵医生',
    clinical_history: '腹痛2小时', clinical_question: '排除穿孔', patient_class: 'emergency', priority: 'emergency', ...extra,
  });
  assert.equal(r.status, 201, r.text);
  assert.match(r.body.accession_no, /^RQ\d{14}$/);
  assert.equal(r.body.state, 'ordered');
  return r.body;
}

const move = (exam, to, extra = {}) => tech.post(`/api/v1/exams/${exam.id}/transitions`, { to, version: exam.version, ...extra });

test('the state machine refuses illegal steps, naming the current state, and stamps each step', async () => {
  const man = await tech.post('/api/v1/patients', { name: '李四', sex: 'M', birth_date: '1980-05-05' });
  let exam = await order(man.body.id, 'CT002');
  const early = await move(exam, 'acquired');
  assert.equal(early.status, 409);
  assert.match(early.body.error.message, /ordered/);
  for (const to of ['arrived', 'in_progress']) {
    const r = await move(exam, to);
    if (to === 'in_progress') {
      assert.equal(r.status, 409, 'shielding not yet recorded');
      assert.ok(r.body.error.fields.some((f) => f.field === 'screening.shielding'));
      const s = await tech.put(`/api/v1/exams/${exam.id}/screening`, {
        version: 0, shielding: { used: true }, companions: [{ name: '李四妻', relation: '配偶', protection: '铅衣' }],
      });
      assert.equal(s.status, 200, s.text);
      assert.deepEqual(s.body.open_gates, []);
      assert.equal(s.body.record.companions[0].protection, '铅衣');
      const started = await move(exam, 'in_progress');
      assert.equal(started.status, 200, started.text);
      exam = started.body;
    } else {
      assert.equal(r.status, 200, r.text);
      exam = r.body;
    }
  }
  const noRecord = await move(exam, 'acquired');
  assert.equal(noRecord.status, 409);
  assert.equal(noRecord.body.error.fields[0].field, 'acquisition');
  const badContrast = await tech.put(`/api/v1/exams/${exam.id}/acquisition`, {
    version: 0, device_id: 'CT-01', image_count: 320, extravasation: { volume_ml: 10 },
  });
  assert.equal(badContrast.status, 400);
  assert.equal(badContrast.body.error.fields[0].field, 'extravasation');
  const rec = await tech.put(`/api/v1/exams/${exam.id}/acquisition`, { version: 0, device_id: 'CT-01', protocol: '胸部常规', image_count: 320 });
  assert.equal(rec.status, 200, rec.text);
  assert.equal(rec.body.recorded_by, (await tech.get('/api/v1/auth/me')).body.user.display_name, 'the technologist by name');
  const reject = await tech.post(`/api/v1/exams/${exam.id}/rejects`, { reason: 'motion', images: 2, repeated: true });
  assert.equal(reject.status, 201, reject.text);
  assert.equal(reject.body.device_id, 'CT-01');
  // No defaults (issue 14 item 9): each answer missing is named.
  const unanswered = await tech.post(`/api/v1/exams/${exam.id}/rejects`, {});
  assert.equal(unanswered.status, 400);
  assert.deepEqual(unanswered.body.error.fields.map((f) => `${f.field}:${f.rule}`).sort(),
    ['images:required', 'reason:required', 'repeated:required']);
  const noRepeat = await tech.post(`/api/v1/exams/${exam.id}/rejects`, { reason: 'motion', images: 1 });
  assert.deepEqual(noRepeat.body.error.fields.map((f) => f.field), ['repeated']);
  const otherNoNote = await tech.post(`/api/v1/exams/${exam.id}/rejects`, { reason: 'other', images: 1, repeated: false });
  assert.equal(otherNoNote.body.error.fields[0].field, 'note');
  exam = (await move(exam, 'acquired')).body;
  assert.equal(exam.state, 'acquired');
  const log = await qc.get('/api/v1/rejects?reason=motion');
  assert.equal(log.body.items[0].accession_no, exam.accession_no);
  // The 技师 column names the person, not the account (issue 14 item 2).
  const own = (await qc.get(`/api/v1/rejects?exam_id=${exam.id}`)).body.items;
  assert.deepEqual(own.map((r) => [r.technologist, r.technologist_name]),
    [['tech', (await tech.get('/api/v1/auth/me')).body.user.display_name]]);
  const detail = await tech.get(`/api/v1/exams/${exam.id}`);
  assert.deepEqual(detail.body.timeline.map((e) => e.to), ['arrived', 'in_progress', 'acquired']);
  assert.ok(detail.body.timeline.every((e) => e.actor === 'tech'));
  const techName = (await tech.get('/api/v1/auth/me')).body.user.display_name;
  assert.ok(techName && detail.body.timeline.every((e) => e.actor_name === techName), 'named as a person');
  assert.ok(detail.body.turnaround_minutes.arrival_to_start >= 0);
  assert.equal((await move(exam, 'cancelled', { reason: 'x' })).status, 409);
});

test('a pregnant patient at 12 weeks is blocked from a pelvic X-ray until the special need is approved', async () => {
  const woman = await tech.post('/api/v1/patients', { name: '王五', sex: 'F', birth_date: '1995-03-03' });
  let exam = await order(woman.body.id, 'DR004');
  exam = (await move(exam, 'arrived')).body;
  let s = await tech.put(`/api/v1/exams/${exam.id}/screening`, {
    version: 0, shielding: { used: false, reason_if_not: '屏蔽会进入照射野' },
    pregnancy: { status: 'pregnant', gestational_days_lmp: 84, dating_method: 'lmp' },
  });
  assert.ok(s.body.open_gates.some((g) => g.key === 'pregnancy_blocked_8_15_weeks'), JSON.stringify(s.body.open_gates));
  const blocked = await move(exam, 'in_progress');
  assert.equal(blocked.status, 409);
  assert.match(blocked.body.error.message, /pregnancy_blocked_8_15_weeks/);
  assert.equal((await tech.post(`/api/v1/exams/${exam.id}/screening/approvals`, { gate: 'pregnancy_override', reason: 'x' })).status, 403);
  s = await tech.put(`/api/v1/exams/${exam.id}/screening`, {
    version: s.body.version, pregnancy_override: { reason: '疑似肠梗阻需急诊诊断', signer_name: '王五', signer_relation: 'patient' },
  });
  const approved = await doctor.post(`/api/v1/exams/${exam.id}/screening/approvals`, { gate: 'pregnancy_override', reason: '临床必需' });
  assert.equal(approved.status, 201, approved.text);
  const open = approved.body.open_gates.map((g) => g.key);
  assert.ok(!open.includes('pregnancy_blocked_8_15_weeks'), open.join());
  const approverId = approved.body.record.pregnancy_override.approver_id;
  assert.ok(approved.body.approvers[approverId], 'the approving physician is named');
  assert.notEqual(approved.body.approvers[approverId], String(approverId));
  const overrides = await qc.get('/api/v1/screening/overrides');
  assert.equal(overrides.body.items[0].gate, 'pregnancy_override');
  assert.equal(overrides.body.items[0].approver, approved.body.approvers[approverId], 'named as on the record');
});

test('cancellation needs a reason and keeps the exam with its history', async () => {
  const man = await tech.post('/api/v1/patients', { name: '赵六', sex: 'M', birth_date: '1970-01-01' });
  const exam = await order(man.body.id, 'MR001', { priority: 'routine', patient_class: 'outpatient' });
  const noReason = await move(exam, 'cancelled');
  assert.equal(noReason.body.error.fields[0].field, 'reason');
  const done = await move(exam, 'cancelled', { reason: '患者要求取消' });
  assert.equal(done.body.state, 'cancelled');
  const listed = await tech.get(`/api/v1/exams?state=cancelled&modality=MR`);
  assert.ok(listed.body.items.some((e) => e.id === exam.id && e.cancel_reason === '患者要求取消'));
});

test('a bedside exam records device, distance and shielding; a critical patient their escort', async () => {
  const p = await tech.post('/api/v1/patients', { name: '孙七', sex: 'M', birth_date: '1950-02-02' });
  const exam = await order(p.body.id, 'DR006');
  const missing = await move(exam, 'arrived', { location: 'bedside', critical: true });
  assert.equal(missing.status, 400);
  const fields = missing.body.error.fields.map((f) => f.field).sort();
  assert.deepEqual(fields, ['escort_physician', 'mobile_device', 'rescue_drugs', 'shielding', 'staff_distance_m']);
  const ok = await move(exam, 'arrived', {
    location: 'bedside', mobile_device: '移动DR-1', staff_distance_m: 2.5, shielding: '铅屏风+邻床铅衣',
    critical: true, escort_physician: '钱医生', rescue_drugs: '肾上腺素、多巴胺',
  });
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.body.location, 'bedside');
  assert.equal(ok.body.arrival.staff_distance_m, 2.5);
  assert.equal(ok.body.arrival.escort_physician, '钱医生');
  const late = await move(ok.body, 'in_progress', { location: 'ward' });
  assert.equal(late.body.error.fields[0].rule, 'transition');
});

test('the reject list is in time order, newest first, across pages', async () => {
  const seen = new Set();
  let last = Infinity;
  let cursor;
  for (let page = 0; page < 4; ++page) {
    const r = await qc.get(`/api/v1/rejects?from=2000-01-01&limit=10${cursor ? `&cursor=${cursor}` : ''}`);
    assert.equal(r.status, 200, r.text);
    for (const x of r.body.items) {
      const at = Date.parse(x.recorded_at);
      assert.ok(at <= last, `${x.recorded_at} after an older entry`);
      assert.ok(!seen.has(x.id), 'no entry twice');
      seen.add(x.id);
      last = at;
    }
    cursor = r.body.next_cursor;
    if (!cursor) break;
  }
  assert.ok(seen.size > 10, `demo data has rejects over more than one page (${seen.size})`);
  assert.equal((await qc.get('/api/v1/rejects?cursor=123')).body.error.fields[0].field, 'cursor');
});
