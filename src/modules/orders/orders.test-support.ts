import type { InjectOptions } from 'fastify';
import { json, type TestApp } from '../../../test/helpers/app.js';

/** Test fixtures built through the other modules' HTTP APIs (never their tables). */
export type Fixture = { admin: string; call: <T = Record<string, unknown>>(opts: InjectOptions & { cookie?: string; expect?: number }) => Promise<T> };

export function fixture(t: TestApp, admin: string): Fixture {
  return {
    admin,
    call: async <T>(opts: InjectOptions & { cookie?: string; expect?: number }) => {
      const { cookie, expect, ...rest } = opts;
      const res = await t.app.inject({ ...rest, headers: { cookie: cookie ?? admin, ...(rest.headers ?? {}) } });
      if (expect !== undefined && res.statusCode !== expect) throw new Error(`${rest.method ?? 'GET'} ${rest.url} → ${res.statusCode}: ${res.body.slice(0, 600)}`);
      return res.body && res.headers['content-type']?.toString().includes('json') ? json<T>(res) : (undefined as T);
    },
  };
}

let n = 0;
const next = () => {
  n += 1;
  return `${process.pid % 1000}${n}`;
};

const USCI_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCI_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** A valid GB 32100 unified social credit code (the check character computed) for test companies. */
export function testUsci(serial: string): string {
  const body = `91310101${serial.replace(/\D/g, '').padStart(9, '0').slice(-9)}`;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += USCI_CHARS.indexOf(body[i]!) * USCI_WEIGHTS[i]!;
  return body + USCI_CHARS[(31 - (sum % 31)) % 31];
}

export type CustomerFx = { id: string; code: string; addressId: string; contactId: string };

export async function makeCustomer(
  f: Fixture,
  opts: { creditLimitFen?: number; overdueFen?: number; salesOwnerId?: string | null; regionCode?: string; qualificationExpires?: string | null; minShelf?: number | null } = {},
): Promise<CustomerFx> {
  const k = next();
  const c = await f.call<{ id: string; code: string }>({
    method: 'POST',
    url: '/api/customers',
    payload: {
      code: `OC${k}`,
      name: `订单测试客户${k}`,
      kind: 'company',
      usci: testUsci(`${Date.now() % 100000}${k}`),
      status: 'active',
      creditLimitFen: opts.creditLimitFen ?? 10_000_000,
      overdueFen: opts.overdueFen ?? 0,
      paymentTermsDays: 30,
      regionCode: opts.regionCode ?? '310101',
      salesOwnerId: opts.salesOwnerId ?? null,
      minRemainingShelfLifeDays: opts.minShelf ?? null,
    },
    expect: 201,
  });
  if (opts.qualificationExpires !== null) {
    await f.call({
      method: 'POST',
      url: `/api/customers/${c.id}/qualifications`,
      payload: { type: 'business_licence', number: `BL${k}`, expiresOn: opts.qualificationExpires ?? '2030-12-31' },
      expect: 201,
    });
  }
  const a = await f.call<{ id: string }>({
    method: 'POST',
    url: `/api/customers/${c.id}/addresses`,
    payload: { label: '总仓', regionCode: opts.regionCode ?? '310101', address: '上海市黄浦区测试路 1 号', receiver: '张三', phone: '13900000001', isDefault: true },
    expect: 201,
  });
  const ct = await f.call<{ id: string }>({
    method: 'POST',
    url: `/api/customers/${c.id}/contacts`,
    payload: { name: '李四', phone: '13900000002', email: `buyer${k}@example.com`, isPrimary: true },
    expect: 201,
  });
  return { id: c.id, code: c.code, addressId: a.id, contactId: ct.id };
}

export type ProductFx = { id: string; code: string };

/** A produce product sold in kg and 箱 (10 kg), on a price list at 10.00 yuan/kg (floor 8.00), with stock. */
export async function makeProduct(
  f: Fixture,
  opts: { stockKg?: string; coldChain?: boolean; seasonMonths?: number[]; priceFen?: number; floorFen?: number } = {},
): Promise<ProductFx> {
  const k = next();
  const p = await f.call<{ id: string; code: string }>({
    method: 'POST',
    url: '/api/catalog/products',
    payload: {
      code: `OP${k}`,
      name: `订单测试苹果${k}`,
      kind: 'produce',
      category: '水果',
      baseUnit: 'kg',
      units: [
        { unit: 'kg', factorToBase: '1', sellable: true },
        { unit: '箱', factorToBase: '10', sellable: true },
        { unit: 'g', factorToBase: '0.001', sellable: false },
      ],
      shelfLifeDays: 60,
      tempProfile: opts.coldChain ? 'chilled' : 'ambient',
      ...(opts.coldChain !== undefined ? { coldChain: opts.coldChain } : {}),
      seasonMonths: opts.seasonMonths ?? [],
    },
    expect: 201,
  });
  await f.call({
    method: 'POST',
    url: '/api/catalog/price-lists',
    payload: {
      name: `价目${k}`,
      validFrom: '2026-01-01',
      lines: [
        { productId: p.id, unit: 'kg', unitPriceFen: opts.priceFen ?? 1000, floorPriceFen: opts.floorFen ?? 800 },
        { productId: p.id, unit: '箱', unitPriceFen: (opts.priceFen ?? 1000) * 10, floorPriceFen: (opts.floorFen ?? 800) * 10 },
      ],
    },
    expect: 201,
  });
  if (opts.stockKg !== '0') await addStock(f, p.id, opts.stockKg ?? '1000');
  return { id: p.id, code: p.code };
}

let location: string | null = null;

export async function addStock(f: Fixture, productId: string, kg: string, expiryDate?: string): Promise<void> {
  if (!location) {
    const k = next();
    const wh = await f.call<{ id: string }>({
      method: 'POST',
      url: '/api/inventory/warehouses',
      payload: { code: `OW${k}`, name: `订单测试仓${k}`, tempZones: ['ambient', 'chilled'] },
      expect: 201,
    });
    const loc = await f.call<{ id: string }>({ method: 'POST', url: '/api/inventory/locations', payload: { warehouseId: wh.id, code: `L${k}`, zone: 'ambient' }, expect: 201 });
    location = loc.id;
  }
  await f.call({
    method: 'POST',
    url: '/api/inventory/receipts',
    payload: {
      productId,
      locationId: location,
      quantity: kg,
      unit: 'kg',
      lot: { productionDate: '2026-11-20', ...(expiryDate ? { expiryDate } : {}), qualityStatus: 'released', sourceType: 'receipt' },
    },
    expect: 201,
  });
}

export function resetFixtures(): void {
  location = null;
}
