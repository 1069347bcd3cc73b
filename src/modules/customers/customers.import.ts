import { z } from 'zod';
import { safeMultiline, safeString } from '../../platform/http/schemas.js';
import type { Actor } from '../../platform/auth/actor.js';
import type { Db } from '../../platform/db/client.js';
import { DomainError, type FieldIssue } from '../../platform/errors/domain-error.js';
import { readXlsx, toXlsx } from '../../platform/http/excel.js';
import type { Locale } from '../../platform/i18n/locale.js';
import { CustomerErrors } from './customers.errors.js';
import { addAddress, addContact, createCustomer, type CustomerInput } from './customers.service.js';

/** Import columns: key, zh header, en header (either header is accepted). */
const COLUMNS = [
  { key: 'code', zh: '客户编码', en: 'Code' },
  { key: 'name', zh: '客户名称', en: 'Name', required: true },
  { key: 'kind', zh: '类型', en: 'Kind', required: true },
  { key: 'usci', zh: '统一社会信用代码', en: 'USCI' },
  { key: 'status', zh: '状态', en: 'Status' },
  { key: 'creditLimit', zh: '信用额度(元)', en: 'Credit limit (CNY)' },
  { key: 'paymentTermsDays', zh: '账期(天)', en: 'Payment terms (days)' },
  { key: 'creditRating', zh: '信用等级', en: 'Credit rating' },
  { key: 'regionCode', zh: '行政区划代码', en: 'Region code' },
  { key: 'group', zh: '客户组', en: 'Group' },
  { key: 'tags', zh: '标签', en: 'Tags' },
  { key: 'contactName', zh: '联系人', en: 'Contact' },
  { key: 'contactPhone', zh: '联系电话', en: 'Contact phone' },
  { key: 'address', zh: '收货地址', en: 'Delivery address' },
] as const;

type Key = (typeof COLUMNS)[number]['key'];

const KIND: Record<string, CustomerInput['kind']> = { 企业: 'company', 公司: 'company', company: 'company', 个人: 'individual', individual: 'individual' };
const STATUS: Record<string, 'prospect' | 'active'> = { 潜在: 'prospect', 潜在客户: 'prospect', prospect: 'prospect', 启用: 'active', 正常: 'active', active: 'active' };

const rowSchema = z.object({
  code: safeString().max(32).optional(),
  name: safeString().min(1).max(100),
  kind: safeString().transform((v, ctx) => KIND[v.toLowerCase()] ?? (ctx.addIssue({ code: 'custom', message: 'FIELD_INVALID_VALUE', params: { options: '企业/个人' } }), z.NEVER)),
  usci: safeString().optional(),
  status: safeString()
    .optional()
    .transform((v, ctx) =>
      v ? (STATUS[v.toLowerCase()] ?? (ctx.addIssue({ code: 'custom', message: 'FIELD_INVALID_VALUE', params: { options: '潜在/启用' } }), z.NEVER)) : undefined,
    ),
  creditLimit: safeString()
    .regex(/^\d{1,12}(\.\d{1,2})?$/, 'FIELD_INVALID')
    .optional(),
  paymentTermsDays: z.coerce.number().int().min(0).max(365).optional(),
  creditRating: z.enum(['A', 'B', 'C', 'D']).optional(),
  regionCode: safeString()
    .regex(/^\d{6}$/, 'FIELD_INVALID')
    .optional(),
  group: safeString().max(50).optional(),
  tags: safeString().max(200).optional(),
  contactName: safeString().max(50).optional(),
  contactPhone: safeString()
    .regex(/^\+?[0-9 -]{5,20}$/, 'FIELD_INVALID_PHONE')
    .optional(),
  address: safeMultiline().max(200).optional(),
});

/** "1234.5" yuan → 123450 fen, without floating point. */
function yuanToFen(v: string): number {
  const [yuan = '0', cents = ''] = v.split('.');
  return Number(yuan) * 100 + Number(cents.padEnd(2, '0'));
}

export type ImportResult = { imported: number; items: { row: number; id: string; code: string }[] };

/** The template with both-language headers explained by its header row. */
export async function customerImportTemplate(locale: Locale): Promise<Buffer> {
  const en = locale === 'en-US';
  return toXlsx(
    en ? 'Customers' : '客户',
    COLUMNS.map((c) => ({ header: en ? c.en : c.zh, key: c.key, width: 18, value: (r: Record<Key, string>) => r[c.key] })),
    [
      {
        code: '',
        name: en ? 'Hangzhou Fresh Supermarket Co., Ltd.' : '杭州鲜丰超市有限公司',
        kind: en ? 'company' : '企业',
        usci: '91330106MA2B3C4D5R',
        status: en ? 'prospect' : '潜在',
        creditLimit: '200000',
        paymentTermsDays: '30',
        creditRating: 'B',
        regionCode: '330106',
        group: en ? 'supermarket' : '商超',
        tags: en ? 'key account' : '重点客户',
        contactName: en ? 'Zhang San' : '张三',
        contactPhone: '13900000000',
        address: en ? '1 Wensan Rd' : '文三路 1 号',
      },
    ],
  );
}

/**
 * Imports customers from the first sheet: every row is checked and created through the same service as the form;
 * if any row fails, nothing is imported and the error lists every failing cell as rows.<n>.<field>.
 */
export async function importCustomers(db: Db, actor: Actor, file: Buffer): Promise<ImportResult> {
  let sheet: Awaited<ReturnType<typeof readXlsx>>;
  try {
    sheet = await readXlsx(file);
  } catch (err) {
    if (err instanceof DomainError) throw err;
    throw new DomainError(CustomerErrors.IMPORT_BAD_FILE);
  }
  const keyOf = new Map<string, Key>();
  for (const c of COLUMNS) {
    keyOf.set(c.zh, c.key);
    keyOf.set(c.en, c.key);
  }
  const present = new Set(sheet.headers.map((h) => keyOf.get(h)).filter(Boolean));
  const missing = COLUMNS.filter((c) => 'required' in c && !present.has(c.key)).map((c) => `${c.zh}/${c.en}`);
  if (missing.length) throw new DomainError(CustomerErrors.IMPORT_MISSING_COLUMNS, { columns: missing.join(', ') });
  const issues: FieldIssue[] = [];
  const result: ImportResult = { imported: 0, items: [] };
  for (const { rowNumber, values } of sheet.rows) {
    const raw: Partial<Record<Key, string>> = {};
    for (const [h, v] of Object.entries(values)) {
      const k = keyOf.get(h);
      if (k && v !== '') raw[k] = v;
    }
    const parsed = rowSchema.safeParse(raw);
    if (!parsed.success) {
      for (const iss of parsed.error.issues) {
        const code = iss.message.startsWith('FIELD_') ? iss.message : iss.code === 'invalid_type' ? 'FIELD_REQUIRED' : 'FIELD_INVALID';
        issues.push({ field: `rows.${rowNumber}.${String(iss.path[0] ?? '')}`, code, params: (iss as { params?: Record<string, unknown> }).params ?? {} });
      }
      continue;
    }
    const r = parsed.data;
    try {
      const c = await createCustomer(db, actor, {
        code: r.code,
        name: r.name,
        kind: r.kind,
        usci: r.usci ?? null,
        status: r.status,
        creditLimitFen: r.creditLimit ? yuanToFen(r.creditLimit) : 0,
        paymentTermsDays: r.paymentTermsDays,
        creditRating: r.creditRating,
        regionCode: r.regionCode ?? null,
        group: r.group ?? null,
        tags: r.tags?.split(/[,,;;]/),
      });
      if (r.contactName) await addContact(db, actor, c.id, { name: r.contactName, phone: r.contactPhone ?? null, isPrimary: true });
      if (r.address && r.regionCode && r.contactPhone) {
        await addAddress(db, actor, c.id, {
          label: '默认',
          regionCode: r.regionCode,
          address: r.address,
          receiver: r.contactName ?? r.name,
          phone: r.contactPhone,
          isDefault: true,
        });
      }
      result.items.push({ row: rowNumber, id: c.id, code: c.code });
      result.imported += 1;
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      const fields = err.fields.length ? err.fields : [{ field: '', code: err.code, params: err.params }];
      for (const f of fields) issues.push({ field: `rows.${rowNumber}${f.field ? `.${f.field}` : ''}`, code: f.code, params: f.params });
    }
  }
  if (issues.length) throw new DomainError(CustomerErrors.IMPORT_HAS_ERRORS, { count: issues.length }, issues);
  return result;
}
