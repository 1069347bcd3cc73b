import { eq, sql } from 'drizzle-orm';
import { SYSTEM_ACTOR } from './auth/actor.js';
import { createUser } from './auth/users.service.js';
import { inTransaction, type Database } from './db/client.js';
import { appMeta, users } from './platform.tables.js';
import { moduleSeeds } from '../modules/index.js';

export const DEMO_PASSWORD = 'demo1234';

const DEMO_USERS = [
  { username: 'manager', displayName: '王经理', roles: ['manager'], phone: '13800000001' },
  { username: 'sales', displayName: '李客服', roles: ['sales'], phone: '13800000002' },
  { username: 'reviewer', displayName: '赵审核', roles: ['reviewer'], phone: '13800000003' },
  { username: 'planner', displayName: '钱计划', roles: ['planner'], phone: '13800000004' },
  { username: 'production', displayName: '孙生产', roles: ['production'], phone: '13800000005' },
  { username: 'qc', displayName: '周质检', roles: ['qc'], phone: '13800000006' },
  { username: 'warehouse', displayName: '吴仓管', roles: ['warehouse'], phone: '13800000007' },
  { username: 'logistics', displayName: '郑物流', roles: ['logistics'], phone: '13800000008' },
  { username: 'aftersales', displayName: '冯售后', roles: ['aftersales'], phone: '13800000009' },
  { username: 'trainer', displayName: '陈培训', roles: ['trainer'], phone: '13800000010' },
];

/** Loads the demo company: staff of every role (password demo1234) and each module's demo data. */
export async function loadDemo(database: Database, log: (msg: string) => void = () => undefined): Promise<void> {
  await inTransaction(database.db, async (db) => {
    const [done] = await db.select().from(appMeta).where(eq(appMeta.key, 'demo_loaded'));
    if (done) return;
    for (const u of DEMO_USERS) {
      const [exists] = await db.select({ id: users.id }).from(users).where(eq(users.username, u.username));
      if (!exists) await createUser(db, SYSTEM_ACTOR, { ...u, password: DEMO_PASSWORD, email: `${u.username}@demo.agri-oms.cn` });
    }
    for (const seed of moduleSeeds) {
      log(`demo: ${seed.name}`);
      await seed.run(db);
    }
    await db.insert(appMeta).values({ key: 'demo_loaded', value: new Date().toISOString() });
    await db.execute(sql`select 1`);
  });
}
