import type { FastifyInstance } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { DomainError } from '../../platform/errors/domain-error.js';
import { acceptUploads } from '../../platform/http/uploads.js';
import { actorOf, tx } from '../../platform/http/context.js';
import { sendXlsx, toXlsx } from '../../platform/http/excel.js';
import { idParam, pageOf } from '../../platform/http/list.js';
import { errorResponses } from '../../platform/http/schemas.js';
import { LogisticsErrors } from './logistics.errors.js';
import { deliveryNotePdf, pickListPdf, ssccLabelsPdf } from './logistics.pdf.js';
import {
  chooseDelivery,
  createCarrier,
  createContract,
  getCarrier,
  getContract,
  listCarriers,
  listContracts,
  proposeDelivery,
  updateCarrier,
  updateContract,
} from './carriers.service.js';
import {
  backorderQuery,
  backorderSchema,
  cancelPickBody,
  carrierBody,
  carrierListQuery,
  carrierPatch,
  carrierSchema,
  chooseBody,
  confirmPickBody,
  contractBody,
  contractListQuery,
  contractPatch,
  contractSchema,
  deliveryChoiceSchema,
  pickListBody,
  pickListDetail,
  pickListQuery,
  pickListSummary,
  proposalQuery,
  proposalSchema,
  approveWeightsBody,
  checkBody,
  deliverBody,
  dispatchBody,
  failBody,
  packBody,
  readingsBody,
  readingsResult,
  shipmentBody,
  shipmentDetail,
  shipmentQuery,
  shipmentSummary,
  performanceQuery,
  performanceSchema,
} from './logistics.schemas.js';
import {
  addReadings,
  approveWeights,
  carrierPerformance,
  checkShipment,
  createShipment,
  deliverShipment,
  dispatchShipment,
  failShipment,
  getShipment,
  listShipments,
  packShipment,
  parseReadingsCsv,
} from './shipments.service.js';
import { cancelPickList, confirmPickList, createPickList, getPickList, listBackorders, listPickLists } from './picking.service.js';

const tags = ['logistics'];
const EXPORT_ROWS = 100_000;
type T = { zh: string; en: string };

const SERVICE_NAMES: Record<string, T> = {
  standard: { zh: '普通', en: 'Standard' },
  express: { zh: '快递', en: 'Express' },
  cold_chain: { zh: '冷链', en: 'Cold chain' },
  freight: { zh: '整车/零担', en: 'Freight' },
  own_fleet: { zh: '自有车队', en: 'Own fleet' },
};
const TEMP_NAMES: Record<string, T> = {
  frozen: { zh: '冷冻', en: 'Frozen' },
  chilled: { zh: '冷藏', en: 'Chilled' },
  cool: { zh: '恒温', en: 'Cool' },
  ambient: { zh: '常温', en: 'Ambient' },
};
const STATE_NAMES: Record<string, T> = {
  valid: { zh: '有效', en: 'Valid' },
  expired: { zh: '已过期', en: 'Expired' },
  not_started: { zh: '未生效', en: 'Not yet valid' },
  open: { zh: '待拣货', en: 'Open' },
  confirmed: { zh: '已确认', en: 'Confirmed' },
  cancelled: { zh: '已取消', en: 'Cancelled' },
  resolved: { zh: '已处理', en: 'Resolved' },
  packing: { zh: '包装中', en: 'Packing' },
  checked: { zh: '已检查', en: 'Checked' },
  dispatched: { zh: '已发运', en: 'Dispatched' },
  delivered: { zh: '已签收', en: 'Delivered' },
  failed: { zh: '配送失败', en: 'Failed' },
};

const pdf = (reply: import('fastify').FastifyReply, name: string, buf: Buffer) =>
  reply.header('content-type', 'application/pdf').header('content-disposition', `inline; filename="${name}"`).send(buf);

/** Logistics: carriers and contracts, delivery-method proposals, pick lists (single orders and waves) and backorders. */
export const logisticsRoutes: FastifyPluginAsyncZod = async (app) => {
  await acceptUploads(app as unknown as FastifyInstance);
  const { ctx } = app;
  const l = (req: { locale: string }) => (t: T) => (req.locale === 'en-US' ? t.en : t.zh);

  // ---------------------------------------------------------------- carriers
  app.get(
    '/logistics/carriers',
    { config: { access: 'logistics:read' }, schema: { tags, summary: 'List carriers', querystring: carrierListQuery, response: { 200: pageOf(carrierSchema) } } },
    async (req) => listCarriers(ctx.db, req.query),
  );
  app.get(
    '/logistics/carriers/export.xlsx',
    { config: { access: 'logistics:read' }, schema: { tags, summary: 'Export carriers to Excel', querystring: carrierListQuery } },
    async (req, reply) => {
      const page = await listCarriers(ctx.db, { ...req.query, page: 1, pageSize: EXPORT_ROWS });
      const en = req.locale === 'en-US';
      const buf = await toXlsx(
        en ? 'Carriers' : '承运商',
        [
          { header: en ? 'Code' : '编码', key: 'code', value: (c) => c.code },
          { header: en ? 'Name' : '名称', key: 'name', value: (c) => (en ? (c.nameEn ?? c.name) : c.name) },
          { header: en ? 'Own fleet' : '自有车队', key: 'ownFleet', value: (c) => (c.ownFleet ? (en ? 'Yes' : '是') : en ? 'No' : '否') },
          { header: en ? 'Contact' : '联系人', key: 'contactName', value: (c) => c.contactName },
          { header: en ? 'Phone' : '电话', key: 'phone', value: (c) => c.phone },
          { header: en ? 'Valid contracts' : '有效合同', key: 'validContracts', value: (c) => c.validContracts },
          { header: en ? 'Active' : '启用', key: 'active', value: (c) => (c.active ? (en ? 'Yes' : '是') : en ? 'No' : '否') },
        ],
        page.items,
      );
      return sendXlsx(reply, 'carriers.xlsx', buf);
    },
  );
  app.get(
    '/logistics/carriers/performance',
    {
      config: { access: 'logistics:read' },
      schema: {
        tags,
        summary: 'On-time, excursion and damage rates per carrier for shipments dispatched in a period',
        querystring: performanceQuery,
        response: { 200: performanceSchema },
      },
    },
    async (req) => ({ items: await carrierPerformance(ctx.db, req.query) }),
  );
  app.get(
    '/logistics/carriers/:id',
    { config: { access: 'logistics:read' }, schema: { tags, summary: 'One carrier', params: idParam, response: { 200: carrierSchema } } },
    async (req) => getCarrier(ctx.db, req.params.id),
  );
  app.post(
    '/logistics/carriers',
    {
      config: { access: 'carriers:manage', idempotent: true },
      schema: { tags, summary: 'Create a carrier', body: carrierBody, response: { 201: carrierSchema, ...errorResponses } },
    },
    async (req, reply) => reply.status(201).send(await tx(req, (db, actor) => createCarrier(db, actor, req.body))),
  );
  app.patch(
    '/logistics/carriers/:id',
    {
      config: { access: 'carriers:manage' },
      schema: { tags, summary: 'Edit a carrier', params: idParam, body: carrierPatch, response: { 200: carrierSchema, ...errorResponses } },
    },
    async (req) => tx(req, (db, actor) => updateCarrier(db, actor, req.params.id, req.body)),
  );

  // ---------------------------------------------------------------- contracts
  app.get(
    '/logistics/contracts',
    { config: { access: 'logistics:read' }, schema: { tags, summary: 'List carrier contracts', querystring: contractListQuery, response: { 200: pageOf(contractSchema) } } },
    async (req) => listContracts(ctx.db, req.query),
  );
  app.get(
    '/logistics/contracts/export.xlsx',
    { config: { access: 'logistics:read' }, schema: { tags, summary: 'Export carrier contracts to Excel', querystring: contractListQuery } },
    async (req, reply) => {
      const page = await listContracts(ctx.db, { ...req.query, page: 1, pageSize: EXPORT_ROWS });
      const en = req.locale === 'en-US';
      const t = l(req);
      const buf = await toXlsx(
        en ? 'Carrier contracts' : '运输合同',
        [
          { header: en ? 'Number' : '合同编号', key: 'number', value: (c) => c.number },
          { header: en ? 'Carrier' : '承运商', key: 'carrierName', value: (c) => c.carrierName },
          { header: en ? 'Service' : '服务类型', key: 'serviceType', value: (c) => t(SERVICE_NAMES[c.serviceType]!) },
          { header: en ? 'Temperature class' : '温层', key: 'tempClass', value: (c) => t(TEMP_NAMES[c.tempClass]!) },
          { header: en ? 'Band (°C)' : '温度区间(°C)', key: 'band', value: (c) => (c.tempMinC === null ? null : `${c.tempMinC}–${c.tempMaxC}`) },
          { header: en ? 'Transit days' : '在途天数', key: 'transitDays', value: (c) => c.transitDays },
          { header: en ? 'Per kg (CNY)' : '每公斤(元)', key: 'perKg', value: (c) => c.perKgFen / 100 },
          { header: en ? 'Per shipment (CNY)' : '每票(元)', key: 'perShipment', value: (c) => c.perShipmentFen / 100 },
          { header: en ? 'Regions' : '覆盖地区', key: 'regions', value: (c) => c.regions.join(', ') },
          { header: en ? 'Valid from' : '生效日期', key: 'validFrom', value: (c) => c.validFrom },
          { header: en ? 'Valid to' : '截止日期', key: 'validTo', value: (c) => c.validTo },
          { header: en ? 'State' : '状态', key: 'state', value: (c) => t(STATE_NAMES[c.state]!) },
        ],
        page.items,
      );
      return sendXlsx(reply, 'carrier-contracts.xlsx', buf);
    },
  );
  app.get(
    '/logistics/contracts/:id',
    { config: { access: 'logistics:read' }, schema: { tags, summary: 'One carrier contract', params: idParam, response: { 200: contractSchema } } },
    async (req) => getContract(ctx.db, req.params.id),
  );
  app.post(
    '/logistics/contracts',
    {
      config: { access: 'carriers:manage', idempotent: true },
      schema: { tags, summary: 'Create a carrier contract', body: contractBody, response: { 201: contractSchema, ...errorResponses } },
    },
    async (req, reply) => reply.status(201).send(await tx(req, (db, actor) => createContract(db, actor, req.body))),
  );
  app.patch(
    '/logistics/contracts/:id',
    {
      config: { access: 'carriers:manage' },
      schema: { tags, summary: 'Edit a carrier contract', params: idParam, body: contractPatch, response: { 200: contractSchema, ...errorResponses } },
    },
    async (req) => tx(req, (db, actor) => updateContract(db, actor, req.params.id, req.body)),
  );

  // ---------------------------------------------------------------- delivery method
  app.get(
    '/logistics/orders/:id/delivery-options',
    {
      config: { access: 'logistics:read' },
      schema: {
        tags,
        summary: 'Carriers and services that can deliver the order in time at its temperature, with cost; and why the others cannot',
        params: idParam,
        querystring: proposalQuery,
        response: { 200: proposalSchema, ...errorResponses },
      },
    },
    async (req) => proposeDelivery(ctx.db, actorOf(req), req.params.id, req.query, req.locale === 'en-US' ? 'en-US' : 'zh-CN'),
  );
  app.put(
    '/logistics/orders/:id/delivery-method',
    {
      config: { access: 'shipping:manage' },
      schema: {
        tags,
        summary: 'Choose the delivery method (a contract the proposal allows)',
        params: idParam,
        body: chooseBody,
        response: { 200: deliveryChoiceSchema, ...errorResponses },
      },
    },
    async (req) => tx(req, (db, actor) => chooseDelivery(db, actor, req.params.id, req.body, req.locale === 'en-US' ? 'en-US' : 'zh-CN')),
  );

  // ---------------------------------------------------------------- pick lists
  app.get(
    '/logistics/pick-lists',
    { config: { access: 'logistics:read' }, schema: { tags, summary: 'List pick lists', querystring: pickListQuery, response: { 200: pageOf(pickListSummary) } } },
    async (req) => listPickLists(ctx.db, req.query),
  );
  app.get(
    '/logistics/pick-lists/export.xlsx',
    { config: { access: 'logistics:read' }, schema: { tags, summary: 'Export pick lists to Excel', querystring: pickListQuery } },
    async (req, reply) => {
      const page = await listPickLists(ctx.db, { ...req.query, page: 1, pageSize: EXPORT_ROWS });
      const en = req.locale === 'en-US';
      const t = l(req);
      const buf = await toXlsx(
        en ? 'Pick lists' : '拣货单',
        [
          { header: en ? 'Number' : '拣货单号', key: 'number', value: (p) => p.number },
          { header: en ? 'Orders' : '订单', key: 'orders', value: (p) => p.orderNumbers.join(', ') },
          { header: en ? 'Status' : '状态', key: 'status', value: (p) => t(STATE_NAMES[p.status]!) },
          { header: en ? 'Lines' : '行数', key: 'lineCount', value: (p) => p.lineCount },
          { header: en ? 'Short lines' : '缺货行', key: 'shortLines', value: (p) => p.shortLines },
          { header: en ? 'Created by' : '创建人', key: 'createdBy', value: (p) => p.createdBy },
          { header: en ? 'Created at' : '创建时间', key: 'createdAt', value: (p) => p.createdAt.toISOString() },
          { header: en ? 'Confirmed by' : '确认人', key: 'confirmedBy', value: (p) => p.confirmedBy },
          { header: en ? 'Confirmed at' : '确认时间', key: 'confirmedAt', value: (p) => p.confirmedAt?.toISOString() ?? null },
        ],
        page.items,
      );
      return sendXlsx(reply, 'pick-lists.xlsx', buf);
    },
  );
  app.get(
    '/logistics/backorders',
    {
      config: { access: 'logistics:read' },
      schema: { tags, summary: 'Backorder lines left by short picks', querystring: backorderQuery, response: { 200: pageOf(backorderSchema) } },
    },
    async (req) => listBackorders(ctx.db, req.query),
  );
  app.get(
    '/logistics/backorders/export.xlsx',
    { config: { access: 'logistics:read' }, schema: { tags, summary: 'Export backorder lines to Excel', querystring: backorderQuery } },
    async (req, reply) => {
      const page = await listBackorders(ctx.db, { ...req.query, page: 1, pageSize: EXPORT_ROWS });
      const en = req.locale === 'en-US';
      const t = l(req);
      const buf = await toXlsx(
        en ? 'Backorders' : '缺货待补',
        [
          { header: en ? 'Order' : '订单', key: 'orderNumber', value: (b) => b.orderNumber },
          { header: en ? 'Pick list' : '拣货单', key: 'pickListNumber', value: (b) => b.pickListNumber },
          { header: en ? 'Product code' : '产品编码', key: 'productCode', value: (b) => b.productCode },
          { header: en ? 'Product' : '产品', key: 'productName', value: (b) => b.productName },
          { header: en ? 'Quantity' : '数量', key: 'quantity', value: (b) => b.quantity },
          { header: en ? 'Unit' : '单位', key: 'unit', value: (b) => b.unit },
          { header: en ? 'Status' : '状态', key: 'status', value: (b) => t(STATE_NAMES[b.status]!) },
        ],
        page.items,
      );
      return sendXlsx(reply, 'backorders.xlsx', buf);
    },
  );
  app.get(
    '/logistics/pick-lists/:id',
    {
      config: { access: 'logistics:read' },
      schema: { tags, summary: 'One pick list with its lines in walk order and its backorders', params: idParam, response: { 200: pickListDetail } },
    },
    async (req) => getPickList(ctx.db, req.params.id),
  );
  app.get(
    '/logistics/pick-lists/:id/pick-list.pdf',
    { config: { access: 'logistics:read' }, schema: { tags, summary: 'Printable pick list (PDF, walk order)', params: idParam } },
    async (req, reply) => pdf(reply, `pick-list-${req.params.id}.pdf`, await pickListPdf(await getPickList(ctx.db, req.params.id), req.locale === 'en-US')),
  );
  app.post(
    '/logistics/pick-lists',
    {
      config: { access: 'picking:manage', idempotent: true },
      schema: { tags, summary: 'Make a pick list for one order or a wave of several', body: pickListBody, response: { 201: pickListDetail, ...errorResponses } },
    },
    async (req, reply) => reply.status(201).send(await tx(req, (db, actor) => createPickList(db, actor, req.body))),
  );
  app.post(
    '/logistics/pick-lists/:id/confirm',
    {
      config: { access: 'picking:manage' },
      schema: {
        tags,
        summary: 'Confirm a pick list by scanned or typed lot codes: stock issued, orders ready, short picks as backorders',
        params: idParam,
        body: confirmPickBody,
        response: { 200: pickListDetail, ...errorResponses },
      },
    },
    async (req) => tx(req, (db, actor) => confirmPickList(db, actor, req.params.id, req.body)),
  );
  app.post(
    '/logistics/pick-lists/:id/cancel',
    {
      config: { access: 'picking:manage' },
      schema: { tags, summary: 'Cancel an open pick list', params: idParam, body: cancelPickBody, response: { 200: pickListDetail, ...errorResponses } },
    },
    async (req) => tx(req, (db, actor) => cancelPickList(db, actor, req.params.id, req.body.reason)),
  );

  // ---------------------------------------------------------------- shipments
  app.get(
    '/logistics/shipments',
    { config: { access: 'logistics:read' }, schema: { tags, summary: 'List shipments', querystring: shipmentQuery, response: { 200: pageOf(shipmentSummary) } } },
    async (req) => listShipments(ctx.db, req.query),
  );
  app.get(
    '/logistics/shipments/export.xlsx',
    { config: { access: 'logistics:read' }, schema: { tags, summary: 'Export shipments to Excel', querystring: shipmentQuery } },
    async (req, reply) => {
      const page = await listShipments(ctx.db, { ...req.query, page: 1, pageSize: EXPORT_ROWS });
      const en = req.locale === 'en-US';
      const t = l(req);
      const buf = await toXlsx(
        en ? 'Shipments' : '发运单',
        [
          { header: en ? 'Number' : '发运单号', key: 'number', value: (s) => s.number },
          { header: en ? 'Order' : '订单', key: 'orderNumber', value: (s) => s.orderNumber },
          { header: en ? 'Customer' : '客户', key: 'customerName', value: (s) => s.customerName },
          { header: en ? 'Status' : '状态', key: 'status', value: (s) => t(STATE_NAMES[s.status]!) },
          { header: en ? 'Carrier' : '承运商', key: 'carrierName', value: (s) => s.carrierName },
          { header: en ? 'Tracking number' : '运单号', key: 'trackingNumber', value: (s) => s.trackingNumber },
          { header: en ? 'Dispatched at' : '发运时间', key: 'dispatchedAt', value: (s) => s.dispatchedAt?.toISOString() ?? null },
          { header: en ? 'Delivered at' : '签收时间', key: 'deliveredAt', value: (s) => s.deliveredAt?.toISOString() ?? null },
          { header: en ? 'Receiver' : '签收人', key: 'receiver', value: (s) => s.receiver },
          { header: en ? 'Excursion' : '温度超标', key: 'excursion', value: (s) => (s.excursion ? (en ? 'Yes' : '是') : '') },
        ],
        page.items,
      );
      return sendXlsx(reply, 'shipments.xlsx', buf);
    },
  );
  app.get(
    '/logistics/shipments/:id',
    { config: { access: 'logistics:read' }, schema: { tags, summary: 'One shipment: lines, packages, checks, temperatures', params: idParam, response: { 200: shipmentDetail } } },
    async (req) => getShipment(ctx.db, actorOf(req), req.params.id),
  );
  app.get(
    '/logistics/shipments/:id/delivery-note.pdf',
    { config: { access: 'logistics:read' }, schema: { tags, summary: 'Delivery note (送货单, PDF) with lines, lots and a signature box', params: idParam } },
    async (req, reply) => pdf(reply, `delivery-note-${req.params.id}.pdf`, await deliveryNotePdf(await getShipment(ctx.db, actorOf(req), req.params.id), req.locale === 'en-US')),
  );
  app.get(
    '/logistics/shipments/:id/labels.pdf',
    { config: { access: 'logistics:read' }, schema: { tags, summary: 'GS1-128 package labels with the SSCC (AI 00), one page per package (PDF)', params: idParam } },
    async (req, reply) => pdf(reply, `labels-${req.params.id}.pdf`, await ssccLabelsPdf(await getShipment(ctx.db, actorOf(req), req.params.id), req.locale === 'en-US')),
  );
  app.post(
    '/logistics/shipments',
    {
      config: { access: 'picking:manage', idempotent: true },
      schema: { tags, summary: 'Open the shipment of a ready order (packing)', body: shipmentBody, response: { 201: shipmentDetail, ...errorResponses } },
    },
    async (req, reply) => reply.status(201).send(await tx(req, (db, actor) => createShipment(db, actor, req.body))),
  );
  app.put(
    '/logistics/shipments/:id/packages',
    {
      config: { access: 'picking:manage' },
      schema: {
        tags,
        summary: 'Record the packages (type, quantity, actual kg); invoiced amounts follow catch weight',
        params: idParam,
        body: packBody,
        response: { 200: shipmentDetail, ...errorResponses },
      },
    },
    async (req) => tx(req, (db, actor) => packShipment(db, actor, req.params.id, req.body)),
  );
  app.post(
    '/logistics/shipments/:id/approve-weights',
    {
      config: { access: 'weights:approve' },
      schema: { tags, summary: 'Approve actual weights beyond the tolerance', params: idParam, body: approveWeightsBody, response: { 200: shipmentDetail, ...errorResponses } },
    },
    async (req) => tx(req, (db, actor) => approveWeights(db, actor, req.params.id, req.body.note ?? null)),
  );
  app.post(
    '/logistics/shipments/:id/check',
    {
      config: { access: 'picking:manage' },
      schema: {
        tags,
        summary: 'Pre-dispatch check (R4.4): packaging, labels, product temperature, lots released',
        params: idParam,
        body: checkBody,
        response: { 200: shipmentDetail, ...errorResponses },
      },
    },
    async (req) => tx(req, (db, actor) => checkShipment(db, actor, req.params.id, req.body)),
  );
  app.post(
    '/logistics/shipments/:id/dispatch',
    {
      config: { access: 'shipping:manage' },
      schema: {
        tags,
        summary: 'Dispatch a checked shipment: the order is shipped and the customer gets the tracking number',
        params: idParam,
        body: dispatchBody,
        response: { 200: shipmentDetail, ...errorResponses },
      },
    },
    async (req) => tx(req, (db, actor) => dispatchShipment(db, actor, req.params.id, req.body)),
  );
  app.post(
    '/logistics/shipments/:id/deliver',
    {
      config: { access: 'shipping:manage' },
      schema: {
        tags,
        summary: 'Confirm delivery (time, receiver, proof): the order is delivered',
        params: idParam,
        body: deliverBody,
        response: { 200: shipmentDetail, ...errorResponses },
      },
    },
    async (req) => tx(req, (db, actor) => deliverShipment(db, actor, req.params.id, req.body)),
  );
  app.post(
    '/logistics/shipments/:id/fail',
    {
      config: { access: 'shipping:manage' },
      schema: { tags, summary: 'Record a failed delivery with its reason', params: idParam, body: failBody, response: { 200: shipmentDetail, ...errorResponses } },
    },
    async (req) => tx(req, (db, actor) => failShipment(db, actor, req.params.id, req.body.reason)),
  );
  app.post(
    '/logistics/shipments/:id/temperatures',
    {
      config: { access: 'shipping:manage' },
      schema: { tags, summary: 'Temperature readings from a device (all or none)', params: idParam, body: readingsBody, response: { 200: readingsResult, ...errorResponses } },
    },
    async (req) => tx(req, (db, actor) => addReadings(db, actor, req.params.id, req.body.readings)),
  );
  app.post(
    '/logistics/shipments/:id/temperatures.csv',
    {
      config: { access: 'shipping:manage' },
      schema: {
        tags,
        summary: 'Temperature logger CSV upload (time, °C, device id); wrong rows reported by row, nothing half-saved',
        params: idParam,
        response: { 200: readingsResult, ...errorResponses },
      },
    },
    async (req) => {
      if (!req.isMultipart()) throw new DomainError(LogisticsErrors.READINGS_FILE_REQUIRED, {}, [{ field: 'file', code: 'FIELD_REQUIRED' }]);
      const part = await req.file();
      if (!part) throw new DomainError(LogisticsErrors.READINGS_FILE_REQUIRED, {}, [{ field: 'file', code: 'FIELD_REQUIRED' }]);
      const { readings, rows } = parseReadingsCsv((await part.toBuffer()).toString('utf8'));
      if (!readings.length) throw new DomainError(LogisticsErrors.READINGS_FILE_REQUIRED, {}, [{ field: 'file', code: 'FIELD_REQUIRED' }]);
      return tx(req, (db, actor) => addReadings(db, actor, req.params.id, readings, rows));
    },
  );
};
