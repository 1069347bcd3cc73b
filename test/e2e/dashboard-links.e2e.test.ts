import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, hasBrowser, launchBrowser, signIn, startServer, type Server } from './harness.js';

let server: Server;
let browser: Browser;

describe.skipIf(!hasBrowser)('工作台 queue links (browser)', () => {
  beforeAll(async () => {
    server = await startServer({ demo: true });
    browser = await launchBrowser();
  }, 600_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('a queue opens its list filtered as the queue counts: the orders to confirm open the order list filtered by that status', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1366, height: 860 } });
    const page = await ctx.newPage();
    await signIn(page, server.url, 'sales', DEMO_PASSWORD);
    const listed = page.waitForRequest((r) => new URL(r.url()).pathname === '/api/orders' && new URL(r.url()).searchParams.get('page') !== null, { timeout: 60_000 });
    await page.getByTestId('queue-confirm').click();
    const request = new URL((await listed).url());
    expect(new URL(page.url()).searchParams.get('status')).toBe('needs_confirmation');
    expect(request.searchParams.get('status')).toBe('needs_confirmation');
    await ctx.close();
  });
});
