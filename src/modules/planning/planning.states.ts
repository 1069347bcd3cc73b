import { defineMachine } from '../../platform/state-machine.js';
import type { PlanStatus, TaskStatus } from './planning.tables.js';

export type PlanEvent = 'confirm' | 'start' | 'complete' | 'cancel';

/** draft → confirmed (capacity checked) → in progress (first task started) → completed; draft or confirmed may be cancelled. */
export const planMachine = defineMachine<PlanStatus, PlanEvent>({
  entity: 'production_plan',
  states: ['draft', 'confirmed', 'in_progress', 'completed', 'cancelled'],
  initial: 'draft',
  terminal: ['completed', 'cancelled'],
  events: {
    confirm: { from: ['draft'], to: 'confirmed' },
    start: { from: ['confirmed'], to: 'in_progress' },
    complete: { from: ['confirmed', 'in_progress'], to: 'completed' },
    cancel: { from: ['draft', 'confirmed'], to: 'cancelled' },
  },
});

export type TaskEvent = 'start' | 'block' | 'unblock' | 'complete' | 'cancel';

/** A task is started before it is completed; a blocked task (a problem reported) goes back to in progress when unblocked. */
export const taskMachine = defineMachine<TaskStatus, TaskEvent>({
  entity: 'production_task',
  states: ['open', 'in_progress', 'blocked', 'done', 'cancelled'],
  initial: 'open',
  terminal: ['done', 'cancelled'],
  events: {
    start: { from: ['open'], to: 'in_progress' },
    block: { from: ['open', 'in_progress'], to: 'blocked' },
    unblock: { from: ['blocked'], to: 'in_progress' },
    complete: { from: ['in_progress'], to: 'done' },
    cancel: { from: ['open', 'in_progress', 'blocked'], to: 'cancelled' },
  },
});
