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
  HARVEST_DATE_IN_FUTURE: {
    status: 400,
    zh: '采收日期 {date} 晚于今天({today}):不能登记未来日期的采收。',
    en: 'Harvest date {date} is after today ({today}): a harvest cannot be dated in the future.',
  },
  HARVEST_BEFORE_PLANTING: {
    status: 400,
    zh: '采收日期 {date} 早于地块 {field} 的播种/定植日期({plantedOn}):不能登记播种前的采收。',
    en: 'Harvest date {date} is before field {field} was sown or planted ({plantedOn}): a harvest cannot come before planting.',
  },
  RELEASE_PHI_NOT_ELAPSED: {
    status: 409,
    zh: '批次 {lot} 采收于 {harvestedOn},但地块 {field} 于 {appliedOn} 施用 {material},安全间隔期 {phiDays} 天至 {safeOn}:该批次不能放行。',
    en: 'Lot {lot} was harvested on {harvestedOn}, but field {field} was treated with {material} on {appliedOn}; its {phiDays}-day pre-harvest interval ends on {safeOn}: the lot cannot be released.',
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
  QUALITY_SAMPLE_TOO_SMALL: {
    status: 422,
    zh: '标准 {standard} 的抽样方案要求至少 {required} 个样品,本次只有 {given} 个。',
    en: 'The sampling plan of standard {standard} needs at least {required} samples; this inspection has {given}.',
  },
  QUALITY_LOT_INSPECTION_REQUIRED: {
    status: 409,
    zh: '标准 {standard} 要求逐批检验:批次 {lot} 须有最近一次已签署且合格的检验才能放行。',
    en: 'Standard {standard} requires every lot to be inspected: lot {lot} needs a latest signed, passing inspection before it can be released.',
  },
  QUALITY_PERIODIC_INSPECTION_DUE: {
    status: 409,
    zh: '标准 {standard} 要求每 {periodDays} 天检验一次:最近一次已签署的检验({lastOn})不合格或已超期,须先检验才能放行批次 {lot}。',
    en: 'Standard {standard} requires an inspection every {periodDays} days: the latest signed one ({lastOn}) failed or is out of date; inspect before releasing lot {lot}.',
  },
  QUALITY_STANDARD_IN_USE: {
    status: 409,
    zh: '标准 {standard} 已有检验记录,不能更改其适用产品或检测类型;请新建标准。',
    en: 'Standard {standard} already has inspections; its product or check type cannot change. Create a new standard instead.',
  },
  QUALITY_FILE_REQUIRED: { status: 400, zh: '请选择要上传的文件。', en: 'Choose a file to upload.' },
  QUALITY_FILE_EMPTY: { status: 400, zh: '文件是空的。', en: 'The file is empty.' },
  QUALITY_FILE_TOO_LARGE: { status: 413, zh: '文件超过 {maxMb} MB 上限。', en: 'The file is larger than the {maxMb} MB limit.' },
  QUALITY_FILE_TYPE_NOT_ALLOWED: {
    status: 415,
    zh: '照片只能是 JPG、PNG 或 WebP 图片,化验报告可以是 PDF 或这些图片(按文件内容识别,不看扩展名)。',
    en: 'Photos must be JPG, PNG or WebP images; lab reports may be PDF or those images (checked by the content, not the name).',
  },
  QUALITY_FILE_NOT_FOUND: { status: 404, zh: '文件不存在。', en: 'File not found.' },
});
