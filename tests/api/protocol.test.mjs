// HTTP protocol hardening: /metrics access, request id checks, HEAD, Host and Transfer-Encoding.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { newDatabase, startServer, signedIn, rawExchange } from '../lib/server.mjs';

let store, server, admin;
before(async () => {
  store = newDatabase();
  server = await startServer(store.db);
  admin = await signedIn(server.url, 'admin');
});
after(async () => {
  const { code } = await server.stop();
  assert.equal(code, 0, server.stderr);
  store.cleanup();
});

function from(localAddress, path) {
  return new Promise((resolve, reject) => {
    const req = http.get(`${server.url}${path}`, { agent: false, localAddress }, (res) => {
      let body = '';
      res.on('data', (d) => { body += d; });
      res.on('end', () => resolve({ status: res.statusCode, body }));
    });
    req.on('error', reject);
  });
}

const split = (text) => {
  const at = text.indexOf('\r\n\r\n');
  return { head: text.slice(0, at), body: text.slice(at + 4) };
};

test('without a metrics token, /metrics answers only on 127.0.0.1', async () => {
  const local = await from('127.0.0.1', '/metrics');
  assert.equal(local.status, 200);
  assert.match(local.body, /radqs_http_requests_total/);
  const other = await from('127.0.0.2', '/metrics');
  assert.equal(other.status, 403);
  assert.equal(JSON.parse(other.body).error.code, 'forbidden');
  assert.equal((await from('127.0.0.2', '/healthz')).status, 200);
  const proxied = await fetch(`${server.url}/metrics`, { headers: { 'x-forwarded-for': '10.1.2.3' } });
  assert.equal(proxied.status, 403, 'what a proxy on this host forwards is not local');
});

test('a client request id is kept only when it is 1-64 of [A-Za-z0-9._-]', async () => {
  const id = async (value) => (await fetch(`${server.url}/healthz`, { headers: { 'x-request-id': value } })).headers.get('x-request-id');
  assert.equal(await id('trace-42.a_b'), 'trace-42.a_b');
  for (const bad of ['a b', 'x'.repeat(65), 'id;drop', '<script>']) {
    const got = await id(bad);
    assert.notEqual(got, bad, bad);
    assert.match(got, /^[A-Za-z0-9._-]{1,64}$/);
  }
  const raw = await rawExchange(server.url, 'GET /healthz HTTP/1.1\r\nHost: x\r\nX-Request-Id: a\tb\r\nConnection: close\r\n\r\n');
  assert.match(raw.text, /^HTTP\/1\.1 200/);
  assert.doesNotMatch(raw.text, /X-Request-Id: a\tb/);
});

test('HEAD answers the headers of GET, Content-Length included, and no body', async () => {
  const get = await rawExchange(server.url, 'GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
  const head = await rawExchange(server.url, 'HEAD /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
  const g = split(get.text);
  const h = split(head.text);
  assert.match(h.head, /^HTTP\/1\.1 200/);
  const length = g.head.match(/Content-Length: (\d+)/i)[1];
  assert.equal(h.head.match(/Content-Length: (\d+)/i)[1], length);
  assert.equal(h.body, '', 'no body after the headers');
  const page = split((await rawExchange(server.url, 'HEAD /api/openapi.json HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')).text);
  assert.match(page.head, /^HTTP\/1\.1 200/);
  assert.ok(Number(page.head.match(/Content-Length: (\d+)/i)[1]) > 0);
  assert.equal(page.body, '');
  // Keep-alive after HEAD: the next request on the same connection is read correctly.
  const two = await rawExchange(server.url, 'HEAD /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
  assert.equal(two.text.match(/HTTP\/1\.1 200/g).length, 2);
  assert.match(two.text, /\{"database":"ok","status":"ok"\}$/);
});

test('HTTP/1.1 without Host is 400; HTTP/1.0 without Host is served', async () => {
  const r = await rawExchange(server.url, 'GET /healthz HTTP/1.1\r\nConnection: close\r\n\r\n');
  assert.match(r.text, /^HTTP\/1\.1 400/);
  assert.match(split(r.text).body, /Host/);
  const old = await rawExchange(server.url, 'GET /healthz HTTP/1.0\r\n\r\n');
  assert.match(old.text, /^HTTP\/1\.1 200/);
});

test('a Transfer-Encoding other than chunked is refused with 400 and the connection closed', async () => {
  for (const te of ['xchunked', 'gzip, chunked', 'chunked, chunked', 'identity']) {
    const body = '5\r\nhello\r\n0\r\n\r\n';
    const r = await rawExchange(server.url, `POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: ${te}\r\n\r\n${body}GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n`);
    assert.match(r.text, /^HTTP\/1\.1 400/, te);
    assert.match(r.text, /Connection: close/i, te);
    assert.equal(r.text.match(/HTTP\/1\.1/g).length, 1, `${te}: nothing more is read from the connection`);
    assert.ok(r.closed, te);
  }
  const ok = await rawExchange(server.url, 'POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n2\r\n{}\r\n0\r\n\r\n');
  assert.match(ok.text, /^HTTP\/1\.1 400/);
  assert.match(ok.text, /username/, 'a chunked body is read and checked as usual');
  assert.equal((await admin.get('/api/v1/sites')).status, 200);
});
