import { and, asc, count, desc, eq, gte, inArray, isNull, lte, ne, or, sql, type SQL } from 'drizzle-orm';
import { can, type Actor } from '../../platform/auth/actor.js';
import { recordAudit } from '../../platform/audit/audit.service.js';
import { clock } from '../../platform/clock.js';
import { columnsOf, nullColumnsOf, selectedRow, statement, type Db } from '../../platform/db/client.js';
import { nextDocNumber } from '../../platform/docnum.js';
import { keyedReadCache } from '../../platform/db/read-cache.js';
import { DomainError } from '../../platform/errors/domain-error.js';
import { offsetOf, orderByOf, type Page } from '../../platform/http/list.js';
import { Q, fmtQty, positiveQty, qty } from '../../platform/quantity.js';
import { CustomerErrors, customerName, getCustomer } from '../customers/index.js';
import { CatalogErrors } from './catalog.errors.js';
import {
  getProducts,
  keepProducts,
  keptProducts,
  productFromRow,
  productIdsToRead,
  productReadMark,
  productsByIdsSql,
  requireProductRef,
  type ProductInfo,
} from './catalog.service.js';
import { priceListLines, priceLists, products } from './catalog.tables.js';
import { convertQuantity } from './units.js';

export type PriceLineView = {
  id: string;
  productId: string;
  productCode: string;
  productName: string;
  unit: string;
  minQuantity: string;
  unitPriceFen: number;
  floorPriceFen: number | null;
};

export type PriceListView = {
  id: string;
  code: string;
  name: string;
  customerId: string | null;
  customerName: string | null;
  customerGroup: string | null;
  validFrom: string;
  validTo: string | null;
  active: boolean;
  note: string | null;
  lineCount: number;
  createdAt: Date;
  updatedAt: Date;
};

export type PriceListDetail = PriceListView & { lines: PriceLineView[] };

type ListRow = typeof priceLists.$inferSelect;

/** The customers' names for a viewer: an individual's in clear only with pii:read (docs/decisions/0010). */
async function customerNames(db: Db, ids: (string | null)[], showPii: boolean): Promise<Map<string, string>> {
  const m = new Map<string, string>();
  for (const id of new Set(ids.filter((x): x is string => !!x))) {
    const c = await getCustomer(db, id);
    if (c) m.set(id, customerName(c, showPii));
  }
  return m;
}

function listView(r: ListRow, names: Map<string, string>, lineCount: number): PriceListView {
  return {
    id: r.id,
    code: r.code,
    name: r.name,
    customerId: r.customerId,
    customerName: r.customerId ? (names.get(r.customerId) ?? null) : null,
    customerGroup: r.customerGroup,
    validFrom: r.validFrom,
    validTo: r.validTo,
    active: r.active,
    note: r.note,
    lineCount,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
}

export type PriceListFilter = {
  q?: string;
  customerId?: string;
  customerGroup?: string;
  active?: boolean;
  /** Only lists valid on this date. */
  validOn?: string;
  productId?: string;
  page: number;
  pageSize: number;
  sort?: string;
};

/** `showPii`: the viewer has pii:read (an individual customer's name in clear); audit rows keep the masked name. */
export type PriceListViewOpts = { showPii?: boolean };

export async function listPriceLists(db: Db, f: PriceListFilter, opts: PriceListViewOpts = {}): Promise<Page<PriceListView>> {
  const conds: SQL[] = [];
  if (f.q) conds.push(or(sql`${priceLists.code} ilike ${`%${f.q}%`}`, sql`${priceLists.name} ilike ${`%${f.q}%`}`)!);
  if (f.customerId) conds.push(eq(priceLists.customerId, f.customerId));
  if (f.customerGroup) conds.push(eq(priceLists.customerGroup, f.customerGroup));
  if (f.active !== undefined) conds.push(eq(priceLists.active, f.active));
  if (f.validOn) conds.push(lte(priceLists.validFrom, f.validOn), or(isNull(priceLists.validTo), gte(priceLists.validTo, f.validOn))!);
  if (f.productId) conds.push(sql`exists (select 1 from price_list_lines l where l.price_list_id = ${priceLists.id} and l.product_id = ${f.productId})`);
  const where = conds.length ? and(...conds) : undefined;
  const order = orderByOf(f.sort, { code: priceLists.code, name: priceLists.name, validFrom: priceLists.validFrom, validTo: priceLists.validTo, createdAt: priceLists.createdAt }, [
    desc(priceLists.validFrom),
    asc(priceLists.code),
  ]);
  const [rows, total] = await Promise.all([
    db
      .select()
      .from(priceLists)
      .where(where)
      .orderBy(...order)
      .limit(f.pageSize)
      .offset(offsetOf(f)),
    db.select({ n: count() }).from(priceLists).where(where),
  ]);
  const counts = new Map<string, number>();
  if (rows.length) {
    const c = await db
      .select({ id: priceListLines.priceListId, n: count() })
      .from(priceListLines)
      .where(
        inArray(
          priceListLines.priceListId,
          rows.map((r) => r.id),
        ),
      )
      .groupBy(priceListLines.priceListId);
    for (const x of c) counts.set(x.id, x.n);
  }
  const names = await customerNames(
    db,
    rows.map((r) => r.customerId),
    opts.showPii ?? false,
  );
  return { items: rows.map((r) => listView(r, names, counts.get(r.id) ?? 0)), total: total[0]?.n ?? 0, page: f.page, pageSize: f.pageSize };
}

export async function getPriceList(db: Db, id: string, opts: PriceListViewOpts = {}): Promise<PriceListDetail> {
  const [r] = await db.select().from(priceLists).where(eq(priceLists.id, id));
  if (!r) throw new DomainError(CatalogErrors.PRICE_LIST_NOT_FOUND);
  const lines = await db.select().from(priceListLines).where(eq(priceListLines.priceListId, id));
  const prods = await getProducts(
    db,
    lines.map((l) => l.productId),
  );
  const names = await customerNames(db, [r.customerId], opts.showPii ?? false);
  const lineViews = lines
    .map((l) => ({
      id: l.id,
      productId: l.productId,
      productCode: prods.get(l.productId)?.code ?? '',
      productName: prods.get(l.productId)?.name ?? '',
      unit: l.unit,
      minQuantity: fmtQty(l.minQuantity),
      unitPriceFen: l.unitPriceFen,
      floorPriceFen: l.floorPriceFen,
    }))
    .sort((a, b) => a.productCode.localeCompare(b.productCode) || a.unit.localeCompare(b.unit) || new Q(a.minQuantity).cmp(b.minQuantity));
  return { ...listView(r, names, lines.length), lines: lineViews };
}

export type PriceLineInput = { productId: string; unit: string; minQuantity?: string; unitPriceFen: number; floorPriceFen?: number | null };
export type PriceListInput = {
  code?: string;
  name: string;
  customerId?: string | null;
  customerGroup?: string | null;
  validFrom: string;
  validTo?: string | null;
  active?: boolean;
  note?: string | null;
  lines: PriceLineInput[];
};

async function checkHeader(db: Db, input: Pick<PriceListInput, 'customerId' | 'customerGroup' | 'validFrom' | 'validTo'>): Promise<void> {
  if (input.customerId && input.customerGroup)
    throw new DomainError(CatalogErrors.PRICE_LIST_SCOPE_INVALID, {}, [{ field: 'customerGroup', code: CatalogErrors.PRICE_LIST_SCOPE_INVALID }]);
  if (input.validTo && input.validTo < input.validFrom)
    throw new DomainError(CatalogErrors.PRICE_LIST_DATES_INVALID, {}, [{ field: 'validTo', code: CatalogErrors.PRICE_LIST_DATES_INVALID }]);
  if (input.customerId && !(await getCustomer(db, input.customerId)))
    throw new DomainError(CustomerErrors.CUSTOMER_NOT_FOUND_REF, { customerId: input.customerId }, [{ field: 'customerId', code: CustomerErrors.CUSTOMER_NOT_FOUND_REF }]);
}

async function checkLines(db: Db, lines: PriceLineInput[]): Promise<(PriceLineInput & { minQuantity: string })[]> {
  const seen = new Set<string>();
  const out: (PriceLineInput & { minQuantity: string })[] = [];
  for (const [i, l] of lines.entries()) {
    const p = await requireProductRef(db, l.productId, `lines.${i}.productId`);
    if (l.unit !== p.baseUnit && !p.units.some((u) => u.unit === l.unit)) {
      throw new DomainError(CatalogErrors.UNIT_NOT_CONVERTIBLE, { unit: l.unit, product: p.code }, [
        { field: `lines.${i}.unit`, code: CatalogErrors.UNIT_NOT_CONVERTIBLE, params: { unit: l.unit, product: p.code } },
      ]);
    }
    let min: string;
    try {
      const m = qty(l.minQuantity ?? '0');
      if (m.lt(0)) throw new Error('negative');
      min = fmtQty(m);
    } catch {
      throw new DomainError('VALIDATION_FAILED', {}, [{ field: `lines.${i}.minQuantity`, code: 'FIELD_INVALID_QUANTITY' }]);
    }
    const key = `${l.productId}|${l.unit}|${min}`;
    if (seen.has(key))
      throw new DomainError(CatalogErrors.PRICE_LINE_DUPLICATE, { line: i + 1 }, [{ field: `lines.${i}`, code: CatalogErrors.PRICE_LINE_DUPLICATE, params: { line: i + 1 } }]);
    seen.add(key);
    if (l.floorPriceFen != null && l.floorPriceFen > l.unitPriceFen)
      throw new DomainError(CatalogErrors.PRICE_FLOOR_ABOVE_PRICE, { line: i + 1 }, [
        { field: `lines.${i}.floorPriceFen`, code: CatalogErrors.PRICE_FLOOR_ABOVE_PRICE, params: { line: i + 1 } },
      ]);
    out.push({ ...l, minQuantity: min });
  }
  return out;
}

async function assertCodeFree(db: Db, code: string, exceptId: string | null): Promise<void> {
  const [x] = await db
    .select({ id: priceLists.id })
    .from(priceLists)
    .where(and(eq(priceLists.code, code), exceptId ? ne(priceLists.id, exceptId) : undefined));
  if (x) throw new DomainError(CatalogErrors.PRICE_LIST_CODE_TAKEN, { code }, [{ field: 'code', code: CatalogErrors.PRICE_LIST_CODE_TAKEN, params: { code } }]);
}

/** Creates a price list with its lines (code PL20261127-0001 when not given). */
export async function createPriceList(db: Db, actor: Actor, input: PriceListInput): Promise<PriceListDetail> {
  await checkHeader(db, input);
  const lines = await checkLines(db, input.lines);
  const code = input.code?.trim() || (await nextDocNumber(db, 'PL', clock.now()));
  await assertCodeFree(db, code, null);
  candidateCache.clear(db);
  const [r] = await db
    .insert(priceLists)
    .values({
      code,
      name: input.name.trim(),
      customerId: input.customerId ?? null,
      customerGroup: input.customerGroup || null,
      validFrom: input.validFrom,
      validTo: input.validTo ?? null,
      active: input.active ?? true,
      note: input.note ?? null,
    })
    .returning();
  if (lines.length)
    await db.insert(priceListLines).values(
      lines.map((l) => ({
        priceListId: r!.id,
        productId: l.productId,
        unit: l.unit,
        minQuantity: l.minQuantity,
        unitPriceFen: l.unitPriceFen,
        floorPriceFen: l.floorPriceFen ?? null,
      })),
    );
  const view = await getPriceList(db, r!.id);
  await recordAudit(db, actor, { action: 'price-list.create', entity: 'price_list', entityId: r!.id, after: view });
  return can(actor, 'pii:read') ? getPriceList(db, r!.id, { showPii: true }) : view;
}

/** Edits the header and, when `lines` is given, replaces the lines; the audit entry keeps the old prices. */
export async function updatePriceList(db: Db, actor: Actor, id: string, patch: Partial<PriceListInput>): Promise<PriceListDetail> {
  const before = await getPriceList(db, id);
  const merged = {
    customerId: patch.customerId === undefined ? before.customerId : patch.customerId,
    customerGroup: patch.customerGroup === undefined ? before.customerGroup : patch.customerGroup || null,
    validFrom: patch.validFrom ?? before.validFrom,
    validTo: patch.validTo === undefined ? before.validTo : patch.validTo,
  };
  await checkHeader(db, merged);
  const lines = patch.lines ? await checkLines(db, patch.lines) : null;
  const code = patch.code?.trim() || before.code;
  await assertCodeFree(db, code, id);
  candidateCache.clear(db);
  await db
    .update(priceLists)
    .set({
      ...merged,
      code,
      name: patch.name?.trim() ?? before.name,
      active: patch.active ?? before.active,
      note: patch.note === undefined ? before.note : patch.note,
      updatedAt: clock.now(),
    })
    .where(eq(priceLists.id, id));
  if (lines) {
    await db.delete(priceListLines).where(eq(priceListLines.priceListId, id));
    if (lines.length)
      await db.insert(priceListLines).values(
        lines.map((l) => ({
          priceListId: id,
          productId: l.productId,
          unit: l.unit,
          minQuantity: l.minQuantity,
          unitPriceFen: l.unitPriceFen,
          floorPriceFen: l.floorPriceFen ?? null,
        })),
      );
  }
  const after = await getPriceList(db, id);
  await recordAudit(db, actor, { action: 'price-list.update', entity: 'price_list', entityId: id, before, after });
  return can(actor, 'pii:read') ? getPriceList(db, id, { showPii: true }) : after;
}

export type PriceQuery = { customerId: string | null; customerGroup?: string | null; productId: string; unit: string; quantity: string; date: string };
export type EffectivePrice = {
  unitPriceFen: number;
  floorPriceFen: number | null;
  priceListId: string;
  priceListName: string;
  rule: 'customer' | 'group' | 'list';
  minQuantity: string;
};

type Candidate = {
  rule: EffectivePrice['rule'];
  listId: string;
  listName: string;
  validFrom: string;
  createdAt: Date;
  unit: string;
  minQuantity: string;
  unitPriceFen: number;
  floorPriceFen: number | null;
};

const RULE_ORDER: EffectivePrice['rule'][] = ['customer', 'group', 'list'];

/** A line priced in another unit of the product, re-expressed per requested unit when that is a whole number of fen. */
function reprice(p: ProductInfo, c: Candidate, unit: string, quantity: string): Candidate | null {
  if (c.unit === unit) return new Q(c.minQuantity).lte(quantity) ? c : null;
  try {
    // price per requested unit = price per line unit × (line units per requested unit)
    const perUnit = new Q(convertQuantity(p, '1', unit, c.unit));
    const price = perUnit.mul(c.unitPriceFen);
    const floor = c.floorPriceFen === null ? null : perUnit.mul(c.floorPriceFen);
    if (!price.isInteger() || (floor && !floor.isInteger())) return null;
    const qtyInLineUnit = new Q(quantity).mul(perUnit);
    if (qtyInLineUnit.lt(c.minQuantity)) return null;
    const minInUnit = new Q(c.minQuantity).div(perUnit).toDecimalPlaces(3, Q.ROUND_UP);
    return { ...c, unit, unitPriceFen: price.toNumber(), floorPriceFen: floor ? floor.toNumber() : null, minQuantity: fmtQty(minInUnit) };
  } catch {
    return null;
  }
}

/** The price lines of the lists valid on `date` for these products, in the scope of a customer / group (general lists always). */
function candidatesSql(productIds: SQL): SQL {
  const ph = (k: string) => sql.placeholder(k);
  return sql`select ${columnsOf(priceLists, 'pl', 'list_')}, ${columnsOf(priceListLines, 'pll', 'line_')}
    from price_list_lines pll join price_lists pl on pl.id = pll.price_list_id
    where pll.product_id = any(${productIds}) and pl.active and pl.valid_from <= ${ph('date')}::date
      and (pl.valid_to is null or pl.valid_to >= ${ph('date')}::date)
      and ((pl.customer_id is null and pl.customer_group is null) or pl.customer_id = ${ph('customerId')}::uuid or pl.customer_group = ${ph('group')}::text)`;
}

const priceCandidates = statement<Record<string, unknown>>('catalog_price_candidates', () => candidatesSql(sql`${sql.placeholder('productIds')}::uuid[]`));

function candidatesFromRows(raw: Record<string, unknown>[]): Map<string, Candidate[]> {
  const out = new Map<string, Candidate[]>();
  for (const r of raw) {
    const list = selectedRow(priceLists, r, 'list_')!;
    const line = selectedRow(priceListLines, r, 'line_')!;
    const c: Candidate = {
      rule: list.customerId ? 'customer' : list.customerGroup ? 'group' : 'list',
      listId: list.id,
      listName: list.name,
      validFrom: list.validFrom,
      createdAt: list.createdAt,
      unit: line.unit,
      minQuantity: fmtQty(line.minQuantity),
      unitPriceFen: line.unitPriceFen,
      floorPriceFen: line.floorPriceFen,
    };
    const of = out.get(line.productId) ?? [];
    of.push(c);
    out.set(line.productId, of);
  }
  return out;
}

async function candidatesOf(db: Db, productIds: string[], customerId: string | null, group: string | null, date: string): Promise<Map<string, Candidate[]>> {
  return candidatesFromRows(await priceCandidates(db, { productIds, date, customerId, group }));
}

/** Price lines read ahead for one (customer, group, date): effectivePrices() uses them instead of reading its own. */
export type PricesReadAhead = { key: string; productIds: Set<string>; candidates: Map<string, Candidate[]> };

const batchKey = (customerId: string | null, group: string | null, date: string) => JSON.stringify([customerId, group, date]);

/**
 * The SQL of getProductsForPricing() for a statement() (placeholders customerId, group, date, and ids unless a uuid[]
 * expression is given): rows of kind 'p'
 * (products) and 'c' (price lines), and, when `extra` is given, one row of kind 'x' whose column `extra` holds that JSON
 * expression — a caller's own reads in the same round trip. productsForPricingOf() reads the rows back.
 */
export function productsForPricingSql(extra?: SQL, ids: SQL = sql`${sql.placeholder('ids')}::uuid[]`): SQL {
  const noProduct = sql`${nullColumnsOf(products, 'p_')}, null::json as units`;
  const noPrice = sql`${nullColumnsOf(priceLists, 'list_')}, ${nullColumnsOf(priceListLines, 'line_')}`;
  return sql`select 'p' as kind, p.*, n.*, null::json as extra from (${productsByIdsSql('p_', ids)}) p cross join lateral (select ${noPrice}) n
    union all
    select 'c', n.*, c.*, null::json from (${candidatesSql(ids)}) c cross join lateral (select ${noProduct}) n
    ${extra ? sql`union all select 'x', n.*, m.*, (${extra}) from (select ${noProduct}) n cross join lateral (select ${noPrice}) m` : sql``}`;
}

/**
 * Price lines by (customer, group, date) and product, as productsForPricingOf() last read them, kept for 2 s like the
 * products (getProduct()); every price-list write clears them, so in one process an order never sees a replaced price,
 * and another process's write is seen within 2 s (as settings are).
 */
const candidateCache = keyedReadCache<Candidate[]>(2_000, 20_000);
const candidateKey = (batch: string, productId: string) => `${batch}|${productId}`;

type ForPricing = { products: Map<string, ProductInfo>; prices: PricesReadAhead };

/**
 * What productsForPricingOf() would give for these products and scope, from what is kept (the products of
 * getProduct(), the price lines of earlier reads), or null when anything is not: the caller then reads them all
 * (beginPricingRead(), productsForPricingSql(), keepForPricing()).
 */
export function keptForPricing(db: Db, ids: string[], scope: { customerId: string; group: string | null; date: string }): ForPricing | null {
  const valid = productIdsToRead(ids);
  const prods = keptProducts(db, valid);
  if (!prods) return null;
  const key = batchKey(scope.customerId, scope.group, scope.date);
  const lines = candidateCache.peekAll(
    db,
    valid.map((id) => candidateKey(key, id)),
  );
  if (!lines) return null;
  return {
    products: new Map(prods.map((p) => [p.id, p])),
    prices: { key, productIds: new Set(valid), candidates: new Map(valid.map((id, i) => [id, lines[i]!])) },
  };
}

export type PricingReadMark = { products: number | null; prices: number | null };

/** Marks a read of productsForPricingSql() about to begin (keepForPricing() then keeps it unless a write came in between). */
export function beginPricingRead(db: Db): PricingReadMark {
  return { products: productReadMark(db), prices: candidateCache.begin(db) };
}

/** Keeps what productsForPricingOf() read, for keptForPricing() (and the products for getProduct()). */
export function keepForPricing(db: Db, mark: PricingReadMark, read: ForPricing): void {
  keepProducts(db, mark.products, read.products.values());
  candidateCache.keep(
    db,
    mark.prices,
    [...read.prices.productIds].map((id): [string, Candidate[]] => [candidateKey(read.prices.key, id), read.prices.candidates.get(id) ?? []]),
  );
}

/** The products and read-ahead prices of productsForPricingSql() rows. */
export function productsForPricingOf(
  rows: Record<string, unknown>[],
  ids: string[],
  scope: { customerId: string; group: string | null; date: string },
): { products: Map<string, ProductInfo>; prices: PricesReadAhead } {
  const found = new Map<string, ProductInfo>();
  for (const r of rows) if (r.kind === 'p') found.set(r.p_id as string, productFromRow(r, 'p_'));
  return {
    products: found,
    prices: {
      key: batchKey(scope.customerId, scope.group, scope.date),
      productIds: new Set(productIdsToRead(ids)),
      candidates: candidatesFromRows(rows.filter((r) => r.kind === 'c')),
    },
  };
}

const productsAndPrices = statement<Record<string, unknown>>('catalog_products_and_prices', () => productsForPricingSql());

/**
 * getProducts() and the price lines effectivePrices() would read for these products, customer and date, in one round
 * trip (an order's lines): pass `prices` to effectivePrices().
 */
export async function getProductsForPricing(
  db: Db,
  ids: string[],
  scope: { customerId: string; group: string | null; date: string },
): Promise<{ products: Map<string, ProductInfo>; prices: PricesReadAhead }> {
  const valid = productIdsToRead(ids);
  const rows = valid.length ? await productsAndPrices(db, { ids: valid, customerId: scope.customerId, group: scope.group, date: scope.date }) : [];
  return productsForPricingOf(rows, valid, scope);
}

function pick(p: ProductInfo, candidates: Candidate[], unit: string, quantity: string): EffectivePrice | null {
  for (const rule of RULE_ORDER) {
    const level = candidates.filter((c) => c.rule === rule);
    for (const sameUnit of [true, false]) {
      const usable = level
        .filter((c) => (c.unit === unit) === sameUnit)
        .map((c) => reprice(p, c, unit, quantity))
        .filter((c): c is Candidate => c !== null)
        .sort((a, b) => b.validFrom.localeCompare(a.validFrom) || b.createdAt.getTime() - a.createdAt.getTime() || new Q(b.minQuantity).cmp(a.minQuantity));
      const best = usable[0];
      if (best)
        return { unitPriceFen: best.unitPriceFen, floorPriceFen: best.floorPriceFen, priceListId: best.listId, priceListName: best.listName, rule, minQuantity: best.minQuantity };
    }
  }
  return null;
}

/**
 * The price for (customer, product, unit, quantity, date) and the rule that gave it: a customer's own list beats
 * its group's list, which beats a general list; within a level the newest valid list wins, and within it the
 * largest quantity break not above the quantity. Lines in the requested unit win over lines in other units.
 */
export async function effectivePrice(db: Db, q: PriceQuery): Promise<EffectivePrice | null> {
  return (await effectivePrices(db, [q]))[0] ?? null;
}

/**
 * effectivePrice() for many queries at once (the lines of an order): one price-line query per distinct
 * (customer, group, date) instead of one per line. `known` may hold products the caller already loaded.
 * Fails like the first failing query would when called one by one.
 */
export async function effectivePrices(db: Db, queries: PriceQuery[], known?: Map<string, ProductInfo>, readAhead?: PricesReadAhead): Promise<(EffectivePrice | null)[]> {
  if (!queries.length) return [];
  const missing = [...new Set(queries.map((q) => q.productId))].filter((id) => !known?.has(id));
  const loaded = missing.length ? await getProducts(db, missing) : new Map<string, ProductInfo>();
  const productOf = (id: string) => known?.get(id) ?? loaded.get(id);
  const groups = new Map<string, string | null>();
  const prepared: { q: PriceQuery; p: ProductInfo; quantity: string; group: string | null }[] = [];
  for (const q of queries) {
    const quantity = fmtQty(positiveQty(q.quantity));
    const p = productOf(q.productId);
    if (!p)
      throw new DomainError(CatalogErrors.PRODUCT_NOT_FOUND_REF, { productId: q.productId }, [
        { field: 'productId', code: CatalogErrors.PRODUCT_NOT_FOUND_REF, params: { productId: q.productId } },
      ]);
    if (q.unit !== p.baseUnit && !p.units.some((u) => u.unit === q.unit)) {
      throw new DomainError(CatalogErrors.UNIT_NOT_CONVERTIBLE, { unit: q.unit, product: p.code }, [
        { field: 'unit', code: CatalogErrors.UNIT_NOT_CONVERTIBLE, params: { unit: q.unit, product: p.code } },
      ]);
    }
    let group = q.customerGroup;
    if (group === undefined) {
      if (!q.customerId) group = null;
      else if (groups.has(q.customerId)) group = groups.get(q.customerId)!;
      else {
        group = (await getCustomer(db, q.customerId))?.group ?? null;
        groups.set(q.customerId, group);
      }
    }
    prepared.push({ q, p, quantity, group });
  }
  const batches = new Map<string, { customerId: string | null; group: string | null; date: string; productIds: Set<string>; result?: Map<string, Candidate[]> }>();
  const keyOf = (x: (typeof prepared)[number]) => batchKey(x.q.customerId ?? null, x.group, x.q.date);
  for (const x of prepared) {
    const k = keyOf(x);
    const b = batches.get(k) ?? { customerId: x.q.customerId, group: x.group, date: x.q.date, productIds: new Set<string>() };
    b.productIds.add(x.p.id);
    batches.set(k, b);
  }
  for (const [k, b] of batches) {
    const ahead = readAhead && readAhead.key === k && [...b.productIds].every((id) => readAhead.productIds.has(id));
    b.result = ahead ? readAhead.candidates : await candidatesOf(db, [...b.productIds], b.customerId, b.group, b.date);
  }
  return prepared.map((x) => pick(x.p, batches.get(keyOf(x))!.result!.get(x.p.id) ?? [], x.q.unit, x.quantity));
}
