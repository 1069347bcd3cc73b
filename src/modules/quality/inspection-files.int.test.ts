import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../platform/auth/actor.js';
import { inTransaction, type Db } from '../../platform/db/client.js';
import { auditLog } from '../../platform/platform.tables.js';
import { json, testApp, type TestApp } from '../../../test/helpers/app.js';
import { createProduct } from '../catalog/catalog.service.js';
import { createLot } from '../inventory/index.js';
import { createInspection, createStandard } from './index.js';
import { sniffType } from './inspection-files.service.js';

let t: TestApp;
let db: Db;
const A = SYSTEM_ACTOR;
let signedId: string;
let qc: string;
let planner: string;

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('IHDR-rest-of-a-tiny-png')]);
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from('JFIF')]);
const WEBP = Buffer.concat([Buffer.from('RIFF'), Buffer.from([1, 0, 0, 0]), Buffer.from('WEBPVP8 ')]);
const PDF = Buffer.from('%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n');

type Part = { name: string; value: string } | { name: string; filename: string; contentType: string; data: Buffer };
function form(parts: Part[]): { payload: Buffer; headers: Record<string, string> } {
  const b = '----agri-quality-boundary';
  const chunks: Buffer[] = [];
  for (const p of parts) {
    if ('data' in p) {
      chunks.push(
        Buffer.from(`--${b}\r\nContent-Disposition: form-data; name="${p.name}"; filename="${p.filename}"\r\nContent-Type: ${p.contentType}\r\n\r\n`),
        p.data,
        Buffer.from('\r\n'),
      );
    } else chunks.push(Buffer.from(`--${b}\r\nContent-Disposition: form-data; name="${p.name}"\r\n\r\n${p.value}\r\n`));
  }
  chunks.push(Buffer.from(`--${b}--\r\n`));
  return { payload: Buffer.concat(chunks), headers: { 'content-type': `multipart/form-data; boundary=${b}` } };
}
const upload = (cookie: string, parts: Part[], inspectionId = signedId) => {
  const f = form(parts);
  return t.app.inject({ method: 'POST', url: `/api/quality/inspections/${inspectionId}/files`, payload: f.payload, headers: { ...f.headers, cookie } });
};
const file = (filename: string, contentType: string, data: Buffer): Part => ({ name: 'file', filename, contentType, data });
const kind = (value: string): Part => ({ name: 'kind', value });

beforeAll(async () => {
  t = await testApp();
  db = t.database.db;
  await inTransaction(db, async (tx) => {
    const p = await createProduct(tx, A, { code: 'TOM', name: '番茄', kind: 'produce', category: '蔬菜', baseUnit: 'kg', shelfLifeDays: 10 });
    const std = await createStandard(tx, A, {
      code: 'S',
      name: '番茄',
      productId: p.id,
      stages: ['finished'],
      parameters: [{ code: 'res', name: '农残', unit: 'mg/kg', type: 'number', min: null, max: '0.5', allowed: [] }],
      samplingPlan: { mode: 'every_lot', sampleSize: 1, periodDays: null },
    });
    const lot = await createLot(tx, A, { productId: p.id, lotCode: 'L1', productionDate: '2026-07-01', sourceType: 'receipt', qualityStatus: 'quarantined' });
    signedId = (
      await createInspection(tx, A, {
        stage: 'finished',
        standardId: std.id,
        lotId: lot.id,
        inspectedOn: '2026-07-02',
        values: [{ code: 'res', value: 0.1 }],
        attachments: [{ kind: 'lab_report', name: '旧报告.pdf', url: 'https://lab.example.com/r/1.pdf' }],
        sign: true,
      })
    ).id;
  });
  qc = (await t.loginAs(['qc'])).cookie;
  planner = (await t.loginAs(['planner'])).cookie;
});
afterAll(async () => t?.close());

describe('inspection photos and lab reports', () => {
  it('recognises JPEG, PNG, WebP and PDF by their first bytes and nothing else', () => {
    expect([JPEG, PNG, WEBP, PDF, Buffer.from('MZ\x90\x00'), Buffer.alloc(0)].map(sniffType)).toEqual(['image/jpeg', 'image/png', 'image/webp', 'application/pdf', null, null]);
  });

  it('takes a photo on a signed inspection (append-only), lists it on the detail and lets a quality reader download it', async () => {
    const up = await upload(qc, [kind('photo'), file('现场 照片.png', 'image/png', PNG)]);
    expect(up.statusCode).toBe(201);
    const f = json<{ id: string; kind: string; contentType: string; size: number; sha256: string }>(up);
    expect([f.kind, f.contentType, f.size]).toEqual(['photo', 'image/png', PNG.length]);
    const detail = json<{ status: string; files: { id: string; filename: string }[]; attachments: { url: string }[] }>(
      await t.app.inject({ url: `/api/quality/inspections/${signedId}`, headers: { cookie: planner } }),
    );
    expect(detail.status).toBe('signed');
    expect(detail.files.map((x) => [x.id, x.filename])).toEqual([[f.id, '现场 照片.png']]);
    expect(detail.attachments[0]?.url).toBe('https://lab.example.com/r/1.pdf'); // old url attachments still readable
    const down = await t.app.inject({ url: `/api/quality/inspections/${signedId}/files/${f.id}`, headers: { cookie: planner } });
    expect(down.statusCode).toBe(200);
    expect(down.headers['content-type']).toBe('image/png');
    expect(down.headers['content-disposition']).toBe(`inline; filename*=UTF-8''${encodeURIComponent('现场 照片.png')}`);
    expect(down.headers['x-content-type-options']).toBe('nosniff');
    expect(down.rawPayload.equals(PNG)).toBe(true);
  });

  it('records every upload in the audit log with the file hash', async () => {
    const up = json<{ id: string; sha256: string }>(await upload(qc, [file('report.pdf', 'application/pdf', PDF), kind('lab_report')]));
    const rows = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'quality.inspection.file.upload'), eq(auditLog.entityId, signedId)));
    expect(rows.map((r) => (r.after as { fileId: string; sha256: string }).fileId)).toContain(up.id);
    expect(rows.find((r) => (r.after as { fileId: string }).fileId === up.id)?.after).toMatchObject({ sha256: up.sha256, kind: 'lab_report', inspectionStatus: 'signed' });
  });

  it('accepts JPEG and WebP photos even when the browser sends application/octet-stream', async () => {
    expect((await upload(qc, [kind('photo'), file('a.jpg', 'image/jpeg', JPEG)])).statusCode).toBe(201);
    const webp = json<{ contentType: string }>(await upload(qc, [kind('photo'), file('b.webp', 'application/octet-stream', WEBP)]));
    expect(webp.contentType).toBe('image/webp');
  });

  it('refuses a file whose content is not an allowed type even when its mimetype claims one (415)', async () => {
    const res = await upload(qc, [kind('photo'), file('evil.png', 'image/png', Buffer.from('<script>alert(1)</script>'))]);
    expect([res.statusCode, json(res).code]).toEqual([415, 'QUALITY_FILE_TYPE_NOT_ALLOWED']);
    expect(res.headers['content-type']).toContain('application/problem+json');
  });

  it('refuses a PDF as a photo and a file whose declared type contradicts its content (415)', async () => {
    expect(json(await upload(qc, [kind('photo'), file('r.pdf', 'application/pdf', PDF)])).code).toBe('QUALITY_FILE_TYPE_NOT_ALLOWED');
    expect((await upload(qc, [kind('lab_report'), file('r.png', 'image/png', PDF)])).statusCode).toBe(415);
  });

  it('refuses an empty file (400 QUALITY_FILE_EMPTY)', async () => {
    const res = await upload(qc, [kind('photo'), file('empty.png', 'image/png', Buffer.alloc(0))]);
    expect([res.statusCode, json(res).code]).toEqual([400, 'QUALITY_FILE_EMPTY']);
  });

  it('refuses a file over 10 MB (413 QUALITY_FILE_TOO_LARGE)', async () => {
    const big = Buffer.concat([PNG, Buffer.alloc(10 * 1024 * 1024)]);
    const res = await upload(qc, [kind('photo'), file('big.png', 'image/png', big)]);
    expect([res.statusCode, json(res).code]).toEqual([413, 'QUALITY_FILE_TOO_LARGE']);
  });

  it('needs a kind of photo or lab_report and a file part (400 per field)', async () => {
    const noKind = json<{ code: string; errors: { field: string; code: string }[] }>(await upload(qc, [file('a.png', 'image/png', PNG)]));
    expect([noKind.code, noKind.errors[0]]).toEqual(['VALIDATION_FAILED', expect.objectContaining({ field: 'kind', code: 'FIELD_REQUIRED' })]);
    const badKind = json<{ errors: { field: string; code: string }[] }>(await upload(qc, [kind('video'), file('a.png', 'image/png', PNG)]));
    expect(badKind.errors[0]).toMatchObject({ field: 'kind', code: 'FIELD_INVALID_VALUE' });
    const noFile = await upload(qc, [kind('photo')]);
    expect([noFile.statusCode, json(noFile).code]).toEqual([400, 'QUALITY_FILE_REQUIRED']);
    const notMultipart = await t.app.inject({ method: 'POST', url: `/api/quality/inspections/${signedId}/files`, headers: { cookie: qc }, payload: { kind: 'photo' } });
    expect(json(notMultipart).code).toBe('QUALITY_FILE_REQUIRED');
  });

  it('lets only QC upload (403 for a quality reader) and answers 404 for unknown inspections and files', async () => {
    expect((await upload(planner, [kind('photo'), file('a.png', 'image/png', PNG)])).statusCode).toBe(403);
    expect(json(await upload(qc, [kind('photo'), file('a.png', 'image/png', PNG)], '01890000-0000-7000-8000-000000000000')).code).toBe('INSPECTION_NOT_FOUND');
    const res = await t.app.inject({ url: `/api/quality/inspections/${signedId}/files/01890000-0000-7000-8000-000000000000`, headers: { cookie: planner } });
    expect([res.statusCode, json(res).code]).toEqual([404, 'QUALITY_FILE_NOT_FOUND']);
    const { cookie: sales } = await t.loginAs(['sales']);
    expect((await t.app.inject({ url: `/api/quality/inspections/${signedId}`, headers: { cookie: sales } })).statusCode).toBe(403);
  });
});
