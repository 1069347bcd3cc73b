import { describe, expect, it, vi } from 'vitest';
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
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      const cache = keyedReadCache<string>(2_000);
      const db = database();
      const writer = database();
      // The writer shares the database (its identity) with db: a transaction of it, as drizzle gives one.
      (writer as unknown as { session: { client: unknown } }).session.client = (db as unknown as { session: { client: unknown } }).session.client;
      const before = cache.begin(db);
      cache.clear(writer);
      expect(cache.begin(writer)).toBeNull();
      expect(cache.peekAll(writer, ['a'])).toBeNull();
      cache.keep(db, cache.begin(db), [['a', 'too soon']]);
      expect(cache.peekAll(db, ['a'])).toBeNull();
      // Past the 2 s: a read begun before the clear is still not kept, one begun after it is.
      vi.advanceTimersByTime(2_100);
      cache.keep(db, before, [['a', 'old']]);
      expect(cache.peekAll(db, ['a'])).toBeNull();
      cache.keep(db, cache.begin(db), [['a', 'new']]);
      expect(cache.peekAll(db, ['a'])).toEqual(['new']);
    } finally {
      vi.useRealTimers();
    }
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
