import { SYSTEM_ACTOR } from '../../platform/auth/actor.js';
import type { Db } from '../../platform/db/client.js';
import { addDays, createCarrier, createContract, today } from './carriers.service.js';

/** Demo carriers and contracts: a cold-chain carrier (chilled and frozen), an express parcel service, an expired contract and the own fleet. */
export async function seedLogisticsDemo(db: Db): Promise<void> {
  const from = addDays(today(), -180);
  const to = addDays(today(), 185);
  const cold = await createCarrier(db, SYSTEM_ACTOR, {
    code: 'SFCC',
    name: '顺丰冷运',
    nameEn: 'SF Cold Chain',
    contactName: '周经理',
    phone: '4008111111',
    trackingUrlTemplate: 'https://www.sf-express.com/chn/sc/waybill/waybill-detail/{tracking}',
  });
  await createContract(db, SYSTEM_ACTOR, {
    carrierId: cold.id,
    number: 'SFCC-2026-01',
    serviceType: 'cold_chain',
    tempClass: 'chilled',
    tempMinC: 0,
    tempMaxC: 2,
    transitDays: 1,
    regions: ['310000', '320000', '330000'],
    perKgFen: 180,
    perShipmentFen: 1500,
    minChargeFen: 3000,
    regionRates: [{ regionCode: '310000', perKgFen: 120, perShipmentFen: 1200 }],
    qualityTerms: '全程 0–2 °C,每 5 分钟记录温度,数据随货交付。',
    liabilityTerms: '温控失败或破损按货值赔偿,单票上限 5 万元。',
    liabilityLimitFen: 5_000_000,
    validFrom: from,
    validTo: to,
  });
  await createContract(db, SYSTEM_ACTOR, {
    carrierId: cold.id,
    number: 'SFCC-FZ-2026',
    serviceType: 'cold_chain',
    tempClass: 'frozen',
    tempMinC: -25,
    tempMaxC: -18,
    transitDays: 2,
    perKgFen: 260,
    perShipmentFen: 2000,
    validFrom: from,
    validTo: to,
  });
  await createContract(db, SYSTEM_ACTOR, {
    carrierId: cold.id,
    number: 'SFCC-2025-01',
    serviceType: 'cold_chain',
    tempClass: 'chilled',
    tempMinC: 0,
    tempMaxC: 4,
    transitDays: 1,
    perKgFen: 150,
    perShipmentFen: 1000,
    validFrom: addDays(today(), -545),
    validTo: addDays(today(), -181),
  });
  const express = await createCarrier(db, SYSTEM_ACTOR, { code: 'ZTO', name: '中通快递', nameEn: 'ZTO Express', trackingUrlTemplate: 'https://www.zto.com/?num={tracking}' });
  await createContract(db, SYSTEM_ACTOR, {
    carrierId: express.id,
    number: 'ZTO-2026-STD',
    serviceType: 'express',
    transitDays: 3,
    perKgFen: 80,
    perShipmentFen: 800,
    validFrom: from,
    validTo: to,
  });
  const fleet = await createCarrier(db, SYSTEM_ACTOR, { code: 'OWN', name: '自有冷藏车队', nameEn: 'Own refrigerated fleet', ownFleet: true });
  await createContract(db, SYSTEM_ACTOR, {
    carrierId: fleet.id,
    number: 'OWN-LOCAL',
    serviceType: 'own_fleet',
    coldChain: true,
    tempClass: 'chilled',
    tempMinC: 0,
    tempMaxC: 4,
    transitDays: 0,
    regions: ['310000'],
    perShipmentFen: 5000,
    validFrom: from,
    validTo: to,
  });
}
