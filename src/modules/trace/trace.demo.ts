import { SYSTEM_ACTOR, type Actor } from '../../platform/auth/actor.js';
import { businessDate, clock } from '../../platform/clock.js';
import type { Db } from '../../platform/db/client.js';
import { productIdByCode } from '../catalog/index.js';
import { getLots, reserve } from '../inventory/index.js';
import { listOrders } from '../orders/index.js';
import { createInspection, harvestsBetween, standardIdByCode } from '../quality/index.js';
import { createProcessingRun } from './genealogy.service.js';
import { issueCertificate } from './labels.service.js';
import { createRecall } from './recall.service.js';

const ACTOR: Actor = { ...SYSTEM_ACTOR, username: 'demo', displayName: '演示数据' };

/** Demo processing run (grade + pack the released harvest lots), a certificate and one recall drill (after quality). */
export async function seedTraceDemo(db: Db): Promise<void> {
  const hv = await harvestsBetween(db, '2000-01-01', '2100-12-31');
  const lots = await getLots(
    db,
    hv.map((h) => h.lotId),
  );
  const released = hv.filter((h) => lots.get(h.lotId)?.qualityStatus === 'released').slice(0, 2);
  const cukeId = await productIdByCode(db, 'P-CUKE-SG');
  if (released.length < 2 || !cukeId) return;
  const today = businessDate(clock.now());
  const run = await createProcessingRun(db, ACTOR, {
    kind: 'grade',
    runOn: today,
    inputs: released.map((h) => ({ lotId: h.lotId, locationId: h.locationId, quantity: '200', unit: 'kg' })),
    outputs: [
      { productId: cukeId, lotCode: 'PK-CUKE-01', quantity: '24', unit: '箱', locationId: released[0]!.locationId },
      { productId: cukeId, lotCode: 'PK-CUKE-02', quantity: '180', unit: 'kg', locationId: released[0]!.locationId },
    ],
    note: '分级包装(演示)',
  });
  // release the packed lots and reserve one for a demo order, so a recall reaches a customer
  const stdId = await standardIdByCode(db, 'QS-CUKE');
  const outs = run.lines.filter((l) => l.direction === 'out');
  if (stdId)
    for (const o of outs)
      await createInspection(db, ACTOR, {
        stage: 'finished',
        standardId: stdId,
        lotId: o.lotId,
        inspectedOn: today,
        values: [
          { code: 'imidacloprid', value: 0.04 },
          { code: 'appearance', value: '特级' },
          { code: 'core_temp', value: 10 },
        ],
        sign: true,
      });
  const order = (await listOrders(db, SYSTEM_ACTOR, { page: 1, pageSize: 1 })).items[0];
  if (order && outs[0]) await reserve(db, ACTOR, { refType: 'order', refId: order.id, productId: cukeId, quantity: '40', lotId: outs[0].lotId });
  await issueCertificate(db, ACTOR, {
    lotId: released[0]!.lotId,
    quantity: '400',
    unit: 'kg',
    issuerName: '寿光蔬菜基地',
    contactPhone: '0536-5550001',
    basis: 'own_test',
    origin: '山东省寿光市',
  });
  await createRecall(db, ACTOR, { scope: { kind: 'field', fieldId: released[0]!.fieldId }, reason: '召回演练:地块 A1 农残复检', drill: true, execute: true });
}
