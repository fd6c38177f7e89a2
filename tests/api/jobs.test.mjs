// Background jobs as an administrator sees them (issue 15): the list by state, a parked job put
// back, bad input named, and the runner's figures on /metrics.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { newDatabase, startServer, signedIn, sql } from '../lib/server.mjs';

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

test('a parked job is listed with its error and can be put back; the list names a bad state', async () => {
  // A job whose last attempt failed, as the runner leaves it (no module schedules jobs yet).
  sql(store.db, "INSERT INTO jobs (kind, payload, due_at, state, attempts, last_error, created_at) VALUES ('test.remind', '{}', 0, 'parked', 5, '接收人电话无人接听', 0);");
  const parked = await admin.get('/api/v1/jobs?state=parked');
  assert.equal(parked.status, 200, parked.text);
  const job = parked.body.items.find((j) => j.kind === 'test.remind');
  assert.ok(job);
  assert.equal(job.attempts, 5);
  assert.equal(job.last_error, '接收人电话无人接听');
  const bad = await admin.get('/api/v1/jobs?state=lost');
  assert.equal(bad.status, 400);
  assert.deepEqual([bad.body.error.fields[0].field, bad.body.error.fields[0].rule], ['state', 'enum']);

  const retried = await admin.post(`/api/v1/jobs/${job.id}/retry`);
  assert.equal(retried.status, 200, retried.text);
  assert.equal(retried.body.state, 'due');
  const again = await admin.post(`/api/v1/jobs/${job.id}/retry`);
  assert.equal(again.status, 409, 'only a parked job is put back');
  const audit = await admin.get(`/api/v1/audit?entity=job&entity_id=${job.id}`);
  assert.equal(audit.body.items[0].action, 'job.retry');

  // The runner takes it at once; with no handler for its kind it fails again, attempt 1.
  let row;
  for (let i = 0; i < 50; i++) {
    row = (await admin.get('/api/v1/jobs')).body.items.find((j) => j.id === job.id);
    if (row.attempts === 1) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal(row.attempts, 1);
  assert.match(row.last_error, /no handler for kind test\.remind/);
  const metrics = await (await fetch(`${server.url}/metrics`)).text();
  assert.match(metrics, /^radqs_jobs_failures_total [1-9]/m);
  assert.match(metrics, /^radqs_jobs_lag_seconds\{quantile="0.99"\} \d+\.\d{3}$/m);
});
