import { defineMachine } from '../../platform/state-machine.js';
import type { LotStatus, StocktakeStatus } from './inventory.tables.js';

export type LotEvent = 'release' | 'hold' | 'reject';

/** Lot quality status: only this machine changes it; every move has a reason and a history row. */
export const lotMachine = defineMachine<LotStatus, LotEvent>({
  entity: 'lot',
  states: ['quarantined', 'released', 'on_hold', 'rejected'],
  initial: 'quarantined',
  terminal: ['rejected'],
  events: {
    release: { from: ['quarantined', 'on_hold'], to: 'released' },
    hold: { from: ['quarantined', 'released'], to: 'on_hold' },
    reject: { from: ['quarantined', 'on_hold'], to: 'rejected' },
  },
});

export type StocktakeEvent = 'submit' | 'approve' | 'cancel';

export const stocktakeMachine = defineMachine<StocktakeStatus, StocktakeEvent>({
  entity: 'stocktake',
  states: ['counting', 'submitted', 'approved', 'cancelled'],
  initial: 'counting',
  terminal: ['approved', 'cancelled'],
  events: {
    submit: { from: ['counting'], to: 'submitted' },
    approve: { from: ['submitted'], to: 'approved' },
    cancel: { from: ['counting', 'submitted'], to: 'cancelled' },
  },
});
