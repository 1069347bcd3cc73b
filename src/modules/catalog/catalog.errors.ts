import { defineErrors } from '../../platform/errors/domain-error.js';

export const CatalogErrors = defineErrors({
  PRODUCT_NOT_FOUND: { status: 404, zh: '产品或物料不存在。', en: 'Product or material not found.' },
  PRODUCT_NOT_FOUND_REF: { status: 400, zh: '引用的产品 {productId} 不存在。', en: 'The referenced product {productId} does not exist.' },
  PRODUCT_CODE_TAKEN: { status: 409, zh: '产品编码 {code} 已被使用。', en: 'Product code {code} is already in use.' },
  PRODUCT_GTIN_TAKEN: { status: 409, zh: 'GTIN {gtin} 已被其他产品使用。', en: 'GTIN {gtin} is already used by another product.' },
  PRODUCT_GTIN_INVALID: {
    status: 400,
    zh: 'GTIN {gtin} 无效:须为 8、12、13 或 14 位数字且校验位正确。',
    en: 'GTIN {gtin} is invalid: 8, 12, 13 or 14 digits with a correct check digit.',
  },
  PRODUCT_MATERIAL_TYPE_REQUIRED: { status: 400, zh: '物料必须选择物料类型;农产品不能设置物料类型。', en: 'Materials need a material type; produce must not have one.' },
  PRODUCT_PHI_ONLY_PESTICIDE: { status: 400, zh: '安全间隔期只适用于农药。', en: 'A pre-harvest interval applies to pesticides only.' },
  PRODUCT_TEMP_RANGE_INVALID: { status: 400, zh: '最低温度不能高于最高温度。', en: 'The minimum temperature must not exceed the maximum.' },
  PRODUCT_REGION_UNKNOWN: { status: 400, zh: '行政区划代码 {code} 不存在(GB/T 2260)。', en: 'Region code {code} does not exist (GB/T 2260).' },
  PRODUCT_BASE_UNIT_CHANGE: { status: 409, zh: '已被价格表引用的产品不能修改基本单位。', en: 'The base unit of a product used by price lists cannot change.' },
  UNIT_NOT_CONVERTIBLE: { status: 400, zh: '单位 {unit} 不是产品 {product} 的计量单位。', en: 'Unit {unit} is not a unit of product {product}.' },
  UNIT_FACTOR_INVALID: {
    status: 400,
    zh: '单位 {unit} 的换算系数 {factor} 无效:须为大于 0、最多 6 位小数的数字。',
    en: 'Factor {factor} of unit {unit} is invalid: a number above 0 with at most 6 decimals.',
  },
  UNIT_DUPLICATE: { status: 400, zh: '单位 {unit} 重复。', en: 'Unit {unit} is listed twice.' },
  UNIT_BASE_FACTOR: { status: 400, zh: '基本单位 {unit} 的换算系数必须为 1。', en: 'The base unit {unit} must have factor 1.' },
  UNIT_IN_USE: { status: 409, zh: '单位 {unit} 已被价格表引用,不能删除或修改系数。', en: 'Unit {unit} is used by a price list; it cannot be removed or re-factored.' },
  PRICE_LIST_NOT_FOUND: { status: 404, zh: '价格表不存在。', en: 'Price list not found.' },
  PRICE_LIST_CODE_TAKEN: { status: 409, zh: '价格表编号 {code} 已被使用。', en: 'Price list code {code} is already in use.' },
  PRICE_LIST_DATES_INVALID: { status: 400, zh: '失效日期不能早于生效日期。', en: 'The end date must not be before the start date.' },
  PRICE_LIST_SCOPE_INVALID: { status: 400, zh: '价格表只能指定客户或客户组之一。', en: 'A price list is for a customer or a customer group, not both.' },
  PRICE_LINE_DUPLICATE: {
    status: 400,
    zh: '第 {line} 行与前面的行重复(同一产品、单位和起订量)。',
    en: 'Line {line} repeats an earlier line (same product, unit and minimum quantity).',
  },
  PRICE_FLOOR_ABOVE_PRICE: { status: 400, zh: '第 {line} 行的最低价高于单价。', en: 'Line {line} has a floor price above its unit price.' },
  PRICE_NOT_FOUND: { status: 404, zh: '没有适用于该客户、产品、单位、数量和日期的价格。', en: 'No price applies to this customer, product, unit, quantity and date.' },
});
