import { isWorkday } from '../../platform/calendar/calendar.service.js';
import type { Db } from '../../platform/db/client.js';

/** Working hours of a working day in Asia/Shanghai (UTC+8, no daylight saving): 09:00–18:00. */
export const WORK_START_HOUR = 9;
export const WORK_END_HOUR = 18;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const OFFSET = 8 * HOUR;

const dayOf = (local: number): string => new Date(local).toISOString().slice(0, 10);

/**
 * The instant `hours` working hours after `start`, counting only 09:00–18:00 Shanghai time on working days of the
 * platform calendar (holidays skipped, make-up workdays 调休 counted).
 */
export async function addWorkingHours(db: Db, start: Date, hours: number): Promise<Date> {
  let local = start.getTime() + OFFSET;
  let left = hours * HOUR;
  for (let guard = 0; guard < 3660; guard += 1) {
    const midnight = Math.floor(local / DAY) * DAY;
    const open = midnight + WORK_START_HOUR * HOUR;
    const close = midnight + WORK_END_HOUR * HOUR;
    if (!(await isWorkday(db, dayOf(midnight))) || local >= close) {
      local = midnight + DAY + WORK_START_HOUR * HOUR;
      continue;
    }
    if (local < open) local = open;
    if (local + left <= close) return new Date(local + left - OFFSET);
    left -= close - local;
    local = midnight + DAY + WORK_START_HOUR * HOUR;
  }
  throw new Error('addWorkingHours: no working day within ten years');
}

/** Working hours between two instants (0 when `to` is not after `from`), same rules as addWorkingHours(). */
export async function workingHoursBetween(db: Db, from: Date, to: Date): Promise<number> {
  let local = from.getTime() + OFFSET;
  const end = to.getTime() + OFFSET;
  let ms = 0;
  while (local < end) {
    const midnight = Math.floor(local / DAY) * DAY;
    if (await isWorkday(db, dayOf(midnight))) {
      const a = Math.max(local, midnight + WORK_START_HOUR * HOUR);
      const b = Math.min(end, midnight + WORK_END_HOUR * HOUR);
      if (b > a) ms += b - a;
    }
    local = midnight + DAY;
  }
  return Math.round((ms / HOUR) * 100) / 100;
}
