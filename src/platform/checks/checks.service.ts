import crypto from 'node:crypto';
import type { Actor } from '../auth/actor.js';
import { recordAudit, verifyAudit } from '../audit/audit.service.js';
import { inTransaction, type Db } from '../db/client.js';
import { DomainError, defineErrors } from '../errors/domain-error.js';

export const CheckErrors = defineErrors({
  CHECK_NOT_FOUND: {
    status: 404,
    zh: '校验任务 {id} 不存在(任务只保存在启动它的服务实例中,重启后清空)。',
    en: 'Data check {id} not found (checks are kept by the server instance that started them, until it restarts).',
  },
  CHECK_UNKNOWN_KIND: { status: 404, zh: '未知的校验类型:{kind}', en: 'Unknown data check: {kind}' },
});

export const CHECK_KINDS = ['audit', 'stock'] as const;
export type CheckKind = (typeof CHECK_KINDS)[number];

/** What a check reports: the audit chain fills firstBadSeq/reason, the stock check its drifts (the first 100). */
export type CheckResult = {
  ok: boolean;
  checked: number;
  firstBadSeq: number | null;
  reason: string | null;
  drifts: { lotId: string; locationId: string; cachedOnHand: string; ledgerOnHand: string; cachedReserved: string; activeReserved: string }[];
  driftCount: number;
};

export type CheckJob = {
  id: string;
  kind: CheckKind;
  status: 'running' | 'succeeded' | 'failed';
  done: number;
  total: number;
  result: CheckResult | null;
  error: string | null;
  startedAt: Date;
  finishedAt: Date | null;
  startedBy: string;
};

/** A check: runs in bounded batches, reporting progress after each and yielding to other requests between them. */
export type CheckRunner = (db: Db, progress: (done: number, total: number) => void) => Promise<CheckResult>;

const runners = new Map<CheckKind, CheckRunner>();

/** Modules contribute their checks (inventory: `stock`). */
export function registerCheck(kind: CheckKind, run: CheckRunner): void {
  runners.set(kind, run);
}

registerCheck('audit', async (db, progress) => {
  const r = await verifyAudit(db, { page: 1000, progress, yieldBetween: true });
  return { ...r, drifts: [], driftCount: 0 };
});

class CheckCancelled extends Error {}

type Registry = { jobs: Map<string, CheckJob>; running: Map<string, Promise<void>>; closing: boolean };
const registries = new WeakMap<Db, Registry>();

function registry(db: Db): Registry {
  let r = registries.get(db);
  if (!r) {
    r = { jobs: new Map(), running: new Map(), closing: false };
    registries.set(db, r);
  }
  return r;
}

const KEEP = 50;

/**
 * Starts a check as a background job of this server instance (or returns the one of that kind still running); its
 * progress and result are read with getCheck(). The end is written to the audit trail.
 */
export function startCheck(db: Db, actor: Actor, kind: CheckKind): CheckJob {
  const run = runners.get(kind);
  if (!run) throw new DomainError(CheckErrors.CHECK_UNKNOWN_KIND, { kind });
  const reg = registry(db);
  for (const j of reg.jobs.values()) if (j.kind === kind && j.status === 'running') return j;
  const job: CheckJob = {
    id: crypto.randomUUID(),
    kind,
    status: 'running',
    done: 0,
    total: 0,
    result: null,
    error: null,
    startedAt: new Date(),
    finishedAt: null,
    startedBy: actor.username,
  };
  reg.jobs.set(job.id, job);
  const ids = [...reg.jobs.keys()];
  for (const old of ids.slice(0, Math.max(0, ids.length - KEEP))) if (reg.jobs.get(old)?.status !== 'running') reg.jobs.delete(old);
  const progress = (done: number, total: number) => {
    if (reg.closing) throw new CheckCancelled('server closing');
    job.done = done;
    job.total = total;
  };
  const promise = (async () => {
    try {
      const result = await run(db, progress);
      job.result = { ...result, drifts: result.drifts.slice(0, 100), driftCount: result.drifts.length };
      job.done = Math.max(job.done, job.total);
      job.status = 'succeeded';
    } catch (err) {
      job.status = 'failed';
      job.error = err instanceof Error ? err.message : String(err);
    }
    job.finishedAt = new Date();
    if (reg.closing) return;
    await inTransaction(db, (tx) =>
      recordAudit(tx, actor, {
        action: `check.${kind}`,
        entity: 'check',
        entityId: job.id,
        after: { status: job.status, ok: job.result?.ok ?? null, checked: job.result?.checked ?? null, error: job.error },
      }),
    ).catch(() => undefined);
  })().finally(() => reg.running.delete(job.id));
  reg.running.set(job.id, promise);
  return job;
}

export function getCheck(db: Db, id: string): CheckJob {
  const job = registry(db).jobs.get(id);
  if (!job) throw new DomainError(CheckErrors.CHECK_NOT_FOUND, { id });
  return job;
}

/** The checks of this instance, newest first. */
export function listChecks(db: Db): CheckJob[] {
  return [...registry(db).jobs.values()].reverse();
}

/** Stops the running checks at their next batch and waits for them (the server is closing). */
export async function stopChecks(db: Db): Promise<void> {
  const reg = registry(db);
  reg.closing = true;
  await Promise.all(reg.running.values());
}

/** Waits for the running checks (tests). */
export async function settleChecks(db: Db): Promise<void> {
  await Promise.all(registry(db).running.values());
}
