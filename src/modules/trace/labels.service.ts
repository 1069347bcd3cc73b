import os from 'node:os';
import crypto from 'node:crypto';
import bwipjs from 'bwip-js';
import { desc, eq, sql } from 'drizzle-orm';
import type { Actor } from '../../platform/auth/actor.js';
import { recordAudit } from '../../platform/audit/audit.service.js';
import { businessDate, clock } from '../../platform/clock.js';
import type { Db } from '../../platform/db/client.js';
import { nextDocNumber } from '../../platform/docnum.js';
import { DomainError, type FieldIssue } from '../../platform/errors/domain-error.js';
import { Q, fmtQty, positiveQty } from '../../platform/quantity.js';
import { getProduct, type ProductInfo } from '../catalog/index.js';
import { regionPath } from '../customers/index.js';
import { getLot, type LotInfo } from '../inventory/index.js';
import { gtin14 } from './events.service.js';
import { renderPdf } from './pdf.js';
import { TraceErrors } from './trace.errors.js';
import { certificates, traceCodes } from './trace.tables.js';
import { offsetOf } from '../../platform/http/list.js';

/** This server's own address as a phone on the same network reaches it: its first LAN IPv4 and PORT (else localhost). */
function ownAddress(): string {
  const lan = Object.values(os.networkInterfaces())
    .flat()
    .find((a) => a && a.family === 'IPv4' && !a.internal);
  return `http://${lan?.address ?? 'localhost'}:${process.env.PORT || '3000'}`;
}

/** Public base URL printed in QR codes (the /t/<code> page): PUBLIC_BASE_URL, else this server's own address. */
export const publicBase = (): string => (process.env.PUBLIC_BASE_URL || ownAddress()).replace(/\/$/, '');

/** The lot's public trace code (created on first use; unguessable). */
export async function ensureTraceCode(db: Db, lotId: string): Promise<string> {
  const [have] = await db.select().from(traceCodes).where(eq(traceCodes.lotId, lotId));
  if (have) return have.code;
  const code = crypto.randomBytes(8).toString('base64url').replace(/[-_]/g, 'x').slice(0, 10).toUpperCase();
  await db.insert(traceCodes).values({ code, lotId }).onConflictDoNothing();
  const [row] = await db.select().from(traceCodes).where(eq(traceCodes.lotId, lotId));
  return row!.code;
}

export async function lotOfTraceCode(db: Db, code: string): Promise<string | null> {
  const [row] = await db.select().from(traceCodes).where(eq(traceCodes.code, code.toUpperCase()));
  return row?.lotId ?? null;
}

export type LabelInput = {
  lotId: string;
  netWeight?: string | null;
  netUnit?: string;
  copies?: number;
  producerName?: string | null;
  producerAddress?: string | null;
  producerContact?: string | null;
  licenceNo?: string | null;
  standardCode?: string | null;
  ingredients?: string | null;
  allergens?: string | null;
};

export type LabelData = {
  productName: string;
  spec: string | null;
  origin: string | null;
  productionDate: string;
  shelfLifeDays: number | null;
  expiryDate: string;
  storageConditions: string | null;
  netWeight: string | null;
  netUnit: string;
  lotCode: string;
  gtin: string | null;
  producerName: string | null;
  producerAddress: string | null;
  producerContact: string | null;
  licenceNo: string | null;
  standardCode: string | null;
  ingredients: string | null;
  allergens: string | null;
  labelStandard: string;
  prepackaged: boolean;
  traceCode: string;
  traceUrl: string;
  gs1128: string | null;
  digitalLink: string;
};

const yymmdd = (d: string): string => d.slice(2).replace(/-/g, '');

/** GS1 element string with AIs in brackets; lot (10) last. */
export function gs1ElementString(d: {
  gtin: string | null;
  productionDate: string;
  expiryDate: string;
  netWeight: string | null;
  netUnit: string;
  lotCode: string;
}): string | null {
  if (!d.gtin) return null;
  let s = `(01)${gtin14(d.gtin)}(11)${yymmdd(d.productionDate)}(17)${yymmdd(d.expiryDate)}`;
  if (d.netWeight && d.netUnit === 'kg') {
    const hundredths = new Q(d.netWeight).mul(100);
    if (hundredths.isInteger() && hundredths.lt(1_000_000)) s += `(3102)${hundredths.toFixed(0).padStart(6, '0')}`;
  }
  return `${s}(10)${d.lotCode}`;
}

export function digitalLinkOf(d: { gtin: string | null; productionDate: string; expiryDate: string; lotCode: string }, traceUrl: string): string {
  if (!d.gtin) return traceUrl;
  return `${publicBase()}/01/${gtin14(d.gtin)}/10/${encodeURIComponent(d.lotCode)}?11=${yymmdd(d.productionDate)}&17=${yymmdd(d.expiryDate)}`;
}

/** GB 7718 sets (prepackaged) and the policy's set for bulk produce. */
export function requiredLabelFields(p: Pick<ProductInfo, 'labelStandard' | 'prepackaged'>): (keyof LabelData)[] {
  if (!p.prepackaged || p.labelStandard === 'bulk') return ['productName', 'origin', 'productionDate', 'expiryDate', 'netWeight', 'lotCode', 'storageConditions'];
  const base: (keyof LabelData)[] = [
    'productName',
    'spec',
    'netWeight',
    'producerName',
    'producerAddress',
    'producerContact',
    'productionDate',
    'shelfLifeDays',
    'expiryDate',
    'storageConditions',
    'licenceNo',
    'standardCode',
    'lotCode',
  ];
  return p.labelStandard === 'GB7718-2025' ? [...base, 'allergens'] : base;
}

export function missingLabelFields(data: LabelData, required: (keyof LabelData)[]): FieldIssue[] {
  return required.filter((k) => data[k] === null || data[k] === undefined || data[k] === '').map((k) => ({ field: k, code: 'FIELD_REQUIRED' }));
}

async function loadLotProduct(db: Db, lotId: string): Promise<{ lot: LotInfo; product: ProductInfo }> {
  const lot = await getLot(db, lotId);
  if (!lot) throw new DomainError('LOT_NOT_FOUND', {}, [{ field: 'lotId', code: 'LOT_NOT_FOUND' }]);
  const product = await getProduct(db, lot.productId);
  if (!product) throw new DomainError('PRODUCT_NOT_FOUND');
  return { lot, product };
}

/** Builds the label content and validates the required fields (422 LABEL_FIELD_MISSING with field errors). */
export async function buildLabel(db: Db, input: LabelInput): Promise<LabelData> {
  const { lot, product } = await loadLotProduct(db, input.lotId);
  const code = await ensureTraceCode(db, lot.id);
  const traceUrl = `${publicBase()}/t/${code}`;
  const netWeight = input.netWeight ? fmtQty(positiveQty(input.netWeight)) : null;
  const netUnit = input.netUnit ?? product.baseUnit;
  const base = { gtin: product.gtin, productionDate: lot.productionDate, expiryDate: lot.expiryDate, lotCode: lot.lotCode };
  const data: LabelData = {
    productName: product.name,
    spec: product.spec,
    origin: originText(lot.origin ?? product.originRegion),
    productionDate: lot.productionDate,
    shelfLifeDays: product.shelfLifeDays,
    expiryDate: lot.expiryDate,
    storageConditions: product.storageConditions,
    netWeight,
    netUnit,
    lotCode: lot.lotCode,
    gtin: product.gtin,
    producerName: input.producerName ?? null,
    producerAddress: input.producerAddress ?? null,
    producerContact: input.producerContact ?? null,
    licenceNo: input.licenceNo ?? null,
    standardCode: input.standardCode ?? null,
    ingredients: input.ingredients ?? null,
    allergens: input.allergens ?? null,
    labelStandard: product.labelStandard,
    prepackaged: product.prepackaged,
    traceCode: code,
    traceUrl,
    gs1128: gs1ElementString({ ...base, netWeight, netUnit }),
    digitalLink: digitalLinkOf(base, traceUrl),
  };
  const missing = missingLabelFields(data, requiredLabelFields(product));
  if (missing.length) throw new DomainError(TraceErrors.LABEL_FIELD_MISSING, { fields: missing.map((m) => m.field).join(', ') }, missing);
  return data;
}

async function barcodePng(bcid: string, text: string, extra: Record<string, unknown> = {}): Promise<Buffer> {
  try {
    return await bwipjs.toBuffer({ bcid, text, scale: 3, ...extra } as Parameters<typeof bwipjs.toBuffer>[0]);
  } catch (err) {
    throw new DomainError(TraceErrors.BARCODE_INVALID, { detail: String((err as Error).message ?? err).slice(0, 200) });
  }
}

const mm = (n: number): number => (n * 72) / 25.4;

/** A printable PDF: one 100 × 70 mm label per page, `copies` times. */
export async function labelPdf(data: LabelData, copies = 1, en = false): Promise<Buffer> {
  const g128 = data.gs1128 ? await barcodePng('gs1-128', data.gs1128, { height: 10, includetext: true, textsize: 8 }) : null;
  const qr = data.gtin ? await barcodePng('gs1dlqrcode', data.digitalLink) : await barcodePng('qrcode', data.traceUrl);
  const L = (zh: string, e: string) => (en ? e : zh);
  return renderPdf(
    (doc) => {
      for (let i = 0; i < copies; i++) {
        if (i > 0) doc.addPage();
        const x = mm(4);
        doc.fontSize(13).text(data.productName, x, mm(4), { width: mm(62) });
        doc.fontSize(6.5);
        const rows: [string, string | null][] = [
          [L('规格', 'Spec'), data.spec],
          [L('净含量', 'Net weight'), data.netWeight ? `${data.netWeight} ${data.netUnit}` : null],
          [L('产地', 'Origin'), data.origin],
          [L('生产日期', 'Produced'), data.productionDate],
          [L('保质期', 'Shelf life'), data.shelfLifeDays != null ? `${data.shelfLifeDays} ${L('天', 'days')}` : null],
          [L('到期日', 'Expiry'), data.expiryDate],
          [L('贮存条件', 'Storage'), data.storageConditions],
          [L('批号', 'Lot'), data.lotCode],
          [L('生产者', 'Producer'), data.producerName],
          [L('地址', 'Address'), data.producerAddress],
          [L('联系方式', 'Contact'), data.producerContact],
          [L('生产许可证', 'Licence'), data.licenceNo],
          [L('执行标准', 'Standard'), data.standardCode],
          [L('致敏物质', 'Allergens'), data.allergens],
        ];
        let y = mm(10.5);
        for (const [k, v] of rows) {
          if (v === null || v === '') continue;
          doc.text(`${k}:${v}`, x, y, { width: mm(64), lineBreak: false, ellipsis: true });
          y += 7.8;
        }
        doc.image(qr, mm(70), mm(6), { width: mm(26) });
        doc.fontSize(6).text(L('扫码追溯', 'Scan to trace'), mm(70), mm(33), { width: mm(26), align: 'center' });
        if (g128) doc.image(g128, mm(4), mm(54), { width: mm(92), height: mm(14) });
      }
    },
    { size: [mm(100), mm(70)], margin: 0 },
  );
}

// ---------------------------------------------------------------- 承诺达标合格证
export const DEFAULT_COMMITMENTS = ['不使用禁用农药兽药、停用兽药和非法添加物', '常规农药兽药残留不超标', '对承诺的真实性负责'];

export type CertificateInput = {
  lotId: string;
  quantity: string;
  unit: string;
  issuerName: string;
  contactPhone: string;
  origin?: string | null;
  issuedOn?: string;
  basis: 'quality_control' | 'own_test' | 'commissioned_test';
  reportNo?: string | null;
  commitments?: string[];
};
export type CertificateRow = typeof certificates.$inferSelect;

export async function issueCertificate(db: Db, actor: Actor, input: CertificateInput): Promise<CertificateRow> {
  const { lot, product } = await loadLotProduct(db, input.lotId);
  const origin = input.origin ?? originText(lot.origin ?? product.originRegion);
  const issues: FieldIssue[] = [];
  if (!origin) issues.push({ field: 'origin', code: 'FIELD_REQUIRED' });
  if (input.basis === 'commissioned_test' && !input.reportNo) issues.push({ field: 'reportNo', code: 'FIELD_REQUIRED' });
  if (issues.length) throw new DomainError('VALIDATION_FAILED', {}, issues);
  const [row] = await db
    .insert(certificates)
    .values({
      number: await nextDocNumber(db, 'HGZ', clock.now()),
      lotId: lot.id,
      productName: product.name,
      quantity: fmtQty(positiveQty(input.quantity)),
      unit: input.unit,
      issuerName: input.issuerName,
      origin: origin!,
      contactPhone: input.contactPhone,
      issuedOn: input.issuedOn ?? businessDate(clock.now()),
      commitments: input.commitments?.length ? input.commitments : DEFAULT_COMMITMENTS,
      basis: input.basis,
      reportNo: input.reportNo ?? null,
      traceCode: await ensureTraceCode(db, lot.id),
      createdBy: actor.username,
    })
    .returning();
  await recordAudit(db, actor, { action: 'trace.certificate.issue', entity: 'certificate', entityId: row!.id, after: row });
  return row!;
}

export async function getCertificate(db: Db, id: string): Promise<CertificateRow> {
  const [row] = await db.select().from(certificates).where(eq(certificates.id, id));
  if (!row) throw new DomainError(TraceErrors.CERTIFICATE_NOT_FOUND);
  return row;
}

export async function listCertificates(
  db: Db,
  f: { lotId?: string; q?: string; page: number; pageSize: number },
): Promise<{ items: CertificateRow[]; total: number; page: number; pageSize: number }> {
  const where = f.lotId ? eq(certificates.lotId, f.lotId) : f.q ? sql`(${certificates.number} ilike ${`%${f.q}%`} or ${certificates.productName} ilike ${`%${f.q}%`})` : undefined;
  const items = await db.select().from(certificates).where(where).orderBy(desc(certificates.createdAt)).limit(f.pageSize).offset(offsetOf(f));
  const [n] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(certificates)
    .where(where);
  return { items, total: n?.n ?? 0, page: f.page, pageSize: f.pageSize };
}

const BASIS: Record<CertificateRow['basis'], string> = { quality_control: '质量控制', own_test: '自行检测', commissioned_test: '委托检测' };

/** 承诺达标合格证 card size of the national template (100 mm × 70 mm). */
export const CERT_CARD_MM = { width: 100, height: 70 } as const;

/** A check box drawn with lines (no font glyph that a printer font may lack), ticked when `checked`. */
function checkBox(doc: PDFKit.PDFDocument, x: number, y: number, checked: boolean, size = mm(2.6)): void {
  doc.save().lineWidth(0.6).strokeColor('#000').rect(x, y, size, size).stroke();
  if (checked)
    doc
      .lineWidth(0.9)
      .moveTo(x + size * 0.18, y + size * 0.52)
      .lineTo(x + size * 0.42, y + size * 0.78)
      .lineTo(x + size * 0.85, y + size * 0.2)
      .stroke();
  doc.restore();
}

/**
 * 承诺达标合格证 on the national template's small card (100 × 70 mm): title and number, the commitments with drawn
 * check boxes, the basis with every option boxed and the chosen one ticked, product, quantity, origin, producer and
 * contact, date; the trace QR code at the right.
 */
export async function certificatePdf(cert: CertificateRow): Promise<Buffer> {
  const qr = cert.traceCode ? await barcodePng('qrcode', `${publicBase()}/t/${cert.traceCode}`) : null;
  const W = mm(CERT_CARD_MM.width);
  const H = mm(CERT_CARD_MM.height);
  return renderPdf(
    (doc) => {
      const m = mm(4);
      doc
        .lineWidth(0.8)
        .rect(mm(1.5), mm(1.5), W - mm(3), H - mm(3))
        .stroke();
      doc.fontSize(12).text('承诺达标合格证', m, mm(3.5), { width: W - 2 * m, align: 'center' });
      doc.fontSize(6.5).text(`编号:${cert.number}`, m, mm(9), { width: W - 2 * m, align: 'center' });
      const textW = W - 2 * m - (qr ? mm(22) : 0);
      let y = mm(13);
      doc.fontSize(7).text('我承诺对生产销售的食用农产品:', m, y, { width: textW });
      y = doc.y + mm(0.6);
      for (const c of cert.commitments) {
        checkBox(doc, m, y + 0.5, true);
        doc.text(c, m + mm(3.6), y, { width: textW - mm(3.6) });
        y = doc.y + mm(0.4);
      }
      y += mm(0.6);
      doc.text('承诺依据:', m, y, { continued: false });
      let x = m + mm(12);
      for (const [key, label] of Object.entries(BASIS) as [CertificateRow['basis'], string][]) {
        checkBox(doc, x, y + 0.5, cert.basis === key);
        doc.text(label, x + mm(3.4), y, { lineBreak: false });
        x += mm(3.4) + doc.widthOfString(label) + mm(2.5);
      }
      y += mm(3.6);
      if (cert.reportNo) {
        doc.text(`检测报告编号:${cert.reportNo}`, m, y, { width: textW });
        y = doc.y + mm(0.3);
      }
      const rows: [string, string][] = [
        ['产品名称', cert.productName],
        ['数量(重量)', `${cert.quantity} ${cert.unit}`],
        ['产地', cert.origin],
        ['生产者盖章或签名', cert.issuerName],
        ['联系方式', cert.contactPhone],
        ['开具日期', cert.issuedOn],
      ];
      for (const [k, v] of rows) {
        doc.text(`${k}:${v}`, m, y, { width: W - 2 * m, lineBreak: false, ellipsis: true });
        y += mm(3.3);
      }
      if (qr) {
        doc.image(qr, W - m - mm(19), mm(13), { width: mm(19) });
        doc.fontSize(5).text('扫码追溯', W - m - mm(19), mm(32.5), { width: mm(19), align: 'center' });
      }
    },
    { size: [W, H], margin: 0 },
  );
}

/** A GB/T 2260 code becomes its names (山东省 潍坊市 寿光市); free text stays as written. */
function originText(origin: string | null): string | null {
  if (!origin) return null;
  return /^\d{6}$/.test(origin) ? (regionPath(origin) ?? origin) : origin;
}
