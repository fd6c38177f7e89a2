// The patient and exam lists as a desk uses them (issue 14 item 10): identity numbers and phones
// masked in every list for every role, whole on the record; the last four digits find the
// patient; the list starts at the newest registrations; lists say how many they hold.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { newDatabase, startServer, signedIn, login } from '../lib/server.mjs';
import { fetchXlsx, readXlsx } from '../lib/xlsx.mjs';

let store, server, admin, tech, doctor;
before(async () => {
  store = newDatabase();
  server = await startServer(store.db);
  [admin, tech, doctor] = await Promise.all(['admin', 'tech', 'doctor'].map((u) => signedIn(server.url, u)));
});
after(async () => {
  const { code } = await server.stop();
  assert.equal(code, 0, server.stderr);
  store.cleanup();
});

const ID = '33010619850412002X'; // valid check character, a woman born 1985-04-12
const PHONE = '13957106283';

test('lists mask identity numbers and phones for every role; the record shows them whole', async () => {
  const r = await tech.post('/api/v1/patients', {
    name: '尾号患者', sex: 'F', birth_date: '1985-04-12', phone: PHONE, documents: [{ type: 'resident_id', number: ID }],
  });
  assert.equal(r.status, 201, r.text);
  for (const who of [admin, tech, doctor]) {
    const [row] = (await who.get('/api/v1/patients?q=尾号患者')).body.items;
    assert.equal(row.phone, '139****6283');
    assert.equal(row.documents[0].number, '**************002X');
    assert.equal(row.identity_masked, true);
  }
  const record = (await tech.get(`/api/v1/patients/${r.body.id}`)).body;
  assert.equal(record.phone, PHONE, 'the registering desk reads the record whole');
  assert.equal(record.documents[0].number, ID);
  assert.equal((await doctor.get(`/api/v1/patients/${r.body.id}`)).body.phone, '139****6283', 'a radiologist does not need it');
});

test('the last four digits of an identity number or phone find the patient', async () => {
  for (const q of ['002X', '002x', '6283']) {
    const items = (await tech.get(`/api/v1/patients?q=${q}`)).body.items;
    const hit = items.find((p) => p.name === '尾号患者');
    assert.ok(hit, `${q} finds the patient: ${JSON.stringify(items.map((p) => p.name))}`);
    assert.equal(hit.matched_by, 'last4');
    assert.ok(items.every((p) => p.phone.endsWith(q) || p.documents.some((d) => d.number.toUpperCase().endsWith(q.toUpperCase()))));
  }
  // Five digits are no ending: nothing matches them as one.
  assert.ok((await tech.get('/api/v1/patients?q=16283')).body.items.every((p) => p.matched_by !== 'last4'));
});

test('with no query the list starts at the newest registrations and counts them', async () => {
  const newest = await tech.post('/api/v1/patients', { name: '最新患者', sex: 'M', birth_date: '1999-09-09' });
  const first = (await tech.get('/api/v1/patients?limit=20&total=true')).body;
  assert.equal(first.items[0].id, newest.body.id);
  assert.equal(first.items[1].name, '尾号患者');
  assert.ok(first.items.every((p, i) => i === 0 || p.id < first.items[i - 1].id), 'newest first');
  assert.ok(first.total > 1000 && first.total_capped === false, JSON.stringify({ total: first.total }));
  const second = (await tech.get(`/api/v1/patients?limit=20&cursor=${first.next_cursor}`)).body;
  assert.ok(second.items[0].id < first.items.at(-1).id, 'the next page goes on from the last shown');
  const bad = await tech.get('/api/v1/patients?cursor=newest_x');
  assert.equal(bad.status, 400);
  assert.equal(bad.body.error.fields[0].field, 'cursor');
});

test("the exam list's total is the number its pages hold", async () => {
  // A week, not today alone: shortly after midnight today has no exams yet.
  const today = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);
  const weekAgo = new Date(Date.now() + 8 * 3600e3 - 6 * 86400e3).toISOString().slice(0, 10);
  const filter = `from=${weekAgo}&to=${today}&modality=CT`;
  let page = (await tech.get(`/api/v1/exams?${filter}&limit=40&total=true`)).body;
  assert.equal((await tech.get(`/api/v1/exams?${filter}&limit=40`)).body.total, undefined, 'counted only when asked');
  const total = page.total;
  let seen = page.items.length;
  while (page.next_cursor) {
    page = (await tech.get(`/api/v1/exams?${filter}&limit=40&total=true&cursor=${page.next_cursor}`)).body;
    assert.equal(page.total, undefined, 'later pages do not count again');
    seen += page.items.length;
  }
  assert.ok(total > 0);
  assert.equal(seen, total);
});

test('the exam list sorts by order or appointment time, each page going on in that order', async () => {
  const today = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);
  const from = new Date(Date.now() + 8 * 3600e3 - 20 * 86400e3).toISOString().slice(0, 10);
  for (const sort of ['appointment_at', '-appointment_at', 'ordered_at', '-ordered_at']) {
    const key = sort.replace('-', '');
    const rows = [];
    let page = (await tech.get(`/api/v1/exams?from=${from}&to=${today}&sort=${sort}&limit=10`)).body;
    rows.push(...page.items);
    for (let i = 0; page.next_cursor && i < 3; i++) {
      page = (await tech.get(`/api/v1/exams?from=${from}&to=${today}&sort=${sort}&limit=10&cursor=${page.next_cursor}`)).body;
      rows.push(...page.items);
    }
    assert.ok(rows.length > 10, `${sort}: several pages`);
    assert.equal(new Set(rows.map((r) => r.id)).size, rows.length, `${sort}: no exam twice`);
    // Exams without an appointment come last either way.
    const values = rows.map((r) => r[key]);
    const firstNull = values.indexOf(null);
    if (firstNull >= 0) assert.ok(values.slice(firstNull).every((v) => v === null), `${sort}: unbooked last`);
    const dated = values.filter((v) => v !== null).map((v) => Date.parse(v));
    const ordered = [...dated].sort((a, b) => (sort.startsWith('-') ? b - a : a - b));
    assert.deepEqual(dated, ordered, sort);
  }
  const bad = await tech.get('/api/v1/exams?sort=name');
  assert.equal(bad.status, 400);
  assert.deepEqual(bad.body.error.fields.map((f) => [f.field, f.rule]), [['sort', 'enum']]);
});

test('the newest-patients list exports in its own order, masked', async () => {
  const { token } = await login(server.url, 'tech');
  const r = await fetchXlsx(server.url, token, '/api/v1/patients?format=xlsx');
  assert.equal(r.status, 200, JSON.stringify(r.error));
  const x = await readXlsx(r.bytes);
  const newest = (await tech.get('/api/v1/patients?limit=3')).body.items;
  assert.ok(x.rows.length >= newest.length);
  for (const [i, p] of newest.entries()) assert.ok(x.rows[i].includes(p.name), `row ${i}: ${x.rows[i]}`);
  assert.ok(!x.rows.some((row) => row.includes('13957106283')), 'the export masks phones as the list does');
});
