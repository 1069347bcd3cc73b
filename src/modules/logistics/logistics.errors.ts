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
  SHIPMENT_NOT_FOUND: { status: 404, zh: '发运单不存在。', en: 'Shipment not found.' },
  SHIPMENT_EXISTS: { status: 409, zh: '订单 {number} 已有发运单 {shipment}。', en: 'Order {number} already has shipment {shipment}.' },
  SHIPMENT_STATE: { status: 409, zh: '发运单 {number} 当前为 {status},不能{action}。', en: 'Shipment {number} is {status}: it cannot {action}.' },
  PACKAGE_LINE_UNKNOWN: { status: 400, zh: '包裹所属的订单行不在此发运单上。', en: 'The package’s order line is not on this shipment.' },
  PACKAGE_WEIGHT_REQUIRED: { status: 400, zh: '称重产品 {product} 的包裹须填写实际重量。', en: 'Catch-weight product {product}: each package needs its actual weight.' },
  PACKAGE_QUANTITY_MISMATCH: {
    status: 422,
    zh: '第 {lineNo} 行包裹数量合计 {packed} 与应发 {nominal} 不符。',
    en: 'Line {lineNo}: packages hold {packed}, the shipment carries {nominal}.',
  },
  WEIGHT_APPROVAL_NOT_NEEDED: { status: 409, zh: '实际重量在容差内,无需审批。', en: 'The actual weights are within tolerance: no approval needed.' },
  WEIGHT_APPROVAL_REQUIRED: {
    status: 409,
    zh: '实际重量超出容差 {tolerance}%,须经审批后才能发运。',
    en: 'Actual weights are beyond the {tolerance}% tolerance: they need approval before dispatch.',
  },
  DISPATCH_CHECK_REQUIRED: { status: 409, zh: '发运前检查未通过或未做,不能发运。', en: 'The pre-dispatch check has not passed: the shipment cannot leave.' },
  CHECK_TEMPERATURE_REQUIRED: { status: 400, zh: '冷链产品须填写产品温度。', en: 'Cold-chain products need the product temperature.' },
  DELIVERY_METHOD_REQUIRED: { status: 409, zh: '订单 {number} 尚未选择配送方式。', en: 'Order {number} has no delivery method yet.' },
  TRACKING_NUMBER_TAKEN: { status: 409, zh: '运单号 {tracking} 已用于发运单 {shipment}。', en: 'Tracking number {tracking} is already used by shipment {shipment}.' },
  TRACKING_NUMBER_REQUIRED: { status: 400, zh: '承运商发运须填写运单号。', en: 'A carrier shipment needs a tracking number.' },
  DRIVER_REQUIRED: { status: 400, zh: '自有车队发运须填写司机和车辆。', en: 'An own-fleet shipment needs a driver and a vehicle.' },
  DELIVERY_BEFORE_DISPATCH: { status: 400, zh: '签收时间不能早于发运时间 {dispatchedAt}。', en: 'The delivery time must not be before dispatch ({dispatchedAt}).' },
  DELIVERY_IN_FUTURE: { status: 400, zh: '签收时间不能晚于当前时间。', en: 'The delivery time must not be in the future.' },
  READINGS_INVALID: { status: 422, zh: '温度数据有 {count} 行错误,未保存任何数据。', en: '{count} temperature rows are invalid; nothing was saved.' },
  READINGS_FILE_REQUIRED: { status: 400, zh: '请选择温度记录仪导出的 CSV 文件。', en: 'Choose the logger’s CSV file.' },
});

/** Why a contract is not proposed for an order (each reason has its zh/en text). */
export const EXCLUSION_REASONS = {
  CARRIER_INACTIVE: { zh: '承运商已停用', en: 'the carrier is inactive' },
  CONTRACT_EXPIRED: { zh: '合同已于 {validTo} 到期', en: 'the contract expired on {validTo}' },
  CONTRACT_NOT_STARTED: { zh: '合同 {validFrom} 才生效', en: 'the contract starts on {validFrom}' },
  REGION_NOT_SERVED: { zh: '不覆盖收货地区 {region}', en: 'it does not serve region {region}' },
  TOO_SLOW: {
    zh: '在途 {transitDays} 天,{arrival} 才能送达,晚于交货日 {deliveryDate}',
    en: '{transitDays} days in transit: arrives {arrival}, after the delivery date {deliveryDate}',
  },
  NOT_COLD_CHAIN: { zh: '订单需要冷链({needed}),该服务非冷链', en: 'the order needs a cold chain ({needed}); this service is not one' },
  TEMPERATURE_MISMATCH: {
    zh: '车辆温度 {band} 不在产品要求的 {needed} 之内',
    en: 'the vehicles hold {band}, outside the products’ {needed}',
  },
} as const satisfies Record<string, { zh: string; en: string }>;
export type ExclusionCode = keyof typeof EXCLUSION_REASONS;
