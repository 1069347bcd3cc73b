import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/** A module (here a future fulfilment file) that tries each way around the order core's doors (decision 0009). */
const bypass = `import { eq } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.js';
import { lockCustomerRow } from '../customers/index.js';
import { changeExposure, exposureDelta, type ExposureDelta } from '../orders/orders.exposure.js';
import { setStatus } from '../orders/orders.writer.js';
import { orders } from '../orders/orders.tables.js';
import { writeInOneStatement } from '../orders/orders.hotpath.js';
import { reservationCtesSql } from '../inventory/inventory.hotpath.js';

export async function bypass(db: Db, d: unknown): Promise<void> {
  await lockCustomerRow(db, 'x');
  await changeExposure(db, d as ExposureDelta);
  await changeExposure(db, exposureDelta('x', 1, 0, 'r'));
  await setStatus(db, 'x', 'approved', 'cancelled');
  await db.update(orders).set({ status: 'cancelled' }).where(eq(orders.id, 'x'));
  void writeInOneStatement;
  void reservationCtesSql;
}
`;

/** The order service (not the hot path) reaching for other modules' statement parts: customers' row version, catalog and stock reads. */
const serviceSql = `import { customerUnchangedSql, customerVersionSql } from '../customers/customers.hotpath.js';
import { productsForPricingSql } from '../catalog/catalog.hotpath.js';
import { availabilitySql } from '../inventory/inventory.hotpath.js';
import { readForOrder } from './orders.hotpath.js';
export const parts = [customerUnchangedSql, customerVersionSql, productsForPricingSql, availabilitySql, readForOrder];
`;

describe('the order core’s doors are enforced by eslint (npm run check fails CI)', () => {
  it('a module outside the order writer cannot take the credit lock, change exposure, make or cast an exposure delta, write an order status, or use the hot path or other modules’ statement parts', async () => {
    const [result] = await new ESLint().lintText(bypass, { filePath: 'src/modules/fulfilment/bypass.ts' });
    const found = result!.messages.map((m) => `${m.line}:${m.ruleId}`);
    expect(found).toEqual([
      '3:no-restricted-imports',
      '4:no-restricted-imports',
      '4:no-restricted-imports',
      '5:no-restricted-imports',
      '7:no-restricted-imports',
      '8:no-restricted-imports',
      '12:no-restricted-syntax',
      '15:no-restricted-syntax',
    ]);
  });

  it('the writer may change exposure, and the plan builders may make exposure deltas', async () => {
    const writer = `import { changeExposure, type ExposureDelta } from './orders.exposure.js';
export const w = (d: ExposureDelta) => changeExposure({} as never, d);
`;
    const plan = `import { exposureDelta } from './orders.exposure.js';
export const p = () => exposureDelta('c', 1, 1, 'approve');
`;
    const eslint = new ESLint();
    expect((await eslint.lintText(writer, { filePath: 'src/modules/orders/orders.writer.ts' }))[0]!.messages).toEqual([]);
    expect((await eslint.lintText(plan, { filePath: 'src/modules/orders/orders.plan.ts' }))[0]!.messages).toEqual([]);
    expect((await eslint.lintText(plan, { filePath: 'src/modules/orders/orders.service.ts' }))[0]!.messages.map((m) => m.ruleId)).toEqual(['no-restricted-imports']);
  });

  it('other modules’ statement parts (*.hotpath.ts) are imported only by the order hot path, and the hot path only by the writer', async () => {
    const eslint = new ESLint();
    const lint = async (file: string) => (await eslint.lintText(serviceSql, { filePath: file }))[0]!.messages.map((m) => `${m.line}:${m.ruleId}`);
    expect(await lint('src/modules/orders/orders.service.ts')).toEqual([
      '1:no-restricted-imports',
      '2:no-restricted-imports',
      '3:no-restricted-imports',
      '4:no-restricted-imports',
    ]);
    expect(await lint('src/modules/fulfilment/picking.service.ts')).toEqual([
      '1:no-restricted-imports',
      '2:no-restricted-imports',
      '3:no-restricted-imports',
      '4:no-restricted-imports',
    ]);
    // The hot path may combine the parts (not import itself: line 4 is its own file, left out here).
    const hot = serviceSql.replace("import { readForOrder } from './orders.hotpath.js';\n", '').replace(', readForOrder]', ']');
    expect((await eslint.lintText(hot, { filePath: 'src/modules/orders/orders.hotpath.ts' }))[0]!.messages).toEqual([]);
    expect((await eslint.lintText(`export { readForOrder } from './orders.hotpath.js';\n`, { filePath: 'src/modules/orders/orders.writer.ts' }))[0]!.messages).toEqual([]);
  });
});
