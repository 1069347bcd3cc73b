import type { TestApp } from '../../../test/helpers/app.js';
import { fixture, makeCustomer, makeProduct, type CustomerFx, type Fixture, type ProductFx } from '../orders/orders.test-support.js';

export { fixture, makeCustomer, makeProduct, type CustomerFx, type Fixture, type ProductFx };

let n = 0;
export const uniq = (): string => {
  n += 1;
  return `${process.pid % 1000}${n}`;
};

/** A warehouse with bins named so that code order and walk order differ (A-2 before A-10). */
export async function makeBins(f: Fixture, codes: string[]): Promise<Record<string, string>> {
  const k = uniq();
  const wh = await f.call<{ id: string }>({
    method: 'POST',
    url: '/api/inventory/warehouses',
    payload: { code: `LW${k}`, name: `物流测试仓${k}`, tempZones: ['chilled'] },
    expect: 201,
  });
  const out: Record<string, string> = {};
  for (const code of codes)
    out[code] = (await f.call<{ id: string }>({ method: 'POST', url: '/api/inventory/locations', payload: { warehouseId: wh.id, code, zone: 'chilled' }, expect: 201 })).id;
  return out;
}

/** Receives a released lot of `kg` into a bin; returns the lot's id and code. */
export async function receiveLot(f: Fixture, productId: string, locationId: string, kg: string, expiryDate: string, lotCode: string): Promise<{ id: string; lotCode: string }> {
  const r = await f.call<{ lot: { id: string; lotCode: string } }>({
    method: 'POST',
    url: '/api/inventory/receipts',
    payload: { productId, locationId, quantity: kg, unit: 'kg', lot: { lotCode, productionDate: '2026-11-20', expiryDate, qualityStatus: 'released', sourceType: 'receipt' } },
    expect: 201,
  });
  return r.lot;
}

/** Places an order for kg of each product and submits it; the review approves it and reserves the stock. */
export async function approvedOrder(
  f: Fixture,
  c: CustomerFx,
  lines: { productId: string; kg: string }[],
  deliveryDate: string,
): Promise<{ id: string; number: string; status: string }> {
  const o = await f.call<{ id: string }>({
    method: 'POST',
    url: '/api/orders',
    payload: { customerId: c.id, addressId: c.addressId, contactId: c.contactId, deliveryDate, lines: lines.map((l) => ({ productId: l.productId, quantity: l.kg, unit: 'kg' })) },
    expect: 201,
  });
  return f.call<{ id: string; number: string; status: string }>({ method: 'POST', url: `/api/orders/${o.id}/submit`, expect: 200 });
}

export async function setup(t: TestApp): Promise<Fixture> {
  const admin = await t.loginAs(['admin']);
  const f = fixture(t, admin.cookie);
  await f.call({ method: 'PUT', url: '/api/admin/settings/orders.review.newCustomerManual', payload: { value: false }, expect: 200 });
  return f;
}
