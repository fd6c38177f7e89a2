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
