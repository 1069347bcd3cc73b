import { defineErrors } from '../../platform/errors/domain-error.js';

export const TrackingErrors = defineErrors({
  EXCEPTION_NOT_FOUND: { status: 404, zh: '异常不存在。', en: 'Exception not found.' },
  EXCEPTION_OWNER_UNKNOWN: { status: 400, zh: '负责人不存在或已停用。', en: 'The owner does not exist or is disabled.' },
  EXCEPTION_DEADLINE_PAST: { status: 400, zh: '期限 {deadline} 已过,不能设置为过去的时间。', en: 'The deadline {deadline} is in the past.' },
  EXCEPTION_DEADLINE_ORDER: { status: 400, zh: '解决期限不能早于响应期限。', en: 'The resolution deadline cannot be before the response deadline.' },
  EXCEPTION_ESCALATION_ROLE: {
    status: 400,
    zh: '用户 {user} 没有「{role}」角色,不能接收第 {level} 级升级。',
    en: 'User {user} does not hold the role "{role}" needed for escalation level {level}.',
  },
  EXCEPTION_ESCALATION_TOP: { status: 409, zh: '异常已升级到管理层,不能再升级。', en: 'The exception is already escalated to management.' },
  EXCEPTION_ESCALATION_CLOSED: { status: 409, zh: '已解决或关闭的异常不能升级。', en: 'A resolved or closed exception cannot be escalated.' },
  EXCEPTION_PLAN_REQUIRED: { status: 400, zh: '响应须填写应对方案。', en: 'Responding needs a response plan.' },
  EXCEPTION_RESOLUTION_REQUIRED: { status: 400, zh: '解决须填写处理结果。', en: 'Resolving needs a resolution.' },
  EXCEPTION_LINK_REQUIRED: { status: 400, zh: '异常须关联订单、批次或发运单中的至少一项。', en: 'An exception must link an order, a lot or a shipment.' },
  EXCEPTION_ACTION_NOT_FOUND: { status: 404, zh: '行动项不存在。', en: 'Action not found.' },
  FEEDBACK_NOT_FOUND: { status: 404, zh: '反馈不存在。', en: 'Feedback not found.' },
  FEEDBACK_CUSTOMER_UNKNOWN: { status: 400, zh: '客户不存在。', en: 'The customer does not exist.' },
  FEEDBACK_CONTACT_MISMATCH: { status: 400, zh: '联系人不属于该客户。', en: 'The contact does not belong to this customer.' },
  FEEDBACK_NO_RECIPIENT: {
    status: 409,
    zh: '反馈没有可联系的邮箱或手机号,无法发送回复(请先指定联系人)。',
    en: 'The feedback has no contact with an e-mail or phone to send the reply to (choose a contact first).',
  },
  TIMELINE_ORDER_NOT_FOUND: { status: 404, zh: '订单不存在。', en: 'Order not found.' },
});
