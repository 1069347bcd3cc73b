import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { codeLabel } from '../../platform/i18n/codes.js';
import { z } from 'zod';
import { businessDate, clock } from '../../platform/clock.js';
import { DomainError } from '../../platform/errors/domain-error.js';
import { can } from '../../platform/auth/actor.js';
import { actorOf, tx } from '../../platform/http/context.js';
import { sendXlsx, toXlsx } from '../../platform/http/excel.js';
import { idParam, pageOf } from '../../platform/http/list.js';
import { errorResponses } from '../../platform/http/schemas.js';
import { regionPath } from '../customers/index.js';
import { CatalogErrors } from './catalog.errors.js';
import {
  convertQuery,
  effectivePriceQuery,
  effectivePriceSchema,
  priceListBody,
  priceListDetailSchema,
  priceListPatch,
  priceListQuery,
  priceListSchema,
  productBody,
  productListQuery,
  productPatch,
  productSchema,
} from './catalog.schemas.js';
import { createProduct, listCategories, listProducts, loadProduct, updateProduct, type ProductView } from './catalog.service.js';
import { PRODUCT_KINDS } from './catalog.tables.js';
import { createPriceList, effectivePrice, getPriceList, listPriceLists, updatePriceList } from './prices.service.js';
import { convertQuantity } from './units.js';

const tags = ['catalog'];
const EXPORT_ROWS = 100_000;

const withRegion = (p: ProductView) => ({ ...p, originRegionName: regionPath(p.originRegion) });

const KIND_NAMES = { produce: { zh: '农产品', en: 'Produce' }, material: { zh: '物料', en: 'Material' } } as const;
const PROFILE_NAMES = {
  frozen: { zh: '冷冻', en: 'Frozen' },
  chilled: { zh: '冷藏', en: 'Chilled' },
  cool: { zh: '凉爽', en: 'Cool' },
  chilling_sensitive: { zh: '冷害敏感', en: 'Chilling-sensitive' },
  warm: { zh: '温暖', en: 'Warm' },
  ambient: { zh: '常温', en: 'Ambient' },
} as const;

const yuan = (fen: number | null) => (fen === null ? null : fen / 100);

/** Products, materials, units and price lists. */
export const catalogRoutes: FastifyPluginAsyncZod = async (app) => {
  const { ctx } = app;

  // ---- products and materials
  app.get(
    '/catalog/products',
    { config: { access: 'catalog:read' }, schema: { tags, summary: 'List products and materials', querystring: productListQuery, response: { 200: pageOf(productSchema) } } },
    async (req) => {
      const page = await listProducts(ctx.db, req.query);
      return { ...page, items: page.items.map(withRegion) };
    },
  );
  app.get(
    '/catalog/products/export.xlsx',
    { config: { access: 'catalog:read' }, schema: { tags, summary: 'Export products and materials to Excel', querystring: productListQuery } },
    async (req, reply) => {
      const page = await listProducts(ctx.db, { ...req.query, page: 1, pageSize: EXPORT_ROWS });
      const en = req.locale === 'en-US';
      const l = (t: { zh: string; en: string }) => (en ? t.en : t.zh);
      const buf = await toXlsx(
        en ? 'Products' : '产品与物料',
        [
          { header: en ? 'Code' : '编码', key: 'code', value: (p) => p.code },
          { header: en ? 'Name' : '名称', key: 'name', value: (p) => p.name },
          { header: en ? 'Kind' : '类别', key: 'kind', value: (p) => l(KIND_NAMES[p.kind]) },
          { header: en ? 'Material type' : '物料类型', key: 'materialType', value: (p) => codeLabel('materialType', p.materialType, req.locale) },
          { header: en ? 'Category' : '品类', key: 'category', value: (p) => p.category },
          { header: en ? 'Variety' : '品种', key: 'variety', value: (p) => p.variety },
          { header: en ? 'Spec' : '规格', key: 'spec', value: (p) => p.spec },
          { header: en ? 'Grade' : '等级', key: 'grade', value: (p) => p.grade },
          { header: en ? 'Base unit' : '基本单位', key: 'baseUnit', value: (p) => p.baseUnit },
          { header: en ? 'Units' : '换算单位', key: 'units', value: (p) => p.units.map((u) => `1 ${u.unit} = ${u.factorToBase} ${p.baseUnit}`).join('; ') },
          { header: en ? 'Origin' : '产地', key: 'origin', value: (p) => regionPath(p.originRegion) },
          { header: en ? 'Shelf life (days)' : '保质期(天)', key: 'shelfLifeDays', value: (p) => p.shelfLifeDays },
          { header: en ? 'Temperature profile' : '温区', key: 'tempProfile', value: (p) => l(PROFILE_NAMES[p.tempProfile]) },
          { header: en ? 'Min °C' : '最低温度', key: 'tempMinC', value: (p) => p.tempMinC },
          { header: en ? 'Max °C' : '最高温度', key: 'tempMaxC', value: (p) => p.tempMaxC },
          { header: en ? 'Cold chain' : '冷链', key: 'coldChain', value: (p) => (p.coldChain ? (en ? 'yes' : '是') : en ? 'no' : '否') },
          { header: en ? 'Season (months)' : '上市月份', key: 'season', value: (p) => p.seasonMonths.join(',') },
          { header: 'GTIN', key: 'gtin', value: (p) => p.gtin },
          { header: en ? 'Safety stock' : '安全库存', key: 'safetyStock', value: (p) => p.safetyStock },
          { header: en ? 'Reorder point' : '再订货点', key: 'reorderPoint', value: (p) => p.reorderPoint },
          { header: en ? 'Active' : '启用', key: 'active', value: (p) => (p.active ? (en ? 'yes' : '是') : en ? 'no' : '否') },
        ],
        page.items,
        { locale: req.locale },
      );
      return sendXlsx(reply, 'products.xlsx', buf);
    },
  );
  app.get(
    '/catalog/categories',
    {
      config: { access: 'catalog:read' },
      schema: {
        tags,
        summary: 'Categories in use',
        querystring: z.object({ kind: z.enum(PRODUCT_KINDS).optional() }),
        response: { 200: z.object({ items: z.array(z.string()) }) },
      },
    },
    async (req) => ({
      items: await listCategories(ctx.db, req.query.kind),
    }),
  );
  app.get(
    '/catalog/products/:id',
    { config: { access: 'catalog:read' }, schema: { tags, summary: 'One product or material', params: idParam, response: { 200: productSchema } } },
    async (req) => withRegion(await loadProduct(ctx.db, req.params.id)),
  );
  app.get(
    '/catalog/products/:id/convert',
    {
      config: { access: 'catalog:read' },
      schema: {
        tags,
        summary: 'Convert a quantity between units of the product (exact or rejected)',
        params: idParam,
        querystring: convertQuery,
        response: { 200: z.object({ quantity: z.string(), unit: z.string() }), ...errorResponses },
      },
    },
    async (req) => {
      const p = await loadProduct(ctx.db, req.params.id);
      const to = req.query.to ?? p.baseUnit;
      return { quantity: convertQuantity(p, req.query.quantity, req.query.from, to), unit: to };
    },
  );
  app.post(
    '/catalog/products',
    {
      config: { access: 'catalog:manage', idempotent: true },
      schema: { tags, summary: 'Create a product or material', body: productBody, response: { 201: productSchema, ...errorResponses } },
    },
    async (req, reply) => reply.status(201).send(await tx(req, async (db, actor) => withRegion(await createProduct(db, actor, req.body)))),
  );
  app.patch(
    '/catalog/products/:id',
    {
      config: { access: 'catalog:manage' },
      schema: { tags, summary: 'Edit a product or material', params: idParam, body: productPatch, response: { 200: productSchema, ...errorResponses } },
    },
    async (req) => withRegion(await tx(req, (db, actor) => updateProduct(db, actor, req.params.id, req.body))),
  );

  // ---- price lists
  app.get(
    '/catalog/price-lists',
    { config: { access: 'prices:read' }, schema: { tags, summary: 'List price lists', querystring: priceListQuery, response: { 200: pageOf(priceListSchema) } } },
    async (req) => listPriceLists(ctx.db, req.query, { showPii: can(actorOf(req), 'pii:read') }),
  );
  app.get(
    '/catalog/price-lists/export.xlsx',
    { config: { access: 'prices:read' }, schema: { tags, summary: 'Export price lists with their lines', querystring: priceListQuery } },
    async (req, reply) => {
      const showPii = can(actorOf(req), 'pii:read');
      const page = await listPriceLists(ctx.db, { ...req.query, page: 1, pageSize: EXPORT_ROWS }, { showPii });
      const rows: { list: (typeof page.items)[number]; line: Awaited<ReturnType<typeof getPriceList>>['lines'][number] | null }[] = [];
      for (const list of page.items) {
        const detail = await getPriceList(ctx.db, list.id, { showPii });
        if (!detail.lines.length) rows.push({ list, line: null });
        for (const line of detail.lines) rows.push({ list, line });
      }
      const en = req.locale === 'en-US';
      const buf = await toXlsx(
        en ? 'Price lists' : '价格表',
        [
          { header: en ? 'List code' : '价格表编号', key: 'code', value: (r) => r.list.code },
          { header: en ? 'List name' : '价格表名称', key: 'name', value: (r) => r.list.name },
          { header: en ? 'Customer' : '客户', key: 'customer', value: (r) => r.list.customerName },
          { header: en ? 'Customer group' : '客户组', key: 'group', value: (r) => r.list.customerGroup },
          { header: en ? 'Valid from' : '生效日期', key: 'validFrom', value: (r) => r.list.validFrom },
          { header: en ? 'Valid to' : '失效日期', key: 'validTo', value: (r) => r.list.validTo },
          { header: en ? 'Product code' : '产品编码', key: 'productCode', value: (r) => r.line?.productCode ?? null },
          { header: en ? 'Product' : '产品', key: 'productName', value: (r) => r.line?.productName ?? null },
          { header: en ? 'Unit' : '单位', key: 'unit', value: (r) => r.line?.unit ?? null },
          { header: en ? 'Min quantity' : '起订量', key: 'minQuantity', value: (r) => r.line?.minQuantity ?? null },
          { header: en ? 'Unit price (CNY)' : '单价(元)', key: 'price', value: (r) => yuan(r.line?.unitPriceFen ?? null) },
          { header: en ? 'Floor price (CNY)' : '最低价(元)', key: 'floor', value: (r) => yuan(r.line?.floorPriceFen ?? null) },
        ],
        rows,
        { locale: req.locale },
      );
      return sendXlsx(reply, 'price-lists.xlsx', buf);
    },
  );
  app.get(
    '/catalog/prices/effective',
    {
      config: { access: 'prices:read' },
      schema: {
        tags,
        summary: 'The effective price for a customer, product, unit, quantity and date, with the rule that gave it',
        querystring: effectivePriceQuery,
        response: { 200: effectivePriceSchema, ...errorResponses },
      },
    },
    async (req) => {
      const q = req.query;
      const price = await effectivePrice(ctx.db, {
        customerId: q.customerId ?? null,
        customerGroup: q.customerGroup,
        productId: q.productId,
        unit: q.unit,
        quantity: q.quantity,
        date: q.date ?? businessDate(clock.now()),
      });
      if (!price) throw new DomainError(CatalogErrors.PRICE_NOT_FOUND);
      return price;
    },
  );
  app.get(
    '/catalog/price-lists/:id',
    { config: { access: 'prices:read' }, schema: { tags, summary: 'One price list with its lines', params: idParam, response: { 200: priceListDetailSchema } } },
    async (req) => getPriceList(ctx.db, req.params.id, { showPii: can(actorOf(req), 'pii:read') }),
  );
  app.post(
    '/catalog/price-lists',
    {
      config: { access: 'prices:manage', idempotent: true },
      schema: { tags, summary: 'Create a price list', body: priceListBody, response: { 201: priceListDetailSchema, ...errorResponses } },
    },
    async (req, reply) => reply.status(201).send(await tx(req, (db, actor) => createPriceList(db, actor, req.body))),
  );
  app.patch(
    '/catalog/price-lists/:id',
    {
      config: { access: 'prices:manage' },
      schema: {
        tags,
        summary: 'Edit a price list (lines, when given, replace the old ones)',
        params: idParam,
        body: priceListPatch,
        response: { 200: priceListDetailSchema, ...errorResponses },
      },
    },
    async (req) => tx(req, (db, actor) => updatePriceList(db, actor, req.params.id, req.body)),
  );
};
