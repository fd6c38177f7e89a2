// Moving up (issue 15): `radqs copy-to` copies a SQLite database into an empty PostgreSQL one,
// table by table with its ids, the audit chain intact, and a server on the copy shows what the
// SQLite server showed. Runs in the PostgreSQL pass (it needs the test cluster).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { radqs, startServer, signedIn, psql, POSTGRES } from '../lib/server.mjs';

const skip = !POSTGRES && 'runs in the PostgreSQL pass';
const name = `radqs_copy_${process.pid}`;
const url = `${POSTGRES} dbname=${name}`;
let dir, db;

before(() => {
  if (skip) return;
  dir = mkdtempSync(join(tmpdir(), 'radqs-copy-'));
  db = join(dir, 'radqs.db');
  const r = radqs(db, ['init', '--demo', 'small']);
  assert.equal(r.code, 0, r.stderr);
  psql(`CREATE DATABASE ${name} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'`);
});
after(() => {
  if (skip) return;
  rmSync(dir, { recursive: true, force: true });
  psql(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
});

// What a department sees on both: the home figures and the first page of lists, per role.
async function views(extra) {
  const server = await startServer(db, extra);
  try {
    const out = {};
    for (const user of ['director', 'tech', 'admin']) {
      const c = await signedIn(server.url, user);
      const home = await c.get('/api/v1/home');
      assert.equal(home.status, 200);
      const patients = await c.get('/api/v1/patients?q=wang&limit=20');
      const sites = await c.get('/api/v1/sites?limit=50');
      out[user] = { home: home.body, patients: patients.body.items?.map((p) => p.id), sites: sites.body.items?.length };
    }
    return out;
  } finally {
    await server.stop();
  }
}

test('copy-to moves every table with the chain intact; a server on the copy shows the same', { skip }, async () => {
  const before = await views({});
  const r = radqs(db, ['copy-to', url]);
  assert.equal(r.code, 0, r.stderr + r.stdout);
  assert.match(r.stdout, /^  exams: \d+ rows$/m);
  assert.match(r.stdout, /^  audit_log: \d+ rows$/m);
  assert.match(r.stdout, /done: \d+ tables, \d+ rows; audit chain OK \(\d+ entries\)/);
  const verify = radqs(db, ['audit', 'verify'], { RADQS_DATABASE_URL: url });
  assert.equal(verify.code, 0, verify.stdout);

  const again = radqs(db, ['copy-to', url]);
  assert.equal(again.code, 1, 'a second copy into the same database is refused');
  assert.match(again.stderr, /not empty/);

  const after = await views({ RADQS_DATABASE_URL: url });
  // The copy's server is signed into anew and its start adds audit entries; the rest is equal.
  assert.deepEqual(after, before);
  // Ids go on after the copied ones: a new registration on PostgreSQL takes the next id.
  const server = await startServer(db, { RADQS_DATABASE_URL: url });
  try {
    const tech = await signedIn(server.url, 'tech');
    const p = await tech.post('/api/v1/patients', { name: '迁移患者', sex: 'F', birth_date: '1990-01-01' });
    assert.equal(p.status, 201, p.text);
    const newest = (await tech.get('/api/v1/patients?limit=2')).body.items;
    assert.equal(newest[0].id, p.body.id);
    assert.ok(p.body.id > newest[1].id);
  } finally {
    await server.stop();
  }
});
