// Transport security: HTTPS with a configured certificate, or a public https URL behind a proxy;
// either makes the session cookie Secure and sends HSTS. Plain HTTP without a public URL: neither.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import https from 'node:https';
import { join } from 'node:path';
import { newDatabase, startServer, login, DEMO_PASSWORD } from '../lib/server.mjs';

let store, cert, key;
before(() => {
  store = newDatabase();
  cert = join(store.dir, 'cert.pem');
  key = join(store.dir, 'key.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert,
    '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
});
after(() => store.cleanup());

function request(url, { method = 'GET', path, body, headers = {} }) {
  return new Promise((resolve, reject) => {
    const req = https.request(`${url}${path}`, { method, ca: readFileSync(cert), headers, agent: false }, (res) => {
      let text = '';
      res.on('data', (d) => { text += d; });
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, text }));
    });
    req.on('error', reject);
    if (body) req.end(body); else req.end();
  });
}

test('with a certificate and key the server speaks HTTPS; the cookie is Secure and HSTS is sent', async () => {
  const server = await startServer(store.db, { RADQS_TLS_CERT: cert, RADQS_TLS_KEY: key });
  assert.match(server.url, /^https:\/\//);
  const r = await request(server.url, {
    method: 'POST', path: '/api/v1/auth/login', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: DEMO_PASSWORD }),
  });
  assert.equal(r.status, 200, r.text);
  const cookie = r.headers['set-cookie'][0];
  assert.match(cookie, /radqs_session=/);
  assert.match(cookie, /; Secure/);
  assert.match(r.headers['strict-transport-security'], /max-age=\d+/);
  const token = JSON.parse(r.text).token;
  const sites = await request(server.url, { path: '/api/v1/sites', headers: { authorization: `Bearer ${token}` } });
  assert.equal(sites.status, 200);
  assert.ok(JSON.parse(sites.text).items.length > 0);
  const events = await new Promise((resolve, reject) => {
    const req = https.get(`${server.url}/api/v1/events`, { ca: readFileSync(cert), agent: false, headers: { authorization: `Bearer ${token}` } }, (res) => {
      res.once('data', (d) => { resolve({ status: res.statusCode, first: String(d) }); req.destroy(); });
    });
    req.on('error', reject);
  });
  assert.equal(events.status, 200);
  assert.match(events.first, /: connected/);
  const { code } = await server.stop();
  assert.equal(code, 0, server.stderr);
});

test('behind a proxy with an https public URL, plain HTTP still sets Secure and HSTS', async () => {
  const server = await startServer(store.db, { RADQS_PUBLIC_URL: 'https://radqs.example.org' });
  const r = await login(server.url, 'admin');
  assert.equal(r.status, 200);
  assert.match(r.cookie, /; Secure/);
  const health = await fetch(`${server.url}/healthz`);
  assert.match(health.headers.get('strict-transport-security'), /max-age=\d+/);
  const { code } = await server.stop();
  assert.equal(code, 0, server.stderr);
});

test('plain HTTP without a public URL sets neither', async () => {
  const server = await startServer(store.db);
  const r = await login(server.url, 'admin');
  assert.equal(r.status, 200);
  assert.doesNotMatch(r.cookie, /Secure/);
  const health = await fetch(`${server.url}/healthz`);
  assert.equal(health.headers.get('strict-transport-security'), null);
  const { code } = await server.stop();
  assert.equal(code, 0, server.stderr);
});

test('a bad certificate path or a public URL that is not http(s) stops the server at start', async () => {
  await assert.rejects(startServer(store.db, { RADQS_TLS_CERT: join(store.dir, 'missing.pem'), RADQS_TLS_KEY: key }), /exited/);
  await assert.rejects(startServer(store.db, { RADQS_TLS_CERT: cert }), /exited/);
  await assert.rejects(startServer(store.db, { RADQS_PUBLIC_URL: 'radqs.example.org' }), /exited/);
});
