export type ServiceType = 'standard' | 'express' | 'cold_chain' | 'freight' | 'own_fleet';
export type TempClass = 'frozen' | 'chilled' | 'cool' | 'ambient';
export type ContractState = 'valid' | 'expired' | 'not_started';

export type Carrier = {
  id: string;
  code: string;
  name: string;
  nameEn: string | null;
  ownFleet: boolean;
  contactName: string | null;
  phone: string | null;
  trackingUrlTemplate: string | null;
  active: boolean;
  validContracts: number;
  contracts: number;
};

export type Contract = {
  id: string;
  carrierId: string;
  carrierCode: string;
  carrierName: string;
  number: string;
  serviceType: ServiceType;
  coldChain: boolean;
  tempClass: TempClass;
  tempMinC: number | null;
  tempMaxC: number | null;
  transitDays: number;
  regions: string[];
  perKgFen: number;
  perShipmentFen: number;
  minChargeFen: number;
  validFrom: string;
  validTo: string;
  state: ContractState;
};

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
    carrierName: string;
    serviceType: ServiceType;
    tempClass: TempClass;
    tempBand: string | null;
    transitDays: number;
    arrivalDate: string;
    costFen: number;
    rateBasis: string;
  }[];
  excluded: { contractId: string; contractNumber: string; carrierName: string; reasons: { code: string; message: string }[] }[];
  chosen: { contractId: string; contractNumber: string; carrierName: string; costFen: number; arrivalDate: string } | null;
};

export type PickStatus = 'open' | 'confirmed' | 'cancelled';
export type PickLine = {
  id: string;
  seq: number;
  orderNumber: string;
  productCode: string;
  productName: string;
  lotCode: string;
  expiryDate: string;
  locationCode: string;
  warehouseCode: string;
  unit: string;
  quantity: string;
  pickedQuantity: string | null;
  scannedLotCode: string | null;
  status: 'open' | 'picked' | 'short';
};
export type Backorder = {
  id: string;
  orderId: string;
  orderNumber: string;
  pickListNumber: string;
  productCode: string;
  productName: string;
  unit: string;
  quantity: string;
  status: 'open' | 'resolved';
  createdAt: string;
};
export type PickListSummary = {
  id: string;
  number: string;
  orderNumbers: string[];
  status: PickStatus;
  lineCount: number;
  shortLines: number;
  createdBy: string;
  createdAt: string;
  confirmedBy: string | null;
  confirmedAt: string | null;
};
export type PickListDetail = PickListSummary & { note: string | null; lines: PickLine[]; backorders: Backorder[] };

export const STATE_COLORS: Record<ContractState, string> = { valid: 'green', expired: 'red', not_started: 'default' };
export const PICK_COLORS: Record<PickStatus, string> = { open: 'blue', confirmed: 'green', cancelled: 'default' };

export type ShipmentStatus = 'packing' | 'checked' | 'dispatched' | 'delivered' | 'failed';
export type Shipment = {
  id: string;
  number: string;
  orderId: string;
  orderNumber: string;
  customerName: string;
  status: ShipmentStatus;
  coldChain: boolean;
  tempMinC: number | null;
  tempMaxC: number | null;
  weightStatus: 'ok' | 'needs_approval' | 'approved';
  carrierName: string | null;
  trackingNumber: string | null;
  trackingUrl: string | null;
  driver: string | null;
  vehicle: string | null;
  dispatchedAt: string | null;
  deliveredAt: string | null;
  receiver: string | null;
  failedReason: string | null;
  excursion: boolean;
  createdAt: string;
};
export type ShipmentDetail = Shipment & {
  lines: {
    id: string;
    orderLineId: string;
    lineNo: number;
    productName: string;
    catchWeight: boolean;
    unit: string;
    nominalQuantity: string;
    actualKg: string | null;
    orderedAmountFen: number;
    invoicedAmountFen: number;
    deviationPct: number | null;
    lots: { lotCode: string; quantity: string }[];
  }[];
  packages: { id: string; seq: number; sscc: string; packageType: string; orderLineId: string; quantity: string; actualKg: string | null }[];
  checks: {
    id: string;
    passed: boolean;
    checkedBy: string;
    checkedAt: string;
    productTempC: number | null;
    results: { item: 'packaging_intact' | 'labels_present' | 'temperature_in_band' | 'lots_released'; passed: boolean; note: string | null }[];
  }[];
  readings: { at: string; celsius: number; deviceId: string; outOfBand: boolean }[];
};
export const SHIPMENT_COLORS: Record<ShipmentStatus, string> = { packing: 'blue', checked: 'cyan', dispatched: 'geekblue', delivered: 'green', failed: 'red' };
