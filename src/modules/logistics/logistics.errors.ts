import { defineErrors } from '../../platform/errors/domain-error.js';

export const LogisticsErrors = defineErrors({
  CARRIER_NOT_FOUND: { status: 404, zh: '承运商不存在。', en: 'Carrier not found.' },
  CARRIER_NOT_FOUND_REF: { status: 400, zh: '引用的承运商不存在。', en: 'The referenced carrier does not exist.' },
  CARRIER_CODE_TAKEN: { status: 409, zh: '承运商编码 {code} 已被使用。', en: 'Carrier code {code} is already in use.' },
  CONTRACT_NOT_FOUND: { status: 404, zh: '承运合同不存在。', en: 'Carrier contract not found.' },
  CONTRACT_NUMBER_TAKEN: { status: 409, zh: '合同编号 {number} 已被使用。', en: 'Contract number {number} is already in use.' },
  CONTRACT_DATES_INVALID: { status: 400, zh: '合同截止日期不能早于生效日期。', en: 'The contract end date must not be before its start date.' },
  CONTRACT_TEMP_BAND_INVALID: {
    status: 400,
    zh: '冷链服务须填写温度区间,且下限不高于上限。',
    en: 'A cold-chain service needs a temperature band whose minimum is not above its maximum.',
  },
  CONTRACT_NOT_ELIGIBLE: {
    status: 409,
    zh: '合同 {number} 不能用于此订单:{reason}',
    en: 'Contract {number} cannot be used for this order: {reason}',
  },
  ORDER_NOT_READY_FOR_LOGISTICS: {
    status: 409,
    zh: '订单 {number} 当前状态({status})不能安排拣货或发运。',
    en: 'Order {number} is {status}: it cannot be picked or shipped now.',
  },
  PICK_LIST_NOT_FOUND: { status: 404, zh: '拣货单不存在。', en: 'Pick list not found.' },
  PICK_LIST_NOT_OPEN: { status: 409, zh: '拣货单 {number} 已{status},不能再确认。', en: 'Pick list {number} is {status}: it cannot be confirmed again.' },
  PICK_NOTHING_TO_PICK: { status: 409, zh: '订单 {number} 没有可拣货的预留库存。', en: 'Order {number} has no reserved stock left to pick.' },
  PICK_ALREADY_LISTED: { status: 409, zh: '订单 {number} 已在未完成的拣货单 {pickList} 上。', en: 'Order {number} is already on open pick list {pickList}.' },
  PICK_LINE_UNKNOWN: { status: 400, zh: '拣货行不属于此拣货单。', en: 'The pick line does not belong to this pick list.' },
  PICK_LINE_MISSING: { status: 400, zh: '第 {seq} 行({lotCode})未确认。', en: 'Line {seq} ({lotCode}) is not confirmed.' },
  PICK_WRONG_LOT: {
    status: 422,
    zh: '扫描的批次 {scanned} 不是第 {seq} 行要拣的批次 {lotCode}。',
    en: 'Scanned lot {scanned} is not lot {lotCode} that line {seq} asks for.',
  },
  PICK_LOT_HELD: {
    status: 409,
    zh: '批次 {lotCode} 当前为 {status},不能拣货出库。',
    en: 'Lot {lotCode} is {status}: it cannot be picked.',
  },
  PICK_EXCEEDS_RESERVED: {
    status: 422,
    zh: '第 {seq} 行拣货数量 {picked} 超过预留数量 {reserved}。',
    en: 'Line {seq}: picked {picked} is more than the reserved {reserved}.',
  },
});

/** Why a contract is not proposed for an order (each reason has its zh/en text). */
export const EXCLUSION_REASONS = {
  CARRIER_INACTIVE: { zh: '承运商已停用', en: 'the carrier is inactive' },
  CONTRACT_EXPIRED: { zh: '合同已于 {validTo} 到期', en: 'the contract expired on {validTo}' },
  CONTRACT_NOT_STARTED: { zh: '合同 {validFrom} 才生效', en: 'the contract starts on {validFrom}' },
  REGION_NOT_SERVED: { zh: '不覆盖收货地区 {region}', en: 'it does not serve region {region}' },
  TOO_SLOW: { zh: '在途 {transitDays} 天,{arrival} 才能送达,晚于交货日 {deliveryDate}', en: '{transitDays} days in transit: arrives {arrival}, after the delivery date {deliveryDate}' },
  NOT_COLD_CHAIN: { zh: '订单需要冷链({needed}),该服务非冷链', en: 'the order needs a cold chain ({needed}); this service is not one' },
  TEMPERATURE_MISMATCH: {
    zh: '车辆温度 {band} 不在产品要求的 {needed} 之内',
    en: 'the vehicles hold {band}, outside the products’ {needed}',
  },
} as const satisfies Record<string, { zh: string; en: string }>;
export type ExclusionCode = keyof typeof EXCLUSION_REASONS;
