import { defineErrors } from '../../platform/errors/domain-error.js';

export const ProcurementErrors = defineErrors({
  SUPPLIER_NOT_FOUND: { status: 404, zh: '供应商不存在。', en: 'Supplier not found.' },
  SUPPLIER_NOT_FOUND_REF: { status: 400, zh: '引用的供应商不存在。', en: 'The referenced supplier does not exist.' },
  SUPPLIER_CODE_TAKEN: { status: 409, zh: '供应商编码 {code} 已被使用。', en: 'Supplier code {code} is already in use.' },
  SUPPLIER_NOT_APPROVED: {
    status: 409,
    zh: '供应商 {code} 未通过审批(当前状态:{status}),不能向其下采购单。',
    en: 'Supplier {code} is not approved (status: {status}); it cannot receive a purchase order.',
  },
  SUPPLIER_DOCUMENT_EXPIRED: {
    status: 409,
    zh: '供应商 {code} 的资质证照 {number} 已于 {expiresOn} 过期,不能向其下采购单或审批通过。',
    en: "Supplier {code}'s document {number} expired on {expiresOn}; it cannot be approved or receive a purchase order.",
  },
  SUPPLIER_DOCUMENT_REQUIRED: { status: 409, zh: '供应商须至少有一份有效资质证照才能审批通过。', en: 'A supplier needs at least one valid document before it can be approved.' },
  SUPPLIER_REASON_REQUIRED: { status: 400, zh: '暂停供应商须填写原因。', en: 'Suspending a supplier needs a reason.' },
  DOCUMENT_NOT_FOUND: { status: 404, zh: '资质证照不存在。', en: 'Document not found.' },
  DOCUMENT_DATES_INVALID: { status: 400, zh: '到期日期不能早于发证日期。', en: 'The expiry date must not be before the issue date.' },
  PO_NOT_FOUND: { status: 404, zh: '采购单不存在。', en: 'Purchase order not found.' },
  PO_NOT_EDITABLE: { status: 409, zh: '采购单 {code} 已发出(状态:{status}),不能修改。', en: 'Purchase order {code} is {status}; it can no longer be edited.' },
  PO_NOT_RECEIVABLE: { status: 409, zh: '采购单 {code} 状态为 {status},不能收货。', en: 'Purchase order {code} is {status}; it cannot be received.' },
  PO_EXPECTED_DATE_PAST: { status: 400, zh: '预计到货日期不能早于今天。', en: 'The expected date must not be before today.' },
  PO_DUPLICATE_PRODUCT: { status: 400, zh: '同一物料在采购单中只能出现一行。', en: 'A material may appear on only one line of a purchase order.' },
  PO_LINE_NOT_FOUND: { status: 400, zh: '采购单行不存在。', en: 'The purchase order line does not exist.' },
  PO_OVER_RECEIPT: {
    status: 422,
    zh: '第 {lineNo} 行订购 {ordered} {unit},已收 {received},本次 {quantity} 超出允许的 {tolerance}% 超收。',
    en: 'Line {lineNo}: ordered {ordered} {unit}, received {received}; {quantity} more exceeds the {tolerance}% over-receipt tolerance.',
  },
  PO_WAREHOUSE_UNKNOWN: { status: 400, zh: '仓库不存在或已停用。', en: 'The warehouse does not exist or is inactive.' },
  MATERIAL_LEVEL_INVALID: { status: 400, zh: '安全库存不能大于再订货点。', en: 'The safety stock must not exceed the reorder point.' },
  MATERIAL_LEVEL_NOT_FOUND: { status: 404, zh: '物料库存策略不存在。', en: 'Material stock policy not found.' },
  MATERIAL_NOT_MATERIAL: { status: 400, zh: '{code} 不是物料(种子、肥料、农药、包材)。', en: '{code} is not a material (seed, fertiliser, pesticide, packaging).' },
  REPLENISH_NOTHING: { status: 400, zh: '请选择要补货的物料。', en: 'Choose the materials to replenish.' },
  REPLENISH_NO_SUPPLIER: { status: 422, zh: '物料 {code} 没有指定供应商,请先在库存策略中设置。', en: 'Material {code} has no supplier; set one in its stock policy first.' },
  RECEIPT_INSPECTION_FAILED: { status: 422, zh: '来料检验数据无效。', en: 'The incoming inspection data is invalid.' },
});
