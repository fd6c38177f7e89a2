// In headless Chromium: 导出 on a filtered exam list downloads the XLSX the server builds from the
// same filters; the file, read with an XLSX reader, holds the rows the API answers and the words
// the screen shows. Then the audit log as an inspector reads it: a person found by name, actions
// in words, and the export just made listed with its filters.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { login, client } from '../lib/server.mjs';
import { browserSuite } from '../lib/browser.mjs';
import { readXlsx } from '../lib/xlsx.mjs';

const suite = browserSuite();

test('导出 of a filtered exam list saves the rows of the list, as the screen words them', async () => {
  const page = await suite.signIn('tech');
  await page.getByTestId('nav-exams').click();
  const table = page.getByTestId('exam-table');
  await table.locator('.el-table__row').first().waitFor();
  await page.getByTestId('exam-filter-modality').click();
  await Promise.all([
    page.waitForResponse((r) => r.url().includes('/api/v1/exams') && r.url().includes('modality=CT')),
    page.locator('.el-select-dropdown__item:visible').filter({ hasText: /^CT$/ }).click(),
  ]);
  await table.locator('.el-table__row').first().waitFor();
  const firstRow = (await table.locator('.el-table__row').first().locator('td').allInnerTexts()).map((s) => s.trim());

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-button').click()]);
  assert.match(download.suggestedFilename(), /^检查列表-\d{4}-\d{2}-\d{2}\.xlsx$/);
  const x = await readXlsx(readFileSync(await download.path()));
  await page.getByText(/已导出 \d+ 行/).waitFor();

  // The API's answer for the same filters (the list's default range: the last 7 days).
  const day = (d) => new Date(Date.now() + 8 * 3600e3 - d * 864e5).toISOString().slice(0, 10);
  const { token } = await login(suite.server.url, 'tech');
  const api = client(suite.server.url, token);
  const items = [];
  let cursor = null;
  do {
    const r = await api.get(`/api/v1/exams?from=${day(6)}&to=${day(0)}&modality=CT&limit=500${cursor ? `&cursor=${cursor}` : ''}`);
    items.push(...r.body.items);
    cursor = r.body.next_cursor;
  } while (cursor);
  assert.ok(items.length > 0);
  assert.deepEqual(x.rows.map((r) => r[0]), items.map((e) => e.accession_no));
  assert.equal(x.headers[0], '检查号');
  // The sheet's first row says what the screen's first row says.
  const [acc, patient, item, modality, , state, room] = x.rows[0];
  assert.deepEqual([acc, patient, item, modality], firstRow.slice(0, 4));
  assert.equal(state, firstRow[5]);
  assert.equal(room ?? '', firstRow[6]);
  await page.context().close();
});

test('the audit log: a person by name, actions in words, the export with its filters', async () => {
  const page = await suite.signIn('inspector');
  await page.getByTestId('nav-audit').click();
  const table = page.getByTestId('audit-table');
  await table.locator('.el-table__row').first().waitFor();
  const tech = (await login(suite.server.url, 'tech')).body.user;
  await page.getByTestId('audit-person').fill(tech.display_name);
  await Promise.all([
    page.waitForResponse((r) => r.url().includes('/api/v1/audit?') && r.url().includes('person=')),
    page.getByTestId('audit-person').press('Enter'),
  ]);
  const exportRow = table.locator('.el-table__row').filter({ hasText: '导出列表' }).first();
  await exportRow.waitFor();
  assert.match(await exportRow.innerText(), new RegExp(`${tech.display_name}\\s*tech`));
  assert.match(await exportRow.innerText(), /modality.*CT/);
  const actions = await table.getByTestId('audit-row-action').allInnerTexts();
  assert.ok(actions.every((a) => !/^[a-z_]+\.[a-z_]+$/.test(a.trim())), `actions in words: ${actions.slice(0, 5)}`);
  const actors = await table.getByTestId('audit-row-actor').allInnerTexts();
  assert.ok(actors.every((a) => a.trim() === tech.display_name), 'only that person');

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-button').click()]);
  assert.match(download.suggestedFilename(), /^审计日志-\d{4}-\d{2}-\d{2}\.xlsx$/);
  const x = await readXlsx(readFileSync(await download.path()));
  const { token } = await login(suite.server.url, 'inspector');
  const listed = await client(suite.server.url, token).get(`/api/v1/audit?person=${encodeURIComponent(tech.display_name)}&limit=500`);
  assert.deepEqual(x.rows.map((r) => r[0]).slice(0, listed.body.items.length), listed.body.items.map((e) => e.seq));
  assert.ok(x.rows.every((r) => r[2] === tech.display_name && r[3] === 'tech'));
  assert.ok(x.rows.some((r) => r[4] === '导出列表'));
  await page.context().close();
});
