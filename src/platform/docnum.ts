import { sql, type SQL } from 'drizzle-orm';
import { businessDate } from './clock.js';
import { statement, type Db } from './db/client.js';

/**
 * The statement that takes the next human document number, unique per prefix and business day (SO20261127-0001),
 * returning it as `number`, for a statement() template (placeholders docPrefix and docDay, from docNumberValues()).
 * As a data-modifying CTE, the number is taken by the statement that writes the document, holding the day's counter
 * row for as short a time as possible.
 */
export function docNumberTemplate(): SQL {
  return sql`insert into doc_sequences (prefix, day, last) values (${sql.placeholder('docPrefix')}::text, ${sql.placeholder('docDay')}::text, 1)
        on conflict (prefix, day) do update set last = doc_sequences.last + 1
        returning prefix || day || '-' || lpad(last::text, greatest(4, length(last::text)), '0') as number`;
}

export function docNumberValues(prefix: string, at: Date): { docPrefix: string; docDay: string } {
  return { docPrefix: prefix, docDay: businessDate(at).replace(/-/g, '') };
}

const takeNumber = statement<{ number: string }>('doc_number', docNumberTemplate);

/** Next human document number, unique per prefix and business day: SO20261127-0001. */
export async function nextDocNumber(db: Db, prefix: string, at: Date): Promise<string> {
  return (await takeNumber(db, docNumberValues(prefix, at)))[0]!.number;
}
