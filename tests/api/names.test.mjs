// What the screens show is named in the department's words (issue 14 item 2): rooms and people
// by name, times in local time, settings with their name, unit and basis in words.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { freeSlot, newDatabase, startServer, signedIn } from '../lib/server.mjs';

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

const cjk = /[\u4e00-\u9fff]/;

test('a booking on the timeline names the room and its time, not "room 1 at …Z"', async () => {
  const room = (await admin.get('/api/v1/rooms?modality=CT')).body.items[0];
  const item = (await admin.get('/api/v1/catalogue?modality=CT')).body.items.find((i) => i.code === 'CT002');
  const p = await tech.post('/api/v1/patients', { name: '时间线患者', sex: 'M', birth_date: '1960-01-01' });
  const o = await clinician.post('/api/v1/orders', {
    patient_id: p.body.id, item_id: item.id, ordering_department_id: 4, ordering_physician: '赵医生',
    clinical_history: '咳嗽', clinical_question: '肺部病变？', patient_class: 'outpatient', priority: 'routine',
  });
  assert.equal(o.status, 201, o.text);
  const slot = await freeSlot(tech, room.id, 3);
  const booked = await tech.post(`/api/v1/exams/${o.body.id}/booking`, { room_id: room.id, slot_start: slot.start, version: o.body.version });
  assert.equal(booked.status, 200, booked.text);
  const timeline = (await tech.get(`/api/v1/exams/${o.body.id}`)).body.timeline;
  const event = timeline.find((e) => e.to === 'scheduled');
  assert.deepEqual(event.booking, { room_id: room.id, room_name: room.name, appointment_at: slot.start });
  assert.equal(event.detail, '', 'no machine text left for the screen');
  assert.ok(timeline.every((e) => !/room \d+ at/.test(e.detail)), JSON.stringify(timeline));
});

test('every setting has a Chinese and an English name and its basis in words, never a file name', async () => {
  const items = (await admin.get('/api/v1/settings')).body.items;
  assert.ok(items.length > 20);
  const bases = ['regulation', 'quality_indicator', 'hospital_practice', 'department_rule', 'security_policy', 'system'];
  for (const s of items) {
    assert.match(s.name, cjk, s.key);
    assert.ok(s.name_en && !cjk.test(s.name_en), s.key);
    assert.ok(bases.includes(s.basis), `${s.key}: ${s.basis}`);
    assert.match(s.reference, cjk, s.key);
    for (const text of [s.name, s.name_en, s.reference]) assert.doesNotMatch(text, /\.md\b|§|\[check\]/, s.key);
    assert.equal(s.description, undefined, 'no combined "中文 / English" text');
    assert.equal(s.source, undefined);
  }
  const ack = items.find((s) => s.key === 'safety.ack_hours');
  assert.deepEqual([ack.name, ack.unit, ack.basis], ['不良事件确认时限', '小时', 'hospital_practice']);
});
