// The audit chain detects tampering on a copied database; backup and restore round-trip.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { newDatabase, startServer, signedIn, radqs, sql, copyDatabase, POSTGRES } from '../lib/server.mjs';
import { dropTriggers } from '../lib/audit_tamper.mjs';

let store, server, admin;
before(async () => {
  store = newDatabase();
  server = await startServer(store.db);
  admin = await signedIn(server.url, 'admin');
});
after(async () => {
  if (server) await server.stop();
  store.cleanup();
});

const site = (code) => ({ code, name: `审计测试${code}`, level: 'secondary', kind: 'hospital_department', beds: 10 });

test('every change leaves an audit entry with before and after digests', async () => {
  const created = await admin.post('/api/v1/sites', site('A1'));
  assert.equal(created.status, 201);
  const changed = await admin.patch(`/api/v1/sites/${created.body.id}`, { beds: 20, version: created.body.version });
  assert.equal(changed.status, 200);
  const entries = await admin.get(`/api/v1/audit?entity=site&entity_id=${created.body.id}`);
  const update = entries.body.items.find((e) => e.action === 'site.update');
  assert.ok(update.before_digest && update.after_digest && update.before_digest !== update.after_digest);
  assert.equal(update.actor, 'admin');
  const verify = await admin.get('/api/v1/audit/verify');
  assert.equal(verify.body.ok, true);
});

test('audit verify fails on an edited copy and names the entry; the original still passes', () => {
  const copy = copyDatabase(store.db, 'copy.db');
  assert.equal(radqs(copy, ['audit', 'verify']).code, 0);
  sql(copy, `${dropTriggers(copy)} UPDATE audit_log SET actor = 'mallory' WHERE seq = 3;`);
  const r = radqs(copy, ['audit', 'verify']);
  assert.equal(r.code, 1);
  assert.match(r.stdout, /BROKEN at entry 3/);
  assert.equal(radqs(store.db, ['audit', 'verify']).code, 0);
});

test('on PostgreSQL, backup and restore name the pg_dump and pg_restore commands instead', { skip: !POSTGRES }, () => {
  const file = join(store.dir, 'backup.dump');
  const b = radqs(store.db, ['backup', file]);
  assert.equal(b.code, 2);
  assert.match(b.stderr, /pg_dump --format=custom --file='.*backup\.dump' 'host=.* dbname=radqs_api_\w+'/);
  const r = radqs(store.db, ['restore', file]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /Stop every radqs server.*\n\s+pg_restore --clean --if-exists --no-owner --dbname=/);
});

test('backup while serving, restore after stopping: the copy is what was there', { skip: POSTGRES && 'a SQLite file' }, async () => {
  const before = await admin.post('/api/v1/sites', site('B1'));
  assert.equal(before.status, 201);
  const file = join(store.dir, 'backup.db');
  const b = radqs(store.db, ['backup', file]);
  assert.equal(b.code, 0, b.stderr);
  const later = await admin.post('/api/v1/sites', site('B2'));
  assert.equal(later.status, 201);
  assert.equal(radqs(store.db, ['restore', file]).code, 1, 'restore refuses while the server runs');
  const { code } = await server.stop();
  assert.equal(code, 0, server.stderr);
  server = null;
  const r = radqs(store.db, ['restore', file]);
  assert.equal(r.code, 0, r.stderr);
  server = await startServer(store.db);
  admin = await signedIn(server.url, 'admin');
  const codes = (await admin.get('/api/v1/sites?limit=500')).body.items.map((s) => s.code);
  assert.ok(codes.includes('B1'));
  assert.ok(!codes.includes('B2'));
  assert.equal((await admin.get('/api/v1/audit/verify')).body.ok, true);
});
