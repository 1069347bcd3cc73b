import type { Actor } from '../../platform/auth/actor.js';
import { SYSTEM_ACTOR } from '../../platform/auth/actor.js';
import { businessDate, clock } from '../../platform/clock.js';
import type { Db } from '../../platform/db/client.js';
import { productIdByCode } from '../catalog/index.js';
import { listLocations } from '../inventory/index.js';
import { addDays, createBase, createField, createHarvest, createInspection, createStandard, recordInputApplication } from './quality.service.js';

const ACTOR: Actor = { ...SYSTEM_ACTOR, username: 'demo', displayName: '演示数据' };

const productId = (db: Db, code: string): Promise<string | null> => productIdByCode(db, code);

/** Demo bases, fields, source checks, input applications, harvests and inspections (after catalog and inventory). */
export async function seedQualityDemo(db: Db): Promise<void> {
  const cuke = await productId(db, 'P-CUKE-SG');
  const imida = await productId(db, 'M-IMIDA-10');
  const loc = (await listLocations(db, { zone: 'cool', page: 1, pageSize: 1 })).items[0] ?? (await listLocations(db, { page: 1, pageSize: 1 })).items[0];
  if (!cuke || !loc) return;
  const today = businessDate(clock.now());
  const b1 = await createBase(db, ACTOR, {
    code: 'SG-01',
    name: '寿光蔬菜基地',
    regionCode: '370783',
    address: '山东省潍坊市寿光市孙家集街道',
    areaMu: '320',
    latitude: 36.8553,
    longitude: 118.7911,
    manager: '孙生产',
  });
  const b2 = await createBase(db, ACTOR, { code: 'QZ-01', name: '青州合作社基地', regionCode: '370781', address: '山东省潍坊市青州市', areaMu: '150' });
  const f1 = await createField(db, ACTOR, { baseId: b1.id, code: 'SG-01-A1', name: 'A1 日光温室', areaMu: '12', latitude: 36.856, longitude: 118.792, crops: ['黄瓜'] });
  const f2 = await createField(db, ACTOR, { baseId: b1.id, code: 'SG-01-A2', name: 'A2 日光温室', areaMu: '10', crops: ['黄瓜'] });
  const f3 = await createField(db, ACTOR, { baseId: b2.id, code: 'QZ-01-B1', name: 'B1 大棚', areaMu: '8', crops: ['黄瓜', '番茄'] });
  const num = (code: string, name: string, unit: string, max: string) => ({ code, name, unit, type: 'number' as const, min: null, max, allowed: [] });
  const soil = await createStandard(db, ACTOR, {
    code: 'SRC-SOIL',
    name: '土壤环境质量(GB 15618)',
    checkType: 'soil',
    stages: ['source'],
    parameters: [num('cd', '镉', 'mg/kg', '0.3'), num('pb', '铅', 'mg/kg', '90')],
    samplingPlan: { mode: 'periodic', sampleSize: 5, periodDays: 365 },
  });
  const water = await createStandard(db, ACTOR, {
    code: 'SRC-WATER',
    name: '灌溉水质(GB 5084)',
    checkType: 'water',
    stages: ['source'],
    parameters: [num('pb', '铅', 'mg/L', '0.2'), num('as', '砷', 'mg/L', '0.05')],
    samplingPlan: { mode: 'periodic', sampleSize: 1, periodDays: 180 },
  });
  const std = await createStandard(db, ACTOR, {
    code: 'QS-CUKE',
    name: '黄瓜出厂检验',
    productId: cuke,
    stages: ['finished', 'in_process', 'pre_shipment', 'returned'],
    parameters: [
      num('imidacloprid', '吡虫啉残留', 'mg/kg', '1'),
      { code: 'appearance', name: '外观等级', unit: null, type: 'grade', min: null, max: null, allowed: ['特级', '一级'] },
      { code: 'core_temp', name: '中心温度', unit: '°C', type: 'number', min: '7', max: '13', allowed: [] },
    ],
    samplingPlan: { mode: 'every_lot', sampleSize: 3, periodDays: null },
  });
  for (const f of [f1, f2, f3]) {
    await createInspection(db, ACTOR, {
      stage: 'source',
      standardId: soil.id,
      fieldId: f.id,
      inspectedOn: addDays(today, -90),
      validUntil: addDays(today, 275),
      values: [
        { code: 'cd', value: 0.12 },
        { code: 'pb', value: 21 },
      ],
      labReportNo: `SOIL-${f.code}`,
      sign: true,
    });
    await createInspection(db, ACTOR, {
      stage: 'source',
      standardId: water.id,
      fieldId: f.id,
      inspectedOn: addDays(today, -60),
      validUntil: addDays(today, 120),
      values: [
        { code: 'pb', value: 0.01 },
        { code: 'as', value: 0.004 },
      ],
      sign: true,
    });
  }
  if (imida)
    await recordInputApplication(db, ACTOR, {
      fieldId: f1.id,
      materialId: imida,
      materialLotCode: 'IM2605A',
      dose: '0.3',
      doseUnit: 'kg',
      appliedOn: addDays(today, -15),
      operator: '王师傅',
    });
  const h = [
    await createHarvest(db, ACTOR, {
      fieldId: f1.id,
      productId: cuke,
      variety: '津优 35',
      quantity: '400',
      unit: 'kg',
      harvestedOn: addDays(today, -3),
      locationId: loc.id,
      lotCode: 'HV-A1-01',
    }),
    await createHarvest(db, ACTOR, {
      fieldId: f2.id,
      productId: cuke,
      variety: '津优 35',
      quantity: '300',
      unit: 'kg',
      harvestedOn: addDays(today, -3),
      locationId: loc.id,
      lotCode: 'HV-A2-01',
    }),
    await createHarvest(db, ACTOR, { fieldId: f3.id, productId: cuke, quantity: '250', unit: 'kg', harvestedOn: addDays(today, -2), locationId: loc.id, lotCode: 'HV-B1-01' }),
  ];
  for (const x of h)
    await createInspection(db, ACTOR, {
      stage: 'finished',
      standardId: std.id,
      lotId: x.lotId,
      inspectedOn: addDays(today, -2),
      values: [
        { code: 'imidacloprid', value: 0.05 },
        { code: 'appearance', value: '一级' },
        { code: 'core_temp', value: 11 },
      ],
      sign: true,
    });
  // one lot waiting for QC
  await createHarvest(db, ACTOR, { fieldId: f3.id, productId: cuke, quantity: '120', unit: 'kg', harvestedOn: addDays(today, -1), locationId: loc.id, lotCode: 'HV-B1-02' });
}
