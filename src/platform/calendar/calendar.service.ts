import { createRequire } from 'node:module';
import { and, asc, eq, gte, lte, sql } from 'drizzle-orm';
import type { Actor } from '../auth/actor.js';
import { recordAudit } from '../audit/audit.service.js';
import { queryRows, statement, type Db } from '../db/client.js';
import { readCache } from '../db/read-cache.js';
import { DomainError, defineErrors } from '../errors/domain-error.js';
import { calendarDays, calendarOverrides } from '../platform.tables.js';

export const CalendarErrors = defineErrors({
  CALENDAR_OVERRIDE_NOT_FOUND: { status: 404, zh: '{date} 没有人工调整。', en: 'There is no override on {date}.' },
  CALENDAR_BAD_DATE: { status: 400, zh: '日期格式应为 YYYY-MM-DD。', en: 'Dates must be YYYY-MM-DD.' },
});

type DayKind = 'holiday' | 'workday';

/** Loads holidays and make-up workdays shipped by the chinese-days package into calendar_days (idempotent). */
export async function seedCalendar(db: Db): Promise<number> {
  const require = createRequire(import.meta.url);
  const data = require('chinese-days/dist/chinese-days.json') as { holidays: Record<string, string>; workdays: Record<string, string> };
  const rows: { day: string; kind: DayKind; name: string }[] = [];
  for (const [day, name] of Object.entries(data.holidays)) rows.push({ day, kind: 'holiday', name: name.split(',')[1] ?? name });
  for (const [day, name] of Object.entries(data.workdays)) rows.push({ day, kind: 'workday', name: `${name.split(',')[1] ?? name}调休` });
  calendarCache.clear(db);
  for (let i = 0; i < rows.length; i += 500) {
    await db
      .insert(calendarDays)
      .values(rows.slice(i, i + 500))
      .onConflictDoNothing();
  }
  return rows.length;
}

export async function coveredYears(db: Db): Promise<{ from: number; to: number } | null> {
  const r = await queryRows<{ lo: string | null; hi: string | null }>(db, sql`select min(day)::text as lo, max(day)::text as hi from calendar_days`);
  if (!r[0]?.lo || !r[0].hi) return null;
  return { from: Number(r[0].lo.slice(0, 4)), to: Number(r[0].hi.slice(0, 4)) };
}

const DAY_MS = 86_400_000;
const parse = (d: string): number => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(d) || Number.isNaN(Date.parse(`${d}T00:00:00Z`))) throw new DomainError(CalendarErrors.CALENDAR_BAD_DATE);
  return Date.parse(`${d}T00:00:00Z`);
};
const fmt = (t: number): string => new Date(t).toISOString().slice(0, 10);

function isWorkdayIn(special: Map<string, DayKind>, t: number): boolean {
  const s = special.get(fmt(t));
  if (s) return s === 'workday';
  const wd = new Date(t).getUTCDay();
  return wd !== 0 && wd !== 6;
}

export type WorkingDayResult = { date: string; beyondCoverage: boolean };

const calendarRows = statement<{ day: string | null; kind: string | null; src: number }>(
  'calendar_all',
  () => sql`select day::text as day, kind::text as kind, 0 as src from calendar_days
        union all select day::text, kind::text, 1 from calendar_overrides
        union all select min(day)::text, max(day)::text, 2 from calendar_days`,
);

/**
 * Every holiday and make-up workday (overrides win) and the seeded years: a few hundred rows, read once per database
 * and kept for 2 s (seedCalendar(), setOverride() and removeOverride() clear it in this process).
 */
const calendarCache = readCache<{ special: Map<string, DayKind>; covered: { from: number; to: number } | null }>(2_000);
const wholeCalendar = (db: Db) =>
  calendarCache.get(db, async () => {
    const rows = await calendarRows(db, {});
    const special = new Map<string, DayKind>();
    let covered: { from: number; to: number } | null = null;
    for (const r of rows.filter((x) => x.src === 0).concat(rows.filter((x) => x.src === 1))) special.set(r.day!, r.kind as DayKind);
    const cov = rows.find((x) => x.src === 2);
    if (cov?.day && cov.kind) covered = { from: Number(cov.day.slice(0, 4)), to: Number(cov.kind.slice(0, 4)) };
    return { special, covered };
  });

/**
 * Adds n working days to a business date; the start day is not counted (期间开始之日不计算在内).
 * When the result falls outside the seeded years (and no override covers it), beyondCoverage is true.
 */
export async function addWorkingDays(db: Db, start: string, n: number): Promise<WorkingDayResult> {
  return (await addWorkingDaysMany(db, start, [n]))[0]!;
}

/** addWorkingDays() for several day counts from one start, with one query. */
export async function addWorkingDaysMany(db: Db, start: string, ns: number[]): Promise<WorkingDayResult[]> {
  const t0 = parse(start);
  const { special, covered } = await wholeCalendar(db);
  return ns.map((n) => {
    let t = t0;
    let left = Math.abs(n);
    const step = n >= 0 ? DAY_MS : -DAY_MS;
    while (left > 0) {
      t += step;
      if (isWorkdayIn(special, t)) left -= 1;
    }
    const year = new Date(t).getUTCFullYear();
    return { date: fmt(t), beyondCoverage: !covered || year > covered.to || year < covered.from };
  });
}

export async function isWorkday(db: Db, day: string): Promise<boolean> {
  const t = parse(day);
  return isWorkdayIn((await wholeCalendar(db)).special, t);
}

export type CalendarItem = { date: string; kind: DayKind; name: string | null; source: 'seed' | 'override'; note: string | null };

export async function calendarYear(db: Db, year: number): Promise<{ coveredFrom: number; coveredTo: number; items: CalendarItem[] }> {
  const from = `${year}-01-01`;
  const to = `${year}-12-31`;
  const seeded = await db
    .select()
    .from(calendarDays)
    .where(and(gte(calendarDays.day, from), lte(calendarDays.day, to)))
    .orderBy(asc(calendarDays.day));
  const overrides = await db
    .select()
    .from(calendarOverrides)
    .where(and(gte(calendarOverrides.day, from), lte(calendarOverrides.day, to)));
  const items = new Map<string, CalendarItem>();
  for (const r of seeded) items.set(r.day, { date: r.day, kind: r.kind, name: r.name, source: 'seed', note: null });
  for (const r of overrides) items.set(r.day, { date: r.day, kind: r.kind, name: items.get(r.day)?.name ?? null, source: 'override', note: r.note });
  const cov = (await coveredYears(db)) ?? { from: 0, to: 0 };
  return { coveredFrom: cov.from, coveredTo: cov.to, items: [...items.values()].sort((a, b) => a.date.localeCompare(b.date)) };
}

/** An admin decides a day is a holiday or a workday (e.g. next year's State Council notice before the package has it). */
export async function setOverride(db: Db, actor: Actor, day: string, kind: DayKind, note: string | null): Promise<CalendarItem> {
  parse(day);
  calendarCache.clear(db);
  const before = await db.select().from(calendarOverrides).where(eq(calendarOverrides.day, day));
  await db
    .insert(calendarOverrides)
    .values({ day, kind, note, updatedBy: actor.username, updatedAt: new Date() })
    .onConflictDoUpdate({ target: calendarOverrides.day, set: { kind, note, updatedBy: actor.username, updatedAt: new Date() } });
  await recordAudit(db, actor, { action: 'calendar.override', entity: 'calendar_day', entityId: day, before: before[0] ?? null, after: { day, kind, note } });
  return { date: day, kind, name: null, source: 'override', note };
}

export async function removeOverride(db: Db, actor: Actor, day: string): Promise<void> {
  parse(day);
  calendarCache.clear(db);
  const gone = await db.delete(calendarOverrides).where(eq(calendarOverrides.day, day)).returning();
  if (!gone[0]) throw new DomainError(CalendarErrors.CALENDAR_OVERRIDE_NOT_FOUND, { date: day });
  await recordAudit(db, actor, { action: 'calendar.override.remove', entity: 'calendar_day', entityId: day, before: gone[0], after: null });
}
