// Starts a real radqs server on 127.0.0.1 with a fresh demo database, for API and browser tests.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export const BIN = process.env.RADQS_BIN ?? new URL('../../build/debug/radqs', import.meta.url).pathname;
export const WEB_ROOT = new URL('../../web/dist', import.meta.url).pathname;
export const DEMO_PASSWORD = 'Radqs2026';
export const DEMO_USERS = {
  admin: 'admin', director: 'director', qc_officer: 'qc', radiologist: 'doctor',
  technologist: 'tech', nurse: 'nurse', engineer: 'engineer', safety_officer: 'safety',
  clinician: 'clinician', hospital_qc: 'hqc', inspector: 'inspector', trainee: 'trainee',
};

// RADQS_TEST_POSTGRES (a libpq key=value string without dbname; tests/postgres/cluster.sh prints
// it) runs the suite on PostgreSQL: each database a test makes is a new database on that server,
// and the SQLite path beside it only holds the audit key and anchors.
export const POSTGRES = process.env.RADQS_TEST_POSTGRES ?? '';
const postgresUrls = new Map();
let postgresCount = 0;

export function psql(sql) {
  execFileSync('psql', [`${POSTGRES} dbname=postgres`, '-qXc', sql], { stdio: ['ignore', 'pipe', 'pipe'] });
}

export function env(db, extra = {}) {
  return {
    ...process.env,
    RADQS_DATABASE: db,
    ...(postgresUrls.has(db) ? { RADQS_DATABASE_URL: postgresUrls.get(db) } : {}),
    RADQS_PASSWORD_HASH: 'minimum',
    RADQS_WEB_ROOT: WEB_ROOT,
    RADQS_ADDRESS: '127.0.0.1',
    RADQS_PORT: '0',
    ...extra,
  };
}

export function radqs(db, args, extra = {}) {
  try {
    const stdout = execFileSync(BIN, args, { env: env(db, extra), encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
    return { code: 0, stdout };
  } catch (e) {
    return { code: e.status, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

export function newDatabase({ demo = 'small' } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'radqs-test-'));
  const db = join(dir, 'radqs.db');
  let name = null;
  if (POSTGRES) {
    name = `radqs_api_${process.pid}_${++postgresCount}`;
    psql(`CREATE DATABASE ${name} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'`);
    postgresUrls.set(db, `${POSTGRES} dbname=${name}`);
  }
  const r = radqs(db, ['init', '--demo', demo]);
  if (r.code !== 0) throw new Error(`radqs init failed: ${r.stdout} ${r.stderr}`);
  const cleanup = () => {
    rmSync(dir, { recursive: true, force: true });
    // The test's database and the copies made of it (copyDatabase) live in the same folder.
    for (const [path, url] of postgresUrls) {
      if (!path.startsWith(dir)) continue;
      try { psql(`DROP DATABASE IF EXISTS ${url.match(/dbname=(\w+)/)[1]} WITH (FORCE)`); } catch { /* the cluster goes after the run */ }
      postgresUrls.delete(path);
    }
  };
  return { dir, db, postgres: Boolean(name), cleanup };
}

// Runs SQL straight on a test database, as someone with access to it would: sqlite3 on the file,
// or psql on the PostgreSQL database. Rows come back one per line, columns joined by '|'.
export function sql(db, statements) {
  const args = postgresUrls.has(db)
    ? ['psql', [postgresUrls.get(db), '-qAtX', '-v', 'ON_ERROR_STOP=1']]
    : ['sqlite3', [db]];
  return execFileSync(args[0], args[1], { input: statements, encoding: 'utf8', maxBuffer: 1 << 28, stdio: ['pipe', 'pipe', 'pipe'] });
}

export const onPostgres = (db) => postgresUrls.has(db);

// A copy of a stopped server's database under a new name in the same directory: `radqs backup`
// of the SQLite file, or a new PostgreSQL database made from it as a template.
export function copyDatabase(db, name) {
  const copy = join(dirname(db), name);
  if (!postgresUrls.has(db)) {
    const r = radqs(db, ['backup', copy]);
    if (r.code !== 0) throw new Error(`backup failed: ${r.stderr}`);
    return copy;
  }
  const from = postgresUrls.get(db).match(/dbname=(\w+)/)[1];
  const to = `radqs_api_${process.pid}_${++postgresCount}`;
  psql(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${from}'`);
  psql(`CREATE DATABASE ${to} TEMPLATE ${from}`);
  postgresUrls.set(copy, `${POSTGRES} dbname=${to}`);
  return copy;
}

// Starts `radqs serve` on the given database; resolves once it listens.
export async function startServer(db, extra = {}) {
  const child = spawn(BIN, ['serve'], { env: env(db, extra), stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`server did not start: ${stderr}`)), 30000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/listening on (https?:\/\/[^/\s]+)/);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited ${code}: ${stderr}`)); });
  });
  let stopping = false;
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => {
    // A server that dies under a test takes its reason with it unless it is shown here.
    if (!stopping) process.stderr.write(`radqs serve exited unexpectedly (${code ?? signal}):\n${stderr}\n`);
    resolve({ code, signal });
  }));
  return {
    url,
    get stderr() { return stderr; },
    // SIGTERM, then the exit status (0 after a graceful stop with no sanitizer findings).
    async stop() {
      stopping = true;
      child.kill('SIGTERM');
      return exited;
    },
    // kill -9: no clean stop, nothing flushed by the server itself.
    async kill() {
      stopping = true;
      child.kill('SIGKILL');
      return exited;
    },
  };
}

// Opens `n` TCP connections that send nothing; resolves once all are connected.
export async function idleSockets(url, n) {
  const { port } = new URL(url);
  const net = await import('node:net');
  const sockets = [];
  const closed = { count: 0 };
  await Promise.all(Array.from({ length: n }, () => new Promise((resolve, reject) => {
    const s = net.connect({ host: '127.0.0.1', port: Number(port) }, resolve);
    s.on('error', () => {});
    s.on('close', () => { closed.count += 1; resolve(); });
    s.on('data', () => {});
    sockets.push(s);
  })));
  return { sockets, closed, destroy: () => sockets.forEach((s) => s.destroy()) };
}

// Sends raw bytes on a new connection and resolves with everything the server sent back before
// it closed (or `ms` passed).
export async function rawExchange(url, bytes, ms = 3000) {
  const { port } = new URL(url);
  const net = await import('node:net');
  return new Promise((resolve) => {
    let got = '';
    const s = net.connect({ host: '127.0.0.1', port: Number(port) }, () => s.write(bytes));
    const timer = setTimeout(() => { s.destroy(); resolve({ text: got, closed: false }); }, ms);
    s.on('data', (d) => { got += d.toString('latin1'); });
    s.on('error', () => {});
    s.on('close', () => { clearTimeout(timer); resolve({ text: got, closed: true }); });
  });
}

export async function login(url, username, password = DEMO_PASSWORD) {
  const res = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  const body = await res.json();
  return { status: res.status, body, cookie: res.headers.get('set-cookie'), token: body.token };
}

// A small client that authenticates with a bearer token.
export function client(url, token) {
  const call = async (method, path, body, headers = {}) => {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    let json = null;
    try { json = text ? JSON.parse(text) : null; } catch { json = null; }
    return { status: res.status, body: json, text, headers: res.headers };
  };
  return {
    get: (p, h) => call('GET', p, undefined, h),
    post: (p, b = {}, h) => call('POST', p, b, h),
    patch: (p, b = {}, h) => call('PATCH', p, b, h),
    put: (p, b = {}, h) => call('PUT', p, b, h),
    del: (p, h) => call('DELETE', p, undefined, h),
  };
}

export async function signedIn(url, username) {
  const r = await login(url, username);
  if (r.status !== 200) throw new Error(`login ${username} failed: ${r.status} ${JSON.stringify(r.body)}`);
  return client(url, r.token);
}

// The first bookable slot of a room from `days` days ahead (Beijing dates) within a week: rooms
// that are not open all day are closed on Sundays, so a fixed day ahead fails one day in seven.
export async function freeSlot(api, roomId, days) {
  const day = (n) => new Date(Date.now() + 8 * 3600e3 + n * 86400e3).toISOString().slice(0, 10);
  const r = await api.get(`/api/v1/rooms/${roomId}/slots?from=${day(days)}&to=${day(days + 6)}`);
  const slot = r.body?.items?.find((s) => s.free > 0 && !s.closed);
  if (!slot) throw new Error(`no free slot in room ${roomId} from ${day(days)}: ${r.status} ${r.text.slice(0, 200)}`);
  return slot;
}

// Opens the event stream of the server at `url` for `auth` ({ token } or { cookie });
// `text()` is what arrived so far, `close()` ends it.
export async function openEvents(url, auth) {
  const controller = new AbortController();
  const headers = auth.token ? { authorization: `Bearer ${auth.token}` } : { cookie: auth.cookie };
  const res = await fetch(`${url}/api/v1/events`, { headers, signal: controller.signal });
  let text = '';
  if (res.status === 200) {
    const reader = res.body.getReader();
    (async () => {
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          text += new TextDecoder().decode(value);
        }
      } catch { /* aborted */ }
    })();
  } else {
    await res.text();
  }
  return { status: res.status, text: () => text, close: () => controller.abort() };
}
