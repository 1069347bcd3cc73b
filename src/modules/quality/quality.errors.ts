import { defineErrors } from '../../platform/errors/domain-error.js';

export const QualityErrors = defineErrors({
  BASE_NOT_FOUND: { status: 404, zh: '生产基地不存在。', en: 'Production base not found.' },
  FIELD_NOT_FOUND: { status: 404, zh: '地块不存在。', en: 'Field not found.' },
  STANDARD_NOT_FOUND: { status: 404, zh: '质量标准不存在。', en: 'Quality standard not found.' },
  INSPECTION_NOT_FOUND: { status: 404, zh: '检验记录不存在。', en: 'Inspection not found.' },
  NC_NOT_FOUND: { status: 404, zh: '不合格记录不存在。', en: 'Non-conformance not found.' },
  INPUT_NOT_MATERIAL: { status: 400, zh: '{code} 不是投入品物料。', en: '{code} is not a farm-input material.' },
  INPUT_MATERIAL_NOT_ALLOWED: { status: 409, zh: '投入品 {code} 未获准使用。', en: 'Input {code} is not allowed for use.' },
  HARVEST_NOT_PRODUCE: { status: 400, zh: '{code} 不是农产品,不能作为采收产品。', en: '{code} is not produce and cannot be harvested.' },
  HARVEST_PHI_NOT_ELAPSED: {
    status: 409,
    zh: '地块 {field} 于 {appliedOn} 施用 {material},安全间隔期 {phiDays} 天,{safeOn} 前不得采收。',
    en: 'Field {field} was treated with {material} on {appliedOn}; its {phiDays}-day pre-harvest interval ends on {safeOn}: no harvest before then.',
  },
  SOURCE_CHECK_INVALID: {
    status: 409,
    zh: '地块 {field} 的产地环境检测({checkType}){state},其采收批次不能放行。',
    en: 'The {checkType} source check of field {field} is {state}; its harvest cannot be released.',
  },
  INSPECTION_ALREADY_SIGNED: { status: 409, zh: '检验记录已签署,不能修改;请新增一条更正检验。', en: 'The inspection is already signed; record a new inspection instead.' },
  INSPECTION_TARGET_REQUIRED: { status: 400, zh: '产地检测须指定地块,其他阶段须指定批次。', en: 'Source checks need a field; other stages need a lot.' },
  INSPECTION_STANDARD_MISMATCH: { status: 400, zh: '质量标准不适用于该检验对象。', en: 'The standard does not apply to what is inspected.' },
  DISPOSITION_REQUIRED: { status: 400, zh: '判定不合格须选择处置方式(返工、降级、销毁)。', en: 'A rejection needs a disposition (rework, downgrade, destroy).' },
  NC_ALREADY_CLOSED: { status: 409, zh: '不合格记录已关闭。', en: 'The non-conformance is already closed.' },
});
