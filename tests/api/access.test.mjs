// Every declared route, for every role: 401 without sign-in, 403 where the expected table
// (expected_access.mjs, written from the duties of domain.md §0) says the role may not (also for
// records that do not exist, so nothing leaks), never 401/403 where it may. Every route is
// documented, and documented with the roles the table expects.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { newDatabase, startServer, login, client, DEMO_USERS } from '../lib/server.mjs';
import { EXPECTED, ROLES } from './expected_access.mjs';

let store, server, routes, clients = {};
before(async () => {
  store = newDatabase();
  server = await startServer(store.db);
  const doc = await (await fetch(`${server.url}/api/openapi.json`)).json();
  routes = [];
  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(ops)) routes.push({ path, method: method.toUpperCase(), op });
  }
  for (const [role, username] of Object.entries(DEMO_USERS)) {
    const r = await login(server.url, username);
    assert.equal(r.status, 200, `${username} signs in`);
    clients[role] = client(server.url, r.token);
  }
});
after(async () => {
  const { code } = await server.stop();
  assert.equal(code, 0, server.stderr);
  store.cleanup();
});

const concrete = (path) => path.replace(/\{key\}/g, 'org.licence_alert_days').replace(/\{[a-z_]+\}/g, '999999');
// Routes that change the caller's own session are exercised in auth.test.mjs.
const skip = new Set(['POST /api/v1/auth/login', 'POST /api/v1/auth/logout']);

test('every route has a summary, a tag and a declared permission', () => {
  assert.ok(routes.length >= 30, `only ${routes.length} routes`);
  for (const r of routes) {
    assert.ok(r.op.summary && r.op.summary.length > 5, `${r.method} ${r.path} has no summary`);
    assert.ok(r.op.tags?.[0], `${r.method} ${r.path} has no tag`);
    assert.ok(r.op['x-permission'], `${r.method} ${r.path} declares no permission`);
  }
});

test('the expected table names every route, and only routes', () => {
  const served = new Set(routes.map((r) => `${r.method} ${r.path}`));
  const missing = [...served].filter((k) => !(k in EXPECTED));
  assert.deepEqual(missing, [], 'routes without an expectation in expected_access.mjs');
  const stale = Object.keys(EXPECTED).filter((k) => !served.has(k));
  assert.deepEqual(stale, [], 'expectations for routes the server does not have');
  assert.deepEqual(Object.keys(DEMO_USERS).sort(), [...ROLES].sort(), 'a demo user for every role');
});

test('the OpenAPI document states the permission the table expects', () => {
  for (const r of routes) {
    const key = `${r.method} ${r.path}`;
    const want = EXPECTED[key];
    if (want === 'public' || want === 'authenticated') {
      assert.equal(r.op['x-permission'], want, key);
    } else {
      assert.deepEqual([...r.op['x-roles']].sort(), [...want].sort(), `${key} (${r.op['x-permission']})`);
    }
  }
});

test('without sign-in every non-public route answers 401', async () => {
  const anonymous = client(server.url, null);
  for (const r of routes) {
    if (EXPECTED[`${r.method} ${r.path}`] === 'public') continue;
    const res = await anonymous[r.method === 'GET' ? 'get' : r.method.toLowerCase()](concrete(r.path), ...(r.method === 'GET' ? [] : [{}]));
    assert.equal(res.status, 401, `${r.method} ${r.path}`);
    assert.equal(res.body.error.code, 'unauthenticated');
  }
});

test('each role gets 403 exactly where its roles lack the permission', async () => {
  for (const [role, c] of Object.entries(clients)) {
    for (const r of routes) {
      const key = `${r.method} ${r.path}`;
      const want = EXPECTED[key];
      if (skip.has(key) || want === 'public' || !want) continue;
      const granted = want === 'authenticated' || want.includes(role);
      const path = concrete(r.path);
      const res = r.method === 'GET' ? await c.get(path) : await c[r.method.toLowerCase()](path, {});
      if (granted) {
        assert.ok(![401, 403].includes(res.status), `${role} ${key} → ${res.status} ${res.text}`);
      } else {
        assert.equal(res.status, 403, `${role} ${key} → ${res.status}`);
        assert.equal(res.body.error.code, 'forbidden');
      }
    }
  }
});

test('refusals are audited', async () => {
  await clients.technologist.get('/api/v1/users');
  await new Promise((r) => setTimeout(r, 200));
  const audit = await clients.admin.get('/api/v1/audit?action=access.denied&actor=tech');
  assert.ok(audit.body.items.length >= 1);
  assert.equal(audit.body.items[0].entity_id, 'GET /api/v1/users');
});
