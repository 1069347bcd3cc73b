import { defineMachine } from '../../platform/state-machine.js';
import type { CustomerStatus } from './customers.tables.js';

export type CustomerEvent = 'activate' | 'suspend' | 'reinstate';

/** A prospect becomes active once vetted; active customers may be suspended (with a reason) and reinstated. */
export const customerMachine = defineMachine<CustomerStatus, CustomerEvent>({
  entity: 'customer',
  states: ['prospect', 'active', 'suspended'],
  initial: 'prospect',
  terminal: [],
  events: {
    activate: { from: ['prospect'], to: 'active' },
    suspend: { from: ['prospect', 'active'], to: 'suspended' },
    reinstate: { from: ['suspended'], to: 'active' },
  },
});
