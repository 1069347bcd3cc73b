import { and, asc, count, desc, eq, gte, inArray, lte, ne, sql, type SQL } from 'drizzle-orm';
import { SYSTEM_ACTOR, assertInScope, customerScope, type Actor } from '../../platform/auth/actor.js';
import { addWorkingDaysMany, type WorkingDayResult } from '../../platform/calendar/calendar.service.js';
import { businessDate, clock } from '../../platform/clock.js';
import { inTransaction, isTransaction, outsideTransaction, queryRows, type Db } from '../../platform/db/client.js';
import { alias } from 'drizzle-orm/pg-core';
import { newId } from '../../platform/db/columns.js';
import { nextDocNumber } from '../../platform/docnum.js';
import { DomainError, type FieldIssue } from '../../platform/errors/domain-error.js';
import { keyedQueue } from '../../platform/keyed-queue.js';
import { offsetOf, orderByOf, type Page } from '../../platform/http/list.js';
import { users } from '../../platform/platform.tables.js';
import { Q, fmtQty, qty } from '../../platform/quantity.js';
import { canTransition, historyOf } from '../../platform/state-machine.js';
import { customerExposure, holdCreditLock, knownExposure, type Exposure } from './orders.exposure.js';
import {
  advancePlan,
  amendPlan,
  approvePlan,
  autoApprovePlan,
  cancelPlan,
  createPlan,
  placePlan,
  rejectPlan,
  reReservePlan,
  reservationFailedPlan,
  sendToReviewPlan,
  submitPlan,
  type AdvanceEvent,
  type NewOrder,
  type OrderPlan,
  type ReserveLine,
} from './orders.plan.js';
import { ONE_STATEMENT_MAX_LINES, applyOrderPlan, placeInOneStatement, readForStraightThrough, type Applied, type OrderReads } from './orders.writer.js';
import {
  availableQuantity,
  convertQuantity,
  effectivePrice,
  effectivePrices,
  getCustomer,
  getCustomerAddress,
  getCustomerContact,
  getOrderParties,
  getProducts,
  getProductsForPricing,
  availableQuantities,
  listProductIds,
  searchCustomers,
  type CustomerInfo,
  type ProductInfo,
} from './deps.js';
import { OrderErrors } from './orders.errors.js';
import { loadReviewSettings } from './orders.settings.js';
import { AMENDABLE, OPEN_APPROVED, orderMachine } from './orders.states.js';
import { orderLines, orderReviewResults, orderReviewRuns, orders, type Channel, type OrderQuestion, type OrderStatus, type ReviewOutcome } from './orders.tables.js';
import { AFFECTED_BY, RULES, allPass, runRules, type ReviewContext, type RuleName, type RuleResult } from './review.rules.js';

// ---------------------------------------------------------------- types

export type OrderLineInput = {
  productId?: string | null;
  description?: string | null;
  spec?: string | null;
  quantity: string;
  unit: string;
  unitPriceFen?: number | null;
  priceOverrideReason?: string | null;
};

export type OrderInput = {
  customerId: string;
  contactId?: string | null;
  addressId?: string | null;
  deliveryDate?: string | null;
  deliveryDateTo?: string | null;
  coldChain?: boolean | null;
  paymentTermsDays?: number | null;
  notes?: string | null;
  channel?: Channel;
  salesOwnerId?: string | null;
  lines: OrderLineInput[];
};

export type AmendInput = Partial<Omit<OrderInput, 'customerId' | 'channel'>> & { version?: number; reason?: string | null };

export type CreateOptions = {
  inquiryId?: string | null;
  importKey?: string | null;
  /** A number taken already (by placeOrder()'s straight-through attempt); otherwise createOrder() takes one. */
  number?: string | null;
};

export type OrderLineView = {
  id: string;
  lineNo: number;
  productId: string | null;
  productCode: string | null;
  productName: string | null;
  description: string | null;
  spec: string | null;
  quantity: string;
  unit: string;
  baseQuantity: string | null;
  baseUnit: string | null;
  unitPriceFen: number | null;
  listPriceFen: number | null;
  floorPriceFen: number | null;
  priceOverrideReason: string | null;
  amountFen: number;
};

export type OrderView = {
  id: string;
  number: string;
  customerId: string;
  customerCode: string;
  customerName: string;
  contactId: string | null;
  addressId: string | null;
  deliveryRegion: string | null;
  deliveryDate: string | null;
  deliveryDateTo: string | null;
  coldChain: boolean;
  paymentTermsDays: number;
  notes: string | null;
  channel: Channel;
  salesOwnerId: string | null;
  salesOwnerName: string | null;
  inquiryId: string | null;
  status: OrderStatus;
  statusReason: string | null;
  totalFen: number;
  questions: OrderQuestion[];
  version: number;
  createdAt: Date;
  updatedAt: Date;
  submittedAt: Date | null;
  approvedAt: Date | null;
};

export type ReviewResultView = { rule: string; outcome: ReviewOutcome; code: string; details: Record<string, unknown>; rerun: boolean };
export type ReviewRunView = { id: string; trigger: string; outcome: string; actorName: string; at: Date; results: ReviewResultView[] };
export type TimelineEntry =
  | { kind: 'state'; at: Date; from: string | null; to: string; event: string; actorName: string; reason: string | null }
  | { kind: 'review'; at: Date; runId: string; trigger: string; outcome: string; actorName: string; results: ReviewResultView[] };

export type OrderDetail = OrderView & {
  lines: OrderLineView[];
  address: { id: string; label: string; regionCode: string; address: string; receiver: string; phone: string } | null;
  contact: { id: string; name: string; phone: string | null } | null;
  review: ReviewRunView | null;
  timeline: TimelineEntry[];
};

type OrderRow = typeof orders.$inferSelect;
type LineRow = typeof orderLines.$inferSelect;

// ---------------------------------------------------------------- helpers

const fail = (code: string, fields: FieldIssue[], params: Record<string, unknown> = {}): DomainError =>
  new DomainError(fields.length > 1 ? 'VALIDATION_FAILED' : code, params, fields);

function amountOf(quantity: string, unitPriceFen: number | null): number {
  if (unitPriceFen === null) return 0;
  return new Q(quantity).mul(unitPriceFen).toDecimalPlaces(0, Q.ROUND_HALF_UP).toNumber();
}

async function ownerName(db: Db, id: string | null): Promise<string | null> {
  if (!id) return null;
  const [u] = await db.select({ n: users.displayName }).from(users).where(eq(users.id, id));
  return u?.n ?? null;
}

function toView(o: OrderRow, salesOwnerName: string | null): OrderView {
  return {
    id: o.id,
    number: o.number,
    customerId: o.customerId,
    customerCode: o.customerCode,
    customerName: o.customerName,
    contactId: o.contactId,
    addressId: o.addressId,
    deliveryRegion: o.deliveryRegion,
    deliveryDate: o.deliveryDate,
    deliveryDateTo: o.deliveryDateTo,
    coldChain: o.coldChain,
    paymentTermsDays: o.paymentTermsDays,
    notes: o.notes,
    channel: o.channel,
    salesOwnerId: o.salesOwnerId,
    salesOwnerName,
    inquiryId: o.inquiryId,
    status: o.status,
    statusReason: o.statusReason,
    totalFen: o.totalFen,
    questions: o.questions,
    version: o.version,
    createdAt: o.createdAt,
    updatedAt: o.updatedAt,
    submittedAt: o.submittedAt,
    approvedAt: o.approvedAt,
  };
}

async function loadRow(db: Db, actor: Actor, id: string, lock = false): Promise<OrderRow> {
  const q = db.select().from(orders).where(eq(orders.id, id));
  const [o] = lock ? await q.for('update') : await q;
  if (!o) throw new DomainError(OrderErrors.ORDER_NOT_FOUND);
  assertInScope(actor, o.customerId);
  return o;
}

async function loadLines(db: Db, orderId: string): Promise<LineRow[]> {
  return db.select().from(orderLines).where(eq(orderLines.orderId, orderId)).orderBy(asc(orderLines.lineNo));
}

async function requireCustomer(db: Db, id: string): Promise<CustomerInfo> {
  const c = await getCustomer(db, id);
  if (!c) throw new DomainError(OrderErrors.ORDER_CUSTOMER_UNKNOWN, {}, [{ field: 'customerId', code: OrderErrors.ORDER_CUSTOMER_UNKNOWN }]);
  return c;
}

type Header = {
  contactId: string | null;
  addressId: string | null;
  deliveryRegion: string | null;
  deliveryDate: string | null;
  deliveryDateTo: string | null;
  salesOwnerId: string | null;
};

type AddressInfo = Awaited<ReturnType<typeof getCustomerAddress>>;
type ContactInfo = Awaited<ReturnType<typeof getCustomerContact>>;

/** What a request already loaded, so the detail returned at its end does not read it again. */
type Known = { products?: Map<string, ProductInfo>; address?: AddressInfo; contact?: ContactInfo; ownerName?: string | null };

/** A customer user may order only for their own customer (any other id reads as unknown). */
function assertCustomerInScope(actor: Actor, customerId: string): void {
  const scope = customerScope(actor);
  if (scope !== null && scope !== customerId) throw new DomainError(OrderErrors.ORDER_CUSTOMER_UNKNOWN, {}, [{ field: 'customerId', code: OrderErrors.ORDER_CUSTOMER_UNKNOWN }]);
}

/** The header of a new order: the input's references and dates, the sales owner defaulting to the customer's, then the user. */
function headerOf(input: OrderInput, customer: CustomerInfo, actor: Actor): Header {
  return {
    contactId: input.contactId ?? null,
    addressId: input.addressId ?? null,
    deliveryRegion: null,
    deliveryDate: input.deliveryDate ?? null,
    deliveryDateTo: input.deliveryDateTo ?? null,
    salesOwnerId: input.salesOwnerId ?? customer.salesOwnerId ?? actor.userId,
  };
}

/** Checks the references of the header (address and contact of this customer, owner exists, window in order). */
async function checkHeader(db: Db, customerId: string, h: Header, issues: FieldIssue[], known: Known = {}): Promise<Header> {
  if (h.addressId) known.address = await getCustomerAddress(db, h.addressId);
  if (h.contactId) known.contact = await getCustomerContact(db, h.contactId);
  const [owner] = h.salesOwnerId ? await db.select({ name: users.displayName }).from(users).where(eq(users.id, h.salesOwnerId)) : [];
  known.ownerName = owner?.name ?? null;
  const ownerExists = !h.salesOwnerId || !!owner;
  return checkHeaderOf(customerId, h, issues, { address: known.address ?? null, contact: known.contact ?? null, ownerExists });
}

/** checkHeader() with the address, contact and owner already loaded. */
function checkHeaderOf(customerId: string, h: Header, issues: FieldIssue[], loaded: { address: AddressInfo; contact: ContactInfo; ownerExists: boolean }): Header {
  let deliveryRegion: string | null = null;
  if (h.addressId) {
    const a = loaded.address;
    if (!a || a.id !== h.addressId || a.customerId !== customerId) issues.push({ field: 'addressId', code: OrderErrors.ORDER_ADDRESS_UNKNOWN });
    else deliveryRegion = a.regionCode;
  }
  if (h.contactId) {
    const c = loaded.contact;
    if (!c || c.id !== h.contactId || c.customerId !== customerId) issues.push({ field: 'contactId', code: OrderErrors.ORDER_CONTACT_UNKNOWN });
  }
  if (h.deliveryDate && h.deliveryDateTo && h.deliveryDateTo < h.deliveryDate) issues.push({ field: 'deliveryDateTo', code: OrderErrors.ORDER_DATE_WINDOW });
  if (h.salesOwnerId && !loaded.ownerExists) issues.push({ field: 'salesOwnerId', code: OrderErrors.ORDER_OWNER_UNKNOWN });
  return { ...h, deliveryRegion };
}

type PricedLine = Omit<typeof orderLines.$inferInsert, 'orderId' | 'orderCreatedAt'> & { lineNo: number; amountFen: number };

/** Prices the lines: base quantity, effective price (default), override only with a reason, amount in fen. */
async function priceLines(
  db: Db,
  customer: CustomerInfo,
  inputs: OrderLineInput[],
  date: string,
  issues: FieldIssue[],
  read?: OrderReads['read'],
): Promise<{ lines: PricedLine[]; products: Map<string, ProductInfo> }> {
  const ids = [...new Set(inputs.map((l) => l.productId).filter((x): x is string => !!x))];
  // The products and the price lines that may price them, in one read (or read already with the order's other reads).
  const { products, prices: readAhead } = read ?? (await getProductsForPricing(db, ids, { customerId: customer.id, group: customer.group, date }));
  // At most one issue per line, reported in line order.
  const lineIssues: (FieldIssue | undefined)[] = [];
  const lines: (PricedLine & { index: number; input: OrderLineInput; field: (name: string) => string; product: ProductInfo | undefined })[] = [];
  for (const [i, l] of inputs.entries()) {
    const f = (name: string) => `lines.${i}.${name}`;
    const product = l.productId ? products.get(l.productId) : undefined;
    if (l.productId && !product) {
      lineIssues[i] = { field: f('productId'), code: OrderErrors.ORDER_PRODUCT_UNKNOWN };
      continue;
    }
    if (!l.productId && !l.description?.trim()) {
      lineIssues[i] = { field: f('productId'), code: OrderErrors.ORDER_PRODUCT_OR_DESCRIPTION };
      continue;
    }
    let quantity: string;
    try {
      const q = qty(l.quantity);
      if (q.lt(0)) throw new Error('negative');
      quantity = fmtQty(q);
    } catch {
      lineIssues[i] = { field: f('quantity'), code: 'FIELD_INVALID_QUANTITY' };
      continue;
    }
    let baseQuantity: string | null = null;
    if (product) {
      const unit = product.units.find((u) => u.unit === l.unit);
      if (l.unit !== product.baseUnit && !unit) {
        lineIssues[i] = { field: f('unit'), code: 'UNIT_NOT_CONVERTIBLE', params: { unit: l.unit, product: product.code } };
        continue;
      }
      try {
        baseQuantity = convertQuantity(product, quantity, l.unit, product.baseUnit);
      } catch {
        baseQuantity = null;
      }
    }
    lines.push({
      id: '',
      lineNo: 0,
      productId: product?.id ?? null,
      description: l.description?.trim() || null,
      spec: l.spec?.trim() || product?.spec || null,
      quantity,
      unit: l.unit,
      baseQuantity,
      unitPriceFen: null,
      listPriceFen: null,
      floorPriceFen: null,
      priceListId: null,
      priceOverrideReason: null,
      amountFen: 0,
      index: i,
      input: l,
      field: f,
      product,
    });
  }
  // One price lookup for all lines with a product (it fails as the first failing line would).
  const priced = lines.filter((x) => x.product);
  const prices = await effectivePrices(
    db,
    priced.map((x) => ({
      customerId: customer.id,
      customerGroup: customer.group,
      productId: x.product!.id,
      unit: x.unit,
      quantity: new Q(x.quantity).gt(0) ? x.quantity : '0.001',
      date,
    })),
    products,
    readAhead,
  );
  const effOf = new Map(priced.map((x, i) => [x, prices[i] ?? null]));
  const out: PricedLine[] = [];
  for (const x of lines) {
    const { input: l, field: f } = x;
    const eff = effOf.get(x) ?? null;
    const listPriceFen = eff ? eff.unitPriceFen : null;
    let unitPriceFen = l.unitPriceFen ?? listPriceFen;
    const reason = l.priceOverrideReason?.trim() || null;
    if (l.unitPriceFen != null && listPriceFen !== null && l.unitPriceFen !== listPriceFen && !reason) {
      lineIssues[x.index] = { field: f('priceOverrideReason'), code: OrderErrors.ORDER_PRICE_OVERRIDE_REASON, params: { listPrice: listPriceFen } };
      continue;
    }
    if (unitPriceFen === undefined) unitPriceFen = null;
    out.push({
      id: newId(),
      lineNo: out.length + 1,
      productId: x.productId,
      description: x.description,
      spec: x.spec,
      quantity: x.quantity,
      unit: x.unit,
      baseQuantity: x.baseQuantity,
      unitPriceFen,
      listPriceFen,
      floorPriceFen: eff ? eff.floorPriceFen : null,
      priceListId: eff ? eff.priceListId : null,
      priceOverrideReason: unitPriceFen !== listPriceFen ? reason : null,
      amountFen: amountOf(x.quantity, unitPriceFen),
    });
  }
  for (const issue of lineIssues) if (issue) issues.push(issue);
  return { lines: out, products };
}

// ---------------------------------------------------------------- create / amend

/** The order's lines as rows (quantities as the table stores them). */
function lineRowsOf(priced: PricedLine[], orderId: string, orderCreatedAt: Date): LineRow[] {
  return priced.map((l) => ({
    id: l.id!,
    orderId,
    lineNo: l.lineNo,
    productId: l.productId ?? null,
    description: l.description ?? null,
    spec: l.spec ?? null,
    quantity: new Q(l.quantity).toFixed(3),
    unit: l.unit,
    baseQuantity: l.baseQuantity == null ? null : new Q(l.baseQuantity).toFixed(3),
    unitPriceFen: l.unitPriceFen ?? null,
    listPriceFen: l.listPriceFen ?? null,
    floorPriceFen: l.floorPriceFen ?? null,
    priceListId: l.priceListId ?? null,
    priceOverrideReason: l.priceOverrideReason ?? null,
    amountFen: l.amountFen,
    orderCreatedAt,
  }));
}

/** A new order's row (draft, or submitted for the straight-through review) from the checked input. */
function newOrderRow(
  p: { id: string; number: string; customer: CustomerInfo; header: Header; input: OrderInput; opts: CreateOptions; actor: Actor; now: Date },
  lines: LineRow[],
  products: Map<string, ProductInfo>,
  status: 'draft' | 'submitted',
): OrderRow {
  const { input, customer, now } = p;
  return {
    id: p.id,
    number: p.number,
    customerId: customer.id,
    customerCode: customer.code,
    customerName: customer.name,
    ...p.header,
    coldChain: input.coldChain ?? lines.some((l) => l.productId && products.get(l.productId)?.coldChain),
    paymentTermsDays: input.paymentTermsDays ?? customer.paymentTermsDays,
    notes: input.notes?.trim() || null,
    channel: input.channel ?? 'phone',
    inquiryId: p.opts.inquiryId ?? null,
    status,
    totalFen: lines.reduce((sum, l) => sum + l.amountFen, 0),
    questions: [],
    lastReviewRunId: null,
    statusReason: null,
    importKey: p.opts.importKey ?? null,
    version: 1,
    createdBy: p.actor.userId,
    createdAt: now,
    updatedAt: now,
    submittedAt: status === 'submitted' ? now : null,
    approvedAt: null,
  };
}

/** Creates a draft order: references checked, prices defaulted from the price list, totals in fen. Nothing is written when a field is wrong. */
export async function createOrder(db: Db, actor: Actor, input: OrderInput, opts: CreateOptions = {}): Promise<OrderDetail> {
  assertCustomerInScope(actor, input.customerId);
  const customer = await requireCustomer(db, input.customerId);
  const issues: FieldIssue[] = [];
  const known: Known = {};
  const header = await checkHeader(db, customer.id, headerOf(input, customer, actor), issues, known);
  if (!input.lines.length) issues.push({ field: 'lines', code: OrderErrors.ORDER_NO_LINES });
  const now = clock.now();
  const { lines: priced, products } = await priceLines(db, customer, input.lines, header.deliveryDate ?? businessDate(now), issues);
  if (issues.length) throw fail(issues[0]!.code, issues, issues[0]!.params);
  const id = newId();
  // On PostgreSQL taken apart from this transaction: the day's counter row is not held until it commits (every draft
  // saved at once queued on it, 100 ms each). A number whose order then fails to commit is not used again.
  const number = opts.number ?? (await nextDocNumber(outsideTransaction(db) ?? db, 'SO', now));
  const lines = lineRowsOf(priced, id, now);
  const plan = createPlan(newOrderRow({ id, number, customer, header, input, opts, actor, now }, lines, products, 'draft'), lines, actor);
  await applyOrderPlan(db, plan);
  // Answered from the plan, as written (the same detail a read back gives: the draft has no review run yet).
  return detailOfNewOrder(plan.create!, { ownerName: known.ownerName ?? null, products, address: known.address ?? null, contact: known.contact ?? null, runs: [] });
}

/**
 * What the single-statement attempt came to when it wrote nothing: why (for the reader and the tests), whether another
 * attempt is worth it (the customer changed between the reads and the write), and the order number when one was taken
 * (outside any transaction) for the locked path to use.
 */
type NotPlaced = { placed: null; why: string; again: boolean; number: string | null };
const notPlaced = (why: string, number: string | null, again = false): NotPlaced => ({ placed: null, why, again, number });

/**
 * Creates and submits an order in one request — the phone order taker's "save and submit" and the API's usual call.
 * The usual case (complete, every rule passes, stock reserved) is written without a transaction: the customer, its
 * exposure, the prices and the free stock are read by two statements, the rules run, and one statement checks that
 * the customer was not changed (no credit review of another order) since, reserves the stock and writes the order, its
 * lines, its history, the review run and the audit rows — or writes nothing (docs/decisions/0007). When the customer
 * changed, the attempt is made once more. Any other case (the customer changed again, an order the statement cannot
 * take, questions for the customer, a rule that warns or fails, stock short) runs createOrder() + submitOrder() in one
 * transaction under the credit lock, which records it. Takes the database, not a transaction: it opens its own.
 */
export async function placeOrder(db: Db, actor: Actor, input: OrderInput, opts: CreateOptions = {}): Promise<OrderDetail> {
  return oneCustomerAtATime(input.customerId, () => placeOrderNow(db, actor, input, opts));
}

/**
 * Orders of one customer are placed one after another by this process: placed at once, the unlocked attempts of one
 * customer would find the customer changed by each other and read again — at 32 clients for 20 customers most orders did.
 * Other processes' orders still meet the version check.
 */
const oneCustomerAtATime = keyedQueue();

async function placeOrderNow(db: Db, actor: Actor, input: OrderInput, opts: CreateOptions): Promise<OrderDetail> {
  let number: string | null = null;
  // The path is chosen by singleStatementRefusal() before anything is read, then by what each attempt reports.
  let why = singleStatementRefusal(db, input);
  for (let attempt = 1; !why && attempt <= 2; attempt++) {
    const r = await placeStraightThroughUnlocked(db, actor, input, opts, number);
    if (r.placed) return r.placed;
    number = r.number;
    if (!r.again) why = r.why;
  }
  return inTransaction(db, (tx) => createAndSubmit(tx, actor, input, { ...opts, number }));
}

/**
 * createOrder() + submitOrder() in one transaction (the Excel import's submit mode, the fallback of placeOrder()): the
 * customer's row is locked first, as on the straight-through path, so both take their locks in the same order.
 */
export async function createAndSubmit(db: Db, actor: Actor, input: OrderInput, opts: CreateOptions = {}): Promise<OrderDetail> {
  await holdCreditLock(db, input.customerId);
  return submitOrder(db, actor, (await createOrder(db, actor, input, opts)).id);
}

/** A straight-through order read, priced and reviewed (all rules pass): its plan (placePlan()) and what its answer shows. */
type StraightThrough = {
  plan: OrderPlan;
  lines: LineRow[];
  products: Map<string, ProductInfo>;
  /** The customer row's version read (for the unlocked write), and the customer's exposure as of it. */
  customerVersion: string | null;
  exposure: Exposure;
  ownerName: string | null;
  address: AddressInfo;
  contact: ContactInfo;
  results: RuleResult[];
};

/**
 * Reads, prices and reviews an order for the straight-through path, without the credit lock (the caller's write checks
 * the customer row is unchanged since); says why not (NotPlaced) when it is not one.
 */
async function prepareStraightThrough(db: Db, actor: Actor, input: OrderInput, opts: CreateOptions, number: string | null): Promise<StraightThrough | NotPlaced> {
  assertCustomerInScope(actor, input.customerId);
  const parties = await getOrderParties(db, input.customerId, { addressId: input.addressId, contactId: input.contactId, ownerId: input.salesOwnerId });
  const customer = parties.customer;
  if (!customer) throw new DomainError(OrderErrors.ORDER_CUSTOMER_UNKNOWN, {}, [{ field: 'customerId', code: OrderErrors.ORDER_CUSTOMER_UNKNOWN }]);
  const issues: FieldIssue[] = [];
  const ownerIsActor = !input.salesOwnerId && !customer.salesOwnerId;
  const header = checkHeaderOf(customer.id, headerOf(input, customer, actor), issues, {
    address: parties.address,
    contact: parties.contact,
    ownerExists: ownerIsActor || parties.ownerName !== null,
  });
  if (!input.lines.length) issues.push({ field: 'lines', code: OrderErrors.ORDER_NO_LINES });
  const now = clock.now();
  const today = businessDate(now);
  const id = newId();
  const date = header.deliveryDate ?? today;
  const reads = await readForStraightThrough(
    db,
    id,
    customer,
    input.lines.map((l) => l.productId).filter((x): x is string => !!x),
    date,
    header.deliveryDate,
    knownExposure(db, customer.id, parties.rowVersion),
  );
  const { lines: priced, products } = await priceLines(db, customer, input.lines, date, issues, reads.read);
  if (issues.length) throw fail(issues[0]!.code, issues, issues[0]!.params);
  const lines = lineRowsOf(priced, id, now);
  const o = newOrderRow({ id, number: '', customer, header, input, opts, actor, now }, lines, products, 'submitted');
  if (completenessQuestions(o, lines, products, today).length) return notPlaced('questions for the customer', number);
  const { ctx } = await gatherReview(db, o, lines, { lines, products, customer, reads });
  const results = runRules(ctx, RULES);
  if (!allPass(results)) return notPlaced('a review rule warns or fails', number);
  const plan = placePlan({ submitted: o, lines, actor, results, runId: newId(), reserve: reserveLinesOf(lines, customer, products), now, newId });
  return {
    plan,
    lines,
    products,
    customerVersion: parties.rowVersion,
    exposure: reads.exposure,
    ownerName: ownerIsActor ? actor.displayName : parties.ownerName,
    address: header.addressId ? parties.address : null,
    contact: header.contactId ? parties.contact : null,
    results,
  };
}

/** The lines a straight-through order reserves: those with a product and a positive base quantity. */
function linesToReserve(lines: LineRow[]): (LineRow & { productId: string; baseQuantity: string })[] {
  return lines.filter((l): l is LineRow & { productId: string; baseQuantity: string } => !!l.productId && !!l.baseQuantity && new Q(l.baseQuantity).gt(0));
}

/**
 * Why placeStraightThroughUnlocked() cannot take the order, or null when it can: it runs outside a transaction and its
 * statement takes 1 to 12 lines of different products. Any other order goes to createAndSubmit() under the credit lock.
 */
export function singleStatementRefusal(db: Db, input: Pick<OrderInput, 'lines'>): string | null {
  const ids = input.lines.map((l) => l.productId);
  if (isTransaction(db)) return 'the caller holds a transaction';
  if (!ids.length) return 'no lines';
  if (ids.length > ONE_STATEMENT_MAX_LINES) return `more than ${ONE_STATEMENT_MAX_LINES} lines`;
  if (!ids.every((x) => !!x)) return 'a line without a product';
  if (new Set(ids).size !== ids.length) return 'two lines of one product';
  return null;
}

/**
 * The straight-through order without a transaction: the reads (no lock), then one statement that takes the credit
 * lock if the customer row is unchanged, reserves and writes (placeReserveSql()). Reports NotPlaced — with `again`
 * when the customer changed, without when the order is not one (or stock is short), both with the number when one was
 * taken — instead of throwing. Only for orders singleStatementRefusal() lets through.
 */
async function placeStraightThroughUnlocked(db: Db, actor: Actor, input: OrderInput, opts: CreateOptions, number: string | null): Promise<{ placed: OrderDetail } | NotPlaced> {
  const st = await prepareStraightThrough(db, actor, input, opts, number);
  if ('placed' in st) return st;
  if (!st.customerVersion) return notPlaced('the customer row has no version', number);
  const outside = outsideTransaction(db);
  const taken = number ?? (outside ? await nextDocNumber(outside, 'SO', st.plan.create!.order.createdAt) : null);
  const r = await placeInOneStatement(db, st.plan, { customerVersion: st.customerVersion, number: taken, exposureBefore: st.exposure });
  if (r.written) return { placed: detailOfStraightThrough(st, r.number) };
  // The statement's refusals (it wrote nothing): reported, not thrown, so placeOrderNow() chooses the next path.
  return notPlaced(r.why, taken, r.again);
}

function detailOfStraightThrough(plan: StraightThrough, number: string): OrderDetail {
  const n = plan.plan.create!;
  const run: ReviewRunView = {
    id: n.order.lastReviewRunId!,
    trigger: 'submit',
    outcome: 'approved',
    actorName: SYSTEM_ACTOR.username,
    at: n.order.createdAt,
    results: plan.results.map((r) => ({ rule: r.rule, outcome: r.outcome, code: r.code, details: r.details, rerun: true })),
  };
  return detailOfNewOrder(
    { ...n, order: { ...n.order, number } },
    { ownerName: plan.ownerName, products: plan.products, address: plan.address, contact: plan.contact, runs: [run] },
  );
}

/** The detail of an order just written from its plan (createPlan(), placePlan()), without reading it back. */
function detailOfNewOrder(
  n: NewOrder,
  known: { ownerName: string | null; products: Map<string, ProductInfo>; address: AddressInfo; contact: ContactInfo; runs: ReviewRunView[] },
): OrderDetail {
  const o = n.order;
  return assembleDetail({
    o,
    ownerName: o.salesOwnerId ? known.ownerName : null,
    lines: n.lines,
    products: known.products,
    address: o.addressId ? known.address : null,
    contact: o.contactId ? known.contact : null,
    runs: known.runs,
    history: n.history.map((h, i) => ({
      at: o.createdAt,
      fromState: h.fromState ?? null,
      toState: h.toState,
      event: h.event,
      actorName: h.actorName,
      reason: h.reason ?? null,
      seq: i,
    })),
  });
}

function sameLines(a: LineRow[], b: PricedLine[]): boolean {
  if (a.length !== b.length) return false;
  return a.every((x, i) => {
    const y = b[i]!;
    return (
      x.productId === y.productId && x.quantity === y.quantity && x.unit === y.unit && x.unitPriceFen === y.unitPriceFen && (x.description ?? null) === (y.description ?? null)
    );
  });
}

/**
 * Amends an order before shipment (lines, date, address, contact, notes). For an order already reviewed, the
 * rules the change touches run again: all pass keeps (or makes) it approved with fresh reservations; otherwise it waits in review.
 */
export async function amendOrder(db: Db, actor: Actor, id: string, input: AmendInput): Promise<OrderDetail> {
  const before = await loadRow(db, actor, id, true);
  // The customer's row before any stock row (amending an approved order releases and re-takes reservations).
  await holdCreditLock(db, before.customerId);
  if (!AMENDABLE.includes(before.status)) throw new DomainError(OrderErrors.ORDER_NOT_EDITABLE, { status: before.status });
  if (input.version !== undefined && input.version !== before.version) throw new DomainError(OrderErrors.ORDER_VERSION_CONFLICT);
  const customer = await requireCustomer(db, before.customerId);
  const issues: FieldIssue[] = [];
  const pickv = <K extends keyof Header>(k: K): Header[K] => (input[k as keyof AmendInput] === undefined ? before[k] : (input[k as keyof AmendInput] as Header[K]));
  const header = await checkHeader(
    db,
    customer.id,
    {
      contactId: pickv('contactId'),
      addressId: pickv('addressId'),
      deliveryRegion: before.deliveryRegion,
      deliveryDate: pickv('deliveryDate'),
      deliveryDateTo: pickv('deliveryDateTo'),
      salesOwnerId: pickv('salesOwnerId'),
    },
    issues,
  );
  const oldLines = await loadLines(db, id);
  let newLines: PricedLine[] | null = null;
  let products = new Map<string, ProductInfo>();
  if (input.lines) {
    if (!input.lines.length) issues.push({ field: 'lines', code: OrderErrors.ORDER_NO_LINES });
    const priced = await priceLines(db, customer, input.lines, header.deliveryDate ?? businessDate(clock.now()), issues);
    newLines = priced.lines;
    products = priced.products;
  }
  if (issues.length) throw fail(issues[0]!.code, issues, issues[0]!.params);
  const changed = {
    lines: newLines !== null && !sameLines(oldLines, newLines),
    date: header.deliveryDate !== before.deliveryDate || header.deliveryDateTo !== before.deliveryDateTo,
    address: header.addressId !== before.addressId,
  };
  const totalFen = newLines ? newLines.reduce((s, l) => s + l.amountFen, 0) : before.totalFen;
  const coldChain = input.coldChain ?? (newLines && changed.lines ? newLines.some((l) => l.productId && products.get(l.productId)?.coldChain) : before.coldChain);
  await applyOrderPlan(
    db,
    amendPlan({
      before,
      oldLineCount: oldLines.length,
      set: {
        ...header,
        coldChain,
        paymentTermsDays: input.paymentTermsDays ?? before.paymentTermsDays,
        notes: input.notes === undefined ? before.notes : input.notes?.trim() || null,
        totalFen,
      },
      lines: newLines && lineRowsOf(newLines, id, before.createdAt),
      changed,
      actor,
      reason: input.reason ?? null,
    }),
  );
  const affected = new Set<RuleName>();
  for (const k of ['lines', 'date', 'address'] as const) if (changed[k]) for (const r of AFFECTED_BY[k]) affected.add(r);
  if ((before.status === 'in_review' || before.status === 'approved') && affected.size) {
    const order = (await loadRow(db, actor, id))!;
    await review(db, actor, order, 'amend', [...affected]);
  }
  return getOrder(db, actor, id);
}

// ---------------------------------------------------------------- completeness check

const Qtext = {
  NO_LINES: { zh: '订单没有产品行,请确认要订购的产品。', en: 'The order has no lines; ask which products are wanted.' },
  ADDRESS_MISSING: { zh: '缺少收货地址,请向客户确认送货地点。', en: 'No delivery address; ask the customer where to deliver.' },
  DELIVERY_DATE_MISSING: { zh: '缺少送达日期,请确认期望的送达日期。', en: 'No delivery date; ask when the goods are needed.' },
  DELIVERY_DATE_PAST: { zh: '送达日期 {date} 已过,请确认新的日期。', en: 'The delivery date {date} has passed; ask for a new date.' },
  PRODUCT_UNKNOWN: { zh: '第 {line} 行「{text}」未匹配到产品,请确认品种与规格。', en: 'Line {line} "{text}" matches no product; confirm the variety and spec.' },
  PRODUCT_INACTIVE: { zh: '第 {line} 行产品 {text} 已停售,请确认替代品。', en: 'Line {line}: {text} is no longer sold; agree a substitute.' },
  UNIT_NOT_SELLABLE: { zh: '第 {line} 行单位「{unit}」不可销售,请确认计量单位。', en: 'Line {line}: the unit "{unit}" is not sold; confirm the unit.' },
  QUANTITY_ZERO: { zh: '第 {line} 行数量为 0,请确认数量。', en: 'Line {line} has quantity 0; confirm the quantity.' },
  PRICE_MISSING: { zh: '第 {line} 行没有价格,请报价并与客户确认。', en: 'Line {line} has no price; quote one and confirm it.' },
} as const;

function question(code: keyof typeof Qtext, params: Record<string, string | number> = {}, lineNo?: number): OrderQuestion {
  const fill = (s: string) => s.replace(/\{(\w+)\}/g, (m, k: string) => (k in params ? String(params[k]) : m));
  return { code, ...(lineNo !== undefined ? { lineNo } : {}), zh: fill(Qtext[code].zh), en: fill(Qtext[code].en) };
}

/** The questions to put to the customer before the order can be reviewed; empty when complete. */
export function completenessQuestions(order: Pick<OrderRow, 'addressId' | 'deliveryDate'>, lines: LineRow[], products: Map<string, ProductInfo>, today: string): OrderQuestion[] {
  const out: OrderQuestion[] = [];
  if (!lines.length) out.push(question('NO_LINES'));
  if (!order.addressId) out.push(question('ADDRESS_MISSING'));
  if (!order.deliveryDate) out.push(question('DELIVERY_DATE_MISSING'));
  else if (order.deliveryDate < today) out.push(question('DELIVERY_DATE_PAST', { date: order.deliveryDate }));
  for (const l of lines) {
    const p = l.productId ? products.get(l.productId) : undefined;
    if (!p) {
      out.push(question('PRODUCT_UNKNOWN', { line: l.lineNo, text: l.description ?? '?' }, l.lineNo));
      continue;
    }
    if (!p.active) out.push(question('PRODUCT_INACTIVE', { line: l.lineNo, text: p.name }, l.lineNo));
    const u = p.units.find((x) => x.unit === l.unit);
    if (l.baseQuantity === null || (u && !u.sellable) || (!u && l.unit !== p.baseUnit)) out.push(question('UNIT_NOT_SELLABLE', { line: l.lineNo, unit: l.unit }, l.lineNo));
    if (new Q(l.quantity).lte(0)) out.push(question('QUANTITY_ZERO', { line: l.lineNo }, l.lineNo));
    if (l.unitPriceFen === null) out.push(question('PRICE_MISSING', { line: l.lineNo }, l.lineNo));
  }
  return out;
}

/**
 * Submits an order: incomplete → needs_confirmation with the questions; otherwise submitted and reviewed at once
 * (all rules pass → approved by the system and stock reserved; any warn/fail → in_review).
 */
export async function submitOrder(db: Db, actor: Actor, id: string): Promise<OrderDetail> {
  const o = await loadRow(db, actor, id, true);
  const lines = await loadLines(db, id);
  const ids = [...new Set(lines.map((l) => l.productId).filter((x): x is string => !!x))];
  const products = ids.length ? await getProducts(db, ids) : new Map<string, ProductInfo>();
  const now = clock.now();
  const plan = submitPlan(o, actor, completenessQuestions(o, lines, products, businessDate(now)), now);
  await applyOrderPlan(db, plan);
  if (plan.change?.to !== 'submitted') return orderDetail(db, actor, id, { products });
  // The credit lock before the customer is read for the review (as the review would take it), then the customer, its
  // qualifications, the address and the contact in one read, for the review and the answer.
  await holdCreditLock(db, o.customerId);
  const parties = await getOrderParties(db, o.customerId, { addressId: o.addressId, contactId: o.contactId, ownerId: o.salesOwnerId });
  if (!parties.customer) throw new DomainError(OrderErrors.ORDER_CUSTOMER_UNKNOWN);
  await review(db, actor, { ...o, status: 'submitted', submittedAt: now }, 'submit', undefined, { lines, products, customer: parties.customer });
  return orderDetail(db, actor, id, { products, address: parties.address, contact: parties.contact });
}

// ---------------------------------------------------------------- review engine

const shanghaiTime = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

/** What a caller already loaded for the review (not read again); lockCustomer takes the credit lock before the exposure read. */
type Loaded = { lines?: LineRow[]; products?: Map<string, ProductInfo>; customer?: CustomerInfo; lockCustomer?: boolean; reads?: OrderReads };

/** Gathers what the rules look at (customer, lines, exposure, calendar, stock). */
export async function reviewContext(db: Db, order: OrderRow, lines: LineRow[], loaded: Loaded = {}): Promise<ReviewContext> {
  return (await gatherReview(db, order, lines, loaded)).ctx;
}

async function gatherReview(
  db: Db,
  order: OrderRow,
  lines: LineRow[],
  loaded: Loaded,
): Promise<{ ctx: ReviewContext; customer: CustomerInfo; products: Map<string, ProductInfo> }> {
  if (loaded.lockCustomer) await holdCreditLock(db, order.customerId);
  const settings = await loadReviewSettings(db);
  const customer = loaded.customer ?? (await requireCustomer(db, order.customerId));
  const ids = [...new Set(lines.map((l) => l.productId).filter((x): x is string => !!x))];
  const products = loaded.products && ids.every((x) => loaded.products!.has(x)) ? loaded.products : ids.length ? await getProducts(db, ids) : new Map<string, ProductInfo>();
  const now = clock.now();
  const today = businessDate(now);
  const afterCutoff = shanghaiTime.format(now) > settings.cutoffTime;
  const [earliest, nextDay] = (await addWorkingDaysMany(db, today, [settings.leadTimeDays, settings.leadTimeDays + 1])) as [WorkingDayResult, WorkingDayResult];
  const earliestAfter = afterCutoff ? nextDay : earliest;
  const exposure = loaded.reads?.exposure ?? (await customerExposure(db, customer.id, order.id));
  const free =
    loaded.reads?.free ??
    (await availableQuantities(db, ids, { onDate: order.deliveryDate ?? undefined, minRemainingShelfLifeDays: customer.minRemainingShelfLifeDays ?? undefined }));
  const available: Record<string, string> = {};
  for (const pid of ids) available[pid] = free.get(pid)!;
  const ctx: ReviewContext = {
    today,
    customer: {
      kind: customer.kind,
      status: customer.status,
      creditLimitFen: customer.creditLimitFen,
      overdueFen: customer.overdueFen,
      qualifications: customer.qualifications.map((q) => ({ type: q.type, number: q.number, expiresOn: q.expiresOn })),
    },
    order: { totalFen: order.totalFen, deliveryDate: order.deliveryDate, deliveryRegion: order.deliveryRegion },
    lines: lines.map((l) => {
      const p = l.productId ? products.get(l.productId) : undefined;
      return {
        lineNo: l.lineNo,
        productId: l.productId,
        productName: p?.name ?? l.description ?? '',
        quantity: l.quantity,
        unit: l.unit,
        baseQuantity: l.baseQuantity,
        unitPriceFen: l.unitPriceFen,
        listPriceFen: l.listPriceFen,
        floorPriceFen: l.floorPriceFen,
        seasonMonths: p?.seasonMonths ?? [],
      };
    }),
    ...exposure,
    earliestDate: earliest.date,
    earliestDateAfterCutoff: earliestAfter.date,
    afterCutoff,
    available,
    settings,
  };
  return { ctx, customer, products };
}

async function lastResults(db: Db, runId: string | null): Promise<ReviewResultView[]> {
  if (!runId) return [];
  const rows = await db.select().from(orderReviewResults).where(eq(orderReviewResults.runId, runId)).orderBy(asc(orderReviewResults.id));
  return rows.map((r) => ({ rule: r.rule, outcome: r.outcome, code: r.code, details: r.details, rerun: r.rerun }));
}

async function storeRun(
  db: Db,
  actor: Actor,
  orderId: string,
  trigger: 'submit' | 'amend' | 'reservation',
  outcome: 'approved' | 'in_review' | 'unchanged',
  results: (RuleResult | ReviewResultView)[],
  rerun: Set<string>,
  updateOrder = true,
): Promise<string> {
  const runId = newId();
  await db.insert(orderReviewRuns).values({ id: runId, orderId, trigger, outcome, actorName: actor.username, at: clock.now() });
  if (results.length) {
    await db
      .insert(orderReviewResults)
      .values(results.map((r) => ({ id: newId(), runId, orderId, rule: r.rule, outcome: r.outcome, code: r.code, details: r.details, rerun: rerun.has(r.rule) })));
  }
  if (updateOrder) await db.update(orders).set({ lastReviewRunId: runId }).where(eq(orders.id, orderId));
  return runId;
}

/**
 * Runs the review engine (all rules, or only the ones an amendment touches, the others carried over) and moves
 * the order: all pass → approved by the system + reservation; otherwise in_review.
 */
async function review(db: Db, actor: Actor, order: OrderRow, trigger: 'submit' | 'amend', only?: RuleName[], loaded: Loaded = {}): Promise<void> {
  const lines = loaded.lines ?? (await loadLines(db, order.id));
  const gathered = await gatherReview(db, order, lines, { ...loaded, lockCustomer: true });
  const ctx = gathered.ctx;
  const fresh = runRules(ctx, only ?? RULES);
  const previous = only ? await lastResults(db, order.lastReviewRunId) : [];
  const merged: (RuleResult | ReviewResultView)[] = RULES.map((r) => fresh.find((x) => x.rule === r) ?? previous.find((x) => x.rule === r)).filter(
    (x): x is RuleResult | ReviewResultView => !!x,
  );
  const rerun = new Set<string>(fresh.map((r) => r.rule));
  // An approved order amended: only the rerun rules decide whether it stays approved.
  const decisive = order.status === 'approved' ? fresh : merged;
  const pass = allPass(decisive);
  if (!pass) {
    const runId = await storeRun(db, SYSTEM_ACTOR, order.id, trigger, order.status === 'in_review' ? 'unchanged' : 'in_review', merged, rerun);
    if (order.status !== 'in_review') {
      const codes = decisive.filter((r) => r.outcome !== 'pass').map((r) => r.code);
      await applyOrderPlan(db, sendToReviewPlan(order, actor, runId, codes));
    }
    return;
  }
  const stillApproved = order.status === 'approved';
  // When the order is approved now, its pointer to the run is set with the status (one UPDATE).
  const runId = await storeRun(db, SYSTEM_ACTOR, order.id, trigger, stillApproved ? 'unchanged' : 'approved', merged, rerun, stillApproved);
  const pre = { ctx, customer: gathered.customer, products: gathered.products };
  const approved: OrderRow = { ...order, status: 'approved', lastReviewRunId: runId };
  const { reserve, products } = await reservationOf(db, order, lines, pre);
  // Still approved after an amendment: the reservations are made again for the new lines and date.
  const plan = stillApproved ? reReservePlan(order, actor, reserve) : autoApprovePlan(order, runId, clock.now(), reserve);
  await afterReservation(db, approved, lines, await applyOrderPlan(db, plan, products), ctx);
}

/** The lines an approved order reserves: those with a product and a positive base quantity, in the base unit, with the customer's minimum remaining shelf life. */
function reserveLinesOf(lines: LineRow[], customer: CustomerInfo, products: Map<string, ProductInfo>): ReserveLine[] {
  return linesToReserve(lines).map((l) => ({
    refLineId: l.id,
    productId: l.productId,
    quantity: l.baseQuantity,
    unit: products.get(l.productId)?.baseUnit ?? '',
    minRemainingShelfLifeDays: customer.minRemainingShelfLifeDays ?? undefined,
  }));
}

/** What reserving an order's lines needs (its customer and products, read unless the caller has them) and the lines to reserve. */
async function reservationOf(
  db: Db,
  order: OrderRow,
  lines: LineRow[],
  pre?: { customer: CustomerInfo; products: Map<string, ProductInfo> },
): Promise<{ reserve: ReserveLine[]; products: Map<string, ProductInfo> }> {
  const customer = pre?.customer ?? (await requireCustomer(db, order.customerId));
  const ids = [...new Set(lines.map((l) => l.productId).filter((x): x is string => !!x))];
  if (!ids.length) return { reserve: [], products: new Map() };
  const products = pre && ids.every((x) => pre.products.has(x)) ? pre.products : await getProducts(db, ids);
  return { reserve: reserveLinesOf(lines, customer, products), products };
}

/**
 * After a plan that reserved an approved order's lines: when stock was short, the order goes back to review with
 * INVENTORY_INSUFFICIENT recorded (a review run with the availability rule failed, then reservationFailedPlan()).
 * Returns whether it reserved.
 */
async function afterReservation(db: Db, order: OrderRow, lines: LineRow[], applied: Applied, ctx?: ReviewContext): Promise<boolean> {
  if (applied.reserved) return true;
  const previous = await lastResults(db, order.lastReviewRunId);
  const c = ctx ?? (await reviewContext(db, order, lines));
  const availability = runRules(c, ['availability'])[0]!;
  const failed: RuleResult = { rule: 'availability', outcome: 'fail', code: 'INVENTORY_INSUFFICIENT', details: { ...availability.details, error: applied.shortage } };
  const merged = RULES.map((r) => (r === 'availability' ? failed : previous.find((x) => x.rule === r))).filter((x): x is RuleResult | ReviewResultView => !!x);
  const runId = await storeRun(db, SYSTEM_ACTOR, order.id, 'reservation', 'in_review', merged, new Set(['availability']));
  await applyOrderPlan(db, reservationFailedPlan({ ...order, status: 'approved' }, runId, applied.shortage));
  return false;
}

// ---------------------------------------------------------------- review queue decisions

/** A reviewer approves (optional note); stock is reserved, or the order returns to review with INVENTORY_INSUFFICIENT. */
export async function approveOrder(db: Db, actor: Actor, id: string, note?: string | null): Promise<OrderDetail> {
  const o = await loadRow(db, actor, id, true);
  const lines = await loadLines(db, id);
  const { reserve, products } = await reservationOf(db, o, lines);
  // The plan's exposure change takes the credit lock, as for the automatic review: an order placed without it meanwhile sees the customer changed.
  const applied = await applyOrderPlan(db, approvePlan(o, actor, note, clock.now(), reserve), products);
  await afterReservation(db, { ...o, status: 'approved' }, lines, applied);
  return getOrder(db, actor, id);
}

/** A reviewer rejects with a reason: the sales owner is notified in-app and a message to the customer is queued. */
export async function rejectOrder(db: Db, actor: Actor, id: string, reason: string): Promise<OrderDetail> {
  if (!reason?.trim()) throw new DomainError(OrderErrors.ORDER_REASON_REQUIRED, {}, [{ field: 'reason', code: 'FIELD_REQUIRED' }]);
  const o = await loadRow(db, actor, id, true);
  await applyOrderPlan(db, rejectPlan(o, actor, reason, canTransition(orderMachine, o.status, 'reject') ? await customerRecipient(db, o) : null));
  return getOrder(db, actor, id);
}

async function customerRecipient(db: Db, o: OrderRow): Promise<{ channel: 'email' | 'sms'; recipient: string } | null> {
  if (o.contactId) {
    const c = await getCustomerContact(db, o.contactId);
    if (c?.email) return { channel: 'email', recipient: c.email };
    if (c?.phone) return { channel: 'sms', recipient: c.phone };
  }
  if (o.addressId) {
    const a = await getCustomerAddress(db, o.addressId);
    if (a?.phone) return { channel: 'sms', recipient: a.phone };
  }
  return null;
}

/** Cancels an order before shipment, with a reason; its reservations are released (and, when it was approved, its exposure). */
export async function cancelOrder(db: Db, actor: Actor, id: string, reason: string): Promise<OrderDetail> {
  if (!reason?.trim()) throw new DomainError(OrderErrors.ORDER_REASON_REQUIRED, {}, [{ field: 'reason', code: 'FIELD_REQUIRED' }]);
  const o = await loadRow(db, actor, id, true);
  await applyOrderPlan(db, cancelPlan(o, actor, reason));
  return getOrder(db, actor, id);
}

/** Moves an order through the later states (production, ready, shipped …); used by later modules. Completing it releases its exposure. */
export async function advanceOrder(db: Db, actor: Actor, id: string, event: AdvanceEvent, reason?: string | null): Promise<OrderView> {
  const o = await loadRow(db, actor, id, true);
  const applied = await applyOrderPlan(db, advancePlan(o, actor, event, reason));
  return toView({ ...o, status: applied.status! }, await ownerName(db, o.salesOwnerId));
}

// ---------------------------------------------------------------- reads

export async function getOrder(db: Db, actor: Actor, id: string): Promise<OrderDetail> {
  return orderDetail(db, actor, id);
}

/** The order detail; what the request already loaded (products, address, contact) is not read again. */
async function orderDetail(db: Db, actor: Actor, id: string, known: Known = {}): Promise<OrderDetail> {
  const [head] = await db.select({ o: orders, owner: users.displayName }).from(orders).leftJoin(users, eq(users.id, orders.salesOwnerId)).where(eq(orders.id, id));
  if (!head) throw new DomainError(OrderErrors.ORDER_NOT_FOUND);
  assertInScope(actor, head.o.customerId);
  const o = head.o;
  const lines = await loadLines(db, id);
  const ids = [...new Set(lines.map((l) => l.productId).filter((x): x is string => !!x))];
  const products = known.products && ids.every((x) => known.products!.has(x)) ? known.products : ids.length ? await getProducts(db, ids) : new Map<string, ProductInfo>();
  const address = !o.addressId ? null : known.address?.id === o.addressId ? known.address : await getCustomerAddress(db, o.addressId);
  const contact = !o.contactId ? null : known.contact?.id === o.contactId ? known.contact : await getCustomerContact(db, o.contactId);
  const joined = await db
    .select({ run: orderReviewRuns, result: orderReviewResults })
    .from(orderReviewRuns)
    .leftJoin(orderReviewResults, eq(orderReviewResults.runId, orderReviewRuns.id))
    .where(eq(orderReviewRuns.orderId, id))
    .orderBy(asc(orderReviewRuns.at), asc(orderReviewRuns.id));
  const runs = [...new Map(joined.map((j) => [j.run.id, j.run])).values()];
  const results = joined.map((j) => j.result).filter((x): x is NonNullable<typeof x> => x !== null);
  const runViews: ReviewRunView[] = runs.map((r) => ({
    id: r.id,
    trigger: r.trigger,
    outcome: r.outcome,
    actorName: r.actorName,
    at: r.at,
    results: results
      .filter((x) => x.runId === r.id)
      .sort((a, b) => RULES.indexOf(a.rule as RuleName) - RULES.indexOf(b.rule as RuleName))
      .map((x) => ({ rule: x.rule, outcome: x.outcome, code: x.code, details: x.details, rerun: x.rerun })),
  }));
  const history = await historyOf(db, 'order', id);
  return assembleDetail({ o, ownerName: o.salesOwnerId ? (head.owner ?? null) : null, lines, products, address, contact, runs: runViews, history });
}

type HistoryEntry = { at: Date; fromState: string | null; toState: string; event: string; actorName: string; reason: string | null; seq: number };

/** The order detail from its parts (read by orderDetail(), or known to a request that has just written them). */
function assembleDetail(p: {
  o: OrderRow;
  ownerName: string | null;
  lines: LineRow[];
  products: Map<string, ProductInfo>;
  address: AddressInfo;
  contact: ContactInfo;
  runs: ReviewRunView[];
  history: HistoryEntry[];
}): OrderDetail {
  const { o, lines, products, address, contact } = p;
  const timeline: TimelineEntry[] = [
    ...p.history.map((h) => ({ kind: 'state' as const, at: h.at, from: h.fromState, to: h.toState, event: h.event, actorName: h.actorName, reason: h.reason, seq: h.seq })),
    ...p.runs.map((r) => ({ kind: 'review' as const, at: r.at, runId: r.id, trigger: r.trigger, outcome: r.outcome, actorName: r.actorName, results: r.results, seq: 0 })),
  ]
    .sort((a, b) => a.at.getTime() - b.at.getTime() || (a.kind === b.kind ? a.seq - b.seq : a.kind === 'review' ? -1 : 1))
    .map(({ seq, ...rest }) => {
      void seq;
      return rest;
    });
  return {
    ...toView(o, p.ownerName),
    lines: lines.map((l) => {
      const p = l.productId ? products.get(l.productId) : undefined;
      return {
        id: l.id,
        lineNo: l.lineNo,
        productId: l.productId,
        productCode: p?.code ?? null,
        productName: p?.name ?? null,
        description: l.description,
        spec: l.spec,
        quantity: l.quantity,
        unit: l.unit,
        baseQuantity: l.baseQuantity,
        baseUnit: p?.baseUnit ?? null,
        unitPriceFen: l.unitPriceFen,
        listPriceFen: l.listPriceFen,
        floorPriceFen: l.floorPriceFen,
        priceOverrideReason: l.priceOverrideReason,
        amountFen: l.amountFen,
      };
    }),
    address: address ? { id: address.id, label: address.label, regionCode: address.regionCode, address: address.address, receiver: address.receiver, phone: address.phone } : null,
    contact: contact ? { id: contact.id, name: contact.name, phone: contact.phone ?? null } : null,
    review: p.runs.find((r) => r.id === o.lastReviewRunId) ?? p.runs[p.runs.length - 1] ?? null,
    timeline,
  };
}

export type OrderFilter = {
  q?: string;
  status?: string;
  customerId?: string;
  productId?: string;
  ownerId?: string;
  channel?: string;
  from?: string;
  to?: string;
  deliveryFrom?: string;
  deliveryTo?: string;
  page: number;
  pageSize: number;
  sort?: string;
};

/**
 * Keyword: an order number prefix, or the orders of the customers the customers module finds (name, code, phone).
 * Returned as alternatives (one condition each), which listOrders() runs as separately index-ordered branches.
 */
async function keywordBranches(db: Db, actor: Actor, q: string): Promise<SQL[]> {
  const prefix = `${q.toUpperCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const ids = customerScope(actor) ? [] : (await searchCustomers(db, actor, q)).map((c) => c.id);
  return ids.length ? [sql`${orders.number} like ${prefix}`, inArray(orders.customerId, ids)] : [sql`${orders.number} like ${prefix}`];
}

async function orderWhere(db: Db, actor: Actor, f: OrderFilter, keyword?: SQL): Promise<SQL | undefined> {
  const conds: SQL[] = [];
  const scope = customerScope(actor);
  if (scope) conds.push(eq(orders.customerId, scope));
  if (keyword) conds.push(keyword);
  if (f.status) {
    const statuses = f.status.split(',').filter(Boolean) as OrderStatus[];
    conds.push(inArray(orders.status, statuses));
  }
  if (f.customerId) conds.push(eq(orders.customerId, f.customerId));
  if (f.ownerId) conds.push(eq(orders.salesOwnerId, f.ownerId));
  if (f.channel) conds.push(eq(orders.channel, f.channel as Channel));
  if (f.productId) conds.push(sql`exists (select 1 from ${orderLines} where ${orderLines.orderId} = ${orders.id} and ${orderLines.productId} = ${f.productId})`);
  // Created dates are business days in Asia/Shanghai.
  if (f.from) conds.push(gte(orders.createdAt, new Date(`${f.from}T00:00:00+08:00`)));
  if (f.to) conds.push(sql`${orders.createdAt} < ${new Date(new Date(`${f.to}T00:00:00+08:00`).getTime() + 86_400_000)}`);
  if (f.deliveryFrom) conds.push(gte(orders.deliveryDate, f.deliveryFrom));
  if (f.deliveryTo) conds.push(lte(orders.deliveryDate, f.deliveryTo));
  return conds.length ? and(...conds) : undefined;
}

/** Totals above this are reported as COUNT_CAP + 1 ("more than 10 000"): an exact count over a million rows costs more than the page. */
export const COUNT_CAP = 10_000;

export async function listOrders(db: Db, actor: Actor, f: OrderFilter): Promise<Page<OrderView>> {
  const order = orderByOf(
    f.sort,
    { number: orders.number, createdAt: orders.createdAt, deliveryDate: orders.deliveryDate, totalFen: orders.totalFen, customerName: orders.customerName, status: orders.status },
    [desc(orders.createdAt), desc(orders.id)],
  );
  const branches = f.q ? await keywordBranches(db, actor, f.q) : [];

  if (branches.length > 1) {
    // An OR of the keyword's alternatives would be one bitmap scan over every match, sorted; instead each alternative
    // is its own index-ordered scan that stops at the page (or at the count cap), and only their union is sorted.
    const base = await orderWhere(db, actor, f);
    const upTo = offsetOf(f) + f.pageSize;
    const ids = (b: SQL, limit: number, ordered: boolean) => {
      const q = db.select({ id: orders.id }).from(orders).where(and(base, b));
      return sql`(${(ordered ? q.orderBy(...order) : q).limit(limit)})`;
    };
    const pageIds = sql.join(
      branches.map((b) => ids(b, upTo, true)),
      sql` union `,
    );
    const capIds = sql.join(
      branches.map((b) => ids(b, COUNT_CAP + 1, false)),
      sql` union `,
    );
    const [rows, total] = await Promise.all([
      db
        .select({ o: orders, owner: users.displayName })
        .from(orders)
        .leftJoin(users, eq(users.id, orders.salesOwnerId))
        .where(sql`${orders.id} in (${pageIds})`)
        .orderBy(...order)
        .limit(f.pageSize)
        .offset(offsetOf(f)),
      queryRows<{ n: number }>(db, sql`select count(*)::int as n from (${capIds}) x`),
    ]);
    return { items: rows.map((r) => toView(r.o, r.owner)), total: Math.min(Number(total[0]?.n ?? 0), COUNT_CAP + 1), page: f.page, pageSize: f.pageSize };
  }
  if (f.productId && !f.sort?.trim()) {
    // Orders of a product, newest first: walk order_lines_product_created_idx (the line carries the order's created_at)
    // and stop at the page; an order with several lines of the product counts once (its first such line).
    const ol = alias(orderLines, 'ol');
    const productId = f.productId;
    const rest = await orderWhere(db, actor, { ...f, productId: undefined }, branches[0]);
    const cond = and(
      eq(ol.productId, productId),
      sql`${ol.lineNo} = (select min(l2.line_no) from ${orderLines} l2 where l2.order_id = ${ol.orderId} and l2.product_id = ${productId})`,
      rest,
    );
    // The count groups the index-ordered lines by order (lines of one order are adjacent there), up to the cap.
    const lines = db.select({ id: ol.orderId }).from(ol);
    const counted = (rest ? lines.innerJoin(orders, eq(orders.id, ol.orderId)) : lines)
      .where(and(eq(ol.productId, productId), rest))
      .groupBy(ol.orderCreatedAt, ol.orderId)
      .orderBy(desc(ol.orderCreatedAt), desc(ol.orderId))
      .limit(COUNT_CAP + 1)
      .as('capped');
    const [rows, total] = await Promise.all([
      db
        .select({ o: orders, owner: users.displayName })
        .from(ol)
        .innerJoin(orders, eq(orders.id, ol.orderId))
        .leftJoin(users, eq(users.id, orders.salesOwnerId))
        .where(cond)
        .orderBy(desc(ol.orderCreatedAt), desc(ol.orderId))
        .limit(f.pageSize)
        .offset(offsetOf(f)),
      db.select({ n: count() }).from(counted),
    ]);
    return { items: rows.map((r) => toView(r.o, r.owner)), total: total[0]?.n ?? 0, page: f.page, pageSize: f.pageSize };
  }
  const where = await orderWhere(db, actor, f, branches[0]);
  const [rows, total] = await Promise.all([
    db
      .select({ o: orders, owner: users.displayName })
      .from(orders)
      .leftJoin(users, eq(users.id, orders.salesOwnerId))
      .where(where)
      .orderBy(...order)
      .limit(f.pageSize)
      .offset(offsetOf(f)),
    db.select({ n: count() }).from(
      db
        .select({ one: sql`1` })
        .from(orders)
        .where(where)
        .limit(COUNT_CAP + 1)
        .as('capped'),
    ),
  ]);
  return { items: rows.map((r) => toView(r.o, r.owner)), total: total[0]?.n ?? 0, page: f.page, pageSize: f.pageSize };
}

export type QueueItem = OrderView & {
  results: ReviewResultView[];
  credit: { limitFen: number; openApprovedFen: number; overdueFen: number; thisOrderFen: number; usedPercent: number };
  history: { approvedOrders: number; rejectedOrders: number; cancelledOrders: number; lastOrderAt: Date | null };
};

/** Orders waiting for a reviewer, with the rule results, the customer's credit use and history at a glance. */
export async function reviewQueue(db: Db, actor: Actor, f: { q?: string; customerId?: string; page: number; pageSize: number; sort?: string }): Promise<Page<QueueItem>> {
  const page = await listOrders(db, actor, { ...f, status: 'in_review', sort: f.sort ?? 'createdAt' });
  const items: QueueItem[] = [];
  for (const o of page.items) {
    const [row] = await db.select({ runId: orders.lastReviewRunId }).from(orders).where(eq(orders.id, o.id));
    const results = await lastResults(db, row?.runId ?? null);
    results.sort((a, b) => RULES.indexOf(a.rule as RuleName) - RULES.indexOf(b.rule as RuleName));
    const customer = await getCustomer(db, o.customerId);
    const { openApprovedFen } = await customerExposure(db, o.customerId, o.id);
    const stats = await db
      .select({ status: orders.status, n: count(), last: sql<Date | null>`max(${orders.createdAt})` })
      .from(orders)
      .where(and(eq(orders.customerId, o.customerId), ne(orders.id, o.id)))
      .groupBy(orders.status);
    const n = (s: OrderStatus[]) => stats.filter((x) => s.includes(x.status)).reduce((a, x) => a + x.n, 0);
    const limitFen = customer?.creditLimitFen ?? 0;
    const last = stats.map((x) => (x.last ? new Date(x.last) : null)).filter((x): x is Date => !!x);
    items.push({
      ...o,
      results,
      credit: {
        limitFen,
        openApprovedFen,
        overdueFen: customer?.overdueFen ?? 0,
        thisOrderFen: o.totalFen,
        usedPercent: limitFen > 0 ? Math.round(((openApprovedFen + o.totalFen) * 100) / limitFen) : 100,
      },
      history: {
        approvedOrders: n([...OPEN_APPROVED, 'completed']),
        rejectedOrders: n(['rejected']),
        cancelledOrders: n(['cancelled']),
        lastOrderAt: last.length ? new Date(Math.max(...last.map((d) => d.getTime()))) : null,
      },
    });
  }
  return { ...page, items };
}

export type ProductOption = {
  id: string;
  code: string;
  name: string;
  spec: string | null;
  baseUnit: string;
  coldChain: boolean;
  units: { unit: string; factorToBase: string; unitPriceFen: number | null }[];
  available: string;
  inSeason: boolean;
};

/** Product search for order entry: sellable units with today's price for this customer and the stock available for the date. */
export async function searchProductsForOrder(db: Db, actor: Actor, q: { q?: string; customerId?: string; date?: string; limit?: number }): Promise<ProductOption[]> {
  void actor;
  const ids = (await listProductIds(db, { q: q.q || undefined, kind: 'produce', active: true })).slice(0, q.limit ?? 10);
  if (!ids.length) return [];
  const products = await getProducts(db, ids);
  const customer = q.customerId ? await getCustomer(db, q.customerId) : null;
  const date = q.date ?? businessDate(clock.now());
  const month = Number(date.slice(5, 7));
  const out: ProductOption[] = [];
  for (const id of ids) {
    const p = products.get(id);
    if (!p) continue;
    const sellable = [{ unit: p.baseUnit, factorToBase: '1', sellable: true }, ...p.units.filter((u) => u.unit !== p.baseUnit)].filter((u) => u.sellable);
    const units = [];
    for (const u of sellable) {
      const eff = await effectivePrice(db, { customerId: customer?.id ?? null, customerGroup: customer?.group ?? null, productId: p.id, unit: u.unit, quantity: '1', date });
      units.push({ unit: u.unit, factorToBase: u.factorToBase, unitPriceFen: eff?.unitPriceFen ?? null });
    }
    out.push({
      id: p.id,
      code: p.code,
      name: p.name,
      spec: p.spec,
      baseUnit: p.baseUnit,
      coldChain: p.coldChain,
      units,
      available: await availableQuantity(db, p.id, { onDate: date, minRemainingShelfLifeDays: customer?.minRemainingShelfLifeDays ?? undefined }),
      inSeason: !p.seasonMonths.length || p.seasonMonths.includes(month),
    });
  }
  return out;
}
