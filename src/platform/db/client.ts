import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { DrizzleQueryError, Param, Placeholder, SQL, getTableColumns, is, sql, type InferSelectModel } from 'drizzle-orm';
import { PgDialect, type PgTable } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import pg from 'pg';
import { acquireDirLock, type DirLock } from './dir-lock.js';
import { drizzleEmbedded, embeddedOwner, runEmbedded } from './embedded.js';
import { openPresence } from './presence.js';

/** A database handle or a transaction: every service function takes one of these. */
export type Db = PgDatabase<PgQueryResultHKT, Record<string, never>>;

export type DbKind = 'pglite' | 'postgres';

export type Database = {
  db: Db;
  kind: DbKind;
  /** Closes connections and releases the data-directory lock. */
  close: () => Promise<void>;
};

const MIGRATIONS_LOCK_KEY = 727_001;

export const migrationsFolder = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../migrations');

// pg returns bigint (int8) as string by default; our int8 columns hold values < 2^53 (fen, sequence numbers).
pg.types.setTypeParser(20, (v) => Number(v));
// numeric stays a string so quantities keep their exact decimal text.

export type OpenOptions = { databaseUrl?: string; dataDir?: string; poolSize?: number; memory?: boolean };

/** The PostgreSQL extensions the migrations create, as PGlite bundles (every PGlite opened on our data must load them). */
export const pgliteExtensions = { pg_trgm };

/** Opens PostgreSQL when a URL is given, otherwise the embedded PGlite database in dataDir. */
export async function openDatabase(opts: OpenOptions): Promise<Database> {
  if (opts.databaseUrl) {
    const pool = new pg.Pool({ connectionString: opts.databaseUrl, max: opts.poolSize ?? 20 });
    pool.on('error', () => undefined);
    const db = drizzlePg({ client: pool }) as unknown as Db;
    // Two connections of their own for short statements that must commit apart from the caller's transaction (order
    // numbers). Asynchronous commit: a document that uses such a number commits synchronously later, and its WAL flush
    // covers the earlier record; a number whose document never commits may be lost in a crash, which is harmless.
    const outsidePool = new pg.Pool({ connectionString: opts.databaseUrl, max: 2, options: '-c synchronous_commit=off' });
    outsidePool.on('error', () => undefined);
    outside.set(db, drizzlePg({ client: outsidePool }) as unknown as Db);
    const presence = openPresence(opts.databaseUrl);
    return {
      db,
      kind: 'postgres',
      close: async () => {
        await Promise.all([pool.end(), outsidePool.end(), presence.close()]);
      },
    };
  }
  let lock: DirLock | undefined;
  let client: PGlite;
  if (opts.memory) {
    client = new PGlite({ extensions: pgliteExtensions });
  } else {
    const dir = opts.dataDir ?? path.resolve('data');
    fs.mkdirSync(dir, { recursive: true });
    lock = acquireDirLock(dir);
    try {
      client = new PGlite(path.join(dir, 'pgdata'), { extensions: pgliteExtensions });
      await client.waitReady;
      // PGlite's backend creates each new 16 MB WAL segment itself (there is no background process), through the file
      // layer of its WebAssembly runtime, while a request waits. It runs with fsync off, so zero-filling the segment
      // first (wal_init_zero) bought nothing.
      await client.exec('set wal_init_zero = off');
    } catch (err) {
      lock.release();
      throw err;
    }
  }
  const db = drizzleEmbedded(client) as unknown as Db;
  return {
    db,
    kind: 'pglite',
    close: async () => {
      await client.close();
      lock?.release();
    },
  };
}

const outside = new WeakMap<Db, Db>();

/**
 * A handle for short autocommit statements outside any transaction of db (a database handle from openDatabase(), or a
 * transaction of inTransaction() on one): on PostgreSQL a small pool of its own, so a transaction can take an order number without holding the
 * number's row until it commits and without waiting for a connection of its own pool. Undefined on PGlite (one session).
 */
export function outsideTransaction(db: Db): Db | undefined {
  return outside.get(db) ?? outside.get(roots.get(db) as Db);
}

/** The database handle a transaction of inTransaction() (or a savepoint in one) was opened on. */
const roots = new WeakMap<Db, Db>();

/** Applies the committed migrations; on PostgreSQL under an advisory lock so instances can start together. */
export async function runMigrations(database: Database, databaseUrl?: string): Promise<void> {
  if (database.kind === 'pglite') {
    await migratePglite(database.db as unknown as Parameters<typeof migratePglite>[0], { migrationsFolder });
    return;
  }
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('select pg_advisory_lock($1)', [MIGRATIONS_LOCK_KEY]);
    try {
      await migratePg(drizzlePg({ client }), { migrationsFolder });
    } finally {
      await client.query('select pg_advisory_unlock($1)', [MIGRATIONS_LOCK_KEY]);
    }
  } finally {
    await client.end();
  }
}

/** Runs raw SQL and returns its rows, the same way on both engines. */
export async function queryRows<T>(db: Db, query: SQL): Promise<T[]> {
  const res = (await db.execute(query)) as unknown as { rows: T[] };
  return res.rows;
}

const dialect = new PgDialect();

/**
 * A hot-path statement written once with named placeholders (`sql.placeholder('id')`) and compiled to SQL text on
 * first use; each run only fills in the values and executes it as a named prepared statement (PostgreSQL parses it
 * once per connection, PGlite once per database through runEmbedded(), and both stop planning it once a generic plan
 * is as good). It skips building the query per call, which on the order
 * path cost more CPU than the database did. Lists are passed as arrays (`= any(${sql.placeholder('ids')}::uuid[])`)
 * so the text never changes.
 */
export function statement<T>(name: string, build: () => SQL): (db: Db, values: Record<string, unknown>) => Promise<T[]> {
  let compiled: { text: string; slots: Slot[]; pgQuery: { name: string; text: string; types: typeof driverTypes } } | null = null;
  return async (db, values) => {
    if (!compiled) {
      const q = dialect.sqlToQuery(build());
      compiled = { text: q.sql, slots: q.params.map(slotOf), pgQuery: { name, text: q.sql, types: driverTypes } };
    }
    const { slots } = compiled;
    const params = new Array<unknown>(slots.length);
    for (let i = 0; i < slots.length; i++) {
      const slot = slots[i]!;
      if (slot.key === null) {
        params[i] = slot.value;
        continue;
      }
      if (!(slot.key in values)) throw new Error(`statement ${name}: no value for ${slot.key}`);
      params[i] = slot.encode ? slot.encode(values[slot.key]) : values[slot.key];
    }
    const client = (db as unknown as { session: { client: unknown } }).session.client;
    const embedded = embeddedOwner(client);
    if (embedded) return runEmbedded<T>(embedded, name, compiled.text, params);
    try {
      return (await (client as pg.Pool | pg.PoolClient).query(compiled.pgQuery, params)).rows as T[];
    } catch (err) {
      throw new DrizzleQueryError(compiled.text, params, err as Error);
    }
  };
}

/** A parameter of a compiled statement(): a fixed value, or the placeholder `key` (encoded as its column encodes it). */
type Slot = { key: null; value: unknown } | { key: string; encode: ((v: unknown) => unknown) | null };

function slotOf(p: unknown): Slot {
  // A placeholder compared with a column arrives wrapped in a Param (drizzle's eq(col, sql.placeholder(…))).
  if (is(p, Placeholder)) return { key: p.name as string, encode: null };
  if (is(p, Param) && is(p.value, Placeholder)) {
    const encoder = p.encoder;
    return { key: (p.value as Placeholder).name as string, encode: (v) => encoder.mapToDriverValue(v) };
  }
  return { key: null, value: p };
}

/** The type parsers drizzle's node-postgres driver uses: date and time types (and their arrays) stay text. */
const keepText = (v: string) => v;
const textTypes = new Set<number>([pg.types.builtins.TIMESTAMPTZ, pg.types.builtins.TIMESTAMP, pg.types.builtins.DATE, pg.types.builtins.INTERVAL, 1231, 1115, 1185, 1187, 1182]);
const driverTypes = {
  getTypeParser: (typeId: number, format?: 'text' | 'binary') => (textTypes.has(typeId) ? keepText : pg.types.getTypeParser(typeId, format)),
};

/**
 * The columns of a table as `alias.column as "prefix" || key` for a statement(): selectedRow() turns such a row back into
 * the table's row type, as drizzle's select would.
 */
export function columnsOf(table: PgTable, alias: string, prefix = ''): SQL {
  return sql.join(
    Object.entries(getTableColumns(table)).map(([key, col]) => sql.raw(`"${alias}"."${col.name}" as "${prefix}${key}"`)),
    sql`, `,
  );
}

/**
 * `array[<name>0, …, <name>(n-1)]::<type>[]` for a statement() compiled once per list length n. PostgreSQL estimates a
 * generic plan for `= any(…)` of it as well as a custom one and keeps it after five runs; with the whole list as one
 * array parameter it cannot tell the list's length and plans every run anew. listValues() fills it.
 */
export function listSql(name: string, n: number, type: string): SQL {
  return sql`array[${sql.join(
    Array.from({ length: n }, (_, i) => sql`${sql.placeholder(`${name}${i}`)}::${sql.raw(type)}`),
    sql`, `,
  )}]::${sql.raw(type)}[]`;
}

export function listValues(name: string, values: unknown[]): Record<string, unknown> {
  return Object.fromEntries(values.map((v, i) => [`${name}${i}`, v]));
}

/** The columns of columnsOf(table, …, prefix) as typed NULLs: the other branches of a UNION ALL that reads several tables' rows at once. */
export function nullColumnsOf(table: PgTable, prefix = ''): SQL {
  return sql.join(
    Object.entries(getTableColumns(table)).map(([key, col]) => sql.raw(`null::${col.getSQLType()} as "${prefix}${key}"`)),
    sql`, `,
  );
}

/** A row selected with columnsOf() as the table's row type (null when its first column, the key, is null: an outer join's miss). */
export function selectedRow<T extends PgTable>(table: T, raw: Record<string, unknown>, prefix = ''): InferSelectModel<T> | null {
  const out: Record<string, unknown> = {};
  let first = true;
  for (const [key, col] of Object.entries(getTableColumns(table))) {
    const v = raw[prefix + key];
    if (first && (v === null || v === undefined)) return null;
    first = false;
    out[key] = v === null || v === undefined ? null : col.mapFromDriverValue(v);
  }
  return out as InferSelectModel<T>;
}

/** Column SQL for insertRowsSql(): fixed (the same for every row), or an expression of the row's value. */
export type ColumnOverride = SQL | ((value: SQL) => SQL);
export type InsertRowsOptions = { omit?: string[]; override?: Record<string, ColumnOverride> };

/**
 * `insert into <table> (…) select … from unnest(…)` for a statement(): any number of rows with the same SQL text.
 * Each column but `omit` is a text-array placeholder `<name>.<key>` (rowValues() fills them; every value goes as text
 * and is cast to its column's type, so both drivers send the same); rows are inserted in their order (identity and
 * serial columns follow it). `override` gives the SQL of some columns instead, fixed or computed from the row's value.
 */
export function insertRowsSql(table: PgTable, name: string, opts: InsertRowsOptions = {}): SQL {
  const cols = Object.entries(getTableColumns(table)).filter(([key]) => !opts.omit?.includes(key));
  // Array columns would need an array literal per row; no table written this way has one.
  for (const [key, c] of cols) if (c.getSQLType().endsWith(']')) throw new Error(`insertRowsSql: ${key} is an array column`);
  const arrays = cols.filter(([key]) => !is(opts.override?.[key], SQL));
  const value = (key: string, type: string) => sql`${sql.raw(`c${arrays.findIndex(([k]) => k === key)}`)}::${sql.raw(type)}`;
  const select = cols.map(([key, c]) => {
    const o = opts.override?.[key];
    if (o === undefined) return value(key, c.getSQLType());
    return is(o, SQL) ? o : o(value(key, c.getSQLType()));
  });
  return sql`insert into ${table} (${sql.join(
    cols.map(([, c]) => sql.raw(`"${c.name}"`)),
    sql`, `,
  )})
    select ${sql.join(select, sql`, `)}
    from unnest(${sql.join(
      arrays.map(([key]) => sql`${sql.placeholder(`${name}.${key}`)}::text[]`),
      sql`, `,
    )}) with ordinality as u(${sql.join(
      arrays.map((_, i) => sql.raw(`c${i}`)),
      sql`, `,
    )}, ord)
    order by ord`;
}

/** The values of insertRowsSql(table, name, opts) for these rows: column arrays as text ($defaultFn defaults applied). */
export function rowValues<T extends PgTable>(table: T, name: string, rows: Partial<InferSelectModel<T>>[], opts: InsertRowsOptions = {}): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  for (const [key, col] of Object.entries(getTableColumns(table))) {
    if (opts.omit?.includes(key) || is(opts.override?.[key], SQL)) continue;
    out[`${name}.${key}`] = rows.map((r) => {
      let v = (r as Record<string, unknown>)[key];
      if (v === undefined && col.defaultFn) v = col.defaultFn();
      // A column left out whose default is SQL (defaultNow(), identity…) would be written as NULL here: omit it instead.
      if (v === undefined && col.hasDefault) throw new Error(`rowValues: ${key} has an SQL default; give a value or omit the column`);
      if (v === undefined || v === null) return null;
      const d = col.mapToDriverValue(v);
      return typeof d === 'string' ? d : d instanceof Date ? d.toISOString() : typeof d === 'object' ? JSON.stringify(d) : String(d);
    });
  }
  return out;
}

/** Takes a transaction-scoped advisory lock; returns false when another session holds it. */
export async function tryXactLock(db: Db, key: number): Promise<boolean> {
  const rows = await queryRows<{ ok: boolean }>(db, sql`select pg_try_advisory_xact_lock(${key}) as ok`);
  return rows[0]?.ok === true;
}

/**
 * Runs fn while this process holds the session advisory lock (key, hashtext(name)), or returns { ran: false } at once
 * when another session holds it. PostgreSQL: the lock lives on a pool connection kept for fn's duration (it goes with
 * the connection if the process dies). PGlite has one session, where the lock would always be granted: fn runs, and
 * callers keep runs apart in-process.
 */
export async function withSessionLock<T>(database: { db: Db; kind: DbKind }, key: number, name: string, fn: () => Promise<T>): Promise<{ ran: true; value: T } | { ran: false }> {
  if (database.kind === 'pglite') return { ran: true, value: await fn() };
  const pool = (database.db as unknown as { session: { client: pg.Pool } }).session.client;
  const client = await pool.connect();
  let broken: Error | undefined;
  // A checked-out client has no error listener of the pool's: a killed connection would otherwise crash the process.
  const onError = (err: Error) => {
    broken = err;
  };
  client.on('error', onError);
  try {
    let ok = false;
    try {
      ok = (await client.query<{ ok: boolean }>('select pg_try_advisory_lock($1, hashtext($2)) as ok', [key, name])).rows[0]?.ok === true;
    } catch (err) {
      broken = err as Error;
      throw err;
    }
    if (!ok) return { ran: false };
    try {
      return { ran: true, value: await fn() };
    } finally {
      try {
        await client.query('select pg_advisory_unlock($1, hashtext($2))', [key, name]);
      } catch (err) {
        broken = err as Error;
      }
    }
  } finally {
    // A connection that failed (killed, or its unlock failed) may still hold the lock: it is closed, not pooled again.
    client.removeListener('error', onError);
    client.release(broken);
  }
}

/** Whether an error is a PostgreSQL serialization failure or deadlock that a retry can fix. */
export function isRetryable(err: unknown): boolean {
  const code = (err as { code?: string } | null)?.code ?? (err as { cause?: { code?: string } } | null)?.cause?.code;
  return code === '40001' || code === '40P01';
}

/** Work to run once the outermost transaction that inTransaction() opened has ended, per transaction handle. */
const commitHooks = new WeakMap<object, (() => void)[]>();

/**
 * Runs fn once db's transaction has ended, committed or rolled back (at once when db is not a transaction of
 * inTransaction()). Caches use it to clear what a write made stale, once the write is visible to everyone or undone.
 */
export function afterTransaction(db: Db, fn: () => void): void {
  const hooks = commitHooks.get(db);
  if (hooks) hooks.push(fn);
  else fn();
}

/** Whether db is a transaction opened by inTransaction() (or a savepoint in one), not a database handle. */
export function isTransaction(db: Db): boolean {
  return commitHooks.has(db);
}

/** Runs fn in a transaction, retrying serialization failures and deadlocks a few times. */
export async function inTransaction<T>(db: Db, fn: (tx: Db) => Promise<T>, attempts = 5): Promise<T> {
  // A transaction inside another one (a savepoint) hands its hooks to the outer one, which runs them on its commit.
  const outer = commitHooks.get(db);
  for (let i = 1; ; i++) {
    const hooks = outer ?? [];
    try {
      const result = await db.transaction((tx) => {
        commitHooks.set(tx, hooks);
        roots.set(tx as unknown as Db, roots.get(db) ?? db);
        return fn(tx as unknown as Db);
      });
      if (!outer) for (const h of hooks) h();
      return result;
    } catch (err) {
      if (!outer) for (const h of hooks) h();
      if (i >= attempts || !isRetryable(err)) throw err;
      await new Promise((r) => setTimeout(r, 5 * i + Math.random() * 10));
    }
  }
}
