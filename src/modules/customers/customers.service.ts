import crypto from 'node:crypto';
import { and, asc, count, eq, inArray, isNull, lte, ne, or, sql, type SQL } from 'drizzle-orm';
import { assertInScope, can, customerScope, type Actor } from '../../platform/auth/actor.js';
import { recordAudit } from '../../platform/audit/audit.service.js';
import { businessDate, clock } from '../../platform/clock.js';
import { openPii, pii, sealedName, shown, UNDECRYPTABLE } from '../../platform/crypto/pii.js';
import { columnsOf, selectedRow, statement, type Db } from '../../platform/db/client.js';
import { nextDocNumber } from '../../platform/docnum.js';
import { DomainError } from '../../platform/errors/domain-error.js';
import { offsetOf, orderByOf, type Page } from '../../platform/http/list.js';
import { users } from '../../platform/platform.tables.js';
import { defineSetting, getSetting } from '../../platform/settings/settings.service.js';
import { recordInitialState, transition } from '../../platform/state-machine.js';
import { CustomerErrors } from './customers.errors.js';
import { customerMachine, type CustomerEvent } from './customers.states.js';
import {
  customerAddresses,
  customerContacts,
  customerFiles,
  customerQualifications,
  customers,
  type CreditRating,
  type CustomerKind,
  type CustomerStatus,
  type QualificationType,
} from './customers.tables.js';
import { isRegionCode, regionPath } from './regions.js';
import { isValidUsci } from './usci.js';

export const qualificationAlertDays = defineSetting({
  key: 'customers.qualificationAlertDays',
  module: 'customers',
  type: 'integer',
  default: 30,
  min: 1,
  max: 365,
  label: { zh: '资质到期提醒提前天数', en: 'Qualification expiry alert (days ahead)' },
  description: {
    zh: '营业执照、食品经营许可证等在此天数内到期时提醒销售负责人和管理层。',
    en: 'Business licences, food permits etc. expiring within this many days alert the sales owner and managers.',
  },
  unit: { zh: '天', en: 'days' },
});

export type Qualification = {
  id: string;
  type: QualificationType;
  number: string;
  issuedOn: string | null;
  expiresOn: string | null;
  fileId: string | null;
  expired: boolean;
  expiringSoon: boolean;
};

/** The public shape of a customer (docs/module-contracts.md). */
export type CustomerInfo = {
  id: string;
  code: string;
  /** The name as every role may see it: an individual's is masked (its clear form needs pii:read, see customerName()). */
  name: string;
  /** An individual's name, encrypted (copied as it is into order snapshots); null for companies. */
  nameEnc: string | null;
  kind: CustomerKind;
  status: CustomerStatus;
  creditLimitFen: number;
  overdueFen: number;
  paymentTermsDays: number;
  creditRating: CreditRating;
  regionCode: string | null;
  salesOwnerId: string | null;
  group: string | null;
  minRemainingShelfLifeDays: number | null;
  tags: string[];
  qualifications: { type: QualificationType; number: string; issuedOn: string | null; expiresOn: string | null; fileId: string | null }[];
};

export type CustomerSummary = Omit<CustomerInfo, 'qualifications' | 'nameEnc'> & {
  usci: string | null;
  regionName: string | null;
  salesOwnerName: string | null;
  note: string | null;
  nextQualificationExpiry: string | null;
  createdAt: Date;
  updatedAt: Date;
};

export type ContactView = { id: string; customerId: string; name: string; title: string | null; phone: string | null; email: string | null; isPrimary: boolean };
export type AddressView = {
  id: string;
  customerId: string;
  label: string;
  regionCode: string;
  regionName: string | null;
  address: string;
  receiver: string;
  phone: string;
  isDefault: boolean;
};
export type CustomerDetail = CustomerSummary & { qualifications: Qualification[]; contacts: ContactView[]; addresses: AddressView[]; piiMasked: boolean };

type CustomerRow = typeof customers.$inferSelect;
type QualRow = typeof customerQualifications.$inferSelect;
type ContactRow = typeof customerContacts.$inferSelect;
type AddressRow = typeof customerAddresses.$inferSelect;

const ANY_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function today(): string {
  return businessDate(clock.now());
}

function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** A customer's name for a viewer: an individual's in clear with pii:read, masked (as stored in `name`) without. */
export function customerName(r: { name: string; nameEnc: string | null }, showPii: boolean): string {
  return showPii && r.nameEnc ? (openPii(r.nameEnc) ?? r.name) : r.name;
}

function infoOf(r: CustomerRow, quals: QualRow[]): CustomerInfo {
  return {
    id: r.id,
    code: r.code,
    name: r.name,
    nameEnc: r.nameEnc,
    kind: r.kind,
    status: r.status,
    creditLimitFen: r.creditLimitFen,
    overdueFen: r.overdueFen,
    paymentTermsDays: r.paymentTermsDays,
    creditRating: r.creditRating,
    regionCode: r.regionCode,
    salesOwnerId: r.salesOwnerId,
    group: r.customerGroup,
    minRemainingShelfLifeDays: r.minRemainingShelfLifeDays,
    tags: r.tags,
    qualifications: quals.map((q) => ({ type: q.type, number: q.number, issuedOn: q.issuedOn, expiresOn: q.expiresOn, fileId: q.fileId })),
  };
}

async function ownerNames(db: Db, ids: (string | null)[]): Promise<Map<string, string>> {
  const uniq = [...new Set(ids.filter((x): x is string => !!x))];
  if (!uniq.length) return new Map();
  const rows = await db.select({ id: users.id, name: users.displayName }).from(users).where(inArray(users.id, uniq));
  return new Map(rows.map((r) => [r.id, r.name]));
}

async function qualsOf(db: Db, ids: string[]): Promise<Map<string, QualRow[]>> {
  const m = new Map<string, QualRow[]>(ids.map((id) => [id, []]));
  if (!ids.length) return m;
  const rows = await db
    .select()
    .from(customerQualifications)
    .where(and(inArray(customerQualifications.customerId, ids), isNull(customerQualifications.archivedAt)))
    .orderBy(asc(customerQualifications.type), asc(customerQualifications.createdAt));
  for (const r of rows) m.get(r.customerId)?.push(r);
  return m;
}

function summaryOf(r: CustomerRow, quals: QualRow[], owners: Map<string, string>, showPii = false): CustomerSummary {
  const { qualifications: _q, nameEnc: _n, ...info } = infoOf(r, quals);
  void _q;
  void _n;
  const expiries = quals
    .map((q) => q.expiresOn)
    .filter((d): d is string => !!d)
    .sort();
  return {
    ...info,
    name: customerName(r, showPii),
    usci: r.usci,
    regionName: regionPath(r.regionCode),
    salesOwnerName: r.salesOwnerId ? (owners.get(r.salesOwnerId) ?? null) : null,
    note: r.note,
    nextQualificationExpiry: expiries[0] ?? null,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
}

function qualView(q: QualRow, alertDays: number): Qualification {
  const t = today();
  return {
    id: q.id,
    type: q.type,
    number: q.number,
    issuedOn: q.issuedOn,
    expiresOn: q.expiresOn,
    fileId: q.fileId,
    expired: q.expiresOn !== null && q.expiresOn < t,
    expiringSoon: q.expiresOn !== null && q.expiresOn >= t && q.expiresOn <= addDays(t, alertDays),
  };
}

// A value the key cannot open reads as UNDECRYPTABLE (logged), never as an error.
function contactView(c: ContactRow, showPii: boolean): ContactView {
  return {
    id: c.id,
    customerId: c.customerId,
    name: shown(openPii(c.nameEnc), showPii, 'text') ?? '',
    title: c.title,
    phone: shown(openPii(c.phoneEnc), showPii, 'phone'),
    email: shown(openPii(c.emailEnc), showPii, 'email'),
    isPrimary: c.isPrimary,
  };
}

function addressView(a: AddressRow, showPii: boolean): AddressView {
  return {
    id: a.id,
    customerId: a.customerId,
    label: a.label,
    regionCode: a.regionCode,
    regionName: regionPath(a.regionCode),
    address: shown(openPii(a.addressEnc), showPii, 'text') ?? '',
    receiver: shown(openPii(a.receiverEnc), showPii, 'text') ?? '',
    phone: shown(openPii(a.phoneEnc), showPii, 'phone') ?? '',
    isDefault: a.isDefault,
  };
}

async function loadRow(db: Db, id: string): Promise<CustomerRow> {
  if (!ANY_UUID.test(id)) throw new DomainError(CustomerErrors.CUSTOMER_NOT_FOUND);
  const [r] = await db.select().from(customers).where(eq(customers.id, id));
  if (!r) throw new DomainError(CustomerErrors.CUSTOMER_NOT_FOUND);
  return r;
}

// ---------------------------------------------------------------- public contract

/** A customer with its current qualifications, or null. */
export async function getCustomer(db: Db, id: string): Promise<CustomerInfo | null> {
  if (!ANY_UUID.test(id)) return null;
  const [r] = await db.select().from(customers).where(eq(customers.id, id));
  if (!r) return null;
  return infoOf(r, (await qualsOf(db, [id])).get(id) ?? []);
}

export type CustomerAddressInfo = { id: string; customerId: string; label: string; regionCode: string; address: string; receiver: string; phone: string };
export type CustomerContactInfo = { id: string; customerId: string; name: string; title: string | null; phone: string | null; email: string | null };

/** The credit lock: an UPDATE of the customer's row (see customers.credit_seq), held until the transaction ends. */
export const creditLockSql = (id: SQL) => sql`update customers set credit_seq = credit_seq + 1 where id = ${id}`;

function orderPartiesSql(): SQL {
  const ph = (k: string) => sql.placeholder(k);
  // The row's version (xmin) too, which customerUnchangedSql() (customers.hotpath.ts) checks when the order is written.
  return sql`select ${columnsOf(customers, 'c', 'c_')}, ${columnsOf(customerAddresses, 'a', 'a_')}, ${columnsOf(customerContacts, 'ct', 'ct_')},
      coalesce((select json_agg(json_build_object('type', q.type, 'number', q.number, 'issuedOn', q.issued_on, 'expiresOn', q.expires_on, 'fileId', q.file_id)
                order by q.type, q.created_at) from customer_qualifications q where q.customer_id = c.id and q.archived_at is null), '[]'::json) as quals,
      (select u.display_name from users u where u.id = coalesce(${ph('ownerId')}::uuid, c.sales_owner_id)) as owner_name,
      c.xmin::text as row_version
    from customers c
    left join customer_addresses a on a.id = ${ph('addressId')}::uuid
    left join customer_contacts ct on ct.id = ${ph('contactId')}::uuid
    where c.id = ${ph('customerId')}::uuid`;
}
const orderParties = statement<Record<string, unknown>>('customers_order_parties', () => orderPartiesSql());
const customerRowLock = statement('customers_lock_row', () => creditLockSql(sql`${sql.placeholder('id')}::uuid`));

/**
 * Takes the customer's credit lock until the end of the transaction: the orders module serialises the credit review of
 * one customer's orders this way. The lock is an UPDATE (it bumps
 * customers.credit_seq), so the row's version changes: an order written without the lock checks with
 * customerUnchangedSql() (customers.hotpath.ts) that no credit review took the lock since it read the customer.
 */
export async function lockCustomerRow(db: Db, customerId: string): Promise<void> {
  await customerRowLock(db, { id: customerId });
}

/**
 * What an order needs of its customer in one query: the customer with its current qualifications, and the given
 * delivery address and contact (decrypted; null when unknown — the caller checks they belong to this customer), and
 * the display name of the sales owner given (or else the customer's own; null when that user does not exist), and the
 * customer row's version (`rowVersion`, for customerUnchangedSql()).
 */
export async function getOrderParties(
  db: Db,
  customerId: string,
  refs: { addressId?: string | null; contactId?: string | null; ownerId?: string | null },
): Promise<{ customer: CustomerInfo | null; address: CustomerAddressInfo | null; contact: CustomerContactInfo | null; ownerName: string | null; rowVersion: string | null }> {
  const [raw] = await orderParties(db, {
    customerId,
    addressId: refs.addressId ?? null,
    contactId: refs.contactId ?? null,
    ownerId: refs.ownerId ?? null,
  });
  const r = raw && {
    c: selectedRow(customers, raw, 'c_')!,
    a: selectedRow(customerAddresses, raw, 'a_'),
    ct: selectedRow(customerContacts, raw, 'ct_'),
    quals: raw.quals as CustomerInfo['qualifications'] | string,
    ownerName: raw.owner_name as string | null,
  };
  if (!r) return { customer: null, address: null, contact: null, ownerName: null, rowVersion: null };
  const quals2 = (typeof r.quals === 'string' ? JSON.parse(r.quals) : r.quals) as CustomerInfo['qualifications'];
  let address: CustomerAddressInfo | null = null;
  if (r.a) {
    const { regionName: _r, isDefault: _d, ...v } = addressView(r.a, true);
    void _r;
    void _d;
    address = v;
  }
  let contact: CustomerContactInfo | null = null;
  if (r.ct) {
    const { isPrimary: _p, ...v } = contactView(r.ct, true);
    void _p;
    contact = v;
  }
  return { customer: { ...infoOf(r.c, []), qualifications: quals2 }, address, contact, ownerName: r.ownerName, rowVersion: (raw.row_version as string | null) ?? null };
}

/** A delivery address, decrypted (for order documents and shipping). */
export async function getCustomerAddress(
  db: Db,
  addressId: string,
): Promise<{ id: string; customerId: string; label: string; regionCode: string; address: string; receiver: string; phone: string } | null> {
  if (!ANY_UUID.test(addressId)) return null;
  const [a] = await db.select().from(customerAddresses).where(eq(customerAddresses.id, addressId));
  if (!a) return null;
  const { regionName: _r, isDefault: _d, ...v } = addressView(a, true);
  void _r;
  void _d;
  return v;
}

/** A customer's current (not archived) delivery addresses, default first, without personal fields. */
export async function listCustomerAddresses(db: Db, customerId: string): Promise<{ id: string; label: string; regionCode: string; isDefault: boolean }[]> {
  if (!ANY_UUID.test(customerId)) return [];
  const rows = await db
    .select({ id: customerAddresses.id, label: customerAddresses.label, regionCode: customerAddresses.regionCode, isDefault: customerAddresses.isDefault })
    .from(customerAddresses)
    .where(and(eq(customerAddresses.customerId, customerId), isNull(customerAddresses.archivedAt)));
  return rows.sort((a, b) => Number(b.isDefault) - Number(a.isDefault));
}

/** A contact, decrypted. */
export async function getCustomerContact(
  db: Db,
  contactId: string,
): Promise<{ id: string; customerId: string; name: string; title: string | null; phone: string | null; email: string | null } | null> {
  if (!ANY_UUID.test(contactId)) return null;
  const [c] = await db.select().from(customerContacts).where(eq(customerContacts.id, contactId));
  if (!c) return null;
  const { isPrimary: _p, ...v } = contactView(c, true);
  void _p;
  return v;
}

// ---------------------------------------------------------------- lists and search

export type CustomerFilter = {
  q?: string;
  status?: CustomerStatus;
  kind?: CustomerKind;
  regionCode?: string;
  salesOwnerId?: string;
  group?: string;
  tag?: string;
  creditRating?: CreditRating;
  /** Only customers with a qualification expiring within the alert window (or already expired). */
  qualificationAlert?: boolean;
  page: number;
  pageSize: number;
  sort?: string;
};

function customerWhere(actor: Actor, f: Omit<CustomerFilter, 'page' | 'pageSize' | 'sort'>, alertUntil: string): SQL | undefined {
  const conds: SQL[] = [];
  const scope = customerScope(actor);
  if (scope) conds.push(eq(customers.id, scope));
  if (f.q) {
    const like = `%${f.q}%`;
    // The blind indexes (an individual's full name, a contact's or address's phone) only for roles with pii:read: for
    // the others a hit would confirm a number or a name they only see masked. `name` holds an individual's masked form.
    const idx = can(actor, 'pii:read') ? pii().blindIndex(f.q) : null;
    conds.push(
      or(
        sql`${customers.name} ilike ${like}`,
        sql`${customers.code} ilike ${like}`,
        eq(customers.usci, f.q.toUpperCase()),
        ...(idx
          ? [
              eq(customers.nameIdx, idx),
              sql`exists (select 1 from customer_contacts c where c.customer_id = ${customers.id} and c.phone_idx = ${idx} and c.archived_at is null)`,
              sql`exists (select 1 from customer_addresses a where a.customer_id = ${customers.id} and a.phone_idx = ${idx} and a.archived_at is null)`,
            ]
          : []),
      )!,
    );
  }
  if (f.status) conds.push(eq(customers.status, f.status));
  if (f.kind) conds.push(eq(customers.kind, f.kind));
  if (f.regionCode) {
    // Province and city codes match every region below them.
    const prefix = f.regionCode.endsWith('0000') ? f.regionCode.slice(0, 2) : f.regionCode.endsWith('00') ? f.regionCode.slice(0, 4) : f.regionCode;
    conds.push(sql`${customers.regionCode} like ${`${prefix}%`}`);
  }
  if (f.salesOwnerId) conds.push(eq(customers.salesOwnerId, f.salesOwnerId));
  if (f.group) conds.push(eq(customers.customerGroup, f.group));
  if (f.tag) conds.push(sql`${f.tag} = any(${customers.tags})`);
  if (f.creditRating) conds.push(eq(customers.creditRating, f.creditRating));
  if (f.qualificationAlert)
    conds.push(sql`exists (select 1 from customer_qualifications q where q.customer_id = ${customers.id} and q.archived_at is null and q.expires_on <= ${alertUntil})`);
  return conds.length ? and(...conds) : undefined;
}

export async function listCustomers(db: Db, actor: Actor, f: CustomerFilter): Promise<Page<CustomerSummary>> {
  const alertUntil = addDays(today(), await getSetting(db, qualificationAlertDays));
  const where = customerWhere(actor, f, alertUntil);
  const order = orderByOf(
    f.sort,
    {
      code: customers.code,
      name: customers.name,
      status: customers.status,
      creditLimitFen: customers.creditLimitFen,
      creditRating: customers.creditRating,
      regionCode: customers.regionCode,
      createdAt: customers.createdAt,
      updatedAt: customers.updatedAt,
    },
    [asc(customers.code)],
  );
  const [rows, total] = await Promise.all([
    db
      .select()
      .from(customers)
      .where(where)
      .orderBy(...order)
      .limit(f.pageSize)
      .offset(offsetOf(f)),
    db.select({ n: count() }).from(customers).where(where),
  ]);
  const ids = rows.map((r) => r.id);
  const [quals, owners] = await Promise.all([
    qualsOf(db, ids),
    ownerNames(
      db,
      rows.map((r) => r.salesOwnerId),
    ),
  ]);
  const showPii = can(actor, 'pii:read');
  return { items: rows.map((r) => summaryOf(r, quals.get(r.id) ?? [], owners, showPii)), total: total[0]?.n ?? 0, page: f.page, pageSize: f.pageSize };
}

/** Quick search for pickers: name or code contains q, or q is a contact/address phone (blind index). */
export async function searchCustomers(db: Db, actor: Actor, q: string): Promise<CustomerSummary[]> {
  return (await listCustomers(db, actor, { q: q.trim() || undefined, page: 1, pageSize: 20, sort: 'name' })).items;
}

export async function getCustomerDetail(db: Db, actor: Actor, id: string): Promise<CustomerDetail> {
  const r = await loadRow(db, id);
  assertInScope(actor, r.id);
  const showPii = can(actor, 'pii:read');
  const [quals, owners, contacts, addresses, alertDays] = await Promise.all([
    qualsOf(db, [id]),
    ownerNames(db, [r.salesOwnerId]),
    db
      .select()
      .from(customerContacts)
      .where(and(eq(customerContacts.customerId, id), isNull(customerContacts.archivedAt)))
      .orderBy(asc(customerContacts.createdAt)),
    db
      .select()
      .from(customerAddresses)
      .where(and(eq(customerAddresses.customerId, id), isNull(customerAddresses.archivedAt)))
      .orderBy(asc(customerAddresses.createdAt)),
    getSetting(db, qualificationAlertDays),
  ]);
  const q = quals.get(id) ?? [];
  return {
    ...summaryOf(r, q, owners, showPii),
    qualifications: q.map((x) => qualView(x, alertDays)),
    contacts: contacts.map((c) => contactView(c, showPii)),
    addresses: addresses.map((a) => addressView(a, showPii)),
    piiMasked: !showPii,
  };
}

// ---------------------------------------------------------------- writes

export type CustomerInput = {
  code?: string;
  name: string;
  kind: CustomerKind;
  usci?: string | null;
  status?: 'prospect' | 'active';
  creditLimitFen?: number;
  overdueFen?: number;
  paymentTermsDays?: number;
  creditRating?: CreditRating;
  regionCode?: string | null;
  salesOwnerId?: string | null;
  group?: string | null;
  minRemainingShelfLifeDays?: number | null;
  tags?: string[];
  note?: string | null;
};

async function checkCustomer(db: Db, input: Partial<CustomerInput>, exceptId: string | null): Promise<void> {
  if (input.usci) {
    if (!isValidUsci(input.usci))
      throw new DomainError(CustomerErrors.CUSTOMER_USCI_INVALID, { usci: input.usci }, [
        { field: 'usci', code: CustomerErrors.CUSTOMER_USCI_INVALID, params: { usci: input.usci } },
      ]);
    const [dup] = await db
      .select({ code: customers.code })
      .from(customers)
      .where(and(eq(customers.usci, input.usci), exceptId ? ne(customers.id, exceptId) : undefined));
    if (dup)
      throw new DomainError(CustomerErrors.CUSTOMER_USCI_TAKEN, { usci: input.usci, code: dup.code }, [
        { field: 'usci', code: CustomerErrors.CUSTOMER_USCI_TAKEN, params: { usci: input.usci, code: dup.code } },
      ]);
  }
  if (input.regionCode && !isRegionCode(input.regionCode))
    throw new DomainError(CustomerErrors.CUSTOMER_REGION_UNKNOWN, { code: input.regionCode }, [
      { field: 'regionCode', code: CustomerErrors.CUSTOMER_REGION_UNKNOWN, params: { code: input.regionCode } },
    ]);
  if (input.salesOwnerId) {
    const [u] = await db
      .select({ id: users.id })
      .from(users)
      .where(and(eq(users.id, input.salesOwnerId), isNull(users.disabledAt)));
    if (!u) throw new DomainError(CustomerErrors.CUSTOMER_SALES_OWNER_UNKNOWN, {}, [{ field: 'salesOwnerId', code: CustomerErrors.CUSTOMER_SALES_OWNER_UNKNOWN }]);
  }
  if (input.code) {
    const [dup] = await db
      .select({ id: customers.id })
      .from(customers)
      .where(and(eq(customers.code, input.code), exceptId ? ne(customers.id, exceptId) : undefined));
    if (dup)
      throw new DomainError(CustomerErrors.CUSTOMER_CODE_TAKEN, { code: input.code }, [{ field: 'code', code: CustomerErrors.CUSTOMER_CODE_TAKEN, params: { code: input.code } }]);
  }
}

const cleanTags = (tags: string[] | undefined): string[] => [...new Set((tags ?? []).map((t) => t.trim()).filter(Boolean))];

/** Creates a customer (a prospect unless created active); code CU20261127-0001 when not given. */
export async function createCustomer(db: Db, actor: Actor, input: CustomerInput): Promise<CustomerDetail> {
  const usci = input.usci?.trim().toUpperCase() || null;
  await checkCustomer(db, { ...input, usci, code: input.code?.trim() }, null);
  const status = input.status ?? 'prospect';
  if (status === 'active' && input.kind === 'company' && !usci)
    throw new DomainError(CustomerErrors.CUSTOMER_USCI_REQUIRED, {}, [{ field: 'usci', code: CustomerErrors.CUSTOMER_USCI_REQUIRED }]);
  const code = input.code?.trim() || (await nextDocNumber(db, 'CU', clock.now()));
  const name = sealedName(input.name.trim(), input.kind === 'individual');
  const [r] = await db
    .insert(customers)
    .values({
      code,
      name: name.name,
      nameEnc: name.enc,
      nameIdx: name.idx,
      kind: input.kind,
      usci,
      status,
      creditLimitFen: input.creditLimitFen ?? 0,
      overdueFen: input.overdueFen ?? 0,
      paymentTermsDays: input.paymentTermsDays ?? 0,
      creditRating: input.creditRating ?? 'B',
      regionCode: input.regionCode ?? null,
      salesOwnerId: input.salesOwnerId ?? null,
      customerGroup: input.group?.trim() || null,
      minRemainingShelfLifeDays: input.minRemainingShelfLifeDays ?? null,
      tags: cleanTags(input.tags),
      note: input.note ?? null,
    })
    .returning();
  await recordInitialState(db, actor, customerMachine, r!.id, status);
  const view = await getCustomerDetail(db, actor, r!.id);
  await recordAudit(db, actor, { action: 'customer.create', entity: 'customer', entityId: r!.id, after: summaryOf(r!, [], new Map()) });
  return view;
}

/** Edits a customer's master data (status changes go through changeCustomerStatus). */
export async function updateCustomer(db: Db, actor: Actor, id: string, patch: Partial<Omit<CustomerInput, 'status'>>): Promise<CustomerDetail> {
  const before = await loadRow(db, id);
  const usci = patch.usci === undefined ? undefined : patch.usci?.trim().toUpperCase() || null;
  await checkCustomer(db, { ...patch, usci, code: patch.code?.trim() }, id);
  if (usci === null && before.kind === 'company' && before.status !== 'prospect')
    throw new DomainError(CustomerErrors.CUSTOMER_USCI_REQUIRED, {}, [{ field: 'usci', code: CustomerErrors.CUSTOMER_USCI_REQUIRED }]);
  const kind = patch.kind ?? before.kind;
  // An individual's name is stored sealed (sealedName); a new name or a change of kind seals or unseals it again.
  const plainBefore = before.nameEnc ? openPii(before.nameEnc) : before.name;
  const newName = patch.name?.trim() ?? plainBefore;
  const name =
    (patch.name === undefined && kind === before.kind) || newName === null || newName === UNDECRYPTABLE
      ? { name: before.name, enc: before.nameEnc, idx: before.nameIdx }
      : sealedName(newName, kind === 'individual');
  const [after] = await db
    .update(customers)
    .set({
      code: patch.code?.trim() || before.code,
      name: name.name,
      nameEnc: name.enc,
      nameIdx: name.idx,
      kind,
      usci: usci === undefined ? before.usci : usci,
      creditLimitFen: patch.creditLimitFen ?? before.creditLimitFen,
      overdueFen: patch.overdueFen ?? before.overdueFen,
      paymentTermsDays: patch.paymentTermsDays ?? before.paymentTermsDays,
      creditRating: patch.creditRating ?? before.creditRating,
      regionCode: patch.regionCode === undefined ? before.regionCode : patch.regionCode,
      salesOwnerId: patch.salesOwnerId === undefined ? before.salesOwnerId : patch.salesOwnerId,
      customerGroup: patch.group === undefined ? before.customerGroup : patch.group?.trim() || null,
      minRemainingShelfLifeDays: patch.minRemainingShelfLifeDays === undefined ? before.minRemainingShelfLifeDays : patch.minRemainingShelfLifeDays,
      tags: patch.tags ? cleanTags(patch.tags) : before.tags,
      note: patch.note === undefined ? before.note : patch.note,
      updatedAt: clock.now(),
    })
    .where(eq(customers.id, id))
    .returning();
  await recordAudit(db, actor, { action: 'customer.update', entity: 'customer', entityId: id, before: summaryOf(before, [], new Map()), after: summaryOf(after!, [], new Map()) });
  return getCustomerDetail(db, actor, id);
}

/** Moves a customer through its lifecycle; suspension needs a reason, activation of a company needs its USCI. */
export async function changeCustomerStatus(db: Db, actor: Actor, id: string, event: CustomerEvent, reason: string | null): Promise<CustomerDetail> {
  const before = await loadRow(db, id);
  if (event === 'suspend' && !reason?.trim()) throw new DomainError(CustomerErrors.CUSTOMER_REASON_REQUIRED, {}, [{ field: 'reason', code: 'FIELD_REQUIRED' }]);
  const to = await transition(db, actor, customerMachine, {
    id,
    from: before.status,
    event,
    reason: reason?.trim() || null,
    guard: () => (event !== 'suspend' && before.kind === 'company' && !before.usci ? CustomerErrors.CUSTOMER_USCI_REQUIRED : null),
  });
  const updated = await db
    .update(customers)
    .set({ status: to, updatedAt: clock.now() })
    .where(and(eq(customers.id, id), eq(customers.status, before.status)))
    .returning({ id: customers.id });
  if (!updated.length) throw new DomainError('CONFLICT');
  await recordAudit(db, actor, { action: `customer.${event}`, entity: 'customer', entityId: id, before: { status: before.status }, after: { status: to, reason } });
  return getCustomerDetail(db, actor, id);
}

// ---------------------------------------------------------------- qualifications

export type QualificationInput = { type: QualificationType; number: string; issuedOn?: string | null; expiresOn?: string | null; fileId?: string | null };

async function checkFile(db: Db, customerId: string, fileId: string | null | undefined): Promise<void> {
  if (!fileId) return;
  const [f] = await db
    .select({ id: customerFiles.id })
    .from(customerFiles)
    .where(and(eq(customerFiles.id, fileId), eq(customerFiles.customerId, customerId)));
  if (!f) throw new DomainError(CustomerErrors.FILE_NOT_FOUND, {}, [{ field: 'fileId', code: CustomerErrors.FILE_NOT_FOUND }]);
}

function checkDates(issuedOn: string | null | undefined, expiresOn: string | null | undefined): void {
  if (issuedOn && expiresOn && expiresOn < issuedOn)
    throw new DomainError(CustomerErrors.QUALIFICATION_DATES_INVALID, {}, [{ field: 'expiresOn', code: CustomerErrors.QUALIFICATION_DATES_INVALID }]);
}

export async function addQualification(db: Db, actor: Actor, customerId: string, input: QualificationInput): Promise<Qualification> {
  await loadRow(db, customerId);
  checkDates(input.issuedOn, input.expiresOn);
  await checkFile(db, customerId, input.fileId);
  const [q] = await db
    .insert(customerQualifications)
    .values({ customerId, type: input.type, number: input.number.trim(), issuedOn: input.issuedOn ?? null, expiresOn: input.expiresOn ?? null, fileId: input.fileId ?? null })
    .returning();
  const view = qualView(q!, await getSetting(db, qualificationAlertDays));
  await recordAudit(db, actor, { action: 'customer.qualification.add', entity: 'customer', entityId: customerId, after: view });
  return view;
}

async function loadQual(db: Db, customerId: string, id: string): Promise<QualRow> {
  const [q] = await db
    .select()
    .from(customerQualifications)
    .where(and(eq(customerQualifications.id, id), eq(customerQualifications.customerId, customerId), isNull(customerQualifications.archivedAt)));
  if (!q) throw new DomainError(CustomerErrors.QUALIFICATION_NOT_FOUND);
  return q;
}

/** Edits a qualification; a renewed expiry date re-arms its alert. */
export async function updateQualification(db: Db, actor: Actor, customerId: string, id: string, patch: Partial<QualificationInput>): Promise<Qualification> {
  const before = await loadQual(db, customerId, id);
  const next = {
    type: patch.type ?? before.type,
    number: patch.number?.trim() ?? before.number,
    issuedOn: patch.issuedOn === undefined ? before.issuedOn : patch.issuedOn,
    expiresOn: patch.expiresOn === undefined ? before.expiresOn : patch.expiresOn,
    fileId: patch.fileId === undefined ? before.fileId : patch.fileId,
  };
  checkDates(next.issuedOn, next.expiresOn);
  await checkFile(db, customerId, next.fileId);
  const [q] = await db
    .update(customerQualifications)
    .set({ ...next, alertedFor: next.expiresOn === before.expiresOn ? before.alertedFor : null })
    .where(eq(customerQualifications.id, id))
    .returning();
  const alertDays = await getSetting(db, qualificationAlertDays);
  const view = qualView(q!, alertDays);
  await recordAudit(db, actor, { action: 'customer.qualification.update', entity: 'customer', entityId: customerId, before: qualView(before, alertDays), after: view });
  return view;
}

/** Removes a qualification from use; the row stays for the record. */
export async function archiveQualification(db: Db, actor: Actor, customerId: string, id: string): Promise<void> {
  const before = await loadQual(db, customerId, id);
  await db.update(customerQualifications).set({ archivedAt: clock.now() }).where(eq(customerQualifications.id, id));
  await recordAudit(db, actor, { action: 'customer.qualification.archive', entity: 'customer', entityId: customerId, before: qualView(before, 0) });
}

export type ExpiringQualification = Qualification & { customerId: string; customerCode: string; customerName: string; salesOwnerId: string | null; daysLeft: number };

/** Qualifications expiring within `withinDays` (default: the alert setting) or already expired. */
export async function expiringQualifications(db: Db, actor: Actor, f: { withinDays?: number; page: number; pageSize: number }): Promise<Page<ExpiringQualification>> {
  const alertDays = await getSetting(db, qualificationAlertDays);
  const until = addDays(today(), f.withinDays ?? alertDays);
  const scope = customerScope(actor);
  const where = and(isNull(customerQualifications.archivedAt), lte(customerQualifications.expiresOn, until), scope ? eq(customers.id, scope) : undefined);
  const [rows, total] = await Promise.all([
    db
      .select({ q: customerQualifications, c: customers })
      .from(customerQualifications)
      .innerJoin(customers, eq(customers.id, customerQualifications.customerId))
      .where(where)
      .orderBy(asc(customerQualifications.expiresOn), asc(customers.code))
      .limit(f.pageSize)
      .offset(offsetOf(f)),
    db.select({ n: count() }).from(customerQualifications).innerJoin(customers, eq(customers.id, customerQualifications.customerId)).where(where),
  ]);
  const t = new Date(`${today()}T00:00:00Z`).getTime();
  return {
    items: rows.map(({ q, c }) => ({
      ...qualView(q, f.withinDays ?? alertDays),
      customerId: c.id,
      customerCode: c.code,
      customerName: customerName(c, can(actor, 'pii:read')),
      salesOwnerId: c.salesOwnerId,
      daysLeft: Math.round((new Date(`${q.expiresOn}T00:00:00Z`).getTime() - t) / 86_400_000),
    })),
    total: total[0]?.n ?? 0,
    page: f.page,
    pageSize: f.pageSize,
  };
}

// ---------------------------------------------------------------- contacts and addresses

export type ContactInput = { name: string; title?: string | null; phone?: string | null; email?: string | null; isPrimary?: boolean };
export type AddressInput = { label: string; regionCode: string; address: string; receiver: string; phone: string; isDefault?: boolean };

async function loadContact(db: Db, customerId: string, id: string): Promise<ContactRow> {
  const [c] = await db
    .select()
    .from(customerContacts)
    .where(and(eq(customerContacts.id, id), eq(customerContacts.customerId, customerId), isNull(customerContacts.archivedAt)));
  if (!c) throw new DomainError(CustomerErrors.CONTACT_NOT_FOUND);
  return c;
}

async function loadAddress(db: Db, customerId: string, id: string): Promise<AddressRow> {
  const [a] = await db
    .select()
    .from(customerAddresses)
    .where(and(eq(customerAddresses.id, id), eq(customerAddresses.customerId, customerId), isNull(customerAddresses.archivedAt)));
  if (!a) throw new DomainError(CustomerErrors.ADDRESS_NOT_FOUND);
  return a;
}

const enc = (v: string | null | undefined): string | null => (v ? pii().encrypt(v.trim()) : null);
const idx = (v: string | null | undefined): string | null => (v ? pii().blindIndex(v) : null);

/** Adds a contact; name, phone and e-mail are encrypted; the audit keeps only masked values. */
export async function addContact(db: Db, actor: Actor, customerId: string, input: ContactInput): Promise<ContactView> {
  await loadRow(db, customerId);
  if (input.isPrimary) await db.update(customerContacts).set({ isPrimary: false }).where(eq(customerContacts.customerId, customerId));
  const [c] = await db
    .insert(customerContacts)
    .values({
      customerId,
      nameEnc: enc(input.name)!,
      title: input.title ?? null,
      phoneEnc: enc(input.phone),
      phoneIdx: idx(input.phone),
      emailEnc: enc(input.email),
      isPrimary: input.isPrimary ?? false,
    })
    .returning();
  await recordAudit(db, actor, { action: 'customer.contact.add', entity: 'customer', entityId: customerId, after: contactView(c!, false) });
  return contactView(c!, can(actor, 'pii:read'));
}

export async function updateContact(db: Db, actor: Actor, customerId: string, id: string, patch: Partial<ContactInput>): Promise<ContactView> {
  const before = await loadContact(db, customerId, id);
  if (patch.isPrimary) await db.update(customerContacts).set({ isPrimary: false }).where(eq(customerContacts.customerId, customerId));
  const [c] = await db
    .update(customerContacts)
    .set({
      ...(patch.name !== undefined ? { nameEnc: enc(patch.name)! } : {}),
      ...(patch.phone !== undefined ? { phoneEnc: enc(patch.phone), phoneIdx: idx(patch.phone) } : {}),
      ...(patch.email !== undefined ? { emailEnc: enc(patch.email) } : {}),
      title: patch.title === undefined ? before.title : patch.title,
      isPrimary: patch.isPrimary ?? before.isPrimary,
    })
    .where(eq(customerContacts.id, id))
    .returning();
  await recordAudit(db, actor, { action: 'customer.contact.update', entity: 'customer', entityId: customerId, before: contactView(before, false), after: contactView(c!, false) });
  return contactView(c!, can(actor, 'pii:read'));
}

export async function archiveContact(db: Db, actor: Actor, customerId: string, id: string): Promise<void> {
  const before = await loadContact(db, customerId, id);
  await db.update(customerContacts).set({ archivedAt: clock.now(), isPrimary: false }).where(eq(customerContacts.id, id));
  await recordAudit(db, actor, { action: 'customer.contact.archive', entity: 'customer', entityId: customerId, before: contactView(before, false) });
}

function checkAddressRegion(regionCode: string): void {
  if (!isRegionCode(regionCode))
    throw new DomainError(CustomerErrors.CUSTOMER_REGION_UNKNOWN, { code: regionCode }, [
      { field: 'regionCode', code: CustomerErrors.CUSTOMER_REGION_UNKNOWN, params: { code: regionCode } },
    ]);
}

/** Adds a delivery address; street, receiver and phone are encrypted. */
export async function addAddress(db: Db, actor: Actor, customerId: string, input: AddressInput): Promise<AddressView> {
  await loadRow(db, customerId);
  checkAddressRegion(input.regionCode);
  if (input.isDefault) await db.update(customerAddresses).set({ isDefault: false }).where(eq(customerAddresses.customerId, customerId));
  const [a] = await db
    .insert(customerAddresses)
    .values({
      customerId,
      label: input.label.trim(),
      regionCode: input.regionCode,
      addressEnc: enc(input.address)!,
      receiverEnc: enc(input.receiver)!,
      phoneEnc: enc(input.phone)!,
      phoneIdx: idx(input.phone)!,
      isDefault: input.isDefault ?? false,
    })
    .returning();
  await recordAudit(db, actor, { action: 'customer.address.add', entity: 'customer', entityId: customerId, after: addressView(a!, false) });
  return addressView(a!, can(actor, 'pii:read'));
}

export async function updateAddress(db: Db, actor: Actor, customerId: string, id: string, patch: Partial<AddressInput>): Promise<AddressView> {
  const before = await loadAddress(db, customerId, id);
  if (patch.regionCode) checkAddressRegion(patch.regionCode);
  if (patch.isDefault) await db.update(customerAddresses).set({ isDefault: false }).where(eq(customerAddresses.customerId, customerId));
  const [a] = await db
    .update(customerAddresses)
    .set({
      label: patch.label?.trim() ?? before.label,
      regionCode: patch.regionCode ?? before.regionCode,
      ...(patch.address !== undefined ? { addressEnc: enc(patch.address)! } : {}),
      ...(patch.receiver !== undefined ? { receiverEnc: enc(patch.receiver)! } : {}),
      ...(patch.phone !== undefined ? { phoneEnc: enc(patch.phone)!, phoneIdx: idx(patch.phone)! } : {}),
      isDefault: patch.isDefault ?? before.isDefault,
    })
    .where(eq(customerAddresses.id, id))
    .returning();
  await recordAudit(db, actor, { action: 'customer.address.update', entity: 'customer', entityId: customerId, before: addressView(before, false), after: addressView(a!, false) });
  return addressView(a!, can(actor, 'pii:read'));
}

export async function archiveAddress(db: Db, actor: Actor, customerId: string, id: string): Promise<void> {
  const before = await loadAddress(db, customerId, id);
  await db.update(customerAddresses).set({ archivedAt: clock.now(), isDefault: false }).where(eq(customerAddresses.id, id));
  await recordAudit(db, actor, { action: 'customer.address.archive', entity: 'customer', entityId: customerId, before: addressView(before, false) });
}

// ---------------------------------------------------------------- files

const ALLOWED_TYPES = new Set(['application/pdf', 'image/jpeg', 'image/png']);

/** Stores an uploaded qualification scan (PDF/JPG/PNG). */
export async function uploadCustomerFile(
  db: Db,
  actor: Actor,
  customerId: string,
  file: { filename: string; contentType: string; data: Buffer },
): Promise<{ id: string; filename: string; size: number }> {
  await loadRow(db, customerId);
  if (!ALLOWED_TYPES.has(file.contentType)) throw new DomainError(CustomerErrors.FILE_TYPE_NOT_ALLOWED);
  if (!file.data.length) throw new DomainError(CustomerErrors.FILE_REQUIRED, {}, [{ field: 'file', code: 'FIELD_REQUIRED' }]);
  const sha256 = crypto.createHash('sha256').update(file.data).digest('hex');
  const [f] = await db
    .insert(customerFiles)
    .values({ customerId, filename: file.filename.slice(0, 200), contentType: file.contentType, size: file.data.length, sha256, data: file.data, uploadedBy: actor.username })
    .returning({ id: customerFiles.id, filename: customerFiles.filename, size: customerFiles.size });
  await recordAudit(db, actor, {
    action: 'customer.file.upload',
    entity: 'customer',
    entityId: customerId,
    after: { fileId: f!.id, filename: f!.filename, size: f!.size, sha256 },
  });
  return f!;
}

export async function getCustomerFile(db: Db, actor: Actor, customerId: string, fileId: string): Promise<{ filename: string; contentType: string; data: Buffer }> {
  assertInScope(actor, customerId);
  const [f] = await db
    .select()
    .from(customerFiles)
    .where(and(eq(customerFiles.id, fileId), eq(customerFiles.customerId, customerId)));
  if (!f) throw new DomainError(CustomerErrors.FILE_NOT_FOUND);
  return { filename: f.filename, contentType: f.contentType, data: f.data };
}

// ---------------------------------------------------------------- alerts

/**
 * Notifies sales owners and managers once per expiry date of each qualification inside the alert window; claim (the
 * job's claimEffect) lets only one of two overlapping runs send a qualification's reminder of the day.
 */
export async function runQualificationAlerts(
  db: Db,
  notify: (db: Db, n: { userIds?: string[]; roles?: string[]; title: { zh: string; en: string }; body: { zh: string; en: string }; link: string }) => Promise<unknown>,
  claim?: (subject: string, periodKey: string) => Promise<boolean>,
): Promise<number> {
  const alertDays = await getSetting(db, qualificationAlertDays);
  const t = today();
  const until = addDays(t, alertDays);
  const rows = await db
    .select({ q: customerQualifications, c: customers })
    .from(customerQualifications)
    .innerJoin(customers, eq(customers.id, customerQualifications.customerId))
    .where(
      and(
        isNull(customerQualifications.archivedAt),
        lte(customerQualifications.expiresOn, until),
        or(isNull(customerQualifications.alertedFor), sql`${customerQualifications.alertedFor} <> ${customerQualifications.expiresOn}`),
      ),
    )
    .limit(500);
  const TYPE_NAMES: Record<QualificationType, { zh: string; en: string }> = {
    business_licence: { zh: '营业执照', en: 'business licence' },
    food_permit: { zh: '食品经营许可证', en: 'food permit' },
    other: { zh: '资质证照', en: 'qualification' },
  };
  let sent = 0;
  for (const { q, c } of rows) {
    if (claim && !(await claim(`qualification:${q.id}:${q.expiresOn}`, t))) continue;
    sent += 1;
    const type = TYPE_NAMES[q.type];
    const expired = q.expiresOn! < t;
    await notify(db, {
      userIds: c.salesOwnerId ? [c.salesOwnerId] : [],
      roles: ['manager'],
      title: expired
        ? { zh: `客户资质已过期:${c.name}`, en: `Customer qualification expired: ${c.name}` }
        : { zh: `客户资质即将到期:${c.name}`, en: `Customer qualification expiring: ${c.name}` },
      body: {
        zh: `${c.name}(${c.code})的${type.zh} ${q.number} ${expired ? '已于' : '将于'} ${q.expiresOn} 到期,请联系客户更新。`,
        en: `The ${type.en} ${q.number} of ${c.name} (${c.code}) ${expired ? 'expired' : 'expires'} on ${q.expiresOn}; ask the customer for a renewal.`,
      },
      link: `/customers/${c.id}`,
    });
    await db.update(customerQualifications).set({ alertedFor: q.expiresOn }).where(eq(customerQualifications.id, q.id));
  }
  return sent;
}
