export type ProductKind = 'produce' | 'material';
export type MaterialType = 'seed' | 'fertiliser' | 'pesticide' | 'packaging';
export type TempProfile = 'frozen' | 'chilled' | 'cool' | 'chilling_sensitive' | 'warm' | 'ambient';
export type LabelStandard = 'GB7718-2011' | 'GB7718-2025' | 'bulk';
export type ProductUnit = { unit: string; factorToBase: string; sellable: boolean };

export type Product = {
  id: string;
  code: string;
  name: string;
  nameEn: string | null;
  kind: ProductKind;
  materialType: MaterialType | null;
  category: string;
  variety: string | null;
  spec: string | null;
  grade: string | null;
  baseUnit: string;
  units: ProductUnit[];
  originRegion: string | null;
  originRegionName: string | null;
  shelfLifeDays: number | null;
  storageConditions: string | null;
  tempProfile: TempProfile;
  tempMinC: number | null;
  tempMaxC: number | null;
  coldChain: boolean;
  seasonMonths: number[];
  gtin: string | null;
  catchWeight: boolean;
  labelStandard: LabelStandard;
  prepackaged: boolean;
  phiDays: number | null;
  allowedUse: boolean;
  safetyStock: string;
  reorderPoint: string;
  active: boolean;
  createdAt: string;
  updatedAt: string;
};

export type ProductWrite = Omit<Product, 'id' | 'originRegionName' | 'createdAt' | 'updatedAt'>;

export type PriceLine = {
  id?: string;
  productId: string;
  productCode?: string;
  productName?: string;
  unit: string;
  minQuantity: string;
  unitPriceFen: number;
  floorPriceFen: number | null;
};
export type PriceList = {
  id: string;
  code: string;
  name: string;
  customerId: string | null;
  customerName: string | null;
  customerGroup: string | null;
  validFrom: string;
  validTo: string | null;
  active: boolean;
  note: string | null;
  lineCount: number;
  createdAt: string;
  updatedAt: string;
};
export type PriceListDetail = PriceList & { lines: PriceLine[] };
export type EffectivePrice = {
  unitPriceFen: number;
  floorPriceFen: number | null;
  priceListId: string;
  priceListName: string;
  rule: 'customer' | 'group' | 'list';
  minQuantity: string;
};

export const TEMP_PROFILES: TempProfile[] = ['frozen', 'chilled', 'cool', 'chilling_sensitive', 'warm', 'ambient'];
export const MATERIAL_TYPES: MaterialType[] = ['seed', 'fertiliser', 'pesticide', 'packaging'];
export const PROFILE_COLORS: Record<TempProfile, string> = { frozen: 'geekblue', chilled: 'blue', cool: 'cyan', chilling_sensitive: 'green', warm: 'orange', ambient: 'default' };
