import { defineMachine } from '../../platform/state-machine.js';
import type { recalls } from './trace.tables.js';

export type RecallStatus = (typeof recalls.$inferSelect)['status'];
export type RecallEvent = 'execute';

/** A recall is drafted (its impact computed) and executed once: lots held, events recorded, customers notified. */
export const recallMachine = defineMachine<RecallStatus, RecallEvent>({
  entity: 'recall',
  states: ['draft', 'executed'],
  initial: 'draft',
  terminal: ['executed'],
  events: {
    execute: { from: ['draft'], to: 'executed' },
  },
});
