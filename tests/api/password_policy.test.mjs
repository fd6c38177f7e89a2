// The password policy (issue 14 item 13): length, character classes, not the user name, not a
// common password; stricter for administrators; versioned settings; applied on create, reset
// and change, each refusal naming the field, the rule weak_password and what failed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { newDatabase, startServer, signedIn, DEMO_PASSWORD, DEMO_USERS } from '../lib/server.mjs';

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

const today = () => new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);
let n = 0;
const newUser = (password, roles = ['technologist']) =>
  admin.post('/api/v1/users', { username: `pw.user${++n}`, display_name: `测试${n}`, password, roles, must_change_password: false });

function refusal(r, field, key) {
  assert.equal(r.status, 400, r.text);
  const f = r.body.error.fields.find((x) => x.field === field);
  assert.ok(f, `no error on ${field}: ${r.text}`);
  assert.equal(f.rule, 'weak_password');
  assert.equal(f.key, key);
  assert.equal(f.params.check, key.replace('weak_password_', ''));
  return f;
}

test('each rule refuses on create, naming the field, the check and its limits', async () => {
  const short = refusal(await newUser('Ab3x'), 'password', 'weak_password_length');
  assert.equal(short.params.min_length, 8);
  const classes = refusal(await newUser('abcdefghij'), 'password', 'weak_password_classes');
  assert.equal(classes.params.min_classes, 2);
  assert.equal(classes.params.classes, 1);
  refusal(await admin.post('/api/v1/users', {
    username: 'wang.fang', display_name: '王芳', password: 'Wang.Fang2026', roles: ['nurse'],
  }), 'password', 'weak_password_username');
  refusal(await newUser('password1'), 'password', 'weak_password_common');
  refusal(await newUser('Dragon2026!'), 'password', 'weak_password_common');
  assert.equal((await newUser('Xk4pq9wz')).status, 201, 'a good password passes');
});

test('an administrator needs a longer password mixing three classes: password1 is refused', async () => {
  refusal(await newUser('password1', ['admin']), 'password', 'weak_password_classes');
  const long = refusal(await newUser('Xk4pq9wz', ['admin']), 'password', 'weak_password_length');
  assert.equal(long.params.min_length, 9);
  refusal(await newUser('Password1', ['admin']), 'password', 'weak_password_common');
  assert.equal((await newUser('Xk4pq9wz7', ['admin'])).status, 201);
});

test('the demo password is valid for every demo role, administrators included', async () => {
  for (const [role] of Object.entries(DEMO_USERS)) {
    const r = await newUser(DEMO_PASSWORD, [role]);
    assert.equal(r.status, 201, `${role}: ${r.text}`);
  }
});

test('reset and change apply the policy of the account concerned', async () => {
  const users = (await admin.get('/api/v1/users?q=engineer')).body.items;
  const engineer = users.find((u) => u.username === 'engineer');
  refusal(await admin.post(`/api/v1/users/${engineer.id}/password`, { new_password: 'qwerty123' }), 'new_password', 'weak_password_common');
  refusal(await admin.post(`/api/v1/users/${engineer.id}/password`, { new_password: 'Engineer77' }), 'new_password', 'weak_password_username');
  // An administrator's reset of another administrator's password gets the admin minimum.
  const other = await newUser('Other2026pw', ['admin']);
  refusal(await admin.post(`/api/v1/users/${other.body.id}/password`, { new_password: 'Zq7werty' }), 'new_password', 'weak_password_length');
  refusal(await admin.post('/api/v1/auth/password', { current_password: DEMO_PASSWORD, new_password: 'password1' }),
    'new_password', 'weak_password_classes');
  const doctor = await signedIn(server.url, DEMO_USERS.radiologist);
  refusal(await doctor.post('/api/v1/auth/password', { current_password: DEMO_PASSWORD, new_password: 'iloveyou1' }),
    'new_password', 'weak_password_common');
});

test('the policy is a versioned setting: a new version applies from its date', async () => {
  const v = await admin.post('/api/v1/settings/auth.password_min_length/versions',
    { value: 12, valid_from: today(), reason: '院内信息安全制度：密码不少于12位' });
  assert.equal(v.status, 201, v.text);
  const short = refusal(await newUser('Xk4pq9wz77'), 'password', 'weak_password_length');
  assert.equal(short.params.min_length, 12);
  assert.equal((await newUser('Xk4pq9wz77ab')).status, 201);
  const adminMin = (await admin.get('/api/v1/settings/auth.password_admin_min_length')).body;
  assert.equal(adminMin.value, 9);
  assert.ok(adminMin.name.includes('管理员'));
});
