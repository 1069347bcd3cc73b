import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../platform/auth/actor.js';
import { inTransaction, type Db } from '../../platform/db/client.js';
import { json, testApp, type TestApp } from '../../../test/helpers/app.js';
import { createProduct } from '../catalog/catalog.service.js';
import { createLot } from '../inventory/index.js';
import { buildLabel } from './index.js';

let t: TestApp;
let db: Db;
const A = SYSTEM_ACTOR;
const ids = {} as Record<string, string>;

beforeAll(async () => {
  t = await testApp();
  db = t.database.db;
  await inTransaction(db, async (tx) => {
    const bulk = {
      kind: 'produce' as const,
      category: '蔬菜',
      baseUnit: 'kg',
      shelfLifeDays: 10,
      storageConditions: '7–13℃',
      originRegion: '370783',
      prepackaged: false,
      labelStandard: 'bulk' as const,
    };
    ids.cuke = (await createProduct(tx, A, { ...bulk, code: 'CUKE', name: '黄瓜', gtin: '6912345678902' })).id; // GTIN-13, printed as GTIN-14
    ids.other = (await createProduct(tx, A, { ...bulk, code: 'NOGTIN', name: '无码' })).id;
    for (const [key, productId, lotCode] of [
      ['lot', ids.cuke, 'PK-2605/A 1'],
      ['unlabelled', ids.cuke, 'PK-2605B'],
      ['twin', ids.other, 'PK-2605/A 1'],
    ] as const)
      ids[key] = (await createLot(tx, A, { productId: productId!, lotCode, productionDate: '2026-05-01', sourceType: 'processing', qualityStatus: 'released' })).id;
  });
});
afterAll(async () => t?.close());

const get = (url: string) => t.app.inject({ method: 'GET', url });

describe('GS1 Digital Link resolver', () => {
  it("follows a label's QR Digital Link to the lot's public trace page (302 to /t/<code>)", async () => {
    const label = await inTransaction(db, (tx) => buildLabel(tx, { lotId: ids.lot!, netWeight: '5' }));
    const url = new URL(label.digitalLink);
    expect(url.pathname).toBe('/01/06912345678902/10/PK-2605%2FA%201');
    expect(url.search).toBe('?11=260501&17=260511');
    const res = await get(url.pathname + url.search);
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe(`/t/${label.traceCode}`);
    const page = await get(`/api/public/trace/${label.traceCode}`);
    expect([page.statusCode, json(page).lotCode]).toEqual([200, 'PK-2605/A 1']);
  });

  it('resolves the GTIN-13 form and a serialised item (/21/<serial>) to the same lot', async () => {
    const label = await inTransaction(db, (tx) => buildLabel(tx, { lotId: ids.lot!, netWeight: '5' }));
    expect((await get('/01/6912345678902/10/PK-2605%2FA%201')).headers.location).toBe(`/t/${label.traceCode}`);
    expect((await get('/01/06912345678902/10/PK-2605%2FA%201/21/0042')).headers.location).toBe(`/t/${label.traceCode}`);
  });

  it('answers 404 for a GTIN with a bad check digit, a malformed GTIN, an unknown GTIN or lot', async () => {
    for (const path of ['/01/06912345678903/10/PK-2605%2FA%201', '/01/69123/10/X', '/01/abc/10/X', '/01/00000000000017/10/PK-2605%2FA%201', '/01/06912345678902/10/NOPE']) {
      const res = await get(path);
      expect([path, res.statusCode]).toEqual([path, 404]);
      expect(res.headers.location).toBeUndefined();
    }
  });

  it('answers 404 for a lot that never had a label or certificate printed (lot codes are guessable, trace codes are not)', async () => {
    expect((await get('/01/06912345678902/10/PK-2605B')).statusCode).toBe(404);
  });

  it('is public and lives outside /api', async () => {
    expect((await get('/api/01/06912345678902/10/PK-2605B')).statusCode).toBe(404);
    const res = await get('/01/06912345678902/10/NOPE');
    // with the web app built: the SPA, which shows its not-found trace page; without it: problem+json
    if (String(res.headers['content-type']).startsWith('text/html')) expect([res.statusCode, res.body]).toEqual([404, expect.stringContaining('<html')]);
    else expect([res.statusCode, json(res).code]).toEqual([404, 'TRACE_CODE_NOT_FOUND']);
  });
});
