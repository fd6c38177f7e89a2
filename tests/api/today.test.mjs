// Today's rooms (issue 14 item 11): the radiologist's and the engineer's home pages count each
// room's day exactly as its queue does, and name the devices of the day's acquisitions.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { newDatabase, startServer, signedIn } from '../lib/server.mjs';

let store, server, admin, tech, clinician, engineer, doctor;
before(async () => {
  store = newDatabase();
  server = await startServer(store.db);
  [admin, tech, clinician, engineer, doctor] = await Promise.all(
    ['admin', 'tech', 'clinician', 'engineer', 'doctor'].map((u) => signedIn(server.url, u)));
});
after(async () => {
  const { code } = await server.stop();
  assert.equal(code, 0, server.stderr);
  store.cleanup();
});

test('each room of the caller\'s site counts as its queue lists, and only that site\'s rooms', async () => {
  const me = (await tech.get('/api/v1/auth/me')).body.user;
  // Work waiting now whatever the hour the test runs at: an emergency checked in to a CT room.
  const ct = (await admin.get(`/api/v1/rooms?site_id=${me.site_id}&modality=CT&active=true`)).body.items[0];
  const item = (await admin.get('/api/v1/catalogue?modality=CT')).body.items.find((i) => i.code === 'CT001');
  const p = await tech.post('/api/v1/patients', { name: '今日急诊', sex: 'M', birth_date: '1966-06-06' });
  const o = await clinician.post('/api/v1/orders', {
    patient_id: p.body.id, item_id: item.id, ordering_department_id: 1, ordering_physician: '赵医生',
    clinical_history: '头外伤', clinical_question: '颅内出血？', patient_class: 'emergency', priority: 'emergency',
  });
  assert.equal(o.status, 201, o.text);
  const a = await tech.post(`/api/v1/exams/${o.body.id}/transitions`, { to: 'arrived', version: o.body.version, room_id: ct.id });
  assert.equal(a.status, 200, a.text);
  const r = await tech.get('/api/v1/today/rooms');
  assert.equal(r.status, 200, r.text);
  const rooms = (await admin.get(`/api/v1/rooms?site_id=${me.site_id}&active=true&limit=200`)).body.items;
  assert.deepEqual(r.body.items.map((x) => x.room_id).sort(), rooms.map((x) => x.id).sort());
  assert.ok(r.body.items.every((x) => x.site_id === me.site_id));
  let busy = 0;
  for (const room of r.body.items) {
    const q = (await tech.get(`/api/v1/rooms/${room.room_id}/queue`)).body;
    assert.deepEqual([room.expected, room.waiting, room.in_progress],
      [q.expected.length, q.queue.length, q.in_progress.length], room.room_name);
    busy += room.expected + room.waiting + room.in_progress;
  }
  assert.ok(busy > 0, 'the demo has today\'s work');
  const other = (await admin.get('/api/v1/sites')).body.items.find((s) => s.id !== me.site_id);
  if (other) assert.equal((await tech.get(`/api/v1/today/rooms?site_id=${other.id}`)).status, 404);
  assert.equal((await tech.get('/api/v1/today/rooms?site_id=x')).body.error.fields[0].field, 'site_id');
});

test('an acquisition today shows under its room with the device it names', async () => {
  const room = (await tech.get('/api/v1/rooms?modality=DR')).body.items.find((x) => x.active);
  const item = (await tech.get('/api/v1/catalogue?modality=DR')).body.items.find((i) => i.code === 'DR001');
  const p = await tech.post('/api/v1/patients', { name: '设备患者', sex: 'M', birth_date: '1960-01-01' });
  const order = await clinician.post('/api/v1/orders', {
    patient_id: p.body.id, item_id: item.id, ordering_department_id: 4, ordering_physician: '赵医生',
    clinical_history: '咳嗽', clinical_question: '肺炎？', patient_class: 'outpatient', priority: 'routine',
  });
  assert.equal(order.status, 201, order.text);
  const before = (await engineer.get('/api/v1/today/rooms')).body.items.find((x) => x.room_id === room.id);
  let exam = (await tech.post(`/api/v1/exams/${order.body.id}/transitions`, { to: 'arrived', room_id: room.id, version: order.body.version })).body;
  assert.equal((await tech.put(`/api/v1/exams/${exam.id}/screening`, { version: 0, shielding: { used: true } })).status, 200);
  exam = (await tech.post(`/api/v1/exams/${exam.id}/transitions`, { to: 'in_progress', version: exam.version })).body;
  const rec = await tech.put(`/api/v1/exams/${exam.id}/acquisition`, { version: 0, device_id: 'DR-测试机', protocol: '胸部正侧位', image_count: 2 });
  assert.equal(rec.status, 200, rec.text);
  const done = await tech.post(`/api/v1/exams/${exam.id}/transitions`, { to: 'acquired', version: exam.version });
  assert.equal(done.status, 200, done.text);
  const after = (await engineer.get('/api/v1/today/rooms')).body.items.find((x) => x.room_id === room.id);
  assert.equal(after.acquired, before.acquired + 1);
  assert.deepEqual(after.devices.find((d) => d.device_id === 'DR-测试机'), { device_id: 'DR-测试机', exams: 1 });
  assert.equal((await doctor.get('/api/v1/today/rooms')).status, 200);
});
