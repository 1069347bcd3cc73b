import { buildApp } from './app.js';
import { configureAuditAnchor } from './platform/audit/audit.service.js';
import { bootstrap, checkKeyFingerprint } from './platform/bootstrap.js';
import { loadConfig, type Config } from './platform/config.js';
import { createPiiCipher, initPii, loadMasterKeyInfo } from './platform/crypto/pii.js';
import { openDatabase, runMigrations, type Database } from './platform/db/client.js';
import { loadDemo, DEMO_PASSWORD } from './platform/demo.js';
import { startJobs } from './platform/jobs.js';
import { platformJobs } from './platform/platform.jobs.js';
import { moduleJobs, moduleSealers } from './modules/index.js';
import { platformSealers, sealPlaintextAtRest } from './platform/crypto/at-rest.js';

/** The box that tells a newcomer the first admin's one-time password (printed as the last lines of the first start). */
export function adminPasswordBox(password: string): string[] {
  return [
    '',
    '  ┌───────────────────────────────────────────────────────────┐',
    `  │ 管理员账号 admin account created                          │`,
    `  │ username: admin   one-time password: ${password.padEnd(20)} │`,
    '  │ 首次登录须修改密码 / you must change it at first sign-in    │',
    '  └───────────────────────────────────────────────────────────┘',
    '',
  ];
}

/**
 * Opens the database, applies migrations, checks and installs the PII key and runs first-start bootstrap. The admin's
 * one-time password (first start only) is returned, not printed: `serve` prints it after everything else.
 */
export async function prepare(
  config: Config,
  print: (s: string) => void = (s) => console.log(s),
): Promise<{ database: Database; firstStart: boolean; adminPassword: string | null }> {
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    await runMigrations(database, config.databaseUrl);
    const key = loadMasterKeyInfo(config.secret, config.dataDir);
    await checkKeyFingerprint(database, key);
    initPii(createPiiCipher(key.key));
    // Personal data rows written before it was encrypted (an older version) are sealed now: idempotent, in batches.
    const sealed = Object.entries(await sealPlaintextAtRest(database.db, [...platformSealers, ...moduleSealers])).filter(([, n]) => n > 0);
    if (sealed.length) print(`Encrypted personal data left in clear / 已加密遗留的明文个人信息: ${sealed.map(([k, n]) => `${k} ${n}`).join(', ')}`);
    // The audit chain's head is anchored beside the key, outside the database (checked by `audit verify`).
    configureAuditAnchor(config.dataDir);
    const boot = await bootstrap(database, config.adminPassword);
    return { database, firstStart: boot.firstStart, adminPassword: boot.createdAdmin ? boot.password : null };
  } catch (err) {
    await database.close();
    throw err;
  }
}

/** `agri-oms serve`: the HTTP server with its background jobs, closing cleanly on SIGINT/SIGTERM. */
export async function serve(opts: { demo?: boolean } = {}): Promise<void> {
  const config = loadConfig();
  const { database, firstStart, adminPassword } = await prepare(config);
  const wantDemo = (opts.demo ?? true) && config.demo && database.kind === 'pglite' && firstStart;
  if (wantDemo) {
    console.log('Loading the demo company / 正在载入演示数据 …');
    await loadDemo(database, (m) => console.log(`  ${m}`));
    console.log(`Demo staff accounts (manager, sales, reviewer, qc, warehouse, …) use the password ${DEMO_PASSWORD}`);
  }
  const app = await buildApp({ database, config, logger: true });
  configureAuditAnchor(config.dataDir, (msg, anchor) => app.log.info({ auditAnchor: anchor }, msg));
  // AGRI_OMS_WORKERS=0: this instance runs no background job (the others on the same database do).
  const jobs = config.workers ? startJobs(database, { log: app.log, jobs: [...platformJobs, ...moduleJobs] }) : null;
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down');
    await app.close();
    await jobs?.stop();
    await database.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  await app.listen({ port: config.port, host: config.host });
  console.log(`AgriOMS ${app.ctx.version} on http://localhost:${config.port} (database: ${database.kind}${database.kind === 'pglite' ? ` in ${config.dataDir}` : ''})`);
  // Last, so a newcomer finds it below the demo data and start-up lines.
  if (adminPassword) for (const line of adminPasswordBox(adminPassword)) console.log(line);
}
