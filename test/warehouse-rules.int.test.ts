import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../src/platform/auth/actor.js';
import { inTransaction } from '../src/platform/db/client.js';
import { auditLog } from '../src/platform/platform.tables.js';
import { makeProduct as makeStockProduct, makeWarehouse } from '../src/modules/inventory/inventory.test-support.js';
import { createStandard } from '../src/modules/quality/index.js';
import { json, testApp, type TestApp } from './helpers/app.js';

type Problem = { code: string; detail: string; errors: { field: string; label: string; code: string; message: string }[] };

let t: TestApp;
let keeper: string;
beforeAll(async () => {
  t = await testApp();
  keeper = (await t.loginAs(['warehouse'])).cookie;
});
afterAll(async () => t?.close());

const post = (url: string, payload: object, cookie = keeper) => t.app.inject({ method: 'POST', url, headers: { cookie }, payload });

describe('receipt defaults and cold-chain moves', () => {
  it('a receipt defaults to released when the product allows it and to quarantined (with why) when it must be inspected first', async () => {
    const free = await makeStockProduct(t.database.db);
    const gated = await makeStockProduct(t.database.db);
    await inTransaction(t.database.db, (tx) =>
      createStandard(tx, SYSTEM_ACTOR, {
        code: `STD-${gated.slice(-6)}`,
        name: '农残',
        productId: gated,
        stages: ['finished'],
        parameters: [{ code: 'res', name: '农残', unit: 'mg/kg', type: 'number', min: null, max: '0.5', allowed: [] }],
        samplingPlan: { mode: 'every_lot', sampleSize: 1, periodDays: null },
      }),
    );
    const d1 = json<{ qualityStatus: string; reason: string | null }>(
      await t.app.inject({ url: `/api/inventory/receipt-defaults?productId=${free}`, headers: { cookie: keeper } }),
    );
    expect(d1).toEqual({ qualityStatus: 'released', reason: null });
    const d2 = json<{ qualityStatus: string; reason: string | null }>(
      await t.app.inject({ url: `/api/inventory/receipt-defaults?productId=${gated}`, headers: { cookie: keeper } }),
    );
    expect(d2.qualityStatus).toBe('quarantined');
    expect(d2.reason).toBeTruthy();
  });

  it('moving chilled stock into a bin of another temperature zone needs a reason (422 on the field reason), and the move is audited with the zones and the reason', async () => {
    const productId = await makeStockProduct(t.database.db); // chilled
    const { locations } = await makeWarehouse(t.database.db, ['chilled', 'ambient', 'chilled'], 3);
    const [chilledA, ambient, chilledB] = [locations[0]!, locations[1]!, locations[2]!];
    const r = await post('/api/inventory/receipts', { productId, locationId: chilledA.id, quantity: '10', unit: 'kg', lot: { productionDate: '2026-01-05' } });
    expect(r.statusCode).toBe(201);
    const lotId = json<{ lot: { id: string } }>(r).lot.id;

    const refused = await post('/api/inventory/transfers', { lotId, fromLocationId: chilledA.id, toLocationId: ambient.id, quantity: '2', unit: 'kg' });
    expect(refused.statusCode).toBe(422);
    const p = json<Problem>(refused);
    expect(p.code).toBe('TRANSFER_ZONE_REASON_REQUIRED');
    expect(p.errors[0]).toMatchObject({ field: 'reason', label: '原因' });
    expect(p.detail).toContain('冷藏');
    expect(p.detail).toContain('常温');

    // the same zone needs none
    expect((await post('/api/inventory/transfers', { lotId, fromLocationId: chilledA.id, toLocationId: chilledB.id, quantity: '1', unit: 'kg' })).statusCode).toBe(201);

    const ok = await post('/api/inventory/transfers', {
      lotId,
      fromLocationId: chilledA.id,
      toLocationId: ambient.id,
      quantity: '2',
      unit: 'kg',
      reason: '冷库检修,临时存放 2 小时',
    });
    expect(ok.statusCode).toBe(201);
    const rows = await t.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'stock.transfer'), eq(auditLog.entityId, lotId)));
    const crossing = rows.map((row) => row.after as { zoneChange?: { from: string; to: string }; reason?: string }).filter((a) => a.zoneChange);
    expect(crossing).toEqual([expect.objectContaining({ zoneChange: { from: 'chilled', to: 'ambient' }, reason: '冷库检修,临时存放 2 小时' })]);
  });
});
