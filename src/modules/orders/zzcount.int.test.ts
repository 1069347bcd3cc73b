import pg from 'pg';
import { afterAll, beforeAll, it } from 'vitest';
import { fixedClock, setClock, systemClock } from '../../platform/clock.js';
import { testApp, type TestApp } from '../../../test/helpers/app.js';
import { fixture, makeCustomer, makeProduct, resetFixtures, type Fixture } from './orders.test-support.js';

let t: TestApp;
let f: Fixture;
const log: string[] = [];
let on = false;
const orig = pg.Client.prototype.query;
beforeAll(async () => {
  setClock(fixedClock('2026-12-01T02:00:00Z'));
  resetFixtures();
  t = await testApp();
  const admin = await t.loginAs(['admin']);
  f = fixture(t, admin.cookie);
  await f.call({ method: 'PUT', url: '/api/admin/settings/orders.review.newCustomerManual', payload: { value: false }, expect: 200 });
  (pg.Client.prototype as unknown as { query: unknown }).query = function (this: unknown, ...args: unknown[]) {
    if (on) {
      const a = args[0] as string | { text: string };
      log.push(typeof a === 'string' ? a : a.text);
    }
    return (orig as (...x: unknown[]) => unknown).apply(this, args);
  };
});
afterAll(async () => {
  pg.Client.prototype.query = orig;
  await t?.close();
  setClock(systemClock);
});
it('counts', async () => {
  const c = await makeCustomer(f);
  const ps = [await makeProduct(f), await makeProduct(f), await makeProduct(f)];
  for (let k = 0; k < 2; k++) {
    log.length = 0;
    on = true;
    const o = await f.call<{ id: string }>({
      method: 'POST',
      url: '/api/orders',
      payload: { customerId: c.id, addressId: c.addressId, contactId: c.contactId, deliveryDate: '2026-12-04', lines: [
        { productId: ps[0]!.id, quantity: '2', unit: 'kg' }, { productId: ps[1]!.id, quantity: '1', unit: '箱' }, { productId: ps[2]!.id, quantity: '3', unit: 'kg' }] },
      expect: 201,
    });
    const nCreate = log.length;
    const createLog = [...log];
    const s = await f.call<{ status: string }>({ method: 'POST', url: `/api/orders/${o.id}/submit`, expect: 200 });
    on = false;
    console.log(`STATUS ${s.status} create=${nCreate} submit=${log.length - nCreate} total=${log.length}`);
    if (k === 1 && process.env.SHOW) console.log(log.map((x, i) => `${i < nCreate ? 'C' : 'S'} ${x.replace(/\s+/g, ' ').slice(0, 160)}`).join('\n'));
    void createLog;
  }
});
