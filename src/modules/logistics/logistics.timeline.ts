import { asc, eq, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.js';
import { historyOf } from '../../platform/state-machine.js';
import { carrierContracts, deliveryChoices, pickLists, shipments } from './logistics.tables.js';

export type OrderLogisticsEvent = {
  at: Date;
  kind: string;
  stage: 'picking' | 'packing' | 'shipping' | 'temperature' | 'delivery';
  ref: string;
  refId: string;
  detail: string | null;
};
export type OrderLogistics = {
  events: OrderLogisticsEvent[];
  /** The latest shipment's dispatch time and its contract's transit days, when known. */
  dispatchedAt: Date | null;
  transitDays: number | null;
  deliveredAt: Date | null;
  /** The arrival date of the chosen delivery option (before dispatch). */
  plannedArrivalDate: string | null;
};

const SHIPMENT_STAGE: Record<string, OrderLogisticsEvent['stage']> = { packing: 'packing', checked: 'packing', dispatched: 'shipping', delivered: 'delivery', failed: 'delivery' };

/** An order's pick lists, shipments (with their state history) and temperature excursions, read-only for the order timeline. */
export async function orderLogistics(db: Db, orderId: string): Promise<OrderLogistics> {
  const events: OrderLogisticsEvent[] = [];
  const picks = await db
    .select()
    .from(pickLists)
    .where(sql`${orderId}::uuid = any(${pickLists.orderIds})`)
    .orderBy(asc(pickLists.createdAt));
  for (const p of picks) {
    events.push({ at: p.createdAt, kind: 'pick_list.created', stage: 'picking', ref: p.number, refId: p.id, detail: null });
    if (p.confirmedAt) events.push({ at: p.confirmedAt, kind: 'pick_list.confirmed', stage: 'picking', ref: p.number, refId: p.id, detail: p.confirmedBy });
  }
  const ships = await db
    .select({ s: shipments, transitDays: carrierContracts.transitDays })
    .from(shipments)
    .leftJoin(carrierContracts, eq(carrierContracts.id, shipments.contractId))
    .where(eq(shipments.orderId, orderId))
    .orderBy(asc(shipments.createdAt));
  for (const { s } of ships) {
    for (const h of await historyOf(db, 'shipment', s.id)) {
      events.push({ at: h.at, kind: `shipment.${h.toState}`, stage: SHIPMENT_STAGE[h.toState] ?? 'shipping', ref: s.number, refId: s.id, detail: h.reason ?? s.carrierName });
    }
    if (s.excursion)
      events.push({ at: s.updatedAt, kind: 'shipment.excursion', stage: 'temperature', ref: s.number, refId: s.id, detail: `${s.tempMinC ?? ''}–${s.tempMaxC ?? ''} °C` });
  }
  const last = ships.at(-1);
  const [choice] = await db.select({ arrivalDate: deliveryChoices.arrivalDate }).from(deliveryChoices).where(eq(deliveryChoices.orderId, orderId));
  return {
    events,
    dispatchedAt: last?.s.dispatchedAt ?? null,
    transitDays: last?.transitDays ?? null,
    deliveredAt: last?.s.deliveredAt ?? null,
    plannedArrivalDate: choice?.arrivalDate ?? null,
  };
}
