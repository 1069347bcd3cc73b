/** The one clock of the application; tests replace it with a fixed or advancing time. */
export type Clock = { now: () => Date };

export const systemClock: Clock = { now: () => new Date() };

/** A clock tests can set and advance. */
export function fixedClock(start: Date | string): Clock & { set: (d: Date | string) => void; advance: (ms: number) => void } {
  let t = new Date(start).getTime();
  return {
    now: () => new Date(t),
    set: (d) => {
      t = new Date(d).getTime();
    },
    advance: (ms) => {
      t += ms;
    },
  };
}

const shanghaiDate = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' });

/** Business date (YYYY-MM-DD) of an instant in Asia/Shanghai. */
export function businessDate(d: Date): string {
  return shanghaiDate.format(d);
}

/** An instant as business time in Asia/Shanghai (UTC+8, no daylight saving): "2026-12-08 09:30:05". */
export function businessTime(d: Date): string {
  return new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
}

let current: Clock = systemClock;

/** The application clock; tests swap it with setClock(fixedClock(...)). */
export const clock: Clock = { now: () => current.now() };

export function setClock(c: Clock): void {
  current = c;
}
