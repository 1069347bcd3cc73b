import { defineErrors } from '../../platform/errors/domain-error.js';

export const CustomerErrors = defineErrors({
  CUSTOMER_NOT_FOUND: { status: 404, zh: '客户不存在。', en: 'Customer not found.' },
  CUSTOMER_NOT_FOUND_REF: { status: 400, zh: '引用的客户 {customerId} 不存在。', en: 'The referenced customer {customerId} does not exist.' },
  CUSTOMER_CODE_TAKEN: { status: 409, zh: '客户编码 {code} 已被使用。', en: 'Customer code {code} is already in use.' },
  CUSTOMER_USCI_INVALID: {
    status: 400,
    zh: '统一社会信用代码 {usci} 无效(18 位,校验位须正确)。',
    en: 'Unified social credit code {usci} is invalid (18 characters with a correct check character).',
  },
  CUSTOMER_USCI_TAKEN: { status: 409, zh: '统一社会信用代码 {usci} 已属于客户 {code}。', en: 'Unified social credit code {usci} already belongs to customer {code}.' },
  CUSTOMER_USCI_REQUIRED: {
    status: 409,
    zh: '企业客户须先填写统一社会信用代码才能启用。',
    en: 'A company customer needs its unified social credit code before it can be activated.',
  },
  CUSTOMER_REGION_UNKNOWN: { status: 400, zh: '行政区划代码 {code} 不存在(GB/T 2260)。', en: 'Region code {code} does not exist (GB/T 2260).' },
  CUSTOMER_SALES_OWNER_UNKNOWN: { status: 400, zh: '销售负责人不存在或已停用。', en: 'The sales owner does not exist or is disabled.' },
  CUSTOMER_REASON_REQUIRED: { status: 400, zh: '暂停客户须填写原因。', en: 'Suspending a customer needs a reason.' },
  QUALIFICATION_NOT_FOUND: { status: 404, zh: '资质证照不存在。', en: 'Qualification document not found.' },
  QUALIFICATION_DATES_INVALID: { status: 400, zh: '到期日期不能早于发证日期。', en: 'The expiry date must not be before the issue date.' },
  CONTACT_NOT_FOUND: { status: 404, zh: '联系人不存在。', en: 'Contact not found.' },
  ADDRESS_NOT_FOUND: { status: 404, zh: '收货地址不存在。', en: 'Delivery address not found.' },
  FILE_NOT_FOUND: { status: 404, zh: '文件不存在。', en: 'File not found.' },
  FILE_TYPE_NOT_ALLOWED: { status: 415, zh: '只能上传 PDF、JPG 或 PNG 文件。', en: 'Only PDF, JPG or PNG files can be uploaded.' },
  FILE_REQUIRED: { status: 400, zh: '请选择要上传的文件。', en: 'Choose a file to upload.' },
  IMPORT_BAD_FILE: { status: 400, zh: '无法读取 Excel 文件,请使用导入模板。', en: 'The Excel file cannot be read; use the import template.' },
  IMPORT_MISSING_COLUMNS: { status: 400, zh: '导入文件缺少列:{columns}', en: 'The import file lacks columns: {columns}' },
  IMPORT_HAS_ERRORS: { status: 422, zh: '导入文件有 {count} 处错误,未导入任何数据。', en: 'The import file has {count} errors; nothing was imported.' },
});
