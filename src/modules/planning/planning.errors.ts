import { defineErrors } from '../../platform/errors/domain-error.js';

export const PlanningErrors = defineErrors({
  CALENDAR_NOT_FOUND: { status: 404, zh: '种植日历不存在。', en: 'Crop calendar not found.' },
  CALENDAR_REQUIRED: {
    status: 422,
    zh: '产品 {code} 没有种植日历,无法倒排计划;请先建立日历或手工填写阶段。',
    en: 'Product {code} has no crop calendar to back-schedule from; add one or enter the stages.',
  },
  CALENDAR_DATE_INVALID: { status: 400, zh: '日期须为 MM-DD 格式的有效月日。', en: 'Dates are a valid month and day as MM-DD.' },
  PLAN_NOT_FOUND: { status: 404, zh: '生产计划不存在。', en: 'Production plan not found.' },
  PLAN_NOT_EDITABLE: { status: 409, zh: '计划 {code} 状态为 {status},不能修改阶段。', en: 'Plan {code} is {status}; its stages can no longer be changed.' },
  PLAN_CANNOT_BE_READY: {
    status: 422,
    zh: '按种植日历(生长期 {growthDays} 天)须在 {sowOn} 播种,已晚于今天;最早可在 {earliest} 交付,赶不上 {deliveryDate}。',
    en: 'The crop calendar ({growthDays} growth days) needs sowing on {sowOn}, which has passed; the earliest delivery is {earliest}, too late for {deliveryDate}.',
  },
  PLAN_OUTSIDE_HARVEST_WINDOW: {
    status: 422,
    zh: '采收阶段 {start} 至 {end} 不在采收期 {from} 至 {to} 内。',
    en: 'The harvest stage {start} to {end} is outside the harvest window {from} to {to}.',
  },
  PLAN_ENDS_AFTER_DELIVERY: { status: 422, zh: '阶段结束日 {end} 晚于交付日期 {deliveryDate}。', en: 'A stage ends on {end}, after the delivery date {deliveryDate}.' },
  PLAN_STAGE_DATES_INVALID: { status: 400, zh: '阶段结束日期不能早于开始日期。', en: 'A stage must not end before it starts.' },
  PLAN_STAGES_REQUIRED: { status: 400, zh: '计划至少需要一个阶段。', en: 'A plan needs at least one stage.' },
  PLAN_OVER_CAPACITY: {
    status: 409,
    zh: '{name} 在 {date} 的负荷 {load} 超过产能 {capacity};须管理层填写原因后才能确认。',
    en: '{name} is loaded {load} on {date}, over its capacity {capacity}; a manager must give a reason to confirm.',
  },
  PLAN_OVERRIDE_REASON_REQUIRED: { status: 400, zh: '超产能确认须填写原因。', en: 'Confirming over capacity needs a reason.' },
  USER_UNKNOWN: { status: 400, zh: '负责人不存在或已停用。', en: 'The responsible person does not exist or is disabled.' },
  ORDER_UNKNOWN: { status: 400, zh: '订单不存在。', en: 'The order does not exist.' },
  TASK_NOT_FOUND: { status: 404, zh: '任务不存在。', en: 'Task not found.' },
  TASK_NOT_STARTED: { status: 409, zh: '任务尚未开始,不能直接完成;请先开始任务。', en: 'The task has not started; start it before completing it.' },
  TASK_BLOCK_REASON_REQUIRED: { status: 400, zh: '标记任务受阻须填写问题说明。', en: 'Marking a task blocked needs a description of the problem.' },
  TASK_HARVEST_TARGET_REQUIRED: {
    status: 400,
    zh: '采收任务完成须填写采收数量、地块和入库库位。',
    en: 'Completing a harvest task needs the quantity, the field and the storage location.',
  },
  FORECAST_WEEK_NOT_MONDAY: { status: 400, zh: '预测周须以周一日期表示。', en: 'A forecast week is given by its Monday.' },
  FILE_REQUIRED: { status: 400, zh: '请选择要上传的文件。', en: 'Choose a file to upload.' },
  FILE_TYPE_NOT_ALLOWED: { status: 415, zh: '只能上传 JPG、PNG 或 WebP 照片。', en: 'Only JPG, PNG or WebP photos can be uploaded.' },
  IMPORT_BAD_FILE: { status: 400, zh: '无法读取 Excel 文件,请使用导入模板。', en: 'The Excel file cannot be read; use the import template.' },
  IMPORT_HAS_ERRORS: { status: 422, zh: '导入文件有 {count} 处错误,未导入任何数据。', en: 'The import file has {count} errors; nothing was imported.' },
});
