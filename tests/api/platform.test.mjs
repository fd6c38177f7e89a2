// The HTTP platform: health, metrics, request ids, error shapes, body limits, static files.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { newDatabase, onPostgres, startServer, signedIn } from '../lib/server.mjs';

const METRICS_TOKEN = 'metrics-token-for-the-test-0123';
let store, server, admin;
before(async () => {
  store = newDatabase();
  server = await startServer(store.db, { RADQS_MAX_BODY_BYTES: '4096', RADQS_METRICS_TOKEN: METRICS_TOKEN });
  admin = await signedIn(server.url, 'admin');
});
after(async () => {
  const { code } = await server.stop();
  assert.equal(code, 0, server.stderr);
  store.cleanup();
});

test('healthz answers ok, with the database reachable, and a request id', async () => {
  const res = await fetch(`${server.url}/healthz`);
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), { status: 'ok', database: 'ok' });
  assert.ok(res.headers.get('x-request-id'));
  const mine = await fetch(`${server.url}/healthz`, { headers: { 'x-request-id': 'trace-42' } });
  assert.equal(mine.headers.get('x-request-id'), 'trace-42');
});

test('metrics are Prometheus text with routes, statuses, latency and database figures', async () => {
  await admin.get('/api/v1/sites');
  assert.equal((await fetch(`${server.url}/metrics`)).status, 401, 'a metrics token is set: it is needed');
  assert.equal((await fetch(`${server.url}/metrics`, { headers: { authorization: 'Bearer wrong-token-0123456789' } })).status, 401);
  const res = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
  assert.equal(res.status, 200);
  const text = await res.text();
  assert.match(text, /radqs_http_requests_total\{route="GET \/api\/v1\/sites",status="200"\} \d+/);
  assert.match(text, /radqs_http_request_duration_seconds_bucket\{route="GET \/api\/v1\/sites",le="\+Inf"\} \d+/);
  assert.match(text, /radqs_db_readers \d+/);
  assert.match(text, /radqs_db_write_batches_total \d+/);
  // One writer on SQLite; on PostgreSQL the default four connections, each with its batches.
  assert.match(text, new RegExp(`^radqs_db_writers ${onPostgres(store.db) ? 4 : 1}$`, 'm'));
  assert.match(text, /radqs_http_connections_open \d+/);
  assert.match(text, /radqs_event_streams_dropped_total \d+/);
});

test('malformed JSON, wrong types and unknown fields name the field', async () => {
  const bad = await admin.post('/api/v1/sites', '{"code": "X1", ');
  assert.equal(bad.status, 400);
  assert.equal(bad.body.error.code, 'malformed_json');
  const types = await admin.post('/api/v1/sites', { code: 7, name: '测试', level: 'tertiary', kind: 'hospital_department', beds: 'many' });
  assert.equal(types.status, 400);
  assert.equal(types.body.error.code, 'validation_failed');
  const fields = types.body.error.fields.map((f) => `${f.field}:${f.rule}`);
  assert.ok(fields.includes('code:type'), fields.join());
  assert.ok(fields.includes('beds:type'), fields.join());
  const unknown = await admin.post('/api/v1/sites', { code: 'U1', name: '测试', level: 'tertiary', kind: 'hospital_department', beds: 1, colour: 'red' });
  assert.equal(unknown.status, 400);
  assert.equal(unknown.body.error.code, 'unknown_field');
  assert.equal(unknown.body.error.fields[0].field, 'colour');
  const sites = await admin.get('/api/v1/sites');
  assert.ok(!sites.body.items.some((s) => s.code === 'U1'), 'nothing was created');
});

test('an oversize body gets 413', async () => {
  const res = await admin.post('/api/v1/sites', { code: 'BIG', name: 'x'.repeat(10000) });
  assert.equal(res.status, 413);
  assert.equal(res.body.error.code, 'payload_too_large');
  assert.equal(res.body.error.fields[0].field, 'body');
});

test('unknown API paths are JSON 404s; bad paging parameters are named', async () => {
  const res = await admin.get('/api/v1/nothing-here');
  assert.equal(res.status, 404);
  assert.equal(res.body.error.code, 'not_found');
  const page = await admin.get('/api/v1/staff?limit=0');
  assert.equal(page.status, 400);
  assert.equal(page.body.error.fields[0].field, 'limit');
});

test('the web build is served with cache headers and a single-page fallback', async () => {
  const index = await fetch(`${server.url}/`);
  assert.equal(index.status, 200);
  assert.equal(index.headers.get('cache-control'), 'no-cache');
  const html = await index.text();
  assert.match(html, /<div id="app">/);
  const asset = html.match(/\/assets\/[^"]+\.js/)[0];
  const js = await fetch(`${server.url}${asset}`);
  assert.equal(js.status, 200);
  assert.match(js.headers.get('cache-control'), /immutable/);
  const etag = js.headers.get('etag');
  const again = await fetch(`${server.url}${asset}`, { headers: { 'if-none-match': etag } });
  assert.equal(again.status, 304);
  const deep = await fetch(`${server.url}/sites/12`);
  assert.equal(deep.status, 200);
  assert.equal((await fetch(`${server.url}/assets/missing.js`)).status, 404);
});
