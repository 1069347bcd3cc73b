import { eq } from 'drizzle-orm';
import { SYSTEM_ACTOR } from '../../platform/auth/actor.js';
import { businessDate, clock } from '../../platform/clock.js';
import type { Db } from '../../platform/db/client.js';
import { users } from '../../platform/platform.tables.js';
import { addAddress, addContact, addQualification, changeCustomerStatus, createCustomer, type CustomerInput } from './customers.service.js';
import { withUsciCheck } from './usci.js';

function shift(days: number): string {
  const d = new Date(`${businessDate(clock.now())}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

type DemoCustomer = CustomerInput & {
  usciBody?: string;
  contact: { name: string; phone: string; title: string };
  address: { label: string; regionCode: string; address: string };
  licenceExpiresIn?: number;
  permitExpiresIn?: number;
  suspend?: string;
};

const DEMO: DemoCustomer[] = [
  {
    code: 'C0001',
    name: '杭州鲜丰超市有限公司',
    kind: 'company',
    usciBody: '91330106MA2B3C4D5',
    status: 'active',
    creditLimitFen: 50_000_000,
    paymentTermsDays: 30,
    creditRating: 'A',
    regionCode: '330106',
    group: '商超',
    tags: ['重点客户'],
    minRemainingShelfLifeDays: 5,
    contact: { name: '张伟', phone: '13905710001', title: '采购经理' },
    address: { label: '西湖配送中心', regionCode: '330106', address: '文三路 477 号' },
    licenceExpiresIn: 900,
    permitExpiresIn: 12,
  },
  {
    code: 'C0002',
    name: '上海盒鲜生餐饮管理有限公司',
    kind: 'company',
    usciBody: '91310115MA1H8K2L3',
    status: 'active',
    creditLimitFen: 80_000_000,
    paymentTermsDays: 45,
    creditRating: 'A',
    regionCode: '310115',
    group: '餐饮',
    tags: ['连锁', '冷链'],
    minRemainingShelfLifeDays: 3,
    contact: { name: '李娜', phone: '13801760002', title: '品控主管' },
    address: { label: '浦东中央厨房', regionCode: '310115', address: '张江路 88 号' },
    licenceExpiresIn: 1200,
    permitExpiresIn: 400,
  },
  {
    code: 'C0003',
    name: '北京新发地果蔬批发有限公司',
    kind: 'company',
    usciBody: '91110106MA0C4D6E7',
    status: 'active',
    creditLimitFen: 120_000_000,
    paymentTermsDays: 15,
    creditRating: 'B',
    regionCode: '110106',
    group: '批发',
    tags: ['大宗'],
    contact: { name: '王强', phone: '13601010003', title: '经营部' },
    address: { label: '新发地市场', regionCode: '110106', address: '京开高速新发地桥西' },
    licenceExpiresIn: 600,
    permitExpiresIn: -5,
  },
  {
    code: 'C0004',
    name: '广州天河优选生鲜店',
    kind: 'company',
    usciBody: '92440106MA5F7G8H9',
    status: 'active',
    creditLimitFen: 5_000_000,
    paymentTermsDays: 7,
    creditRating: 'B',
    regionCode: '440106',
    group: '社区店',
    tags: [],
    contact: { name: '陈静', phone: '13902000004', title: '店长' },
    address: { label: '天河店', regionCode: '440106', address: '天河路 385 号' },
    licenceExpiresIn: 25,
    permitExpiresIn: 300,
  },
  {
    code: 'C0005',
    name: '成都锦江蓉城食堂服务有限公司',
    kind: 'company',
    usciBody: '91510104MA6J2K3L4',
    status: 'active',
    creditLimitFen: 20_000_000,
    paymentTermsDays: 30,
    creditRating: 'C',
    regionCode: '510104',
    group: '团餐',
    tags: ['学校食堂'],
    contact: { name: '刘洋', phone: '13808280005', title: '采购' },
    address: { label: '锦江中心厨房', regionCode: '510104', address: '东大街 99 号' },
    licenceExpiresIn: 800,
    permitExpiresIn: 700,
  },
  {
    code: 'C0006',
    name: '武汉江汉农贸配送中心',
    kind: 'company',
    usciBody: '91420103MA4M5N6P7',
    status: 'prospect',
    creditLimitFen: 0,
    paymentTermsDays: 0,
    creditRating: 'C',
    regionCode: '420103',
    group: '批发',
    tags: ['新客户'],
    contact: { name: '赵敏', phone: '13907270006', title: '总经理' },
    address: { label: '江汉仓', regionCode: '420103', address: '解放大道 688 号' },
  },
  {
    code: 'C0007',
    name: '南京鼓楼惠民超市',
    kind: 'company',
    usciBody: '92320106MA3Q4R5T6',
    status: 'active',
    creditLimitFen: 10_000_000,
    paymentTermsDays: 30,
    creditRating: 'B',
    regionCode: '320106',
    group: '商超',
    tags: [],
    contact: { name: '孙丽', phone: '13851400007', title: '生鲜采购' },
    address: { label: '鼓楼店', regionCode: '320106', address: '中山北路 200 号' },
    licenceExpiresIn: 500,
    permitExpiresIn: 20,
    suspend: '逾期账款未结清',
  },
  {
    code: 'C0008',
    name: '深圳南山盒马鲜生',
    kind: 'company',
    usciBody: '91440305MA5U6W7X8',
    status: 'active',
    creditLimitFen: 60_000_000,
    paymentTermsDays: 60,
    creditRating: 'A',
    regionCode: '440305',
    group: '商超',
    tags: ['重点客户', '冷链'],
    minRemainingShelfLifeDays: 7,
    contact: { name: '周杰', phone: '13802550008', title: '品类经理' },
    address: { label: '南山仓', regionCode: '440305', address: '科技园南区 18 栋' },
    licenceExpiresIn: 1500,
    permitExpiresIn: 1000,
  },
  {
    code: 'C0009',
    name: '郑州金水区家庭农场直供',
    kind: 'individual',
    status: 'active',
    creditLimitFen: 1_000_000,
    paymentTermsDays: 0,
    creditRating: 'B',
    regionCode: '410105',
    tags: ['个人'],
    contact: { name: '吴刚', phone: '13903710009', title: '' },
    address: { label: '家', regionCode: '410105', address: '花园路 12 号院' },
  },
  {
    code: 'C0010',
    name: '西安雁塔果蔬配送有限公司',
    kind: 'company',
    usciBody: '91610113MA6Y7A8B9',
    status: 'active',
    creditLimitFen: 15_000_000,
    paymentTermsDays: 30,
    creditRating: 'B',
    regionCode: '610113',
    group: '批发',
    tags: [],
    contact: { name: '郑红', phone: '13709110010', title: '采购' },
    address: { label: '雁塔仓', regionCode: '610113', address: '小寨西路 66 号' },
    licenceExpiresIn: 700,
    permitExpiresIn: 60,
  },
];

/** Demo customers across provinces: active, prospect and suspended, with qualifications near or past expiry. */
export async function seedCustomersDemo(db: Db): Promise<void> {
  const [sales] = await db.select({ id: users.id }).from(users).where(eq(users.username, 'sales'));
  for (const d of DEMO) {
    const { usciBody, contact, address, licenceExpiresIn, permitExpiresIn, suspend, ...input } = d;
    const c = await createCustomer(db, SYSTEM_ACTOR, { ...input, usci: usciBody ? withUsciCheck(usciBody) : null, salesOwnerId: sales?.id ?? null });
    await addContact(db, SYSTEM_ACTOR, c.id, {
      name: contact.name,
      phone: contact.phone,
      title: contact.title || null,
      email: `${d.code!.toLowerCase()}@example.cn`,
      isPrimary: true,
    });
    await addAddress(db, SYSTEM_ACTOR, c.id, { ...address, receiver: contact.name, phone: contact.phone, isDefault: true });
    if (licenceExpiresIn !== undefined)
      await addQualification(db, SYSTEM_ACTOR, c.id, { type: 'business_licence', number: withUsciCheck(usciBody!), issuedOn: shift(-1000), expiresOn: shift(licenceExpiresIn) });
    if (permitExpiresIn !== undefined)
      await addQualification(db, SYSTEM_ACTOR, c.id, {
        type: 'food_permit',
        number: `JY1${d.regionCode}${d.code!.slice(1)}0001`,
        issuedOn: shift(-700),
        expiresOn: shift(permitExpiresIn),
      });
    if (suspend) await changeCustomerStatus(db, SYSTEM_ACTOR, c.id, 'suspend', suspend);
  }
}
