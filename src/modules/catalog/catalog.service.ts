import { and, asc, count, eq, inArray, ne, or, sql, type SQL } from 'drizzle-orm';
import type { Actor } from '../../platform/auth/actor.js';
import { recordAudit } from '../../platform/audit/audit.service.js';
import { clock } from '../../platform/clock.js';
import { columnsOf, selectedRow, statement, type Db } from '../../platform/db/client.js';
import { keyedReadCache } from '../../platform/db/read-cache.js';
import { DomainError, type FieldIssue } from '../../platform/errors/domain-error.js';
import { offsetOf, orderByOf, type Page } from '../../platform/http/list.js';
import { fmtQty, qty } from '../../platform/quantity.js';
import { isRegionCode } from '../customers/index.js';
import { CatalogErrors } from './catalog.errors.js';
import { priceListLines, productUnits, products, type LabelStandard, type MaterialType, type ProductKind, type TempProfile } from './catalog.tables.js';
import { convertQuantity, isValidFactor, isValidGtin, normaliseFactor } from './units.js';

export type ProductUnit = { unit: string; factorToBase: string; sellable: boolean };

/** The public shape of a product or material (docs/module-contracts.md). */
export type ProductInfo = {
  id: string;
  code: string;
  name: string;
  nameEn: string | null;
  kind: ProductKind;
  materialType: MaterialType | null;
  category: string;
  variety: string | null;
  spec: string | null;
  grade: string | null;
  baseUnit: string;
  units: ProductUnit[];
  originRegion: string | null;
  shelfLifeDays: number | null;
  storageConditions: string | null;
  tempProfile: TempProfile;
  tempMinC: number | null;
  tempMaxC: number | null;
  coldChain: boolean;
  seasonMonths: number[];
  gtin: string | null;
  catchWeight: boolean;
  labelStandard: LabelStandard;
  prepackaged: boolean;
  phiDays: number | null;
  allowedUse: boolean;
  safetyStock: string;
  reorderPoint: string;
  active: boolean;
};

export type ProductView = ProductInfo & { createdAt: Date; updatedAt: Date };

type ProductRow = typeof products.$inferSelect;

/** Typical storage targets per temperature profile (docs STANDARDS "Cold-chain profiles"). */
export const PROFILE_RANGES: Record<TempProfile, { min: number | null; max: number | null; coldChain: boolean }> = {
  frozen: { min: -25, max: -18, coldChain: true },
  chilled: { min: 0, max: 2, coldChain: true },
  cool: { min: 4, max: 7, coldChain: true },
  chilling_sensitive: { min: 7, max: 13, coldChain: true },
  warm: { min: 13, max: 18, coldChain: false },
  ambient: { min: null, max: null, coldChain: false },
};

function toView(p: ProductRow, units: ProductUnit[]): ProductView {
  const sorted = [...units].sort((a, b) => (a.unit === p.baseUnit ? -1 : b.unit === p.baseUnit ? 1 : Number(a.factorToBase) - Number(b.factorToBase)));
  return {
    id: p.id,
    code: p.code,
    name: p.name,
    nameEn: p.nameEn,
    kind: p.kind,
    materialType: p.materialType,
    category: p.category,
    variety: p.variety,
    spec: p.spec,
    grade: p.grade,
    baseUnit: p.baseUnit,
    units: sorted,
    originRegion: p.originRegion,
    shelfLifeDays: p.shelfLifeDays,
    storageConditions: p.storageConditions,
    tempProfile: p.tempProfile,
    tempMinC: p.tempMinC,
    tempMaxC: p.tempMaxC,
    coldChain: p.coldChain,
    seasonMonths: [...p.seasonMonths].sort((a, b) => a - b),
    gtin: p.gtin,
    catchWeight: p.catchWeight,
    labelStandard: p.labelStandard,
    prepackaged: p.prepackaged,
    phiDays: p.phiDays,
    allowedUse: p.allowedUse,
    safetyStock: fmtQty(p.safetyStock),
    reorderPoint: fmtQty(p.reorderPoint),
    active: p.active,
    createdAt: p.createdAt,
    updatedAt: p.updatedAt,
  };
}

async function unitsOf(db: Db, ids: string[]): Promise<Map<string, ProductUnit[]>> {
  const m = new Map<string, ProductUnit[]>(ids.map((id) => [id, []]));
  if (!ids.length) return m;
  const rows = await db.select().from(productUnits).where(inArray(productUnits.productId, ids));
  for (const r of rows) m.get(r.productId)?.push({ unit: r.unit, factorToBase: r.factorToBase, sellable: r.sellable });
  return m;
}

async function viewsOf(db: Db, rows: ProductRow[]): Promise<ProductView[]> {
  const units = await unitsOf(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => toView(r, units.get(r.id) ?? []));
}

const unitsJson = sql<ProductUnit[] | string>`coalesce((select json_agg(json_build_object('unit', u.unit, 'factorToBase', u.factor_to_base::text, 'sellable', u.sellable))
  from ${productUnits} u where u.product_id = "products"."id"), '[]'::json)`;
const viewOf = (r: { p: ProductRow; units: ProductUnit[] | string }): ProductView => toView(r.p, typeof r.units === 'string' ? (JSON.parse(r.units) as ProductUnit[]) : r.units);

/** Products with their units in one round trip (units aggregated as JSON beside each row). */
async function selectWithUnits(db: Db, where: SQL): Promise<ProductView[]> {
  const rows = await db.select({ p: products, units: unitsJson }).from(products).where(where);
  return rows.map(viewOf);
}

/** A well-formed UUID (anything else names no product, and would fail the statement's uuid cast). */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const productById = statement<Record<string, unknown> & { units: ProductUnit[] | string }>(
  'catalog_product_by_id',
  () => sql`select ${columnsOf(products, 'products')}, ${unitsJson} as units from products where products.id = ${sql.placeholder('id')}::uuid`,
);

/** One product or material with its units, or null: a prepared statement (it runs on every order line and reservation). */
/** Products read by getProduct() (every reservation reads its product), kept for 2 s; product writes clear them. */
const productCache = keyedReadCache<ProductInfo>(2_000);

/** The products getProduct() keeps, when it keeps every one of these (ids as productIdsToRead() gives them), or null. */
export function keptProducts(db: Db, ids: string[]): ProductInfo[] | null {
  return productCache.peekAll(db, ids);
}

/** Marks a read of products about to begin; keepProducts() with the mark keeps them for getProduct() unless a product was written in between. */
export function productReadMark(db: Db): number | null {
  return productCache.begin(db);
}

export function keepProducts(db: Db, mark: number | null, read: Iterable<ProductInfo>): void {
  productCache.keep(
    db,
    mark,
    [...read].map((p): [string, ProductInfo] => [p.id, p]),
  );
}

export async function getProduct(db: Db, id: string): Promise<ProductInfo | null> {
  if (!UUID.test(id)) return null;
  return productCache.get(db, id, async () => {
    const [row] = await productById(db, { id });
    return row ? viewOf({ p: selectedRow(products, row)!, units: row.units }) : null;
  });
}

const productsByIds = statement<Record<string, unknown> & { units: ProductUnit[] | string }>('catalog_products_by_ids', () => productsByIdsSql(''));

/**
 * Products by id (placeholder `ids`, or the given uuid[] expression) with their units, columns named `<prefix><key>` and `units`: for a statement()
 * that reads them beside other rows (prices). productFromRow() turns a row back into the product.
 */
export function productsByIdsSql(prefix: string, ids: SQL = sql`${sql.placeholder('ids')}::uuid[]`): SQL {
  return sql`select ${columnsOf(products, 'products', prefix)}, ${unitsJson} as units from products where products.id = any(${ids})`;
}

export function productFromRow(r: Record<string, unknown>, prefix = ''): ProductInfo {
  return viewOf({ p: selectedRow(products, r, prefix)!, units: r.units as ProductUnit[] | string });
}

/** The ids getProducts() would look up: well-formed UUIDs, once each. */
export function productIdsToRead(ids: string[]): string[] {
  return [...new Set(ids)].filter((id) => UUID.test(id));
}

/** Several products by id (missing ids are simply absent from the map): a prepared statement (every order reads its products). */
export async function getProducts(db: Db, ids: string[]): Promise<Map<string, ProductInfo>> {
  const valid = productIdsToRead(ids);
  if (!valid.length) return new Map();
  const rows = await productsByIds(db, { ids: valid });
  return new Map(rows.map((r) => productFromRow(r)).map((v) => [v.id, v]));
}

export async function loadProduct(db: Db, id: string): Promise<ProductView> {
  const [view] = await selectWithUnits(db, eq(products.id, id));
  if (!view) throw new DomainError(CatalogErrors.PRODUCT_NOT_FOUND);
  return view;
}

/** A product referenced from a request body: a 400 with the field when it does not exist. */
export async function requireProductRef(db: Db, productId: string, field = 'productId'): Promise<ProductInfo> {
  const p = await getProduct(db, productId);
  if (!p) throw new DomainError(CatalogErrors.PRODUCT_NOT_FOUND_REF, { productId }, [{ field, code: CatalogErrors.PRODUCT_NOT_FOUND_REF, params: { productId } }]);
  return p;
}

/** Exact base-unit quantity (3 decimals) of `quantity unit` for a product. */
export async function toBaseQuantity(db: Db, productId: string, quantity: string, unit: string): Promise<string> {
  const p = await requireProductRef(db, productId);
  return convertQuantity(p, quantity, unit, p.baseUnit);
}

export type ProductFilter = {
  q?: string;
  kind?: ProductKind;
  materialType?: MaterialType;
  category?: string;
  tempProfile?: TempProfile;
  coldChain?: boolean;
  active?: boolean;
  inSeason?: number;
  page: number;
  pageSize: number;
  sort?: string;
};

function productWhere(f: Omit<ProductFilter, 'page' | 'pageSize' | 'sort'>): SQL | undefined {
  const conds: SQL[] = [];
  if (f.q) {
    const like = `%${f.q}%`;
    conds.push(
      or(
        sql`${products.code} ilike ${like}`,
        sql`${products.name} ilike ${like}`,
        sql`${products.nameEn} ilike ${like}`,
        sql`${products.variety} ilike ${like}`,
        eq(products.gtin, f.q),
      )!,
    );
  }
  if (f.kind) conds.push(eq(products.kind, f.kind));
  if (f.materialType) conds.push(eq(products.materialType, f.materialType));
  if (f.category) conds.push(eq(products.category, f.category));
  if (f.tempProfile) conds.push(eq(products.tempProfile, f.tempProfile));
  if (f.coldChain !== undefined) conds.push(eq(products.coldChain, f.coldChain));
  if (f.active !== undefined) conds.push(eq(products.active, f.active));
  if (f.inSeason !== undefined) conds.push(sql`(cardinality(${products.seasonMonths}) = 0 or ${f.inSeason} = any(${products.seasonMonths}))`);
  return conds.length ? and(...conds) : undefined;
}

export async function listProducts(db: Db, f: ProductFilter): Promise<Page<ProductView>> {
  const where = productWhere(f);
  const order = orderByOf(
    f.sort,
    { code: products.code, name: products.name, category: products.category, shelfLifeDays: products.shelfLifeDays, createdAt: products.createdAt, updatedAt: products.updatedAt },
    [asc(products.code)],
  );
  const [rows, total] = await Promise.all([
    db
      .select()
      .from(products)
      .where(where)
      .orderBy(...order)
      .limit(f.pageSize)
      .offset(offsetOf(f)),
    db.select({ n: count() }).from(products).where(where),
  ]);
  return { items: await viewsOf(db, rows), total: total[0]?.n ?? 0, page: f.page, pageSize: f.pageSize };
}

/** Ids of products matching a filter (for other modules: replenishment, reports). */
export async function listProductIds(db: Db, filter: Omit<ProductFilter, 'page' | 'pageSize' | 'sort'> = {}): Promise<string[]> {
  const rows = await db.select({ id: products.id }).from(products).where(productWhere(filter)).orderBy(asc(products.code));
  return rows.map((r) => r.id);
}

/** The id of the product with this code, or null (demo data of other modules). */
export async function productIdByCode(db: Db, code: string): Promise<string | null> {
  const [p] = await db.select({ id: products.id }).from(products).where(eq(products.code, code));
  return p?.id ?? null;
}

/** Ids of the products whose GTIN, compared as GTIN-14, is this one (GS1 Digital Link resolution). */
export async function productIdsByGtin14(db: Db, gtin14: string): Promise<string[]> {
  const rows = await db
    .select({ id: products.id })
    .from(products)
    .where(sql`lpad(${products.gtin}, 14, '0') = ${gtin14}`);
  return rows.map((r) => r.id);
}

/** Distinct categories in use, for pickers. */
export async function listCategories(db: Db, kind?: ProductKind): Promise<string[]> {
  const rows = await db
    .selectDistinct({ c: products.category })
    .from(products)
    .where(kind ? eq(products.kind, kind) : undefined)
    .orderBy(asc(products.category));
  return rows.map((r) => r.c);
}

export type ProductInput = {
  code: string;
  name: string;
  nameEn?: string | null;
  kind: ProductKind;
  materialType?: MaterialType | null;
  category: string;
  variety?: string | null;
  spec?: string | null;
  grade?: string | null;
  baseUnit: string;
  units?: ProductUnit[];
  originRegion?: string | null;
  shelfLifeDays?: number | null;
  storageConditions?: string | null;
  tempProfile?: TempProfile;
  tempMinC?: number | null;
  tempMaxC?: number | null;
  coldChain?: boolean;
  seasonMonths?: number[];
  gtin?: string | null;
  catchWeight?: boolean;
  labelStandard?: LabelStandard;
  prepackaged?: boolean;
  phiDays?: number | null;
  allowedUse?: boolean;
  safetyStock?: string;
  reorderPoint?: string;
  active?: boolean;
};

type Row = typeof products.$inferInsert;

/** Checks the cross-field rules of a complete product and returns its units (base unit first, factor 1). */
function validateProduct(p: ProductInput, units: ProductUnit[]): ProductUnit[] {
  const issues: FieldIssue[] = [];
  let code: string | null = null;
  let params: Record<string, unknown> = {};
  const fail = (c: string, field: string, prm: Record<string, unknown> = {}) => {
    issues.push({ field, code: c, params: prm });
    if (!code) {
      code = c;
      params = prm;
    }
  };
  if (p.kind === 'material' ? !p.materialType : p.materialType) fail(CatalogErrors.PRODUCT_MATERIAL_TYPE_REQUIRED, 'materialType');
  if (p.phiDays != null && p.materialType !== 'pesticide') fail(CatalogErrors.PRODUCT_PHI_ONLY_PESTICIDE, 'phiDays');
  if (p.tempMinC != null && p.tempMaxC != null && p.tempMinC > p.tempMaxC) fail(CatalogErrors.PRODUCT_TEMP_RANGE_INVALID, 'tempMinC');
  if (p.originRegion && !isRegionCode(p.originRegion)) fail(CatalogErrors.PRODUCT_REGION_UNKNOWN, 'originRegion', { code: p.originRegion });
  if (p.gtin && !isValidGtin(p.gtin)) fail(CatalogErrors.PRODUCT_GTIN_INVALID, 'gtin', { gtin: p.gtin });
  const seen = new Set<string>();
  const out: ProductUnit[] = [];
  units.forEach((u, i) => {
    const unit = u.unit.trim();
    if (seen.has(unit)) return fail(CatalogErrors.UNIT_DUPLICATE, `units.${i}.unit`, { unit });
    seen.add(unit);
    if (!isValidFactor(u.factorToBase)) return fail(CatalogErrors.UNIT_FACTOR_INVALID, `units.${i}.factorToBase`, { unit, factor: u.factorToBase });
    const factor = normaliseFactor(u.factorToBase);
    if (unit === p.baseUnit && factor !== '1') return fail(CatalogErrors.UNIT_BASE_FACTOR, `units.${i}.factorToBase`, { unit });
    out.push({ unit, factorToBase: factor, sellable: u.sellable });
  });
  if (!seen.has(p.baseUnit)) out.unshift({ unit: p.baseUnit, factorToBase: '1', sellable: true });
  for (const field of ['safetyStock', 'reorderPoint'] as const) {
    try {
      const v = p[field];
      if (v !== undefined && qty(v).lt(0)) fail('FIELD_TOO_SMALL', field, { minimum: 0 });
    } catch {
      fail('QUANTITY_INVALID', field, { value: p[field] });
    }
  }
  if (code) throw new DomainError(issues.length > 1 ? 'VALIDATION_FAILED' : code, params, issues);
  return out;
}

async function assertUnique(db: Db, code: string, gtin: string | null | undefined, exceptId: string | null): Promise<void> {
  const [c] = await db
    .select({ id: products.id })
    .from(products)
    .where(and(eq(products.code, code), exceptId ? ne(products.id, exceptId) : undefined));
  if (c) throw new DomainError(CatalogErrors.PRODUCT_CODE_TAKEN, { code }, [{ field: 'code', code: CatalogErrors.PRODUCT_CODE_TAKEN, params: { code } }]);
  if (gtin) {
    const [g] = await db
      .select({ id: products.id })
      .from(products)
      .where(and(eq(products.gtin, gtin), exceptId ? ne(products.id, exceptId) : undefined));
    if (g) throw new DomainError(CatalogErrors.PRODUCT_GTIN_TAKEN, { gtin }, [{ field: 'gtin', code: CatalogErrors.PRODUCT_GTIN_TAKEN, params: { gtin } }]);
  }
}

function rowOf(input: ProductInput): Row {
  const profile = input.tempProfile ?? 'ambient';
  const range = PROFILE_RANGES[profile];
  return {
    code: input.code.trim(),
    name: input.name.trim(),
    nameEn: input.nameEn ?? null,
    kind: input.kind,
    materialType: input.materialType ?? null,
    category: input.category.trim(),
    variety: input.variety ?? null,
    spec: input.spec ?? null,
    grade: input.grade ?? null,
    baseUnit: input.baseUnit.trim(),
    originRegion: input.originRegion ?? null,
    shelfLifeDays: input.shelfLifeDays ?? null,
    storageConditions: input.storageConditions ?? null,
    tempProfile: profile,
    tempMinC: input.tempMinC === undefined ? range.min : input.tempMinC,
    tempMaxC: input.tempMaxC === undefined ? range.max : input.tempMaxC,
    coldChain: input.coldChain ?? range.coldChain,
    seasonMonths: [...new Set(input.seasonMonths ?? [])].sort((a, b) => a - b),
    gtin: input.gtin || null,
    catchWeight: input.catchWeight ?? false,
    labelStandard: input.labelStandard ?? (input.prepackaged ? 'GB7718-2025' : 'bulk'),
    prepackaged: input.prepackaged ?? false,
    phiDays: input.phiDays ?? null,
    allowedUse: input.allowedUse ?? true,
    safetyStock: fmtQty(qty(input.safetyStock ?? '0')),
    reorderPoint: fmtQty(qty(input.reorderPoint ?? '0')),
    active: input.active ?? true,
  };
}

/** Creates a product or material with its units (the base unit is always a unit with factor 1). */
export async function createProduct(db: Db, actor: Actor, input: ProductInput): Promise<ProductView> {
  const units = validateProduct({ ...input, baseUnit: input.baseUnit.trim() }, input.units ?? []);
  const row = rowOf(input);
  await assertUnique(db, row.code, row.gtin, null);
  productCache.clear(db);
  const [created] = await db.insert(products).values(row).returning();
  await db.insert(productUnits).values(units.map((u) => ({ ...u, productId: created!.id })));
  const view = toView(created!, units);
  await recordAudit(db, actor, { action: 'product.create', entity: 'product', entityId: created!.id, after: view });
  return view;
}

/** Edits a product; units are replaced as a set, but units and base unit used by price lists stay as they are. */
export async function updateProduct(db: Db, actor: Actor, id: string, patch: Partial<ProductInput>): Promise<ProductView> {
  const before = await loadProduct(db, id);
  const merged: ProductInput = {
    ...before,
    ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)),
    units: patch.units ?? before.units,
  } as ProductInput;
  if (patch.tempProfile && patch.tempProfile !== before.tempProfile) {
    const r = PROFILE_RANGES[patch.tempProfile];
    if (patch.tempMinC === undefined) merged.tempMinC = r.min;
    if (patch.tempMaxC === undefined) merged.tempMaxC = r.max;
    if (patch.coldChain === undefined) merged.coldChain = r.coldChain;
  }
  const units = validateProduct(merged, merged.units ?? []);
  const usedUnits = await db.selectDistinct({ unit: priceListLines.unit }).from(priceListLines).where(eq(priceListLines.productId, id));
  if (usedUnits.length && merged.baseUnit !== before.baseUnit)
    throw new DomainError(CatalogErrors.PRODUCT_BASE_UNIT_CHANGE, {}, [{ field: 'baseUnit', code: CatalogErrors.PRODUCT_BASE_UNIT_CHANGE }]);
  for (const { unit } of usedUnits) {
    const old = before.units.find((u) => u.unit === unit);
    const now = units.find((u) => u.unit === unit);
    if (old && (!now || now.factorToBase !== old.factorToBase))
      throw new DomainError(CatalogErrors.UNIT_IN_USE, { unit }, [{ field: 'units', code: CatalogErrors.UNIT_IN_USE, params: { unit } }]);
  }
  const row = rowOf(merged);
  await assertUnique(db, row.code, row.gtin, id);
  productCache.clear(db);
  const [updated] = await db
    .update(products)
    .set({ ...row, updatedAt: clock.now() })
    .where(eq(products.id, id))
    .returning();
  await db.delete(productUnits).where(eq(productUnits.productId, id));
  await db.insert(productUnits).values(units.map((u) => ({ ...u, productId: id })));
  const view = toView(updated!, units);
  await recordAudit(db, actor, { action: 'product.update', entity: 'product', entityId: id, before, after: view });
  return view;
}
