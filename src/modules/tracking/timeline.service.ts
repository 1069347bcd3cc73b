import type { Actor } from '../../platform/auth/actor.js';
import { businessDate, businessTime } from '../../platform/clock.js';
import type { Db } from '../../platform/db/client.js';
import { pick } from '../../platform/i18n/locale.js';
import { historyOf } from '../../platform/state-machine.js';
import { orderLogistics } from '../logistics/index.js';
import { getOrder } from '../orders/index.js';
import { exceptionsOfOrder, TYPE_NAMES } from './exceptions.service.js';

export type TimelineEvent = { at: Date; localTime: string; stage: string; kind: string; title: string; detail: string | null; refId: string | null };
export type OrderTimeline = {
  orderId: string;
  orderNumber: string;
  status: string;
  timeZone: 'Asia/Shanghai';
  currentStage: string;
  expectedDeliveryDate: string | null;
  expectedDeliveryBasis: 'delivered' | 'shipment_transit' | 'delivery_choice' | 'requested_date' | 'unknown';
  events: TimelineEvent[];
};

const ORDER_STAGE: Record<string, string> = {
  draft: 'review',
  needs_confirmation: 'review',
  submitted: 'review',
  in_review: 'review',
  approved: 'planning',
  rejected: 'closed',
  cancelled: 'closed',
  in_production: 'processing',
  ready: 'picking',
  shipped: 'shipping',
  delivered: 'delivery',
  completed: 'delivery',
};

const addDays = (day: string, n: number): string => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

/**
 * One order's timeline: its status history, its pick lists and shipments (logistics) and its exceptions, oldest first,
 * each with the instant (UTC) and the same instant in Asia/Shanghai. The expected delivery date is the delivery itself,
 * else the shipment's dispatch day plus the carrier contract's transit days (calendar days, as logistics quotes them),
 * else the chosen delivery option's arrival date, else the requested delivery date.
 */
export async function orderTimeline(db: Db, actor: Actor, orderId: string): Promise<OrderTimeline> {
  const order = await getOrder(db, actor, orderId);
  const events: TimelineEvent[] = [];
  for (const h of await historyOf(db, 'order', orderId)) {
    events.push({
      at: h.at,
      localTime: businessTime(h.at),
      stage: ORDER_STAGE[h.toState] ?? 'review',
      kind: `order.${h.event}`,
      title: h.fromState ? `${h.fromState} → ${h.toState}` : h.toState,
      detail: h.reason ?? h.actorName,
      refId: orderId,
    });
  }
  const logistics = await orderLogistics(db, orderId);
  for (const e of logistics.events) events.push({ at: e.at, localTime: businessTime(e.at), stage: e.stage, kind: e.kind, title: e.ref, detail: e.detail, refId: e.refId });
  for (const x of await exceptionsOfOrder(db, orderId)) {
    const label = pick(TYPE_NAMES[x.type], actor.locale);
    events.push({
      at: x.createdAt,
      localTime: businessTime(x.createdAt),
      stage: 'exception',
      kind: 'exception.opened',
      title: `${x.number} ${label}`,
      detail: x.title,
      refId: x.id,
    });
    if (x.resolvedAt)
      events.push({ at: x.resolvedAt, localTime: businessTime(x.resolvedAt), stage: 'exception', kind: 'exception.resolved', title: x.number, detail: x.resolution, refId: x.id });
  }
  events.sort((a, b) => a.at.getTime() - b.at.getTime());

  let currentStage = ORDER_STAGE[order.status] ?? 'review';
  const lastLogistics = logistics.events.filter((e) => e.stage !== 'temperature').at(-1);
  if (lastLogistics && (order.status === 'ready' || order.status === 'in_production' || order.status === 'approved')) currentStage = lastLogistics.stage;

  let expectedDeliveryDate: string | null = null;
  let expectedDeliveryBasis: OrderTimeline['expectedDeliveryBasis'] = 'unknown';
  if (logistics.deliveredAt) {
    expectedDeliveryDate = businessDate(logistics.deliveredAt);
    expectedDeliveryBasis = 'delivered';
  } else if (logistics.dispatchedAt && logistics.transitDays !== null) {
    expectedDeliveryDate = addDays(businessDate(logistics.dispatchedAt), logistics.transitDays);
    expectedDeliveryBasis = 'shipment_transit';
  } else if (logistics.plannedArrivalDate) {
    expectedDeliveryDate = logistics.plannedArrivalDate;
    expectedDeliveryBasis = 'delivery_choice';
  } else if (order.deliveryDate) {
    expectedDeliveryDate = order.deliveryDate;
    expectedDeliveryBasis = 'requested_date';
  }
  return { orderId, orderNumber: order.number, status: order.status, timeZone: 'Asia/Shanghai', currentStage, expectedDeliveryDate, expectedDeliveryBasis, events };
}
