import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, chooseOption, DEMO_PASSWORD, hasBrowser, launchBrowser, screenshot, startServer, type Server } from './harness.js';

const TRAINEE = { username: 'qc_trainee', displayName: '钱学员', password: 'Trainee#2026x' };

async function session(browser: Browser, url: string, username: string, password: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ locale: 'zh-CN' });
  const page = await context.newPage();
  expect((await page.request.post(`${url}/api/auth/login`, { data: { username, password } })).status()).toBe(200);
  return { context, page };
}

/** Picks one option of a multiple-choice antd Select (its dropdown stays open) and closes it. */
async function addOption(page: Page, testId: string, text: string): Promise<void> {
  await page.getByTestId(testId).click();
  await page.keyboard.type(text);
  await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option').filter({ hasText: text }).first().click();
  await page.keyboard.press('Escape');
}

async function pickDateTime(page: Page, testId: string, value: string): Promise<void> {
  const input = page
    .getByTestId(testId)
    .locator('input')
    .or(page.locator(`input[data-testid="${testId}"]`))
    .first();
  await input.click();
  await input.fill(value);
  await input.press('Enter');
  await page.locator('.ant-picker-dropdown:not(.ant-picker-dropdown-hidden)').waitFor({ state: 'hidden', timeout: 5_000 });
}

async function confirmOk(page: Page): Promise<void> {
  await page.locator('.ant-modal-confirm-btns .ant-btn-primary').click();
}

/** Records and signs a cucumber inspection through the quality screen, as the existing quality flow does. */
async function recordAndSign(page: Page, url: string): Promise<void> {
  await page.goto(`${url}/quality`);
  await page.getByRole('tab', { name: '检验', exact: true }).click();
  await chooseOption(page, 'inspection-standard', 'QS-CUKE', { type: false });
  await chooseOption(page, 'inspection-lot', 'HV-A2-01');
  const date = page.getByTestId('inspection-date');
  const dateInput = (await date.evaluate((e) => e.tagName)) === 'INPUT' ? date : date.locator('input');
  await dateInput.click();
  await dateInput.fill(new Date().toISOString().slice(0, 10));
  await dateInput.press('Enter');
  await page.getByTestId('inspection-value-imidacloprid').fill('0.1');
  await chooseOption(page, 'inspection-value-appearance', '一级', { type: false });
  await page.getByTestId('inspection-value-core_temp').fill('10');
  await page.getByTestId('inspection-form-submit').click();
}

const pad = (n: number) => String(n).padStart(2, '0');
function localInput(d: Date): string {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

describe.skipIf(!hasBrowser)('training in the browser', () => {
  let server: Server;
  let browser: Browser;
  beforeAll(async () => {
    server = await startServer({ demo: true });
    browser = await launchBrowser();
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('plan → session → exam failed → remedial assigned → re-test passed → the user may now sign off an inspection', async () => {
    const admin = await session(browser, server.url, 'admin', ADMIN_PASSWORD);
    const created = await admin.page.request.post(`${server.url}/api/admin/users`, { data: { ...TRAINEE, roles: ['qc'] } });
    expect(created.status(), await created.text()).toBe(201);
    await admin.context.close();

    const trainer = await session(browser, server.url, 'trainer', DEMO_PASSWORD);
    const trainee = await session(browser, server.url, TRAINEE.username, TRAINEE.password);
    // An account an admin created has a one-time password: the new user sets their own first (this session stays).
    const changed = await trainee.page.request.post(`${server.url}/api/auth/password`, {
      headers: { origin: server.url },
      data: { currentPassword: TRAINEE.password, newPassword: 'Trainee#2026-own' },
    });
    expect(changed.status(), await changed.text()).toBeLessThan(300);
    try {
      const t = trainer.page;
      // ---- the trainer drafts and activates a plan
      await t.goto(`${server.url}/training`);
      await t.getByTestId('plan-create').click();
      await t.getByTestId('plan-title').fill('质检新人上岗培训');
      await addOption(t, 'plan-topics', '质量标准');
      await t.getByTestId('course-add').click();
      await chooseOption(t, 'course-topic-0', '质量标准', { type: false });
      await t.getByTestId('course-title-0').fill('农残快检与签发');
      await t.getByTestId('course-hours-0').fill('4');
      const target = t.getByTestId('course-date-0').locator('input').or(t.locator('input[data-testid="course-date-0"]')).first();
      await target.click();
      await target.fill(new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10));
      await target.press('Enter');
      await t.getByTestId('plan-create-ok').click();
      await t.getByTestId('plan-drawer').waitFor();
      await t.getByTestId('plan-activate').click();
      await expect.poll(() => t.getByTestId('plan-drawer').innerText(), { timeout: 20_000 }).toContain('执行中');
      await screenshot(t, 'training-plan');
      await t.keyboard.press('Escape');

      // ---- schedules a session, invites the trainee, checks them in and completes it
      await t.getByRole('tab', { name: '培训场次', exact: true }).click();
      await t.getByTestId('session-create').click();
      await chooseOption(t, 'session-plan', '质检新人上岗培训');
      await t.getByTestId('session-title').fill('农残快检实操课');
      await chooseOption(t, 'session-topic', '质量标准', { type: false });
      const start = new Date(Date.now() + 86_400_000);
      start.setMinutes(0, 0, 0);
      await pickDateTime(t, 'session-starts', localInput(start));
      await pickDateTime(t, 'session-ends', localInput(new Date(start.getTime() + 2 * 3_600_000)));
      await t.getByTestId('session-place').fill('质检室 201');
      await addOption(t, 'session-create-invitees', TRAINEE.displayName);
      await t.getByTestId('session-create-ok').click();
      await t.getByTestId('session-drawer').waitFor();
      await t.getByTestId(`checkin-${TRAINEE.displayName}`).click();
      await expect.poll(() => t.getByTestId('session-drawer').innerText(), { timeout: 20_000 }).toContain('讲师签到');
      await t.getByTestId('session-qr').waitFor();
      await screenshot(t, 'training-session');
      await t.getByTestId('session-complete').click();
      await confirmOk(t);
      await expect.poll(() => t.getByTestId('session-drawer').innerText(), { timeout: 20_000 }).toContain('已完成');

      // ---- the trainee cannot sign off yet: the refusal names the certificate
      const p = trainee.page;
      await recordAndSign(p, server.url);
      await expect.poll(() => p.getByTestId('inspection-form-error').textContent(), { timeout: 20_000 }).toContain('质检签发资格');
      await screenshot(p, 'training-gate-refused');

      // ---- takes the certificate exam in the browser and fails it
      const exams = (await (await t.request.get(`${server.url}/api/training/exams?q=质检签发资格`)).json()) as { items: { code: string }[] };
      const examCode = exams.items[0]!.code;
      await p.goto(`${server.url}/training/me`);
      await p.getByTestId(`exam-start-${examCode}`).click();
      await p.getByTestId('exam-page').waitFor();
      await p.getByTestId('exam-q-0-opt-0').click(); // wrong (≥50% is right)
      await p.getByTestId('exam-q-1-true').click(); // wrong
      await p.getByTestId('exam-q-2-opt-2').click(); // wrong
      await p.getByTestId('exam-submit').click();
      await p.getByTestId('exam-submit-ok').click();
      await expect.poll(() => p.getByTestId('exam-result').textContent(), { timeout: 20_000 }).toContain('不合格');
      await p.locator('.ant-modal-confirm').waitFor({ state: 'hidden' });
      await screenshot(p, 'training-exam-failed');

      // ---- remedial training was assigned automatically, with a deadline
      await p.getByTestId('exam-back').click();
      await expect.poll(() => p.getByTestId('my-remedial').innerText(), { timeout: 20_000 }).toContain('待完成辅导培训');
      expect(await p.getByTestId('my-remedial').innerText()).toContain('截止日期');
      await screenshot(p, 'training-remedial-assigned');

      // ---- the trainer records the remedial training as given
      await t.goto(`${server.url}/training?tab=remedials`);
      await t.getByTestId(`remedial-done-${TRAINEE.displayName}`).click();
      await expect.poll(() => t.locator('body').innerText(), { timeout: 20_000 }).toContain('可补考');

      // ---- the re-test is passed and earns the certificate
      await p.goto(`${server.url}/training/me`);
      await expect.poll(() => p.getByTestId('my-remedial').innerText(), { timeout: 20_000 }).toContain('可补考');
      await p.getByTestId(`exam-start-${examCode}`).click();
      await p.getByTestId('exam-page').waitFor();
      await p.getByTestId('exam-q-0-opt-1').click();
      await p.getByTestId('exam-q-1-false').click();
      for (const i of [0, 1, 3]) await p.getByTestId(`exam-q-2-opt-${i}`).click();
      await p.getByTestId('exam-submit').click();
      await p.getByTestId('exam-submit-ok').click();
      await expect.poll(() => p.getByTestId('exam-result').textContent(), { timeout: 20_000 }).toContain('优秀');
      await p.locator('.ant-modal-confirm').waitFor({ state: 'hidden' });
      await screenshot(p, 'training-retest-passed');
      await p.getByTestId('exam-back').click();
      await expect.poll(() => p.getByTestId('my-certificates').innerText(), { timeout: 20_000 }).toContain('质检签发资格');
      expect(await p.getByTestId(`exam-start-${examCode}`).count()).toBe(0); // no attempt left
      await screenshot(p, 'training-my-training');

      // ---- and may now sign off an inspection
      await recordAndSign(p, server.url);
      await expect.poll(() => p.getByTestId('inspection-outcome').textContent(), { timeout: 20_000 }).toMatch(/QC\d{8}-\d{4}/);
      await screenshot(p, 'training-gate-passed');

      // ---- the report shows the attempts: completion and pass rate by department
      await t.goto(`${server.url}/training?tab=reports`);
      await expect.poll(() => t.getByTestId('report-table').innerText(), { timeout: 20_000 }).toContain('%');
      await screenshot(t, 'training-report');

      // ---- the same screens in English
      await t.getByText('English', { exact: true }).click();
      await t.goto(`${server.url}/training?tab=certificates`);
      await expect.poll(() => t.locator('body').innerText(), { timeout: 20_000 }).toContain('QC sign-off');
      await screenshot(t, 'training-certificates-en');
    } finally {
      await trainer.context.close();
      await trainee.context.close();
    }
  }, 300_000);
});
