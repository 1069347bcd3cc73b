import { sql, type SQL } from 'drizzle-orm';
import { businessDate } from './clock.js';
import { queryRows, type Db } from './db/client.js';

/**
 * The statement that takes the next human document number, unique per prefix and business day (SO20261127-0001),
 * returning it as `number`; usable as a data-modifying CTE so the number is taken by the statement that writes the
 * document, holding the day's counter row for as short a time as possible.
 */
export function docNumberSql(prefix: string, at: Date): SQL {
  const day = businessDate(at).replace(/-/g, '');
  return sql`insert into doc_sequences (prefix, day, last) values (${prefix}, ${day}, 1)
        on conflict (prefix, day) do update set last = doc_sequences.last + 1
        returning prefix || day || '-' || lpad(last::text, greatest(4, length(last::text)), '0') as number`;
}

/** Next human document number, unique per prefix and business day: SO20261127-0001. */
export async function nextDocNumber(db: Db, prefix: string, at: Date): Promise<string> {
  const rows = await queryRows<{ number: string }>(db, docNumberSql(prefix, at));
  return rows[0]!.number;
}
