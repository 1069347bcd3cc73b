import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chooseOption, confirmDialog, DEMO_PASSWORD, hasBrowser, launchBrowser, pickedText, scanInto, screenshot, startServer, type Server } from './harness.js';

// a GTIN-14 with a right check digit that no demo product carries: the lot picker then searches every product's lots
const GTIN = '06901234567892';
const GS = '\u001d';

async function session(browser: Browser, url: string, username: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  const page = await context.newPage();
  expect((await page.request.post(`${url}/api/auth/login`, { data: { username, password: DEMO_PASSWORD } })).status()).toBe(200);
  return { context, page };
}

async function lotId(page: Page, url: string, code: string): Promise<{ id: string; qualityStatus: string }> {
  const res = (await (await page.request.get(`${url}/api/inventory/lots?q=${encodeURIComponent(code)}`)).json()) as {
    items: { id: string; lotCode: string; qualityStatus: string }[];
  };
  const lot = res.items.find((l) => l.lotCode === code);
  if (!lot) throw new Error(`no lot ${code}`);
  return lot;
}

async function useEnglish(page: Page): Promise<void> {
  await page.evaluate(() => window.localStorage.setItem('agri-oms.lang', 'en-US'));
  await page.reload();
}

describe.skipIf(!hasBrowser)('pickers and confirmations in the browser (demo company)', () => {
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

  it('the inspection form picks its lot by lot-code search, by a pasted GS1 element string and by a raw FNC1 scan, and records the inspection on that lot', async () => {
    const { context, page } = await session(browser, server.url, 'qc');
    try {
      await page.goto(`${server.url}/quality`);
      await page.getByRole('tab', { name: '检验', exact: true }).click();
      // code search: the dropdown shows lot code, product and stock
      await page.getByTestId('inspection-lot').click();
      await page.keyboard.type('HV-B1');
      await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option').filter({ hasText: 'HV-B1-02' }).waitFor();
      await screenshot(page, 'pickers-lot-search-zh');
      await page.keyboard.press('Escape');
      await chooseOption(page, 'inspection-lot', 'HV-B1-01');
      expect(await pickedText(page, 'inspection-lot')).toContain('HV-B1-01');

      // a GS1-128 element string as printed under our labels: the lot (10) is picked by itself
      await scanInto(page, 'inspection-lot', `(01)${GTIN}(11)261201(17)261231(10)HV-A1-01`);
      await expect.poll(() => pickedText(page, 'inspection-lot'), { timeout: 20_000 }).toContain('HV-A1-01');
      // a raw scan: symbology identifier, AIs run together, GS after the variable-length lot
      await scanInto(page, 'inspection-lot', `]C1${GS}01${GTIN}17261231` + `10HV-B1-02${GS}21SN1`);
      await expect.poll(() => pickedText(page, 'inspection-lot'), { timeout: 20_000 }).toContain('HV-B1-02');
      await screenshot(page, 'pickers-lot-scanned-zh');

      await chooseOption(page, 'inspection-standard', 'QS-CUKE', { type: false });
      const date = page.getByTestId('inspection-date');
      const dateInput = (await date.evaluate((e) => e.tagName)) === 'INPUT' ? date : date.locator('input');
      await dateInput.click();
      await dateInput.fill(new Date().toISOString().slice(0, 10));
      await dateInput.press('Enter');
      await page.getByTestId('inspection-value-imidacloprid').fill('0.05');
      await chooseOption(page, 'inspection-value-appearance', '一级', { type: false });
      await page.getByTestId('inspection-value-core_temp').fill('11');
      await page.getByTestId('inspection-form-submit').click();
      await expect.poll(() => page.getByTestId('inspection-outcome').textContent(), { timeout: 20_000 }).toContain('合格');
      const scanned = await lotId(page, server.url, 'HV-B1-02');
      const list = (await (await page.request.get(`${server.url}/api/quality/inspections?pageSize=100`)).json()) as { items: { lotId: string | null; number: string }[] };
      const number = ((await page.getByTestId('inspection-outcome').textContent()) ?? '').match(/QC\d{8}-\d{4}/)?.[0];
      expect(list.items.find((i) => i.number === number)?.lotId).toBe(scanned.id);

      // English: the picker's placeholder and options
      await useEnglish(page);
      await page.getByRole('tab', { name: 'Inspections', exact: true }).click();
      await page.getByTestId('inspection-lot').click();
      await page.keyboard.type('HV-A');
      await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option').filter({ hasText: 'HV-A2-01' }).waitFor();
      await screenshot(page, 'pickers-lot-search-en');
      await page.keyboard.press('Escape');
    } finally {
      await context.close();
    }
  }, 240_000);

  it('a lot status change asks first: Cancel leaves the lot released, confirming with a reason puts it on hold', async () => {
    const { context, page } = await session(browser, server.url, 'qc');
    try {
      const lot = await lotId(page, server.url, 'HV-A1-01');
      expect(lot.qualityStatus).toBe('released');
      await page.goto(`${server.url}/inventory/lots/${lot.id}`);
      await page.getByTestId('lot-status-hold').click();
      const said = await confirmDialog(page, 'lot-status-confirm', { confirm: false, screenshotAs: 'confirm-lot-hold-zh' });
      expect(said).toContain('HV-A1-01');
      expect(said).toContain('冻结');
      expect((await lotId(page, server.url, 'HV-A1-01')).qualityStatus).toBe('released');
      await expect.poll(() => page.getByTestId('lot-status').textContent()).toMatch(/已放行/);

      // the dialog takes the focus (on its reason field) and a required reason keeps it open when empty
      await page.getByTestId('lot-status-hold').click();
      await page.getByTestId('lot-status-confirm-dialog').waitFor();
      await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('lot-status-confirm-reason');
      expect(await page.getByRole('dialog').getAttribute('aria-describedby')).toBeTruthy();
      await page.getByTestId('lot-status-confirm-ok').click();
      await page.getByTestId('lot-status-confirm-dialog').waitFor();
      await confirmDialog(page, 'lot-status-confirm', { confirm: true, reason: '客户投诉,复检' });
      await expect.poll(() => page.getByTestId('lot-status').textContent(), { timeout: 20_000 }).toMatch(/冻结/);
      expect((await lotId(page, server.url, 'HV-A1-01')).qualityStatus).toBe('on_hold');

      await useEnglish(page);
      await page.getByTestId('lot-status-release').click();
      const en = await confirmDialog(page, 'lot-status-confirm', { confirm: false, screenshotAs: 'confirm-lot-release-en' });
      expect(en).toContain('Lot HV-A1-01 will be released');
    } finally {
      await context.close();
    }
  }, 240_000);

  it('the trace graph picks its lot from a Digital Link URL and by code; a recall names its scope and impact, and Cancel executes nothing', async () => {
    const { context, page } = await session(browser, server.url, 'manager');
    try {
      await page.goto(`${server.url}/trace`);
      await page.getByRole('tab', { name: '追溯图' }).click();
      await scanInto(page, 'graph-lot', `${server.url}/01/${GTIN}/10/HV-A2-01?17=261231`);
      await expect.poll(() => pickedText(page, 'graph-lot'), { timeout: 20_000 }).toContain('HV-A2-01');
      await page.getByTestId('graph-backward').click();
      await page.getByTestId('trace-graph').getByText('SG-01-A2').first().waitFor({ timeout: 20_000 });
      await screenshot(page, 'pickers-trace-graph-zh');
      await chooseOption(page, 'graph-lot', 'HV-B1-01');
      await page.getByTestId('graph-forward').click();
      await page.getByTestId('trace-graph').getByText('HV-B1-01').first().waitFor({ timeout: 20_000 });

      await page.getByRole('tab', { name: '召回' }).click();
      await chooseOption(page, 'recall-kind', '批次', { exact: true, type: false });
      await scanInto(page, 'recall-lot', `01${GTIN}10HV-A2-01${GS}21X1`);
      await expect.poll(() => pickedText(page, 'recall-lot'), { timeout: 20_000 }).toContain('HV-A2-01');
      await page.getByTestId('recall-reason').fill('农残超标');
      const before = ((await (await page.request.get(`${server.url}/api/trace/recalls`)).json()) as { total: number }).total;
      await page.getByTestId('recall-execute').click();
      const said = await confirmDialog(page, 'recall-confirm', { confirm: false, screenshotAs: 'confirm-recall-zh' });
      expect(said).toContain('批次 HV-A2-01');
      expect(said).toMatch(/\d+ 个批次将被冻结.*\d+ 个客户/);
      expect(((await (await page.request.get(`${server.url}/api/trace/recalls`)).json()) as { total: number }).total).toBe(before);
      expect((await lotId(page, server.url, 'HV-A2-01')).qualityStatus).toBe('released');

      await page.getByTestId('recall-execute').click();
      await confirmDialog(page, 'recall-confirm', { confirm: true });
      await page.getByTestId('recall-done').waitFor({ timeout: 20_000 });
      expect(((await (await page.request.get(`${server.url}/api/trace/recalls`)).json()) as { total: number }).total).toBe(before + 1);
      expect((await lotId(page, server.url, 'HV-A2-01')).qualityStatus).toBe('on_hold');

      await useEnglish(page);
      await page.getByRole('tab', { name: 'Recall' }).click();
      await chooseOption(page, 'recall-kind', 'Lot', { exact: true, type: false });
      await chooseOption(page, 'recall-lot', 'HV-B1-01');
      await page.getByTestId('recall-execute').click();
      const en = await confirmDialog(page, 'recall-confirm', { confirm: false, screenshotAs: 'confirm-recall-en' });
      expect(en).toContain('Recall of lot HV-B1-01');
    } catch (err) {
      await screenshot(page, 'pickers-trace-failure');
      throw err;
    } finally {
      await context.close();
    }
  }, 240_000);
});
