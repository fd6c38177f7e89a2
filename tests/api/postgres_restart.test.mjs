// PostgreSQL restarts under load (issue 15, operations): while the database is down every request
// answers 503 and /healthz says so; afterwards the same server answers again without a restart,
// and no write it acknowledged is lost. Runs on a cluster of its own (the run's cluster is shared).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { radqs, startServer, signedIn, POSTGRES } from '../lib/server.mjs';

const CLUSTER = new URL('../postgres/cluster.sh', import.meta.url).pathname;
const skip = !POSTGRES && 'runs in the PostgreSQL pass';
let dir, server, admin;
const pgCtl = (action) => {
  const bin = execFileSync('pg_config', ['--bindir'], { encoding: 'utf8' }).trim();
  const asOwner = process.getuid() === 0 ? ['runuser', '-u', 'postgres', '--'] : [];
  const [cmd, ...args] = [...asOwner, `${bin}/pg_ctl`, '-D', join(dir, 'pg', 'data'), '-w', '-m', 'fast',
    '-o', `-c listen_addresses='' -c unix_socket_directories='${join(dir, 'pg')}'`, action];
  execFileSync(cmd, args, { stdio: 'ignore' });
};

before(async () => {
  if (skip) return;
  dir = mkdtempSync(join(tmpdir(), 'radqs-pg-restart-'));
  chmodSync(dir, 0o755);  // the cluster runs as the postgres user
  execFileSync('bash', [CLUSTER, 'start', join(dir, 'pg')], { stdio: 'ignore' });
  const db = join(dir, 'radqs.db');
  const extra = { RADQS_DATABASE_URL: `host=${join(dir, 'pg')} port=5432 user=postgres dbname=postgres` };
  const r = radqs(db, ['init', '--demo', 'small'], extra);
  assert.equal(r.code, 0, r.stderr);
  server = await startServer(db, extra);
  admin = await signedIn(server.url, 'admin');
});
after(async () => {
  if (skip) return;
  if (server) await server.stop();
  execFileSync('bash', [CLUSTER, 'stop', join(dir, 'pg')], { stdio: 'ignore' });
  rmSync(dir, { recursive: true, force: true });
});

const site = (i) => ({ code: `PGR${i}`, name: `重启${i}`, level: 'secondary', kind: 'hospital_department', beds: 1 });

test('a PostgreSQL restart under writes: 503 while down, nothing acknowledged lost, served again after', { skip }, async () => {
  assert.deepEqual(await (await fetch(`${server.url}/healthz`)).json(), { status: 'ok', database: 'ok' });
  const acknowledged = new Set();
  let refused = 0;
  let other = 0;
  let writing = true;
  const writer = (async () => {
    for (let i = 0; writing; i++) {
      const r = await admin.post('/api/v1/sites', site(i));
      if (r.status === 201) acknowledged.add(`PGR${i}`);
      else if (r.status === 503 && r.body.error.code === 'unavailable') refused += 1;
      else other += 1;
    }
  })();
  await new Promise((r) => setTimeout(r, 500));
  pgCtl('stop');
  await new Promise((r) => setTimeout(r, 1500));
  const down = await fetch(`${server.url}/healthz`);
  assert.equal(down.status, 503);
  assert.deepEqual(await down.json(), { status: 'unavailable', database: 'unreachable' });
  assert.equal((await admin.get('/api/v1/sites?limit=1')).status, 503, 'a read while down');
  pgCtl('start');
  await new Promise((r) => setTimeout(r, 1500));
  writing = false;
  await writer;
  assert.equal((await fetch(`${server.url}/healthz`)).status, 200, 'healthy again without a restart');
  assert.ok(refused > 0, 'writes were refused while the database was down');
  assert.equal(other, 0, 'every answer was 201 or 503 unavailable');
  assert.equal((await admin.get('/api/v1/sites?q=PGR&limit=10')).status, 200);
  const stored = new Set(execFileSync('psql', [`host=${join(dir, 'pg')} port=5432 user=postgres dbname=postgres`, '-qAtXc',
    "SELECT code FROM sites WHERE code LIKE 'PGR%'"], { encoding: 'utf8' }).trim().split('\n'));
  for (const code of acknowledged) assert.ok(stored.has(code), `${code} was acknowledged and is stored`);
  assert.ok(acknowledged.size > 5, `${acknowledged.size} writes acknowledged`);
});
