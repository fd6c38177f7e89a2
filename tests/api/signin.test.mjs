// Sign-in under attack: a burst of guesses at one account, telling accounts apart by the answer or
// its time, floods, the forced password change after a reset, and wildcards in searches.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newDatabase, startServer, login, client, signedIn, radqs, DEMO_PASSWORD } from '../lib/server.mjs';

let store, server, admin;
before(async () => {
  store = newDatabase();
  // Several hashing threads, so sign-ins really run side by side.
  server = await startServer(store.db, { RADQS_HASH_THREADS: '4' });
  admin = await signedIn(server.url, 'admin');
});
after(async () => {
  const { code } = await server.stop();
  assert.equal(code, 0, `server exit status after SIGTERM: ${server.stderr}`);
  store.cleanup();
});

// A new version of a setting (the latest valid_from wins; each date once per setting).
async function setSetting(key, value, validFrom) {
  const r = await admin.post(`/api/v1/settings/${key}/versions`, { value, valid_from: validFrom, reason: 'test' });
  assert.equal(r.status, 201, JSON.stringify(r.body));
}

async function userNamed(username) {
  const r = await admin.get(`/api/v1/users?q=${username}`);
  return r.body.items.find((u) => u.username === username);
}

async function trailOf(userId) {
  const r = await admin.get(`/api/v1/audit?entity=user&entity_id=${userId}&limit=500`);
  return r.body.items.sort((a, b) => a.seq - b.seq);
}

test('a burst of guesses: every failure counted once, the account locked, the right guess refused once locked', async () => {
  await setSetting('auth.signin_per_account_per_minute', 100, '2020-01-01');
  await setSetting('auth.signin_per_address_per_minute', 1000, '2020-01-01');
  const attempts = Array.from({ length: 20 }, (_, i) => login(server.url, 'engineer', `wrong-guess-${i}`));
  attempts.splice(10, 0, login(server.url, 'engineer', DEMO_PASSWORD));
  const answers = await Promise.all(attempts);
  const right = answers[10];

  const engineer = await userNamed('engineer');
  assert.equal(engineer.locked, true, 'the burst locks the account');
  const trail = await trailOf(engineer.id);
  const lastLogin = trail.filter((e) => e.action === 'auth.login').at(-1);
  const since = trail.filter((e) => !lastLogin || e.seq > lastLogin.seq);
  const failures = since.filter((e) => e.action === 'auth.login_failed');
  assert.equal(engineer.failed_logins, failures.length, 'stored counter = failures in the trail');
  // One server checks one account's guesses one after another: no more than the allowed five.
  assert.equal(failures.length, 5);
  const locks = since.filter((e) => e.action === 'auth.account_locked');
  assert.equal(locks.length, 1);
  if (right.status === 200) {
    assert.ok(lastLogin.seq < locks[0].seq, 'a right guess succeeds only before the lock');
  } else {
    assert.equal(right.status, 401);
  }
  assert.equal((await login(server.url, 'engineer')).status, 401, 'the right password is refused while locked');
  assert.equal((await userNamed('engineer')).locked, true, 'a refused right guess does not clear the lock');
  await admin.post(`/api/v1/users/${engineer.id}/unlock`, {});
});

test('unknown name, wrong password, locked and deactivated accounts get the same answer', async () => {
  const nurse = await userNamed('nurse');
  assert.equal((await admin.post(`/api/v1/users/${nurse.id}/lock`, { reason: 'test' })).status, 200);
  const trainee = await userNamed('trainee');
  assert.equal((await admin.patch(`/api/v1/users/${trainee.id}`, { version: trainee.version, active: false })).status, 200);
  const answers = await Promise.all([
    login(server.url, 'no-such-user', DEMO_PASSWORD),
    login(server.url, 'director', 'wrong-password1'),
    login(server.url, 'nurse', DEMO_PASSWORD),
    login(server.url, 'trainee', DEMO_PASSWORD),
  ]);
  for (const a of answers) {
    assert.equal(a.status, 401);
    assert.deepEqual(a.body, answers[0].body);
    assert.equal(a.body.error.code, 'unauthenticated');
  }
  // The administrator still sees the lock.
  assert.equal((await userNamed('nurse')).locked, true);
  await admin.post(`/api/v1/users/${nurse.id}/unlock`, {});
  const t2 = await userNamed('trainee');
  await admin.patch(`/api/v1/users/${trainee.id}`, { version: t2.version, active: true });
});

test('sign-in floods: per account and per client address, 429 with Retry-After naming the rule', async () => {
  await setSetting('auth.signin_per_account_per_minute', 3, '2021-01-01');
  const statuses = [];
  let refused;
  for (let i = 0; i < 4; i++) {
    const r = await fetch(`${server.url}/api/v1/auth/login`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'flooded-name', password: `guess-${i}` }),
    });
    statuses.push(r.status);
    if (r.status === 429) refused = { body: await r.json(), retry: r.headers.get('retry-after') };
  }
  assert.deepEqual(statuses, [401, 401, 401, 429]);
  assert.equal(refused.body.error.code, 'too_many_requests');
  assert.equal(refused.body.error.fields[0].rule, 'auth.signin_per_account_per_minute');
  assert.ok(Number(refused.retry) >= 1 && Number(refused.retry) <= 60, `Retry-After ${refused.retry}`);
  // Another account from the same address is not held up.
  assert.equal((await login(server.url, 'director')).status, 200);

  await setSetting('auth.signin_per_address_per_minute', 2, '2021-01-01');
  let byAddress;
  for (let i = 0; i < 4 && !byAddress; i++) {
    const r = await login(server.url, `other-name-${i}`, 'whatever1');
    if (r.status === 429) byAddress = r;
  }
  assert.ok(byAddress, 'the address limit refuses');
  assert.equal(byAddress.body.error.fields[0].rule, 'auth.signin_per_address_per_minute');
  await setSetting('auth.signin_per_address_per_minute', 1000, '2022-01-01');
  await setSetting('auth.signin_per_account_per_minute', 100, '2022-01-01');
  assert.equal((await login(server.url, 'director')).status, 200);
});

test('after an administrator reset only the password change, sign-out and who-am-I are allowed', async () => {
  const clinician = await userNamed('clinician');
  assert.equal((await admin.post(`/api/v1/users/${clinician.id}/password`, { new_password: 'Reset2026x' })).status, 200);
  const first = await login(server.url, 'clinician', 'Reset2026x');
  assert.equal(first.status, 200);
  assert.equal(first.body.user.must_change_password, true);
  const c = client(server.url, first.token);
  for (const [what, r] of [
    ['read', await c.get('/api/v1/sites')],
    ['write', await c.post('/api/v1/patients', { name: '张三' })],
  ]) {
    assert.equal(r.status, 403, `${what}: ${r.text}`);
    assert.equal(r.body.error.fields[0].rule, 'password_change_required');
  }
  assert.equal((await c.get('/api/v1/auth/me')).status, 200);
  const second = await login(server.url, 'clinician', 'Reset2026x');
  assert.equal((await client(server.url, second.token).post('/api/v1/auth/logout')).status, 204);
  assert.equal((await c.post('/api/v1/auth/password', { current_password: 'Reset2026x', new_password: 'Changed2026x' })).status, 204);
  assert.equal((await c.get('/api/v1/sites')).status, 200);
  assert.equal((await c.get('/api/v1/auth/me')).body.user.must_change_password, false);
});

test('wildcards in searches match themselves', async () => {
  assert.deepEqual((await admin.get('/api/v1/users?q=%25')).body.items, []);
  assert.deepEqual((await admin.get('/api/v1/users?q=_')).body.items, []);
  assert.ok((await admin.get('/api/v1/users?q=doc')).body.items.length >= 1);
  assert.deepEqual((await admin.get('/api/v1/catalogue?q=%25')).body.items, []);
  assert.deepEqual((await admin.get('/api/v1/audit?action=auth_')).body.items, []);
  assert.ok((await admin.get('/api/v1/audit?action=auth.')).body.items.length >= 1);
});

test('typed user names in failed sign-ins are refused with control characters and stored bounded', async () => {
  // Control and bidirectional characters are refused at the field (nothing reaches the trail).
  assert.equal((await login(server.url, `bad\u0007name\u202e`, 'whatever1')).status, 400);
  const typed = `badname${'x'.repeat(50)}`;
  assert.equal((await login(server.url, typed, 'whatever1')).status, 401);
  const r = await admin.get('/api/v1/audit?action=auth.login_failed&limit=500');
  const entry = r.body.items.find((e) => e.detail.includes('badname'));
  assert.ok(entry, 'the attempt is recorded');
  assert.ok(!r.body.items.some((e) => /[\u0000-\u001f\u007f\u202a-\u202e\u2066-\u2069]/.test(e.detail)));
  assert.equal((await login(server.url, 'y'.repeat(65), 'whatever1')).status, 400);
});

test('an unknown name costs as much as a wrong password (hash level moderate)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'radqs-test-'));
  const db = join(dir, 'radqs.db');
  try {
    assert.equal(radqs(db, ['init', '--admin-password', 'Chief2026x']).code, 0);
    const slow = await startServer(db, { RADQS_PASSWORD_HASH: 'moderate' });
    try {
      const a = client(slow.url, (await login(slow.url, 'admin', 'Chief2026x')).token);
      const created = await a.post('/api/v1/users', {
        username: 'timing', display_name: '计时', password: 'Clock2026xy', roles: ['inspector'], must_change_password: false,
      });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const time = async (username) => {
        const started = performance.now();
        const r = await login(slow.url, username, 'wrong-password1');
        assert.equal(r.status, 401);
        return performance.now() - started;
      };
      const median = (xs) => xs.sort((x, y) => x - y)[1];
      const wrong = [], unknown = [];
      for (let i = 0; i < 3; i++) {
        wrong.push(await time('timing'));
        unknown.push(await time(`nobody-${i}`));
      }
      assert.ok(median(unknown) >= 0.5 * median(wrong),
        `unknown name ${median(unknown).toFixed(0)} ms, wrong password ${median(wrong).toFixed(0)} ms`);
    } finally {
      await slow.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
