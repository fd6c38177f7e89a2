// What clients send, read as untrusted input: nesting bombs, wrong types anywhere in a body,
// control characters, unbounded text, impossible dates, and patient numbers typed in the form
// the server gives out itself. Every answer is a 400 naming the field and the rule, never a 500,
// and the server stays up.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { newDatabase, startServer, signedIn } from '../lib/server.mjs';

let store, server, tech, clinician, nurse;
before(async () => {
  store = newDatabase();
  server = await startServer(store.db);
  [tech, clinician, nurse] = await Promise.all(['tech', 'clinician', 'nurse'].map((u) => signedIn(server.url, u)));
});
after(async () => {
  const { code } = await server.stop();
  assert.equal(code, 0, server.stderr);
  store.cleanup();
});

const rules = (r) => r.body.error.fields.map((f) => `${f.field}:${f.rule}`);
const alive = async () => {
  assert.equal((await fetch(`${server.url}/healthz`)).status, 200);
  assert.equal((await tech.get('/api/v1/patients?q=%E7%8E%8B')).status, 200);
};
let serial = 0;
const person = (over = {}) => ({ name: `测试${++serial}`, sex: 'M', birth_date: '1980-01-01', ...over });

async function orderedExam(extra = {}) {
  const p = await tech.post('/api/v1/patients', person());
  assert.equal(p.status, 201, p.text);
  const item = (await tech.get('/api/v1/catalogue')).body.items.find((i) => i.code === 'CT002');
  const o = await clinician.post('/api/v1/orders', {
    patient_id: p.body.id, item_id: item.id, ordering_department_id: 1, ordering_physician: '赵医生',
    clinical_history: '腹痛', clinical_question: '排除穿孔', patient_class: 'emergency', priority: 'emergency', ...extra,
  });
  assert.equal(o.status, 201, o.text);
  return o.body;
}

test('a body nested 520,000 levels deep is refused at parse, naming the rule; the server stays up', async () => {
  const deep = (key) => `{"${key}":${'['.repeat(520000)}${']'.repeat(520000)}}`;
  const patient = await tech.post('/api/v1/patients', deep('documents'));
  assert.equal(patient.status, 400, patient.text);
  assert.deepEqual(rules(patient), ['body:depth']);
  const exam = await orderedExam();
  const move = await tech.post(`/api/v1/exams/${exam.id}/transitions`, deep('to'));
  assert.equal(move.status, 400, move.text);
  assert.deepEqual(rules(move), ['body:depth']);
  await alive();
  // 32 levels is allowed, and refused for its content, not its depth.
  const ok = await tech.post('/api/v1/patients', `{"documents":${'['.repeat(31)}${']'.repeat(31)}}`);
  assert.equal(ok.status, 400);
  assert.ok(!rules(ok).includes('body:depth'), rules(ok));
});

test('wrong types anywhere answer 400 naming the field: patients, orders, screening, acquisition, safety events', async () => {
  const docs = await tech.post('/api/v1/patients', person({
    documents: [{ type: 'passport', number: 'E1234567', guardian: 'yes', guardian_relation: 5 }],
  }));
  assert.equal(docs.status, 400, docs.text);
  assert.deepEqual(rules(docs), ['documents[0].guardian:type', 'documents[0].guardian_relation:type']);
  const notList = await tech.post('/api/v1/patients', person({ documents: { type: 'passport' } }));
  assert.deepEqual(rules(notList), ['documents:type']);
  const item = await tech.post('/api/v1/patients', person({ documents: ['E1234567', null] }));
  assert.deepEqual(rules(item), ['documents[0]:type', 'documents[1]:type']);
  const top = await tech.post('/api/v1/patients', person({ name: ['张三'], estimated_age: '30', pacemaker: 'no' }));
  assert.deepEqual(rules(top), ['name:type', 'estimated_age:type', 'pacemaker:type']);

  const order = await clinician.post('/api/v1/orders', {
    patient_id: '1', item_id: { id: 1 }, ordering_department_id: '7', ordering_physician: true, clinical_history: [],
    clinical_question: null, patient_class: 1, priority: ['routine'],
  });
  assert.equal(order.status, 400, order.text);
  for (const f of ['patient_id:type', 'item_id:type', 'ordering_department_id:type', 'ordering_physician:type', 'clinical_history:type']) {
    assert.ok(rules(order).includes(f), `${f} in ${rules(order)}`);
  }

  const exam = await orderedExam();
  const screening = await tech.put(`/api/v1/exams/${exam.id}/screening`, {
    version: 0, pregnancy: { status: 1, gestational_days_lmp: 'twelve weeks' }, shielding: { used: 'yes' },
    consents: [{ type: 5 }, 'signed'], companions: [{ name: ['李四'], relation: '配偶' }],
    contrast: { egfr: '45', metformin: 'no' }, pregnancy_override: { reason: 12 },
  });
  assert.equal(screening.status, 400, screening.text);
  assert.deepEqual(rules(screening).sort(), [
    'companions[0].name:type', 'consents[0].type:type', 'consents[1]:type', 'contrast.egfr:type',
    'contrast.metformin:type', 'pregnancy.gestational_days_lmp:type', 'pregnancy.status:type',
    'pregnancy_override.reason:type', 'shielding.used:type',
  ]);
  const nested = await tech.put(`/api/v1/exams/${exam.id}/screening`, { version: 0, contrast: { egfr: 45, colour: 'red' } });
  assert.deepEqual(rules(nested), ['contrast.colour:unknown_field']);

  const event = await nurse.post('/api/v1/safety-events', {
    type: 7, severity_class: ['III'], occurred_at: 1700000000, place: {}, description: false, anonymous: 'yes', patient_id: 'P1',
  });
  assert.equal(event.status, 400, event.text);
  for (const f of ['type:type', 'severity_class:type', 'occurred_at:format', 'place:type', 'description:type', 'anonymous:type', 'patient_id:type']) {
    assert.ok(rules(event).includes(f), `${f} in ${rules(event)}`);
  }
  await alive();
});

// Every leaf of a good body, replaced in turn by a value of each other type: never a 500.
test('no value of a wrong type anywhere in a body makes a 500', async () => {
  const exam = await orderedExam();
  const moved = await tech.post(`/api/v1/exams/${exam.id}/transitions`, { to: 'arrived', version: exam.version });
  assert.equal(moved.status, 200, moved.text);
  const bodies = [
    ['post', '/api/v1/patients', person({
      estimated_age: 30, phone: '13800000000', contrast_allergy: false,
      documents: [{ type: 'passport', number: 'E7654321', guardian: true, guardian_relation: '父亲' }],
    })],
    ['put', `/api/v1/exams/${exam.id}/screening`, {
      version: 0, pregnancy: { status: 'not_pregnant', gestational_days_lmp: 0, lmp_date: '2026-01-01', dating_method: 'lmp' },
      shielding: { used: false, reason_if_not: '无' }, consents: [{ type: 'contrast', signer_name: '甲', signer_relation: 'patient', signed_at: '2026-01-01T00:00:00Z' }],
      companions: [{ name: '乙', relation: '配偶', protection: '铅衣' }],
      contrast: { prior_reaction_grade: 'none', asthma_or_allergy: false, egfr: 90, egfr_date: '2026-01-01', metformin: false },
      pregnancy_override: { reason: '急诊', signer_name: '甲', signer_relation: 'patient' },
    }],
    ['put', `/api/v1/exams/${exam.id}/acquisition`, {
      version: 0, device_id: 'CT-01', image_count: 3, images_checked: true,
      contrast: { agent: '碘海醇', lot: 'L1', volume_ml: 80, flow_rate_ml_s: 3.5 },
      extravasation: { volume_ml: 5, site: '左肘', symptoms: '肿胀' },
    }],
    ['post', '/api/v1/safety-events', {
      type: 'fall', severity_class: 'III', occurred_at: new Date(Date.now() - 3600e3).toISOString(), place: 'CT2',
      description: '跌倒', anonymous: false, patient_id: 1,
    }],
  ];
  const others = ['text', 7, 2.5, true, null, [], {}, [1], { a: 1 }];
  const leaves = (v, path = []) => (v && typeof v === 'object'
    ? Object.entries(v).flatMap(([k, x]) => leaves(x, [...path, k]))
    : [path]);
  const setAt = (v, path, x) => {
    const copy = structuredClone(v);
    let o = copy;
    for (const k of path.slice(0, -1)) o = o[k];
    o[path.at(-1)] = x;
    return copy;
  };
  const client = { post: tech, put: tech };
  let sent = 0;
  for (const [method, path, good] of bodies) {
    const who = path === '/api/v1/safety-events' ? nurse : client[method];
    for (const leaf of leaves(good)) {
      if (leaf[0] === 'version') continue;  // a stale version is a 409, by design
      for (const x of others) {
        const r = await who[method](path, setAt(good, leaf, x));
        sent += 1;
        assert.ok(r.status < 500, `${method} ${path} ${leaf.join('.')}=${JSON.stringify(x)}: ${r.status} ${r.text}`);
      }
    }
  }
  assert.ok(sent > 300, `sent ${sent}`);
  await alive();
});

test('a typed patient number in the automatic form never blocks later registrations', async () => {
  const first = await tech.post('/api/v1/patients', person());
  assert.equal(first.status, 201, first.text);
  const n = Number(first.body.patient_no.slice(1));
  // The next automatic number after the typed registration would be P + (n + 2).
  const typedNo = `P${String(n + 2).padStart(8, '0')}`;
  const typed = await tech.post('/api/v1/patients', person({ patient_no: typedNo }));
  assert.equal(typed.status, 201, typed.text);
  assert.equal(typed.body.patient_no, typedNo);
  const later = [];
  for (let i = 0; i < 3; i += 1) {
    const r = await tech.post('/api/v1/patients', person());
    assert.equal(r.status, 201, r.text);
    later.push(r.body.patient_no);
  }
  assert.ok(!later.includes(typedNo), later.join());
  assert.equal(new Set(later).size, 3);
  const taken = await tech.post('/api/v1/patients', person({ patient_no: typedNo }));
  assert.equal(taken.status, 409);
});

test('registration bounds dates, identity numbers, lengths and characters, one error per field', async () => {
  // A well-formed number whose birth date (2030-01-01) has not come yet.
  const future = '11010520300101001X';
  const unidentified = await tech.post('/api/v1/patients', {
    name: '无名氏', sex: 'U', unidentified: true, estimated_age: 30, documents: [{ type: 'resident_id', number: future }],
  });
  assert.equal(unidentified.status, 400, unidentified.text);
  assert.deepEqual(rules(unidentified), ['documents[0].number:birth_date']);
  const guardian = await tech.post('/api/v1/patients', person({
    birth_date: '2026-11-01', documents: [{ type: 'resident_id', number: future, guardian: true, guardian_relation: '母亲' }],
  }));
  assert.deepEqual(rules(guardian), ['documents[0].number:birth_date']);

  assert.deepEqual(rules(await tech.post('/api/v1/patients', person({ birth_date: '0001-01-01' }))), ['birth_date:min']);
  assert.deepEqual(rules(await tech.post('/api/v1/patients', person({ birth_date: '1899-12-31' }))), ['birth_date:min']);
  assert.equal((await tech.post('/api/v1/patients', person({ birth_date: '1900-01-01' }))).status, 201);
  // A malformed date is one error, not also "required".
  assert.deepEqual(rules(await tech.post('/api/v1/patients', person({ birth_date: '1980-13-01' }))), ['birth_date:date']);

  const passport = await tech.post('/api/v1/patients', person({ documents: [{ type: 'passport', number: 'E'.repeat(200000) }] }));
  assert.deepEqual(rules(passport), ['documents[0].number:max_length']);
  const longName = await tech.post('/api/v1/patients', person({ name: '张'.repeat(65) }));
  assert.deepEqual(rules(longName), ['name:max_length']);

  for (const [field, value, rule] of [
    ['name', '张\u0000三', 'control_character'], ['name', '张\u202e三', 'control_character'],
    ['name', '张\u2066三\u2069', 'control_character'], ['name', '张\r\n三', 'single_line'],
    ['phone', '138\u00000000000', 'control_character'], ['phone', '138\n00000000', 'single_line'],
    ['phone', '\u202d13800000000', 'control_character'],
  ]) {
    const r = await tech.post('/api/v1/patients', person({ [field]: value }));
    assert.equal(r.status, 400, `${field}=${JSON.stringify(value)}: ${r.text}`);
    assert.deepEqual(rules(r), [`${field}:${rule}`]);
  }
  const docNumber = await tech.post('/api/v1/patients', person({ documents: [{ type: 'passport', number: 'E123\u202e4567' }] }));
  assert.deepEqual(rules(docNumber), ['documents[0].number:control_character']);

  // Free text keeps its line breaks.
  await orderedExam({ clinical_history: '腹痛2小时\n既往胆囊炎' });
  const event = await nurse.post('/api/v1/safety-events', {
    type: 'fall', severity_class: 'III', occurred_at: new Date(Date.now() - 3600e3).toISOString(), place: 'CT2',
    description: '第一行\n第二行', immediate_action: '扶起\n通知临床',
  });
  assert.equal(event.status, 201, event.text);
  const badPlace = await nurse.post('/api/v1/safety-events', {
    type: 'fall', severity_class: 'III', occurred_at: new Date(Date.now() - 3600e3).toISOString(), place: 'CT2\n室',
    description: '跌倒', immediate_action: '扶起',
  });
  assert.deepEqual(rules(badPlace), ['place:single_line']);
});

test('a phone number must be a mobile or a landline; a refused one changes nothing', async () => {
  const before = await tech.get('/api/v1/patients?q=13912340000');
  for (const phone of ['12345', '1381234567', '0571-0765432', 'phone']) {
    const r = await tech.post('/api/v1/patients', person({ phone }));
    assert.equal(r.status, 400, `${phone}: ${r.text}`);
    const f = r.body.error.fields.find((x) => x.field === 'phone');
    assert.ok(f, r.text);
    assert.equal(f.rule, 'format');
    assert.equal(f.key, 'phone_format');
  }
  for (const phone of ['13912340000', '+8613912340000', '0571-87654321', '0571-87654321转8001']) {
    const r = await tech.post('/api/v1/patients', person({ phone }));
    assert.equal(r.status, 201, `${phone}: ${r.text}`);
    assert.equal(r.body.phone, phone);
  }
  const after = await tech.get('/api/v1/patients?q=13912340000');
  assert.equal(after.body.items.length, before.body.items.length + 1, 'only the valid mobile was registered under it');
});
