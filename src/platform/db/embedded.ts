import { PGlite, protocol, types, type Transaction } from '@electric-sql/pglite';
import { DrizzleQueryError } from 'drizzle-orm';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';

/**
 * Named prepared statements on embedded PGlite.
 *
 * PGlite's query() parses, describes and plans every statement anew, in six calls into the WASM backend. A statement()
 * run through here is parsed and described once per database under its name; later runs send Bind, Execute and Sync as one
 * message, so PostgreSQL skips parsing and, after its usual five custom plans, planning. Results are parsed as drizzle's
 * PGlite driver parses them (dates and timestamps stay text), and errors are wrapped the same way, so callers cannot tell
 * the paths apart except by speed.
 */

type Owner = { client: PGlite; inTransaction: boolean; tx?: Transaction };

/** The PGlite behind each client or transaction object handed to drizzle (a PGlite transaction has no link to its database). */
const owners = new WeakMap<object, Owner>();
/**
 * Per database: statement name → the parameter types and the row description its Describe reported. The rows of every
 * execution have that description (results are text), so executions skip the Describe and parse with the kept one.
 */
type Column = { name: string; type: number; parse: ((v: string, type: number) => unknown) | null };
type Prepared = { paramTypes: number[]; columns: Column[] };
const prepared = new WeakMap<PGlite, Map<string, Prepared>>();

/** The parsers drizzle's PGlite session passes with every query: date and time types (and their arrays) stay text. */
const keepText = (v: string) => v;
const driverParsers: Record<number, (v: string) => unknown> = {
  [types.TIMESTAMP]: keepText,
  [types.TIMESTAMPTZ]: keepText,
  [types.INTERVAL]: keepText,
  [types.DATE]: keepText,
  1231: keepText, // numeric[]
  1115: keepText, // timestamp[]
  1185: keepText, // timestamptz[]
  1187: keepText, // interval[]
  1182: keepText, // date[]
};

/** drizzle over a PGlite whose transactions statement() can recognise; use it for every drizzle handle on PGlite. */
export function drizzleEmbedded(client: PGlite) {
  owners.set(client, { client, inTransaction: false });
  client.query = withDriverParsers(client, client.query.bind(client));
  const transaction = client.transaction.bind(client);
  client.transaction = <T>(callback: (tx: Transaction) => Promise<T>) =>
    transaction((tx) => {
      owners.set(tx, { client, inTransaction: true, tx });
      tx.query = withDriverParsers(client, tx.query.bind(tx));
      return callback(tx);
    });
  return drizzlePglite({ client });
}

/**
 * query() as drizzle calls it, with drizzle's parsers (driverParsers, the same table) kept in the client's own parser
 * table instead of passed with each query: PGlite merged the option into its table of some 320 parsers for every
 * result, 56 µs a query. Queries that pass other parsers keep them.
 */
function withDriverParsers<Q extends PGlite['query']>(client: PGlite, query: Q): Q {
  const own = client.parsers as Record<number, unknown>;
  const keys = Object.keys(driverParsers).map(Number);
  // drizzle's table: the same types, each kept as text.
  const keepsText = (parse: unknown) => {
    try {
      return typeof parse === 'function' && (parse as (v: string) => unknown)('2026-01-01') === '2026-01-01';
    } catch {
      return false;
    }
  };
  const sameAsDriver = (parsers: Record<number, unknown>) => Object.keys(parsers).length === keys.length && keys.every((k) => keepsText(parsers[k]));
  return (async (text: string, params?: unknown[], options?: Parameters<Q>[2]) => {
    if (!options?.parsers || !sameAsDriver(options.parsers as Record<number, unknown>)) return query(text, params, options);
    // The client's table may have been refreshed (array types) since: keep drizzle's entries in it.
    for (const k of keys) if (own[k] !== driverParsers[k]) own[k] = driverParsers[k];
    const { parsers: _drizzles, ...rest } = options;
    return query(text, params, rest);
  }) as Q;
}

/** The PGlite behind a drizzle session's client, when drizzleEmbedded() made it. */
export function embeddedOwner(sessionClient: unknown): Owner | undefined {
  return typeof sessionClient === 'object' && sessionClient !== null ? owners.get(sessionClient) : undefined;
}

/** A result column and how its text is parsed: as drizzle's PGlite driver has PGlite parse it (driverParsers first). */
function columnOf(client: PGlite, name: string, type: number): Column {
  const parse = driverParsers[type] ?? client.parsers[type] ?? (types.parsers as Record<number, Column['parse']>)[type] ?? null;
  return { name, type, parse };
}

/**
 * The rows of an execution's DataRow messages as objects, with the columns of the statement's kept description: what
 * parse.parseResults() gives, without merging the parser tables and looking each column's parser up on every call.
 */
function rowsOf<T>(columns: Column[], messages: { name: string }[]): T[] {
  const rows: T[] = [];
  for (const m of messages) {
    if (m.name !== 'dataRow') continue;
    const values = (m as unknown as { fields: (string | null)[] }).fields;
    const row: Record<string, unknown> = {};
    for (let i = 0; i < columns.length; i++) {
      const c = columns[i]!;
      const v = values[i];
      row[c.name] = v === null || v === undefined ? null : c.parse ? c.parse(v, c.type) : v;
    }
    rows.push(row as T);
  }
  return rows;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Runs text as the named prepared statement `name` on PGlite; rows as objects, like drizzle's raw queries. */
export async function runEmbedded<T>(owner: Owner, name: string, text: string, params: unknown[]): Promise<T[]> {
  const { client } = owner;
  const { serialize } = protocol;
  const run = async (): Promise<T[]> => {
    try {
      let byName = prepared.get(client);
      if (!byName) prepared.set(client, (byName = new Map()));
      let known = byName.get(name);
      if (!known) {
        const described = await client.execProtocolStream(concat([serialize.parse({ name, text }), serialize.describe({ type: 'S', name }), serialize.sync()]), {
          syncToFs: false,
        });
        const description = described.find((m) => m.name === 'parameterDescription') as { dataTypeIDs: number[] } | undefined;
        const rowDescription = described.find((m) => m.name === 'rowDescription') as { fields: { name: string; dataTypeID: number }[] } | undefined;
        known = { paramTypes: description?.dataTypeIDs ?? [], columns: (rowDescription?.fields ?? []).map((f) => columnOf(client, f.name, f.dataTypeID)) };
        byName.set(name, known);
      }
      const types = known.paramTypes;
      const values = params.map((v, i) => {
        if (v === null || v === undefined) return null;
        const s = client.serializers[types[i]!];
        return s ? s(v) : String(v);
      });
      const messages = await client.execProtocolStream(concat([serialize.bind({ statement: name, values }), serialize.execute({}), serialize.sync()]), {
        syncToFs: false,
      });
      return rowsOf<T>(known.columns, messages);
    } catch (err) {
      throw new DrizzleQueryError(text, params, err as Error);
    }
  };
  if (owner.tx) {
    // As PGlite's own tx.query(): a transaction handle used after its transaction ended must not run in another one.
    if (owner.tx.closed) throw new DrizzleQueryError(text, params, new Error('Transaction is closed'));
    return client.runExclusive(run);
  }
  // Outside a transaction, as PGlite's query() does: wait for any transaction, then persist what the statement wrote.
  // First the event loop has its turn: statements queued for the one session are handed on by promise callbacks, which
  // run before any I/O, so while requests kept it busy no new request was read and requests were served in bursts
  // (decision 0008).
  await new Promise<void>((resolve) => setImmediate(resolve));
  return client._runExclusiveTransaction(() =>
    client.runExclusive(async () => {
      const rows = await run();
      await client.syncToFs();
      return rows;
    }),
  );
}
