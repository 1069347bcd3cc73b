import type { Actor } from '../../platform/auth/actor.js';
import type { Db } from '../../platform/db/client.js';

export type LotEventType = 'lot.created' | 'lot.status' | 'stock.received' | 'stock.issued' | 'stock.moved';

/** What inventory tells listeners (the trace module) inside the transaction that made the change. */
export type LotEventPayload = {
  type: LotEventType;
  lotId: string;
  productId: string;
  at: Date;
  db: Db;
  actor: Actor;
  ledgerId?: string;
  locationId?: string;
  fromLocationId?: string;
  toLocationId?: string;
  warehouseId?: string;
  quantity?: string;
  unit?: string;
  fromStatus?: string;
  toStatus?: string;
  reason?: string | null;
  refType?: string | null;
  refId?: string | null;
};

export type LotEventListener = (event: LotEventPayload) => Promise<void> | void;

const listeners: LotEventListener[] = [];

/** Registers a listener called inside the same transaction for every lot event; returns an unsubscribe function. */
export function onLotEvent(listener: LotEventListener): () => void {
  listeners.push(listener);
  return () => {
    const i = listeners.indexOf(listener);
    if (i >= 0) listeners.splice(i, 1);
  };
}

export async function emitLotEvent(event: LotEventPayload): Promise<void> {
  for (const l of listeners) await l(event);
}

/** A check another module adds to lot-status moves (e.g. quality: a harvest lot's field must have valid source checks to be released). Throws a DomainError to refuse. */
export type LotStatusGuard = (db: Db, lot: { id: string; productId: string; fromStatus: string }, event: string) => Promise<void>;

const statusGuards: LotStatusGuard[] = [];

/** Registers a guard run by changeLotStatus on every path (QC endpoint, quality module, recall) before the move. */
export function registerLotStatusGuard(guard: LotStatusGuard): void {
  statusGuards.push(guard);
}

export async function runLotStatusGuards(db: Db, lot: { id: string; productId: string; fromStatus: string }, event: string): Promise<void> {
  for (const g of statusGuards) await g(db, lot, event);
}
