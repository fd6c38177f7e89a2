// Time-slot booking: templates, closures, capacity under concurrent requests, and today's queue.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { newDatabase, startServer, signedIn } from '../lib/server.mjs';

let store, server, admin, tech, clinician, director;
let room, ctItem;
before(async () => {
  store = newDatabase();
  server = await startServer(store.db);
  [admin, tech, clinician, director] = await Promise.all(['admin', 'tech', 'clinician', 'director'].map((u) => signedIn(server.url, u)));
  room = (await admin.get('/api/v1/rooms?modality=CT')).body.items[0];
  ctItem = (await admin.get('/api/v1/catalogue?modality=CT')).body.items.find((i) => i.code === 'CT002');
});
after(async () => {
  const { code } = await server.stop();
  assert.equal(code, 0, server.stderr);
  store.cleanup();
});

// Local (+08:00) date n days from today.
const day = (n) => new Date(Date.now() + 8 * 3600e3 + n * 86400e3).toISOString().slice(0, 10);

async function newExam(priority = 'routine', name = '预约患者') {
  const p = await tech.post('/api/v1/patients', { name, sex: 'M', birth_date: '1960-01-01' });
  const r = await clinician.post('/api/v1/orders', {
    patient_id: p.body.id, item_id: ctItem.id, ordering_department_id: 4, ordering_physician: '赵医生',
    clinical_history: '咳嗽', clinical_question: '肺部病变？', patient_class: 'outpatient', priority,
    ...(priority === 'green_channel' ? { pathway: 'stroke_cta' } : {}),
  });
  assert.equal(r.status, 201, r.text);
  return r.body;
}

test('templates build slots; a downtime closes the slots it overlaps', async () => {
  const bad = await director.put(`/api/v1/rooms/${room.id}/slot-templates`, { items: [{ weekday: 8, start_minute: 480, end_minute: 720, slot_minutes: 30, capacity: 2 }] });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.error.fields[0].field, 'items[0].weekday');
  const items = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start_minute: 8 * 60, end_minute: 12 * 60, slot_minutes: 30, capacity: 2 }));
  assert.equal((await director.put(`/api/v1/rooms/${room.id}/slot-templates`, { items })).status, 200);
  const d = day(2);
  const slots = await tech.get(`/api/v1/rooms/${room.id}/slots?from=${d}&to=${d}`);
  assert.equal(slots.body.items.length, 8);
  assert.equal(slots.body.items[0].start, `${d}T00:00:00Z`, '08:00 Beijing time');
  const closure = await director.post('/api/v1/closures', { room_id: room.id, kind: 'downtime', from: `${d}T01:00:00Z`, to: `${d}T02:00:00Z`, reason: 'CT球管更换' });
  assert.equal(closure.status, 201, closure.text);
  const after = (await tech.get(`/api/v1/rooms/${room.id}/slots?from=${d}&to=${d}`)).body.items;
  assert.deepEqual(after.filter((s) => s.closed).map((s) => s.start), [`${d}T01:00:00Z`, `${d}T01:30:00Z`]);
  assert.equal(after.find((s) => s.closed).closed_reason, 'CT球管更换');
});

test('a slot is never overbooked, also under concurrent requests', async () => {
  const d = day(3);
  const start = `${d}T02:00:00Z`;
  const exams = await Promise.all(Array.from({ length: 8 }, (_, i) => newExam('routine', `并发${i}`)));
  const results = await Promise.all(exams.map((e) => tech.post(`/api/v1/exams/${e.id}/booking`, { room_id: room.id, slot_start: start, version: e.version })));
  const ok = results.filter((r) => r.status === 200);
  const full = results.filter((r) => r.status === 409);
  assert.equal(ok.length, 2, results.map((r) => r.status).join());
  assert.equal(full.length, 6);
  assert.equal(full[0].body.error.fields[0].rule, 'full');
  const slot = (await tech.get(`/api/v1/rooms/${room.id}/slots?from=${d}&to=${d}`)).body.items.find((s) => s.start === start);
  assert.equal(slot.booked, 2);
  assert.equal(slot.free, 0);
});

test('booking refuses a closed slot, a time that is not a slot and a room of another modality', async () => {
  const e = await newExam();
  const d = day(2);
  const closed = await tech.post(`/api/v1/exams/${e.id}/booking`, { room_id: room.id, slot_start: `${d}T01:00:00Z`, version: e.version });
  assert.equal(closed.body.error.fields[0].rule, 'closed');
  const odd = await tech.post(`/api/v1/exams/${e.id}/booking`, { room_id: room.id, slot_start: `${d}T01:10:00Z`, version: e.version });
  assert.equal(odd.body.error.fields[0].field, 'slot_start');
  const mr = (await admin.get('/api/v1/rooms?modality=MR')).body.items[0];
  const wrong = await tech.post(`/api/v1/exams/${e.id}/booking`, { room_id: mr.id, slot_start: `${d}T03:00:00Z`, version: e.version });
  assert.equal(wrong.body.error.fields[0].rule, 'modality');
  const ok = await tech.post(`/api/v1/exams/${e.id}/booking`, { room_id: room.id, slot_start: `${d}T03:00:00Z`, version: e.version });
  assert.equal(ok.status, 200, ok.text);
  const rebook = await tech.post(`/api/v1/exams/${e.id}/booking`, { room_id: room.id, slot_start: `${d}T03:30:00Z`, version: ok.body.version });
  assert.equal(rebook.status, 200, rebook.text);
  const detail = await tech.get(`/api/v1/exams/${e.id}`);
  assert.deepEqual(detail.body.timeline.map((x) => x.to), ['scheduled', 'scheduled']);
  assert.ok(detail.body.turnaround_minutes.order_to_appointment > 0);
});

// Issue C.29: only emergency and green-channel orders bypass booking; routine walk-ins only at
// the modalities of schedule.walk_in_modalities (default DR, CR, DX).
test('a routine CT order with no booking cannot arrive until the site lets CT walk in', async () => {
  const routine = await newExam('routine', '未预约');
  const refused = await tech.post(`/api/v1/exams/${routine.id}/transitions`, { to: 'arrived', room_id: room.id, version: routine.version });
  assert.equal(refused.status, 409, refused.text);
  assert.deepEqual(refused.body.error.fields.map((f) => `${f.field}:${f.rule}`), ['appointment:walk_in']);
  assert.match(refused.body.error.message, /CT/);
  assert.equal((await tech.get(`/api/v1/exams/${routine.id}`)).body.state, 'ordered', 'nothing changed');
  const setting = (await admin.get('/api/v1/settings/schedule.walk_in_modalities')).body;
  assert.deepEqual(setting.value, ['DR', 'CR', 'DX']);
  const bad = await admin.post('/api/v1/settings/schedule.walk_in_modalities/versions', { value: ['XR'], valid_from: day(0), reason: 'x' });
  assert.equal(bad.status, 400);
  const v = await admin.post('/api/v1/settings/schedule.walk_in_modalities/versions', { value: ['DR', 'CR', 'DX', 'CT'], valid_from: day(0), reason: '急诊CT室接受平诊加号' });
  assert.ok(v.status === 200 || v.status === 201, v.text);
  const ok = await tech.post(`/api/v1/exams/${routine.id}/transitions`, { to: 'arrived', room_id: room.id, version: routine.version });
  assert.equal(ok.status, 200, ok.text);
});

test("today's queue puts green channel and emergency first", async () => {
  const routine = await newExam('routine', '常规');
  const green = await newExam('green_channel', '卒中');
  const emergency = await newExam('emergency', '急诊');
  for (const e of [routine, emergency, green]) {
    const r = await tech.post(`/api/v1/exams/${e.id}/transitions`, { to: 'arrived', room_id: room.id, version: e.version });
    assert.equal(r.status, 200, r.text);
  }
  const q = await tech.get(`/api/v1/rooms/${room.id}/queue`);
  const mine = q.body.queue.map((x) => x.patient_name).filter((n) => ['卒中', '急诊', '常规'].includes(n));
  assert.deepEqual(mine, ['卒中', '急诊', '常规']);
  const firstRoutine = q.body.queue.findIndex((x) => x.priority === 'routine');
  assert.ok(q.body.queue.slice(firstRoutine).every((x) => x.priority !== 'green_channel'));
  assert.equal(q.body.room.id, room.id);
});

test('queue changes reach the event stream after they are committed', async () => {
  const login = await fetch(`${server.url}/api/v1/auth/login`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'nurse', password: 'Radqs2026' }),
  });
  const { token } = await login.json();
  const anonymous = await fetch(`${server.url}/api/v1/events`);
  assert.equal(anonymous.status, 401);
  const controller = new AbortController();
  const res = await fetch(`${server.url}/api/v1/events`, { headers: { authorization: `Bearer ${token}` }, signal: controller.signal });
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /text\/event-stream/);
  const reader = res.body.getReader();
  const exam = await newExam('emergency', '事件');
  const moved = await tech.post(`/api/v1/exams/${exam.id}/transitions`, { to: 'arrived', room_id: room.id, version: exam.version });
  assert.equal(moved.status, 200);
  let text = '';
  const deadline = Date.now() + 5000;
  while (!text.includes(`"exam_id":${exam.id}`) && Date.now() < deadline) {
    const { value, done } = await reader.read();
    if (done) break;
    text += new TextDecoder().decode(value);
  }
  controller.abort();
  assert.match(text, new RegExp(`event: queue\\ndata: \\{"exam_id":${exam.id},"room_id":${room.id},"state":"arrived"\\}`));
});

test('closures are listed for a room with its site-wide holidays, and can be cancelled', async () => {
  const d = day(5);
  const holiday = await director.post('/api/v1/closures', { site_id: room.site_id, kind: 'holiday', from: `${d}T00:00:00Z`, to: `${d}T10:00:00Z`, reason: '元旦' });
  assert.equal(holiday.status, 201, holiday.text);
  const listed = await tech.get(`/api/v1/closures?room_id=${room.id}`);
  assert.ok(listed.body.items.some((c) => c.reason === '元旦' && c.room_id === null));
  assert.ok(listed.body.items.some((c) => c.reason === 'CT球管更换'));
  assert.equal((await director.post(`/api/v1/closures/${holiday.body.id}/cancel`)).status, 204);
  assert.ok(!(await tech.get(`/api/v1/closures?room_id=${room.id}`)).body.items.some((c) => c.reason === '元旦'));
  const slots = (await tech.get(`/api/v1/rooms/${room.id}/slots?from=${d}&to=${d}`)).body.items;
  assert.ok(slots.every((s) => !s.closed));
});

test('exam search finds by accession number and shows patient and item', async () => {
  const e = await newExam('routine', '检索');
  const r = await tech.get(`/api/v1/exams?accession_no=${e.accession_no}`);
  assert.equal(r.body.items.length, 1);
  assert.equal(r.body.items[0].patient_name, '检索');
  assert.equal(r.body.items[0].item_name, ctItem.name);
});

// Issue 14 item 8: the calendar showed slots free while the queue listed their patients (the
// demo books at 13:31, off the 15-minute grid). Each of today's coming slots holds exactly the
// patients the queue expects in it.
test('the calendar counts every booked exam of a slot, as the queue lists them', async (t) => {
  const me = (await tech.get('/api/v1/auth/me')).body.user;
  const rooms = (await tech.get(`/api/v1/rooms?site_id=${me.site_id}&active=true`)).body.items;
  const today = day(0);
  // A booking later today whatever the hour the test runs at, in the round-the-clock CT room.
  const allDay = rooms.find((r) => r.open_24h && r.modality === 'CT');
  const later = (await tech.get(`/api/v1/rooms/${allDay.id}/slots?from=${today}&to=${today}`)).body.items
    .find((s) => Date.parse(s.start) > Date.now() + 60e3 && s.free > 0 && !s.closed);
  if (!later) return t.skip('no slot is left today (the last quarter hour of the day)');
  const e = await newExam('routine', '今日稍后');
  assert.equal((await tech.post(`/api/v1/exams/${e.id}/booking`, { room_id: allDay.id, slot_start: later.start, version: e.version })).status, 200);
  let compared = 0;
  for (const r of rooms) {
    const slots = (await tech.get(`/api/v1/rooms/${r.id}/slots?from=${today}&to=${today}`)).body.items;
    const q = (await tech.get(`/api/v1/rooms/${r.id}/queue`)).body;
    const listed = [...q.expected, ...q.queue, ...q.in_progress].filter((x) => x.appointment_at);
    for (const s of slots.filter((x) => Date.parse(x.start) > Date.now())) {
      const inSlot = listed.filter((x) => Date.parse(x.appointment_at) >= Date.parse(s.start) && Date.parse(x.appointment_at) < Date.parse(s.end));
      assert.equal(s.booked, inSlot.length, `${r.name} ${s.start}: ${inSlot.map((x) => x.accession_no)}`);
      assert.equal(s.free, s.closed ? 0 : Math.max(0, s.capacity - inSlot.length));
      compared += inSlot.length;
    }
  }
  assert.ok(compared > 0, 'the demo has patients booked for later today');
});

// Issue 14 item 7: one patient cannot be in two rooms at once.
test('a patient booked again close to their other booking is warned; the desk may confirm', async () => {
  const [, roomB, roomC] = (await admin.get('/api/v1/rooms?modality=CT')).body.items;
  const items = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start_minute: 8 * 60, end_minute: 12 * 60, slot_minutes: 15, capacity: 1 }));
  for (const r of [roomB, roomC]) assert.equal((await director.put(`/api/v1/rooms/${r.id}/slot-templates`, { items })).status, 200);
  const first = await newExam('routine', '两室患者');
  const order = async () => {
    const r = await clinician.post('/api/v1/orders', {
      patient_id: first.patient_id, item_id: ctItem.id, ordering_department_id: 4, ordering_physician: '赵医生',
      clinical_history: '咳嗽', clinical_question: '复查', patient_class: 'outpatient', priority: 'routine',
    });
    assert.equal(r.status, 201, r.text);
    return r.body;
  };
  const d = day(4);
  const book = (e, r, time, extra = {}) => tech.post(`/api/v1/exams/${e.id}/booking`, { room_id: r.id, slot_start: `${d}T${time}:00Z`, version: e.version, ...extra });
  assert.equal((await book(first, roomB, '01:00')).status, 200);

  const second = await order();
  const warned = await book(second, roomC, '01:15');
  assert.equal(warned.status, 409, warned.text);
  const [fe] = warned.body.error.fields;
  assert.equal(fe.field, 'slot_start');
  assert.equal(fe.rule, 'patient_overlap');
  assert.deepEqual(fe.params, { accession_no: first.accession_no, room: roomB.name, at: `${d} 09:00` });
  assert.equal((await tech.get(`/api/v1/exams/${second.id}`)).body.state, 'ordered', 'a warning books nothing');
  const confirmed = await book(second, roomC, '01:15', { overlap_confirmed: true });
  assert.equal(confirmed.status, 200, confirmed.text);

  // Two hours later is no collision; nor is another patient at the same time.
  assert.equal((await book(await order(), roomC, '03:00')).status, 200);
  assert.equal((await book(await newExam('routine', '另一患者'), roomB, '01:15')).status, 200);
});
