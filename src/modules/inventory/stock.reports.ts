import { sql, type SQL } from 'drizzle-orm';
import { queryRows, type Db } from '../../platform/db/client.js';
import { DomainError } from '../../platform/errors/domain-error.js';
import { notifyUsers } from '../../platform/notifications/notifications.service.js';
import { fmtQty, Q } from '../../platform/quantity.js';
import { defineSetting, getSetting } from '../../platform/settings/settings.service.js';
import { getProducts, listProductIds, type ProductInfo } from '../catalog/index.js';
import { unusableLotSql, usableLotSql } from './fefo.js';
import { addDays, today } from './inventory.service.js';
import type { LotStatus } from './inventory.tables.js';
import { offsetOf } from '../../platform/http/list.js';

export const nearExpiryDays = defineSetting({
  key: 'inventory.nearExpiryDays',
  module: 'inventory',
  type: 'integer',
  default: 7,
  min: 1,
  max: 365,
  label: { zh: '临期预警天数', en: 'Near-expiry warning window' },
  description: {
    zh: '批次在到期前多少天发出临期预警并在库存总览中标记。',
    en: 'Lots expiring within this many days raise a near-expiry alert and are flagged in the stock overview.',
  },
  unit: { zh: '天', en: 'days' },
});

export const replenishmentLeadDays = defineSetting({
  key: 'inventory.replenishmentLeadDays',
  module: 'inventory',
  type: 'integer',
  default: 3,
  min: 0,
  max: 365,
  label: { zh: '补货提前期', en: 'Replenishment lead time' },
  description: {
    zh: '在此天数内到期的库存视为来不及使用,不计入补货计算的可用量。',
    en: 'Stock expiring within this many days cannot be used in time and is not counted as available for replenishment.',
  },
  unit: { zh: '天', en: 'days' },
});

export type OverviewBy = 'product' | 'lot' | 'location';

export type OverviewFilter = {
  by: OverviewBy;
  productId?: string;
  warehouseId?: string;
  locationId?: string;
  zone?: string;
  lotStatus?: LotStatus;
  category?: string;
  kind?: 'produce' | 'material';
  expiringWithinDays?: number;
  expired?: boolean;
  q?: string;
  page: number;
  pageSize: number;
  sort?: string;
};

export type OverviewRow = {
  key: string;
  productId: string;
  productCode: string | null;
  productName: string | null;
  category: string | null;
  unit: string | null;
  lotId: string | null;
  lotCode: string | null;
  expiryDate: string | null;
  qualityStatus: LotStatus | null;
  expired: boolean | null;
  nearExpiry: boolean | null;
  warehouseId: string | null;
  warehouseCode: string | null;
  locationId: string | null;
  locationCode: string | null;
  zone: string | null;
  onHand: string;
  reserved: string;
  available: string;
  blocked: string;
  lotCount: number | null;
  earliestExpiry: string | null;
};

type Raw = {
  product_id: string;
  lot_id: string | null;
  lot_code: string | null;
  expiry_date: string | null;
  quality_status: LotStatus | null;
  warehouse_id: string | null;
  warehouse_code: string | null;
  location_id: string | null;
  location_code: string | null;
  zone: string | null;
  on_hand: string;
  reserved: string;
  available: string;
  blocked: string;
  lot_count: number | null;
  earliest_expiry: string | null;
};

// Quantities travel as text for exactness; sort them as numbers.
const SORTS: Record<OverviewBy, Record<string, string>> = {
  product: { onHand: 'on_hand::numeric', available: 'available::numeric', reserved: 'reserved::numeric', blocked: 'blocked::numeric', earliestExpiry: 'earliest_expiry' },
  lot: { lotCode: 'lot_code', expiryDate: 'expiry_date', onHand: 'on_hand::numeric', available: 'available::numeric', qualityStatus: 'quality_status' },
  location: {
    locationCode: 'location_code',
    warehouseCode: 'warehouse_code',
    lotCode: 'lot_code',
    expiryDate: 'expiry_date',
    onHand: 'on_hand::numeric',
    available: 'available::numeric',
  },
};

function orderOf(by: OverviewBy, sort: string | undefined): SQL {
  const fallback = by === 'product' ? 'product_id asc' : by === 'lot' ? 'expiry_date asc, lot_code asc' : 'warehouse_code asc, location_code asc, expiry_date asc';
  if (!sort) return sql.raw(fallback);
  const terms: string[] = [];
  for (const raw of sort.split(',')) {
    const t = raw.trim();
    if (!t) continue;
    const desc = t.startsWith('-');
    const col = SORTS[by][desc ? t.slice(1) : t];
    if (!col) throw new DomainError('VALIDATION_FAILED', {}, [{ field: 'sort', code: 'FIELD_INVALID_VALUE', params: { options: Object.keys(SORTS[by]).join(', ') } }]);
    terms.push(`${col} ${desc ? 'desc' : 'asc'}`);
  }
  return sql.raw([...terms, fallback].join(', '));
}

const inList = (ids: string[]): SQL =>
  sql.join(
    ids.map((i) => sql`${i}`),
    sql`, `,
  );

/**
 * Stock overview by product, lot or location: on hand, reserved, available (released, unexpired, unreserved) and blocked.
 * One statement: the filters are conditions on `stock_balances` alone (lot and location filters as `id in (…)`
 * sub-selects, which the foreign keys make equivalent to the joins), the total counts balance rows / lots / products
 * without joins, and with the default sort the page is chosen first (by product id, by lot expiry through
 * `lots_expiry_code_idx`, by warehouse/location) so only the page's rows are joined and aggregated.
 */
export async function stockOverview(db: Db, f: OverviewFilter): Promise<{ items: OverviewRow[]; total: number; page: number; pageSize: number }> {
  const d = today();
  const window = await getSetting(db, nearExpiryDays);
  const conds: SQL[] = [sql`(b.on_hand <> 0 or b.reserved <> 0)`];
  if (f.productId) conds.push(sql`b.product_id = ${f.productId}`);
  if (f.warehouseId) conds.push(sql`b.warehouse_id = ${f.warehouseId}`);
  if (f.locationId) conds.push(sql`b.location_id = ${f.locationId}`);
  if (f.zone) conds.push(sql`b.location_id in (select z.id from locations z where z.zone = ${f.zone})`);
  const lotConds: SQL[] = [];
  if (f.lotStatus) lotConds.push(sql`x.quality_status = ${f.lotStatus}`);
  if (f.expiringWithinDays !== undefined) lotConds.push(sql`x.expiry_date >= ${d}::date and x.expiry_date <= ${addDays(d, f.expiringWithinDays)}::date`);
  if (f.expired === true) lotConds.push(sql`x.expiry_date < ${d}::date`);
  if (f.expired === false) lotConds.push(sql`x.expiry_date >= ${d}::date`);
  if (lotConds.length) conds.push(sql`b.lot_id in (select x.id from lots x where ${sql.join(lotConds, sql` and `)})`);
  if (f.category || f.kind) {
    const ids = await listProductIds(db, { category: f.category, kind: f.kind });
    conds.push(ids.length ? sql`b.product_id in (${inList(ids)})` : sql`false`);
  }
  if (f.q) {
    const ids = await listProductIds(db, { q: f.q });
    const like = `%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    // The balance rows whose lot code (trigram index), location code or product matches, as one set the planner can
    // semi-join from (an OR of three IN-lists would filter every balance row instead).
    conds.push(
      sql`(b.lot_id, b.location_id) in (
        select k.lot_id, k.location_id from stock_balances k where k.lot_id in (select x.id from lots x where x.lot_code ilike ${like})
        union select k.lot_id, k.location_id from stock_balances k where k.location_id in (select x.id from locations x where x.code ilike ${like})${
          ids.length ? sql` union select k.lot_id, k.location_id from stock_balances k where k.product_id in (${inList(ids)})` : sql``
        })`,
    );
  }
  const where = sql.join(conds, sql` and `);
  const usable = sql`(${usableLotSql(sql`${d}::date`)})`;
  const avail = sql`case when ${usable} then greatest(b.on_hand - b.reserved, 0) else 0 end`;
  const blocked = sql`case when ${usable} then 0 else b.on_hand end`;
  const limit = sql`limit ${f.pageSize} offset ${offsetOf(f)}`;
  const byDefault = !f.sort?.trim();
  let total: SQL;
  let rows: SQL;
  let order: SQL = orderOf(f.by, f.sort);
  let result: (Raw & { total: number })[] | null = null;
  if (f.by === 'location' && byDefault) {
    // Count the matching balance rows per location (stock_balances alone), walk the locations in (warehouse, location)
    // order to the page, and join and sort only the rows of the locations the page spans.
    const counts = await queryRows<{ location_id: string; n: number }>(
      db,
      sql`select c.location_id, c.n from (select b.location_id, count(*)::int as n from stock_balances b where ${where} group by b.location_id) c
          join locations loc on loc.id = c.location_id join warehouses w on w.id = loc.warehouse_id order by w.code, loc.code, loc.id`,
    );
    const offset = offsetOf(f);
    const spanned: string[] = [];
    let skip = 0;
    let totalN = 0;
    for (const c of counts) {
      const n = Number(c.n);
      if (totalN + n > offset && totalN < offset + f.pageSize) {
        if (!spanned.length) skip = offset - totalN;
        spanned.push(c.location_id);
      }
      totalN += n;
    }
    result = spanned.length
      ? await queryRows<Raw & { total: number }>(
          db,
          sql`select ${totalN}::int as total, b.product_id, b.lot_id, l.lot_code, l.expiry_date::text as expiry_date, l.quality_status, b.warehouse_id, w.code as warehouse_code,
                b.location_id, loc.code as location_code, loc.zone, b.on_hand::text as on_hand, b.reserved::text as reserved, (${avail})::text as available,
                (${blocked})::text as blocked, null::int as lot_count, l.expiry_date::text as earliest_expiry
              from stock_balances b join lots l on l.id = b.lot_id join locations loc on loc.id = b.location_id join warehouses w on w.id = b.warehouse_id
              where ${where} and b.location_id in (${inList(spanned)})
              order by w.code, loc.code, loc.id, l.expiry_date, l.lot_code, b.lot_id limit ${f.pageSize} offset ${skip}`,
        )
      : [{ total: totalN } as Raw & { total: number }];
  } else if (f.by === 'location') {
    total = sql`select count(*)::int as n from stock_balances b where ${where}`;
    const select = sql`select b.product_id, b.lot_id, l.lot_code, l.expiry_date::text as expiry_date, l.quality_status, b.warehouse_id, w.code as warehouse_code, b.location_id, loc.code as location_code, loc.zone,
      b.on_hand::text as on_hand, b.reserved::text as reserved, (${avail})::text as available, (${blocked})::text as blocked, null::int as lot_count, l.expiry_date::text as earliest_expiry
      from stock_balances b join lots l on l.id = b.lot_id join locations loc on loc.id = b.location_id join warehouses w on w.id = b.warehouse_id where ${where}`;
    if (byDefault) {
      rows = sql`${select} order by w.code, loc.code, l.expiry_date, l.lot_code, b.lot_id ${limit}`;
      order = sql`warehouse_code, location_code, expiry_date, lot_code, lot_id`;
    } else rows = sql`select * from (${select}) x order by ${order} ${limit}`;
  } else if (f.by === 'lot') {
    total = sql`select count(distinct b.lot_id)::int as n from stock_balances b where ${where}`;
    const select = (
      lotFilter: SQL,
    ) => sql`select b.product_id, b.lot_id, l.lot_code, l.expiry_date::text as expiry_date, l.quality_status, null::uuid as warehouse_id, null::text as warehouse_code, null::uuid as location_id, null::text as location_code, null::text as zone,
      sum(b.on_hand)::text as on_hand, sum(b.reserved)::text as reserved, sum(${avail})::text as available, sum(${blocked})::text as blocked, count(*)::int as lot_count, l.expiry_date::text as earliest_expiry
      from stock_balances b join lots l on l.id = b.lot_id where ${where} ${lotFilter}
      group by b.product_id, b.lot_id, l.lot_code, l.expiry_date, l.quality_status`;
    if (byDefault && !f.q) {
      // (With a keyword the matching lots are few: aggregating them all beats walking every lot in expiry order.)
      const outerLot = lotConds.length ? sql` and ${sql.join(lotConds, sql` and `)}` : sql``;
      // Walk lots in expiry order (lots_expiry_code_idx) and stop at the page; only those lots are aggregated.
      const page = sql`select x.id from lots x where exists (select 1 from stock_balances b where b.lot_id = x.id and ${where})${outerLot} order by x.expiry_date, x.lot_code, x.id ${limit}`;
      rows = select(sql`and b.lot_id in (${page})`);
      order = sql`expiry_date, lot_code, lot_id`;
    } else rows = sql`select * from (${select(sql``)}) x order by ${order} ${limit}`;
  } else {
    total = sql`select count(distinct b.product_id)::int as n from stock_balances b where ${where}`;
    const select = (
      productFilter: SQL,
    ) => sql`select b.product_id, null::uuid as lot_id, null::text as lot_code, null::text as expiry_date, null::text as quality_status, null::uuid as warehouse_id, null::text as warehouse_code, null::uuid as location_id, null::text as location_code, null::text as zone,
      sum(b.on_hand)::text as on_hand, sum(b.reserved)::text as reserved, sum(${avail})::text as available, sum(${blocked})::text as blocked, count(distinct b.lot_id)::int as lot_count, min(case when b.on_hand > 0 then l.expiry_date end)::text as earliest_expiry
      from stock_balances b join lots l on l.id = b.lot_id where ${where} ${productFilter}
      group by b.product_id`;
    if (byDefault) {
      // The page of product ids from stock_balances alone (stock_balances_product_idx); only those products are aggregated.
      const page = sql`select b.product_id from stock_balances b where ${where} group by b.product_id order by b.product_id ${limit}`;
      rows = select(sql`and b.product_id in (${page})`);
    } else rows = sql`select * from (${select(sql``)}) x order by ${order} ${limit}`;
  }
  result ??= await queryRows<Raw & { total: number }>(db, sql`select t.n as total, r.* from (${total!}) t left join lateral (${rows!}) r on true order by ${order}`);
  const rowsOut = result.filter((r) => r.product_id !== null && r.product_id !== undefined);
  const totalN = Number(result[0]?.total ?? 0);
  const products = await getProducts(
    db,
    rowsOut.map((r) => r.product_id),
  );
  const near = addDays(d, window);
  return {
    items: rowsOut.map((r) => {
      const p = products.get(r.product_id);
      const expiry = r.expiry_date;
      return {
        key: [r.product_id, r.lot_id, r.location_id].filter(Boolean).join(':'),
        productId: r.product_id,
        productCode: p?.code ?? null,
        productName: p?.name ?? null,
        category: p?.category ?? null,
        unit: p?.baseUnit ?? null,
        lotId: r.lot_id,
        lotCode: r.lot_code,
        expiryDate: expiry,
        qualityStatus: r.quality_status,
        expired: expiry ? expiry < d : r.earliest_expiry ? r.earliest_expiry < d : null,
        nearExpiry: expiry ? expiry >= d && expiry <= near : r.earliest_expiry ? r.earliest_expiry >= d && r.earliest_expiry <= near : null,
        warehouseId: r.warehouse_id,
        warehouseCode: r.warehouse_code,
        locationId: r.location_id,
        locationCode: r.location_code,
        zone: r.zone,
        onHand: fmtQty(r.on_hand),
        reserved: fmtQty(r.reserved),
        available: fmtQty(r.available),
        blocked: fmtQty(r.blocked),
        lotCount: r.lot_count === null ? null : Number(r.lot_count),
        earliestExpiry: r.earliest_expiry,
      };
    }),
    total: totalN,
    page: f.page,
    pageSize: f.pageSize,
  };
}

// ---------------------------------------------------------------- replenishment

export type ReplenishmentRow = {
  productId: string;
  productCode: string;
  productName: string;
  kind: 'produce' | 'material';
  materialType: string | null;
  category: string;
  unit: string;
  onHand: string;
  openReservations: string;
  blocked: string;
  expiringBeforeUse: string;
  projectedAvailable: string;
  safetyStock: string;
  reorderPoint: string;
  suggestedQuantity: string;
  urgency: 'critical' | 'reorder' | 'ok';
};

/**
 * Replenishment: projected = on hand − open reservations − blocked (not released / expired) − stock expiring within
 * the lead time. Suggests (reorder point + safety stock − projected) when projected falls below the reorder point;
 * critical when below safety stock.
 */
export async function replenishment(
  db: Db,
  f: { kind?: 'produce' | 'material'; category?: string; q?: string; all?: boolean; page: number; pageSize: number },
): Promise<{ items: ReplenishmentRow[]; total: number; page: number; pageSize: number }> {
  const d = today();
  const lead = await getSetting(db, replenishmentLeadDays);
  const horizon = addDays(d, lead);
  const ids = await listProductIds(db, { kind: f.kind, category: f.category, q: f.q, active: true });
  const products = await getProducts(db, ids);
  const agg = ids.length
    ? await queryRows<{ product_id: string; on_hand: string; reserved: string; blocked: string; expiring: string }>(
        db,
        sql`select b.product_id, sum(b.on_hand)::text as on_hand, sum(b.reserved)::text as reserved,
              sum(case when ${usableLotSql(sql`${d}::date`)} then 0 else b.on_hand end)::text as blocked,
              sum(case when ${usableLotSql(sql`${d}::date`)} and ${unusableLotSql(sql`${horizon}::date`)} then greatest(b.on_hand - b.reserved, 0) else 0 end)::text as expiring
            from stock_balances b join lots l on l.id = b.lot_id
            where b.product_id in (${sql.join(
              ids.map((i) => sql`${i}`),
              sql`, `,
            )})
            group by b.product_id`,
      )
    : [];
  const byProduct = new Map(agg.map((a) => [a.product_id, a]));
  const rows: ReplenishmentRow[] = [];
  for (const id of ids) {
    const p: ProductInfo | undefined = products.get(id);
    if (!p) continue;
    const a = byProduct.get(id);
    const onHand = new Q(a?.on_hand ?? 0);
    const reserved = new Q(a?.reserved ?? 0);
    const blocked = new Q(a?.blocked ?? 0);
    const expiring = new Q(a?.expiring ?? 0);
    // Reservations sit on usable stock; blocked stock is excluded whole.
    const projected = onHand.minus(blocked).minus(reserved).minus(expiring);
    const rp = new Q(p.reorderPoint);
    const ss = new Q(p.safetyStock);
    const urgency: ReplenishmentRow['urgency'] = projected.lt(ss) ? 'critical' : projected.lt(rp) ? 'reorder' : 'ok';
    if (!f.all && urgency === 'ok') continue;
    const suggested = urgency === 'ok' ? new Q(0) : Q.max(rp.plus(ss).minus(projected), 0);
    rows.push({
      productId: id,
      productCode: p.code,
      productName: p.name,
      kind: p.kind,
      materialType: p.materialType,
      category: p.category,
      unit: p.baseUnit,
      onHand: onHand.toFixed(3),
      openReservations: reserved.toFixed(3),
      blocked: blocked.toFixed(3),
      expiringBeforeUse: expiring.toFixed(3),
      projectedAvailable: projected.toFixed(3),
      safetyStock: fmtQty(p.safetyStock),
      reorderPoint: fmtQty(p.reorderPoint),
      suggestedQuantity: suggested.toFixed(3),
      urgency,
    });
  }
  const rank = { critical: 0, reorder: 1, ok: 2 };
  rows.sort((x, y) => rank[x.urgency] - rank[y.urgency] || x.productCode.localeCompare(y.productCode));
  const start = offsetOf(f);
  return { items: rows.slice(start, start + f.pageSize), total: rows.length, page: f.page, pageSize: f.pageSize };
}

// ---------------------------------------------------------------- expiry alerts

/**
 * Notifies warehouse, QC and managers once per lot when stock on hand enters the near-expiry window and when it expires.
 * claim (the job's claimEffect) lets only one of two overlapping runs send a lot's alert of the day.
 */
export async function scanExpiryAlerts(db: Db, claim?: (subject: string, periodKey: string) => Promise<boolean>): Promise<{ nearExpiry: number; expired: number }> {
  const d = today();
  const window = await getSetting(db, nearExpiryDays);
  const rows = await queryRows<{ lot_id: string; lot_code: string; product_id: string; expiry_date: string; kind: 'near_expiry' | 'expired'; on_hand: string }>(
    db,
    sql`select l.id as lot_id, l.lot_code, l.product_id, l.expiry_date::text as expiry_date, s.on_hand::text as on_hand,
          case when l.expiry_date < ${d}::date then 'expired' else 'near_expiry' end as kind
        from lots l join (select lot_id, sum(on_hand) on_hand from stock_balances group by lot_id) s on s.lot_id = l.id
        where s.on_hand > 0 and l.expiry_date <= ${addDays(d, window)}::date and l.quality_status <> 'rejected'
          and not exists (select 1 from lot_alerts a where a.lot_id = l.id and a.kind = case when l.expiry_date < ${d}::date then 'expired' else 'near_expiry' end)
        order by l.expiry_date, l.lot_code
        limit 500`,
  );
  const products = await getProducts(
    db,
    rows.map((r) => r.product_id),
  );
  let near = 0;
  let expired = 0;
  for (const r of rows) {
    const p = products.get(r.product_id);
    const name = { zh: p?.name ?? '', en: p?.nameEn ?? p?.name ?? '' };
    const qtyText = `${fmtQty(r.on_hand)} ${p?.baseUnit ?? ''}`;
    if (claim && !(await claim(`lot:${r.lot_id}:${r.kind}`, d))) continue;
    await db.execute(sql`insert into lot_alerts (lot_id, kind, notified_at) values (${r.lot_id}, ${r.kind}, now()) on conflict do nothing`);
    if (r.kind === 'expired') {
      expired += 1;
      await notifyUsers(db, {
        roles: ['warehouse', 'qc', 'manager'],
        title: { zh: `批次已过期:${r.lot_code}`, en: `Lot expired: ${r.lot_code}` },
        body: {
          zh: `${name.zh} 批次 ${r.lot_code} 已于 ${r.expiry_date} 过期,库存 ${qtyText},已禁止预留和出库。`,
          en: `${name.en} lot ${r.lot_code} expired on ${r.expiry_date}; ${qtyText} on hand can no longer be reserved or issued.`,
        },
        link: `/inventory/lots/${r.lot_id}`,
      });
    } else {
      near += 1;
      await notifyUsers(db, {
        roles: ['warehouse', 'manager'],
        title: { zh: `批次临期:${r.lot_code}`, en: `Lot near expiry: ${r.lot_code}` },
        body: {
          zh: `${name.zh} 批次 ${r.lot_code} 将于 ${r.expiry_date} 到期,库存 ${qtyText}。`,
          en: `${name.en} lot ${r.lot_code} expires on ${r.expiry_date}; ${qtyText} on hand.`,
        },
        link: `/inventory/lots/${r.lot_id}`,
      });
    }
  }
  return { nearExpiry: near, expired };
}
