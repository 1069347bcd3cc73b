import { describe, expect, it } from 'vitest';
import type { Db } from './client.js';
import { keyedReadCache } from './read-cache.js';

/** A database handle as the cache sees it: its identity is the session's client object. */
const database = () => ({ session: { client: {} } }) as unknown as Db;

describe('keyedReadCache: values read together', () => {
  it('peekAll gives every kept value in the keys’ order, or null when any one is missing', async () => {
    const cache = keyedReadCache<string>(60_000);
    const db = database();
    expect(cache.peekAll(db, ['a'])).toBeNull();
    cache.keep(db, cache.begin(db), [
      ['a', 'A'],
      ['b', 'B'],
    ]);
    expect(cache.peekAll(db, ['b', 'a'])).toEqual(['B', 'A']);
    expect(cache.peekAll(db, ['a', 'c'])).toBeNull();
    expect(await cache.get(db, 'a', () => Promise.resolve('read again'))).toBe('A');
  });

  it('keeps nothing of a read that began before a clear, nor for 2 s after it, nor in the writing transaction', () => {
    const cache = keyedReadCache<string>(2_000);
    const db = database();
    const before = cache.begin(db);
    const writer = database();
    // The writer shares the database (its identity) with db: a transaction of it, as drizzle gives one.
    (writer as unknown as { session: { client: unknown } }).session.client = (db as unknown as { session: { client: unknown } }).session.client;
    cache.clear(writer);
    cache.keep(db, before, [['a', 'old']]);
    expect(cache.peekAll(db, ['a'])).toBeNull();
    cache.keep(db, cache.begin(db), [['a', 'too soon']]);
    expect(cache.peekAll(db, ['a'])).toBeNull();
    expect(cache.begin(writer)).toBeNull();
    expect(cache.peekAll(writer, ['a'])).toBeNull();
  });

  it('does not keep nulls, and other databases do not see the values', () => {
    const cache = keyedReadCache<string | null>(60_000);
    const db = database();
    cache.keep(db, cache.begin(db), [
      ['a', 'A'],
      ['n', null],
    ]);
    expect(cache.peekAll(db, ['n'])).toBeNull();
    expect(cache.peekAll(database(), ['a'])).toBeNull();
  });
});
