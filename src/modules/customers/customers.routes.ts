import type { FastifyInstance } from 'fastify';
import { acceptUploads } from '../../platform/http/uploads.js';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf, tx } from '../../platform/http/context.js';
import { sendXlsx, toXlsx } from '../../platform/http/excel.js';
import { idParam, listQuery, pageOf } from '../../platform/http/list.js';
import { dateTime, errorResponses, okEmpty, safeString } from '../../platform/http/schemas.js';
import { DomainError } from '../../platform/errors/domain-error.js';
import { historyOf } from '../../platform/state-machine.js';
import { CustomerErrors } from './customers.errors.js';
import { customerImportTemplate, importCustomers } from './customers.import.js';
import {
  addressBody,
  addressSchema,
  contactBody,
  contactSchema,
  customerBody,
  customerDetail,
  customerListQuery,
  customerPatch,
  customerSummary,
  expiringItem,
  qualificationBody,
  qualificationSchema,
  regionSchema,
  statusBody,
} from './customers.schemas.js';
import {
  addAddress,
  addContact,
  addQualification,
  archiveAddress,
  archiveContact,
  archiveQualification,
  changeCustomerStatus,
  createCustomer,
  expiringQualifications,
  getCustomerDetail,
  getCustomerFile,
  listCustomers,
  searchCustomers,
  updateAddress,
  updateContact,
  updateCustomer,
  updateQualification,
  uploadCustomerFile,
} from './customers.service.js';
import { regionChildren } from './regions.js';

const tags = ['customers'];
const subParam = z.object({ id: z.uuid(), subId: z.uuid() });
const fileParam = z.object({ id: z.uuid(), fileId: z.uuid() });
const EXPORT_ROWS = 100_000;

async function uploadedFile(req: FastifyRequest): Promise<{ filename: string; contentType: string; data: Buffer }> {
  if (!req.isMultipart()) throw new DomainError(CustomerErrors.FILE_REQUIRED, {}, [{ field: 'file', code: 'FIELD_REQUIRED' }]);
  const part = await req.file();
  if (!part) throw new DomainError(CustomerErrors.FILE_REQUIRED, {}, [{ field: 'file', code: 'FIELD_REQUIRED' }]);
  return { filename: part.filename, contentType: part.mimetype, data: await part.toBuffer() };
}

const STATUS_NAMES = { prospect: { zh: '潜在', en: 'Prospect' }, active: { zh: '启用', en: 'Active' }, suspended: { zh: '暂停', en: 'Suspended' } } as const;
const KIND_NAMES = { company: { zh: '企业', en: 'Company' }, individual: { zh: '个人', en: 'Individual' } } as const;
const QUAL_NAMES = {
  business_licence: { zh: '营业执照', en: 'Business licence' },
  food_permit: { zh: '食品经营许可证', en: 'Food permit' },
  other: { zh: '其他', en: 'Other' },
} as const;

/** Customers: master data, qualifications, contacts, addresses, files, import/export, regions. */
export const customersRoutes: FastifyPluginAsyncZod = async (app) => {
  await acceptUploads(app as unknown as FastifyInstance);
  const { ctx } = app;

  app.get(
    '/regions',
    {
      config: { access: 'authenticated' },
      schema: {
        tags,
        summary: 'GB/T 2260 regions below a parent (provinces when omitted)',
        querystring: z.object({
          parent: safeString()
            .regex(/^\d{6}$/)
            .optional(),
        }),
        response: { 200: z.object({ items: z.array(regionSchema) }) },
      },
    },
    async (req) => ({
      items: regionChildren(req.query.parent ?? null),
    }),
  );

  app.get(
    '/customers',
    { config: { access: 'customers:read' }, schema: { tags, summary: 'List customers', querystring: customerListQuery, response: { 200: pageOf(customerSummary) } } },
    async (req) => listCustomers(ctx.db, actorOf(req), req.query),
  );

  app.get(
    '/customers/export.xlsx',
    { config: { access: 'customers:read' }, schema: { tags, summary: 'Export customers to Excel', querystring: customerListQuery } },
    async (req, reply) => {
      const page = await listCustomers(ctx.db, actorOf(req), { ...req.query, page: 1, pageSize: EXPORT_ROWS });
      const en = req.locale === 'en-US';
      const l = (t: { zh: string; en: string }) => (en ? t.en : t.zh);
      const buf = await toXlsx(
        en ? 'Customers' : '客户',
        [
          { header: en ? 'Code' : '客户编码', key: 'code', value: (c) => c.code },
          { header: en ? 'Name' : '客户名称', key: 'name', value: (c) => c.name },
          { header: en ? 'Kind' : '类型', key: 'kind', value: (c) => l(KIND_NAMES[c.kind]) },
          { header: en ? 'USCI' : '统一社会信用代码', key: 'usci', value: (c) => c.usci },
          { header: en ? 'Status' : '状态', key: 'status', value: (c) => l(STATUS_NAMES[c.status]) },
          { header: en ? 'Credit limit (CNY)' : '信用额度(元)', key: 'creditLimit', value: (c) => c.creditLimitFen / 100 },
          { header: en ? 'Payment terms (days)' : '账期(天)', key: 'paymentTermsDays', value: (c) => c.paymentTermsDays },
          { header: en ? 'Credit rating' : '信用等级', key: 'creditRating', value: (c) => c.creditRating },
          { header: en ? 'Region code' : '行政区划代码', key: 'regionCode', value: (c) => c.regionCode },
          { header: en ? 'Region' : '地区', key: 'regionName', value: (c) => c.regionName },
          { header: en ? 'Sales owner' : '销售负责人', key: 'salesOwnerName', value: (c) => c.salesOwnerName },
          { header: en ? 'Group' : '客户组', key: 'group', value: (c) => c.group },
          { header: en ? 'Tags' : '标签', key: 'tags', value: (c) => c.tags.join(', ') },
          { header: en ? 'Next qualification expiry' : '最近资质到期日', key: 'nextQualificationExpiry', value: (c) => c.nextQualificationExpiry },
        ],
        page.items,
        { locale: req.locale },
      );
      return sendXlsx(reply, 'customers.xlsx', buf);
    },
  );

  app.get(
    '/customers/search',
    {
      config: { access: 'customers:read' },
      schema: {
        tags,
        summary: 'Quick search by name, code or phone',
        querystring: z.object({ q: safeString().trim().max(100).default('') }),
        response: { 200: z.object({ items: z.array(customerSummary) }) },
      },
    },
    async (req) => ({
      items: await searchCustomers(ctx.db, actorOf(req), req.query.q),
    }),
  );

  app.get('/customers/import-template.xlsx', { config: { access: 'customers:manage' }, schema: { tags, summary: 'Excel template for customer import' } }, async (req, reply) =>
    sendXlsx(reply, req.locale === 'en-US' ? 'customer-import.xlsx' : '客户导入模板.xlsx', await customerImportTemplate(req.locale)),
  );

  app.post(
    '/customers/import',
    {
      config: { access: 'customers:manage' },
      schema: {
        tags,
        summary: 'Import customers from Excel (all rows or none; errors per row as rows.<n>.<field>)',
        consumes: ['multipart/form-data'],
        response: { 200: z.object({ imported: z.number(), items: z.array(z.object({ row: z.number(), id: z.string(), code: z.string() })) }), ...errorResponses },
      },
    },
    async (req) => {
      const file = await uploadedFile(req);
      return tx(req, (db, actor) => importCustomers(db, actor, file.data));
    },
  );

  const expiringQuery = listQuery.extend({ withinDays: z.coerce.number().int().min(0).max(3650).optional() });
  app.get(
    '/customers/qualifications/expiring',
    {
      config: { access: 'customers:read' },
      schema: { tags, summary: 'Qualifications expiring soon or expired', querystring: expiringQuery, response: { 200: pageOf(expiringItem) } },
    },
    async (req) => expiringQualifications(ctx.db, actorOf(req), req.query),
  );
  app.get(
    '/customers/qualifications/expiring/export.xlsx',
    { config: { access: 'customers:read' }, schema: { tags, summary: 'Export expiring qualifications', querystring: expiringQuery } },
    async (req, reply) => {
      const page = await expiringQualifications(ctx.db, actorOf(req), { ...req.query, page: 1, pageSize: EXPORT_ROWS });
      const en = req.locale === 'en-US';
      const buf = await toXlsx(
        en ? 'Expiring qualifications' : '到期资质',
        [
          { header: en ? 'Customer code' : '客户编码', key: 'customerCode', value: (q) => q.customerCode },
          { header: en ? 'Customer' : '客户', key: 'customerName', value: (q) => q.customerName },
          { header: en ? 'Document' : '证照', key: 'type', value: (q) => (en ? QUAL_NAMES[q.type].en : QUAL_NAMES[q.type].zh) },
          { header: en ? 'Number' : '证号', key: 'number', value: (q) => q.number },
          { header: en ? 'Expires on' : '到期日', key: 'expiresOn', value: (q) => q.expiresOn },
          { header: en ? 'Days left' : '剩余天数', key: 'daysLeft', value: (q) => q.daysLeft },
        ],
        page.items,
        { locale: req.locale },
      );
      return sendXlsx(reply, 'expiring-qualifications.xlsx', buf);
    },
  );

  app.get(
    '/customers/:id',
    {
      config: { access: 'customers:read' },
      schema: { tags, summary: 'One customer with qualifications, contacts and addresses', params: idParam, response: { 200: customerDetail } },
    },
    async (req) => getCustomerDetail(ctx.db, actorOf(req), req.params.id),
  );
  app.get(
    '/customers/:id/history',
    {
      config: { access: 'customers:read' },
      schema: {
        tags,
        summary: 'Status history',
        params: idParam,
        response: {
          200: z.object({
            items: z.array(
              z.object({ fromState: z.string().nullable(), toState: z.string(), event: z.string(), actorName: z.string(), reason: z.string().nullable(), at: dateTime }),
            ),
          }),
        },
      },
    },
    async (req) => {
      await getCustomerDetail(ctx.db, actorOf(req), req.params.id);
      const rows = await historyOf(ctx.db, 'customer', req.params.id);
      return { items: rows.map((r) => ({ fromState: r.fromState, toState: r.toState, event: r.event, actorName: r.actorName, reason: r.reason, at: r.at })) };
    },
  );
  app.post(
    '/customers',
    {
      config: { access: 'customers:manage', idempotent: true },
      schema: { tags, summary: 'Create a customer', body: customerBody, response: { 201: customerDetail, ...errorResponses } },
    },
    async (req, reply) => reply.status(201).send(await tx(req, (db, actor) => createCustomer(db, actor, req.body))),
  );
  app.patch(
    '/customers/:id',
    {
      config: { access: 'customers:manage' },
      schema: { tags, summary: 'Edit a customer', params: idParam, body: customerPatch, response: { 200: customerDetail, ...errorResponses } },
    },
    async (req) => tx(req, (db, actor) => updateCustomer(db, actor, req.params.id, req.body)),
  );
  for (const event of ['activate', 'suspend', 'reinstate'] as const) {
    app.post(
      `/customers/:id/${event}`,
      {
        config: { access: 'customers:manage' },
        schema: { tags, summary: `Customer status: ${event}`, params: idParam, body: statusBody, response: { 200: customerDetail, ...errorResponses } },
      },
      async (req) => tx(req, (db, actor) => changeCustomerStatus(db, actor, req.params.id, event, req.body.reason ?? null)),
    );
  }

  // ---- qualifications
  app.post(
    '/customers/:id/qualifications',
    {
      config: { access: 'customers:manage', idempotent: true },
      schema: { tags, summary: 'Add a qualification document', params: idParam, body: qualificationBody, response: { 201: qualificationSchema, ...errorResponses } },
    },
    async (req, reply) => reply.status(201).send(await tx(req, (db, actor) => addQualification(db, actor, req.params.id, req.body))),
  );
  app.patch(
    '/customers/:id/qualifications/:subId',
    {
      config: { access: 'customers:manage' },
      schema: { tags, summary: 'Edit a qualification document', params: subParam, body: qualificationBody.partial(), response: { 200: qualificationSchema, ...errorResponses } },
    },
    async (req) => tx(req, (db, actor) => updateQualification(db, actor, req.params.id, req.params.subId, req.body)),
  );
  app.delete(
    '/customers/:id/qualifications/:subId',
    { config: { access: 'customers:manage' }, schema: { tags, summary: 'Archive a qualification document', params: subParam, response: { 204: okEmpty } } },
    async (req, reply) => {
      await tx(req, (db, actor) => archiveQualification(db, actor, req.params.id, req.params.subId));
      return reply.status(204).send(null);
    },
  );

  // ---- contacts
  app.post(
    '/customers/:id/contacts',
    {
      config: { access: 'customers:manage', idempotent: true },
      schema: { tags, summary: 'Add a contact', params: idParam, body: contactBody, response: { 201: contactSchema, ...errorResponses } },
    },
    async (req, reply) => reply.status(201).send(await tx(req, (db, actor) => addContact(db, actor, req.params.id, req.body))),
  );
  app.patch(
    '/customers/:id/contacts/:subId',
    {
      config: { access: 'customers:manage' },
      schema: { tags, summary: 'Edit a contact', params: subParam, body: contactBody.partial(), response: { 200: contactSchema, ...errorResponses } },
    },
    async (req) => tx(req, (db, actor) => updateContact(db, actor, req.params.id, req.params.subId, req.body)),
  );
  app.delete(
    '/customers/:id/contacts/:subId',
    { config: { access: 'customers:manage' }, schema: { tags, summary: 'Archive a contact', params: subParam, response: { 204: okEmpty } } },
    async (req, reply) => {
      await tx(req, (db, actor) => archiveContact(db, actor, req.params.id, req.params.subId));
      return reply.status(204).send(null);
    },
  );

  // ---- delivery addresses
  app.post(
    '/customers/:id/addresses',
    {
      config: { access: 'customers:manage', idempotent: true },
      schema: { tags, summary: 'Add a delivery address', params: idParam, body: addressBody, response: { 201: addressSchema, ...errorResponses } },
    },
    async (req, reply) => reply.status(201).send(await tx(req, (db, actor) => addAddress(db, actor, req.params.id, req.body))),
  );
  app.patch(
    '/customers/:id/addresses/:subId',
    {
      config: { access: 'customers:manage' },
      schema: { tags, summary: 'Edit a delivery address', params: subParam, body: addressBody.partial(), response: { 200: addressSchema, ...errorResponses } },
    },
    async (req) => tx(req, (db, actor) => updateAddress(db, actor, req.params.id, req.params.subId, req.body)),
  );
  app.delete(
    '/customers/:id/addresses/:subId',
    { config: { access: 'customers:manage' }, schema: { tags, summary: 'Archive a delivery address', params: subParam, response: { 204: okEmpty } } },
    async (req, reply) => {
      await tx(req, (db, actor) => archiveAddress(db, actor, req.params.id, req.params.subId));
      return reply.status(204).send(null);
    },
  );

  // ---- files (qualification scans)
  app.post(
    '/customers/:id/files',
    {
      config: { access: 'customers:manage' },
      schema: {
        tags,
        summary: 'Upload a qualification scan (PDF/JPG/PNG)',
        consumes: ['multipart/form-data'],
        params: idParam,
        response: { 201: z.object({ id: z.string(), filename: z.string(), size: z.number() }), ...errorResponses },
      },
    },
    async (req, reply) => {
      const file = await uploadedFile(req);
      return reply.status(201).send(await tx(req, (db, actor) => uploadCustomerFile(db, actor, req.params.id, file)));
    },
  );
  app.get(
    '/customers/:id/files/:fileId',
    { config: { access: 'customers:read' }, schema: { tags, summary: 'Download an uploaded file', params: fileParam } },
    async (req, reply) => {
      const f = await getCustomerFile(ctx.db, actorOf(req), req.params.id, req.params.fileId);
      return reply
        .header('content-type', f.contentType)
        .header('content-disposition', `inline; filename*=UTF-8''${encodeURIComponent(f.filename)}`)
        .send(f.data);
    },
  );
};
