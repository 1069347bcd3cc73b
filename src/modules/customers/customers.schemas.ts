import { z } from 'zod';
import { businessDay, dateTime, safeMultiline, safeString } from '../../platform/http/schemas.js';
import { listQuery, qsBool } from '../../platform/http/list.js';
import { CREDIT_RATINGS, CUSTOMER_KINDS, CUSTOMER_STATUSES, QUALIFICATION_TYPES } from './customers.tables.js';

const phone = safeString()
  .trim()
  .regex(/^\+?[0-9 -]{5,20}$/, 'FIELD_INVALID_PHONE');
const regionCode = safeString().regex(/^\d{6}$/, 'FIELD_INVALID');
const fen = z.number().int().min(0).max(1e13);

export const customerBody = z.strictObject({
  code: safeString()
    .trim()
    .regex(/^[A-Za-z0-9_.-]{1,32}$/, 'FIELD_INVALID')
    .optional(),
  name: safeString().trim().min(1).max(100),
  kind: z.enum(CUSTOMER_KINDS),
  usci: safeString().trim().max(18).nullable().optional(),
  status: z.enum(['prospect', 'active']).optional(),
  creditLimitFen: fen.optional(),
  overdueFen: fen.optional(),
  paymentTermsDays: z.number().int().min(0).max(365).optional(),
  creditRating: z.enum(CREDIT_RATINGS).optional(),
  regionCode: regionCode.nullable().optional(),
  salesOwnerId: z.uuid().nullable().optional(),
  group: safeString().trim().max(50).nullable().optional(),
  minRemainingShelfLifeDays: z.number().int().min(0).max(3650).nullable().optional(),
  tags: z.array(safeString().trim().min(1).max(30)).max(20).optional(),
  note: safeMultiline().max(1000).nullable().optional(),
});
export const customerPatch = customerBody.omit({ status: true }).partial();

export const statusBody = z.strictObject({ reason: safeMultiline().trim().max(500).nullable().optional() });

export const qualificationBody = z.strictObject({
  type: z.enum(QUALIFICATION_TYPES),
  number: safeString().trim().min(1).max(60),
  issuedOn: businessDay.nullable().optional(),
  expiresOn: businessDay.nullable().optional(),
  fileId: z.uuid().nullable().optional(),
});

export const contactBody = z.strictObject({
  name: safeString().trim().min(1).max(50),
  title: safeString().trim().max(50).nullable().optional(),
  phone: phone.nullable().optional(),
  email: z.email().nullable().optional(),
  isPrimary: z.boolean().optional(),
});

export const addressBody = z.strictObject({
  label: safeString().trim().min(1).max(50),
  regionCode,
  address: safeMultiline().trim().min(1).max(200),
  receiver: safeString().trim().min(1).max(50),
  phone,
  isDefault: z.boolean().optional(),
});

export const customerListQuery = listQuery.extend({
  status: z.enum(CUSTOMER_STATUSES).optional(),
  kind: z.enum(CUSTOMER_KINDS).optional(),
  regionCode: regionCode.optional(),
  salesOwnerId: z.uuid().optional(),
  group: safeString().max(50).optional(),
  tag: safeString().max(30).optional(),
  creditRating: z.enum(CREDIT_RATINGS).optional(),
  qualificationAlert: qsBool,
});

const customerCore = {
  id: z.string(),
  code: z.string(),
  name: z.string(),
  kind: z.enum(CUSTOMER_KINDS),
  status: z.enum(CUSTOMER_STATUSES),
  creditLimitFen: z.number(),
  overdueFen: z.number(),
  paymentTermsDays: z.number(),
  creditRating: z.enum(CREDIT_RATINGS),
  regionCode: z.string().nullable(),
  salesOwnerId: z.string().nullable(),
  group: z.string().nullable(),
  minRemainingShelfLifeDays: z.number().nullable(),
  tags: z.array(z.string()),
};

export const customerSummary = z.object({
  ...customerCore,
  usci: z.string().nullable(),
  regionName: z.string().nullable(),
  salesOwnerName: z.string().nullable(),
  note: z.string().nullable(),
  nextQualificationExpiry: z.string().nullable(),
  createdAt: dateTime,
  updatedAt: dateTime,
});

export const qualificationSchema = z.object({
  id: z.string(),
  type: z.enum(QUALIFICATION_TYPES),
  number: z.string(),
  issuedOn: z.string().nullable(),
  expiresOn: z.string().nullable(),
  fileId: z.string().nullable(),
  expired: z.boolean(),
  expiringSoon: z.boolean(),
});
export const contactSchema = z.object({
  id: z.string(),
  customerId: z.string(),
  name: z.string(),
  title: z.string().nullable(),
  phone: z.string().nullable(),
  email: z.string().nullable(),
  isPrimary: z.boolean(),
});
export const addressSchema = z.object({
  id: z.string(),
  customerId: z.string(),
  label: z.string(),
  regionCode: z.string(),
  regionName: z.string().nullable(),
  address: z.string(),
  receiver: z.string(),
  phone: z.string(),
  isDefault: z.boolean(),
});

export const customerDetail = customerSummary.extend({
  qualifications: z.array(qualificationSchema),
  contacts: z.array(contactSchema),
  addresses: z.array(addressSchema),
  piiMasked: z.boolean(),
});

export const expiringItem = qualificationSchema.extend({
  customerId: z.string(),
  customerCode: z.string(),
  customerName: z.string(),
  salesOwnerId: z.string().nullable(),
  daysLeft: z.number(),
});

export const regionSchema = z.object({ code: z.string(), name: z.string(), level: z.enum(['province', 'city', 'county']), parentCode: z.string().nullable() });
