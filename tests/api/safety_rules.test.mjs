// Safety-event rules that rest on time and trust: deadlines keep the setting in force when the
// event was reported (regulations.md preamble), and an anonymous report leaves no account, no
// address and no request id in the audit trail (docs/decisions.md), with a per-account cap.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { newDatabase, startServer, signedIn, sql } from '../lib/server.mjs';

let store, server, nurse, tech, safety, admin, inspector;
async function signIn() {
  [nurse, tech, safety, admin, inspector] = await Promise.all(
    ['nurse', 'tech', 'safety', 'admin', 'inspector'].map((u) => signedIn(server.url, u)));
}
before(async () => {
  store = newDatabase();
  server = await startServer(store.db);
  await signIn();
});
after(async () => {
  const { code } = await server.stop();
  assert.equal(code, 0, server.stderr);
  store.cleanup();
});

// The site's calendar day (+08:00), the day a version "valid from today" starts.
const today = () => new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);
const fall = (over = {}) => ({
  type: 'fall', severity_class: 'III', occurred_at: new Date(Date.now() - 600e3).toISOString(),
  place: 'DR1室', description: '患者下检查床时跌倒，无明显外伤', ...over,
});
const due = (event, key) => Date.parse(event.deadlines.find((d) => d.key === key).due_at) - Date.parse(event.reported_at);
const H = 3600e3;

test('a changed deadline setting applies to new events only; past due times and overdue flags stay', async () => {
  const old = (await nurse.post('/api/v1/safety-events', fall())).body;
  assert.equal(due(old, 'acknowledgment'), 24 * H);
  // The event was reported 20 hours ago: within its 24 hours.
  const { code } = await server.stop();
  assert.equal(code, 0);
  sql(store.db,
    `UPDATE safety_events SET reported_at = reported_at - ${20 * 3600e6} WHERE id = ${old.id}`);
  server = await startServer(store.db);
  await signIn();
  const version = await admin.post('/api/v1/settings/safety.ack_hours/versions',
    { value: 12, valid_from: today(), reason: '院内制度修订：12小时内确认' });
  assert.equal(version.status, 201, version.text);
  const written = await admin.post('/api/v1/settings/safety.written_report_hours_minor/versions',
    { value: 72, valid_from: today(), reason: '院内制度修订' });
  assert.equal(written.status, 201, written.text);

  const before = (await safety.get(`/api/v1/safety-events/${old.id}`)).body;
  assert.equal(due(before, 'acknowledgment'), 24 * H, 'the hours in force at the report');
  assert.equal(due(before, 'written_report'), 120 * H);
  assert.deepEqual(before.overdue, [], '20 h into a 24 h deadline is not overdue');
  const overdue = (await safety.get('/api/v1/safety-events?overdue=1&limit=500')).body.items;
  assert.ok(!overdue.some((e) => e.id === old.id), 'the overdue list judges by the stored hours too');

  const fresh = (await nurse.post('/api/v1/safety-events', fall())).body;
  assert.equal(due(fresh, 'acknowledgment'), 12 * H, 'a new event takes the new value');
  assert.equal(due(fresh, 'written_report'), 72 * H);
  // A reclassification picks the class's hours stored with the event.
  const major = await safety.post(`/api/v1/safety-events/${old.id}/classification`,
    { version: before.version, severity_class: 'II', reason: '患者后续出现骨折' });
  assert.equal(major.status, 200, major.text);
  assert.equal(due(major.body, 'written_report'), 48 * H);
});

test('an anonymous report leaves no account, address or request id in the audit trail', async () => {
  const anon = await tech.post('/api/v1/safety-events', fall({ type: 'near_miss', severity_class: 'IV', anonymous: true }),
    { 'x-request-id': 'tech-workstation-7' });
  assert.equal(anon.status, 201, anon.text);
  for (const reader of [admin, inspector]) {
    const trail = await reader.get(`/api/v1/audit?entity=safety_event&entity_id=${anon.body.id}`);
    assert.equal(trail.status, 200, trail.text);
    const entry = trail.body.items.find((e) => e.action === 'safety_event.report');
    assert.ok(entry, JSON.stringify(trail.body.items));
    assert.equal(entry.actor, 'anonymous');
    assert.equal(entry.actor_user_id, null);
    assert.equal(entry.ip, '');
    assert.equal(entry.request_id, '');
  }
  const me = (await tech.get('/api/v1/auth/me')).body.user;
  const byTech = await admin.get(`/api/v1/audit?actor=tech&action=safety_event.report`);
  assert.ok(!byTech.body.items.some((e) => e.entity_id === String(anon.body.id)));
  const detail = (await safety.get(`/api/v1/safety-events/${anon.body.id}`)).body;
  assert.equal(detail.reporter, null);
  assert.ok(detail.steps.every((s) => s.by.user_id === null && s.by.name === ''));
  assert.ok(!JSON.stringify(detail).includes(me.username));
  // A named report is traced as before.
  const named = (await tech.post('/api/v1/safety-events', fall())).body;
  const trail = (await admin.get(`/api/v1/audit?entity=safety_event&entity_id=${named.id}`)).body.items;
  assert.equal(trail.find((e) => e.action === 'safety_event.report').actor, 'tech');
  assert.equal((await admin.get('/api/v1/audit/verify')).body.ok, true);
});

test('anonymous reports are capped per account and hour, counted in memory', async () => {
  const cap = await admin.post('/api/v1/settings/safety.anonymous_reports_per_hour/versions',
    { value: 2, valid_from: today(), reason: '防止滥用匿名上报' });
  assert.equal(cap.status, 201, cap.text);
  const anon = () => nurse.post('/api/v1/safety-events', fall({ anonymous: true }));
  assert.equal((await anon()).status, 201);
  assert.equal((await anon()).status, 201);
  const refused = await anon();
  assert.equal(refused.status, 429, refused.text);
  assert.deepEqual(refused.body.error.fields.map((f) => `${f.field}:${f.rule}`), ['anonymous:rate_limit']);
  assert.equal((await nurse.post('/api/v1/safety-events', fall())).status, 201, 'named reports are not capped');
  assert.equal((await tech.post('/api/v1/safety-events', fall({ anonymous: true }))).status, 201, 'per account');
});
