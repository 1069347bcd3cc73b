import { SYSTEM_ACTOR, type Actor } from '../../platform/auth/actor.js';
import { inTransaction, type Db } from '../../platform/db/client.js';
import { createProduct } from '../catalog/catalog.service.js';
import { createLocation, createWarehouse, type LocationView, type WarehouseView } from './inventory.service.js';
import type { TempZone } from './inventory.tables.js';

/** Test fixtures only (imported by *.test.ts files). */
export const TEST_ACTOR: Actor = { ...SYSTEM_ACTOR, username: 'tester' };

let seq = 0;
function next(): number {
  seq += 1;
  return seq;
}

/** A produce product in kg with 箱 (10 kg), 斤 (0.5 kg) and g (0.001 kg). */
export async function makeProduct(
  db: Db,
  opts: { shelfLifeDays?: number | null; reorderPoint?: string; safetyStock?: string; category?: string; kind?: 'produce' | 'material' } = {},
): Promise<string> {
  const n = next();
  const p = await inTransaction(db, (tx) =>
    createProduct(tx, TEST_ACTOR, {
      code: `INV-T${process.pid}-${n}`,
      name: `测试产品${n}`,
      kind: opts.kind ?? 'produce',
      materialType: opts.kind === 'material' ? 'packaging' : null,
      category: opts.category ?? '蔬菜',
      baseUnit: 'kg',
      units: [
        { unit: 'kg', factorToBase: '1', sellable: true },
        { unit: '箱', factorToBase: '10', sellable: true },
        { unit: '斤', factorToBase: '0.5', sellable: true },
        { unit: 'g', factorToBase: '0.001', sellable: false },
      ],
      shelfLifeDays: opts.shelfLifeDays === undefined ? 30 : opts.shelfLifeDays,
      tempProfile: 'chilled',
      reorderPoint: opts.reorderPoint,
      safetyStock: opts.safetyStock,
    }),
  );
  return p.id;
}

export async function makeWarehouse(db: Db, zones: TempZone[] = ['chilled', 'ambient'], bins = 2): Promise<{ warehouse: WarehouseView; locations: LocationView[] }> {
  const n = next();
  return inTransaction(db, async (tx) => {
    const warehouse = await createWarehouse(tx, TEST_ACTOR, { code: `WH${process.pid}-${n}`, name: `测试仓${n}`, tempZones: zones });
    const locations: LocationView[] = [];
    for (let i = 0; i < bins; i++) locations.push(await createLocation(tx, TEST_ACTOR, { warehouseId: warehouse.id, code: `B-${i + 1}`, zone: zones[i % zones.length]! }));
    return { warehouse, locations };
  });
}
