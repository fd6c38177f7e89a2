// The room queue (issue 14 item 5): the green-channel clock in the queue answer, and a routine
// start ahead of a longer-waiting emergency or green-channel patient that needs a reason.
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

async function arrivedExam(modality, code, room, priority, name, pathway, screen = true) {
  const item = (await tech.get(`/api/v1/catalogue?modality=${modality}`)).body.items.find((i) => !code || i.code === code);
  const p = await tech.post('/api/v1/patients', { name, sex: 'M', birth_date: '1960-01-01' });
  const order = await clinician.post('/api/v1/orders', {
    patient_id: p.body.id, item_id: item.id, ordering_department_id: 4, ordering_physician: '赵医生',
    clinical_history: '胸痛', clinical_question: '病变？', patient_class: 'outpatient', priority,
    ...(pathway ? { pathway } : {}),
  });
  assert.equal(order.status, 201, order.text);
  const r = await tech.post(`/api/v1/exams/${order.body.id}/transitions`, { to: 'arrived', room_id: room.id, version: order.body.version });
  assert.equal(r.status, 200, r.text);
  if (!screen) return r.body;
  // Shielding recorded: the only gate of an X-ray exam of a man.
  const s = await tech.put(`/api/v1/exams/${order.body.id}/screening`, { version: 0, shielding: { used: true } });
  assert.equal(s.status, 200, s.text);
  return r.body;
}

// The demo data may have emergencies waiting in the room already: they leave (cancelled) so the
// test decides who waited longest.
async function noEmergencyWaiting(room) {
  const q = (await tech.get(`/api/v1/rooms/${room.id}/queue`)).body;
  for (const x of q.queue.filter((y) => y.priority === 'emergency' || y.priority === 'green_channel')) {
    const r = await tech.post(`/api/v1/exams/${x.exam_id}/transitions`, { to: 'cancelled', reason: '测试前清空', version: x.version });
    assert.equal(r.status, 200, r.text);
  }
}

test('a green-channel exam in the queue carries its pathway limit and deadline', async () => {
  const room = (await admin.get('/api/v1/rooms?modality=CT')).body.items[0];
  const exam = await arrivedExam('CT', 'CT002', room, 'green_channel', '卒中时限', 'stroke_cta');
  const q = (await tech.get(`/api/v1/rooms/${room.id}/queue`)).body;
  const row = q.queue.find((x) => x.exam_id === exam.id);
  const detail = (await tech.get(`/api/v1/exams/${exam.id}`)).body;
  assert.equal(row.green_channel.pathway, 'stroke_cta');
  assert.equal(row.green_channel.limit_minutes, 30);
  assert.equal(row.green_channel.limit_minutes, detail.green_channel.limit_minutes, 'as the exam page shows it');
  assert.equal(Date.parse(row.green_channel.deadline) - Date.parse(row.green_channel.start), 30 * 60e3);
  assert.equal(Date.parse(row.green_channel.start), Date.parse(detail.ordered_at ?? row.green_channel.start));
  assert.equal(row.arrived_at !== null, true);
  assert.ok(q.queue.filter((x) => x.priority !== 'green_channel').every((x) => x.green_channel === undefined));
});

test('the queue shows the open screening gates of each exam not yet started', async () => {
  const room = (await admin.get('/api/v1/rooms?modality=DR')).body.items[0];
  const open = await arrivedExam('DR', null, room, 'emergency', '未核查', null, false);
  const done = await arrivedExam('DR', null, room, 'emergency', '已核查');
  const q = (await tech.get(`/api/v1/rooms/${room.id}/queue`)).body;
  const row = (e) => q.queue.find((x) => x.exam_id === e.id);
  const detail = (await tech.get(`/api/v1/exams/${open.id}/screening`)).body;
  assert.ok(row(open).open_gates.includes('shielding'), JSON.stringify(row(open)));
  assert.deepEqual(row(open).open_gates, detail.open_gates.map((g) => g.key), 'as the screening page says');
  assert.deepEqual(row(done).open_gates, []);
  assert.ok(q.in_progress.every((x) => x.open_gates === undefined));
  for (const e of [open, done]) {
    const v = (await tech.get(`/api/v1/exams/${e.id}`)).body.version;
    await tech.post(`/api/v1/exams/${e.id}/transitions`, { to: 'cancelled', reason: '测试结束', version: v });
  }
});

test('starting a routine exam ahead of a longer-waiting emergency needs a reason, recorded and audited', async () => {
  const room = (await admin.get('/api/v1/rooms?modality=DR')).body.items[0];
  await noEmergencyWaiting(room);
  const emergency = await arrivedExam('DR', null, room, 'emergency', '急诊等候');
  const routine = await arrivedExam('DR', null, room, 'routine', '常规插队');
  const current = async (e) => (await tech.get(`/api/v1/exams/${e.id}`)).body;

  const refused = await tech.post(`/api/v1/exams/${routine.id}/transitions`, { to: 'in_progress', version: (await current(routine)).version });
  assert.equal(refused.status, 409, refused.text);
  assert.deepEqual(refused.body.error.fields.map((f) => `${f.field}:${f.rule}`), ['reason:queue_jump']);
  assert.equal(refused.body.error.fields[0].params.accession_no, emergency.accession_no);
  assert.equal((await current(routine)).state, 'arrived', 'nothing changed');
  const blank = await tech.post(`/api/v1/exams/${routine.id}/transitions`, { to: 'in_progress', reason: '  ', version: (await current(routine)).version });
  assert.equal(blank.status, 409, 'a blank reason is no reason');

  const reason = '急诊患者等待家属签署知情同意';
  const started = await tech.post(`/api/v1/exams/${routine.id}/transitions`, { to: 'in_progress', reason, version: (await current(routine)).version });
  assert.equal(started.status, 200, started.text);
  const detail = await current(routine);
  assert.equal(detail.state, 'in_progress');
  assert.equal(detail.timeline.at(-1).to, 'in_progress');
  assert.equal(detail.timeline.at(-1).detail, reason);
  const audit = await admin.get(`/api/v1/audit?entity=exam&entity_id=${routine.id}`);
  const entry = audit.body.items.find((e) => e.action === 'exam.in_progress');
  assert.ok(entry, JSON.stringify(audit.body.items.map((e) => e.action)));
  assert.match(JSON.stringify(entry), new RegExp(reason));

  // The emergency itself starts with no reason.
  const first = await tech.post(`/api/v1/exams/${emergency.id}/transitions`, { to: 'in_progress', version: (await current(emergency)).version });
  assert.equal(first.status, 200, first.text);
});

test('a routine exam that arrived first starts with no reason', async () => {
  const rooms = (await admin.get('/api/v1/rooms?modality=DR')).body.items;
  const room = rooms[1] ?? rooms[0];
  await noEmergencyWaiting(room);
  const routine = await arrivedExam('DR', null, room, 'routine', '先到常规');
  await arrivedExam('DR', null, room, 'emergency', '后到急诊');
  const v = (await tech.get(`/api/v1/exams/${routine.id}`)).body.version;
  const r = await tech.post(`/api/v1/exams/${routine.id}/transitions`, { to: 'in_progress', version: v });
  assert.equal(r.status, 200, r.text);
});
