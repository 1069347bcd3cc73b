import fs from 'node:fs';
import path from 'node:path';
import { and, asc, eq, gte, isNull, lte, sql, type SQL } from 'drizzle-orm';
import type { Actor } from '../auth/actor.js';
import { auditLog } from '../platform.tables.js';
import { insertRowsSql, queryRows, rowValues, statement, type Db } from '../db/client.js';
import type { Clock } from '../clock.js';
import { maskPiiField, pii } from '../crypto/pii.js';

export type AuditEntry = {
  action: string;
  entity: string;
  entityId?: string | null;
  before?: unknown;
  after?: unknown;
};

let auditClock: Clock = { now: () => new Date() };
export function setAuditClock(clock: Clock): void {
  auditClock = clock;
}

const SENSITIVE = /password|token|secret|hash|_enc$|Enc$|_idx$|Idx$/i;
/** Removes secrets and masks personal data before anything reaches the audit log (R7.3: audit rows keep masked values). */
function scrub(value: unknown, key = ''): unknown {
  if (value === undefined) return null;
  if (typeof value === 'string') return maskPiiField(key, value);
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((v) => scrub(v, key));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = SENSITIVE.test(k) ? '[redacted]' : scrub(v, k);
  return out;
}

/** Appends an audit row inside the caller's transaction; the sealer chains it shortly after. */
export async function recordAudit(db: Db, actor: Actor, entry: AuditEntry): Promise<void> {
  await recordAuditMany(db, actor, [entry]);
}

/** Appends several audit rows with one INSERT (in the given order) inside the caller's transaction. */
export async function recordAuditMany(db: Db, actor: Actor, entries: AuditEntry[]): Promise<void> {
  if (!entries.length) return;
  const at = auditClock.now();
  await db.insert(auditLog).values(
    entries.map((entry) => ({
      at,
      actorId: actor.userId,
      actorName: actor.username,
      action: entry.action,
      entity: entry.entity,
      entityId: entry.entityId ?? null,
      ip: actor.ip,
      before: scrub(entry.before),
      after: scrub(entry.after),
    })),
  );
}

/**
 * `insert into audit_log … select …` for a statement() template, whose `after` is an SQL expression of that statement
 * (a data-modifying CTE), written only when `when` holds; for single-statement writes whose details are only known
 * inside the statement. The actor and time are the placeholders auditAt, auditActorId, auditActorName and auditIp,
 * whose values auditValues() gives.
 */
export function auditInsertFromSqlTemplate(entry: { action: string; entity: string; entityId: SQL }, after: SQL, when: SQL): SQL {
  return sql`insert into audit_log (id, at, actor_id, actor_name, action, entity, entity_id, ip, before, after)
    select agri_uuidv7(), ${sql.placeholder('auditAt')}::timestamptz, ${sql.placeholder('auditActorId')}::uuid, ${sql.placeholder('auditActorName')}::text,
           ${entry.action}, ${entry.entity}, ${entry.entityId}, ${sql.placeholder('auditIp')}::text, null, ${after} where ${when}`;
}

export function auditValues(actor: Actor): { auditAt: string; auditActorId: string | null; auditActorName: string; auditIp: string | null } {
  return { auditAt: auditClock.now().toISOString(), auditActorId: actor.userId, auditActorName: actor.username, auditIp: actor.ip };
}

const AUDIT_ROWS_OMIT = ['seq', 'chainPos', 'prevHash', 'hash'];

/**
 * The INSERT of any number of audit rows for a statement() template (placeholders `<name>.*`, filled by auditRowValues());
 * `after` may extend each row's document with an expression of that statement (e.g. a number a sibling CTE assigns).
 */
export function auditRowsSql(name: string, after?: (value: SQL) => SQL): SQL {
  return insertRowsSql(auditLog, name, { omit: AUDIT_ROWS_OMIT, ...(after ? { override: { after } } : {}) });
}

export function auditRowValues(name: string, actor: Actor, entries: (AuditEntry & { actor?: Actor })[]): Record<string, unknown[]> {
  const at = auditClock.now();
  return rowValues(
    auditLog,
    name,
    entries.map(({ actor: a = actor, ...e }) => ({
      at,
      actorId: a.userId,
      actorName: a.username,
      action: e.action,
      entity: e.entity,
      entityId: e.entityId ?? null,
      ip: a.ip,
      before: scrub(e.before),
      after: scrub(e.after),
    })),
    { omit: AUDIT_ROWS_OMIT },
  );
}

function stable(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return `[${value.map(stable).join(',')}]`;
  if (typeof value === 'object') {
    const o = value as Record<string, unknown>;
    return `{${Object.keys(o)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stable(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

type Row = typeof auditLog.$inferSelect;

export function rowHash(prevHash: string, row: Row, chainPos: number): string {
  const content = stable({
    id: row.id,
    pos: chainPos,
    at: row.at.toISOString(),
    actorId: row.actorId,
    actorName: row.actorName,
    action: row.action,
    entity: row.entity,
    entityId: row.entityId,
    ip: row.ip,
    before: row.before,
    after: row.after,
  });
  // Keyed (HMAC under a key derived from the master key, which lives outside the database): whoever can write the
  // table cannot re-hash an edited row or forge a sealed one.
  return pii().auditMac(`${prevHash}\n${content}`);
}

const GENESIS = '0'.repeat(64);
const SEAL_LOCK = 727_002;

/** Chains unsealed rows in commit order; run by the in-process job and before every verify. */
export async function sealAudit(db: Db, batch = 1000): Promise<number> {
  return db.transaction(async (txRaw) => {
    const tx = txRaw as unknown as Db;
    await tx.execute(sql`select pg_advisory_xact_lock(${SEAL_LOCK})`);
    const last = await queryRows<{ chain_pos: number; hash: string }>(tx, sql`select chain_pos, hash from audit_log where chain_pos is not null order by chain_pos desc limit 1`);
    let pos = Number(last[0]?.chain_pos ?? 0);
    let prev = last[0]?.hash ?? GENESIS;
    const rows = await tx.select().from(auditLog).where(isNull(auditLog.chainPos)).orderBy(asc(auditLog.seq)).limit(batch);
    const sealed: { id: string; pos: number; prev: string; hash: string }[] = [];
    for (const row of rows) {
      pos += 1;
      const hash = rowHash(prev, row, pos);
      sealed.push({ id: row.id, pos, prev, hash });
      prev = hash;
    }
    // One UPDATE per batch (not per row), compiled once: the sealer holds the embedded database's only session while it runs.
    if (sealed.length)
      await sealRows(tx, { ids: sealed.map((x) => x.id), pos: sealed.map((x) => String(x.pos)), prev: sealed.map((x) => x.prev), hash: sealed.map((x) => x.hash) });
    return rows.length;
  });
}

const sealRows = statement(
  'audit_seal',
  () => sql`update audit_log a set chain_pos = v.pos::bigint, prev_hash = v.prev, hash = v.hash
    from unnest(${sql.placeholder('ids')}::text[], ${sql.placeholder('pos')}::text[], ${sql.placeholder('prev')}::text[], ${sql.placeholder('hash')}::text[]) as v(id, pos, prev, hash)
    where a.id = v.id::uuid`,
);

// ---------------------------------------------------------------- anchors outside the database

/** The chain's head as last sealed, kept outside the database so that deleting the newest rows or truncating shows. */
export type AuditAnchor = { pos: number; hash: string; at: string; mac: string };

let anchorDir: string | null = null;
let anchorLog: ((msg: string, anchor: AuditAnchor) => void) | null = null;
let lastLogged = 0;

/**
 * Where the anchor is kept: `<dir>/audit-anchor.json` beside the key file (the data directory), and optionally a
 * logger that records the head at most once a minute. Null turns anchoring off (tests of other things).
 */
export function configureAuditAnchor(dir: string | null, log?: (msg: string, anchor: AuditAnchor) => void): void {
  anchorDir = dir;
  anchorLog = log ?? null;
}

const anchorFile = (): string | null => (anchorDir ? path.join(anchorDir, 'audit-anchor.json') : null);
const anchorMac = (pos: number, hash: string, at: string): string => pii().auditMac(`anchor\n${pos}\n${hash}\n${at}`);

export function readAuditAnchor(): AuditAnchor | null {
  const file = anchorFile();
  if (!file || !fs.existsSync(file)) return null;
  try {
    const a = JSON.parse(fs.readFileSync(file, 'utf8')) as AuditAnchor;
    return typeof a.pos === 'number' && typeof a.hash === 'string' ? a : null;
  } catch {
    return null;
  }
}

/** Writes the current head of the chain as the anchor (atomically: a temporary file renamed over the old one). */
async function writeAnchor(db: Db): Promise<void> {
  const file = anchorFile();
  if (!file) return;
  const [head] = await queryRows<{ chain_pos: number; hash: string }>(db, sql`select chain_pos, hash from audit_log where chain_pos is not null order by chain_pos desc limit 1`);
  if (!head) return;
  const pos = Number(head.chain_pos);
  const previous = readAuditAnchor();
  if (previous && previous.pos >= pos) return;
  const at = new Date().toISOString();
  const anchor: AuditAnchor = { pos, hash: head.hash, at, mac: anchorMac(pos, head.hash, at) };
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(anchor), { mode: 0o600 });
  fs.renameSync(tmp, file);
  if (anchorLog && Date.now() - lastLogged >= 60_000) {
    lastLogged = Date.now();
    anchorLog('audit chain anchor', anchor);
  }
}

/**
 * The sealing job: seals everything pending in batches of `batch` rows, each its own short transaction, yielding to
 * other work between batches — on the embedded database a long batch would hold its only session and stall requests.
 */
export async function sealPending(db: Db, batch = 500): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await sealAudit(db, batch);
    total += n;
    if (n < batch) {
      if (total > 0 || (anchorDir && !readAuditAnchor())) await writeAnchor(db);
      return total;
    }
    await new Promise((r) => setImmediate(r));
  }
}

export type VerifyResult = { ok: boolean; checked: number; firstBadSeq: number | null; reason: string | null };

/** How a long verification runs: rows per batch, a callback after each (it may throw to stop), and whether to yield between batches. */
export type VerifyOptions = { page?: number; progress?: (done: number, total: number) => void; yieldBetween?: boolean };

const yieldToOthers = () => new Promise<void>((r) => setImmediate(r));

/** Recomputes the hash chain; reports the first row that was edited, deleted or re-ordered. */
export async function verifyAudit(db: Db, opts: VerifyOptions = {}): Promise<VerifyResult> {
  while ((await sealAudit(db)) > 0) {
    // seal everything pending first
    if (opts.yieldBetween) await yieldToOthers();
  }
  let prev = GENESIS;
  let expected = 1;
  let checked = 0;
  const page = opts.page ?? 5000;
  const total = opts.progress ? ((await queryRows<{ n: number }>(db, sql`select count(*)::int as n from audit_log`))[0]?.n ?? 0) : 0;
  for (;;) {
    if (checked > 0) {
      opts.progress?.(checked, total);
      if (opts.yieldBetween) await yieldToOthers();
    }
    const rows = await db.select().from(auditLog).where(gte(auditLog.chainPos, expected)).orderBy(asc(auditLog.chainPos)).limit(page);
    if (rows.length === 0) break;
    for (const row of rows) {
      const pos = Number(row.chainPos);
      if (pos !== expected) return { ok: false, checked, firstBadSeq: Number(row.seq), reason: `missing chain position ${expected} (row deleted)` };
      if (row.prevHash !== prev) return { ok: false, checked, firstBadSeq: Number(row.seq), reason: 'previous-hash link broken' };
      if (rowHash(prev, row, pos) !== row.hash) return { ok: false, checked, firstBadSeq: Number(row.seq), reason: 'row content does not match its hash (edited)' };
      prev = row.hash ?? '';
      expected += 1;
      checked += 1;
    }
  }
  const unchained = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from audit_log where chain_pos is null`);
  if ((unchained[0]?.n ?? 0) > 0) return { ok: false, checked, firstBadSeq: null, reason: 'rows without a chain position' };
  // The anchor outside the database: the chain must still reach it, through the row it names.
  const anchor = readAuditAnchor();
  if (anchor) {
    if (anchor.mac !== anchorMac(anchor.pos, anchor.hash, anchor.at)) return { ok: false, checked, firstBadSeq: null, reason: 'the anchor file was altered' };
    if (checked === 0 && anchor.pos > 0) return { ok: false, checked, firstBadSeq: null, reason: `the log is empty but was anchored at position ${anchor.pos} (truncated)` };
    if (checked < anchor.pos)
      return { ok: false, checked, firstBadSeq: null, reason: `the chain ends at position ${checked}, before its anchor at ${anchor.pos} (newest rows deleted)` };
    const [row] = await queryRows<{ hash: string }>(db, sql`select hash from audit_log where chain_pos = ${anchor.pos}`);
    if (row?.hash !== anchor.hash) return { ok: false, checked, firstBadSeq: null, reason: `the row at the anchored position ${anchor.pos} is not the anchored one` };
  }
  await writeAnchor(db);
  return { ok: true, checked, firstBadSeq: null, reason: null };
}

export type AuditFilter = { actor?: string; action?: string; entity?: string; entityId?: string; from?: Date; to?: Date };

export function auditWhere(f: AuditFilter): SQL | undefined {
  const conds: SQL[] = [];
  if (f.actor) conds.push(sql`${auditLog.actorName} ilike ${'%' + f.actor + '%'}`);
  if (f.action) conds.push(sql`${auditLog.action} ilike ${'%' + f.action + '%'}`);
  if (f.entity) conds.push(eq(auditLog.entity, f.entity));
  if (f.entityId) conds.push(eq(auditLog.entityId, f.entityId));
  if (f.from) conds.push(gte(auditLog.at, f.from));
  if (f.to) conds.push(lte(auditLog.at, f.to));
  return conds.length ? and(...conds) : undefined;
}
