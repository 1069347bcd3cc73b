import pg from 'pg';
import { afterTransaction, type Db } from './client.js';
import { embeddedOwner } from './embedded.js';

const poolKeys = new WeakMap<pg.Pool, string>();

/**
 * The database a handle (or a transaction of it) talks to: the PGlite instance, or host:port/database for PostgreSQL,
 * so a cache filled through a transaction serves the pool's other connections too.
 */
export function databaseIdentity(db: Db): unknown {
  const client = (db as unknown as { session?: { client?: unknown } }).session?.client;
  const owner = embeddedOwner(client);
  if (owner) return owner.client;
  if (client instanceof pg.Pool) {
    let key = poolKeys.get(client);
    if (!key) {
      const c = new pg.Client(client.options); // not connected: only reads the connection parameters
      key = `${c.host}:${c.port}/${c.database}`;
      poolKeys.set(client, key);
    }
    return key;
  }
  if (client instanceof pg.Client) return `${client.host}:${client.port}/${client.database}`;
  return client;
}

/**
 * A short-lived cache of a small table that changes rarely and is read on hot paths (settings, the working-day
 * calendar), one value per database, kept for ttlMs. Only settled values are shared: a caller that misses loads through
 * its own handle (a load in flight is never awaited by another caller, whose transaction it might be waiting for).
 * The service that writes the table calls clear() before its write. From then on the writing transaction reads
 * through and keeps nothing; when it ends (afterTransaction() in client.ts) the cache is cleared again; and for ttlMs
 * after each clear the process reads afresh and keeps nothing, while a load that began before a clear is not kept.
 * So neither an old value nor a writer's uncommitted one outlives the write's transaction.
 */
export function readCache<V>(ttlMs: number): { get: (db: Db, load: () => Promise<V>) => Promise<V>; clear: (db: Db) => void } {
  const keyed = keyedReadCache<V>(ttlMs, 1);
  return { get: (db, load) => keyed.get(db, '', load) as Promise<V>, clear: keyed.clear };
}

type Slot<V> = { fresh: number; gen: number; entries: Map<string, { until: number; value: V }> };

/**
 * readCache() for rows read by key (a product by id): the same lifetime and clearing, per database; a load that finds
 * nothing (null) is not kept. At most maxEntries per database are kept (all are dropped when it is reached).
 */
export type KeyedReadCache<V> = {
  get: (db: Db, key: string, load: () => Promise<V | null>) => Promise<V | null>;
  /** The values kept for every one of these keys, in their order, or null when any is missing or stale. */
  peekAll: (db: Db, keys: string[]) => V[] | null;
  /** Marks a load of several keys about to begin: keep() with the mark keeps its values unless a clear came in between. */
  begin: (db: Db) => number | null;
  keep: (db: Db, mark: number | null, entries: Iterable<[string, V]>) => void;
  clear: (db: Db) => void;
};

export function keyedReadCache<V>(ttlMs: number, maxEntries = 5_000): KeyedReadCache<V> {
  // PGlite instances are objects (kept weakly, so a closed database is not held); PostgreSQL databases are strings.
  const byObject = new WeakMap<object, Slot<V>>();
  const byName = new Map<unknown, Slot<V>>();
  const writers = new WeakSet<object>();
  const slotOf = (db: Db): Slot<V> => {
    const id = databaseIdentity(db);
    const isObject = typeof id === 'object' && id !== null;
    let slot = isObject ? byObject.get(id) : byName.get(id);
    if (!slot) {
      slot = { fresh: 0, gen: 0, entries: new Map() };
      if (isObject) byObject.set(id, slot);
      else byName.set(id, slot);
    }
    return slot;
  };
  const peek = (slot: Slot<V>, key: string, now: number): { value: V } | null => {
    const hit = slot.entries.get(key);
    return hit && hit.until > now && slot.fresh <= now ? hit : null;
  };
  const begin = (db: Db): number | null => (writers.has(db) ? null : slotOf(db).gen);
  // A load is kept only when no clear came since it began (mark: the slot's generation then; null: a writer's own read).
  const keep = (db: Db, mark: number | null, entries: Iterable<[string, V]>): void => {
    if (mark === null) return;
    const slot = slotOf(db);
    const done = Date.now();
    if (mark !== slot.gen || slot.fresh > done) return;
    for (const [key, value] of entries) {
      if (value === null) continue;
      if (slot.entries.size >= maxEntries) slot.entries.clear();
      slot.entries.set(key, { until: done + ttlMs, value });
    }
  };
  return {
    async get(db, key, load) {
      // A transaction that wrote the table reads its own (uncommitted) rows and keeps nothing.
      if (writers.has(db)) return load();
      const slot = slotOf(db);
      const hit = peek(slot, key, Date.now());
      if (hit) return hit.value;
      const mark = slot.gen;
      const value = await load();
      if (value !== null) keep(db, mark, [[key, value]]);
      return value;
    },
    peekAll(db, keys) {
      if (writers.has(db)) return null;
      const slot = slotOf(db);
      const now = Date.now();
      const out: V[] = [];
      for (const key of keys) {
        const hit = peek(slot, key, now);
        if (!hit) return null;
        out.push(hit.value);
      }
      return out;
    },
    begin,
    keep,
    clear(db) {
      const slot = slotOf(db);
      const drop = () => {
        slot.entries.clear();
        slot.gen += 1;
        slot.fresh = Date.now() + ttlMs;
      };
      drop();
      writers.add(db);
      afterTransaction(db, drop);
    },
  };
}
