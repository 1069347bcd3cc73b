export type OrderStatus =
  'draft' | 'needs_confirmation' | 'submitted' | 'in_review' | 'approved' | 'rejected' | 'cancelled' | 'in_production' | 'ready' | 'shipped' | 'delivered' | 'completed';
export type Channel = 'phone' | 'email' | 'online' | 'wechat' | 'visit' | 'api' | 'import';
export type Outcome = 'pass' | 'warn' | 'fail';
export type RuleName = 'qualification' | 'new_customer' | 'credit' | 'price' | 'delivery' | 'availability';

export type Question = { code: string; lineNo?: number; zh: string; en: string };
export type ReviewResult = { rule: RuleName; outcome: Outcome; code: string; details: Record<string, unknown>; rerun: boolean };

export type Order = {
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
  questions: Question[];
  version: number;
  createdAt: string;
  updatedAt: string;
  submittedAt: string | null;
  approvedAt: string | null;
};

export type OrderLine = {
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

export type TimelineEntry =
  | { kind: 'state'; at: string; from: string | null; to: string; event: string; actorName: string; reason: string | null }
  | { kind: 'review'; at: string; runId: string; trigger: string; outcome: string; actorName: string; results: ReviewResult[] };

export type OrderDetail = Order & {
  lines: OrderLine[];
  address: { id: string; label: string; regionCode: string; address: string; receiver: string; phone: string } | null;
  contact: { id: string; name: string; phone: string | null } | null;
  review: { id: string; trigger: string; outcome: string; actorName: string; at: string; results: ReviewResult[] } | null;
  timeline: TimelineEntry[];
};

export type QueueItem = Order & {
  results: ReviewResult[];
  credit: { limitFen: number; openApprovedFen: number; overdueFen: number; thisOrderFen: number; usedPercent: number };
  history: { approvedOrders: number; rejectedOrders: number; cancelledOrders: number; lastOrderAt: string | null };
};

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

export type InquiryStatus = 'open' | 'quoted' | 'converted' | 'lost';
export type InquiryNeed = {
  productId: string | null;
  description: string;
  spec: string | null;
  quantity: string | null;
  unit: string | null;
  deliveryDate: string | null;
  deliveryPlace: string | null;
};
export type Inquiry = {
  id: string;
  number: string;
  channel: 'phone' | 'email' | 'online' | 'wechat' | 'visit';
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
  receivedAt: string;
  closedAt: string | null;
  createdAt: string;
};

export type ConversionRow = { key: string; label: string; total: number; open: number; quoted: number; converted: number; lost: number; ratePercent: number };

export type ImportJob = {
  id: string;
  fileName: string;
  mode: 'draft' | 'submit';
  status: 'running' | 'done' | 'failed';
  total: number;
  processed: number;
  created: number;
  skipped: number;
  failed: number;
  report: { row: number; ok: boolean; orderId?: string; orderNumber?: string; skipped?: boolean; errors: { field: string; message: string }[] }[];
  error: string | null;
  createdAt: string;
  finishedAt: string | null;
};

/** What the customers API returns for one customer (addresses and contacts for order entry). */
export type CustomerPick = {
  id: string;
  code: string;
  name: string;
  status: string;
  creditLimitFen: number;
  overdueFen: number;
  paymentTermsDays: number;
  salesOwnerName: string | null;
  addresses?: { id: string; label: string; address: string; receiver: string; phone: string; isDefault: boolean }[];
  contacts?: { id: string; name: string; phone: string | null; isPrimary: boolean }[];
};
