import os from 'node:os';
import { and, eq, lt, sql } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import { businessDate, clock } from './clock.js';
import { inTransaction, queryRows, withSessionLock, type Db, type DbKind } from './db/client.js';
import type { Text } from './i18n/locale.js';
import { notifyUsers } from './notifications/notifications.service.js';
import { jobRuns } from './platform.tables.js';

/** What a run of a job is given. */
export type JobContext = {
  db: Db;
  kind: DbKind;
  /** The instance running it (host and process id unless startJobs() was given a name). */
  instance: string;
  /** floor(now / everyMs): the period this run is for; each period runs once across all instances. */
  period: number;
  now: Date;
  log: FastifyBaseLogger;
  /**
   * Claims one effect of this job (an alert for one document and day …): true only for the first claim of
   * (subject, periodKey), ever, on any instance. Pass the transaction that writes the effect so that a rolled-back
   * effect is not claimed; a second run that overlaps waits for that transaction and then gets false.
   */
  claimEffect: (subject: string, periodKey: string, db?: Db) => Promise<boolean>;
};

export type Job = { name: string; label: Text; everyMs: number; run: (ctx: JobContext) => Promise<unknown> };

const registry = new Map<string, Job>();

/** Defines a background job at module load: it appears in the admin jobs screen; startJobs() runs those it is given. */
export function defineJob(job: Job): Job {
  if (registry.has(job.name)) throw new Error(`job ${job.name} is defined twice`);
  if (!(job.everyMs >= 1)) throw new Error(`job ${job.name}: everyMs must be at least 1`);
  registry.set(job.name, job);
  return job;
}

/** Every job defined so far, in definition order. */
export function definedJobs(): Job[] {
  return [...registry.values()];
}

/** ctx.claimEffect() of a job: INSERT … ON CONFLICT DO NOTHING on job_effects. */
export async function claimEffect(db: Db, job: string, subject: string, periodKey: string): Promise<boolean> {
  const rows = await queryRows<{ ok: number }>(
    db,
    sql`insert into job_effects (job, subject, period_key) values (${job}, ${subject}, ${periodKey}) on conflict do nothing returning 1 as ok`,
  );
  return rows.length > 0;
}

/** The error text of a run whose instance stopped before it finished (the admin screen shows it in both languages). */
export const INTERRUPTED = 'interrupted';

const JOB_LOCK_KEY = 727_004;
/** Runs of a job kept in job_runs (older ones are deleted now and then). */
const KEEP_PERIODS = 200;

export type JobRunner = {
  /** Runs every job whose current period has not been run here yet (what each timer tick does); resolves when they finish. */
  runDue: () => Promise<void>;
  /** Stops the timers and waits for runs under way. */
  stop: () => Promise<void>;
};

export type StartOptions = {
  log: FastifyBaseLogger;
  jobs: Job[];
  instance?: string;
  /** false: no timers, the caller calls runDue() (tests with a faked clock). */
  timers?: boolean;
};

/**
 * Runs background jobs in-process. Each tick of a job computes its period, floor(clock.now() / everyMs), and runs it only
 * when this instance (1) holds the job's advisory lock on PostgreSQL, so that no two runs of a job overlap across
 * instances, and (2) inserts the (job, period) row of job_runs first: across N instances each period runs once. A leader
 * that dies loses its lock with its connection, and the next period is claimed by another instance. PGlite (one process)
 * goes the same way, the lock being the in-process guard.
 */
export function startJobs(database: { db: Db; kind: DbKind }, opts: StartOptions): JobRunner {
  const { db, kind } = database;
  const { log } = opts;
  const instance = opts.instance ?? `${os.hostname()}:${process.pid}`;
  const running = new Map<string, Promise<void>>();
  const lastPeriod = new Map<string, number>();
  const timers: NodeJS.Timeout[] = [];
  let stopped = false;

  const runOnce = async (job: Job, period: number): Promise<void> => {
    // Without the lock another instance runs the job now: this one tries again on its next tick (the period may be free then).
    await withSessionLock(database, JOB_LOCK_KEY, job.name, async () => {
      const now = clock.now();
      const [claim] = await db.insert(jobRuns).values({ job: job.name, period, instance, startedAt: now, result: 'running' }).onConflictDoNothing().returning({ id: jobRuns.id });
      const first = !lastPeriod.has(job.name);
      lastPeriod.set(job.name, period);
      if (!claim) return;
      if (first || period % 20 === 0) {
        // Holding the job's lock, no other run of it is under way: earlier rows still 'running' lost their instance.
        await db
          .update(jobRuns)
          .set({ result: 'failed', error: INTERRUPTED, finishedAt: now })
          .where(and(eq(jobRuns.job, job.name), eq(jobRuns.result, 'running'), lt(jobRuns.period, period)));
        await db.delete(jobRuns).where(and(eq(jobRuns.job, job.name), lt(jobRuns.period, period - KEEP_PERIODS)));
      }
      const started = performance.now();
      let error: string | null = null;
      try {
        await job.run({
          db,
          kind,
          instance,
          period,
          now,
          log,
          claimEffect: (subject, periodKey, on = db) => claimEffect(on, job.name, subject, periodKey),
        });
      } catch (err) {
        error = String((err as Error)?.message ?? err).slice(0, 2000);
        log.warn({ err, job: job.name, period, instance }, 'background job failed');
      }
      const durationMs = Math.round(performance.now() - started);
      await db
        .update(jobRuns)
        .set({ finishedAt: clock.now(), durationMs, result: error === null ? 'ok' : 'failed', error })
        .where(eq(jobRuns.id, claim.id));
      if (error !== null) await notifyFailure(db, job, error);
    });
  };

  const tick = (job: Job): Promise<void> => {
    if (stopped) return Promise.resolve();
    const under = running.get(job.name);
    if (under) return under;
    const period = Math.floor(clock.now().getTime() / job.everyMs);
    if (lastPeriod.get(job.name) === period) return Promise.resolve();
    const p = runOnce(job, period)
      .catch((err: unknown) => log.warn({ err, job: job.name }, 'background job could not be scheduled'))
      .finally(() => running.delete(job.name));
    running.set(job.name, p);
    return p;
  };

  if (opts.timers !== false) {
    for (const job of opts.jobs) {
      // A tick only compares periods until a new one starts, so it can be frequent: a run starts within a quarter period.
      const t = setInterval(() => void tick(job), Math.max(100, Math.min(job.everyMs / 4, 60_000)));
      t.unref();
      timers.push(t);
      // The first tick comes soon after start, so an hourly job whose period nobody ran yet does not wait for the next one.
      const first = setTimeout(() => void tick(job), 1000 + Math.random() * 1000);
      first.unref();
      timers.push(first);
    }
  }
  return {
    runDue: async () => {
      await Promise.all(opts.jobs.map(tick));
    },
    stop: async () => {
      stopped = true;
      for (const t of timers) clearTimeout(t);
      await Promise.allSettled([...running.values()]);
    },
  };
}

/** Tells the administrators that a job failed, once per job and business day. */
async function notifyFailure(db: Db, job: Job, error: string): Promise<void> {
  const firstLine = error.split('\n')[0]!.slice(0, 300);
  await inTransaction(db, async (tx) => {
    if (!(await claimEffect(tx, job.name, 'failed', businessDate(clock.now())))) return;
    await notifyUsers(tx, {
      roles: ['admin'],
      title: { zh: `后台任务失败:${job.label.zh}`, en: `Background job failed: ${job.label.en}` },
      body: {
        zh: `后台任务“${job.label.zh}”(${job.name})运行失败:${firstLine}。今日不再重复提醒,详情见“后台任务”页面。`,
        en: `The background job "${job.label.en}" (${job.name}) failed: ${firstLine}. No further reminder today; see the Background jobs screen.`,
      },
      link: '/admin/jobs',
    });
  });
}

export type JobStatus = {
  name: string;
  label: Text;
  everyMs: number;
  period: number | null;
  startedAt: Date | null;
  finishedAt: Date | null;
  durationMs: number | null;
  result: 'running' | 'ok' | 'failed' | null;
  error: string | null;
  instance: string | null;
  nextRunAt: Date;
};

/** Every defined job with its last run and when its next period starts (admin jobs screen). */
export async function listJobStatus(db: Db): Promise<JobStatus[]> {
  const rows = await queryRows<{
    job: string;
    period: number | string;
    instance: string;
    started_at: string | Date;
    finished_at: string | Date | null;
    duration_ms: number | null;
    result: 'running' | 'ok' | 'failed';
    error: string | null;
  }>(db, sql`select distinct on (job) job, period, instance, started_at, finished_at, duration_ms, result, error from job_runs order by job, period desc`);
  const last = new Map(rows.map((r) => [r.job, r]));
  const now = clock.now().getTime();
  const toDate = (v: string | Date | null) => (v === null ? null : new Date(v));
  return definedJobs().map((job) => {
    const r = last.get(job.name);
    const current = Math.floor(now / job.everyMs);
    const period = r ? Number(r.period) : null;
    const next = period !== null && period >= current ? period + 1 : current;
    return {
      name: job.name,
      label: job.label,
      everyMs: job.everyMs,
      period,
      startedAt: r ? toDate(r.started_at) : null,
      finishedAt: r ? toDate(r.finished_at) : null,
      durationMs: r?.duration_ms ?? null,
      result: r?.result ?? null,
      error: r?.error ?? null,
      instance: r?.instance ?? null,
      nextRunAt: new Date(next * job.everyMs),
    };
  });
}
