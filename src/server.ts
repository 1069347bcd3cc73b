import { buildApp } from './app.js';
import { sealPending } from './platform/audit/audit.service.js';
import { bootstrap, checkKeyFingerprint } from './platform/bootstrap.js';
import { clock } from './platform/clock.js';
import { loadConfig, type Config } from './platform/config.js';
import { createPiiCipher, initPii, loadMasterKeyInfo } from './platform/crypto/pii.js';
import { openDatabase, runMigrations, type Database } from './platform/db/client.js';
import { loadDemo, DEMO_PASSWORD } from './platform/demo.js';
import { startJobs } from './platform/jobs.js';
import { deliverOutbox } from './platform/outbox/outbox.service.js';
import { defineSetting, getSetting } from './platform/settings/settings.service.js';
import { moduleJobs } from './modules/jobs.js';

export const OutboxMaxAttempts = defineSetting({
  key: 'outbox.maxAttempts',
  module: 'platform',
  type: 'integer',
  default: 8,
  min: 1,
  max: 50,
  label: { zh: '消息最大投递次数', en: 'Message delivery attempts' },
  description: { zh: '外发消息(通知、邮件、短信)失败重试的最大次数,超过后进入死信。', en: 'How often an outgoing message is retried before it is dead-lettered.' },
});

/** Opens the database, applies migrations, checks and installs the PII key and runs first-start bootstrap. */
export async function prepare(config: Config, print: (s: string) => void): Promise<{ database: Database; firstStart: boolean }> {
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    await runMigrations(database, config.databaseUrl);
    const key = loadMasterKeyInfo(config.secret, config.dataDir);
    await checkKeyFingerprint(database, key);
    initPii(createPiiCipher(key.key));
    const boot = await bootstrap(database, config.adminPassword);
    if (boot.createdAdmin && boot.password) {
      print('');
      print('  ┌───────────────────────────────────────────────────────────┐');
      print(`  │ 管理员账号 admin account created                          │`);
      print(`  │ username: admin   one-time password: ${boot.password.padEnd(20)} │`);
      print('  │ 请登录后立即修改密码 / change it after your first sign-in   │');
      print('  └───────────────────────────────────────────────────────────┘');
      print('');
    }
    return { database, firstStart: boot.firstStart };
  } catch (err) {
    await database.close();
    throw err;
  }
}

/** `agri-oms serve`: the HTTP server with its background jobs, closing cleanly on SIGINT/SIGTERM. */
export async function serve(opts: { demo?: boolean } = {}): Promise<void> {
  const config = loadConfig();
  const { database, firstStart } = await prepare(config, (s) => console.log(s));
  const wantDemo = (opts.demo ?? true) && config.demo && database.kind === 'pglite' && firstStart;
  if (wantDemo) {
    console.log('Loading the demo company / 正在载入演示数据 …');
    await loadDemo(database, (m) => console.log(`  ${m}`));
    console.log(`Demo staff accounts (manager, sales, reviewer, qc, warehouse, …) use the password ${DEMO_PASSWORD}`);
  }
  const app = await buildApp({ database, config, logger: true });
  const stopJobs = config.workers
    ? startJobs(
        [
          { name: 'outbox', everyMs: 1000, run: async () => deliverOutbox(database.db, { clock, maxAttempts: await getSetting(database.db, OutboxMaxAttempts) }) },
          // Each batch is a short transaction; on PGlite it holds the only session, so requests queue behind it: batches
          // of 25 there (p99 of the order benchmark 130–162 ms against 149–184 with 100), of 100 on PostgreSQL.
          { name: 'audit-seal', everyMs: 2000, run: () => sealPending(database.db, database.kind === 'pglite' ? 25 : 100) },
          ...moduleJobs(database.db),
        ],
        app.log,
      )
    : async () => undefined;
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down');
    await app.close();
    await stopJobs();
    await database.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  await app.listen({ port: config.port, host: config.host });
  console.log(`AgriOMS ${app.ctx.version} on http://localhost:${config.port} (database: ${database.kind}${database.kind === 'pglite' ? ` in ${config.dataDir}` : ''})`);
}
