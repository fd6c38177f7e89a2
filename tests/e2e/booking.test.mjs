// In headless Chromium: a 24-hour room's booking calendar opens at the current time, not at
// 00:00 (issue 14 item 8).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { browserSuite, shots } from '../lib/browser.mjs';

const suite = browserSuite();

test('a 24-hour room\'s week opens at the current time, the past hours above it', async () => {
  const page = await suite.signIn('tech');
  await page.getByTestId('nav-booking').click();
  await page.getByTestId('booking-room').click();
  await page.getByTestId('booking-room-R01').click(); // CT1室, open around the clock
  await page.locator('[data-testid="slot-calendar"] tr[data-time="00:00"]').waitFor();
  await page.waitForFunction(() => {
    const box = document.querySelector('[data-testid="slot-calendar"]');
    return box && !box.classList.contains('is-loading');
  });
  const view = await page.evaluate(() => {
    const box = document.querySelector('[data-testid="slot-calendar"]');
    const d = new Date();
    const hm = `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
    const rows = [...box.querySelectorAll('tbody tr')];
    const head = box.querySelector('thead').offsetHeight;
    // The first row below the sticky header.
    const top = rows.find((r) => r.offsetTop - head >= box.scrollTop - 1);
    const expected = rows.map((r) => r.dataset.time).find((t) => t >= hm);
    const maxScroll = box.scrollHeight - box.clientHeight;
    return { hm, top: top?.dataset.time, expected, scrollTop: box.scrollTop, maxScroll, rows: rows.length };
  });
  assert.equal(view.rows, 96, '15-minute slots around the clock');
  if (view.scrollTop < view.maxScroll - 1) assert.equal(view.top, view.expected, JSON.stringify(view));
  else assert.ok(view.expected === undefined || view.top <= view.expected, JSON.stringify(view));
  if (shots) await page.screenshot({ path: join(shots, 'booking-24h.png') });
  await page.close();
});

// Issue 14 item 7: one patient booked twice at the same time gets a warning the desk answers.
test('booking a patient at the time of their other booking asks first, then books both', async () => {
  const { signedIn } = await import('../lib/server.mjs');
  const [tech, clinician, admin] = await Promise.all(['tech', 'clinician', 'admin'].map((u) => signedIn(suite.server.url, u)));
  const item = (await admin.get('/api/v1/catalogue?modality=CT')).body.items.find((i) => i.code === 'CT002');
  const room = (await admin.get('/api/v1/rooms?modality=CT')).body.items.find((r) => r.code === 'R02');
  const p = (await tech.post('/api/v1/patients', { name: '重约患者', sex: 'F', birth_date: '1971-05-02' })).body;
  const order = async () => (await clinician.post('/api/v1/orders', {
    patient_id: p.id, item_id: item.id, ordering_department_id: 4, ordering_physician: '赵医生',
    clinical_history: '咳嗽', clinical_question: '复查', patient_class: 'outpatient', priority: 'routine',
  })).body;
  const [first, second] = [await order(), await order()];

  const page = await suite.signIn('tech');
  await page.getByTestId('nav-booking').click();
  await page.getByTestId('booking-room').click();
  await page.getByTestId('booking-room-R02').click();
  await page.getByTestId(`booking-exam-${second.accession_no}`).click();
  await page.getByTestId('booking-selected').getByText('重约患者').waitFor();
  const today = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);
  // An empty slot after today, so that it holds both exams (capacity 2).
  const local = (iso) => new Date(Date.parse(iso) + 8 * 3600e3).toISOString();
  let slot = null;
  let start = null;
  for (let week = 0; week < 3 && !slot; week++) {
    await page.locator('[data-testid^="slot-"]').first().waitFor();
    const days = [...new Set(await page.locator('[data-bookable="true"]').evaluateAll((els) => els.map((e) => e.dataset.day)))];
    for (const day of days.filter((d) => d > today)) {
      const free = (await tech.get(`/api/v1/rooms/${room.id}/slots?from=${day}&to=${day}`)).body.items.find((x) => x.booked === 0 && !x.closed && x.capacity >= 2);
      if (!free) continue;
      start = free.start;
      slot = page.getByTestId(`slot-${day}-${local(start).slice(11, 16).replace(':', '')}`);
      break;
    }
    if (!slot) await page.getByTestId('booking-next').click();
  }
  assert.ok(slot, 'an empty slot after today');
  // The other exam takes that slot first.
  const booked = await tech.post(`/api/v1/exams/${first.id}/booking`, { room_id: room.id, slot_start: start, version: first.version });
  assert.equal(booked.status, 200, booked.text);

  await slot.click();
  await page.locator('.el-message-box__btns .el-button--primary').click(); // 确认预约
  const warning = page.locator('.el-message-box').filter({ hasText: '同一患者预约时间过近' });
  await warning.waitFor();
  assert.match(await warning.innerText(), new RegExp(`${first.accession_no}.*时间过近`, 's'));
  assert.equal((await tech.get(`/api/v1/exams/${second.id}`)).body.state, 'ordered', 'nothing booked before the answer');
  await warning.locator('.el-button--primary').click(); // 仍然预约
  await page.getByTestId('booking-selected').getByText('已预约').waitFor();
  assert.equal((await tech.get(`/api/v1/exams/${second.id}`)).body.state, 'scheduled');
  await page.close();
});
