import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { tx } from '../../platform/http/context.js';
import { sendXlsx, toXlsx } from '../../platform/http/excel.js';
import { idParam, pageOf } from '../../platform/http/list.js';
import { dateTime, errorResponses, okEmpty } from '../../platform/http/schemas.js';
import { historyOf } from '../../platform/state-machine.js';
import { listWarehouses } from '../inventory/index.js';
import { purchaseOrderPdf } from './procurement.pdf.js';
import * as s from './procurement.schemas.js';
import {
  addSupplierDocument,
  archiveSupplierDocument,
  changePoStatus,
  changeSupplierStatus,
  createPurchaseOrder,
  createSupplier,
  getPurchaseOrder,
  getSupplierDetail,
  listMaterialLevels,
  listPurchaseOrders,
  listSuppliers,
  receivePurchaseOrder,
  replenish,
  setMaterialLevel,
  updatePurchaseOrder,
  updateSupplier,
  updateSupplierDocument,
} from './procurement.service.js';

const tags = ['procurement'];
const subParam = z.object({ id: z.uuid(), subId: z.uuid() });
const EXPORT_ROWS = 100_000;
const historyResponse = z.object({
  items: z.array(z.object({ fromState: z.string().nullable(), toState: z.string(), event: z.string(), actorName: z.string(), reason: z.string().nullable(), at: dateTime })),
});

const SUPPLIER_STATUS = { pending: { zh: '待审批', en: 'Pending' }, approved: { zh: '已批准', en: 'Approved' }, suspended: { zh: '暂停', en: 'Suspended' } } as const;
const PO_STATUS = {
  draft: { zh: '草稿', en: 'Draft' },
  sent: { zh: '已发送', en: 'Sent' },
  partially_received: { zh: '部分收货', en: 'Partially received' },
  received: { zh: '已收货', en: 'Received' },
  cancelled: { zh: '已取消', en: 'Cancelled' },
} as const;

/** /api/procurement/…: suppliers with documents and rating, purchase orders (PDF, receipts), material stock policies and replenishment. */
export const procurementRoutes: FastifyPluginAsyncZod = async (app) => {
  const { ctx } = app;

  // ---- suppliers
  app.get(
    '/procurement/suppliers',
    { config: { access: 'procurement:read' }, schema: { tags, summary: 'List suppliers', querystring: s.supplierListQuery, response: { 200: pageOf(s.supplierSummary) } } },
    async (req) => listSuppliers(ctx.db, req.query),
  );
  app.get(
    '/procurement/suppliers/export.xlsx',
    { config: { access: 'procurement:read' }, schema: { tags, summary: 'Export suppliers to Excel', querystring: s.supplierListQuery } },
    async (req, reply) => {
      const page = await listSuppliers(ctx.db, { ...req.query, page: 1, pageSize: EXPORT_ROWS });
      const en = req.locale === 'en-US';
      const buf = await toXlsx(
        en ? 'Suppliers' : '供应商',
        [
          { header: en ? 'Code' : '编码', key: 'code', value: (r) => r.code },
          { header: en ? 'Name' : '名称', key: 'name', value: (r) => r.name },
          { header: en ? 'Status' : '状态', key: 'status', value: (r) => (en ? SUPPLIER_STATUS[r.status].en : SUPPLIER_STATUS[r.status].zh) },
          { header: en ? 'Rating' : '评分', key: 'score', value: (r) => r.rating.score },
          { header: en ? 'Grade' : '等级', key: 'grade', value: (r) => r.rating.grade },
          { header: en ? 'Next document expiry' : '最近资质到期日', key: 'nextDocumentExpiry', value: (r) => r.nextDocumentExpiry },
          { header: en ? 'Contact' : '联系人', key: 'contactName', value: (r) => r.contactName },
          { header: en ? 'Phone' : '电话', key: 'phone', value: (r) => r.phone },
        ],
        page.items,
      );
      return sendXlsx(reply, 'suppliers.xlsx', buf);
    },
  );
  app.get(
    '/procurement/suppliers/:id',
    { config: { access: 'procurement:read' }, schema: { tags, summary: 'One supplier with documents and rating', params: idParam, response: { 200: s.supplierDetail } } },
    async (req) => getSupplierDetail(ctx.db, req.params.id),
  );
  app.get(
    '/procurement/suppliers/:id/history',
    { config: { access: 'procurement:read' }, schema: { tags, summary: 'Supplier status history', params: idParam, response: { 200: historyResponse } } },
    async (req) => {
      await getSupplierDetail(ctx.db, req.params.id);
      const rows = await historyOf(ctx.db, 'supplier', req.params.id);
      return { items: rows.map((r) => ({ fromState: r.fromState, toState: r.toState, event: r.event, actorName: r.actorName, reason: r.reason, at: r.at })) };
    },
  );
  app.post(
    '/procurement/suppliers',
    {
      config: { access: 'procurement:manage', idempotent: true },
      schema: { tags, summary: 'Create a supplier (pending approval)', body: s.supplierBody, response: { 201: s.supplierDetail, ...errorResponses } },
    },
    async (req, reply) => reply.status(201).send(await tx(req, (db, actor) => createSupplier(db, actor, req.body))),
  );
  app.patch(
    '/procurement/suppliers/:id',
    {
      config: { access: 'procurement:manage' },
      schema: { tags, summary: 'Edit a supplier', params: idParam, body: s.supplierPatch, response: { 200: s.supplierDetail, ...errorResponses } },
    },
    async (req) => tx(req, (db, actor) => updateSupplier(db, actor, req.params.id, req.body)),
  );
  for (const event of ['approve', 'suspend', 'reinstate'] as const) {
    app.post(
      `/procurement/suppliers/:id/${event}`,
      {
        config: { access: 'suppliers:approve' },
        schema: { tags, summary: `Supplier status: ${event}`, params: idParam, body: s.statusBody, response: { 200: s.supplierDetail, ...errorResponses } },
      },
      async (req) => tx(req, (db, actor) => changeSupplierStatus(db, actor, req.params.id, event, req.body.reason ?? null)),
    );
  }
  app.post(
    '/procurement/suppliers/:id/documents',
    {
      config: { access: 'procurement:manage', idempotent: true },
      schema: { tags, summary: 'Add a qualification document', params: idParam, body: s.documentBody, response: { 201: s.documentSchema, ...errorResponses } },
    },
    async (req, reply) => reply.status(201).send(await tx(req, (db, actor) => addSupplierDocument(db, actor, req.params.id, req.body))),
  );
  app.patch(
    '/procurement/suppliers/:id/documents/:subId',
    {
      config: { access: 'procurement:manage' },
      schema: { tags, summary: 'Edit a qualification document', params: subParam, body: s.documentBody.partial(), response: { 200: s.documentSchema, ...errorResponses } },
    },
    async (req) => tx(req, (db, actor) => updateSupplierDocument(db, actor, req.params.id, req.params.subId, req.body)),
  );
  app.delete(
    '/procurement/suppliers/:id/documents/:subId',
    { config: { access: 'procurement:manage' }, schema: { tags, summary: 'Archive a qualification document', params: subParam, response: { 204: okEmpty } } },
    async (req, reply) => {
      await tx(req, (db, actor) => archiveSupplierDocument(db, actor, req.params.id, req.params.subId));
      return reply.status(204).send(null);
    },
  );

  // ---- purchase orders
  app.get(
    '/procurement/orders',
    { config: { access: 'procurement:read' }, schema: { tags, summary: 'List purchase orders', querystring: s.poListQuery, response: { 200: pageOf(s.poSummary) } } },
    async (req) => listPurchaseOrders(ctx.db, req.query),
  );
  app.get(
    '/procurement/orders/export.xlsx',
    { config: { access: 'procurement:read' }, schema: { tags, summary: 'Export purchase orders to Excel', querystring: s.poListQuery } },
    async (req, reply) => {
      const page = await listPurchaseOrders(ctx.db, { ...req.query, page: 1, pageSize: EXPORT_ROWS });
      const en = req.locale === 'en-US';
      const buf = await toXlsx(
        en ? 'Purchase orders' : '采购单',
        [
          { header: en ? 'Number' : '单号', key: 'code', value: (r) => r.code },
          { header: en ? 'Supplier' : '供应商', key: 'supplierName', value: (r) => r.supplierName },
          { header: en ? 'Status' : '状态', key: 'status', value: (r) => (en ? PO_STATUS[r.status].en : PO_STATUS[r.status].zh) },
          { header: en ? 'Expected on' : '预计到货', key: 'expectedDate', value: (r) => r.expectedDate },
          { header: en ? 'Total (CNY)' : '金额(元)', key: 'total', value: (r) => r.totalFen / 100 },
        ],
        page.items,
      );
      return sendXlsx(reply, 'purchase-orders.xlsx', buf);
    },
  );
  app.get(
    '/procurement/orders/:id',
    { config: { access: 'procurement:read' }, schema: { tags, summary: 'One purchase order with lines and receipts', params: idParam, response: { 200: s.poDetail } } },
    async (req) => getPurchaseOrder(ctx.db, req.params.id),
  );
  app.get(
    '/procurement/orders/:id/history',
    { config: { access: 'procurement:read' }, schema: { tags, summary: 'Purchase order status history', params: idParam, response: { 200: historyResponse } } },
    async (req) => {
      await getPurchaseOrder(ctx.db, req.params.id);
      const rows = await historyOf(ctx.db, 'purchase_order', req.params.id);
      return { items: rows.map((r) => ({ fromState: r.fromState, toState: r.toState, event: r.event, actorName: r.actorName, reason: r.reason, at: r.at })) };
    },
  );
  app.get(
    '/procurement/orders/:id/pdf',
    { config: { access: 'procurement:read' }, schema: { tags, summary: 'The purchase order as a PDF (to send to the supplier)', params: idParam } },
    async (req, reply) => {
      const po = await getPurchaseOrder(ctx.db, req.params.id);
      const [supplier, warehouses] = await Promise.all([getSupplierDetail(ctx.db, po.supplierId), listWarehouses(ctx.db, { page: 1, pageSize: 200 })]);
      const wh = warehouses.items.find((w) => w.id === po.warehouseId);
      const pdf = await purchaseOrderPdf(po, supplier, wh ? `${wh.name} (${wh.code})` : po.warehouseId, req.locale);
      return reply.header('content-type', 'application/pdf').header('content-disposition', `inline; filename="${po.code}.pdf"`).send(pdf);
    },
  );
  app.post(
    '/procurement/orders',
    {
      config: { access: 'procurement:manage', idempotent: true },
      schema: { tags, summary: 'Create a draft purchase order (approved supplier only)', body: s.poBody, response: { 201: s.poDetail, ...errorResponses } },
    },
    async (req, reply) => reply.status(201).send(await tx(req, (db, actor) => createPurchaseOrder(db, actor, req.body))),
  );
  app.patch(
    '/procurement/orders/:id',
    {
      config: { access: 'procurement:manage' },
      schema: { tags, summary: 'Edit a draft purchase order', params: idParam, body: s.poPatch, response: { 200: s.poDetail, ...errorResponses } },
    },
    async (req) => tx(req, (db, actor) => updatePurchaseOrder(db, actor, req.params.id, req.body)),
  );
  for (const event of ['send', 'cancel'] as const) {
    app.post(
      `/procurement/orders/:id/${event}`,
      {
        config: { access: 'procurement:manage' },
        schema: { tags, summary: `Purchase order: ${event}`, params: idParam, body: s.statusBody, response: { 200: s.poDetail, ...errorResponses } },
      },
      async (req) => tx(req, (db, actor) => changePoStatus(db, actor, req.params.id, event, req.body.reason ?? null)),
    );
  }
  app.post(
    '/procurement/orders/:id/receipts',
    {
      config: { access: 'inventory:receive', idempotent: true },
      schema: {
        tags,
        summary: 'Receive (part of) a purchase order into stock as lots',
        params: idParam,
        body: s.receiptBody,
        response: { 201: s.poDetail, ...errorResponses },
      },
    },
    async (req, reply) => reply.status(201).send(await tx(req, (db, actor) => receivePurchaseOrder(db, actor, req.params.id, req.body))),
  );

  // ---- material stock policies and replenishment
  app.get(
    '/procurement/material-levels',
    {
      config: { access: 'procurement:read' },
      schema: { tags, summary: 'Material stock policies with stock, on-order and alerts', querystring: s.materialLevelQuery, response: { 200: pageOf(s.materialLevelSchema) } },
    },
    async (req) => listMaterialLevels(ctx.db, req.query),
  );
  app.get(
    '/procurement/material-levels/export.xlsx',
    { config: { access: 'procurement:read' }, schema: { tags, summary: 'Export material stock policies', querystring: s.materialLevelQuery } },
    async (req, reply) => {
      const page = await listMaterialLevels(ctx.db, { ...req.query, page: 1, pageSize: EXPORT_ROWS });
      const en = req.locale === 'en-US';
      const buf = await toXlsx(
        en ? 'Material levels' : '物料库存策略',
        [
          { header: en ? 'Code' : '物料编码', key: 'productCode', value: (r) => r.productCode },
          { header: en ? 'Material' : '物料', key: 'productName', value: (r) => r.productName },
          { header: en ? 'Available' : '可用', key: 'available', value: (r) => r.available },
          { header: en ? 'On order' : '在途', key: 'onOrder', value: (r) => r.onOrder },
          { header: en ? 'Safety stock' : '安全库存', key: 'safetyStock', value: (r) => r.safetyStock },
          { header: en ? 'Reorder point' : '再订货点', key: 'reorderPoint', value: (r) => r.reorderPoint },
          { header: en ? 'Proposed' : '建议采购', key: 'proposedQuantity', value: (r) => r.proposedQuantity },
          { header: en ? 'Supplier' : '供应商', key: 'supplierName', value: (r) => r.supplierName },
        ],
        page.items,
      );
      return sendXlsx(reply, 'material-levels.xlsx', buf);
    },
  );
  app.put(
    '/procurement/material-levels',
    {
      config: { access: 'procurement:manage' },
      schema: { tags, summary: 'Set the stock policy of a material in a warehouse', body: s.materialLevelBody, response: { 200: s.materialLevelSchema, ...errorResponses } },
    },
    async (req) => tx(req, (db, actor) => setMaterialLevel(db, actor, req.body)),
  );
  app.post(
    '/procurement/replenishment',
    {
      config: { access: 'procurement:manage', idempotent: true },
      schema: {
        tags,
        summary: 'Turn the replenishment proposal into draft purchase orders (one per supplier and warehouse)',
        body: s.replenishBody,
        response: { 201: z.object({ orders: z.array(s.poDetail) }), ...errorResponses },
      },
    },
    async (req, reply) => reply.status(201).send(await tx(req, (db, actor) => replenish(db, actor, req.body))),
  );
};
