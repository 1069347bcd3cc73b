/**
 * Carriers and their contracts (service, temperature class and band, transit days, terms, rates, validity), and the
 * delivery-method proposal for an order: which contracts can reach its region by its delivery date at the temperature
 * its products need, at what cost, and why the others are excluded. An expired contract cannot be chosen.
 */
import { and, asc, count, eq, sql, type SQL } from 'drizzle-orm';
import type { Actor } from '../../platform/auth/actor.js';
import { recordAudit } from '../../platform/audit/audit.service.js';
import { businessDate, clock } from '../../platform/clock.js';
import type { Db } from '../../platform/db/client.js';
import { DomainError } from '../../platform/errors/domain-error.js';
import { offsetOf, orderByOf, type Page } from '../../platform/http/list.js';
import type { Locale } from '../../platform/i18n/locale.js';
import { Q } from '../../platform/quantity.js';
import { convertQuantity, getOrder, getProducts, getRegion, type OrderDetail, type ProductInfo } from './deps.js';
import { EXCLUSION_REASONS, LogisticsErrors, type ExclusionCode } from './logistics.errors.js';
import { carrierContracts, carriers, deliveryChoices, type RegionRate, type ServiceType, type TempClass } from './logistics.tables.js';

type CarrierRow = typeof carriers.$inferSelect;
type ContractRow = typeof carrierContracts.$inferSelect;

export type CarrierView = Omit<CarrierRow, never> & { validContracts: number; contracts: number };
export type ContractState = 'valid' | 'expired' | 'not_started';
export type ContractView = Omit<ContractRow, 'tempMinC' | 'tempMaxC' | 'archivedAt'> & {
  carrierCode: string;
  carrierName: string;
  tempMinC: number | null;
  tempMaxC: number | null;
  state: ContractState;
};

export type CarrierInput = {
  code: string;
  name: string;
  nameEn?: string | null;
  ownFleet?: boolean;
  contactName?: string | null;
  phone?: string | null;
  trackingUrlTemplate?: string | null;
  active?: boolean;
  note?: string | null;
};
export type ContractInput = {
  carrierId: string;
  number: string;
  serviceType: ServiceType;
  coldChain?: boolean;
  tempClass?: TempClass;
  tempMinC?: number | null;
  tempMaxC?: number | null;
  transitDays: number;
  regions?: string[];
  perKgFen?: number;
  perShipmentFen?: number;
  minChargeFen?: number;
  regionRates?: RegionRate[];
  qualityTerms?: string | null;
  safetyTerms?: string | null;
  liabilityTerms?: string | null;
  liabilityLimitFen?: number | null;
  documents?: { name: string; url: string }[];
  validFrom: string;
  validTo: string;
};

export const today = (): string => businessDate(clock.now());

export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

const fieldError = (code: string, field: string, params: Record<string, unknown> = {}) => new DomainError(code, params, [{ field, code }]);

// ---------------------------------------------------------------- carriers

function contractStateSql(on: string): SQL {
  return sql`case when ${carrierContracts.validTo} < ${on}::date then 'expired' when ${carrierContracts.validFrom} > ${on}::date then 'not_started' else 'valid' end`;
}

export async function listCarriers(db: Db, f: { q?: string; active?: boolean; ownFleet?: boolean; page: number; pageSize: number; sort?: string }): Promise<Page<CarrierView>> {
  const conds: SQL[] = [];
  if (f.q) conds.push(sql`(${carriers.code} ilike ${`%${f.q}%`} or ${carriers.name} ilike ${`%${f.q}%`} or ${carriers.nameEn} ilike ${`%${f.q}%`})`);
  if (f.active !== undefined) conds.push(eq(carriers.active, f.active));
  if (f.ownFleet !== undefined) conds.push(eq(carriers.ownFleet, f.ownFleet));
  const where = conds.length ? and(...conds) : undefined;
  const on = today();
  const valid = sql<number>`(select count(*)::int from ${carrierContracts} c where c.carrier_id = carriers.id and c.archived_at is null and c.valid_from <= ${on}::date and c.valid_to >= ${on}::date)`;
  const all = sql<number>`(select count(*)::int from ${carrierContracts} c where c.carrier_id = carriers.id and c.archived_at is null)`;
  const order = orderByOf(f.sort, { code: carriers.code, name: carriers.name, createdAt: carriers.createdAt, validContracts: valid }, [asc(carriers.code)]);
  const [rows, total] = await Promise.all([
    db
      .select({ c: carriers, validContracts: valid, contracts: all })
      .from(carriers)
      .where(where)
      .orderBy(...order)
      .limit(f.pageSize)
      .offset(offsetOf(f)),
    db.select({ n: count() }).from(carriers).where(where),
  ]);
  return {
    items: rows.map((r) => ({ ...r.c, validContracts: Number(r.validContracts), contracts: Number(r.contracts) })),
    total: total[0]?.n ?? 0,
    page: f.page,
    pageSize: f.pageSize,
  };
}

export async function getCarrier(db: Db, id: string): Promise<CarrierView> {
  const [r] = await db.select().from(carriers).where(eq(carriers.id, id));
  if (!r) throw new DomainError(LogisticsErrors.CARRIER_NOT_FOUND);
  const page = await listCarriers(db, { q: r.code, page: 1, pageSize: 200 });
  return page.items.find((c) => c.id === id)!;
}

export async function createCarrier(db: Db, actor: Actor, input: CarrierInput): Promise<CarrierView> {
  const code = input.code.trim().toUpperCase();
  const [taken] = await db.select({ id: carriers.id }).from(carriers).where(eq(carriers.code, code));
  if (taken) throw fieldError(LogisticsErrors.CARRIER_CODE_TAKEN, 'code', { code });
  const [r] = await db
    .insert(carriers)
    .values({
      code,
      name: input.name.trim(),
      nameEn: input.nameEn?.trim() || null,
      ownFleet: input.ownFleet ?? false,
      contactName: input.contactName ?? null,
      phone: input.phone ?? null,
      trackingUrlTemplate: input.trackingUrlTemplate ?? null,
      active: input.active ?? true,
      note: input.note ?? null,
    })
    .returning();
  await recordAudit(db, actor, { action: 'carrier.create', entity: 'carrier', entityId: r!.id, after: r });
  return { ...r!, validContracts: 0, contracts: 0 };
}

export async function updateCarrier(db: Db, actor: Actor, id: string, patch: Partial<Omit<CarrierInput, 'code'>>): Promise<CarrierView> {
  const [before] = await db.select().from(carriers).where(eq(carriers.id, id)).for('update');
  if (!before) throw new DomainError(LogisticsErrors.CARRIER_NOT_FOUND);
  const [after] = await db
    .update(carriers)
    .set({ ...patch, ...(patch.name ? { name: patch.name.trim() } : {}), updatedAt: clock.now() })
    .where(eq(carriers.id, id))
    .returning();
  await recordAudit(db, actor, { action: 'carrier.update', entity: 'carrier', entityId: id, before, after });
  return getCarrier(db, id);
}

// ---------------------------------------------------------------- contracts

function contractView(r: ContractRow, carrier: Pick<CarrierRow, 'code' | 'name'>, on: string): ContractView {
  const { archivedAt: _a, tempMinC, tempMaxC, ...rest } = r;
  return {
    ...rest,
    carrierCode: carrier.code,
    carrierName: carrier.name,
    tempMinC: tempMinC === null ? null : Number(tempMinC),
    tempMaxC: tempMaxC === null ? null : Number(tempMaxC),
    state: r.validTo < on ? 'expired' : r.validFrom > on ? 'not_started' : 'valid',
  };
}

export async function listContracts(
  db: Db,
  f: {
    q?: string;
    carrierId?: string;
    serviceType?: ServiceType;
    tempClass?: TempClass;
    coldChain?: boolean;
    state?: ContractState;
    page: number;
    pageSize: number;
    sort?: string;
  },
): Promise<Page<ContractView>> {
  const on = today();
  const conds: SQL[] = [sql`${carrierContracts.archivedAt} is null`];
  if (f.q) conds.push(sql`(${carrierContracts.number} ilike ${`%${f.q}%`} or ${carriers.name} ilike ${`%${f.q}%`} or ${carriers.code} ilike ${`%${f.q}%`})`);
  if (f.carrierId) conds.push(eq(carrierContracts.carrierId, f.carrierId));
  if (f.serviceType) conds.push(eq(carrierContracts.serviceType, f.serviceType));
  if (f.tempClass) conds.push(eq(carrierContracts.tempClass, f.tempClass));
  if (f.coldChain !== undefined) conds.push(eq(carrierContracts.coldChain, f.coldChain));
  if (f.state) conds.push(sql`${contractStateSql(on)} = ${f.state}`);
  const where = and(...conds);
  const order = orderByOf(
    f.sort,
    {
      number: carrierContracts.number,
      carrier: carriers.code,
      validFrom: carrierContracts.validFrom,
      validTo: carrierContracts.validTo,
      transitDays: carrierContracts.transitDays,
      perKgFen: carrierContracts.perKgFen,
      createdAt: carrierContracts.createdAt,
    },
    [asc(carrierContracts.number)],
  );
  const [rows, total] = await Promise.all([
    db
      .select({ k: carrierContracts, code: carriers.code, name: carriers.name })
      .from(carrierContracts)
      .innerJoin(carriers, eq(carriers.id, carrierContracts.carrierId))
      .where(where)
      .orderBy(...order)
      .limit(f.pageSize)
      .offset(offsetOf(f)),
    db.select({ n: count() }).from(carrierContracts).innerJoin(carriers, eq(carriers.id, carrierContracts.carrierId)).where(where),
  ]);
  return { items: rows.map((r) => contractView(r.k, r, on)), total: total[0]?.n ?? 0, page: f.page, pageSize: f.pageSize };
}

export async function getContract(db: Db, id: string): Promise<ContractView> {
  const [r] = await db
    .select({ k: carrierContracts, code: carriers.code, name: carriers.name })
    .from(carrierContracts)
    .innerJoin(carriers, eq(carriers.id, carrierContracts.carrierId))
    .where(and(eq(carrierContracts.id, id), sql`${carrierContracts.archivedAt} is null`));
  if (!r) throw new DomainError(LogisticsErrors.CONTRACT_NOT_FOUND);
  return contractView(r.k, r, today());
}

function checkContract(c: Pick<ContractInput, 'validFrom' | 'validTo' | 'coldChain' | 'tempMinC' | 'tempMaxC'>): void {
  if (c.validTo < c.validFrom) throw fieldError(LogisticsErrors.CONTRACT_DATES_INVALID, 'validTo');
  const banded = c.tempMinC !== null && c.tempMinC !== undefined && c.tempMaxC !== null && c.tempMaxC !== undefined;
  if (c.coldChain && !banded) throw fieldError(LogisticsErrors.CONTRACT_TEMP_BAND_INVALID, c.tempMinC === null || c.tempMinC === undefined ? 'tempMinC' : 'tempMaxC');
  if (banded && c.tempMinC! > c.tempMaxC!) throw fieldError(LogisticsErrors.CONTRACT_TEMP_BAND_INVALID, 'tempMaxC');
}

const tempText = (v: number | null | undefined): string | null => (v === null || v === undefined ? null : v.toFixed(1));

export async function createContract(db: Db, actor: Actor, input: ContractInput): Promise<ContractView> {
  const [carrier] = await db.select().from(carriers).where(eq(carriers.id, input.carrierId));
  if (!carrier) throw fieldError(LogisticsErrors.CARRIER_NOT_FOUND_REF, 'carrierId');
  const number = input.number.trim().toUpperCase();
  const [taken] = await db.select({ id: carrierContracts.id }).from(carrierContracts).where(eq(carrierContracts.number, number));
  if (taken) throw fieldError(LogisticsErrors.CONTRACT_NUMBER_TAKEN, 'number', { number });
  const coldChain = input.coldChain ?? input.serviceType === 'cold_chain';
  checkContract({ ...input, coldChain });
  const [r] = await db
    .insert(carrierContracts)
    .values({
      carrierId: input.carrierId,
      number,
      serviceType: input.serviceType,
      coldChain,
      tempClass: input.tempClass ?? (coldChain ? 'chilled' : 'ambient'),
      tempMinC: tempText(input.tempMinC),
      tempMaxC: tempText(input.tempMaxC),
      transitDays: input.transitDays,
      regions: [...new Set(input.regions ?? [])],
      perKgFen: input.perKgFen ?? 0,
      perShipmentFen: input.perShipmentFen ?? 0,
      minChargeFen: input.minChargeFen ?? 0,
      regionRates: input.regionRates ?? [],
      qualityTerms: input.qualityTerms ?? null,
      safetyTerms: input.safetyTerms ?? null,
      liabilityTerms: input.liabilityTerms ?? null,
      liabilityLimitFen: input.liabilityLimitFen ?? null,
      documents: input.documents ?? [],
      validFrom: input.validFrom,
      validTo: input.validTo,
    })
    .returning();
  await recordAudit(db, actor, { action: 'carrier-contract.create', entity: 'carrier_contract', entityId: r!.id, after: r });
  return contractView(r!, carrier, today());
}

export async function updateContract(db: Db, actor: Actor, id: string, patch: Partial<Omit<ContractInput, 'carrierId' | 'number'>>): Promise<ContractView> {
  const [before] = await db.select().from(carrierContracts).where(eq(carrierContracts.id, id)).for('update');
  if (!before || before.archivedAt) throw new DomainError(LogisticsErrors.CONTRACT_NOT_FOUND);
  const merged = {
    validFrom: patch.validFrom ?? before.validFrom,
    validTo: patch.validTo ?? before.validTo,
    coldChain: patch.coldChain ?? before.coldChain,
    tempMinC: patch.tempMinC !== undefined ? patch.tempMinC : before.tempMinC === null ? null : Number(before.tempMinC),
    tempMaxC: patch.tempMaxC !== undefined ? patch.tempMaxC : before.tempMaxC === null ? null : Number(before.tempMaxC),
  };
  checkContract(merged);
  const { tempMinC, tempMaxC, ...rest } = patch;
  const [after] = await db
    .update(carrierContracts)
    .set({
      ...rest,
      ...(tempMinC !== undefined ? { tempMinC: tempText(tempMinC) } : {}),
      ...(tempMaxC !== undefined ? { tempMaxC: tempText(tempMaxC) } : {}),
      updatedAt: clock.now(),
    })
    .where(eq(carrierContracts.id, id))
    .returning();
  await recordAudit(db, actor, { action: 'carrier-contract.update', entity: 'carrier_contract', entityId: id, before, after });
  return getContract(db, id);
}

// ---------------------------------------------------------------- delivery method proposal

/** Whether a region code lies within a served code (a province 440000 covers 44xxxx, a city 440300 covers 4403xx). */
export function regionCovers(served: string, region: string): boolean {
  const prefix = served.endsWith('0000') ? served.slice(0, 2) : served.endsWith('00') ? served.slice(0, 4) : served;
  return region.startsWith(prefix);
}

/** The rate for a region: the most specific region rate that covers it, else the contract's base rates. */
export function rateFor(c: Pick<ContractRow, 'perKgFen' | 'perShipmentFen' | 'regionRates'>, region: string | null): { perKgFen: number; perShipmentFen: number; basis: string } {
  const best = region
    ? c.regionRates.filter((r) => regionCovers(r.regionCode, region)).sort((a, b) => b.regionCode.replace(/0+$/, '').length - a.regionCode.replace(/0+$/, '').length)[0]
    : undefined;
  return best
    ? { perKgFen: best.perKgFen, perShipmentFen: best.perShipmentFen, basis: best.regionCode }
    : { perKgFen: c.perKgFen, perShipmentFen: c.perShipmentFen, basis: 'base' };
}

/** Cost in fen: per shipment plus per kg (rounded up to the fen), at least the minimum charge. */
export function costFen(
  c: Pick<ContractRow, 'perKgFen' | 'perShipmentFen' | 'regionRates' | 'minChargeFen'>,
  region: string | null,
  weightKg: string,
): { costFen: number; basis: string } {
  const r = rateFor(c, region);
  const cost = new Q(weightKg).mul(r.perKgFen).ceil().plus(r.perShipmentFen).toNumber();
  return { costFen: Math.max(cost, c.minChargeFen), basis: r.basis };
}

export type OrderNeeds = { coldChain: boolean; tempClasses: TempClass[]; band: { min: number; max: number } | null };

const PROFILE_CLASS: Record<string, TempClass> = { frozen: 'frozen', chilled: 'chilled', cool: 'cool', chilling_sensitive: 'cool', warm: 'ambient', ambient: 'ambient' };

/** What an order's products need on the road: a cold chain when any of them does, within the band all of them accept. */
export function needsOf(order: Pick<OrderDetail, 'coldChain' | 'lines'>, products: Map<string, ProductInfo>): OrderNeeds {
  const cold = order.lines.map((l) => (l.productId ? products.get(l.productId) : undefined)).filter((p): p is ProductInfo => !!p && p.coldChain);
  let band: { min: number; max: number } | null = null;
  for (const p of cold) {
    if (p.tempMinC === null || p.tempMaxC === null) continue;
    band = band ? { min: Math.max(band.min, p.tempMinC), max: Math.min(band.max, p.tempMaxC) } : { min: p.tempMinC, max: p.tempMaxC };
  }
  return { coldChain: order.coldChain || cold.length > 0, tempClasses: [...new Set(cold.map((p) => PROFILE_CLASS[p.tempProfile] ?? 'ambient'))], band };
}

/** An order's weight in kg: lines in products sold by weight (base unit kg, or a kg unit), exact. */
export function weightOf(order: Pick<OrderDetail, 'lines'>, products: Map<string, ProductInfo>): string {
  let kg = new Q(0);
  for (const l of order.lines) {
    const p = l.productId ? products.get(l.productId) : undefined;
    if (!p || !l.baseQuantity) continue;
    if (p.baseUnit === 'kg') kg = kg.plus(l.baseQuantity);
    else if (p.units.some((u) => u.unit === 'kg')) kg = kg.plus(convertQuantity(p, l.baseQuantity, p.baseUnit, 'kg'));
  }
  return kg.toFixed(3);
}

const band = (min: number | null, max: number | null): string | null => (min === null || max === null ? null : `${min}–${max} °C`);

export type Exclusion = { code: ExclusionCode; params: Record<string, string | number> };

/** Why a contract cannot carry an order (empty: it can). Pure: the proposal and the choice use the same rules. */
export function exclusionsOf(
  c: ContractView & { carrierActive: boolean },
  o: { region: string | null; latest: string | null; dispatchDate: string; needs: OrderNeeds },
): Exclusion[] {
  const out: Exclusion[] = [];
  if (!c.carrierActive) out.push({ code: 'CARRIER_INACTIVE', params: {} });
  if (c.validTo < o.dispatchDate) out.push({ code: 'CONTRACT_EXPIRED', params: { validTo: c.validTo } });
  else if (c.validFrom > o.dispatchDate) out.push({ code: 'CONTRACT_NOT_STARTED', params: { validFrom: c.validFrom } });
  if (c.regions.length && !(o.region && c.regions.some((r) => regionCovers(r, o.region!)))) out.push({ code: 'REGION_NOT_SERVED', params: { region: o.region ?? '-' } });
  const arrival = addDays(o.dispatchDate, c.transitDays);
  if (o.latest && arrival > o.latest) out.push({ code: 'TOO_SLOW', params: { transitDays: c.transitDays, arrival, deliveryDate: o.latest } });
  const needed = o.needs.band ? `${o.needs.band.min}–${o.needs.band.max} °C` : o.needs.tempClasses.join('/') || 'cold';
  if (o.needs.coldChain) {
    if (!c.coldChain) out.push({ code: 'NOT_COLD_CHAIN', params: { needed } });
    else if (o.needs.band) {
      if (c.tempMinC === null || c.tempMaxC === null || c.tempMinC < o.needs.band.min || c.tempMaxC > o.needs.band.max)
        out.push({ code: 'TEMPERATURE_MISMATCH', params: { band: band(c.tempMinC, c.tempMaxC) ?? c.tempClass, needed } });
    } else if (o.needs.tempClasses.length && !o.needs.tempClasses.includes(c.tempClass)) out.push({ code: 'TEMPERATURE_MISMATCH', params: { band: c.tempClass, needed } });
  }
  return out;
}

export function exclusionText(e: Exclusion, locale: Locale): string {
  const t = EXCLUSION_REASONS[e.code][locale === 'en-US' ? 'en' : 'zh'];
  return t.replace(/\{(\w+)\}/g, (_, k: string) => String(e.params[k] ?? ''));
}

export type DeliveryChoiceView = {
  contractId: string;
  contractNumber: string;
  carrierId: string;
  carrierName: string;
  costFen: number;
  weightKg: string;
  dispatchDate: string;
  arrivalDate: string;
  chosenBy: string;
  chosenAt: Date;
};

async function choiceOf(db: Db, orderId: string): Promise<DeliveryChoiceView | null> {
  const [r] = await db
    .select({ d: deliveryChoices, number: carrierContracts.number, carrierName: carriers.name })
    .from(deliveryChoices)
    .innerJoin(carrierContracts, eq(carrierContracts.id, deliveryChoices.contractId))
    .innerJoin(carriers, eq(carriers.id, deliveryChoices.carrierId))
    .where(eq(deliveryChoices.orderId, orderId));
  if (!r) return null;
  const d = r.d;
  return {
    contractId: d.contractId,
    contractNumber: r.number,
    carrierId: d.carrierId,
    carrierName: r.carrierName,
    costFen: d.costFen,
    weightKg: d.weightKg,
    dispatchDate: d.dispatchDate,
    arrivalDate: d.arrivalDate,
    chosenBy: d.chosenBy,
    chosenAt: d.chosenAt,
  };
}

async function evaluate(db: Db, actor: Actor, orderId: string, dispatchDate: string | undefined) {
  const order = await getOrder(db, actor, orderId);
  const products = await getProducts(
    db,
    order.lines.map((l) => l.productId).filter((x): x is string => !!x),
  );
  const needs = needsOf(order, products);
  const weightKg = weightOf(order, products);
  const region = order.address?.regionCode ?? order.deliveryRegion;
  const dispatch = dispatchDate ?? today();
  const latest = order.deliveryDateTo ?? order.deliveryDate;
  const rows = await db
    .select({ k: carrierContracts, code: carriers.code, name: carriers.name, active: carriers.active })
    .from(carrierContracts)
    .innerJoin(carriers, eq(carriers.id, carrierContracts.carrierId))
    .where(sql`${carrierContracts.archivedAt} is null`)
    .orderBy(asc(carrierContracts.number));
  const evaluated = rows.map((r) => {
    const c = { ...contractView(r.k, r, dispatch), carrierActive: r.active };
    return { c, row: r.k, exclusions: exclusionsOf(c, { region, latest, dispatchDate: dispatch, needs }) };
  });
  return { order, needs, weightKg, region, dispatch, latest, evaluated };
}

export type Proposal = {
  orderId: string;
  orderNumber: string;
  region: string | null;
  deliveryDate: string | null;
  dispatchDate: string;
  weightKg: string;
  needs: { coldChain: boolean; tempClasses: string[]; tempBand: string | null };
  options: {
    contractId: string;
    contractNumber: string;
    carrierId: string;
    carrierName: string;
    serviceType: ServiceType;
    coldChain: boolean;
    tempClass: TempClass;
    tempBand: string | null;
    transitDays: number;
    arrivalDate: string;
    costFen: number;
    rateBasis: string;
  }[];
  excluded: { contractId: string; contractNumber: string; carrierName: string; reasons: { code: string; message: string }[] }[];
  chosen: DeliveryChoiceView | null;
};

/** The delivery methods for an order, cheapest first, and the contracts excluded with their reasons in the user's language. */
export async function proposeDelivery(db: Db, actor: Actor, orderId: string, q: { dispatchDate?: string }, locale: Locale): Promise<Proposal> {
  const e = await evaluate(db, actor, orderId, q.dispatchDate);
  const regionName = e.region ? getRegion(e.region) : null;
  const options = e.evaluated
    .filter((x) => !x.exclusions.length)
    .map(({ c, row }) => {
      const cost = costFen(row, e.region, e.weightKg);
      return {
        contractId: c.id,
        contractNumber: c.number,
        carrierId: c.carrierId,
        carrierName: c.carrierName,
        serviceType: c.serviceType,
        coldChain: c.coldChain,
        tempClass: c.tempClass,
        tempBand: band(c.tempMinC, c.tempMaxC),
        transitDays: c.transitDays,
        arrivalDate: addDays(e.dispatch, c.transitDays),
        costFen: cost.costFen,
        rateBasis: cost.basis,
      };
    })
    .sort((a, b) => a.costFen - b.costFen || a.transitDays - b.transitDays || a.contractNumber.localeCompare(b.contractNumber));
  return {
    orderId,
    orderNumber: e.order.number,
    region: e.region ? `${e.region}${regionName ? ` ${regionName.name}` : ''}` : null,
    deliveryDate: e.latest,
    dispatchDate: e.dispatch,
    weightKg: e.weightKg,
    needs: { coldChain: e.needs.coldChain, tempClasses: e.needs.tempClasses, tempBand: e.needs.band ? band(e.needs.band.min, e.needs.band.max) : null },
    options,
    excluded: e.evaluated
      .filter((x) => x.exclusions.length)
      .map(({ c, exclusions }) => ({
        contractId: c.id,
        contractNumber: c.number,
        carrierName: c.carrierName,
        reasons: exclusions.map((x) => ({ code: x.code, message: exclusionText(x, locale) })),
      })),
    chosen: await choiceOf(db, orderId),
  };
}

/** Chooses a contract for an order; one the proposal excludes (expired, too slow, wrong temperature …) is refused with its reasons. */
export async function chooseDelivery(db: Db, actor: Actor, orderId: string, input: { contractId: string; dispatchDate?: string }, locale: Locale): Promise<DeliveryChoiceView> {
  const e = await evaluate(db, actor, orderId, input.dispatchDate);
  if (['shipped', 'delivered', 'completed', 'cancelled', 'rejected'].includes(e.order.status))
    throw new DomainError(LogisticsErrors.ORDER_NOT_READY_FOR_LOGISTICS, { number: e.order.number, status: e.order.status });
  const hit = e.evaluated.find((x) => x.c.id === input.contractId);
  if (!hit) throw fieldError(LogisticsErrors.CONTRACT_NOT_FOUND, 'contractId');
  if (hit.exclusions.length)
    throw fieldError(LogisticsErrors.CONTRACT_NOT_ELIGIBLE, 'contractId', {
      number: hit.c.number,
      reason: hit.exclusions.map((x) => exclusionText(x, locale)).join(locale === 'en-US' ? '; ' : ';'),
    });
  const cost = costFen(hit.row, e.region, e.weightKg);
  const values = {
    orderId,
    contractId: hit.c.id,
    carrierId: hit.c.carrierId,
    costFen: cost.costFen,
    weightKg: e.weightKg,
    dispatchDate: e.dispatch,
    arrivalDate: addDays(e.dispatch, hit.c.transitDays),
    chosenBy: actor.displayName,
    chosenAt: clock.now(),
  };
  const before = await choiceOf(db, orderId);
  await db.insert(deliveryChoices).values(values).onConflictDoUpdate({ target: deliveryChoices.orderId, set: values });
  await recordAudit(db, actor, {
    action: 'order.delivery-method',
    entity: 'order',
    entityId: orderId,
    before,
    after: { ...values, contractNumber: hit.c.number, rateBasis: cost.basis },
  });
  return (await choiceOf(db, orderId))!;
}
