import { and, count, desc, eq, gte, lte, sql, type SQL } from 'drizzle-orm';
import { can, customerScope, type Actor } from '../../platform/auth/actor.js';
import { recordAudit } from '../../platform/audit/audit.service.js';
import { clock } from '../../platform/clock.js';
import { openPii, pii, sealedName, shown } from '../../platform/crypto/pii.js';
import type { Db } from '../../platform/db/client.js';
import { nextDocNumber } from '../../platform/docnum.js';
import { DomainError, type FieldIssue } from '../../platform/errors/domain-error.js';
import { offsetOf, orderByOf, type Page } from '../../platform/http/list.js';
import { users } from '../../platform/platform.tables.js';
import { recordInitialState, transition } from '../../platform/state-machine.js';
import { getCustomer, getProducts } from './deps.js';
import { OrderErrors } from './orders.errors.js';
import { createOrder, type OrderDetail } from './orders.service.js';
import { inquiryMachine } from './orders.states.js';
import { INQUIRY_CHANNELS, inquiries, type InquiryChannel, type InquiryNeed, type InquiryStatus } from './orders.tables.js';

export type InquiryInput = {
  channel: InquiryChannel;
  customerId?: string | null;
  prospectName?: string | null;
  prospectPhone?: string | null;
  needs: Partial<InquiryNeed>[];
  notes?: string | null;
  ownerId?: string | null;
  receivedAt?: Date | null;
};

export type InquiryView = {
  id: string;
  number: string;
  channel: InquiryChannel;
  customerId: string | null;
  customerName: string | null;
  prospectName: string | null;
  prospectPhone: string | null;
  needs: InquiryNeed[];
  notes: string | null;
  ownerId: string | null;
  ownerName: string | null;
  status: InquiryStatus;
  lostReason: string | null;
  orderId: string | null;
  receivedAt: Date;
  closedAt: Date | null;
  createdAt: Date;
};

type Row = typeof inquiries.$inferSelect;

async function view(db: Db, actor: Actor, r: Row, ownerName?: string | null): Promise<InquiryView> {
  const showPii = can(actor, 'pii:read');
  const customer = r.customerId ? await getCustomer(db, r.customerId) : null;
  let owner = ownerName;
  if (owner === undefined && r.ownerId) {
    const [u] = await db.select({ n: users.displayName }).from(users).where(eq(users.id, r.ownerId));
    owner = u?.n ?? null;
  }
  return {
    id: r.id,
    number: r.number,
    channel: r.channel,
    customerId: r.customerId,
    customerName: customer ? (showPii && customer.nameEnc ? (openPii(customer.nameEnc) ?? customer.name) : customer.name) : null,
    // The prospect's name is stored masked (prospect_name) beside its ciphertext; a value the key cannot open reads as UNDECRYPTABLE.
    prospectName: showPii && r.prospectNameEnc ? openPii(r.prospectNameEnc) : r.prospectName,
    prospectPhone: shown(openPii(r.prospectPhoneEnc), showPii, 'phone'),
    needs: r.needs,
    notes: r.notes,
    ownerId: r.ownerId,
    ownerName: owner ?? null,
    status: r.status,
    lostReason: r.lostReason,
    orderId: r.orderId,
    receivedAt: r.receivedAt,
    closedAt: r.closedAt,
    createdAt: r.createdAt,
  };
}

function normNeed(n: Partial<InquiryNeed>): InquiryNeed {
  return {
    productId: n.productId ?? null,
    description: n.description?.trim() ?? '',
    spec: n.spec?.trim() || null,
    quantity: n.quantity?.trim() || null,
    unit: n.unit?.trim() || null,
    deliveryDate: n.deliveryDate || null,
    deliveryPlace: n.deliveryPlace?.trim() || null,
  };
}

async function check(db: Db, input: Partial<InquiryInput>, issues: FieldIssue[]): Promise<void> {
  if (input.customerId && !(await getCustomer(db, input.customerId))) issues.push({ field: 'customerId', code: OrderErrors.ORDER_CUSTOMER_UNKNOWN });
  if (input.needs) {
    const ids = input.needs.map((n) => n.productId).filter((x): x is string => !!x);
    const products = ids.length ? await getProducts(db, ids) : new Map();
    input.needs.forEach((n, i) => {
      if (n.productId && !products.has(n.productId)) issues.push({ field: `needs.${i}.productId`, code: OrderErrors.ORDER_PRODUCT_UNKNOWN });
      if (!n.productId && !n.description?.trim()) issues.push({ field: `needs.${i}.description`, code: OrderErrors.ORDER_PRODUCT_OR_DESCRIPTION });
    });
  }
  if (input.ownerId) {
    const [u] = await db.select({ id: users.id }).from(users).where(eq(users.id, input.ownerId));
    if (!u) issues.push({ field: 'ownerId', code: OrderErrors.ORDER_OWNER_UNKNOWN });
  }
}

function throwIssues(issues: FieldIssue[]): void {
  if (issues.length) throw new DomainError(issues.length > 1 ? 'VALIDATION_FAILED' : issues[0]!.code, issues[0]!.params ?? {}, issues);
}

/** Records an inquiry from any channel, for a customer or a prospect (the prospect's phone is encrypted). */
export async function createInquiry(db: Db, actor: Actor, input: InquiryInput): Promise<InquiryView> {
  const issues: FieldIssue[] = [];
  if (!input.customerId && !input.prospectName?.trim()) issues.push({ field: 'prospectName', code: OrderErrors.INQUIRY_CUSTOMER_OR_PROSPECT });
  await check(db, input, issues);
  throwIssues(issues);
  const now = clock.now();
  const phone = input.prospectPhone?.trim() || null;
  const name = input.prospectName?.trim() ? sealedName(input.prospectName.trim(), true) : null;
  const [row] = await db
    .insert(inquiries)
    .values({
      number: await nextDocNumber(db, 'IQ', now),
      channel: input.channel,
      customerId: input.customerId ?? null,
      prospectName: name?.name ?? null,
      prospectNameEnc: name?.enc ?? null,
      prospectNameIdx: name?.idx ?? null,
      prospectPhoneEnc: phone ? pii().encrypt(phone) : null,
      prospectPhoneIdx: phone ? pii().blindIndex(phone) : null,
      needs: input.needs.map(normNeed),
      notes: input.notes?.trim() || null,
      ownerId: input.ownerId ?? actor.userId,
      receivedAt: input.receivedAt ?? now,
      createdAt: now,
      updatedAt: now,
    })
    .returning();
  await recordInitialState(db, actor, inquiryMachine, row!.id);
  await recordAudit(db, actor, {
    action: 'inquiry.create',
    entity: 'inquiry',
    entityId: row!.id,
    after: { number: row!.number, channel: row!.channel, customerId: row!.customerId },
  });
  return view(db, actor, row!);
}

async function load(db: Db, id: string, lock = false): Promise<Row> {
  const q = db.select().from(inquiries).where(eq(inquiries.id, id));
  const [r] = lock ? await q.for('update') : await q;
  if (!r) throw new DomainError(OrderErrors.INQUIRY_NOT_FOUND);
  return r;
}

export async function getInquiry(db: Db, actor: Actor, id: string): Promise<InquiryView> {
  return view(db, actor, await load(db, id));
}

/** Edits an open or quoted inquiry (customer, prospect, needs, notes, owner). */
export async function updateInquiry(db: Db, actor: Actor, id: string, input: Partial<InquiryInput>): Promise<InquiryView> {
  const before = await load(db, id, true);
  if (before.status !== 'open' && before.status !== 'quoted') throw new DomainError(OrderErrors.INQUIRY_CLOSED, { status: before.status });
  const issues: FieldIssue[] = [];
  await check(db, input, issues);
  const customerId = input.customerId === undefined ? before.customerId : input.customerId;
  const prospectName = input.prospectName === undefined ? before.prospectName : input.prospectName?.trim() || null;
  const name = input.prospectName === undefined ? undefined : prospectName ? sealedName(prospectName, true) : null;
  if (!customerId && !prospectName) issues.push({ field: 'prospectName', code: OrderErrors.INQUIRY_CUSTOMER_OR_PROSPECT });
  throwIssues(issues);
  const phone = input.prospectPhone === undefined ? undefined : input.prospectPhone?.trim() || null;
  const [row] = await db
    .update(inquiries)
    .set({
      channel: input.channel ?? before.channel,
      customerId,
      ...(name !== undefined ? { prospectName: name?.name ?? null, prospectNameEnc: name?.enc ?? null, prospectNameIdx: name?.idx ?? null } : {}),
      ...(phone !== undefined ? { prospectPhoneEnc: phone ? pii().encrypt(phone) : null, prospectPhoneIdx: phone ? pii().blindIndex(phone) : null } : {}),
      needs: input.needs ? input.needs.map(normNeed) : before.needs,
      notes: input.notes === undefined ? before.notes : input.notes?.trim() || null,
      ownerId: input.ownerId === undefined ? before.ownerId : input.ownerId,
      updatedAt: clock.now(),
    })
    .where(eq(inquiries.id, id))
    .returning();
  await recordAudit(db, actor, {
    action: 'inquiry.update',
    entity: 'inquiry',
    entityId: id,
    before: { customerId: before.customerId, needs: before.needs },
    after: { customerId, needs: row!.needs },
  });
  return view(db, actor, row!);
}

/** Marks an inquiry quoted. */
export async function quoteInquiry(db: Db, actor: Actor, id: string, note?: string | null): Promise<InquiryView> {
  const r = await load(db, id, true);
  await transition(db, actor, inquiryMachine, { id, from: r.status, event: 'quote', reason: note ?? null });
  const [row] = await db.update(inquiries).set({ status: 'quoted', updatedAt: clock.now() }).where(eq(inquiries.id, id)).returning();
  await recordAudit(db, actor, { action: 'inquiry.quote', entity: 'inquiry', entityId: id });
  return view(db, actor, row!);
}

/** Closes an inquiry as lost, with the reason. */
export async function loseInquiry(db: Db, actor: Actor, id: string, reason: string): Promise<InquiryView> {
  const why = reason?.trim();
  if (!why) throw new DomainError(OrderErrors.ORDER_REASON_REQUIRED, {}, [{ field: 'reason', code: 'FIELD_REQUIRED' }]);
  const r = await load(db, id, true);
  await transition(db, actor, inquiryMachine, { id, from: r.status, event: 'lose', reason: why });
  const now = clock.now();
  const [row] = await db.update(inquiries).set({ status: 'lost', lostReason: why, closedAt: now, updatedAt: now }).where(eq(inquiries.id, id)).returning();
  await recordAudit(db, actor, { action: 'inquiry.lose', entity: 'inquiry', entityId: id, after: { reason: why } });
  return view(db, actor, row!);
}

/** One step from an inquiry to a draft order: customer, needs (as lines), delivery date and place carried over. */
export async function convertInquiry(db: Db, actor: Actor, id: string, extra: { addressId?: string | null; contactId?: string | null } = {}): Promise<OrderDetail> {
  const r = await load(db, id, true);
  if (!r.customerId) throw new DomainError(OrderErrors.INQUIRY_NEEDS_CUSTOMER, {}, [{ field: 'customerId', code: OrderErrors.INQUIRY_NEEDS_CUSTOMER }]);
  await transition(db, actor, inquiryMachine, { id, from: r.status, event: 'convert' });
  const dates = r.needs.map((n) => n.deliveryDate).filter((x): x is string => !!x);
  const places = [...new Set(r.needs.map((n) => n.deliveryPlace).filter((x): x is string => !!x))];
  const order = await createOrder(
    db,
    actor,
    {
      customerId: r.customerId,
      addressId: extra.addressId ?? null,
      contactId: extra.contactId ?? null,
      deliveryDate: dates.length ? dates.sort()[0]! : null,
      channel: r.channel,
      salesOwnerId: r.ownerId,
      notes: [r.notes, places.length ? `送货地点 / Delivery place: ${places.join('; ')}` : null, `${r.number}`].filter(Boolean).join('\n'),
      lines: r.needs.map((n) => ({
        productId: n.productId,
        description: n.productId ? null : n.description || '?',
        spec: n.spec,
        quantity: n.quantity ?? '0',
        unit: n.unit ?? 'kg',
      })),
    },
    { inquiryId: r.id },
  );
  const now = clock.now();
  await db.update(inquiries).set({ status: 'converted', orderId: order.id, closedAt: now, updatedAt: now }).where(eq(inquiries.id, id));
  await recordAudit(db, actor, { action: 'inquiry.convert', entity: 'inquiry', entityId: id, after: { orderId: order.id, orderNumber: order.number } });
  return order;
}

export type InquiryFilter = {
  q?: string;
  status?: string;
  channel?: string;
  customerId?: string;
  ownerId?: string;
  from?: string;
  to?: string;
  page: number;
  pageSize: number;
  sort?: string;
};

function where(actor: Actor, f: Omit<InquiryFilter, 'page' | 'pageSize' | 'sort'>): SQL | undefined {
  const conds: SQL[] = [];
  const scope = customerScope(actor);
  if (scope) conds.push(eq(inquiries.customerId, scope));
  if (f.q)
    conds.push(
      // The blind indexes (full name, phone) only for roles with pii:read, who may see them: for the others a hit would confirm a value.
      can(actor, 'pii:read')
        ? sql`(${inquiries.number} ilike ${f.q + '%'} or ${inquiries.prospectName} ilike ${'%' + f.q + '%'} or ${inquiries.prospectNameIdx} = ${pii().blindIndex(f.q)} or ${inquiries.prospectPhoneIdx} = ${pii().blindIndex(f.q)} or ${inquiries.needs}::text ilike ${'%' + f.q + '%'})`
        : sql`(${inquiries.number} ilike ${f.q + '%'} or ${inquiries.prospectName} ilike ${'%' + f.q + '%'} or ${inquiries.needs}::text ilike ${'%' + f.q + '%'})`,
    );
  if (f.status)
    conds.push(
      sql`${inquiries.status} = any(${sql.raw(
        `ARRAY[${f.status
          .split(',')
          .map((s) => `'${s.replace(/[^a-z_]/g, '')}'`)
          .join(',')}]::text[]`,
      )})`,
    );
  if (f.channel) conds.push(eq(inquiries.channel, f.channel as InquiryChannel));
  if (f.customerId) conds.push(eq(inquiries.customerId, f.customerId));
  if (f.ownerId) conds.push(eq(inquiries.ownerId, f.ownerId));
  if (f.from) conds.push(gte(inquiries.receivedAt, new Date(`${f.from}T00:00:00+08:00`)));
  if (f.to) conds.push(lte(inquiries.receivedAt, new Date(`${f.to}T23:59:59.999+08:00`)));
  return conds.length ? and(...conds) : undefined;
}

export async function listInquiries(db: Db, actor: Actor, f: InquiryFilter): Promise<Page<InquiryView>> {
  const w = where(actor, f);
  const order = orderByOf(f.sort, { number: inquiries.number, receivedAt: inquiries.receivedAt, status: inquiries.status, channel: inquiries.channel }, [
    desc(inquiries.receivedAt),
    desc(inquiries.id),
  ]);
  const [rows, total] = await Promise.all([
    db
      .select({ r: inquiries, owner: users.displayName })
      .from(inquiries)
      .leftJoin(users, eq(users.id, inquiries.ownerId))
      .where(w)
      .orderBy(...order)
      .limit(f.pageSize)
      .offset(offsetOf(f)),
    db.select({ n: count() }).from(inquiries).where(w),
  ]);
  const items: InquiryView[] = [];
  for (const x of rows) items.push(await view(db, actor, x.r, x.owner));
  return { items, total: total[0]?.n ?? 0, page: f.page, pageSize: f.pageSize };
}

export type ConversionRow = { key: string; label: string; total: number; open: number; quoted: number; converted: number; lost: number; ratePercent: number };

/** Inquiry → order conversion by channel and by owner (rate = converted / closed-or-open total). */
export async function conversionReport(
  db: Db,
  actor: Actor,
  f: { from?: string; to?: string; channel?: string; ownerId?: string },
): Promise<{ byChannel: ConversionRow[]; byOwner: ConversionRow[]; total: ConversionRow }> {
  const w = where(actor, f);
  const rows = await db
    .select({ channel: inquiries.channel, ownerId: inquiries.ownerId, owner: users.displayName, status: inquiries.status, n: count() })
    .from(inquiries)
    .leftJoin(users, eq(users.id, inquiries.ownerId))
    .where(w)
    .groupBy(inquiries.channel, inquiries.ownerId, users.displayName, inquiries.status);
  const fold = (key: string, label: string, part: typeof rows): ConversionRow => {
    const c = (s: InquiryStatus) => part.filter((r) => r.status === s).reduce((a, r) => a + r.n, 0);
    const total = part.reduce((a, r) => a + r.n, 0);
    const converted = c('converted');
    return { key, label, total, open: c('open'), quoted: c('quoted'), converted, lost: c('lost'), ratePercent: total ? Math.round((converted * 1000) / total) / 10 : 0 };
  };
  const byChannel = INQUIRY_CHANNELS.map((ch) =>
    fold(
      ch,
      ch,
      rows.filter((r) => r.channel === ch),
    ),
  ).filter((r) => r.total > 0);
  const owners = [...new Map(rows.map((r) => [r.ownerId ?? '', r.owner ?? '—'])).entries()];
  const byOwner = owners.map(([id, name]) =>
    fold(
      id,
      name,
      rows.filter((r) => (r.ownerId ?? '') === id),
    ),
  );
  return { byChannel, byOwner, total: fold('all', 'all', rows) };
}
