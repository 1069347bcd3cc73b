import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, hasBrowser, launchBrowser, screenshot, signIn, startServer, type Server } from './harness.js';

let server: Server;
let browser: Browser;

// Every staff role of the demo company except admin (who may do everything).
const ROLES = ['manager', 'sales', 'reviewer', 'planner', 'production', 'qc', 'warehouse', 'logistics', 'aftersales', 'trainer'];

describe.skipIf(!hasBrowser)('screens match permissions (browser)', () => {
  beforeAll(async () => {
    server = await startServer({ demo: true });
    browser = await launchBrowser();
  }, 600_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('no role meets a 403 while visiting every page of its menu', async () => {
    const denied: string[] = [];
    const visited: string[] = [];
    for (const role of ROLES) {
      const ctx = await browser.newContext({ viewport: { width: 1366, height: 860 } });
      const page = await ctx.newPage();
      let where = '';
      // API requests under way: a page has settled when none is left (a waitForLoadState would not wait after in-app navigation).
      let inflight = 0;
      page.on('request', (r) => void (r.url().includes('/api/') && (inflight += 1)));
      const done = (r: { url: () => string }) => void (r.url().includes('/api/') && (inflight -= 1));
      page.on('requestfinished', done);
      page.on('requestfailed', done);
      const settled = async () => {
        for (let quiet = 0; quiet < 2;) {
          await page.waitForTimeout(150);
          quiet = inflight === 0 ? quiet + 1 : 0;
        }
      };
      page.on('response', (res) => {
        if (res.status() === 403 && res.url().includes('/api/')) denied.push(`${role} on ${where}: ${res.request().method()} ${new URL(res.url()).pathname}`);
      });
      await signIn(page, server.url, role, DEMO_PASSWORD);
      if (role === 'manager' || role === 'qc' || role === 'sales') {
        // 工作台: the role's queues with counts, each a link to its list
        const queues = page.locator('[data-testid^="queue-"]');
        await expect.poll(() => queues.count(), { timeout: 30_000 }).toBeGreaterThan(0);
        await expect.poll(() => page.locator('.ant-statistic-skeleton, .ant-skeleton').count(), { timeout: 30_000 }).toBe(0);
        await screenshot(page, `dashboard-${role}`);
        if (role === 'manager') expect(await page.getByTestId('queue-review').count()).toBe(1);
        if (role === 'qc') expect(await page.getByTestId('queue-inspect').count()).toBe(1);
      }
      const paths = await page
        .getByTestId('main-menu')
        .locator('a[href]')
        .evaluateAll((as) => as.map((a) => a.getAttribute('href')!));
      expect(paths.length).toBeGreaterThan(0);
      for (const path of paths) {
        where = path;
        // In-app navigation (the router follows history), as a menu click does: the app is not loaded again for each page.
        await page.evaluate((p) => {
          window.history.pushState({}, '', p);
          window.dispatchEvent(new PopStateEvent('popstate'));
        }, path);
        // the page's code has loaded and its first requests have been answered
        await page.getByTestId('main-menu').waitFor();
        await expect.poll(() => page.getByTestId('page-loading').count(), { timeout: 60_000 }).toBe(0);
        await settled();
        expect(await page.getByTestId('page-403').count(), `${role} ${path}`).toBe(0);
      }
      visited.push(...paths.map((p) => `${role} ${p}`));
      if (role === 'warehouse' || role === 'trainer') await screenshot(page, `permissions-${role}`);
      await ctx.close();
    }
    console.log(`visited ${visited.length} pages: ${visited.join(', ')}`);
    expect(visited.length).toBeGreaterThan(40);
    expect(denied).toEqual([]);
  }, 900_000);

  it('an inquiry from a prospect becomes a customer and a draft order in one step', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1366, height: 860 } });
    const page = await ctx.newPage();
    await signIn(page, server.url, 'sales', DEMO_PASSWORD);
    const number = await page.evaluate(async () => {
      const res = await fetch('/api/inquiries', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ channel: 'phone', prospectName: '王小明', prospectPhone: '13800001111', needs: [{ description: '红富士苹果 一级', quantity: '5', unit: 'kg' }] }),
      });
      return ((await res.json()) as { number: string }).number;
    });
    await page.goto(`${server.url}/inquiries`);
    await page.getByTestId(`inquiry-convert-${number}`).click();
    const name = page.getByTestId('inquiry-new-customer-name');
    await name.waitFor();
    expect(await name.inputValue()).toBe('王小明');
    await page.waitForTimeout(400);
    await screenshot(page, 'inquiry-new-customer');
    await page.getByTestId('inquiry-convert-ok').click();
    await page.getByTestId('order-detail').waitFor({ timeout: 30_000 });
    await expect.poll(() => page.locator('.ant-message').innerText(), { timeout: 10_000 }).toContain(`询价 ${number} 已转为订单`);
    expect(await page.getByTestId('order-detail').innerText()).toContain('王小明');
    await screenshot(page, 'inquiry-converted-order');
    await ctx.close();
  }, 300_000);
});
