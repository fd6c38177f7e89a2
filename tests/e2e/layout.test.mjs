// In headless Chromium at 1366×768 and 1920×1080, in Chinese and English: the main screens fit
// (issue 14 item 12) — no column hidden under the fixed 操作 column, no page wider than the
// window, no label running into its field, toasts below the page title, the logo above the
// administrator's long menu. RADQS_SCREENSHOTS keeps a picture of each screen for a person to
// look at.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { browserSuite, PAGE_OPTIONS, shots, signInPage } from '../lib/browser.mjs';

const suite = browserSuite();
const SCREENS = ['/', '/patients', '/exams', '/booking', '/queue', '/rejects', '/safety-events', '/approvals',
  '/catalogue', '/staff', '/users', '/settings', '/audit', '/rooms', '/sites', '/departments', '/jobs'];
const SIZES = [{ width: 1366, height: 768 }, { width: 1920, height: 1080 }];

// What does not fit on the page now, in words a failure message can show.
async function problems(page) {
  return page.evaluate(() => {
    const out = [];
    const doc = document.documentElement;
    if (doc.scrollWidth > window.innerWidth + 1) out.push(`page ${doc.scrollWidth}px wide in ${window.innerWidth}px`);
    for (const table of document.querySelectorAll('.el-table')) {
      if (!table.offsetParent) continue;
      const body = table.querySelector('.el-table__body-wrapper .el-scrollbar__wrap') ?? table.querySelector('.el-table__body-wrapper');
      if (body && body.scrollWidth > body.clientWidth + 1) {
        out.push(`table ${table.dataset.testid ?? ''} ${body.scrollWidth}px in ${body.clientWidth}px: columns hidden`);
      }
    }
    for (const label of document.querySelectorAll('.el-form-item__label')) {
      if (label.offsetParent && label.scrollWidth > label.clientWidth + 1) out.push(`label "${label.textContent.trim()}" cut`);
    }
    for (const title of document.querySelectorAll('.page-title')) {
      if (title.offsetParent && title.scrollWidth > title.clientWidth + 1) out.push(`title "${title.textContent.trim()}" cut`);
    }
    const logo = document.querySelector('.aside .brand');
    if (logo) {
      const r = logo.getBoundingClientRect();
      if (r.top < 0 || r.height < 40) out.push(`logo clipped (${Math.round(r.top)}, ${Math.round(r.height)}px)`);
    }
    return out;
  });
}

for (const size of SIZES) {
  for (const locale of ['zh-CN', 'en']) {
    test(`the main screens fit ${size.width}×${size.height} in ${locale}`, async () => {
      const page = await signInPage(suite.browser, suite.server.url, 'admin', { ...PAGE_OPTIONS, viewport: size });
      if (locale === 'en') {
        await page.evaluate(() => localStorage.setItem('radqs.locale', 'en'));
        await page.reload();
        await page.getByTestId('home-page').waitFor();
      }
      const found = [];
      for (const path of SCREENS) {
        await page.goto(`${suite.server.url}${path}`);
        await page.locator('.page, [data-testid="home-page"]').first().waitFor();
        // The event stream keeps the network busy: wait for the tables' loading masks instead.
        await page.waitForTimeout(400);
        await page.waitForFunction(() => ![...document.querySelectorAll('.el-loading-mask')].some((m) => m.offsetParent));
        for (const p of await problems(page)) found.push(`${path}: ${p}`);
        if (shots) await page.screenshot({ path: join(shots, `layout-${size.width}-${locale}${path.replace(/\//g, '-') || '-home'}.png`) });
      }
      assert.deepEqual(found, []);
      await page.context().close();
    });
  }
}

test('a toast does not cover the page title', async () => {
  const page = await signInPage(suite.browser, suite.server.url, 'tech', { ...PAGE_OPTIONS, viewport: SIZES[0] });
  // Registering a patient answers with a toast.
  await page.goto(`${suite.server.url}/patients`);
  await page.getByTestId('patient-create').click();
  await page.getByTestId('patient-name').fill('提示患者');
  await page.getByTestId('patient-doc-number-0').fill('110105199003070017');
  await page.getByTestId('patient-save').click();
  const toast = page.locator('.el-message').first();
  await toast.waitFor();
  await page.waitForTimeout(600); // its slide-in over
  const [t, title] = await Promise.all([toast.boundingBox(), page.locator('.page-title').first().boundingBox()]);
  const apart = t.y >= title.y + title.height || title.y >= t.y + t.height || t.x >= title.x + title.width || title.x >= t.x + t.width;
  assert.ok(apart, `toast ${JSON.stringify(t)} over the title ${JSON.stringify(title)}`);
  assert.ok(t.y >= 56, 'below the header');
  await page.context().close();
});
