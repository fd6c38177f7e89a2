// Two servers on one PostgreSQL database (issue 15): what one server does, the other sees, and
// what must be unique or bounded stays so when both take requests at once. PostgreSQL pass only.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { newDatabase, startServer, signedIn, login, client, radqs, openEvents, POSTGRES } from '../lib/server.mjs';

const skip = !POSTGRES && 'runs in the PostgreSQL pass';
let store, a, b, onA, onB;
before(async () => {
  if (skip) return;
  store = newDatabase();
  [a, b] = await Promise.all([startServer(store.db), startServer(store.db)]);
  onA = {};
  onB = {};
  for (const u of ['admin', 'tech', 'clinician', 'director']) {
    onA[u] = await signedIn(a.url, u);
    onB[u] = await signedIn(b.url, u);
  }
});
after(async () => {
  if (skip) return;
  for (const s of [a, b]) {
    const { code } = await s.stop();
    assert.equal(code, 0, s.stderr);
  }
  store.cleanup();
});

const day = (n) => new Date(Date.now() + 8 * 3600e3 + n * 86400e3).toISOString().slice(0, 10);

async function newExam(side, ctItem, name) {
  const p = await side.tech.post('/api/v1/patients', { name, sex: 'M', birth_date: '1960-01-01' });
  assert.equal(p.status, 201, p.text);
  const r = await side.clinician.post('/api/v1/orders', {
    patient_id: p.body.id, item_id: ctItem.id, ordering_department_id: 4, ordering_physician: '赵医生',
    clinical_history: '咳嗽', clinical_question: '肺部病变？', patient_class: 'outpatient', priority: 'routine',
  });
  assert.equal(r.status, 201, r.text);
  return r.body;
}

test('bookings of one slot spread over both servers never exceed its capacity', { skip }, async () => {
  const room = (await onA.admin.get('/api/v1/rooms?modality=CT')).body.items[0];
  const ctItem = (await onA.admin.get('/api/v1/catalogue?modality=CT')).body.items.find((i) => i.code === 'CT002');
  const items = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start_minute: 8 * 60, end_minute: 12 * 60, slot_minutes: 30, capacity: 2 }));
  assert.equal((await onA.director.put(`/api/v1/rooms/${room.id}/slot-templates`, { items })).status, 200);
  const start = `${day(4)}T02:00:00Z`;
  const exams = [];
  for (let i = 0; i < 10; i++) exams.push(await newExam(i % 2 ? onB : onA, ctItem, `双机${i}`));
  const results = await Promise.all(exams.map((e, i) => (i % 2 ? onA : onB).tech.post(
    `/api/v1/exams/${e.id}/booking`, { room_id: room.id, slot_start: start, version: e.version })));
  const statuses = results.map((r) => r.status);
  assert.equal(statuses.filter((s) => s === 200).length, 2, statuses.join());
  assert.equal(statuses.filter((s) => s === 409).length, 8, statuses.join());
  for (const side of [onA, onB]) {
    const slot = (await side.tech.get(`/api/v1/rooms/${room.id}/slots?from=${day(4)}&to=${day(4)}`)).body.items.find((s) => s.start === start);
    assert.equal(slot.booked, 2);
  }
});

test('registrations, orders and events on both servers at once: every number is unique', { skip }, async () => {
  const ctItem = (await onA.admin.get('/api/v1/catalogue?modality=CT')).body.items.find((i) => i.code === 'CT002');
  const exams = await Promise.all(Array.from({ length: 16 }, (_, i) => newExam(i % 2 ? onB : onA, ctItem, `并发双机${i}`)));
  const accessions = exams.map((e) => e.accession_no);
  assert.equal(new Set(accessions).size, accessions.length, accessions.join());
  const ids = exams.map((e) => e.patient_id);
  assert.equal(new Set(ids).size, ids.length);
});

test('a sign-out on one server is refused by the other within the session cache time', { skip }, async () => {
  const s = await login(a.url, 'tech');
  const onOther = client(b.url, s.token);
  assert.equal((await onOther.get('/api/v1/auth/me')).status, 200);
  assert.equal((await client(a.url, s.token).post('/api/v1/auth/logout', {})).status < 300, true);
  const started = Date.now();
  let status = 200;
  while (status === 200 && Date.now() - started < 12000) {
    await new Promise((r) => setTimeout(r, 250));
    status = (await onOther.get('/api/v1/auth/me')).status;
  }
  assert.equal(status, 401);
  assert.ok(Date.now() - started <= 11000, `refused after ${Date.now() - started} ms`);
});

test('the audit chain stays one chain under concurrent writes on both servers', { skip }, async () => {
  const site = (code) => ({ code, name: `双机${code}`, level: 'secondary', kind: 'hospital_department', beds: 1 });
  const writes = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? onB : onA).admin.post('/api/v1/sites', site(`CL${i}`))));
  assert.deepEqual([...new Set(writes.map((w) => w.status))], [201]);
  for (const side of [onA, onB]) {
    const v = await side.admin.get('/api/v1/audit/verify');
    assert.equal(v.body.ok, true, JSON.stringify(v.body));
  }
  const cli = radqs(store.db, ['audit', 'verify']);
  assert.equal(cli.code, 0, cli.stdout);
});

test('an event stream on one server sees a change made on the other, once, after its commit', { skip }, async () => {
  const stream = await openEvents(b.url, await login(b.url, 'tech'));
  assert.equal(stream.status, 200);
  const room = (await onA.admin.get('/api/v1/rooms?modality=CT')).body.items[0];
  const ctItem = (await onA.admin.get('/api/v1/catalogue?modality=CT')).body.items.find((i) => i.code === 'CT002');
  const exam = await newExam(onA, ctItem, '跨机事件');
  const booked = await onA.tech.post(`/api/v1/exams/${exam.id}/booking`, { room_id: room.id, slot_start: `${day(5)}T01:00:00Z`, version: exam.version });
  assert.equal(booked.status, 200, booked.text);
  const mine = () => stream.text().split('\n\n').filter((f) => f.includes('event: queue') && f.includes(`"exam_id":${exam.id},`) && f.includes('"state":"scheduled"'));
  for (let i = 0; i < 40 && mine().length === 0; i++) await new Promise((r) => setTimeout(r, 100));
  await new Promise((r) => setTimeout(r, 300));
  stream.close();
  assert.equal(mine().length, 1, stream.text().slice(-600));
});
