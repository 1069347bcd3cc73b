import { defineMachine } from '../../platform/state-machine.js';
import type { PickStatus, ShipmentStatus } from './logistics.tables.js';

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

export type ShipmentEvent = 'pass_check' | 'repack' | 'dispatch' | 'deliver' | 'fail';

/** A shipment is packed, passes its pre-dispatch check, leaves, and is delivered or fails; repacking needs a new check. */
export const shipmentMachine = defineMachine<ShipmentStatus, ShipmentEvent>({
  entity: 'shipment',
  states: ['packing', 'checked', 'dispatched', 'delivered', 'failed'],
  initial: 'packing',
  terminal: ['delivered', 'failed'],
  events: {
    pass_check: { from: ['packing'], to: 'checked' },
    repack: { from: ['checked'], to: 'packing' },
    dispatch: { from: ['checked'], to: 'dispatched' },
    deliver: { from: ['dispatched'], to: 'delivered' },
    fail: { from: ['dispatched'], to: 'failed' },
  },
});
