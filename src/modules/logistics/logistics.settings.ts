import { defineSetting } from '../../platform/settings/settings.service.js';

const module = 'logistics';

export const CatchWeightTolerancePct = defineSetting({
  key: 'logistics.catchWeightTolerancePct',
  module,
  type: 'integer',
  default: 5,
  min: 0,
  max: 50,
  label: { zh: '称重容差', en: 'Catch-weight tolerance' },
  description: {
    zh: '实际重量与订单重量相差在此比例内时按实际重量计价;超出须审批后才能发运。',
    en: 'Within this share of the ordered weight the invoice follows the actual weight; beyond it dispatch needs an approval.',
  },
  unit: { zh: '%', en: '%' },
});

export const ExcursionMinutes = defineSetting({
  key: 'logistics.excursionMinutes',
  module,
  type: 'integer',
  default: 30,
  min: 0,
  max: 1440,
  label: { zh: '温度超标判定时长', en: 'Temperature excursion after' },
  description: {
    zh: '运输温度连续超出产品温度区间超过此时长即为超标:该发运单的批次被冻结待质检决定。',
    en: 'Out of the products’ band for longer than this is an excursion: the shipment’s lots are put on hold for a QC decision.',
  },
  unit: { zh: '分钟', en: 'minutes' },
});

export const Gs1CompanyPrefix = defineSetting({
  key: 'logistics.gs1CompanyPrefix',
  module,
  type: 'string',
  default: '6901234',
  maxLength: 10,
  label: { zh: 'GS1 厂商识别代码', en: 'GS1 company prefix' },
  description: { zh: '生成包裹 SSCC(AI 00)用的厂商识别代码(7–10 位数字)。', en: 'The company prefix in package SSCCs (AI 00), 7–10 digits.' },
});
