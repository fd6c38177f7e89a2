// Every audit action the server writes has words for its readers (issue 14 item 3): this test
// collects the action keys from the sources — every "entity.verb" literal of src/**/*.cpp that is
// not a setting, a permission or a field path, and exam.<state> for each exam state — and fails
// when GET /api/v1/audit/actions lacks a Chinese or English label for one. The exports' labels
// generated from web/src/i18n must be current too.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { newDatabase, startServer, signedIn } from '../lib/server.mjs';

const SRC = new URL('../../src', import.meta.url).pathname;

function sources(dir = SRC, out = []) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) sources(p, out);
    // The *exports.cpp files name i18n paths of column headers, not actions.
    else if (name.endsWith('.cpp') && !name.endsWith('_test.cpp') && !name.endsWith('exports.cpp')) out.push(p);
  }
  return out;
}

// Dotted literals that are not audit actions: request field paths and code fragments. A new
// literal that is neither an action nor listed here fails the test — label it or list it.
const NOT_ACTIONS = new Set(['audit.key', 'e.site_id', 'e.ordered_at', 'v.site_id', 'pinyin_table.inc', 'tat.green_channel.']);
const FIELD_PREFIXES = ['contrast.', 'mr.', 'pregnancy.', 'shielding.', 'consents.', 'documents.'];

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

test('every audit action written by src/ has a Chinese and an English label', async () => {
  const settings = new Set((await admin.get('/api/v1/settings')).body.items.map((s) => s.key));
  const openapi = (await admin.get('/api/openapi.json')).body;
  const permissions = new Set(['sites.all', 'patients.identity']);
  for (const ops of Object.values(openapi.paths)) for (const op of Object.values(ops)) permissions.add(op['x-permission']);

  const actions = new Set();
  let examStates = [];
  for (const file of sources()) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/"([a-z][a-z0-9_]*\.[a-z][a-z0-9_.]*)"/g)) {
      const s = m[1];
      if (settings.has(s) || permissions.has(s) || NOT_ACTIONS.has(s)) continue;
      if (FIELD_PREFIXES.some((p) => s.startsWith(p)) || s.startsWith('tat.green_channel.')) continue;
      actions.add(s);
    }
    // order_routes.cpp writes "exam." + StateKey(to): every state key of exam_state.cpp.
    if (file.endsWith('exam_state.cpp')) {
      examStates = [...text.matchAll(/\{S::k[A-Za-z]+, "([a-z_]+)"\}/g)].map((m) => m[1]);
    }
  }
  assert.ok(examStates.includes('arrived') && examStates.length >= 9, `exam states found: ${examStates}`);
  for (const s of examStates) actions.add(`exam.${s}`);
  assert.ok(actions.has('patient.view') && actions.has('auth.login') && actions.has('list.export'));

  const r = await admin.get('/api/v1/audit/actions');
  assert.equal(r.status, 200);
  const labels = new Map(r.body.items.map((l) => [l.key, l]));
  const missing = [...actions].filter((a) => !labels.get(a)?.zh || !labels.get(a)?.en).sort();
  assert.deepEqual(missing, [], `audit actions without zh-CN and en labels (src/platform/audit/action_labels.cpp): ${missing}`);
  for (const l of labels.values()) {
    assert.match(l.zh, /[\u4e00-\u9fff]/, `${l.key}: the Chinese label is Chinese`);
    assert.ok(!/[\u4e00-\u9fff]/.test(l.en), `${l.key}: the English label is English`);
  }
  assert.equal(labels.get('exam.arrived').zh, '已签到');
});

test('the exports\' labels and headers are those of web/src/i18n (tools/gen_export_labels.mjs)', async () => {
  const { generate, OUT } = await import('../../tools/gen_export_labels.mjs');
  assert.equal(readFileSync(OUT, 'utf8'), await generate(),
    'src/platform/export/web_labels.inc is stale: run node tools/gen_export_labels.mjs');
});
