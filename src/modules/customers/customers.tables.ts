import { sql } from 'drizzle-orm';
import { bigint, boolean, customType, date, index, integer, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, idColumn, ts } from '../../platform/db/columns.js';

export const CUSTOMER_KINDS = ['company', 'individual'] as const;
export const CUSTOMER_STATUSES = ['prospect', 'active', 'suspended'] as const;
export const CREDIT_RATINGS = ['A', 'B', 'C', 'D'] as const;
export const QUALIFICATION_TYPES = ['business_licence', 'food_permit', 'other'] as const;

export type CustomerKind = (typeof CUSTOMER_KINDS)[number];
export type CustomerStatus = (typeof CUSTOMER_STATUSES)[number];
export type CreditRating = (typeof CREDIT_RATINGS)[number];
export type QualificationType = (typeof QUALIFICATION_TYPES)[number];

const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (v) => Buffer.from(v),
});

export const customers = pgTable(
  'customers',
  {
    id: idColumn(),
    code: text('code').notNull(),
    /** The name; for an individual (a person) only its masked form — the name itself is in name_enc. */
    name: text('name').notNull(),
    /** An individual's name, encrypted (null for companies). */
    nameEnc: text('name_enc'),
    /** Blind index of an individual's name (exact search by roles with pii:read). */
    nameIdx: text('name_idx'),
    kind: text('kind', { enum: CUSTOMER_KINDS }).notNull(),
    /** 统一社会信用代码 (companies). */
    usci: text('usci'),
    status: text('status', { enum: CUSTOMER_STATUSES }).notNull().default('prospect'),
    creditLimitFen: bigint('credit_limit_fen', { mode: 'number' }).notNull().default(0),
    overdueFen: bigint('overdue_fen', { mode: 'number' }).notNull().default(0),
    paymentTermsDays: integer('payment_terms_days').notNull().default(0),
    creditRating: text('credit_rating', { enum: CREDIT_RATINGS }).notNull().default('B'),
    regionCode: text('region_code'),
    salesOwnerId: uuid('sales_owner_id'),
    customerGroup: text('customer_group'),
    minRemainingShelfLifeDays: integer('min_remaining_shelf_life_days'),
    tags: text('tags')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    note: text('note'),
    /**
     * Bumped by every transaction that takes the customer's credit lock (lockCustomerRow): the lock is an UPDATE, so the
     * row's version changes and an order written without the lock can check that nobody reviewed credit since it read.
     */
    creditSeq: bigint('credit_seq', { mode: 'number' }).notNull().default(0),
    createdAt: createdAt(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('customers_code_uq').on(t.code),
    uniqueIndex('customers_usci_uq').on(t.usci),
    index('customers_region_idx').on(t.regionCode),
    index('customers_owner_idx').on(t.salesOwnerId),
    index('customers_name_idx').on(t.nameIdx),
  ],
);

/** Business licence, food permits …: number, dates and an optional uploaded scan. */
export const customerQualifications = pgTable(
  'customer_qualifications',
  {
    id: idColumn(),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id),
    type: text('type', { enum: QUALIFICATION_TYPES }).notNull(),
    number: text('number').notNull(),
    issuedOn: date('issued_on'),
    expiresOn: date('expires_on'),
    fileId: uuid('file_id'),
    /** The expiry date an expiry alert was last sent for (so each date alerts once). */
    alertedFor: date('alerted_for'),
    archivedAt: ts('archived_at'),
    createdAt: createdAt(),
  },
  (t) => [index('customer_qualifications_customer_idx').on(t.customerId), index('customer_qualifications_expiry_idx').on(t.expiresOn)],
);

/** Contacts: name, phone and e-mail are personal data, stored encrypted with a blind index on the phone. */
export const customerContacts = pgTable(
  'customer_contacts',
  {
    id: idColumn(),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id),
    nameEnc: text('name_enc').notNull(),
    title: text('title'),
    phoneEnc: text('phone_enc'),
    phoneIdx: text('phone_idx'),
    emailEnc: text('email_enc'),
    isPrimary: boolean('is_primary').notNull().default(false),
    archivedAt: ts('archived_at'),
    createdAt: createdAt(),
  },
  (t) => [index('customer_contacts_customer_idx').on(t.customerId), index('customer_contacts_phone_idx').on(t.phoneIdx)],
);

/** Delivery addresses: street address, receiver and phone encrypted. */
export const customerAddresses = pgTable(
  'customer_addresses',
  {
    id: idColumn(),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id),
    label: text('label').notNull(),
    regionCode: text('region_code').notNull(),
    addressEnc: text('address_enc').notNull(),
    receiverEnc: text('receiver_enc').notNull(),
    phoneEnc: text('phone_enc').notNull(),
    phoneIdx: text('phone_idx').notNull(),
    isDefault: boolean('is_default').notNull().default(false),
    archivedAt: ts('archived_at'),
    createdAt: createdAt(),
  },
  (t) => [index('customer_addresses_customer_idx').on(t.customerId), index('customer_addresses_phone_idx').on(t.phoneIdx)],
);

/** Uploaded qualification scans (small files kept in the database so both engines behave the same). */
export const customerFiles = pgTable('customer_files', {
  id: idColumn(),
  customerId: uuid('customer_id')
    .notNull()
    .references(() => customers.id),
  filename: text('filename').notNull(),
  contentType: text('content_type').notNull(),
  size: integer('size').notNull(),
  sha256: text('sha256').notNull(),
  data: bytea('data').notNull(),
  uploadedBy: text('uploaded_by').notNull(),
  createdAt: createdAt(),
});
