import pg from 'pg';
import type { Db } from './client.js';
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
 * calendar), one entry per database. Other processes see a change within ttlMs. The service that writes the table
 * calls clear(), usually before its transaction commits; for ttlMs after that, this process reads afresh and keeps
 * nothing, so a value read before the commit is not kept either. A load that fails is not kept.
 */
export function readCache<V>(ttlMs: number): { get: (db: Db, load: () => Promise<V>) => Promise<V>; clear: (db: Db) => void } {
  const entries = new Map<unknown, { until: number; value: Promise<V> }>();
  const fresh = new Map<unknown, number>();
  return {
    get(db, load) {
      const key = databaseIdentity(db);
      const now = Date.now();
      if ((fresh.get(key) ?? 0) > now) return load();
      const hit = entries.get(key);
      // A caller that did not start the load falls back to its own when the shared one failed.
      if (hit && hit.until > now) return hit.value.catch(() => load());
      const value = load();
      const entry = { until: now + ttlMs, value };
      entries.set(key, entry);
      value.catch(() => {
        if (entries.get(key) === entry) entries.delete(key);
      });
      return value;
    },
    clear(db) {
      const key = databaseIdentity(db);
      entries.delete(key);
      fresh.set(key, Date.now() + ttlMs);
    },
  };
}

/**
 * readCache() for rows read by key (a product by id): the same lifetime and clearing, per database; a load that finds
 * nothing (null) is not kept. At most maxEntries per database are kept (all are dropped when it is reached).
 */
export function keyedReadCache<V>(ttlMs: number, maxEntries = 5_000): { get: (db: Db, key: string, load: () => Promise<V | null>) => Promise<V | null>; clear: (db: Db) => void } {
  const byDb = new Map<unknown, { fresh: number; entries: Map<string, { until: number; value: Promise<V | null> }> }>();
  const of = (db: Db) => {
    const id = databaseIdentity(db);
    let c = byDb.get(id);
    if (!c) byDb.set(id, (c = { fresh: 0, entries: new Map() }));
    return c;
  };
  return {
    get(db, key, load) {
      const c = of(db);
      const now = Date.now();
      if (c.fresh > now) return load();
      const hit = c.entries.get(key);
      if (hit && hit.until > now) return hit.value.catch(() => load());
      if (c.entries.size >= maxEntries) c.entries.clear();
      const value = load();
      const entry = { until: now + ttlMs, value };
      c.entries.set(key, entry);
      const drop = () => {
        if (c.entries.get(key) === entry) c.entries.delete(key);
      };
      value.then((v) => v === null && drop(), drop);
      return value;
    },
    clear(db) {
      const c = of(db);
      c.entries.clear();
      c.fresh = Date.now() + ttlMs;
    },
  };
}
