// In headless Chromium: two roles sign in and each sees its own navigation and home page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { signedIn } from '../lib/server.mjs';
import { browserSuite, shots } from '../lib/browser.mjs';

const suite = browserSuite();

test('the administrator sees the administration menus and the home figures', async () => {
  const page = await suite.signIn('admin');
  await assert.doesNotReject(page.getByTestId('current-user').filter({ hasText: '系统管理员' }).waitFor());
  for (const item of ['nav-home', 'nav-sites', 'nav-rooms', 'nav-staff', 'nav-users', 'nav-settings', 'nav-audit']) {
    assert.equal(await page.getByTestId(item).count(), 1, `${item} shown to admin`);
  }
  // The figures arrive after the page: wait for them rather than read the page at once.
  const alert = page.getByTestId('home-page').getByText(/已过期|即将到期/).first();
  await assert.doesNotReject(alert.waitFor(), 'licence alerts on the home page');
  const home = await page.getByTestId('home-page').innerText();
  assert.match(home, /锁定|检查室|人员/);
  if (shots) await page.screenshot({ path: join(shots, 'home-admin.png'), fullPage: true });
  await page.getByTestId('nav-users').click();
  await page.getByText('inspector').first().waitFor();
  if (shots) await page.screenshot({ path: join(shots, 'users-admin.png'), fullPage: true });
  await page.getByTestId('logout').click();
  await page.getByTestId('login-submit').waitFor();
  await page.close();
});

test('a technologist sees only what the role may use', async () => {
  const page = await suite.signIn('tech');
  assert.equal(await page.getByTestId('nav-sites').count(), 1);
  assert.equal(await page.getByTestId('nav-rooms').count(), 1);
  for (const item of ['nav-users', 'nav-staff', 'nav-audit', 'nav-settings', 'nav-tokens', 'nav-jobs']) {
    assert.equal(await page.getByTestId(item).count(), 0, `${item} hidden from technologist`);
  }
  const home = await page.getByTestId('home-page').innerText();
  assert.match(home, /技师/);
  assert.doesNotMatch(home, /锁定账户|用户数/);
  if (shots) await page.screenshot({ path: join(shots, 'home-tech.png'), fullPage: true });
  await page.getByTestId('nav-rooms').click();
  await page.getByText('CT1室').first().waitFor();
  await page.close();
});

test('an engineer sees an exam by its accession number, without the patient', async () => {
  const admin = await signedIn(suite.server.url, 'admin');
  const exam = (await admin.get('/api/v1/exams?limit=1')).body.items[0];
  assert.ok(exam.patient_name);
  const page = await suite.signIn('engineer');
  await page.goto(`${suite.server.url}/exams/${exam.id}`);
  await page.getByTestId('exam-accession').filter({ hasText: exam.accession_no }).waitFor();
  await page.getByTestId('exam-patient-hidden').filter({ hasText: '患者信息不可见' }).waitFor();
  assert.ok(!(await page.locator('body').innerText()).includes(exam.patient_name), 'no patient name on the page');
  await page.close();
});

// Issue 14 item 11: neither lands on a page with nothing for them.
test('the radiologist\'s home lists approvals waiting and today\'s rooms; a row opens the queue', async () => {
  const doctor = await signedIn(suite.server.url, 'doctor');
  const pending = (await doctor.get('/api/v1/screening/pending-approvals')).body.items.length;
  const rooms = (await doctor.get('/api/v1/today/rooms')).body.items;
  const page = await suite.signIn('doctor');
  await page.getByTestId('home-approvals-count').filter({ hasText: String(pending) }).waitFor();
  const first = rooms[0];
  await page.getByTestId(`today-room-${first.room_id}`).click();
  await page.waitForURL(new RegExp(`/queue\\?room=${first.room_id}`));
  if (shots) await page.screenshot({ path: join(shots, 'queue-from-home.png'), fullPage: true });
  await page.close();
});

test('the engineer\'s home shows the rooms with the devices named on today\'s acquisitions', async () => {
  const engineer = await signedIn(suite.server.url, 'engineer');
  const rooms = (await engineer.get('/api/v1/today/rooms')).body.items;
  const page = await suite.signIn('engineer');
  const panel = page.getByTestId('today-rooms');
  await panel.waitFor();
  for (const room of rooms) await page.getByTestId(`today-room-${room.room_id}`).waitFor();
  const withDevice = rooms.find((r) => r.devices.some((d) => d.device_id));
  if (withDevice) {
    const text = await page.getByTestId(`today-devices-${withDevice.room_id}`).innerText();
    assert.ok(withDevice.devices.every((d) => text.includes(d.device_id || '未填设备')), text);
  }
  assert.equal(await page.getByTestId('home-approvals').count(), 0, 'no approvals for an engineer');
  if (shots) await page.screenshot({ path: join(shots, 'home-engineer.png'), fullPage: true });
  await page.close();
});
