import { sql } from 'drizzle-orm';
import { inTransaction, queryRows, type Db } from '../db/client.js';
import { pii, sealJson } from './pii.js';

/**
 * One kind of personal data that older rows may still hold in clear: `run` seals at most `batch` such rows (each
 * update guarded by the same "still in clear" condition, so instances starting together do not seal a value twice)
 * and returns how many it found. Idempotent: rows already sealed are never found again.
 */
export type PlaintextSealer = { name: string; run: (db: Db, batch: number) => Promise<number> };

/** Seals every row in clear, batch by batch (one transaction each), at start-up; returns the count per sealer. */
export async function sealPlaintextAtRest(db: Db, sealers: PlaintextSealer[], batch = 500): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const s of sealers) {
    let total = 0;
    for (;;) {
      const n = await inTransaction(db, (tx) => s.run(tx, batch));
      total += n;
      if (n < batch) break;
    }
    out[s.name] = total;
  }
  return out;
}

/** Saved idempotent answers, outbox payloads and recorded customer messages written before they were encrypted. */
export const platformSealers: PlaintextSealer[] = [
  {
    name: 'idempotency_keys.response',
    run: async (db, batch) => {
      const rows = await queryRows<{ user_id: string; key: string; response: unknown }>(
        db,
        sql`select user_id, key, response from idempotency_keys where response is not null and (jsonb_typeof(response) <> 'object' or response->>'enc' is null) limit ${batch}`,
      );
      for (const r of rows)
        await db.execute(
          sql`update idempotency_keys set response = ${JSON.stringify(sealJson(r.response))}::jsonb where user_id = ${r.user_id} and key = ${r.key} and (jsonb_typeof(response) <> 'object' or response->>'enc' is null)`,
        );
      return rows.length;
    },
  },
  {
    name: 'outbox.payload',
    run: async (db, batch) => {
      const rows = await queryRows<{ id: string; payload: unknown }>(
        db,
        sql`select id, payload from outbox where jsonb_typeof(payload) <> 'object' or payload->>'enc' is null limit ${batch}`,
      );
      for (const r of rows)
        await db.execute(
          sql`update outbox set payload = ${JSON.stringify(sealJson(r.payload))}::jsonb where id = ${r.id} and (jsonb_typeof(payload) <> 'object' or payload->>'enc' is null)`,
        );
      return rows.length;
    },
  },
  {
    name: 'outbound_messages.recipient',
    run: async (db, batch) => {
      const rows = await queryRows<{ id: string; recipient: string; body: string }>(
        db,
        sql`select id, recipient, body from outbound_messages where recipient not like 'v1:%' limit ${batch}`,
      );
      for (const r of rows)
        await db.execute(
          sql`update outbound_messages set recipient = ${pii().encrypt(r.recipient)}, body = ${r.body.startsWith('v1:') ? r.body : pii().encrypt(r.body)} where id = ${r.id} and recipient not like 'v1:%'`,
        );
      return rows.length;
    },
  },
];
