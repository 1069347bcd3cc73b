import { sql } from 'drizzle-orm';
import type { PlaintextSealer } from '../../platform/crypto/at-rest.js';
import { sealedName } from '../../platform/crypto/pii.js';
import { queryRows } from '../../platform/db/client.js';

/** Individuals' names stored in clear before names were sealed (name_enc, masked name, blind index). */
export const customerSealers: PlaintextSealer[] = [
  {
    name: 'customers.name',
    run: async (db, batch) => {
      const rows = await queryRows<{ id: string; name: string }>(db, sql`select id, name from customers where kind = 'individual' and name_enc is null limit ${batch}`);
      for (const r of rows) {
        const s = sealedName(r.name, true);
        await db.execute(sql`update customers set name = ${s.name}, name_enc = ${s.enc}, name_idx = ${s.idx} where id = ${r.id} and name_enc is null`);
      }
      return rows.length;
    },
  },
];
