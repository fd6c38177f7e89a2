// In headless Chromium, the exam workflow through the screens: a technologist registers a
// patient, a clinician orders a chest CT, the technologist books it into a CT room, checks the
// patient in, records the safety screening, starts, records the acquisition and completes; the
// exam's timeline shows each step with its actor.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { browserSuite, shots } from '../lib/browser.mjs';

// 110105 19800101 001 + check digit (GB 11643): odd sequence digit, a man.
const ID_NUMBER = '110105198001010016';
const ID_WRONG_CHECK = '110105198001010015';
const ID_CORRECTED = '110105199003070017'; // born 1990-03-07, a man
const PATIENT = '韩测试';

const suite = browserSuite();

const { signIn } = suite;

// Opens an Element Plus select by its test id, types to filter or search, picks an option.
async function choose(page, selectId, text, optionId) {
  await page.getByTestId(selectId).click();
  if (text) await page.keyboard.type(text);
  const option = page.getByTestId(optionId);
  await option.waitFor({ state: 'visible' });
  await option.click();
}

const today = () => new Date().toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });

test('register, order, book, check in, screen, acquire and complete a CT exam', async () => {
  // --- the technologist registers the patient ----------------------------------------------
  const tech = await signIn('tech');
  for (const item of ['nav-patients', 'nav-booking', 'nav-queue', 'nav-exams', 'nav-rejects']) {
    assert.equal(await tech.getByTestId(item).count(), 1, `${item} shown to the technologist`);
  }
  assert.equal(await tech.getByTestId('nav-orders').count(), 0, 'only orders.write writes orders');
  await tech.getByTestId('nav-patients').click();
  await tech.getByTestId('patient-create').click();
  const dialog = tech.getByTestId('patient-dialog');
  await dialog.waitFor();
  await tech.getByTestId('patient-name').fill(PATIENT);
  // The pinyin follows the name from the server's table.
  await tech.waitForFunction(() => {
    const el = document.querySelector('[data-testid="patient-pinyin"]');
    return (el?.matches('input') ? el : el?.querySelector('input'))?.value === 'HAN CE SHI';
  });
  await tech.getByTestId('patient-doc-number-0').fill(ID_WRONG_CHECK);
  await tech.getByTestId('patient-phone').fill('13800138000');
  await tech.getByTestId('patient-save').click();
  // The server's error for documents[0].number shows at that input.
  const docError = tech.getByTestId('patient-doc-0').locator('.el-form-item__error');
  await docError.waitFor();
  assert.match(await docError.innerText(), /校验位/);
  await tech.getByTestId('patient-doc-number-0').fill(ID_NUMBER);
  await tech.getByTestId('patient-sex-M').click();
  assert.equal(await tech.getByTestId('patient-birth').locator('input').inputValue(), '1980-01-01', 'birth date read from the ID number');
  await tech.getByTestId('patient-save').click();
  const drawer = tech.getByTestId('patient-drawer');
  await drawer.getByText(ID_NUMBER).waitFor();
  const title = await drawer.locator('.el-drawer__title, header').first().innerText();
  const patientNo = /（(\S+)）/.exec(title)?.[1];
  assert.ok(patientNo, `patient number in "${title}"`);
  if (shots) await tech.screenshot({ path: join(shots, 'patient-registered.png'), fullPage: true });
  // A corrected identity number sets the birth date and sex it carries, and says so (issue 14
  // item 7: the old ones stayed and the save failed).
  await drawer.getByTestId('patient-correct').click();
  const correction = tech.getByTestId('patient-dialog').last();
  await correction.getByTestId('patient-doc-number-0').fill(ID_CORRECTED);
  await correction.getByTestId('patient-derived').filter({ hasText: '1990-03-07' }).waitFor();
  assert.equal(await correction.getByTestId('patient-birth').locator('input').inputValue(), '1990-03-07');
  await correction.getByTestId('patient-reason').fill('身份证号录入错误');
  await correction.getByTestId('patient-save').click();
  await drawer.getByText(ID_CORRECTED).waitFor();
  await tech.keyboard.press('Escape');

  // --- the clinician writes a routine chest CT order -----------------------------------------
  const clinician = await signIn('clinician');
  await clinician.getByTestId('nav-orders').click();
  await choose(clinician, 'order-patient', PATIENT, `patient-option-${patientNo}`);
  await choose(clinician, 'order-item', 'CT002', 'item-option-CT002');
  // The form starts with the clinician's own department (their account names it).
  await clinician.getByTestId('order-department').getByText('心内科').waitFor();
  await choose(clinician, 'order-department', '呼吸', 'department-option-呼吸内科');
  await clinician.getByTestId('order-history').fill('咳嗽两周，低热');
  await clinician.getByTestId('order-question').fill('肺部感染？');
  await clinician.getByTestId('order-submit').click();
  const accession = (await clinician.getByTestId('order-accession').innerText()).trim();
  assert.match(accession, /^RQ\d{8}\d+$/);
  assert.match(await clinician.getByTestId('order-created').innerText(), /胸部CT平扫.*常规.*已申请/s);
  if (shots) await clinician.screenshot({ path: join(shots, 'order-created.png'), fullPage: true });
  // 继续开单 keeps the patient (issue 14 item 7); the exam item starts empty.
  await clinician.getByTestId('order-another').click();
  await clinician.getByTestId('order-patient').getByText(PATIENT).waitFor();
  assert.equal(await clinician.getByTestId('order-item').getByText('CT002').count(), 0);
  await clinician.context().close();

  // --- the technologist books it into CT2 (08:00–12:00, 13:30–17:30, Mon–Sat) ----------------
  await tech.getByTestId('nav-booking').click();
  await choose(tech, 'booking-room', '', 'booking-room-R02');
  await tech.getByTestId(`booking-exam-${accession}`).click();
  await tech.getByTestId('booking-selected').getByText(PATIENT).waitFor();
  let slot = null;
  for (let week = 0; week < 3 && !slot; week++) {
    await tech.locator('[data-testid^="slot-"]').first().waitFor();
    const days = await tech.locator('[data-bookable="true"]').evaluateAll((els) => els.map((e) => e.dataset.day));
    const day = days.find((d) => d > today());
    if (day) slot = tech.locator(`[data-bookable="true"][data-day="${day}"]`).first();
    else await tech.getByTestId('booking-next').click();
  }
  assert.ok(slot, 'a free slot after today');
  const slotId = await slot.getAttribute('data-testid');
  await slot.click();
  await tech.locator('.el-message-box__btns .el-button--primary').click();
  await tech.getByTestId('booking-selected').getByText('已预约').waitFor();
  assert.match(await tech.getByTestId(slotId).getAttribute('class'), /mine/, 'the booked slot is marked');
  if (shots) await tech.screenshot({ path: join(shots, 'booking.png'), fullPage: true });

  // --- on the day: the exam page ------------------------------------------------------------
  await tech.getByTestId('nav-exams').click();
  await tech.getByTestId(`exam-row-${accession}`).click();
  await tech.getByTestId('exam-accession').filter({ hasText: accession }).waitFor();
  assert.match(await tech.getByTestId('exam-state').innerText(), /已预约/);
  await tech.getByTestId('exam-arrive').click();
  await tech.getByTestId('exam-state').filter({ hasText: '已签到' }).waitFor();

  // The screening gate shows, and the start is refused while it is open.
  const gate = tech.getByTestId('gate-shielding');
  await gate.waitFor();
  assert.match(await gate.innerText(), /屏蔽防护/);
  await tech.getByTestId('exam-start').click();
  await tech.getByText('安全核查尚未完成').first().waitFor();
  assert.match(await tech.getByTestId('exam-state').innerText(), /已签到/);
  if (shots) await tech.screenshot({ path: join(shots, 'screening-open.png'), fullPage: true });

  await tech.getByTestId('screening-shielding-used').click();
  await tech.getByTestId('screening-save').click();
  await tech.getByTestId('screening-clear').waitFor();
  assert.equal(await tech.getByTestId('gate-shielding').count(), 0);

  await tech.getByTestId('exam-start').click();
  await tech.getByTestId('exam-state').filter({ hasText: '检查中' }).waitFor();

  await tech.locator('#tab-acquisition').click();
  await tech.getByTestId('acq-device').fill('CT-02');
  await tech.getByTestId('acq-protocol').fill('胸部常规平扫');
  await tech.getByTestId('acq-images').locator('input').fill('240');
  await tech.getByTestId('acq-images').locator('input').press('Tab');
  await tech.getByTestId('acq-save').click();
  await tech.getByText('检查记录已保存').first().waitFor();

  await tech.getByTestId('exam-complete').click();
  await tech.getByTestId('exam-state').filter({ hasText: '检查完成' }).waitFor();

  // The timeline: booked, arrived, started, acquired — each by the technologist, in order.
  const timeline = tech.getByTestId('exam-timeline');
  await timeline.getByTestId('timeline-acquired').waitFor();
  const steps = await timeline.locator('[data-testid^="timeline-"]').evaluateAll((els) =>
    els.map((e) => ({ to: e.dataset.testid.slice(9), from: e.dataset.from, actor: e.dataset.actor })));
  const path = steps.map((s) => s.to);
  assert.deepEqual(path.slice(-3), ['arrived', 'in_progress', 'acquired'], JSON.stringify(steps));
  for (const s of steps.slice(-3)) assert.equal(s.actor, 'tech', JSON.stringify(s));
  assert.match(await timeline.innerText(), /已签到[\s\S]*检查中[\s\S]*检查完成/);
  assert.match(await tech.getByTestId('tat-start_to_acquired').innerText(), /^\d+$/);
  if (shots) await tech.screenshot({ path: join(shots, 'exam-done.png'), fullPage: true });
  await tech.context().close();
});
