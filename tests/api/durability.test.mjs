// The database file and its audit trail against crashes, mistakes and someone who can write the
// file: restore keeps every acknowledged write, knows the database by the file and not the
// path, and refuses what it cannot restore; the trail is append-only, keyed and anchored.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { newDatabase, startServer, signedIn, radqs, sql, copyDatabase, onPostgres, POSTGRES } from '../lib/server.mjs';
import { rewriteEntry } from '../lib/audit_tamper.mjs';

let store;
before(() => {
  store = newDatabase();
  // A few audit entries of its own, so that the trail tests do not depend on the restore tests
  // before them (skipped on PostgreSQL).
  for (const name of ['dur_a', 'dur_b', 'dur_c', 'dur_d']) {
    const r = radqs(store.db, ['user', 'add', name, '--role', 'inspector', '--password', 'Dur-able-2026x']);
    assert.equal(r.code, 0, r.stderr);
  }
});
after(() => store.cleanup());

const site = (code) => ({ code, name: `持久${code}`, level: 'secondary', kind: 'hospital_department', beds: 1 });
const count = (db, query) => Number(sql(db, query).trim());
// Restore replaces a SQLite file; a PostgreSQL database is restored with pg_restore.
const fileOnly = { skip: POSTGRES && 'restore of a SQLite file' };

test('restore after kill -9 keeps every acknowledged write in the kept old file', fileOnly, async () => {
  const backup = join(store.dir, 'before-kill.db');
  assert.equal(radqs(store.db, ['backup', backup]).code, 0);
  const server = await startServer(store.db);
  const admin = await signedIn(server.url, 'admin');
  const N = 60;
  for (let i = 0; i < N; i++) {
    const r = await admin.post('/api/v1/sites', site(`K${String(i).padStart(3, '0')}`));
    assert.equal(r.status, 201);
  }
  const { signal } = await server.kill();
  assert.equal(signal, 'SIGKILL');
  const r = radqs(store.db, ['restore', backup]);
  assert.equal(r.code, 0, r.stderr);
  const kept = r.stdout.match(/previous database kept as (\S+)/)[1];
  assert.equal(count(kept, "SELECT COUNT(*) FROM sites WHERE code LIKE 'K%';"), N, 'sqlite3 sees all of them');
  const verify = radqs(kept, ['audit', 'verify']);
  assert.equal(verify.code, 0, verify.stdout);
  assert.equal(count(store.db, "SELECT COUNT(*) FROM sites WHERE code LIKE 'K%';"), 0, 'the backup is in place');
});

test('restore under a live server is refused whatever path names the database', fileOnly, async () => {
  const link = join(store.dir, 'link.db');
  symlinkSync(store.db, link);
  const backup = join(store.dir, 'for-symlink.db');
  assert.equal(radqs(store.db, ['backup', backup]).code, 0);
  const server = await startServer(link);
  try {
    for (const path of [store.db, link]) {
      const r = radqs(path, ['restore', backup]);
      assert.equal(r.code, 1, `restore through ${path} must be refused`);
      assert.match(r.stderr, /stop the radqs server/);
    }
    const admin = await signedIn(server.url, 'admin');
    assert.equal((await admin.post('/api/v1/sites', site('SYM1'))).status, 201);
  } finally {
    await server.stop();
  }
  assert.equal(count(store.db, "SELECT COUNT(*) FROM sites WHERE code = 'SYM1';"), 1, 'the write is in the real file');
});

test('restore from a path that does not exist is refused and creates nothing', fileOnly, () => {
  const missing = join(store.dir, 'no-such-backup.db');
  const before = readdirSync(store.dir).sort();
  const r = radqs(store.db, ['restore', missing]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /no backup file at .*no-such-backup\.db: nothing restored/);
  assert.ok(!existsSync(missing));
  assert.deepEqual(readdirSync(store.dir).sort(), before);
});

test('the trail refuses UPDATE and DELETE in the database itself', () => {
  for (const statement of ["UPDATE audit_log SET actor = 'mallory' WHERE seq = 3;", 'DELETE FROM audit_log WHERE seq = 3;',
    'DELETE FROM audit_head;']) {
    assert.throws(() => sql(store.db, statement), /refused|cannot be deleted/, statement);
  }
  assert.equal(radqs(store.db, ['audit', 'verify']).code, 0);
});

test('a chain recomputed without the key fails verify, verify --anchor and restore', () => {
  const copy = copyDatabase(store.db, 'tampered.db');
  const anchors = join(store.dir, 'anchors.jsonl');
  const a = radqs(copy, ['audit', 'anchor', '--out', anchors]);
  assert.equal(a.code, 0, a.stderr);
  const anchored = JSON.parse(readFileSync(anchors, 'utf8').trim().split('\n').pop());
  assert.ok(anchored.seq > 3 && /^[0-9a-f]{64}$/.test(anchored.hash) && anchored.at);

  rewriteEntry(copy, 3, 'mallory');
  const noKey = { RADQS_AUDIT_KEY_FILE: join(store.dir, 'absent.key') };
  assert.equal(radqs(copy, ['audit', 'verify'], noKey).code, 2, 'without the key the tags cannot be checked');

  const keyed = radqs(copy, ['audit', 'verify']);
  assert.equal(keyed.code, 1);
  assert.match(keyed.stdout, /BROKEN at entry 3: .*keyed tag/);

  const withAnchor = radqs(copy, ['audit', 'verify', '--anchor', anchors], noKey);
  assert.equal(withAnchor.code, 1);
  assert.match(withAnchor.stdout, new RegExp(`BROKEN at entry ${anchored.seq}: .*anchor`));

  if (onPostgres(copy)) return;
  const target = join(store.dir, 'target.db');
  const restored = radqs(target, ['restore', copy]);
  assert.equal(restored.code, 1);
  assert.match(restored.stderr, /broken at entry 3: .*keyed tag.*not restored/);
  assert.ok(!existsSync(target));
});

test('a server started on a broken chain logs it and tells administrators', async () => {
  const good = await startServer(store.db);
  try {
    const admin = await signedIn(good.url, 'admin');
    const s = await waitChecked(admin);
    assert.equal(s.ok, true);
    assert.equal(s.problem, false);
    assert.equal(s.keyed, true);
    assert.ok(s.last_anchor.seq > 0);
    const lines = readFileSync(join(store.dir, 'audit-anchors.jsonl'), 'utf8').trim().split('\n');
    assert.equal(JSON.parse(lines.pop()).seq, s.last_anchor.seq, 'the start anchor is in the anchor file');
    assert.match(good.stderr, /audit anchor/);
  } finally {
    await good.stop();
  }

  const copy = copyDatabase(store.db, 'broken-start.db');
  rewriteEntry(copy, 3, 'mallory');
  const server = await startServer(copy, { RADQS_AUDIT_ANCHOR_FILE: join(store.dir, 'broken-anchors.jsonl') });
  try {
    const admin = await signedIn(server.url, 'admin');
    const s = await waitChecked(admin);
    assert.equal(s.ok, false);
    assert.equal(s.problem, true);
    assert.equal(s.first_bad_seq, 3);
    assert.match(server.stderr, /"level":"error".*audit chain BROKEN at entry 3/);
    assert.ok(!existsSync(join(store.dir, 'broken-anchors.jsonl')), 'a broken chain is not anchored');
    const nurse = await signedIn(server.url, 'nurse');
    assert.equal((await nurse.get('/api/v1/audit/status')).status, 403);
  } finally {
    await server.stop();
  }
});

async function waitChecked(admin) {
  for (let i = 0; i < 100; i++) {
    const r = await admin.get('/api/v1/audit/status');
    assert.equal(r.status, 200);
    if (r.body.checked_by_server) return r.body;
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error('the server did not check its audit chain');
}
