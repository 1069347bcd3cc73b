import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QualificationWarnDays } from '../src/modules/orders/orders.settings.js';
import { SYSTEM_ACTOR } from '../src/platform/auth/actor.js';
import { inTransaction } from '../src/platform/db/client.js';
import { getSetting, updateSetting } from '../src/platform/settings/settings.service.js';
import { freshDatabase, type TestDatabase } from './helpers/db.js';

let t: TestDatabase;
beforeAll(async () => {
  t = await freshDatabase();
});
afterAll(() => t?.close());

/** Past the cache's 2 s: entries filled before have expired and a clear's read-afresh window is over. */
const pastTtl = () => new Promise((r) => setTimeout(r, 2_100));
const within = <T>(p: Promise<T>, ms: number) => Promise.race([p, new Promise<never>((_, no) => setTimeout(() => no(new Error(`no answer in ${ms} ms`)), ms))]);

describe(`read caches (${process.env.TEST_ENGINE ?? 'pglite'})`, () => {
  it("a transaction does not wait for another caller's read in flight (on PGlite that read waits for the transaction)", async () => {
    await pastTtl();
    const value = await within(
      inTransaction(t.db, async (tx) => {
        // Through the database handle: on PGlite it queues behind this transaction; it must not be shared with tx's read.
        const outside = getSetting(t.db, QualificationWarnDays);
        const inside = await getSetting(tx, QualificationWarnDays);
        return { inside, outside };
      }),
      10_000,
    );
    expect(value.inside).toBe(QualificationWarnDays.default);
    expect(await value.outside).toBe(QualificationWarnDays.default);
  });

  it('a value a writer reads in its own transaction, uncommitted, is never served to others, and is gone once it rolls back', async () => {
    await pastTtl();
    expect(await getSetting(t.db, QualificationWarnDays)).toBe(QualificationWarnDays.default); // cached, committed
    await expect(
      inTransaction(t.db, async (tx) => {
        await updateSetting(tx, SYSTEM_ACTOR, QualificationWarnDays.key, 45);
        await pastTtl(); // past the read-afresh window: only the writer mark keeps the uncommitted value out
        expect(await getSetting(tx, QualificationWarnDays)).toBe(45); // the writer sees its own write
        if (t.engine === 'postgres') expect(await getSetting(t.db, QualificationWarnDays)).toBe(QualificationWarnDays.default);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await getSetting(t.db, QualificationWarnDays)).toBe(QualificationWarnDays.default);
  });

  it('a committed write is read at once, even when its transaction commits after the read-afresh window', async () => {
    await pastTtl();
    expect(await getSetting(t.db, QualificationWarnDays)).toBe(QualificationWarnDays.default);
    await inTransaction(t.db, async (tx) => {
      await updateSetting(tx, SYSTEM_ACTOR, QualificationWarnDays.key, 50);
      await pastTtl();
      // On PostgreSQL another connection reads (and may keep) the committed old value meanwhile.
      if (t.engine === 'postgres') expect(await getSetting(t.db, QualificationWarnDays)).toBe(QualificationWarnDays.default);
    });
    expect(await getSetting(t.db, QualificationWarnDays)).toBe(50);
  });
});
