// Registration and ordering as the desk does it (issue 14 item 7): the identity documents a
// department meets, each with its number's form, and a clinician's order form starting with
// their own department.
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

const person = (documents, name = '证件患者') => ({ name, sex: 'F', birth_date: '1990-03-07', documents });

test('every document type registers, its number normalised; a wrong form names the type', async () => {
  const good = {
    hk_macau_permit: ['h 1234 5678', 'H12345678'],
    taiwan_permit: ['87654321', '87654321'],
    foreign_permanent_resident: ['usa330119900307', 'USA330119900307'],
    passport: ['e98765432', 'E98765432'],
    military_officer: ['南字第 204517 号', '南字第204517号'],
    birth_certificate: ['o330123456', 'O330123456'],
  };
  for (const [type, [typed, stored]] of Object.entries(good)) {
    const r = await tech.post('/api/v1/patients', person([{ type, number: typed }], `证件${type}`));
    assert.equal(r.status, 201, `${type}: ${r.text}`);
    const full = await admin.get(`/api/v1/patients/${r.body.id}`);
    assert.deepEqual(full.body.documents.map((d) => [d.type, d.number]), [[type, stored]]);
  }
  const bad = {
    hk_macau_permit: ['X12345678', 'hk_macau_permit_format'],
    taiwan_permit: ['T1234567', 'taiwan_permit_format'],
    foreign_permanent_resident: ['US330119900307', 'foreign_permanent_resident_format'],
    passport: ['E1', 'passport_format'],
    birth_certificate: ['330123456', 'birth_certificate_format'],
  };
  for (const [type, [number, key]] of Object.entries(bad)) {
    const r = await tech.post('/api/v1/patients', person([{ type, number }], `错证${type}`));
    assert.equal(r.status, 400, `${type}: ${r.text}`);
    assert.deepEqual(r.body.error.fields.map((f) => [f.field, f.rule, f.key]), [['documents[0].number', 'format', key]]);
  }
  const unknown = await tech.post('/api/v1/patients', person([{ type: 'driving_licence', number: '330101' }]));
  assert.equal(unknown.status, 400);
  assert.deepEqual(unknown.body.error.fields.map((f) => [f.field, f.rule]), [['documents[0].type', 'enum']]);
  const none = await tech.get('/api/v1/patients?q=错证');
  assert.equal(none.body.items.length, 0, 'a refused registration writes nothing');
});

test("a clinician's account names their department, which starts their order form", async () => {
  const me = (await clinician.get('/api/v1/auth/me')).body.user;
  const departments = (await admin.get('/api/v1/departments?active=true')).body.items;
  const own = departments.find((d) => d.id === me.ordering_department_id);
  assert.equal(own?.name, '心内科', 'the demo clinician orders from 心内科');

  const users = (await admin.get('/api/v1/users?q=clinician')).body.items;
  const account = users.find((u) => u.username === 'clinician');
  const other = departments.find((d) => d.id !== own.id);
  const moved = await admin.patch(`/api/v1/users/${account.id}`, { version: account.version, ordering_department_id: other.id });
  assert.equal(moved.status, 200, moved.text);
  assert.equal(moved.body.ordering_department_id, other.id);

  const missing = await admin.patch(`/api/v1/users/${account.id}`, { version: moved.body.version, ordering_department_id: 99999 });
  assert.equal(missing.status, 400);
  assert.deepEqual(missing.body.error.fields.map((f) => [f.field, f.rule, f.key]), [['ordering_department_id', 'reference', 'department_of_site']]);
  const cleared = await admin.patch(`/api/v1/users/${account.id}`, { version: moved.body.version, ordering_department_id: null });
  assert.equal(cleared.status, 200, cleared.text);
  assert.equal(cleared.body.ordering_department_id, null);

  const created = await admin.post('/api/v1/users', {
    username: 'gu.neike', display_name: '顾医生', password: 'Kx9!veranda-77', roles: ['clinician'], site_id: own.site_id, ordering_department_id: own.id,
  });
  assert.equal(created.status, 201, created.text);
  assert.equal(created.body.ordering_department_id, own.id);
});
