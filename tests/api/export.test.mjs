// XLSX exports of the lists (issue 14 item 4): `?format=xlsx` on a list route gives the whole
// filtered list as the screen shows it — Chinese headers and labels, names, local times as real
// Excel dates — under the list's own permission, site scope and masking, up to a row cap, and
// audited with the filters, the row count and the patients it holds.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { newDatabase, startServer, login, client } from '../lib/server.mjs';
import { readXlsx, fetchXlsx, shanghaiWallClock } from '../lib/xlsx.mjs';

let store, server;
const who = {};
before(async () => {
  store = newDatabase();
  server = await startServer(store.db);
  for (const u of ['admin', 'tech', 'engineer', 'safety', 'inspector']) {
    const r = await login(server.url, u);
    who[u] = { token: r.token, api: client(server.url, r.token), user: r.body.user };
  }
});
after(async () => {
  const { code } = await server.stop();
  assert.equal(code, 0, server.stderr);
  store.cleanup();
});

// Every page of a JSON list.
async function allPages(api, path) {
  const items = [];
  let cursor = null;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const r = await api.get(`${path}${sep}limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    assert.equal(r.status, 200, r.text);
    items.push(...r.body.items);
    cursor = r.body.next_cursor;
  } while (cursor);
  return items;
}

async function waitFor(fn, what) {
  for (let i = 0; i < 50; i += 1) {
    const v = await fn();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`timed out waiting for ${what}`);
}

const STATES = { ordered: '已申请', scheduled: '已预约', arrived: '已签到', in_progress: '检查中', acquired: '检查完成',
  preliminary: '预报告', final: '已审核', amended: '已更正', cancelled: '已取消', no_show: '未到检' };

test('a filtered exam list exports as the JSON list answers it, in Chinese with local times', async () => {
  const exams = await allPages(who.tech.api, '/api/v1/exams?modality=CT');
  assert.ok(exams.length > 500, `a list of several pages (${exams.length})`);
  const r = await fetchXlsx(server.url, who.tech.token, '/api/v1/exams?modality=CT&format=xlsx');
  assert.equal(r.status, 200, JSON.stringify(r.error));
  assert.equal(r.headers.get('content-type'), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  assert.match(r.headers.get('content-disposition'), /filename\*=UTF-8''%E6%A3%80%E6%9F%A5%E5%88%97%E8%A1%A8-\d{4}-\d{2}-\d{2}\.xlsx/);
  assert.equal(r.headers.get('x-export-rows'), String(exams.length));
  const x = await readXlsx(r.bytes);
  assert.equal(x.sheet, '检查列表');
  assert.deepEqual(x.headers, ['检查号', '患者', '检查项目', '设备类型', '优先级', '状态', '检查室', '申请时间', '预约时间']);
  assert.ok(x.frozen, 'the header row is frozen');
  assert.equal(x.rows.length, exams.length);
  const rooms = new Map((await who.tech.api.get('/api/v1/rooms')).body.items.map((room) => [room.id, room.name]));
  exams.forEach((e, i) => {
    const row = x.rows[i];
    assert.equal(row[0], e.accession_no);
    assert.equal(row[1], e.patient_name);
    assert.equal(row[2], e.item_name);
    assert.equal(row[3], 'CT');
    assert.equal(row[5], STATES[e.state], `state ${e.state}`);
    assert.equal(row[6], e.room_id ? rooms.get(e.room_id) : null);
    assert.ok(row[7] instanceof Date, 'a real Excel date');
    assert.equal(row[7].getTime(), shanghaiWallClock(e.ordered_at).getTime());
    if (e.appointment_at) assert.equal(row[8].getTime(), shanghaiWallClock(e.appointment_at).getTime());
  });
  assert.ok(x.rows.some((row) => row[4] === '常规'), 'priorities in words');
});

test('English headers on request; a bad filter is the list\'s own 400', async () => {
  const en = await fetchXlsx(server.url, who.tech.token, '/api/v1/rejects?format=xlsx', { 'accept-language': 'en-US,en;q=0.9' });
  assert.equal(en.status, 200);
  const x = await readXlsx(en.bytes);
  assert.equal(x.sheet, 'Rejects');
  assert.equal(x.headers[0], 'Recorded');
  const zh = await readXlsx((await fetchXlsx(server.url, who.tech.token, '/api/v1/rejects?format=xlsx&lang=zh-CN',
    { 'accept-language': 'en' })).bytes);
  assert.equal(zh.headers[0], '登记时间');
  const bad = await fetchXlsx(server.url, who.tech.token, '/api/v1/exams?state=gone&format=xlsx');
  assert.equal(bad.status, 400);
  assert.deepEqual(bad.error.fields.map((f) => `${f.field}:${f.rule}`), ['state:enum']);
});

test('the same permission, site scope and patient masking as the list', async () => {
  assert.equal((await fetchXlsx(server.url, who.safety.token, '/api/v1/exams?format=xlsx')).status, 403);
  assert.equal((await fetchXlsx(server.url, who.tech.token, '/api/v1/audit?format=xlsx')).status, 403);
  // The engineer reads exams without patient fields: the sheet's patient column stays empty.
  const json = await allPages(who.engineer.api, '/api/v1/exams?modality=MR');
  assert.ok(json.every((e) => e.patient_name === undefined));
  const x = await readXlsx((await fetchXlsx(server.url, who.engineer.token, '/api/v1/exams?modality=MR&format=xlsx')).bytes);
  assert.equal(x.rows.length, json.length);
  assert.ok(x.rows.every((row) => row[1] === null), 'no patient names for the engineer');
});

test('an export is audited: who, which list, the filters, the rows and the patients in it', async () => {
  const json = await allPages(who.tech.api, '/api/v1/exams?modality=DR&state=final');
  const r = await fetchXlsx(server.url, who.tech.token, '/api/v1/exams?modality=DR&state=final&format=xlsx');
  assert.equal(r.status, 200);
  const entry = await waitFor(async () => {
    const a = await who.admin.api.get(`/api/v1/audit?action=list.export&actor=tech&limit=5`);
    return a.body.items.find((e) => JSON.parse(e.detail).filters.state === 'final');
  }, 'the export entry');
  assert.equal(entry.entity, 'list');
  assert.equal(entry.entity_id, 'GET /api/v1/exams');
  assert.equal(entry.actor_name, who.tech.user.display_name);
  const detail = JSON.parse(entry.detail);
  assert.deepEqual(detail.filters, { modality: 'DR', state: 'final' });
  assert.equal(detail.rows, json.length);
  const listed = await who.admin.api.get(`/api/v1/audit?action=patient.list&actor=tech&limit=50`);
  const patients = new Set(listed.body.items.filter((e) => e.seq < entry.seq + 5 && e.seq > entry.seq - 50)
    .flatMap((e) => e.entity_id.split(',')));
  for (const e of json) assert.ok(patients.has(String(e.patient_id)), `patient ${e.patient_id} audited`);
  // A refused export shows nobody anything, and is not an export.
  const before = (await who.admin.api.get('/api/v1/audit?action=list.export&limit=500')).body.items.length;
  await fetchXlsx(server.url, who.tech.token, '/api/v1/exams?state=gone&format=xlsx');
  await new Promise((res) => setTimeout(res, 1500));
  assert.equal((await who.admin.api.get('/api/v1/audit?action=list.export&limit=500')).body.items.length, before);
});

test('the audit log: a person by name, actors by name, actions in words in its export', async () => {
  const name = who.tech.user.display_name;
  const found = await who.admin.api.get(`/api/v1/audit?person=${encodeURIComponent(name.slice(1))}&limit=100`);
  assert.equal(found.status, 200);
  assert.ok(found.body.items.length > 0);
  assert.ok(found.body.items.every((e) => e.actor === 'tech' && e.actor_name === name), 'only that person');
  const none = await who.admin.api.get('/api/v1/audit?person=%E6%97%A0%E6%AD%A4%E4%BA%BA');
  assert.deepEqual(none.body.items, []);
  const labels = (await who.admin.api.get('/api/v1/audit/actions')).body.items;
  assert.equal(labels.find((l) => l.key === 'exam.arrived').zh, '已签到');
  const x = await readXlsx((await fetchXlsx(server.url, who.inspector.token,
    `/api/v1/audit?person=${encodeURIComponent(name)}&action=list.export&format=xlsx`)).bytes);
  assert.equal(x.sheet, '审计日志');
  assert.deepEqual(x.headers, ['序号', '时间', '操作人', '账号', '操作', '对象类型', '对象ID', 'IP', '详情']);
  assert.ok(x.rows.length > 0);
  assert.ok(x.rows.every((row) => row[2] === name && row[3] === 'tech' && row[4] === '导出列表' && row[5] === '列表'));
});

test('every list route with an export answers a workbook of its JSON rows', async () => {
  const api = (await client(server.url, who.admin.token).get('/api/openapi.json')).body;
  const routes = Object.entries(api.paths).filter(([, ops]) => ops.get?.['x-export']).map(([p]) => p);
  assert.ok(routes.length >= 15, routes.join(' '));
  const room = (await who.admin.api.get('/api/v1/rooms')).body.items[0];
  const director = await login(server.url, 'director');
  for (const route of routes) {
    const path = route.replace('{id}', String(room.id)) + (route === '/api/v1/patients' ? '?q=zh' : '');
    const token = route.includes('pending-approvals') ? director.token
      : route.includes('safety-events') ? who.inspector.token : who.admin.token;
    const r = await fetchXlsx(server.url, token, path + (path.includes('?') ? '&' : '?') + 'format=xlsx');
    assert.equal(r.status, 200, `${route}: ${JSON.stringify(r.error)}`);
    const x = await readXlsx(r.bytes);
    assert.ok(x.headers.every((h) => typeof h === 'string' && h.length > 0), `${route} headers`);
    assert.ok(x.headers.every((h) => !/[a-z]{3,}\.[a-z]/.test(h)), `${route}: no i18n keys as headers`);
    assert.equal(String(x.rows.length), r.headers.get('x-export-rows'), route);
  }
});

test('beyond export.max_rows the export is refused, naming the rule', async () => {
  // Last in this file: a setting's version for today stays for the day.
  const today = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);
  const sites = (await who.admin.api.get('/api/v1/sites')).body.items.length;
  const rooms = (await who.admin.api.get('/api/v1/rooms')).body.items.length;
  assert.ok(rooms > sites);
  const set = await who.admin.api.post('/api/v1/settings/export.max_rows/versions',
    { value: sites, valid_from: today, reason: 'test of the export cap' });
  assert.equal(set.status, 201, set.text);
  const r = await fetchXlsx(server.url, who.tech.token, '/api/v1/exams?format=xlsx');
  assert.equal(r.status, 400);
  assert.equal(r.error.fields[0].field, 'format');
  assert.equal(r.error.fields[0].rule, 'max_rows');
  assert.match(r.error.fields[0].message, new RegExp(`more than ${sites} rows.*export\\.max_rows`));
  assert.deepEqual(r.error.fields[0].params, { limit: sites }, 'the UI words the limit from params');
  assert.equal((await fetchXlsx(server.url, who.admin.token, '/api/v1/rooms?format=xlsx')).status, 400);
  const exact = await fetchXlsx(server.url, who.admin.token, '/api/v1/sites?format=xlsx');
  assert.equal(exact.status, 200, 'a list of exactly the cap exports');
  assert.equal((await readXlsx(exact.bytes)).rows.length, sites);
});
