import { describe, expect, it } from 'vitest';
import { keyedQueue } from './keyed-queue.js';

const tick = () => new Promise((r) => setTimeout(r, 5));

describe('keyedQueue', () => {
  it('runs work of one key one at a time in arrival order, work of other keys at once, and goes on after a failure', async () => {
    const run = keyedQueue();
    const log: string[] = [];
    let inA = 0;
    let maxA = 0;
    const a = (name: string, fail = false) =>
      run('a', async () => {
        inA += 1;
        maxA = Math.max(maxA, inA);
        log.push(`${name}:start`);
        await tick();
        log.push(`${name}:end`);
        inA -= 1;
        if (fail) throw new Error(name);
        return name;
      });
    const b = run('b', async () => {
      log.push('b:start');
      await tick();
      log.push('b:end');
      return 'b';
    });
    const results = await Promise.allSettled([a('a1'), a('a2', true), a('a3'), b]);
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message))).toEqual(['a1', 'a2', 'a3', 'b']);
    expect(maxA).toBe(1);
    expect(log.filter((x) => x.startsWith('a'))).toEqual(['a1:start', 'a1:end', 'a2:start', 'a2:end', 'a3:start', 'a3:end']);
    // b started while a1 was running.
    expect(log.indexOf('b:start')).toBeLessThan(log.indexOf('a1:end'));
  });

  it('forgets a key once its queue is empty', async () => {
    const run = keyedQueue();
    await run('k', async () => 1);
    // A new run of the key does not wait for anything: it starts in the same turn.
    let started = false;
    const p = run('k', async () => {
      started = true;
    });
    await Promise.resolve();
    expect(started).toBe(true);
    await p;
  });
});
