import { and, desc, eq, sql } from 'drizzle-orm';
import { canTransition, recordInitialState, transition } from '../../platform/state-machine.js';
import { recallMachine } from './trace.states.js';
import { codeLabel } from '../../platform/i18n/codes.js';
import { can, type Actor } from '../../platform/auth/actor.js';
import { recordAudit } from '../../platform/audit/audit.service.js';
import { businessTime, clock } from '../../platform/clock.js';
import type { Db } from '../../platform/db/client.js';
import { nextDocNumber } from '../../platform/docnum.js';
import { mask } from '../../platform/crypto/pii.js';
import { DomainError } from '../../platform/errors/domain-error.js';
import type { Column } from '../../platform/http/excel.js';
import { toXlsx, zoneSuffix } from '../../platform/http/excel.js';
import { queueCustomerMessage } from '../../platform/notifications/notifications.service.js';
import { changeLotStatus, getLots } from '../inventory/index.js';
import { applicationsOfMaterialLot, harvestsBetween, harvestsOfField } from '../quality/index.js';
import { descendantLotIds, downstreamOf, getOrderLookup, type OrderRef, type OrderRow, type StockRow, type TraceViewOpts } from './genealogy.service.js';
import { recordTraceEvent } from './events.service.js';
import { renderPdf } from './pdf.js';
import { TraceErrors } from './trace.errors.js';
import { processingLines, processingRuns, recalls, type RecallScope } from './trace.tables.js';
import { offsetOf } from '../../platform/http/list.js';

export type RecallImpact = {
  rootLotIds: string[];
  lots: { id: string; lotCode: string; productId: string; qualityStatus: string }[];
  stock: StockRow[];
  orders: OrderRow[];
  customers: { customerId: string; customerName: string }[];
};

/** The lots a scope starts from. */
async function rootLots(db: Db, scope: RecallScope): Promise<string[]> {
  const missing = (m: string) => new DomainError(TraceErrors.RECALL_SCOPE_INVALID, { missing: m }, [{ field: `scope.${m}`, code: 'FIELD_REQUIRED' }]);
  switch (scope.kind) {
    case 'lot':
      if (!scope.lotId) throw missing('lotId');
      return [scope.lotId];
    case 'field':
      if (!scope.fieldId) throw missing('fieldId');
      return (await harvestsOfField(db, scope.fieldId, scope.from)).filter((h) => !scope.to || h.harvestedOn <= scope.to).map((h) => h.lotId);
    case 'material_lot': {
      if (!scope.materialLotId && !scope.materialLotCode) throw missing('materialLotId');
      const out = new Set<string>();
      // fields treated with the material lot: their harvests from the application day on
      for (const a of await applicationsOfMaterialLot(db, scope)) for (const h of await harvestsOfField(db, a.fieldId, a.appliedOn)) out.add(h.lotId);
      // the material lot itself used as a processing input (e.g. packaging)
      if (scope.materialLotId) out.add(scope.materialLotId);
      return [...out];
    }
    case 'date_range': {
      if (!scope.from || !scope.to) throw missing(scope.from ? 'to' : 'from');
      const harvested = (await harvestsBetween(db, scope.from, scope.to)).map((h) => h.lotId);
      const processed = await db
        .select({ lotId: processingLines.lotId })
        .from(processingLines)
        .innerJoin(processingRuns, eq(processingRuns.id, processingLines.runId))
        .where(sql`${processingLines.direction} = 'out' and ${processingRuns.runOn} between ${scope.from} and ${scope.to}`);
      return [...new Set([...harvested, ...processed.map((p) => p.lotId)])];
    }
  }
}

/** Every affected lot (roots and everything derived), its stock, orders and customers. */
export async function recallImpact(db: Db, scope: RecallScope, opts: TraceViewOpts = {}): Promise<RecallImpact> {
  const roots = await rootLots(db, scope);
  const ids = await descendantLotIds(db, roots);
  const [lots, down] = await Promise.all([getLots(db, ids), downstreamOf(db, ids, opts)]);
  return {
    rootLotIds: roots,
    lots: [...lots.values()]
      .sort((a, b) => a.lotCode.localeCompare(b.lotCode))
      .map((l) => ({ id: l.id, lotCode: l.lotCode, productId: l.productId, qualityStatus: l.qualityStatus })),
    ...down,
  };
}

export type RecallRow = typeof recalls.$inferSelect;

export async function createRecall(db: Db, actor: Actor, input: { scope: RecallScope; reason: string; drill?: boolean; execute?: boolean }): Promise<RecallRow> {
  const impact = await recallImpact(db, input.scope);
  const [row] = await db
    .insert(recalls)
    .values({ number: await nextDocNumber(db, 'RC', clock.now()), scope: input.scope, reason: input.reason, drill: input.drill ?? false, impact, createdBy: actor.username })
    .returning();
  await recordInitialState(db, actor, recallMachine, row!.id);
  await recordAudit(db, actor, {
    action: 'trace.recall.create',
    entity: 'recall',
    entityId: row!.id,
    after: { scope: input.scope, reason: input.reason, lots: impact.lots.length },
  });
  if (input.execute) return executeRecall(db, actor, row!.id);
  return row!;
}

/** One action: holds every affected lot that can be held, records recall events and queues customer notices. */
export async function executeRecall(db: Db, actor: Actor, id: string): Promise<RecallRow> {
  const recall = await getRecall(db, id);
  if (!canTransition(recallMachine, recall.status, 'execute')) throw new DomainError(TraceErrors.RECALL_ALREADY_EXECUTED);
  const impact = await recallImpact(db, recall.scope);
  const lots = await getLots(
    db,
    impact.lots.map((l) => l.id),
  );
  for (const lot of lots.values()) {
    if (!recall.drill && (lot.qualityStatus === 'released' || lot.qualityStatus === 'quarantined'))
      await changeLotStatus(db, actor, lot.id, 'hold', { reason: `recall ${recall.number}: ${recall.reason}` });
  }
  if (!recall.drill && impact.lots.length)
    await recordTraceEvent(db, actor, {
      eventType: 'ObjectEvent',
      action: 'OBSERVE',
      bizStep: 'holding',
      disposition: 'recalled',
      lots: impact.lots.map((l) => ({ lotId: l.id })),
      refType: 'recall',
      refId: recall.id,
      extra: { 'agri:recall': recall.number },
    });
  const lookup = getOrderLookup();
  const contacts = lookup ? await lookup(db, [...new Set(impact.orders.map((o) => o.orderId))]) : new Map();
  const notified = new Set<string>();
  for (const o of impact.orders) {
    const c = contacts.get(o.orderId);
    if (!c || notified.has(c.customerId)) continue;
    notified.add(c.customerId);
    const recipient = c.email ?? c.phone;
    if (!recipient || recall.drill) continue;
    const lotCodes = impact.orders.filter((x) => contacts.get(x.orderId)?.customerId === c.customerId).map((x) => x.lotCode);
    await queueCustomerMessage(db, {
      channel: c.email ? 'email' : 'sms',
      recipient,
      subject: { zh: `产品召回通知 ${recall.number}`, en: `Product recall notice ${recall.number}` },
      body: {
        zh: `您订购的批次 ${[...new Set(lotCodes)].join('、')} 已被召回:${recall.reason}。请停止销售并联系我们。`,
        en: `Lots ${[...new Set(lotCodes)].join(', ')} you ordered are recalled: ${recall.reason}. Please stop selling them and contact us.`,
      },
    });
  }
  const to = await transition(db, actor, recallMachine, { id, from: recall.status, event: 'execute', reason: recall.reason, data: { drill: recall.drill } });
  const [row] = await db
    .update(recalls)
    .set({ status: to, executedAt: clock.now(), executedBy: actor.username, impact: { ...impact, notifiedCustomers: [...notified] } })
    .where(and(eq(recalls.id, id), eq(recalls.status, recall.status)))
    .returning();
  if (!row) throw new DomainError('CONFLICT');
  await recordAudit(db, actor, {
    action: 'trace.recall.execute',
    entity: 'recall',
    entityId: id,
    after: { lots: impact.lots.length, customers: notified.size, drill: recall.drill },
  });
  return row!;
}

export async function getRecall(db: Db, id: string): Promise<RecallRow> {
  const [row] = await db.select().from(recalls).where(eq(recalls.id, id));
  if (!row) throw new DomainError(TraceErrors.RECALL_NOT_FOUND);
  return row;
}

export async function listRecalls(db: Db, f: { page: number; pageSize: number }): Promise<{ items: RecallRow[]; total: number; page: number; pageSize: number }> {
  const items = await db.select().from(recalls).orderBy(desc(recalls.createdAt)).limit(f.pageSize).offset(offsetOf(f));
  const [n] = await db.select({ n: sql<number>`count(*)::int` }).from(recalls);
  return { items, total: n?.n ?? 0, page: f.page, pageSize: f.pageSize };
}

type ReportLine = { section: string; a: string; b: string; c: string; d: string };

/**
 * The orders of a recorded impact as the reader sees them now: their numbers and customers (an individual's name in
 * clear only with pii:read; the impact itself keeps it masked). `contacts` adds the contact phone (masked by the caller).
 */
async function orderRefsOf(db: Db, imp: RecallImpact, showPii: boolean, contacts = false): Promise<Map<string, OrderRef>> {
  const lookup = getOrderLookup();
  const orderIds = [...new Set((imp.orders ?? []).map((o) => o.orderId))];
  return lookup && orderIds.length ? lookup(db, orderIds, { contacts, names: showPii }) : new Map();
}

/** A recorded impact's customers' names for the reader (see orderRefsOf()), by customer id. */
function namesOf(imp: RecallImpact, refs: Map<string, OrderRef>, showPii: boolean): Map<string, string> {
  const names = new Map((imp.customers ?? []).map((c) => [c.customerId, c.customerName]));
  if (showPii) for (const r of refs.values()) names.set(r.customerId, r.customerName);
  return names;
}

function reportLines(imp: RecallImpact, refs: Map<string, OrderRef>, names: Map<string, string>, en: boolean): ReportLine[] {
  const out: ReportLine[] = [];
  for (const l of imp.lots ?? []) out.push({ section: en ? 'Lot' : '批次', a: l.lotCode, b: codeLabel('lotStatus', l.qualityStatus, en ? 'en-US' : 'zh-CN') ?? '', c: '', d: '' });
  for (const s of imp.stock ?? []) out.push({ section: en ? 'Stock' : '库存', a: s.lotCode, b: `${s.warehouseCode}/${s.locationCode}`, c: s.onHand, d: s.reserved });
  for (const o of imp.orders ?? [])
    out.push({
      section: en ? 'Order' : '订单',
      a: o.lotCode,
      b: refs.get(o.orderId)?.number ?? o.orderNumber ?? o.orderId,
      c: o.quantity,
      d: (o.customerId ? names.get(o.customerId) : null) ?? o.customerName ?? '',
    });
  for (const c of imp.customers ?? []) out.push({ section: en ? 'Customer' : '客户', a: names.get(c.customerId) ?? c.customerName, b: c.customerId, c: '', d: '' });
  return out;
}

/** The recall report as a sheet: orders by number, customers' names as the reader may see them. */
export async function recallReportXlsx(db: Db, actor: Actor, id: string): Promise<Buffer> {
  const recall = await getRecall(db, id);
  const en = actor.locale === 'en-US';
  const showPii = can(actor, 'pii:read');
  const imp = recall.impact as unknown as RecallImpact;
  const refs = await orderRefsOf(db, imp, showPii);
  const cols: Column<ReportLine>[] = [
    { header: en ? 'Section' : '类别', key: 'section', value: (r) => r.section },
    { header: en ? 'Lot / customer' : '批次/客户', key: 'a', value: (r) => r.a },
    { header: en ? 'Status / location / order' : '状态/库位/订单', key: 'b', value: (r) => r.b },
    { header: en ? 'Quantity' : '数量', key: 'c', value: (r) => r.c },
    { header: en ? 'Reserved / customer' : '预留/客户', key: 'd', value: (r) => r.d },
  ];
  return toXlsx(`${recall.number}`, cols, reportLines(imp, refs, namesOf(imp, refs, showPii), en), { locale: actor.locale });
}

/**
 * The recall report as a readable PDF for the recall team: the recall (reason, scope, status, times in Shanghai), the
 * affected lots, the stock still held, the orders that took the lots and the customers to contact (phone and e-mail
 * only for readers with pii:read, masked otherwise).
 */
export async function recallReportPdf(db: Db, actor: Actor, id: string): Promise<Buffer> {
  const recall = await getRecall(db, id);
  const locale = actor.locale;
  const en = locale === 'en-US';
  const L = (zh: string, e: string) => (en ? e : zh);
  const imp = recall.impact as unknown as RecallImpact;
  const showPii = can(actor, 'pii:read');
  const refs = await orderRefsOf(db, imp, showPii, true);
  const names = namesOf(imp, refs, showPii);
  const contactOf = new Map<string, { code: string; phone: string; email: string }>();
  for (const r of refs.values())
    if (!contactOf.has(r.customerId))
      contactOf.set(r.customerId, {
        code: r.customerCode ?? '',
        phone: (showPii ? r.phone : mask(r.phone, 'phone')) ?? '—',
        email: (showPii ? r.email : mask(r.email, 'email')) ?? '—',
      });
  const time = (d: Date | null) => (d ? `${businessTime(d)}${zoneSuffix(locale)}` : '—');
  const scope = recall.scope;
  const lotCodes = new Map((imp.lots ?? []).map((l) => [l.id, l.lotCode]));
  const scopeText = (() => {
    switch (scope.kind) {
      case 'lot':
        return `${L('批次', 'Lot')} ${lotCodes.get(scope.lotId ?? '') ?? ''}`;
      case 'field':
        return `${L('地块', 'Field')}${scope.from ? ` ${L('自', 'from')} ${scope.from}` : ''}${scope.to ? ` ${L('至', 'to')} ${scope.to}` : ''}`;
      case 'material_lot':
        return `${L('投入品批次', 'Material lot')} ${scope.materialLotCode ?? lotCodes.get(scope.materialLotId ?? '') ?? ''}`;
      default:
        return `${L('日期范围', 'Date range')} ${scope.from ?? ''} ~ ${scope.to ?? ''}`;
    }
  })();
  return renderPdf((doc) => {
    const left = doc.page.margins.left;
    const width = doc.page.width - left - doc.page.margins.right;
    const table = (title: string, headers: string[], widths: number[], rows: string[][]) => {
      doc.moveDown(0.8).fontSize(12).text(`${title}(${rows.length})`, left);
      doc.moveDown(0.3).fontSize(9);
      const line = (cells: string[], bold: boolean) => {
        if (doc.y > doc.page.height - doc.page.margins.bottom - 20) doc.addPage();
        const y = doc.y;
        let x = left;
        let h = 0;
        cells.forEach((c, i) => {
          const w = widths[i]! * width;
          doc.fillColor(bold ? '#333' : '#000').text(c || '—', x + 2, y, { width: w - 4 });
          h = Math.max(h, doc.y - y);
          x += w;
        });
        doc.y = y + h + 3;
        doc
          .moveTo(left, doc.y - 1)
          .lineTo(left + width, doc.y - 1)
          .strokeColor(bold ? '#888' : '#ddd')
          .lineWidth(0.5)
          .stroke();
      };
      line(headers, true);
      if (!rows.length) line([L('无', 'none')], false);
      for (const r of rows) line(r, false);
      doc.x = left;
    };
    doc.fontSize(18).text(`${L('召回报告', 'Recall report')} ${recall.number}${recall.drill ? L('(演练)', ' (drill)') : ''}`, { align: 'center' });
    doc.moveDown(0.6).fontSize(10);
    doc.text(`${L('原因', 'Reason')}:${recall.reason}`);
    doc.text(`${L('范围', 'Scope')}:${scopeText}`);
    doc.text(`${L('状态', 'Status')}:${codeLabel('recallStatus', recall.status, locale)}`);
    doc.text(`${L('发起时间', 'Created')}:${time(recall.createdAt)}    ${L('执行时间', 'Executed')}:${time(recall.executedAt)}`);
    table(
      L('受影响批次', 'Affected lots'),
      [L('批次号', 'Lot'), L('质量状态', 'Quality status')],
      [0.5, 0.5],
      (imp.lots ?? []).map((l) => [l.lotCode, codeLabel('lotStatus', l.qualityStatus, locale) ?? '']),
    );
    table(
      L('在库库存', 'Stock on hand'),
      [L('批次号', 'Lot'), L('仓库/库位', 'Warehouse / bin'), L('在库', 'On hand'), L('已预留', 'Reserved')],
      [0.3, 0.3, 0.2, 0.2],
      (imp.stock ?? []).map((r) => [r.lotCode, `${r.warehouseCode} / ${r.locationCode}`, r.onHand, r.reserved]),
    );
    table(
      L('涉及订单与发货', 'Orders and shipments'),
      [L('订单号', 'Order'), L('客户', 'Customer'), L('批次号', 'Lot'), L('数量', 'Quantity'), L('预留/出库', 'Reserved / shipped')],
      [0.22, 0.28, 0.2, 0.12, 0.18],
      (imp.orders ?? []).map((o) => [
        refs.get(o.orderId)?.number ?? o.orderNumber ?? o.orderId,
        (o.customerId ? names.get(o.customerId) : null) ?? o.customerName ?? '',
        o.lotCode,
        o.quantity,
        codeLabel('reservationStatus', o.status, locale) ?? '',
      ]),
    );
    table(
      L('需联系的客户', 'Customers to contact'),
      [L('客户', 'Customer'), L('编码', 'Code'), L('电话', 'Phone'), L('邮箱', 'E-mail')],
      [0.34, 0.16, 0.22, 0.28],
      (imp.customers ?? []).map((c) => {
        const k = contactOf.get(c.customerId);
        return [names.get(c.customerId) ?? c.customerName, k?.code ?? '', k?.phone ?? '—', k?.email ?? '—'];
      }),
    );
    doc
      .moveDown(1)
      .fontSize(8)
      .fillColor('#666')
      .text(`${L('生成时间', 'Generated')}:${time(clock.now())} · AgriOMS`, left);
  });
}
