/**
 * Work for one key at a time in this process, in arrival order; work for other keys runs at once. For work that would
 * otherwise collide in the database and be done again (an order placed without the credit lock, decision 0007): queued
 * here, it waits in memory instead. A waiter holds no connection and no database lock, so it cannot take part in a
 * deadlock with work that holds one.
 */
export function keyedQueue(): <T>(key: string, fn: () => Promise<T>) => Promise<T> {
  const tails = new Map<string, Promise<void>>();
  return async <T>(key: string, fn: () => Promise<T>): Promise<T> => {
    const before = tails.get(key);
    let done!: () => void;
    const mine = new Promise<void>((resolve) => (done = resolve));
    const tail = before ? before.then(() => mine) : mine;
    tails.set(key, tail);
    try {
      if (before) await before;
      return await fn();
    } finally {
      done();
      if (tails.get(key) === tail) tails.delete(key);
    }
  };
}
