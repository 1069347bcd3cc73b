import { sql } from 'drizzle-orm';
import type { PlaintextSealer } from '../../platform/crypto/at-rest.js';
import { sealedName } from '../../platform/crypto/pii.js';
import { queryRows } from '../../platform/db/client.js';

/** Order snapshots of individuals' names and prospects' names in inquiries stored in clear before they were sealed. */
export const orderSealers: PlaintextSealer[] = [
  {
    name: 'orders.customer_name',
    run: async (db, batch) => {
      const rows = await queryRows<{ id: string; customer_name: string }>(
        db,
        sql`select o.id, o.customer_name from orders o join customers c on c.id = o.customer_id where c.kind = 'individual' and o.customer_name_enc is null limit ${batch}`,
      );
      for (const r of rows) {
        const s = sealedName(r.customer_name, true);
        await db.execute(sql`update orders set customer_name = ${s.name}, customer_name_enc = ${s.enc} where id = ${r.id} and customer_name_enc is null`);
      }
      return rows.length;
    },
  },
  {
    name: 'inquiries.prospect_name',
    run: async (db, batch) => {
      const rows = await queryRows<{ id: string; prospect_name: string }>(
        db,
        sql`select id, prospect_name from inquiries where prospect_name is not null and prospect_name_enc is null limit ${batch}`,
      );
      for (const r of rows) {
        const s = sealedName(r.prospect_name, true);
        await db.execute(
          sql`update inquiries set prospect_name = ${s.name}, prospect_name_enc = ${s.enc}, prospect_name_idx = ${s.idx} where id = ${r.id} and prospect_name_enc is null`,
        );
      }
      return rows.length;
    },
  },
];
