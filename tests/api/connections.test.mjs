// Connections: idle connections time out without harming the server, and the connection cap
// answers 503 cleanly (issue: "the server dies from idle connections").
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import http from 'node:http';
import { newDatabase, startServer, signedIn, idleSockets } from '../lib/server.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const stores = [];
after(() => stores.forEach((s) => s.cleanup()));

// One request on its own connection (no pooling), so a refused connection shows its answer.
function once(url, path) {
  return new Promise((resolve, reject) => {
    const req = http.get(`${url}${path}`, { agent: false }, (res) => {
      let body = '';
      res.on('data', (d) => { body += d; });
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body }));
    });
    req.on('error', reject);
  });
}

test('2,000 idle connections held past the request timeout leave the server answering', async () => {
  // Both ends hold 2,000 descriptors; the harness raises the soft limit to the hard one.
  const limit = Number(execFileSync('sh', ['-c', 'ulimit -n'], { encoding: 'utf8' }).trim());
  assert.ok(Number.isNaN(limit) || limit >= 4200, `open-file limit ${limit} is too low for this test`);
  const store = newDatabase();
  stores.push(store);
  const server = await startServer(store.db, { RADQS_IO_THREADS: '16', RADQS_REQUEST_TIMEOUT: '3' });
  const admin = await signedIn(server.url, 'admin');
  // The crash this guards against came within a few rounds of mass timeouts on 16 I/O threads.
  for (let round = 0; round < 5; round += 1) {
    const idle = await idleSockets(server.url, 2000);
    await sleep(4500);  // past the 3 s timeout: the server closes them, many at the same moment
    assert.ok(idle.closed.count > 1900, `the server closed ${idle.closed.count} idle connections`);
    idle.destroy();
    const health = await fetch(`${server.url}/healthz`);
    assert.equal(health.status, 200);
    const sites = await admin.get('/api/v1/sites');
    assert.equal(sites.status, 200);
  }
  const { code } = await server.stop();
  assert.equal(code, 0, server.stderr);
});

test('beyond the connection cap the server answers 503 with Connection: close and a JSON error', async () => {
  const store = newDatabase();
  stores.push(store);
  const server = await startServer(store.db, { RADQS_MAX_CONNECTIONS: '5', RADQS_REQUEST_TIMEOUT: '20' });
  const idle = await idleSockets(server.url, 5);
  await sleep(300);
  const started = Date.now();
  const refused = await once(server.url, '/healthz');
  assert.ok(Date.now() - started < 2000, 'answered at once, without waiting for the request');
  assert.equal(refused.status, 503);
  assert.equal(refused.headers.connection, 'close');
  const body = JSON.parse(refused.body);
  assert.equal(body.error.code, 'unavailable');
  idle.destroy();
  await sleep(300);
  const ok = await once(server.url, '/healthz');
  assert.equal(ok.status, 200);
  const metrics = await once(server.url, '/metrics');
  assert.match(metrics.body, /radqs_http_connections_refused_total [1-9]/);
  const { code } = await server.stop();
  assert.equal(code, 0, server.stderr);
});
