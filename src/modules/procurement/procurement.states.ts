import { defineMachine } from '../../platform/state-machine.js';
import type { PoStatus, SupplierStatus } from './procurement.tables.js';

export type SupplierEvent = 'approve' | 'suspend' | 'reinstate';

/** A supplier is pending until a manager approves it (with valid documents); approved suppliers may be suspended and reinstated. */
export const supplierMachine = defineMachine<SupplierStatus, SupplierEvent>({
  entity: 'supplier',
  states: ['pending', 'approved', 'suspended'],
  initial: 'pending',
  terminal: [],
  events: {
    approve: { from: ['pending'], to: 'approved' },
    suspend: { from: ['pending', 'approved'], to: 'suspended' },
    reinstate: { from: ['suspended'], to: 'approved' },
  },
});

export type PoEvent = 'send' | 'receive_part' | 'receive_all' | 'cancel';

/** draft → sent → partially received → received; a draft or a sent order (nothing received yet) may be cancelled. */
export const poMachine = defineMachine<PoStatus, PoEvent>({
  entity: 'purchase_order',
  states: ['draft', 'sent', 'partially_received', 'received', 'cancelled'],
  initial: 'draft',
  terminal: ['received', 'cancelled'],
  events: {
    send: { from: ['draft'], to: 'sent' },
    receive_part: { from: ['sent', 'partially_received'], to: 'partially_received' },
    receive_all: { from: ['sent', 'partially_received'], to: 'received' },
    cancel: { from: ['draft', 'sent'], to: 'cancelled' },
  },
});
