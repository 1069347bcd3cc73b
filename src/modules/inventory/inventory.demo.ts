import { eq } from 'drizzle-orm';
import { SYSTEM_ACTOR } from '../../platform/auth/actor.js';
import type { Db } from '../../platform/db/client.js';
import { getProducts, listProductIds, type ProductInfo } from '../catalog/index.js';
import { addDays, changeLotStatus, createLocation, createLot, createWarehouse, receiveStock, today, type LocationView } from './inventory.service.js';
import { warehouses, type TempZone } from './inventory.tables.js';

const ACTOR = { ...SYSTEM_ACTOR, username: 'demo' };

function zoneFor(p: ProductInfo): TempZone {
  switch (p.tempProfile) {
    case 'frozen':
      return 'frozen';
    case 'chilled':
      return 'chilled';
    case 'cool':
    case 'chilling_sensitive':
      return 'cool';
    default:
      return 'ambient';
  }
}

/** Demo warehouses (cold store, ambient, frozen), bins and lots — some near expiry, one expired, one on hold, one quarantined. */
export async function seedInventoryDemo(db: Db): Promise<void> {
  const [exists] = await db.select({ id: warehouses.id }).from(warehouses).where(eq(warehouses.code, 'CS01'));
  if (exists) return;
  const cs = await createWarehouse(db, ACTOR, { code: 'CS01', name: '冷库一号(寿光)', tempZones: ['chilled', 'cool'], address: '山东省潍坊市寿光市农产品物流园 3 号库' });
  const am = await createWarehouse(db, ACTOR, { code: 'AM01', name: '常温库', tempZones: ['ambient'], address: '山东省潍坊市寿光市农产品物流园 5 号库' });
  const fz = await createWarehouse(db, ACTOR, { code: 'FZ01', name: '冷冻库', tempZones: ['frozen'], address: '山东省潍坊市寿光市农产品物流园 7 号库' });
  const bins: Record<TempZone, LocationView[]> = { chilled: [], cool: [], ambient: [], frozen: [] };
  for (const [wh, zone, codes] of [
    [cs, 'chilled', ['C-01-01', 'C-01-02', 'C-01-03', 'C-01-04']],
    [cs, 'cool', ['K-01-01', 'K-01-02']],
    [am, 'ambient', ['A-01-01', 'A-01-02', 'A-02-01', 'A-02-02']],
    [fz, 'frozen', ['F-01-01', 'F-01-02']],
  ] as const) {
    for (const code of codes) bins[zone].push(await createLocation(db, ACTOR, { warehouseId: wh.id, code, zone }));
  }
  const ids = await listProductIds(db, { active: true });
  const products = await getProducts(db, ids);
  const d = today();
  let n = 0;
  let produce = 0;
  for (const id of ids) {
    const p = products.get(id);
    if (!p) continue;
    const zone = zoneFor(p);
    const loc = bins[zone][n % bins[zone].length]!;
    const shelf = p.shelfLifeDays ?? 365;
    const base = p.kind === 'material' ? 200 : 300 + (n % 5) * 50;
    // A fresh released lot for every product.
    const fresh = await createLot(db, ACTOR, {
      productId: id,
      productionDate: addDays(d, -1),
      expiryDate: addDays(d, Math.max(shelf - 1, 1)),
      qualityStatus: 'released',
      sourceType: 'receipt',
      sourceRef: 'DEMO',
    });
    await receiveStock(db, ACTOR, { lotId: fresh.id, locationId: loc.id, quantity: String(base), unit: p.baseUnit, reason: '演示数据入库', refType: 'demo', refId: 'DEMO' });
    if (p.kind === 'produce') {
      const variant = produce % 5;
      produce += 1;
      if (variant === 0) {
        const near = await createLot(db, ACTOR, {
          productId: id,
          productionDate: addDays(d, -Math.max(shelf - 3, 1)),
          expiryDate: addDays(d, 2),
          qualityStatus: 'released',
          sourceType: 'receipt',
          sourceRef: 'DEMO',
        });
        await receiveStock(db, ACTOR, { lotId: near.id, locationId: loc.id, quantity: '40', unit: p.baseUnit, reason: '演示数据:临期批次', refType: 'demo', refId: 'DEMO' });
      } else if (variant === 1 && produce <= 5) {
        const old = await createLot(db, ACTOR, {
          productId: id,
          productionDate: addDays(d, -(shelf + 2)),
          expiryDate: addDays(d, -1),
          qualityStatus: 'released',
          sourceType: 'receipt',
          sourceRef: 'DEMO',
        });
        await receiveStock(db, ACTOR, { lotId: old.id, locationId: loc.id, quantity: '15', unit: p.baseUnit, reason: '演示数据:已过期批次', refType: 'demo', refId: 'DEMO' });
      } else if (variant === 2) {
        const held = await createLot(db, ACTOR, {
          productId: id,
          productionDate: addDays(d, -2),
          qualityStatus: 'released',
          sourceType: 'harvest',
          sourceRef: 'DEMO',
          expiryDate: addDays(d, Math.max(shelf - 2, 3)),
        });
        await receiveStock(db, ACTOR, { lotId: held.id, locationId: loc.id, quantity: '60', unit: p.baseUnit, reason: '演示数据入库', refType: 'demo', refId: 'DEMO' });
        await changeLotStatus(db, ACTOR, held.id, 'hold', { reason: '农残快检疑似超标,等待复检' });
      } else if (variant === 3) {
        const q = await createLot(db, ACTOR, {
          productId: id,
          productionDate: d,
          qualityStatus: 'quarantined',
          sourceType: 'harvest',
          sourceRef: 'DEMO',
          expiryDate: addDays(d, Math.max(shelf, 3)),
        });
        await receiveStock(db, ACTOR, { lotId: q.id, locationId: loc.id, quantity: '80', unit: p.baseUnit, reason: '演示数据:待检入库', refType: 'demo', refId: 'DEMO' });
      }
    }
    n += 1;
  }
}
