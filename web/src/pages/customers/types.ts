export type CustomerKind = 'company' | 'individual';
export type CustomerStatus = 'prospect' | 'active' | 'suspended';
export type CreditRating = 'A' | 'B' | 'C' | 'D';
export type QualificationType = 'business_licence' | 'food_permit' | 'other';

export type CustomerSummary = {
  id: string;
  code: string;
  name: string;
  kind: CustomerKind;
  status: CustomerStatus;
  usci: string | null;
  creditLimitFen: number;
  overdueFen: number;
  paymentTermsDays: number;
  creditRating: CreditRating;
  regionCode: string | null;
  regionName: string | null;
  salesOwnerId: string | null;
  salesOwnerName: string | null;
  group: string | null;
  minRemainingShelfLifeDays: number | null;
  tags: string[];
  note: string | null;
  nextQualificationExpiry: string | null;
  createdAt: string;
  updatedAt: string;
};

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
export type Contact = { id: string; customerId: string; name: string; title: string | null; phone: string | null; email: string | null; isPrimary: boolean };
export type Address = {
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
export type CustomerDetail = CustomerSummary & { qualifications: Qualification[]; contacts: Contact[]; addresses: Address[]; piiMasked: boolean };
export type ExpiringQualification = Qualification & { customerId: string; customerCode: string; customerName: string; salesOwnerId: string | null; daysLeft: number };
export type StatusHistory = { fromState: string | null; toState: string; event: string; actorName: string; reason: string | null; at: string };

export type CustomerWrite = {
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

export const CUSTOMER_STATUS_COLORS: Record<CustomerStatus, string> = { prospect: 'blue', active: 'green', suspended: 'red' };
