import { defineMachine } from '../../platform/state-machine.js';
import type { PickStatus } from './logistics.tables.js';

export type PickEvent = 'confirm' | 'cancel';

/** A pick list is open until it is confirmed (stock issued, backorders recorded) or cancelled. */
export const pickListMachine = defineMachine<PickStatus, PickEvent>({
  entity: 'pick_list',
  states: ['open', 'confirmed', 'cancelled'],
  initial: 'open',
  terminal: ['confirmed', 'cancelled'],
  events: {
    confirm: { from: ['open'], to: 'confirmed' },
    cancel: { from: ['open'], to: 'cancelled' },
  },
});
