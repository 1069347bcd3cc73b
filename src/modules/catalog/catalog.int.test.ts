import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../platform/platform.tables.js';
import { json, testApp, type TestApp } from '../../../test/helpers/app.js';
import { priceLists, products } from './catalog.tables.js';
import { toBaseQuantity } from './catalog.service.js';
import { getProduct } from './catalog.service.js';
import { effectivePrice, effectivePrices, getProductsForPricing } from './prices.service.js';
import { inTransaction } from '../../platform/db/client.js';
import { searchCustomers, seedCustomersDemo } from '../customers/index.js';
import { SYSTEM_ACTOR } from '../../platform/auth/actor.js';
import { seedCatalogDemo } from './catalog.demo.js';
import { getProducts, listProductIds } from './catalog.service.js';

let t: TestApp;
let manager: string;
let sales: string;
let customerId: string;
let otherCustomerId: string;

const apple = {
  code: 'APL-1',
  name: '红富士苹果',
  kind: 'produce',
  category: '水果',
  baseUnit: 'kg',
  units: [
    { unit: '箱', factorToBase: '10', sellable: true },
    { unit: '斤', factorToBase: '0.5', sellable: true },
    { unit: '托', factorToBase: '3', sellable: false },
  ],
  originRegion: '610629',
  shelfLifeDays: 90,
  tempProfile: 'chilled',
  seasonMonths: [10, 9, 11],
  gtin: '6901234567892',
  safetyStock: '100',
  reorderPoint: '200.5',
};

type Problem = { code: string; errors?: { field: string; code: string }[] };
type Product = {
  id: string;
  units: { unit: string; factorToBase: string }[];
  tempMinC: number | null;
  tempMaxC: number | null;
  coldChain: boolean;
  seasonMonths: number[];
  originRegionName: string;
  reorderPoint: string;
};

async function post(url: string, payload: unknown, cookie = manager) {
  return t.app.inject({ method: 'POST', url, payload: payload as object, headers: { cookie } });
}

async function countOf(table: typeof products | typeof priceLists): Promise<number> {
  const [r] = await t.database.db.select({ n: count() }).from(table);
  return r!.n;
}

let appleId: string;

beforeAll(async () => {
  t = await testApp();
  manager = (await t.loginAs(['admin'])).cookie;
  sales = (await t.loginAs(['sales'])).cookie;
  const c1 = await post('/api/customers', { name: '客户甲', kind: 'individual', group: '商超' });
  const c2 = await post('/api/customers', { name: '客户乙', kind: 'individual', group: '餐饮' });
  customerId = json<{ id: string }>(c1).id;
  otherCustomerId = json<{ id: string }>(c2).id;
  const res = await post('/api/catalog/products', apple);
  expect(res.statusCode).toBe(201);
  appleId = json<{ id: string }>(res).id;
});
afterAll(async () => t?.close());

describe('products and units', () => {
  it('creates a product with its base unit first and profile temperatures filled in', async () => {
    const p = json<Product>(await t.app.inject({ url: `/api/catalog/products/${appleId}`, headers: { cookie: sales } }));
    expect(p.units.map((u) => `${u.unit}=${u.factorToBase}`)).toEqual(['kg=1', '斤=0.5', '托=3', '箱=10']);
    expect([p.tempMinC, p.tempMaxC, p.coldChain]).toEqual([0, 2, true]);
    expect(p.seasonMonths).toEqual([9, 10, 11]);
    expect(p.originRegionName).toBe('陕西省 延安市 洛川县');
    expect(p.reorderPoint).toBe('200.500');
  });

  it('converts between units exactly and rejects inexact conversions', async () => {
    const ok = await t.app.inject({
      url: `/api/catalog/products/${appleId}/convert?quantity=3&from=${encodeURIComponent('箱')}&to=${encodeURIComponent('斤')}`,
      headers: { cookie: sales },
    });
    expect(json(ok)).toEqual({ quantity: '60.000', unit: '斤' });
    const inexact = await t.app.inject({ url: `/api/catalog/products/${appleId}/convert?quantity=1&from=kg&to=${encodeURIComponent('托')}`, headers: { cookie: sales } });
    expect(inexact.statusCode).toBe(400);
    expect(json<Problem>(inexact).code).toBe('QUANTITY_INEXACT');
    expect(await toBaseQuantity(t.database.db, appleId, '2.5', '箱')).toBe('25.000');
    await expect(toBaseQuantity(t.database.db, appleId, '1', '袋')).rejects.toMatchObject({ code: 'UNIT_NOT_CONVERTIBLE', status: 400 });
    await expect(toBaseQuantity(t.database.db, appleId, '-x', 'kg')).rejects.toMatchObject({ code: 'QUANTITY_INVALID' });
  });

  it('refuses a duplicate product code with 409 and writes nothing', async () => {
    const before = await countOf(products);
    const res = await post('/api/catalog/products', { ...apple, gtin: null });
    expect(res.statusCode).toBe(409);
    expect(json<Problem>(res).code).toBe('PRODUCT_CODE_TAKEN');
    expect(await countOf(products)).toBe(before);
  });

  it('reports every invalid field of a product at once', async () => {
    const before = await countOf(products);
    const res = await post('/api/catalog/products', {
      ...apple,
      code: 'BAD-1',
      gtin: '6901234567891',
      originRegion: '999999',
      tempMinC: 5,
      tempMaxC: 1,
      phiDays: 7,
      units: [{ unit: '箱', factorToBase: '0' }],
    });
    expect(res.statusCode).toBe(400);
    const fields = json<Problem>(res).errors!.map((e) => `${e.field}:${e.code}`);
    expect(fields).toEqual(
      expect.arrayContaining([
        'gtin:PRODUCT_GTIN_INVALID',
        'originRegion:PRODUCT_REGION_UNKNOWN',
        'tempMinC:PRODUCT_TEMP_RANGE_INVALID',
        'phiDays:PRODUCT_PHI_ONLY_PESTICIDE',
        'units.0.factorToBase:UNIT_FACTOR_INVALID',
      ]),
    );
    expect(await countOf(products)).toBe(before);
  });

  it('requires a material type for materials and accepts a pesticide with its pre-harvest interval', async () => {
    const bad = await post('/api/catalog/products', { code: 'M-1', name: '复合肥', kind: 'material', category: '肥料', baseUnit: 'kg' });
    expect(json<Problem>(bad).code).toBe('PRODUCT_MATERIAL_TYPE_REQUIRED');
    const ok = await post('/api/catalog/products', {
      code: 'M-2',
      name: '吡虫啉',
      kind: 'material',
      materialType: 'pesticide',
      category: '农药',
      baseUnit: 'kg',
      phiDays: 7,
      allowedUse: false,
      safetyStock: '5',
    });
    expect(ok.statusCode).toBe(201);
    expect(json(ok)).toMatchObject({ phiDays: 7, allowedUse: false, safetyStock: '5.000', tempProfile: 'ambient', coldChain: false });
  });

  it('rejects non-numeric stock levels with a field error', async () => {
    const res = await post('/api/catalog/products', { ...apple, code: 'APL-X', gtin: null, safetyStock: '1e3' });
    expect(res.statusCode).toBe(400);
    expect(json<Problem>(res).errors![0]).toMatchObject({ field: 'safetyStock', code: 'FIELD_INVALID_QUANTITY' });
  });

  it('refuses catalog writes to roles without catalog:manage', async () => {
    const res = await post('/api/catalog/products', { ...apple, code: 'APL-2', gtin: null }, sales);
    expect(res.statusCode).toBe(403);
  });

  it('filters the list by kind, season and keyword and exports it', async () => {
    const materials = json<{ items: { code: string }[] }>(await t.app.inject({ url: '/api/catalog/products?kind=material', headers: { cookie: sales } }));
    expect(materials.items.map((p) => p.code)).toEqual(['M-2']);
    const inMay = json<{ items: { code: string }[] }>(await t.app.inject({ url: '/api/catalog/products?inSeason=5&kind=produce', headers: { cookie: sales } }));
    expect(inMay.items.map((p) => p.code)).not.toContain('APL-1');
    const byName = json<{ total: number }>(await t.app.inject({ url: `/api/catalog/products?q=${encodeURIComponent('富士')}`, headers: { cookie: sales } }));
    expect(byName.total).toBe(1);
    const xlsx = await t.app.inject({ url: '/api/catalog/products/export.xlsx', headers: { cookie: sales } });
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.headers['content-type']).toContain('spreadsheetml');
  });

  it('reads a product changed by a write from the moment the write is saved (the product cache is cleared)', async () => {
    // Past the 2 s after the last product write, in which reads bypass the cache.
    await new Promise((r) => setTimeout(r, 2_100));
    expect((await getProduct(t.database.db, appleId))!.shelfLifeDays).not.toBe(77); // fills the cache
    const res = await t.app.inject({ method: 'PATCH', url: `/api/catalog/products/${appleId}`, headers: { cookie: manager }, payload: { shelfLifeDays: 77 } });
    expect(res.statusCode, res.body).toBe(200);
    expect((await getProduct(t.database.db, appleId))!.shelfLifeDays).toBe(77);
  });

  it('records an audit entry for each product write', async () => {
    const rows = await t.database.db.select().from(auditLog).where(eq(auditLog.entityId, appleId));
    expect(rows.map((r) => r.action)).toContain('product.create');
  });
});

describe('price lists and the effective price', () => {
  const year = '2026';
  beforeAll(async () => {
    const lines = (fen: number) => [
      { productId: appleId, unit: 'kg', minQuantity: '0', unitPriceFen: fen, floorPriceFen: fen - 200 },
      { productId: appleId, unit: 'kg', minQuantity: '500', unitPriceFen: fen - 100 },
    ];
    for (const body of [
      { code: 'OLD', name: '旧价', validFrom: '2025-01-01', validTo: '2025-12-31', lines: lines(900) },
      {
        code: 'STD',
        name: '标准价',
        validFrom: `${year}-01-01`,
        validTo: `${year}-12-31`,
        lines: [...lines(1200), { productId: appleId, unit: '托', minQuantity: '0', unitPriceFen: 1000 }],
      },
      { code: 'GRP', name: '商超价', customerGroup: '商超', validFrom: `${year}-01-01`, lines: lines(1150) },
      { code: 'CUS', name: '客户甲协议价', customerId, validFrom: `${year}-06-01`, validTo: `${year}-06-30`, lines: lines(1000) },
    ]) {
      const res = await post('/api/catalog/price-lists', body);
      expect(res.statusCode, res.body).toBe(201);
    }
  });

  const price = (q: Partial<Parameters<typeof effectivePrice>[1]>) =>
    effectivePrice(t.database.db, { customerId: null, productId: appleId, unit: 'kg', quantity: '10', date: `${year}-03-01`, ...q });

  it('uses the general list for a customer without its own or group prices', async () => {
    expect(await price({ customerId: otherCustomerId })).toMatchObject({ unitPriceFen: 1200, floorPriceFen: 1000, rule: 'list', priceListName: '标准价', minQuantity: '0.000' });
  });

  it('prefers the group list to the general list', async () => {
    expect(await price({ customerId })).toMatchObject({ unitPriceFen: 1150, rule: 'group' });
  });

  it("prefers the customer's own list while it is valid", async () => {
    expect(await price({ customerId, date: `${year}-06-15` })).toMatchObject({ unitPriceFen: 1000, rule: 'customer' });
    expect(await price({ customerId, date: `${year}-07-01` })).toMatchObject({ unitPriceFen: 1150, rule: 'group' });
  });

  it('applies the largest quantity break not above the quantity', async () => {
    expect(await price({ quantity: '499.999' })).toMatchObject({ unitPriceFen: 1200, minQuantity: '0.000' });
    expect(await price({ quantity: '500' })).toMatchObject({ unitPriceFen: 1100, minQuantity: '500.000' });
  });

  it('ignores lists outside their validity dates', async () => {
    expect(await price({ date: '2024-06-01' })).toBeNull();
    expect(await price({ date: '2025-06-01' })).toMatchObject({ unitPriceFen: 900 });
  });

  it('derives a price in another unit only when it is a whole number of fen', async () => {
    expect(await price({ unit: '斤', quantity: '10' })).toMatchObject({ unitPriceFen: 600, floorPriceFen: 500, rule: 'list' });
    expect(await price({ unit: '箱', quantity: '1' })).toMatchObject({ unitPriceFen: 12000 });
    // A line in the requested unit wins over one derived from kg (which would be 3600).
    expect(await price({ unit: '托', quantity: '1' })).toMatchObject({ unitPriceFen: 1000 });
  });

  it('prices read ahead with the products (an order) equal prices read alone, and need no further query', async () => {
    for (const [who, group, date] of [
      [customerId, '商超', `${year}-06-15`],
      [customerId, '商超', `${year}-07-01`],
      [otherCustomerId, null, `${year}-03-01`],
      [otherCustomerId, null, '2024-06-01'],
    ] as const) {
      const { products, prices } = await getProductsForPricing(t.database.db, [appleId, 'not-a-uuid'], { customerId: who, group, date });
      expect([...products.keys()]).toEqual([appleId]);
      const queries = ['10', '500', '1'].flatMap((quantity) =>
        ['kg', '斤', '托'].map((unit) => ({ customerId: who, customerGroup: group, productId: appleId, unit, quantity, date })),
      );
      const alone = await effectivePrices(t.database.db, queries);
      // A handle that cannot query: the read-ahead must answer everything.
      const noDb = { session: { client: { query: () => Promise.reject(new Error('queried')) } } } as unknown as typeof t.database.db;
      expect(await effectivePrices(noDb, queries, products, prices)).toEqual(alone);
    }
  });

  it('answers the price endpoint with the rule, and 404 when nothing applies', async () => {
    const ok = await t.app.inject({
      url: `/api/catalog/prices/effective?customerId=${customerId}&productId=${appleId}&unit=kg&quantity=600&date=${year}-03-01`,
      headers: { cookie: sales },
    });
    expect(json(ok)).toMatchObject({ unitPriceFen: 1050, rule: 'group', minQuantity: '500.000' });
    const none = await t.app.inject({ url: `/api/catalog/prices/effective?productId=${appleId}&unit=kg&quantity=1&date=2020-01-01`, headers: { cookie: sales } });
    expect(none.statusCode).toBe(404);
    expect(json<Problem>(none).code).toBe('PRICE_NOT_FOUND');
    const bad = await t.app.inject({ url: `/api/catalog/prices/effective?productId=${appleId}&unit=kg&quantity=-1`, headers: { cookie: sales } });
    expect(bad.statusCode).toBe(400);
  });

  it('rejects invalid price lists with a code and writes nothing', async () => {
    const before = await countOf(priceLists);
    const cases: [unknown, string][] = [
      [{ name: 'x', validFrom: '2026-02-01', validTo: '2026-01-01', lines: [] }, 'PRICE_LIST_DATES_INVALID'],
      [{ name: 'x', validFrom: '2026-01-01', lines: [{ productId: appleId, unit: 'kg', unitPriceFen: 100, floorPriceFen: 200 }] }, 'PRICE_FLOOR_ABOVE_PRICE'],
      [
        {
          name: 'x',
          validFrom: '2026-01-01',
          lines: [
            { productId: appleId, unit: 'kg', unitPriceFen: 100 },
            { productId: appleId, unit: 'kg', minQuantity: '0.000', unitPriceFen: 90 },
          ],
        },
        'PRICE_LINE_DUPLICATE',
      ],
      [{ name: 'x', validFrom: '2026-01-01', lines: [{ productId: appleId, unit: '袋', unitPriceFen: 100 }] }, 'UNIT_NOT_CONVERTIBLE'],
      [{ name: 'x', validFrom: '2026-01-01', lines: [{ productId: '018f0000-0000-7000-8000-000000000000', unit: 'kg', unitPriceFen: 100 }] }, 'PRODUCT_NOT_FOUND_REF'],
      [{ name: 'x', validFrom: '2026-01-01', customerId, customerGroup: '商超', lines: [] }, 'PRICE_LIST_SCOPE_INVALID'],
      [{ name: 'x', validFrom: '2026-01-01', customerId: '018f0000-0000-7000-8000-000000000000', lines: [] }, 'CUSTOMER_NOT_FOUND_REF'],
    ];
    for (const [body, code] of cases) {
      const res = await post('/api/catalog/price-lists', body);
      expect(res.statusCode, code).toBe(400);
      expect(json<Problem>(res).code).toBe(code);
    }
    expect(await countOf(priceLists)).toBe(before);
  });

  it('refuses price-list writes to roles with only prices:read', async () => {
    const res = await post('/api/catalog/price-lists', { name: 'x', validFrom: '2026-01-01', lines: [] }, sales);
    expect(res.statusCode).toBe(403);
  });

  it('will not re-factor a unit that price lists use', async () => {
    const res = await t.app.inject({
      method: 'PATCH',
      url: `/api/catalog/products/${appleId}`,
      headers: { cookie: manager },
      payload: { units: [{ unit: '托', factorToBase: '4', sellable: false }] },
    });
    expect(res.statusCode).toBe(409);
    expect(json<Problem>(res).code).toBe('UNIT_IN_USE');
  });

  it('replaces the lines of a price list on edit and lists it with its line count', async () => {
    const list = json<{ items: { id: string; code: string; lineCount: number }[] }>(await t.app.inject({ url: '/api/catalog/price-lists?q=GRP', headers: { cookie: sales } }));
    const grp = list.items[0]!;
    expect(grp.lineCount).toBe(2);
    const res = await t.app.inject({
      method: 'PATCH',
      url: `/api/catalog/price-lists/${grp.id}`,
      headers: { cookie: manager },
      payload: { lines: [{ productId: appleId, unit: 'kg', unitPriceFen: 1111 }] },
    });
    expect(res.statusCode).toBe(200);
    expect(json<{ lines: unknown[] }>(res).lines).toHaveLength(1);
    expect(await price({ customerId })).toMatchObject({ unitPriceFen: 1111, rule: 'group' });
    const xlsx = await t.app.inject({ url: '/api/catalog/price-lists/export.xlsx', headers: { cookie: sales } });
    expect(xlsx.statusCode).toBe(200);
  });
});

describe('demo company', () => {
  it('loads demo customers, produce, materials and layered prices', async () => {
    await inTransaction(t.database.db, async (db) => {
      await seedCustomersDemo(db);
      await seedCatalogDemo(db);
    });
    const db = t.database.db;
    const [hexian] = await searchCustomers(db, SYSTEM_ACTOR, 'C0002');
    const ids = await listProductIds(db, { q: 'P-CUKE-SG' });
    const cuke = (await getProducts(db, ids)).get(ids[0]!)!;
    expect(cuke.tempProfile).toBe('chilling_sensitive');
    const year = new Date().getUTCFullYear();
    expect(await effectivePrice(db, { customerId: hexian!.id, productId: cuke.id, unit: 'kg', quantity: '10', date: `${year}-05-01` })).toMatchObject({
      rule: 'customer',
      unitPriceFen: 460,
    });
    expect((await listProductIds(db, { kind: 'material', materialType: 'pesticide' })).length).toBe(3);
  });
});
