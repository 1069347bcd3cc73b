// A small trading company built through the public HTTP API of a running server (the same calls on PGlite and
// PostgreSQL): one warehouse bin, products on a price list with stock in three released lots each, and customers
// with a valid business licence, an address, a contact and one approved order behind them (so the
// "new customer" rule passes and the automatic review can approve).
import type { httpClient } from './lib.js';

type Client = ReturnType<typeof httpClient>;
export type WorldProduct = { id: string; code: string };
export type WorldCustomer = { id: string; addressId: string; contactId: string };
export type World = { warehouseId: string; locationId: string; products: WorldProduct[]; customers: WorldCustomer[] };

const USCI_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCI_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** A valid GB 32100 unified social credit code for a made-up company. */
export function usci(serial: number): string {
  const body = `91310101${String(serial).padStart(9, '0').slice(-9)}`;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += USCI_CHARS.indexOf(body[i]!) * USCI_WEIGHTS[i]!;
  return body + USCI_CHARS[(31 - (sum % 31)) % 31];
}

export function addDaysIso(days: number, from = new Date()): string {
  return new Date(from.getTime() + days * 86_400_000).toISOString().slice(0, 10);
}

/** Admin session: the server was started with AGRI_OMS_ADMIN_PASSWORD=Admin12345. */
export async function loginAdmin(c: Client): Promise<void> {
  await c.call('POST', '/api/auth/login', { username: 'admin', password: 'Admin12345' });
}

const FRUIT = [
  '红富士苹果',
  '砂糖橘',
  '赣南脐橙',
  '黄冠梨',
  '巨峰葡萄',
  '猕猴桃',
  '水蜜桃',
  '蓝莓',
  '草莓',
  '西瓜',
  '哈密瓜',
  '芒果',
  '火龙果',
  '樱桃番茄',
  '黄瓜',
  '生菜',
  '西兰花',
  '胡萝卜',
  '土豆',
  '大白菜',
];

export async function buildWorld(c: Client, opts: { products: number; customers: number; stockKgPerLot: string; approveFirstOrder: boolean }): Promise<World> {
  const tag = Date.now().toString(36).slice(-5).toUpperCase();
  const wh = await c.call<{ id: string }>('POST', '/api/inventory/warehouses', { code: `BW${tag}`, name: `压测仓${tag}`, tempZones: ['ambient', 'chilled'] }, 201);
  const loc = await c.call<{ id: string }>('POST', '/api/inventory/locations', { warehouseId: wh.id, code: 'A-01', zone: 'ambient' }, 201);
  const products: WorldProduct[] = [];
  for (let i = 0; i < opts.products; i++) {
    const p = await c.call<{ id: string; code: string }>(
      'POST',
      '/api/catalog/products',
      {
        code: `BP${tag}${String(i).padStart(3, '0')}`,
        name: `${FRUIT[i % FRUIT.length]}${Math.floor(i / FRUIT.length) + 1}号`,
        kind: 'produce',
        category: '水果',
        baseUnit: 'kg',
        units: [
          { unit: 'kg', factorToBase: '1', sellable: true },
          { unit: '箱', factorToBase: '10', sellable: true },
        ],
        shelfLifeDays: 365,
        tempProfile: 'ambient',
        seasonMonths: [],
      },
      201,
    );
    products.push({ id: p.id, code: p.code });
  }
  await c.call(
    'POST',
    '/api/catalog/price-lists',
    {
      name: `压测价目${tag}`,
      validFrom: addDaysIso(-30),
      lines: products.flatMap((p) => [
        { productId: p.id, unit: 'kg', unitPriceFen: 1000, floorPriceFen: 800 },
        { productId: p.id, unit: '箱', unitPriceFen: 10000, floorPriceFen: 8000 },
      ]),
    },
    201,
  );
  for (const p of products) {
    for (let l = 0; l < 3; l++) {
      await c.call(
        'POST',
        '/api/inventory/receipts',
        {
          productId: p.id,
          locationId: loc.id,
          quantity: opts.stockKgPerLot,
          unit: 'kg',
          lot: { productionDate: addDaysIso(-3 + l), qualityStatus: 'released', sourceType: 'receipt' },
        },
        201,
      );
    }
  }
  const customers: WorldCustomer[] = [];
  for (let i = 0; i < opts.customers; i++) {
    const k = `${tag}${String(i).padStart(4, '0')}`;
    const cu = await c.call<{ id: string }>(
      'POST',
      '/api/customers',
      {
        code: `BC${k}`,
        name: `压测商贸有限公司${k}`,
        kind: 'company',
        usci: usci((Number.parseInt(tag, 36) % 100_000) * 10_000 + i),
        status: 'active',
        creditLimitFen: 50_000_000_000,
        overdueFen: 0,
        paymentTermsDays: 30,
        regionCode: '310101',
      },
      201,
    );
    await c.call('POST', `/api/customers/${cu.id}/qualifications`, { type: 'business_licence', number: `BL${k}`, expiresOn: '2035-12-31' }, 201);
    const a = await c.call<{ id: string }>(
      'POST',
      `/api/customers/${cu.id}/addresses`,
      { label: '总仓', regionCode: '310101', address: '上海市黄浦区压测路 1 号', receiver: '张三', phone: '13900000001', isDefault: true },
      201,
    );
    const ct = await c.call<{ id: string }>('POST', `/api/customers/${cu.id}/contacts`, { name: '李四', phone: '13900000002', isPrimary: true }, 201);
    const w = { id: cu.id, addressId: a.id, contactId: ct.id };
    customers.push(w);
    if (opts.approveFirstOrder) {
      const o = await c.call<{ id: string }>('POST', '/api/orders', orderBody(w, products, i), 201);
      const s = await c.call<{ status: string }>('POST', `/api/orders/${o.id}/submit`, {});
      if (s.status === 'in_review') await c.call('POST', `/api/orders/${o.id}/approve`, { note: 'bench' });
    }
  }
  return { warehouseId: wh.id, locationId: loc.id, products, customers };
}

/** An order of 3 lines (kg and 箱) for delivery in two weeks. */
export function orderBody(cu: WorldCustomer, products: WorldProduct[], i: number): Record<string, unknown> {
  const pick = (k: number) => products[(i * 7 + k * 13) % products.length]!.id;
  return {
    customerId: cu.id,
    addressId: cu.addressId,
    contactId: cu.contactId,
    deliveryDate: addDaysIso(14),
    channel: 'phone',
    lines: [
      { productId: pick(0), quantity: String(1 + (i % 5)), unit: 'kg' },
      { productId: pick(1), quantity: '1', unit: '箱' },
      { productId: pick(2), quantity: '2.5', unit: 'kg' },
    ],
  };
}
