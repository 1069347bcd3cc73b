import type { FastifyBaseLogger } from 'fastify';

export type Job = { name: string; everyMs: number; run: () => Promise<unknown> };

/** Runs in-process background jobs on timers; each run is guarded so overlapping ticks are skipped. */
export function startJobs(jobs: Job[], log: FastifyBaseLogger): () => Promise<void> {
  const timers: NodeJS.Timeout[] = [];
  const running = new Map<string, Promise<unknown>>();
  for (const job of jobs) {
    const tick = () => {
      if (running.has(job.name)) return;
      const p = job
        .run()
        .catch((err: unknown) => log.warn({ err, job: job.name }, 'background job failed'))
        .finally(() => running.delete(job.name));
      running.set(job.name, p);
    };
    const t = setInterval(tick, job.everyMs);
    t.unref();
    timers.push(t);
  }
  return async () => {
    for (const t of timers) clearInterval(t);
    await Promise.allSettled([...running.values()]);
  };
}
