import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../src/platform/auth/actor.js';
import { configureAuditAnchor, readAuditAnchor, recordAudit, sealPending, verifyAudit } from '../src/platform/audit/audit.service.js';
import { inTransaction, queryRows } from '../src/platform/db/client.js';
import { freshDatabase, type TestDatabase } from './helpers/db.js';
import { tamper } from './helpers/tamper.js';

/**
 * The audit trail cannot be changed unnoticed: the application's own statements are refused by the append-only guard,
 * and each of the eight ways an attacker with the database's rights (triggers off) can change it is found by verify.
 * Each test starts from a fresh database with 12 sealed rows and an anchor beside it.
 */
let database: TestDatabase;
let dir: string;

async function fresh(): Promise<void> {
  await database?.close();
  database = await freshDatabase();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'agri-anchor-'));
  configureAuditAnchor(dir);
  for (let i = 1; i <= 12; i += 1) await recordAudit(database.db, SYSTEM_ACTOR, { action: 'test.event', entity: 'thing', entityId: String(i), after: { n: i } });
  await sealPending(database.db);
}

const head = async () =>
  (await queryRows<{ chain_pos: number; hash: string; id: string }>(database.db, sql`select chain_pos, hash, id from audit_log order by chain_pos desc limit 1`))[0]!;
const rowAt = async (pos: number) => (await queryRows<{ id: string; seq: number }>(database.db, sql`select id, seq from audit_log where chain_pos = ${pos}`))[0]!;

beforeAll(fresh);
beforeEach(fresh);
afterAll(async () => {
  await database?.close();
  configureAuditAnchor(null);
});

/** The database's own message of a refused statement (drizzle wraps it as the cause). */
async function refusal(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    const e = err as { message?: string; cause?: { message?: string } };
    return `${e.message ?? ''} ${e.cause?.message ?? ''}`;
  }
  return 'not refused';
}

describe('the audit log is append-only for the application', () => {
  it('refuses UPDATE, DELETE and TRUNCATE of sealed rows, and an INSERT that claims to be sealed', async () => {
    const { id } = await head();
    expect(await refusal(database.db.execute(sql`update audit_log set actor_name = 'mallory' where id = ${id}`))).toMatch(/sealed once/);
    expect(await refusal(database.db.execute(sql`update audit_log set chain_pos = null where id = ${id}`))).toMatch(/sealed once/);
    expect(await refusal(database.db.execute(sql`delete from audit_log where id = ${id}`))).toMatch(/append-only/);
    expect(await refusal(database.db.execute(sql`truncate audit_log`))).toMatch(/append-only/);
    expect(
      await refusal(
        database.db.execute(
          sql`insert into audit_log (id, at, actor_name, action, entity, chain_pos, prev_hash, hash) values (${crypto.randomUUID()}, now(), 'x', 'x', 'x', 99, 'a', 'b')`,
        ),
      ),
    ).toMatch(/inserted unsealed/);
    expect((await verifyAudit(database.db)).ok).toBe(true);
  });

  it('anchors the head outside the database, keyed', async () => {
    const a = readAuditAnchor()!;
    expect(a.pos).toBe(12);
    expect(a.hash).toBe((await head()).hash);
    expect(fs.existsSync(path.join(dir, 'audit-anchor.json'))).toBe(true);
  });
});

describe('audit verify finds every kind of tampering', () => {
  it('an edited row', async () => {
    const v = await rowAt(5);
    await tamper(database.db, sql`update audit_log set after = '{"n": 500}' where id = ${v.id}`);
    expect(await verifyAudit(database.db)).toMatchObject({ ok: false, firstBadSeq: Number(v.seq), reason: expect.stringMatching(/edited/) });
  });

  it('an edited row re-hashed with the unkeyed algorithm (the key is outside the database)', async () => {
    const rows = await queryRows<{ id: string; chain_pos: number; prev_hash: string }>(
      database.db,
      sql`select id, chain_pos, prev_hash from audit_log where chain_pos >= 5 order by chain_pos`,
    );
    await tamper(database.db, sql`update audit_log set after = '{"n": 500}' where id = ${rows[0]!.id}`);
    let prev = rows[0]!.prev_hash;
    for (const r of rows) {
      const hash = crypto.createHash('sha256').update(`${prev}\n${r.id}`).digest('hex');
      await tamper(database.db, sql`update audit_log set prev_hash = ${prev}, hash = ${hash} where id = ${r.id}`);
      prev = hash;
    }
    expect(await verifyAudit(database.db)).toMatchObject({ ok: false, reason: expect.stringMatching(/edited/) });
  });

  it('one row deleted', async () => {
    await tamper(database.db, sql`delete from audit_log where chain_pos = 6`);
    expect(await verifyAudit(database.db)).toMatchObject({ ok: false, reason: expect.stringMatching(/missing chain position 6/) });
  });

  it('the newest rows deleted', async () => {
    await tamper(database.db, sql`delete from audit_log where chain_pos > 9`);
    expect(await verifyAudit(database.db)).toMatchObject({ ok: false, reason: expect.stringMatching(/newest rows deleted/) });
  });

  it('the log truncated', async () => {
    await tamper(database.db, sql`truncate audit_log`);
    expect(await verifyAudit(database.db)).toMatchObject({ ok: false, reason: expect.stringMatching(/truncated/) });
  });

  it('a forged row appended as if sealed', async () => {
    const h = await head();
    await tamper(
      database.db,
      sql`insert into audit_log (id, at, actor_name, action, entity, entity_id, chain_pos, prev_hash, hash)
          values (${crypto.randomUUID()}, now(), 'mallory', 'user.update', 'user', 'x', ${Number(h.chain_pos) + 1}, ${h.hash}, ${'f'.repeat(64)})`,
    );
    expect(await verifyAudit(database.db)).toMatchObject({ ok: false, reason: expect.stringMatching(/edited/) });
  });

  it('two rows swapped in the chain (reordered)', async () => {
    const a = await rowAt(3);
    const b = await rowAt(4);
    await tamper(
      database.db,
      sql`update audit_log set chain_pos = -1 where id = ${a.id}`,
      sql`update audit_log set chain_pos = 3 where id = ${b.id}`,
      sql`update audit_log set chain_pos = 4 where id = ${a.id}`,
    );
    expect((await verifyAudit(database.db)).ok).toBe(false);
  });

  it('a row deleted and the later positions renumbered to close the gap', async () => {
    await tamper(database.db, sql`delete from audit_log where chain_pos = 7`, sql`update audit_log set chain_pos = chain_pos - 1 where chain_pos > 7`);
    expect((await verifyAudit(database.db)).ok).toBe(false);
  });

  it('and an untouched log still verifies, with rows written since the anchor', async () => {
    await inTransaction(database.db, (db) => recordAudit(db, SYSTEM_ACTOR, { action: 'test.event', entity: 'thing', entityId: '13' }));
    expect(await verifyAudit(database.db)).toMatchObject({ ok: true, checked: 13 });
    expect(readAuditAnchor()!.pos).toBe(13);
  });
});
