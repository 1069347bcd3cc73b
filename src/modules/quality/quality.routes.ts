import type { FastifyInstance } from 'fastify';
import { codeLabel } from '../../platform/i18n/codes.js';
import { acceptUploads } from '../../platform/http/uploads.js';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { DomainError } from '../../platform/errors/domain-error.js';
import { tx } from '../../platform/http/context.js';
import { sendXlsx, toXlsx, type Column } from '../../platform/http/excel.js';
import { idParam, listQuery, pageOf } from '../../platform/http/list.js';
import { errorResponses } from '../../platform/http/schemas.js';
import { MAX_INSPECTION_FILE_BYTES, filesOfInspection, getInspectionFile, tooLarge, uploadInspectionFile } from './inspection-files.service.js';
import { QualityErrors } from './quality.errors.js';
import * as svc from './quality.service.js';
import { competencyGate } from '../training/index.js';
import { FILE_KINDS, type FileKind } from './quality.tables.js';
import {
  baseSchema,
  fieldSchema,
  applicationSchema,
  harvestSchema,
  standardSchema,
  inspectionSchema,
  fileSchema,
  inspectionDetailSchema,
  fileParam,
  ncSchema,
  fieldQuery,
  appQuery,
  harvestQuery,
  standardQuery,
  inspectionQuery,
  ncQuery,
  postBasesBody,
  postFieldsBody,
  postInputApplicationsBody,
  postHarvestsBody,
  postStandardsBody,
  patchStandardsBody,
  postInspectionsBody,
  postLotsDecisionBody,
  postNonConformancesBody,
  patchNonConformancesBody,
  lotDecisionSchema,
} from './quality.schemas.js';

/** Reads a multipart upload with one part `file` and a form field `kind`, in any order. */
async function inspectionUpload(req: FastifyRequest): Promise<{ kind: FileKind; filename: string; contentType: string; data: Buffer }> {
  const required = () => new DomainError(QualityErrors.QUALITY_FILE_REQUIRED, {}, [{ field: 'file', code: 'FIELD_REQUIRED' }]);
  if (!req.isMultipart()) throw required();
  let file: { filename: string; contentType: string; data: Buffer } | null = null;
  let kind: unknown;
  try {
    for await (const part of req.parts({ limits: { fileSize: MAX_INSPECTION_FILE_BYTES, files: 1 } })) {
      if (part.type === 'file') file = { filename: part.filename, contentType: part.mimetype, data: await part.toBuffer() };
      else if (part.fieldname === 'kind') kind = part.value;
    }
  } catch (e) {
    if ((e as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw tooLarge();
    throw e;
  }
  const k = z.enum(FILE_KINDS).safeParse(kind);
  if (!k.success)
    throw new DomainError('VALIDATION_FAILED', {}, [
      { field: 'kind', ...(kind === undefined ? { code: 'FIELD_REQUIRED' } : { code: 'FIELD_INVALID_VALUE', params: { options: FILE_KINDS.join(', ') } }) },
    ]);
  if (!file) throw required();
  return { kind: k.data, ...file };
}

const ALL = { page: 1, pageSize: 100_000 } as const;
const T = ['quality'];

/** Bases, fields, input applications, harvest, standards, inspections and non-conformances. */
export const qualityRoutes: FastifyPluginAsyncZod = async (app) => {
  await acceptUploads(app as unknown as FastifyInstance);
  const { ctx } = app;
  const xlsx = <R>(
    url: string,
    access: 'fields:read' | 'quality:read',
    querystring: z.ZodType,
    sheet: { zh: string; en: string },
    cols: (en: boolean) => Column<R>[],
    load: (q: never) => Promise<{ items: R[] }>,
  ) =>
    app.get(url, { config: { access }, schema: { tags: T, summary: `Export ${sheet.en} to Excel`, querystring } }, async (req, reply) => {
      const en = req.locale === 'en-US';
      const page = await load({ ...(req.query as object), ...ALL } as never);
      return sendXlsx(reply, `${sheet.en.toLowerCase().replace(/ /g, '-')}.xlsx`, await toXlsx(en ? sheet.en : sheet.zh, cols(en), page.items, { locale: req.locale }));
    });

  // ---- bases & fields
  app.get(
    '/quality/bases',
    { config: { access: 'fields:read' }, schema: { tags: T, summary: 'List production bases', querystring: listQuery, response: { 200: pageOf(baseSchema) } } },
    async (req) => svc.listBases(ctx.db, req.query),
  );
  xlsx(
    '/quality/bases/export.xlsx',
    'fields:read',
    listQuery,
    { zh: '生产基地', en: 'Bases' },
    (en) => [
      { header: en ? 'Code' : '编码', key: 'code', value: (r: svc.BaseRow) => r.code },
      { header: en ? 'Name' : '名称', key: 'name', value: (r: svc.BaseRow) => r.name },
      { header: en ? 'Region' : '行政区划', key: 'region', value: (r: svc.BaseRow) => r.regionCode },
      { header: en ? 'Area (mu)' : '面积(亩)', key: 'area', value: (r: svc.BaseRow) => r.areaMu },
    ],
    (q) => svc.listBases(ctx.db, q),
  );
  app.post(
    '/quality/bases',
    {
      config: { access: 'fields:manage', idempotent: true },
      schema: {
        tags: T,
        summary: 'Create a production base',
        body: postBasesBody,
        response: { 201: baseSchema, ...errorResponses },
      },
    },
    async (req, reply) => reply.status(201).send(await tx(req, (db, actor) => svc.createBase(db, actor, req.body))),
  );
  app.get(
    '/quality/fields',
    { config: { access: 'fields:read' }, schema: { tags: T, summary: 'List fields with source-check status', querystring: fieldQuery, response: { 200: pageOf(fieldSchema) } } },
    async (req) => svc.listFields(ctx.db, req.query),
  );
  xlsx(
    '/quality/fields/export.xlsx',
    'fields:read',
    fieldQuery,
    { zh: '地块', en: 'Fields' },
    (en) => [
      { header: en ? 'Code' : '编码', key: 'code', value: (r: svc.FieldView) => r.code },
      { header: en ? 'Name' : '名称', key: 'name', value: (r: svc.FieldView) => r.name },
      { header: en ? 'Base' : '基地', key: 'base', value: (r: svc.FieldView) => r.baseName },
      { header: en ? 'Area (mu)' : '面积(亩)', key: 'area', value: (r: svc.FieldView) => r.areaMu },
      { header: en ? 'Crops' : '作物', key: 'crops', value: (r: svc.FieldView) => r.crops.join(', ') },
      {
        header: en ? 'Source checks' : '产地检测',
        key: 'src',
        value: (r: svc.FieldView) =>
          r.sourceStatus.map((s) => `${codeLabel('sampleType', s.checkType, en ? 'en-US' : 'zh-CN')}:${codeLabel('sourceCheckState', s.state, en ? 'en-US' : 'zh-CN')}`).join(', '),
      },
    ],
    (q) => svc.listFields(ctx.db, q),
  );
  app.get('/quality/fields/:id', { config: { access: 'fields:read' }, schema: { tags: T, summary: 'One field', params: idParam, response: { 200: fieldSchema } } }, async (req) => {
    const f = await svc.getField(ctx.db, req.params.id);
    return { ...f, sourceStatus: await svc.fieldSourceStatus(ctx.db, f.id, new Date().toISOString().slice(0, 10)) };
  });
  app.post(
    '/quality/fields',
    {
      config: { access: 'fields:manage', idempotent: true },
      schema: {
        tags: T,
        summary: 'Create a field (plot)',
        body: postFieldsBody,
        response: { 201: fieldSchema, ...errorResponses },
      },
    },
    async (req, reply) =>
      reply.status(201).send(
        await tx(req, async (db, actor) => {
          const f = await svc.createField(db, actor, req.body);
          const full = await svc.getField(db, f.id);
          return { ...full, sourceStatus: await svc.fieldSourceStatus(db, f.id, new Date().toISOString().slice(0, 10)) };
        }),
      ),
  );

  // ---- input applications
  app.get(
    '/quality/input-applications',
    { config: { access: 'fields:read' }, schema: { tags: T, summary: 'List input applications', querystring: appQuery, response: { 200: pageOf(applicationSchema) } } },
    async (req) => svc.listInputApplications(ctx.db, req.query),
  );
  xlsx(
    '/quality/input-applications/export.xlsx',
    'fields:read',
    appQuery,
    { zh: '投入品使用', en: 'Input applications' },
    (en) => [
      { header: en ? 'Field' : '地块', key: 'field', value: (r: svc.InputApplicationView) => r.fieldCode },
      { header: en ? 'Material' : '投入品', key: 'material', value: (r: svc.InputApplicationView) => r.materialName },
      { header: en ? 'Material lot' : '投入品批号', key: 'lot', value: (r: svc.InputApplicationView) => r.materialLotCode },
      { header: en ? 'Dose' : '用量', key: 'dose', value: (r: svc.InputApplicationView) => `${r.dose} ${r.doseUnit}` },
      { header: en ? 'Applied on' : '使用日期', key: 'on', value: (r: svc.InputApplicationView) => r.appliedOn },
      { header: en ? 'Safe harvest from' : '安全采收日', key: 'safe', value: (r: svc.InputApplicationView) => r.safeHarvestOn },
      { header: en ? 'Operator' : '操作人', key: 'op', value: (r: svc.InputApplicationView) => r.operator },
    ],
    (q) => svc.listInputApplications(ctx.db, q),
  );
  app.post(
    '/quality/input-applications',
    {
      config: { access: 'fields:manage', idempotent: true },
      schema: {
        tags: T,
        summary: 'Record an input application on a field',
        body: postInputApplicationsBody,
        response: { 201: applicationSchema, ...errorResponses },
      },
    },
    async (req, reply) =>
      reply.status(201).send(
        await tx(req, async (db, actor) => {
          const row = await svc.recordInputApplication(db, actor, req.body);
          const field = await svc.getField(db, row.fieldId);
          return { ...row, fieldCode: field.code, materialName: '' };
        }),
      ),
  );

  // ---- harvest
  app.get(
    '/quality/harvests',
    { config: { access: 'fields:read' }, schema: { tags: T, summary: 'List harvests', querystring: harvestQuery, response: { 200: pageOf(harvestSchema) } } },
    async (req) => svc.listHarvests(ctx.db, req.query),
  );
  xlsx(
    '/quality/harvests/export.xlsx',
    'fields:read',
    harvestQuery,
    { zh: '采收', en: 'Harvests' },
    (en) => [
      { header: en ? 'Lot' : '批次', key: 'lot', value: (r: svc.HarvestRow & { fieldCode: string }) => r.lotCode },
      { header: en ? 'Field' : '地块', key: 'field', value: (r: svc.HarvestRow & { fieldCode: string }) => r.fieldCode },
      { header: en ? 'Harvested on' : '采收日期', key: 'on', value: (r: svc.HarvestRow & { fieldCode: string }) => r.harvestedOn },
      { header: en ? 'Quantity' : '数量', key: 'qty', value: (r: svc.HarvestRow & { fieldCode: string }) => `${r.quantity} ${r.unit}` },
    ],
    (q) => svc.listHarvests(ctx.db, q),
  );
  app.post(
    '/quality/harvests',
    {
      config: { access: 'fields:manage', idempotent: true },
      schema: {
        tags: T,
        summary: 'Record a harvest: a quarantined lot enters inventory (pre-harvest-interval gate)',
        body: postHarvestsBody,
        response: { 201: harvestSchema, ...errorResponses },
      },
    },
    async (req, reply) => reply.status(201).send(await tx(req, (db, actor) => svc.createHarvest(db, actor, req.body))),
  );

  // ---- standards
  app.get(
    '/quality/standards',
    { config: { access: 'quality:read' }, schema: { tags: T, summary: 'List quality standards', querystring: standardQuery, response: { 200: pageOf(standardSchema) } } },
    async (req) => svc.listStandards(ctx.db, req.query),
  );
  xlsx(
    '/quality/standards/export.xlsx',
    'quality:read',
    standardQuery,
    { zh: '质量标准', en: 'Standards' },
    (en) => [
      { header: en ? 'Code' : '编码', key: 'code', value: (r: svc.StandardRow) => r.code },
      { header: en ? 'Name' : '名称', key: 'name', value: (r: svc.StandardRow) => r.name },
      {
        header: en ? 'Parameters' : '参数',
        key: 'params',
        value: (r: svc.StandardRow) => r.parameters.map((p) => `${p.name}[${p.min ?? ''}..${p.max ?? ''}]${p.unit ?? ''}`).join('; '),
      },
    ],
    (q) => svc.listStandards(ctx.db, q),
  );
  app.post(
    '/quality/standards',
    {
      config: { access: 'quality:manage', idempotent: true },
      schema: {
        tags: T,
        summary: 'Create a quality standard with parameter limits and a sampling plan',
        body: postStandardsBody,
        response: { 201: standardSchema, ...errorResponses },
      },
    },
    async (req, reply) => reply.status(201).send(await tx(req, (db, actor) => svc.createStandard(db, actor, req.body))),
  );
  app.patch(
    '/quality/standards/:id',
    {
      config: { access: 'quality:manage' },
      schema: {
        tags: T,
        summary: 'Edit a quality standard (audited with before/after; signed inspections keep their results; product fixed once inspected)',
        params: idParam,
        body: patchStandardsBody,
        response: { 200: standardSchema, ...errorResponses },
      },
    },
    async (req) => tx(req, (db, actor) => svc.updateStandard(db, actor, req.params.id, req.body)),
  );

  // ---- inspections
  app.get(
    '/quality/inspections',
    { config: { access: 'quality:read' }, schema: { tags: T, summary: 'List inspections', querystring: inspectionQuery, response: { 200: pageOf(inspectionSchema) } } },
    async (req) => svc.listInspections(ctx.db, req.query),
  );
  xlsx(
    '/quality/inspections/export.xlsx',
    'quality:read',
    inspectionQuery,
    { zh: '检验记录', en: 'Inspections' },
    (en) => [
      { header: en ? 'Number' : '编号', key: 'number', value: (r: svc.InspectionView) => r.number },
      { header: en ? 'Stage' : '阶段', key: 'stage', value: (r: svc.InspectionView) => codeLabel('inspectionStage', r.stage, en ? 'en-US' : 'zh-CN') },
      { header: en ? 'Standard' : '标准', key: 'std', value: (r: svc.InspectionView) => r.standardName },
      { header: en ? 'Inspected on' : '检验日期', key: 'on', value: (r: svc.InspectionView) => r.inspectedOn },
      { header: en ? 'Result' : '结果', key: 'result', value: (r: svc.InspectionView) => codeLabel('inspectionResult', r.result, en ? 'en-US' : 'zh-CN') },
      { header: en ? 'Values' : '检测值', key: 'values', value: (r: svc.InspectionView) => r.values.map((v) => `${v.code}=${String(v.value)}`).join('; ') },
      { header: en ? 'Signed by' : '签署人', key: 'signed', value: (r: svc.InspectionView) => r.signedBy },
    ],
    (q) => svc.listInspections(ctx.db, q),
  );
  app.get(
    '/quality/inspections/:id',
    {
      config: { access: 'quality:read' },
      schema: { tags: T, summary: 'One inspection with its uploaded photos and lab reports', params: idParam, response: { 200: inspectionDetailSchema } },
    },
    async (req) => {
      const row = await svc.getInspection(ctx.db, req.params.id);
      const standard = await svc.getStandard(ctx.db, row.standardId);
      return { ...row, standardName: standard.name, files: await filesOfInspection(ctx.db, row.id) };
    },
  );
  app.post(
    '/quality/inspections/:id/files',
    {
      config: { access: 'quality:inspect' },
      schema: {
        tags: T,
        summary: `Upload a photo (JPG/PNG/WebP) or lab report (PDF or image) to an inspection, signed or not (multipart: file, kind=photo|lab_report; at most ${MAX_INSPECTION_FILE_BYTES / 1024 / 1024} MB; type checked by content)`,
        consumes: ['multipart/form-data'],
        params: idParam,
        response: { 201: fileSchema, ...errorResponses },
      },
    },
    async (req, reply) => {
      const file = await inspectionUpload(req);
      return reply.status(201).send(await tx(req, (db, actor) => uploadInspectionFile(db, actor, req.params.id, file)));
    },
  );
  app.get(
    '/quality/inspections/:id/files/:fileId',
    { config: { access: 'quality:read' }, schema: { tags: T, summary: 'Download a photo or lab report of an inspection', params: fileParam } },
    async (req, reply) => {
      const f = await getInspectionFile(ctx.db, req.params.id, req.params.fileId);
      return reply
        .header('content-type', f.contentType)
        .header('content-disposition', `inline; filename*=UTF-8''${encodeURIComponent(f.filename)}`)
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'private, max-age=3600')
        .header('etag', `"${f.sha256}"`)
        .send(f.data);
    },
  );
  app.post(
    '/quality/inspections',
    {
      config: { access: 'quality:inspect', idempotent: true },
      preValidation: competencyGate('quality:inspect', (req) => (req.body as { sign?: unknown } | undefined)?.sign === true),
      schema: {
        tags: T,
        summary: 'Record an inspection with measured values (pass/fail computed); sign: true signs it at once',
        body: postInspectionsBody,
        response: { 201: inspectionSchema, ...errorResponses },
      },
    },
    async (req, reply) => reply.status(201).send(await tx(req, (db, actor) => svc.createInspection(db, actor, req.body))),
  );
  app.post(
    '/quality/inspections/:id/sign',
    {
      config: { access: 'quality:inspect' },
      preValidation: competencyGate('quality:inspect'),
      schema: { tags: T, summary: 'Sign an inspection: the result drives the lot status', params: idParam, response: { 200: inspectionSchema, ...errorResponses } },
    },
    async (req) => tx(req, (db, actor) => svc.signInspection(db, actor, req.params.id)),
  );

  // ---- lot decisions
  app.post(
    '/quality/lots/:id/decision',
    {
      config: { access: 'quality:inspect' },
      preValidation: competencyGate('lots:status', (req) => (req.body as { event?: string } | undefined)?.event === 'release'),
      schema: {
        tags: T,
        summary: 'QC decision on a lot: release, hold, or reject with a disposition',
        params: idParam,
        body: postLotsDecisionBody,
        response: { 200: lotDecisionSchema, ...errorResponses },
      },
    },
    async (req) => tx(req, (db, actor) => svc.decideLot(db, actor, req.params.id, req.body)),
  );

  // ---- non-conformances
  app.get(
    '/quality/non-conformances',
    { config: { access: 'quality:read' }, schema: { tags: T, summary: 'List non-conformances', querystring: ncQuery, response: { 200: pageOf(ncSchema) } } },
    async (req) => svc.listNonConformances(ctx.db, req.query),
  );
  xlsx(
    '/quality/non-conformances/export.xlsx',
    'quality:read',
    ncQuery,
    { zh: '不合格记录', en: 'Non-conformances' },
    (en) => [
      { header: en ? 'Number' : '编号', key: 'number', value: (r: svc.NcRow) => r.number },
      { header: en ? 'Description' : '描述', key: 'desc', value: (r: svc.NcRow) => r.description },
      { header: en ? 'Corrective action' : '纠正措施', key: 'ca', value: (r: svc.NcRow) => r.correctiveAction },
      { header: en ? 'Owner' : '负责人', key: 'owner', value: (r: svc.NcRow) => r.owner },
      { header: en ? 'Due' : '期限', key: 'due', value: (r: svc.NcRow) => r.dueOn },
      { header: en ? 'Status' : '状态', key: 'status', value: (r: svc.NcRow) => codeLabel('ncStatus', r.status, en ? 'en-US' : 'zh-CN') },
    ],
    (q) => svc.listNonConformances(ctx.db, q),
  );
  app.post(
    '/quality/non-conformances',
    {
      config: { access: 'quality:inspect', idempotent: true },
      schema: {
        tags: T,
        summary: 'Open a non-conformance',
        body: postNonConformancesBody,
        response: { 201: ncSchema, ...errorResponses },
      },
    },
    async (req, reply) => reply.status(201).send(await tx(req, (db, actor) => svc.createNonConformance(db, actor, req.body))),
  );
  app.patch(
    '/quality/non-conformances/:id',
    {
      config: { access: 'quality:inspect' },
      schema: {
        tags: T,
        summary: 'Update corrective action, owner, due date; close',
        params: idParam,
        body: patchNonConformancesBody,
        response: { 200: ncSchema, ...errorResponses },
      },
    },
    async (req) => tx(req, (db, actor) => svc.updateNonConformance(db, actor, req.params.id, req.body)),
  );
};
