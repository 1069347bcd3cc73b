import { sql } from 'drizzle-orm';
import { businessDate } from './clock.js';
import { queryRows, type Db } from './db/client.js';

/** Next human document number, unique per prefix and business day: SO20261127-0001. */
export async function nextDocNumber(db: Db, prefix: string, at: Date): Promise<string> {
  const day = businessDate(at).replace(/-/g, '');
  const rows = await queryRows<{ last: number }>(
    db,
    sql`insert into doc_sequences (prefix, day, last) values (${prefix}, ${day}, 1)
        on conflict (prefix, day) do update set last = doc_sequences.last + 1 returning last`,
  );
  return `${prefix}${day}-${String(rows[0]!.last).padStart(4, '0')}`;
}
