import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTransaction, isRetryable, queryRows, statement } from '../src/platform/db/client.js';
import { embeddedOwner } from '../src/platform/db/embedded.js';
import { freshDatabase, type TestDatabase } from './helpers/db.js';

let t: TestDatabase;
beforeAll(async () => {
  t = await freshDatabase();
  await t.db.execute(
    sql`create table stmt_probe (id int primary key, label text not null, qty numeric(14,3), at timestamptz, day date, tags text[], doc jsonb, big int8, ok boolean, note text)`,
  );
});
afterAll(() => t?.close());

const insertProbe = statement<{ id: number }>(
  'test_stmt_insert',
  () => sql`
  insert into stmt_probe (id, label, qty, at, day, tags, doc, big, ok, note)
  values (${sql.placeholder('id')}, ${sql.placeholder('label')}, ${sql.placeholder('qty')}::numeric, ${sql.placeholder('at')}::timestamptz,
          ${sql.placeholder('day')}::date, ${sql.placeholder('tags')}::text[], ${sql.placeholder('doc')}::jsonb, ${sql.placeholder('big')},
          ${sql.placeholder('ok')}::boolean, ${sql.placeholder('note')}::text)
  returning id`,
);
const readProbe = statement<Record<string, unknown>>(
  'test_stmt_read',
  () => sql`
  select id, label, qty, at, day, tags, doc, big, ok, note from stmt_probe where id = any(${sql.placeholder('ids')}::int[]) order by id`,
);

const row = (id: number) => ({
  id,
  label: `标签 ${id}`,
  qty: '12.500',
  at: '2026-11-27T08:00:00.000Z',
  day: '2026-11-28',
  tags: ['冷链', 'b'],
  doc: JSON.stringify({ k: id }),
  big: 9_007_199_254_740 + id,
  ok: id % 2 === 0,
  note: id % 2 === 0 ? null : `备注 ${id}`,
});

describe(`statement() on ${process.env.TEST_ENGINE ?? 'pglite'}`, () => {
  it('returns the same rows and value types as the same SQL run through drizzle', async () => {
    for (const id of [1, 2, 3, 4, 5, 6, 7]) expect(await insertProbe(t.db, row(id))).toEqual([{ id }]);
    // Seven runs: past PostgreSQL's five custom plans, so the generic plan is used too.
    for (let i = 0; i < 7; i++) {
      const viaStatement = await readProbe(t.db, { ids: [2, 5, 99] });
      const viaDrizzle = await queryRows(t.db, sql`select id, label, qty, at, day, tags, doc, big, ok, note from stmt_probe where id = any(${'{2,5,99}'}::int[]) order by id`);
      expect(viaStatement).toEqual(viaDrizzle);
      expect(viaStatement.map((r) => r.id)).toEqual([2, 5]);
      expect(viaStatement[0]).toMatchObject({ label: '标签 2', qty: '12.500', tags: ['冷链', 'b'], doc: { k: 2 }, ok: true, note: null });
      expect(viaStatement[1]).toMatchObject({ ok: false, note: '备注 5' });
    }
  });

  it('on PGlite, drizzle queries and transactions keep dates as text without passing parsers each time; other parsers given to a query still apply', async () => {
    if (t.engine !== 'pglite') return expect(t.engine).toBe('postgres'); // node-postgres has no per-query parsers
    const client = embeddedOwner((t.db as unknown as { session: { client: unknown } }).session.client)!.client;
    const probe = `select '2026-11-28 10:00:00+00'::timestamptz as at, '2026-11-28'::date as day, 1.50::numeric as q`;
    const viaDrizzle = await queryRows<Record<string, unknown>>(t.db, sql.raw(probe));
    expect(viaDrizzle[0]).toEqual({ at: expect.any(String), day: '2026-11-28', q: '1.50' });
    const inTx = await inTransaction(t.db, (tx) => queryRows<Record<string, unknown>>(tx, sql.raw(probe)));
    expect(inTx).toEqual(viaDrizzle);
    const custom = await client.query<{ at: unknown }>(probe, [], { parsers: { 1184: () => 'custom' } });
    expect(custom.rows[0]!.at).toBe('custom');
  });

  it('on PGlite, is a named prepared statement of the session (parsed once, not per run)', async () => {
    if (t.engine !== 'pglite') return expect(t.engine).toBe('postgres'); // node-postgres prepares per pooled connection
    await readProbe(t.db, { ids: [1] });
    const inTx = await inTransaction(t.db, async (tx) => {
      await readProbe(tx, { ids: [1] });
      return queryRows<{ name: string }>(tx, sql`select name from pg_prepared_statements where name like 'test_stmt_%' order by name`);
    });
    expect(inTx.map((r) => r.name)).toEqual(['test_stmt_insert', 'test_stmt_read']);
  });

  it('runs inside a transaction and rolls back with it', async () => {
    await expect(
      inTransaction(t.db, async (tx) => {
        await insertProbe(tx, row(50));
        expect((await readProbe(tx, { ids: [50] })).length).toBe(1);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await readProbe(t.db, { ids: [50] })).toEqual([]);
  });

  it('reports a database error with its SQLSTATE code, and the statement still works afterwards', async () => {
    const err = await insertProbe(t.db, row(1)).catch((e: unknown) => e);
    const code = (err as { cause?: { code?: string } }).cause?.code;
    expect(code).toBe('23505');
    expect(isRetryable(err)).toBe(false);
    // An error inside a transaction aborts only that transaction.
    await expect(inTransaction(t.db, (tx) => insertProbe(tx, row(2)))).rejects.toBeTruthy();
    expect(await insertProbe(t.db, row(60))).toEqual([{ id: 60 }]);
  });

  it('a statement whose SQL does not parse fails every time with the parse error, and is not cached', async () => {
    const broken = statement('test_stmt_broken', () => sql`select from where ${sql.placeholder('x')}`);
    for (let i = 0; i < 2; i++) {
      const err = await broken(t.db, { x: 1 }).catch((e: unknown) => e);
      expect((err as { cause?: { code?: string } }).cause?.code).toBe('42601');
    }
  });
});
