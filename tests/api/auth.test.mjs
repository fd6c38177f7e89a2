// Sign-in, lockout, session expiry, sign-out, password change, CSRF and API tokens.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { newDatabase, startServer, login, client, signedIn, DEMO_PASSWORD, sql } from '../lib/server.mjs';

let store, server, admin;
before(async () => {
  store = newDatabase();
  server = await startServer(store.db);
  admin = await signedIn(server.url, 'admin');
});
after(async () => {
  const { code } = await server.stop();
  assert.equal(code, 0, `server exit status after SIGTERM: ${server.stderr}`);
  store.cleanup();
});

test('sign-in returns a token, an HttpOnly SameSite=Strict cookie and the account', async () => {
  const r = await login(server.url, 'director');
  assert.equal(r.status, 200);
  assert.ok(r.token.length >= 40);
  assert.match(r.cookie, /radqs_session=.+; Path=\/; HttpOnly; SameSite=Strict/);
  assert.deepEqual(r.body.user.roles, ['director']);
  assert.equal(r.body.user.username, 'director');
  assert.ok(r.body.csrf_token);
  const me = await client(server.url, r.token).get('/api/v1/auth/me');
  assert.equal(me.status, 200);
  assert.ok(me.body.permissions.includes('staff.read'));
  assert.ok(!me.body.permissions.includes('users.write'));
});

test('wrong password and unknown user get the same 401', async () => {
  const a = await login(server.url, 'director', 'wrong-password1');
  const b = await login(server.url, 'nobody', 'wrong-password1');
  assert.equal(a.status, 401);
  assert.equal(b.status, 401);
  assert.equal(a.body.error.message, b.body.error.message);
  assert.equal(a.body.error.code, 'unauthenticated');
});

test('five failed sign-ins lock the account; the lock is visible to admins and can be lifted', async () => {
  for (let i = 1; i <= 5; i++) assert.equal((await login(server.url, 'engineer', `bad-pass-${i}`)).status, 401);
  // Even the right password is refused while locked, with the same answer as a wrong one.
  assert.equal((await login(server.url, 'engineer', DEMO_PASSWORD)).status, 401);
  const users = await admin.get('/api/v1/users?q=engineer');
  const engineer = users.body.items.find((u) => u.username === 'engineer');
  assert.equal(engineer.locked, true);
  assert.ok(engineer.locked_until);
  assert.equal(engineer.failed_logins, 5);
  const audit = await admin.get(`/api/v1/audit?action=auth.account_locked&entity_id=${engineer.id}`);
  assert.equal(audit.body.items.length, 1);
  assert.equal((await admin.post(`/api/v1/users/${engineer.id}/unlock`, {})).status, 200);
  assert.equal((await login(server.url, 'engineer')).status, 200);
});

test('an administrator lock ends the sessions of that user at once', async () => {
  const nurse = await login(server.url, 'nurse');
  const nurseClient = client(server.url, nurse.token);
  assert.equal((await nurseClient.get('/api/v1/auth/me')).status, 200);
  const id = nurse.body.user.id;
  assert.equal((await admin.post(`/api/v1/users/${id}/lock`, { reason: '离职' })).status, 200);
  assert.equal((await nurseClient.get('/api/v1/auth/me')).status, 401);
  assert.equal((await login(server.url, 'nurse')).status, 401);
  await admin.post(`/api/v1/users/${id}/unlock`, {});
});

test('sign-out ends the session', async () => {
  const r = await login(server.url, 'clinician');
  const c = client(server.url, r.token);
  assert.equal((await c.post('/api/v1/auth/logout')).status, 204);
  assert.equal((await c.get('/api/v1/auth/me')).status, 401);
});

test('cookie-authenticated writes need the CSRF header; bearer writes do not', async () => {
  const r = await login(server.url, 'admin');
  const cookie = r.cookie.split(';')[0];
  const body = JSON.stringify({ code: 'CSRF1', name: '跨站测试', level: 'secondary', kind: 'hospital_department', beds: 1 });
  const headers = { cookie, 'content-type': 'application/json' };
  const without = await fetch(`${server.url}/api/v1/sites`, { method: 'POST', headers, body });
  assert.equal(without.status, 403);
  const withToken = await fetch(`${server.url}/api/v1/sites`, {
    method: 'POST', headers: { ...headers, 'x-csrf-token': r.body.csrf_token }, body,
  });
  assert.equal(withToken.status, 201);
  const read = await fetch(`${server.url}/api/v1/auth/me`, { headers: { cookie } });
  assert.equal(read.status, 200);
});

test('password change: policy enforced, other sessions end, the new password works', async () => {
  const first = await login(server.url, 'qc');
  const second = await login(server.url, 'qc');
  const c1 = client(server.url, first.token);
  const weak = await c1.post('/api/v1/auth/password', { current_password: DEMO_PASSWORD, new_password: 'short' });
  assert.equal(weak.status, 400);
  assert.equal(weak.body.error.fields[0].field, 'new_password');
  assert.equal(weak.body.error.fields[0].rule, 'weak_password');
  const wrong = await c1.post('/api/v1/auth/password', { current_password: 'nope12345', new_password: 'Fresh2027pw' });
  assert.equal(wrong.body.error.fields[0].field, 'current_password');
  assert.equal((await c1.post('/api/v1/auth/password', { current_password: DEMO_PASSWORD, new_password: 'Fresh2027pw' })).status, 204);
  assert.equal((await c1.get('/api/v1/auth/me')).status, 200);
  assert.equal((await client(server.url, second.token).get('/api/v1/auth/me')).status, 401);
  assert.equal((await login(server.url, 'qc')).status, 401);
  assert.equal((await login(server.url, 'qc', 'Fresh2027pw')).status, 200);
});

test('API tokens act with their roles until revoked', async () => {
  const created = await admin.post('/api/v1/api-tokens', { name: 'HIS接口', roles: ['inspector'] });
  assert.equal(created.status, 201);
  assert.match(created.body.token, /^rqt_/);
  const integration = client(server.url, created.body.token);
  assert.equal((await integration.get('/api/v1/sites')).status, 200);
  assert.equal((await integration.get('/api/v1/users')).status, 403);
  const listed = await admin.get('/api/v1/api-tokens');
  assert.ok(listed.body.items.every((t) => t.token === undefined));
  assert.equal((await admin.post(`/api/v1/api-tokens/${created.body.id}/revoke`)).status, 204);
  assert.equal((await integration.get('/api/v1/sites')).status, 401);
  const adminRole = await admin.post('/api/v1/api-tokens', { name: 'x', roles: ['admin'] });
  assert.equal(adminRole.status, 400);
});

test('sessions end when idle and at their absolute lifetime (checked after a restart)', async () => {
  const idle = await login(server.url, 'safety');
  const old = await login(server.url, 'inspector');
  const fresh = await login(server.url, 'hqc');
  const { code } = await server.stop();
  assert.equal(code, 0);
  const now = Date.now() * 1000;
  // Move the stored stamps back instead of waiting: 31 idle minutes; a lifetime that ended.
  sql(store.db,
    `UPDATE sessions SET last_seen_at = ${now - 31 * 60e6} WHERE user_id = ${idle.body.user.id};` +
    `UPDATE sessions SET expires_at = ${now - 1e6} WHERE user_id = ${old.body.user.id};`);
  server = await startServer(store.db);
  admin = await signedIn(server.url, 'admin');
  assert.equal((await client(server.url, idle.token).get('/api/v1/auth/me')).status, 401);
  assert.equal((await client(server.url, old.token).get('/api/v1/auth/me')).status, 401);
  assert.equal((await client(server.url, fresh.token).get('/api/v1/auth/me')).status, 200);
  const ended = sql(store.db,
    `SELECT ended_reason FROM sessions WHERE user_id IN (${idle.body.user.id}, ${old.body.user.id}) AND ended_at IS NOT NULL ORDER BY user_id;`);
  assert.deepEqual(ended.trim().split('\n').sort(), ['absolute', 'idle']);
});
