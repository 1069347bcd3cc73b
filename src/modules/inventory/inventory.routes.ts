import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { codeLabel } from '../../platform/i18n/codes.js';
import { z } from 'zod';
import { actorOf, tx } from '../../platform/http/context.js';
import { sendXlsx, toXlsx, type Column } from '../../platform/http/excel.js';
import { idParam, pageOf } from '../../platform/http/list.js';
import { errorResponses } from '../../platform/http/schemas.js';
import type { Locale } from '../../platform/i18n/locale.js';
import * as s from './inventory.schemas.js';
import {
  adjustStock,
  availableQuantity,
  changeLotStatus,
  consumeReservation,
  createLocation,
  createWarehouse,
  issueStock,
  listLedger,
  listLocations,
  listLots,
  listReservations,
  listWarehouses,
  lotDetail,
  receive,
  receiptDefaults,
  releaseReservation,
  releaseReservations,
  reserveLines,
  reserveLinesAutocommit,
  scrapStock,
  setLocationActive,
  transferStock,
  updateWarehouse,
} from './inventory.service.js';
import { replenishment, stockOverview, type OverviewRow, type ReplenishmentRow } from './stock.reports.js';
import { approveStocktake, cancelStocktake, createStocktake, enterCounts, getStocktake, listStocktakes, setVarianceReasons, submitStocktake } from './stocktakes.service.js';
import { competencyGate } from '../training/index.js';

const ALL = 100_000;
const tags = ['inventory'];

function h(locale: Locale, zh: string, en: string): string {
  return locale === 'en-US' ? en : zh;
}

function overviewColumns(locale: Locale, by: 'product' | 'lot' | 'location'): Column<OverviewRow>[] {
  const cols: Column<OverviewRow>[] = [
    { header: h(locale, '产品编码', 'Product code'), key: 'productCode', value: (r) => r.productCode },
    { header: h(locale, '产品名称', 'Product'), key: 'productName', value: (r) => r.productName },
  ];
  if (by !== 'product') {
    cols.push(
      { header: h(locale, '批次号', 'Lot'), key: 'lotCode', value: (r) => r.lotCode },
      { header: h(locale, '到期日', 'Expiry'), key: 'expiryDate', value: (r) => r.expiryDate },
      { header: h(locale, '质量状态', 'Quality status'), key: 'qualityStatus', value: (r) => codeLabel('lotStatus', r.qualityStatus, locale) },
    );
  }
  if (by === 'location') {
    cols.push(
      { header: h(locale, '仓库', 'Warehouse'), key: 'warehouseCode', value: (r) => r.warehouseCode },
      { header: h(locale, '库位', 'Location'), key: 'locationCode', value: (r) => r.locationCode },
      { header: h(locale, '温区', 'Zone'), key: 'zone', value: (r) => codeLabel('tempZone', r.zone, locale) },
    );
  }
  if (by === 'product')
    cols.push(
      { header: h(locale, '批次数', 'Lots'), key: 'lotCount', value: (r) => r.lotCount },
      { header: h(locale, '最早到期', 'Earliest expiry'), key: 'earliestExpiry', value: (r) => r.earliestExpiry },
    );
  cols.push(
    { header: h(locale, '单位', 'Unit'), key: 'unit', value: (r) => r.unit },
    { header: h(locale, '在库', 'On hand'), key: 'onHand', value: (r) => r.onHand },
    { header: h(locale, '已预留', 'Reserved'), key: 'reserved', value: (r) => r.reserved },
    { header: h(locale, '可用', 'Available'), key: 'available', value: (r) => r.available },
    { header: h(locale, '冻结(未放行/过期)', 'Blocked (not released / expired)'), key: 'blocked', value: (r) => r.blocked },
  );
  return cols;
}

function replenishmentColumns(locale: Locale): Column<ReplenishmentRow>[] {
  return [
    { header: h(locale, '产品编码', 'Product code'), key: 'productCode', value: (r) => r.productCode },
    { header: h(locale, '名称', 'Name'), key: 'productName', value: (r) => r.productName },
    { header: h(locale, '类型', 'Kind'), key: 'kind', value: (r) => codeLabel('productKind', r.kind, locale) },
    { header: h(locale, '类别', 'Category'), key: 'category', value: (r) => r.category },
    { header: h(locale, '单位', 'Unit'), key: 'unit', value: (r) => r.unit },
    { header: h(locale, '在库', 'On hand'), key: 'onHand', value: (r) => r.onHand },
    { header: h(locale, '已预留', 'Open reservations'), key: 'openReservations', value: (r) => r.openReservations },
    { header: h(locale, '冻结', 'Blocked'), key: 'blocked', value: (r) => r.blocked },
    { header: h(locale, '来不及使用即到期', 'Expiring before use'), key: 'expiringBeforeUse', value: (r) => r.expiringBeforeUse },
    { header: h(locale, '预计可用', 'Projected available'), key: 'projectedAvailable', value: (r) => r.projectedAvailable },
    { header: h(locale, '安全库存', 'Safety stock'), key: 'safetyStock', value: (r) => r.safetyStock },
    { header: h(locale, '再订货点', 'Reorder point'), key: 'reorderPoint', value: (r) => r.reorderPoint },
    { header: h(locale, '建议补货量', 'Suggested quantity'), key: 'suggestedQuantity', value: (r) => r.suggestedQuantity },
    { header: h(locale, '紧急程度', 'Urgency'), key: 'urgency', value: (r) => codeLabel('urgency', r.urgency, locale) },
  ];
}

/** /api/inventory/…: warehouses, locations, lots, movements, reservations, overview, stocktakes, replenishment. */
export const inventoryRoutes: FastifyPluginAsyncZod = async (app) => {
  const { ctx } = app;

  // ---- warehouses and locations
  app.get(
    '/inventory/warehouses',
    { config: { access: 'inventory:read' }, schema: { tags, summary: 'List warehouses', querystring: s.warehouseQuery, response: { 200: pageOf(s.warehouseSchema) } } },
    async (req) => listWarehouses(ctx.db, req.query),
  );
  app.get(
    '/inventory/warehouses/export.xlsx',
    { config: { access: 'inventory:read' }, schema: { tags, summary: 'Export warehouses', querystring: s.warehouseQuery } },
    async (req, reply) => {
      const page = await listWarehouses(ctx.db, { ...req.query, page: 1, pageSize: ALL });
      const l = req.locale;
      const buf = await toXlsx(
        h(l, '仓库', 'Warehouses'),
        [
          { header: h(l, '编码', 'Code'), key: 'code', value: (w) => w.code },
          { header: h(l, '名称', 'Name'), key: 'name', value: (w) => w.name },
          { header: h(l, '温区', 'Zones'), key: 'tempZones', value: (w) => w.tempZones.join(', ') },
          { header: h(l, '库位数', 'Locations'), key: 'locationCount', value: (w) => w.locationCount },
          { header: h(l, '启用', 'Active'), key: 'active', value: (w) => w.active },
        ],
        page.items,
        { locale: req.locale },
      );
      return sendXlsx(reply, 'warehouses.xlsx', buf);
    },
  );
  app.post(
    '/inventory/warehouses',
    {
      config: { access: 'warehouses:manage', idempotent: true },
      schema: { tags, summary: 'Create a warehouse', body: s.createWarehouseBody, response: { 201: s.warehouseSchema, ...errorResponses } },
    },
    async (req, reply) => reply.status(201).send(await tx(req, (db, actor) => createWarehouse(db, actor, req.body))),
  );
  app.patch(
    '/inventory/warehouses/:id',
    {
      config: { access: 'warehouses:manage' },
      schema: { tags, summary: 'Edit a warehouse', params: idParam, body: s.updateWarehouseBody, response: { 200: s.warehouseSchema, ...errorResponses } },
    },
    async (req) => tx(req, (db, actor) => updateWarehouse(db, actor, req.params.id, req.body)),
  );
  app.get(
    '/inventory/locations',
    { config: { access: 'inventory:read' }, schema: { tags, summary: 'List locations (bins)', querystring: s.locationQuery, response: { 200: pageOf(s.locationSchema) } } },
    async (req) => listLocations(ctx.db, req.query),
  );
  app.get(
    '/inventory/locations/export.xlsx',
    { config: { access: 'inventory:read' }, schema: { tags, summary: 'Export locations', querystring: s.locationQuery } },
    async (req, reply) => {
      const page = await listLocations(ctx.db, { ...req.query, page: 1, pageSize: ALL });
      const l = req.locale;
      const buf = await toXlsx(
        h(l, '库位', 'Locations'),
        [
          { header: h(l, '仓库', 'Warehouse'), key: 'warehouseCode', value: (x) => x.warehouseCode },
          { header: h(l, '库位', 'Location'), key: 'code', value: (x) => x.code },
          { header: h(l, '温区', 'Zone'), key: 'zone', value: (x) => codeLabel('tempZone', x.zone, l) },
          { header: h(l, '启用', 'Active'), key: 'active', value: (x) => x.active },
        ],
        page.items,
        { locale: req.locale },
      );
      return sendXlsx(reply, 'locations.xlsx', buf);
    },
  );
  app.post(
    '/inventory/locations',
    {
      config: { access: 'warehouses:manage', idempotent: true },
      schema: { tags, summary: 'Create a location', body: s.createLocationBody, response: { 201: s.locationSchema, ...errorResponses } },
    },
    async (req, reply) => reply.status(201).send(await tx(req, (db, actor) => createLocation(db, actor, req.body))),
  );
  app.post(
    '/inventory/locations/:id/disable',
    { config: { access: 'warehouses:manage' }, schema: { tags, summary: 'Disable a location', params: idParam, response: { 200: s.locationSchema, ...errorResponses } } },
    async (req) => tx(req, (db, actor) => setLocationActive(db, actor, req.params.id, false)),
  );
  app.post(
    '/inventory/locations/:id/enable',
    { config: { access: 'warehouses:manage' }, schema: { tags, summary: 'Enable a location', params: idParam, response: { 200: s.locationSchema, ...errorResponses } } },
    async (req) => tx(req, (db, actor) => setLocationActive(db, actor, req.params.id, true)),
  );

  // ---- lots
  app.get(
    '/inventory/lots',
    { config: { access: 'inventory:read' }, schema: { tags, summary: 'List lots with their stock', querystring: s.lotQuery, response: { 200: pageOf(s.lotListItem) } } },
    async (req) => listLots(ctx.db, req.query),
  );
  app.get('/inventory/lots/export.xlsx', { config: { access: 'inventory:read' }, schema: { tags, summary: 'Export lots', querystring: s.lotQuery } }, async (req, reply) => {
    const page = await listLots(ctx.db, { ...req.query, page: 1, pageSize: ALL });
    const l = req.locale;
    const buf = await toXlsx(
      h(l, '批次', 'Lots'),
      [
        { header: h(l, '批次号', 'Lot'), key: 'lotCode', value: (x) => x.lotCode },
        { header: h(l, '产品', 'Product'), key: 'productName', value: (x) => x.productName },
        { header: h(l, '生产日期', 'Production date'), key: 'productionDate', value: (x) => x.productionDate },
        { header: h(l, '到期日', 'Expiry'), key: 'expiryDate', value: (x) => x.expiryDate },
        { header: h(l, '质量状态', 'Quality status'), key: 'qualityStatus', value: (x) => codeLabel('lotStatus', x.qualityStatus, l) },
        { header: h(l, '在库', 'On hand'), key: 'onHand', value: (x) => x.onHand },
        { header: h(l, '已预留', 'Reserved'), key: 'reserved', value: (x) => x.reserved },
        { header: h(l, '单位', 'Unit'), key: 'unit', value: (x) => x.unit },
      ],
      page.items,
      { locale: req.locale },
    );
    return sendXlsx(reply, 'lots.xlsx', buf);
  });
  app.get(
    '/inventory/lots/:id',
    {
      config: { access: 'inventory:read' },
      schema: { tags, summary: 'A lot with balances, status history and ledger', params: idParam, response: { 200: s.lotDetailSchema, ...errorResponses } },
    },
    async (req) => lotDetail(ctx.db, req.params.id),
  );
  app.post(
    '/inventory/lots/:id/status',
    {
      config: { access: 'lots:status' },
      preValidation: competencyGate('lots:status', (req) => (req.body as { event?: string } | undefined)?.event === 'release'),
      schema: { tags, summary: 'Release, hold or reject a lot (QC)', params: idParam, body: s.lotStatusBody, response: { 200: s.lotSchema, ...errorResponses } },
    },
    async (req) => tx(req, (db, actor) => changeLotStatus(db, actor, req.params.id, req.body.event, { reason: req.body.reason, disposition: req.body.disposition })),
  );

  // ---- movements
  app.get(
    '/inventory/receipt-defaults',
    {
      config: { access: 'inventory:receive' },
      schema: {
        tags,
        summary: 'The quality status a receipt of the product defaults to (quarantined when it must be inspected first, with why)',
        querystring: z.object({ productId: z.uuid() }),
        response: { 200: z.object({ qualityStatus: z.enum(['quarantined', 'released']), reason: z.string().nullable() }), ...errorResponses },
      },
    },
    async (req) => receiptDefaults(ctx.db, actorOf(req), req.query.productId),
  );
  app.post(
    '/inventory/receipts',
    {
      config: { access: 'inventory:receive', idempotent: true },
      schema: { tags, summary: 'Receive stock (into an existing or a new lot)', body: s.receiptBody, response: { 201: s.receiptResult, ...errorResponses } },
    },
    async (req, reply) => reply.status(201).send(await tx(req, (db, actor) => receive(db, actor, req.body))),
  );
  app.post(
    '/inventory/issues',
    {
      config: { access: 'inventory:move', idempotent: true },
      schema: {
        tags,
        summary: 'Issue stock (released, unexpired lots only)',
        body: s.issueBody,
        response: { 201: z.object({ ledgerId: z.string(), consumedReservationIds: z.array(z.string()) }), ...errorResponses },
      },
    },
    async (req, reply) => reply.status(201).send(await tx(req, (db, actor) => issueStock(db, actor, req.body))),
  );
  app.post(
    '/inventory/transfers',
    {
      config: { access: 'inventory:move', idempotent: true },
      schema: {
        tags,
        summary: 'Move stock between locations',
        body: s.transferBody,
        response: { 201: z.object({ movementId: z.string(), ledgerIds: z.array(z.string()) }), ...errorResponses },
      },
    },
    async (req, reply) => reply.status(201).send(await tx(req, (db, actor) => transferStock(db, actor, req.body))),
  );
  app.post(
    '/inventory/adjustments',
    {
      config: { access: 'inventory:move', idempotent: true },
      schema: { tags, summary: 'Adjust stock (signed quantity, reason code)', body: s.adjustmentBody, response: { 201: z.object({ ledgerId: z.string() }), ...errorResponses } },
    },
    async (req, reply) =>
      reply
        .status(201)
        .send(await tx(req, (db, actor) => adjustStock(db, actor, { ...req.body, reason: req.body.note ? `${req.body.reason}: ${req.body.note}` : req.body.reason }))),
  );
  app.post(
    '/inventory/scraps',
    {
      config: { access: 'inventory:move', idempotent: true },
      schema: { tags, summary: 'Scrap stock', body: s.scrapBody, response: { 201: z.object({ ledgerId: z.string() }), ...errorResponses } },
    },
    async (req, reply) => reply.status(201).send(await tx(req, (db, actor) => scrapStock(db, actor, req.body))),
  );
  app.get(
    '/inventory/ledger',
    { config: { access: 'inventory:read' }, schema: { tags, summary: 'Stock ledger', querystring: s.ledgerQuery, response: { 200: pageOf(s.ledgerSchema) } } },
    async (req) => listLedger(ctx.db, req.query),
  );
  app.get(
    '/inventory/ledger/export.xlsx',
    { config: { access: 'inventory:read' }, schema: { tags, summary: 'Export the stock ledger', querystring: s.ledgerQuery } },
    async (req, reply) => {
      const page = await listLedger(ctx.db, { ...req.query, page: 1, pageSize: ALL });
      const l = req.locale;
      const buf = await toXlsx(
        h(l, '库存流水', 'Stock ledger'),
        [
          { header: h(l, '时间', 'Time'), key: 'at', value: (x) => x.at },
          { header: h(l, '类型', 'Kind'), key: 'kind', value: (x) => codeLabel('movementKind', x.kind, l) },
          { header: h(l, '批次', 'Lot'), key: 'lotCode', value: (x) => x.lotCode },
          { header: h(l, '仓库', 'Warehouse'), key: 'warehouseCode', value: (x) => x.warehouseCode },
          { header: h(l, '库位', 'Location'), key: 'locationCode', value: (x) => x.locationCode },
          { header: h(l, '数量', 'Quantity'), key: 'quantity', value: (x) => x.quantity },
          { header: h(l, '单位', 'Unit'), key: 'unit', value: (x) => x.unit },
          { header: h(l, '录入', 'Entered'), key: 'entered', value: (x) => `${x.enteredQuantity} ${x.enteredUnit}` },
          { header: h(l, '操作人', 'User'), key: 'userName', value: (x) => x.userName },
          { header: h(l, '原因', 'Reason'), key: 'reason', value: (x) => codeLabel('varianceReason', x.reason, l) },
          { header: h(l, '单据', 'Reference'), key: 'ref', value: (x) => (x.refType ? `${x.refType}:${x.refId ?? ''}` : null) },
        ],
        page.items,
        { locale: req.locale },
      );
      return sendXlsx(reply, 'stock-ledger.xlsx', buf);
    },
  );

  // ---- reservations
  app.get(
    '/inventory/reservations',
    { config: { access: 'inventory:read' }, schema: { tags, summary: 'List reservations', querystring: s.reservationQuery, response: { 200: pageOf(s.reservationSchema) } } },
    async (req) => listReservations(ctx.db, actorOf(req), req.query),
  );
  app.get(
    '/inventory/reservations/export.xlsx',
    { config: { access: 'inventory:read' }, schema: { tags, summary: 'Export reservations', querystring: s.reservationQuery } },
    async (req, reply) => {
      const page = await listReservations(ctx.db, actorOf(req), { ...req.query, page: 1, pageSize: ALL });
      const l = req.locale;
      const buf = await toXlsx(
        h(l, '预留', 'Reservations'),
        [
          { header: h(l, '单据', 'Reference'), key: 'ref', value: (x) => `${x.refType}:${x.refId}` },
          { header: h(l, '产品', 'Product'), key: 'productName', value: (x) => x.productName },
          { header: h(l, '批次', 'Lot'), key: 'lotCode', value: (x) => x.lotCode },
          { header: h(l, '库位', 'Location'), key: 'locationCode', value: (x) => x.locationCode },
          { header: h(l, '数量', 'Quantity'), key: 'quantity', value: (x) => x.quantity },
          { header: h(l, '单位', 'Unit'), key: 'unit', value: (x) => x.unit },
          { header: h(l, '状态', 'Status'), key: 'status', value: (x) => codeLabel('reservationStatus', x.status, l) },
        ],
        page.items,
        { locale: req.locale },
      );
      return sendXlsx(reply, 'reservations.xlsx', buf);
    },
  );
  app.post(
    '/inventory/reservations',
    {
      config: { access: 'inventory:reserve', idempotent: true },
      schema: { tags, summary: 'Reserve stock (FEFO or a given lot), all lines or nothing', body: s.reserveBody, response: { 201: s.reserveResult, ...errorResponses } },
    },
    async (req, reply) =>
      // With an Idempotency-Key the reservation commits with its answer (tx), so a retry after a crash replays it.
      reply.status(201).send(req.idempotency ? await tx(req, (db, actor) => reserveLines(db, actor, req.body)) : await reserveLinesAutocommit(ctx.db, actorOf(req), req.body)),
  );
  app.post(
    '/inventory/reservations/release',
    {
      config: { access: 'inventory:reserve' },
      schema: { tags, summary: 'Release the reservations of a reference', body: s.releaseBody, response: { 200: z.object({ released: z.number().int() }), ...errorResponses } },
    },
    async (req) => ({
      released: await tx(req, (db, actor) => releaseReservations(db, actor, req.body)),
    }),
  );
  app.post(
    '/inventory/reservations/:id/release',
    { config: { access: 'inventory:reserve' }, schema: { tags, summary: 'Release one reservation', params: idParam, response: { 200: s.reservationSchema, ...errorResponses } } },
    async (req) => tx(req, (db, actor) => releaseReservation(db, actor, req.params.id)),
  );
  app.post(
    '/inventory/reservations/:id/consume',
    {
      config: { access: 'inventory:move' },
      schema: {
        tags,
        summary: 'Issue the reserved stock (picking)',
        params: idParam,
        body: s.consumeBody,
        response: { 200: z.object({ ledgerId: z.string() }), ...errorResponses },
      },
    },
    async (req) => tx(req, (db, actor) => consumeReservation(db, actor, { reservationId: req.params.id, ...req.body })),
  );
  app.get(
    '/inventory/available',
    {
      config: { access: 'inventory:read' },
      schema: {
        tags,
        summary: 'Available quantity of a product (base unit)',
        querystring: s.availableQuery,
        response: { 200: z.object({ productId: z.string(), available: z.string() }) },
      },
    },
    async (req) => ({
      productId: req.query.productId,
      available: await availableQuantity(ctx.db, req.query.productId, { onDate: req.query.onDate, minRemainingShelfLifeDays: req.query.minRemainingShelfLifeDays }),
    }),
  );

  // ---- overview
  app.get(
    '/inventory/stock',
    {
      config: { access: 'inventory:read' },
      schema: { tags, summary: 'Stock overview by product, lot or location', querystring: s.overviewQuery, response: { 200: pageOf(s.overviewRow) } },
    },
    async (req) => stockOverview(ctx.db, req.query),
  );
  app.get(
    '/inventory/stock/export.xlsx',
    { config: { access: 'inventory:read' }, schema: { tags, summary: 'Export the stock overview', querystring: s.overviewQuery } },
    async (req, reply) => {
      const page = await stockOverview(ctx.db, { ...req.query, page: 1, pageSize: ALL });
      const buf = await toXlsx(h(req.locale, '库存总览', 'Stock overview'), overviewColumns(req.locale, req.query.by), page.items, { locale: req.locale });
      return sendXlsx(reply, `stock-by-${req.query.by}.xlsx`, buf);
    },
  );

  // ---- replenishment
  app.get(
    '/inventory/replenishment',
    {
      config: { access: 'inventory:read' },
      schema: { tags, summary: 'Replenishment suggestions', querystring: s.replenishmentQuery, response: { 200: pageOf(s.replenishmentRow) } },
    },
    async (req) => replenishment(ctx.db, req.query),
  );
  app.get(
    '/inventory/replenishment/export.xlsx',
    { config: { access: 'inventory:read' }, schema: { tags, summary: 'Export replenishment suggestions', querystring: s.replenishmentQuery } },
    async (req, reply) => {
      const page = await replenishment(ctx.db, { ...req.query, page: 1, pageSize: ALL });
      return sendXlsx(reply, 'replenishment.xlsx', await toXlsx(h(req.locale, '补货建议', 'Replenishment'), replenishmentColumns(req.locale), page.items, { locale: req.locale }));
    },
  );

  // ---- stocktakes
  app.get(
    '/inventory/stocktakes',
    { config: { access: 'inventory:read' }, schema: { tags, summary: 'List stocktakes', querystring: s.stocktakeQuery, response: { 200: pageOf(s.stocktakeSchema) } } },
    async (req) => listStocktakes(ctx.db, actorOf(req), req.query),
  );
  app.get(
    '/inventory/stocktakes/export.xlsx',
    { config: { access: 'inventory:read' }, schema: { tags, summary: 'Export stocktakes', querystring: s.stocktakeQuery } },
    async (req, reply) => {
      const page = await listStocktakes(ctx.db, actorOf(req), { ...req.query, page: 1, pageSize: ALL });
      const l = req.locale;
      const buf = await toXlsx(
        h(l, '盘点', 'Stocktakes'),
        [
          { header: h(l, '单号', 'Number'), key: 'number', value: (x) => x.number },
          { header: h(l, '仓库', 'Warehouse'), key: 'warehouseCode', value: (x) => x.warehouseCode },
          { header: h(l, '温区', 'Zone'), key: 'zone', value: (x) => codeLabel('tempZone', x.zone, l) },
          { header: h(l, '类别', 'Category'), key: 'category', value: (x) => x.category },
          { header: h(l, '状态', 'Status'), key: 'status', value: (x) => codeLabel('stocktakeStatus', x.status, l) },
          { header: h(l, '行数', 'Lines'), key: 'lineCount', value: (x) => x.lineCount },
          { header: h(l, '创建', 'Created'), key: 'createdAt', value: (x) => x.createdAt },
          { header: h(l, '审批人', 'Approved by'), key: 'approvedBy', value: (x) => x.approvedBy },
        ],
        page.items,
        { locale: req.locale },
      );
      return sendXlsx(reply, 'stocktakes.xlsx', buf);
    },
  );
  app.post(
    '/inventory/stocktakes',
    {
      config: { access: 'inventory:stocktake', idempotent: true },
      schema: { tags, summary: 'Open a stocktake for a warehouse/zone/category', body: s.createStocktakeBody, response: { 201: s.stocktakeDetailSchema, ...errorResponses } },
    },
    async (req, reply) => reply.status(201).send(await tx(req, (db, actor) => createStocktake(db, actor, req.body))),
  );
  app.get(
    '/inventory/stocktakes/:id',
    {
      config: { access: 'inventory:read' },
      schema: {
        tags,
        summary: 'A stocktake (expected quantities hidden while counting and from counters)',
        params: idParam,
        response: { 200: s.stocktakeDetailSchema, ...errorResponses },
      },
    },
    async (req) => getStocktake(ctx.db, actorOf(req), req.params.id),
  );
  app.put(
    '/inventory/stocktakes/:id/counts',
    {
      config: { access: 'inventory:stocktake' },
      schema: { tags, summary: 'Enter counts (blind)', params: idParam, body: s.countsBody, response: { 200: s.stocktakeDetailSchema, ...errorResponses } },
    },
    async (req) => tx(req, (db, actor) => enterCounts(db, actor, req.params.id, req.body.counts)),
  );
  app.post(
    '/inventory/stocktakes/:id/submit',
    { config: { access: 'inventory:stocktake' }, schema: { tags, summary: 'Finish counting', params: idParam, response: { 200: s.stocktakeDetailSchema, ...errorResponses } } },
    async (req) => tx(req, (db, actor) => submitStocktake(db, actor, req.params.id)),
  );
  app.put(
    '/inventory/stocktakes/:id/reasons',
    {
      config: { access: 'inventory:approve' },
      schema: { tags, summary: 'Give variance reason codes', params: idParam, body: s.reasonsBody, response: { 200: s.stocktakeDetailSchema, ...errorResponses } },
    },
    async (req) => tx(req, (db, actor) => setVarianceReasons(db, actor, req.params.id, req.body.reasons)),
  );
  app.post(
    '/inventory/stocktakes/:id/approve',
    {
      config: { access: 'inventory:approve' },
      preValidation: competencyGate('inventory:approve'),
      schema: { tags, summary: 'Approve and post the variances', params: idParam, response: { 200: s.stocktakeDetailSchema, ...errorResponses } },
    },
    async (req) => tx(req, (db, actor) => approveStocktake(db, actor, req.params.id)),
  );
  app.post(
    '/inventory/stocktakes/:id/cancel',
    {
      config: { access: 'inventory:approve' },
      schema: { tags, summary: 'Cancel a stocktake', params: idParam, body: s.cancelBody, response: { 200: s.stocktakeDetailSchema, ...errorResponses } },
    },
    async (req) => tx(req, (db, actor) => cancelStocktake(db, actor, req.params.id, req.body.reason)),
  );
};
