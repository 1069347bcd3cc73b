import type { ListRow, ResponseOf } from '../../app/api-models';

/** Screen types derived from the generated API client, so they cannot drift from the server's schemas. */
export type Product = ResponseOf<'/api/catalog/products/{id}', 'get'>;
export type ProductKind = Product['kind'];
export type MaterialType = NonNullable<Product['materialType']>;
export type TempProfile = Product['tempProfile'];
export type LabelStandard = Product['labelStandard'];
export type ProductUnit = Product['units'][number];

export type ProductWrite = Omit<Product, 'id' | 'originRegionName' | 'createdAt' | 'updatedAt'>;

export type PriceListDetail = ResponseOf<'/api/catalog/price-lists/{id}', 'get'>;
export type PriceList = ListRow<'/api/catalog/price-lists'>;
export type PriceLine = Omit<PriceListDetail['lines'][number], 'id' | 'productCode' | 'productName'> & { id?: string; productCode?: string | null; productName?: string | null };
export type EffectivePrice = NonNullable<ResponseOf<'/api/catalog/prices/effective', 'get'>>;

export const TEMP_PROFILES: TempProfile[] = ['frozen', 'chilled', 'cool', 'chilling_sensitive', 'warm', 'ambient'];
export const MATERIAL_TYPES: MaterialType[] = ['seed', 'fertiliser', 'pesticide', 'packaging'];
export const PROFILE_COLORS: Record<TempProfile, string> = { frozen: 'geekblue', chilled: 'blue', cool: 'cyan', chilling_sensitive: 'green', warm: 'orange', ambient: 'default' };
