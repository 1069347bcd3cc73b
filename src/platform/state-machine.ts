import { and, asc, eq, type SQL } from 'drizzle-orm';
import type { Actor } from './auth/actor.js';
import { insertRowsSql, rowValues, type Db } from './db/client.js';
import { DomainError, defineErrors } from './errors/domain-error.js';
import { clock } from './clock.js';
import { stateHistory } from './platform.tables.js';

export const StateErrors = defineErrors({
  INVALID_TRANSITION: { status: 409, zh: '{entity} 当前状态为 {from},不能执行「{event}」。', en: '{entity} is {from}; "{event}" is not allowed.' },
});

/** A lifecycle as data: states, and for each event the states it may start from and the state it leads to. */
export type Machine<S extends string, E extends string> = {
  entity: string;
  states: readonly S[];
  initial: S;
  terminal: readonly S[];
  events: Record<E, { from: readonly S[]; to: S }>;
};

export function defineMachine<S extends string, E extends string>(m: Machine<S, E>): Machine<S, E> {
  return m;
}

export function canTransition<S extends string, E extends string>(m: Machine<S, E>, from: S, event: E): boolean {
  return m.events[event].from.includes(from);
}

export type Guard = () => Promise<string | null> | string | null;

/**
 * Applies an event inside the caller's transaction: checks the table, runs the guard (which returns an
 * error code or null), writes a history row (from, to, actor, reason, at) and returns the new state.
 * The caller updates its own row, conditioned on the old state.
 */
export async function transition<S extends string, E extends string>(
  db: Db,
  actor: Actor,
  m: Machine<S, E>,
  args: { id: string; from: S; event: E; reason?: string | null; guard?: Guard; data?: unknown },
): Promise<S> {
  const def = m.events[args.event];
  if (!def || !def.from.includes(args.from)) throw new DomainError(StateErrors.INVALID_TRANSITION, { entity: m.entity, from: args.from, event: args.event });
  if (args.guard) {
    const code = await args.guard();
    if (code) throw new DomainError(code, { from: args.from, event: args.event });
  }
  await db.insert(stateHistory).values({
    entity: m.entity,
    entityId: args.id,
    fromState: args.from,
    toState: def.to,
    event: args.event,
    actorId: actor.userId,
    actorName: actor.username,
    reason: args.reason ?? null,
    data: args.data ?? null,
    at: clock.now(),
  });
  return def.to;
}

/** Records the creation of an entity in its initial state. */
export async function recordInitialState<S extends string, E extends string>(
  db: Db,
  actor: Actor,
  m: Machine<S, E>,
  id: string,
  state: S = m.initial,
  reason?: string,
): Promise<void> {
  await db.insert(stateHistory).values({
    entity: m.entity,
    entityId: id,
    fromState: null,
    toState: state,
    event: 'create',
    actorId: actor.userId,
    actorName: actor.username,
    reason: reason ?? null,
    at: clock.now(),
  });
}

/**
 * A chain of events applied at once from a state (e.g. create → submit → auto_approve): checks each step against the
 * table and returns the history rows, for a caller that writes them with one INSERT (historyInsert).
 */
export function planTransitions<S extends string, E extends string>(
  m: Machine<S, E>,
  id: string,
  from: S | null,
  steps: { event: E | 'create'; actor: Actor; reason?: string | null; data?: unknown }[],
  at: Date,
): (typeof stateHistory.$inferInsert)[] {
  let state = from;
  return steps.map((s) => {
    let to: S;
    if (s.event === 'create') {
      if (state !== null) throw new DomainError(StateErrors.INVALID_TRANSITION, { entity: m.entity, from: state, event: 'create' });
      to = m.initial;
    } else {
      const def = m.events[s.event];
      if (!def || state === null || !def.from.includes(state)) throw new DomainError(StateErrors.INVALID_TRANSITION, { entity: m.entity, from: state ?? '-', event: s.event });
      to = def.to;
    }
    const row = {
      entity: m.entity,
      entityId: id,
      fromState: state,
      toState: to,
      event: s.event,
      actorId: s.actor.userId,
      actorName: s.actor.username,
      reason: s.reason ?? null,
      data: s.data ?? null,
      at,
    };
    state = to;
    return row;
  });
}

/** Writes history rows planned by planTransitions() (the order writer's new orders). */
export async function recordTransitions(db: Db, rows: (typeof stateHistory.$inferInsert)[]): Promise<void> {
  if (rows.length) await db.insert(stateHistory).values(rows);
}

/** The INSERT of planned history rows for a statement() template (placeholders `<name>.*`, filled by historyRowValues()). */
export function historyRowsSql(name: string): SQL {
  return insertRowsSql(stateHistory, name, { omit: ['seq'] });
}

export function historyRowValues(name: string, rows: (typeof stateHistory.$inferInsert)[]): Record<string, unknown[]> {
  return rowValues(stateHistory, name, rows, { omit: ['seq'] });
}

export async function historyOf(db: Db, entity: string, id: string) {
  return db
    .select()
    .from(stateHistory)
    .where(and(eq(stateHistory.entity, entity), eq(stateHistory.entityId, id)))
    .orderBy(asc(stateHistory.at), asc(stateHistory.seq));
}

/** Structural checks used by each module's state-table tests: every state reachable, only terminal states are dead ends. */
export function machineProblems<S extends string, E extends string>(m: Machine<S, E>): string[] {
  const problems: string[] = [];
  const reach = new Set<S>([m.initial]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const e of Object.values(m.events) as { from: readonly S[]; to: S }[]) {
      if (e.from.some((f) => reach.has(f)) && !reach.has(e.to)) {
        reach.add(e.to);
        grew = true;
      }
    }
  }
  for (const s of m.states) {
    if (!reach.has(s)) problems.push(`${s} is unreachable`);
    const out = (Object.values(m.events) as { from: readonly S[] }[]).some((e) => e.from.includes(s));
    if (!out && !m.terminal.includes(s)) problems.push(`${s} is a dead end but not terminal`);
    if (out && m.terminal.includes(s)) problems.push(`${s} is terminal but has outgoing events`);
  }
  return problems;
}
