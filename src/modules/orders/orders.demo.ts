import { inArray } from 'drizzle-orm';
import { SYSTEM_ACTOR, type Actor } from '../../platform/auth/actor.js';
import { businessDate, clock } from '../../platform/clock.js';
import type { Db } from '../../platform/db/client.js';
import { newId } from '../../platform/db/columns.js';
import { nextDocNumber } from '../../platform/docnum.js';
import { pii, sealedName } from '../../platform/crypto/pii.js';
import { stateHistory, users } from '../../platform/platform.tables.js';
import { Q } from '../../platform/quantity.js';
import { customerAddressList, effectivePrice, getCustomer, getProducts, listProductIds, searchCustomers, type CustomerInfo, type ProductInfo } from './deps.js';
import { createAndSubmit, createOrder } from './orders.service.js';
import { inquiries, orderLines, orderReviewResults, orderReviewRuns, orders, type InquiryChannel, type OrderStatus } from './orders.tables.js';
import { RULES } from './review.rules.js';

/** Deterministic pseudo-random numbers so the demo is the same every time. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Orders per day by month: peaks before the Spring Festival, Mid-Autumn and the autumn harvest. */
const MONTH_WEIGHT = [1.6, 1.3, 0.7, 0.8, 0.9, 1.0, 1.0, 1.1, 1.5, 1.4, 1.2, 1.5];
const CHANNELS = ['phone', 'phone', 'phone', 'wechat', 'email', 'online', 'visit'] as const;

const addDays = (day: string, n: number): string => {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
};

/** A year of seasonal orders (history written in bulk), a few live orders through the real review, and open inquiries. */
export async function seedOrdersDemo(db: Db): Promise<void> {
  const rand = rng(20261127);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const now = clock.now();
  const today = businessDate(now);
  const staff = await db
    .select({ id: users.id, username: users.username })
    .from(users)
    .where(inArray(users.username, ['sales', 'manager']));
  const salesUser = staff.find((u) => u.username === 'sales');
  const actor: Actor = salesUser ? { ...SYSTEM_ACTOR, userId: salesUser.id, username: 'sales', roles: ['sales'] } : SYSTEM_ACTOR;

  const summaries = await searchCustomers(db, SYSTEM_ACTOR, '');
  const customers: CustomerInfo[] = [];
  for (const s of summaries) {
    const c = await getCustomer(db, s.id);
    if (c && c.status === 'active') customers.push(c);
  }
  const productMap = await getProducts(db, await listProductIds(db, { kind: 'produce', active: true }));
  const products = [...productMap.values()];
  if (!customers.length || !products.length) return;
  const addressOf = new Map<string, { id: string; regionCode: string } | null>();
  for (const c of customers) {
    const list = await customerAddressList(db, SYSTEM_ACTOR, c.id);
    const a = list.find((x) => x.isDefault) ?? list[0];
    addressOf.set(c.id, a ? { id: a.id, regionCode: a.regionCode } : null);
  }
  const priceCache = new Map<string, number | null>();
  async function price(c: CustomerInfo, p: ProductInfo, unit: string, quantity: string, date: string): Promise<number | null> {
    const key = `${c.id}|${p.id}|${unit}`;
    // Today's price lists stand in for the year (their validity may start later).
    if (!priceCache.has(key))
      priceCache.set(key, (await effectivePrice(db, { customerId: c.id, customerGroup: c.group, productId: p.id, unit, quantity, date: today }))?.unitPriceFen ?? null);
    void date;
    return priceCache.get(key)!;
  }

  // ---- a year of history, written in bulk
  const orderRows: (typeof orders.$inferInsert)[] = [];
  const lineRows: (typeof orderLines.$inferInsert)[] = [];
  const historyRows: (typeof stateHistory.$inferInsert)[] = [];
  const runRows: (typeof orderReviewRuns.$inferInsert)[] = [];
  const resultRows: (typeof orderReviewResults.$inferInsert)[] = [];
  for (let back = 365; back >= 8; back--) {
    const day = addDays(today, -back);
    const month = Number(day.slice(5, 7));
    const expected = 0.95 * MONTH_WEIGHT[month - 1]!;
    const n = Math.floor(expected) + (rand() < expected % 1 ? 1 : 0);
    for (let i = 0; i < n; i++) {
      const c = customers[Math.floor(Math.pow(rand(), 1.5) * customers.length)]!;
      const inSeason = products.filter((p) => !p.seasonMonths.length || p.seasonMonths.includes(month));
      if (!inSeason.length) continue;
      const id = newId();
      const createdAt = new Date(`${day}T${String(8 + Math.floor(rand() * 9)).padStart(2, '0')}:${String(Math.floor(rand() * 60)).padStart(2, '0')}:00+08:00`);
      const delivery = addDays(day, 2 + Math.floor(rand() * 3));
      const lines: (typeof orderLines.$inferInsert)[] = [];
      const used = new Set<string>();
      const count = 1 + Math.floor(rand() * 3);
      for (let k = 0; k < count; k++) {
        const p = pick(inSeason);
        if (used.has(p.id)) continue;
        used.add(p.id);
        const unit = p.units.find((u) => u.sellable && u.unit !== p.baseUnit) ?? { unit: p.baseUnit, factorToBase: '1', sellable: true };
        const quantity = String(5 + Math.floor(rand() * 60));
        const unitPriceFen = await price(c, p, unit.unit, quantity, day);
        if (unitPriceFen === null) continue;
        lines.push({
          id: newId(),
          orderId: id,
          orderCreatedAt: createdAt,
          lineNo: lines.length + 1,
          productId: p.id,
          spec: p.spec,
          quantity: new Q(quantity).toFixed(3),
          unit: unit.unit,
          baseQuantity: new Q(quantity).mul(unit.factorToBase).toFixed(3),
          unitPriceFen,
          listPriceFen: unitPriceFen,
          amountFen: new Q(quantity).mul(unitPriceFen).toDecimalPlaces(0).toNumber(),
        });
      }
      if (!lines.length) continue;
      const r = rand();
      const status: OrderStatus = r < 0.05 ? 'cancelled' : r < 0.09 ? 'rejected' : 'completed';
      const address = addressOf.get(c.id) ?? null;
      orderRows.push({
        id,
        number: await nextDocNumber(db, 'SO', createdAt),
        customerId: c.id,
        customerCode: c.code,
        customerName: c.name,
        customerNameEnc: c.nameEnc,
        addressId: address?.id ?? null,
        deliveryRegion: address?.regionCode ?? c.regionCode,
        deliveryDate: delivery,
        coldChain: lines.some((l) => productMap.get(l.productId!)?.coldChain),
        paymentTermsDays: c.paymentTermsDays,
        channel: pick(CHANNELS),
        salesOwnerId: c.salesOwnerId ?? salesUser?.id ?? null,
        status,
        statusReason: status === 'cancelled' ? '客户取消 / cancelled by the customer' : status === 'rejected' ? '超出信用额度 / over the credit limit' : null,
        totalFen: lines.reduce((s, l) => s + (l.amountFen ?? 0), 0),
        createdBy: salesUser?.id ?? null,
        createdAt,
        updatedAt: createdAt,
        submittedAt: createdAt,
        approvedAt: status === 'rejected' ? null : createdAt,
      });
      lineRows.push(...lines);
      const runId = newId();
      runRows.push({ id: runId, orderId: id, trigger: 'submit', outcome: status === 'rejected' ? 'in_review' : 'approved', actorName: 'system', at: createdAt });
      for (const rule of RULES) {
        const failCredit = status === 'rejected' && rule === 'credit';
        resultRows.push({
          id: newId(),
          runId,
          orderId: id,
          rule,
          outcome: failCredit ? 'fail' : 'pass',
          code: failCredit ? 'CREDIT_LIMIT_EXCEEDED' : rule === 'new_customer' ? 'CUSTOMER_KNOWN' : `${rule.toUpperCase()}_OK`,
          details: {},
        });
      }
      orderRows[orderRows.length - 1]!.lastReviewRunId = runId;
      const steps: [string | null, string, string, number][] =
        status === 'rejected'
          ? [
              [null, 'draft', 'create', 0],
              ['draft', 'submitted', 'submit', 1],
              ['submitted', 'in_review', 'send_to_review', 1],
              ['in_review', 'rejected', 'reject', 3_600_000],
            ]
          : [
              [null, 'draft', 'create', 0],
              ['draft', 'submitted', 'submit', 1],
              ['submitted', 'approved', 'auto_approve', 1],
              ...(status === 'cancelled'
                ? ([['approved', 'cancelled', 'cancel', 7_200_000]] as [string, string, string, number][])
                : ([
                    ['approved', 'ready', 'mark_ready', 86_400_000],
                    ['ready', 'shipped', 'ship', 1.5 * 86_400_000],
                    ['shipped', 'delivered', 'deliver', 2.5 * 86_400_000],
                    ['delivered', 'completed', 'complete', 3 * 86_400_000],
                  ] as [string, string, string, number][])),
            ];
      for (const [from, to, event, ms] of steps) {
        historyRows.push({
          entity: 'order',
          entityId: id,
          fromState: from,
          toState: to,
          event,
          actorId: null,
          actorName: event === 'auto_approve' ? 'system' : 'sales',
          reason: to === 'cancelled' || to === 'rejected' ? orderRows[orderRows.length - 1]!.statusReason : null,
          at: new Date(createdAt.getTime() + ms),
        });
      }
    }
  }
  const chunk = async <T>(rows: T[], size: number, fn: (part: T[]) => Promise<unknown>) => {
    for (let i = 0; i < rows.length; i += size) await fn(rows.slice(i, i + size));
  };
  await chunk(orderRows, 500, (p) => db.insert(orders).values(p));
  await chunk(lineRows, 1000, (p) => db.insert(orderLines).values(p));
  await chunk(runRows, 1000, (p) => db.insert(orderReviewRuns).values(p));
  await chunk(resultRows, 2000, (p) => db.insert(orderReviewResults).values(p));
  await chunk(historyRows, 2000, (p) => db.insert(stateHistory).values(p));

  // ---- this week's orders through the real services (review engine, reservations)
  const soon = addDays(today, 3);
  const month = Number(soon.slice(5, 7));
  const live = products.filter((p) => !p.seasonMonths.length || p.seasonMonths.includes(month));
  for (let i = 0; i < 10 && live.length; i++) {
    const c = customers[i % customers.length]!;
    const p = live[i % live.length]!;
    const unit = p.units.find((u) => u.sellable && u.unit !== p.baseUnit)?.unit ?? p.baseUnit;
    const address = addressOf.get(c.id) ?? null;
    const input = {
      customerId: c.id,
      addressId: address?.id ?? null,
      deliveryDate: addDays(today, 2 + (i % 4)),
      channel: pick(CHANNELS),
      lines: [{ productId: p.id, quantity: String(2 + (i % 5)), unit }],
    };
    // Submitted ones lock the customer first, as every order path does (docs/decisions/0004).
    if (i < 8) await createAndSubmit(db, actor, input);
    else await createOrder(db, actor, input);
  }

  // ---- inquiries: the year's closed ones and a handful still open
  const inquiryRows: (typeof inquiries.$inferInsert)[] = [];
  for (let i = 0; i < 48; i++) {
    const back = i < 10 ? Math.floor(rand() * 6) : 10 + Math.floor(rand() * 350);
    const receivedAt = new Date(`${addDays(today, -back)}T09:${String(10 + (i % 50)).padStart(2, '0')}:00+08:00`);
    const p = pick(products);
    const prospect = rand() < 0.3;
    const c = pick(customers);
    const status = i < 10 ? (i % 3 === 0 ? 'quoted' : 'open') : rand() < 0.55 ? 'converted' : 'lost';
    const phone = `139${String(10_000_000 + i * 7919).slice(0, 8)}`;
    const name = prospect ? sealedName(pick(['城南农贸王老板', '鲜果工坊', '学校食堂采购', '社区团购团长', '新开川菜馆']), true) : null;
    inquiryRows.push({
      number: await nextDocNumber(db, 'IQ', receivedAt),
      channel: pick(['phone', 'phone', 'wechat', 'email', 'online', 'visit'] as InquiryChannel[]),
      customerId: prospect ? null : c.id,
      prospectName: name?.name ?? null,
      prospectNameEnc: name?.enc ?? null,
      prospectNameIdx: name?.idx ?? null,
      prospectPhoneEnc: prospect ? pii().encrypt(phone) : null,
      prospectPhoneIdx: prospect ? pii().blindIndex(phone) : null,
      needs: [
        {
          productId: p.id,
          description: p.name,
          spec: p.spec,
          quantity: String(10 + (i % 40)),
          unit: p.units.find((u) => u.sellable)?.unit ?? p.baseUnit,
          deliveryDate: addDays(businessDate(receivedAt), 3),
          deliveryPlace: null,
        },
      ],
      notes: null,
      ownerId: i % 4 === 0 ? (staff.find((u) => u.username === 'manager')?.id ?? salesUser?.id ?? null) : (salesUser?.id ?? null),
      status,
      lostReason: status === 'lost' ? pick(['价格偏高 / price too high', '交期不满足 / lead time', '选择了其他供应商 / chose another supplier']) : null,
      receivedAt,
      closedAt: status === 'converted' || status === 'lost' ? new Date(receivedAt.getTime() + 86_400_000) : null,
      createdAt: receivedAt,
      updatedAt: receivedAt,
    });
  }
  await db.insert(inquiries).values(inquiryRows);
}
