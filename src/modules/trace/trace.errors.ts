import { defineErrors } from '../../platform/errors/domain-error.js';

export const TraceErrors = defineErrors({
  TRACE_CODE_NOT_FOUND: { status: 404, zh: '追溯码 {code} 不存在。', en: 'Trace code {code} does not exist.' },
  TRACE_EVENT_NOT_FOUND: { status: 404, zh: '追溯事件不存在。', en: 'Trace event not found.' },
  PROCESSING_LOT_NOT_RELEASED: { status: 409, zh: '批次 {lotCode} 状态为 {status},未放行,不能加工。', en: 'Lot {lotCode} is {status}, not released: it cannot be processed.' },
  PROCESSING_OUTPUT_EXCEEDS_INPUT: {
    status: 400,
    zh: '产出 {output} 大于投入 {input},请填写原因(如加水、加料)。',
    en: 'Output {output} exceeds input {input}; give a reason (e.g. added water or ingredients).',
  },
  PROCESSING_DUPLICATE_INPUT: { status: 400, zh: '同一批次在同一库位只能投入一次。', en: 'Each lot and location may be an input only once.' },
  RECALL_NOT_FOUND: { status: 404, zh: '召回记录不存在。', en: 'Recall not found.' },
  RECALL_ALREADY_EXECUTED: { status: 409, zh: '召回已执行。', en: 'The recall was already executed.' },
  RECALL_SCOPE_INVALID: { status: 400, zh: '召回范围不完整:{missing}。', en: 'The recall scope is incomplete: {missing}.' },
  LABEL_FIELD_MISSING: { status: 422, zh: '标签缺少必填项:{fields}。', en: 'The label is missing required fields: {fields}.' },
  CERTIFICATE_NOT_FOUND: { status: 404, zh: '合格证不存在。', en: 'Certificate not found.' },
  FIELD_INVALID_GLN: {
    status: 400,
    zh: '「{entry}」无效:每项应为「代码=GLN」,GLN 为 13 位数字且校验位正确。',
    en: '“{entry}” is invalid: each entry is CODE=GLN, the GLN 13 digits with a valid check digit.',
  },
  FIELD_INVALID_GS1_PREFIX: { status: 400, zh: 'GS1 厂商识别代码应为 6–12 位数字。', en: 'A GS1 company prefix is 6 to 12 digits.' },
  BARCODE_INVALID: { status: 422, zh: '条码数据无效:{detail}', en: 'Invalid barcode data: {detail}' },
});
