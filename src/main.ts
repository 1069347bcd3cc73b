import { Command } from 'commander';
import { eq } from 'drizzle-orm';
import { SYSTEM_ACTOR } from './platform/auth/actor.js';
import { generatePassword } from './platform/auth/password.js';
import { createUser, resetPassword, setUserDisabled } from './platform/auth/users.service.js';
import { verifyAudit } from './platform/audit/audit.service.js';
import { loadConfig } from './platform/config.js';
import { inTransaction } from './platform/db/client.js';
import { DataDirLockedError } from './platform/db/dir-lock.js';
import { DomainError, errorMessage } from './platform/errors/domain-error.js';
import { loadDemo } from './platform/demo.js';
import { users } from './platform/platform.tables.js';
import { adminPasswordBox, prepare, serve } from './server.js';
import { cliCommands } from './modules/cli.js';

const CLI_ACTOR = { ...SYSTEM_ACTOR, username: 'cli' };

async function withDb<T>(fn: (db: Awaited<ReturnType<typeof prepare>>['database']) => Promise<T>): Promise<T> {
  const { database, adminPassword } = await prepare(loadConfig());
  if (adminPassword) for (const line of adminPasswordBox(adminPassword)) console.log(line);
  try {
    return await fn(database);
  } finally {
    await database.close();
  }
}

async function userId(db: Awaited<ReturnType<typeof prepare>>['database'], username: string): Promise<string> {
  const [u] = await db.db.select({ id: users.id }).from(users).where(eq(users.username, username.toLowerCase()));
  if (!u) throw new DomainError('USER_NOT_FOUND');
  return u.id;
}

const program = new Command('agri-oms').description('AgriOMS — 农产品订单运营管理系统').version('0.1.0');

program
  .command('serve')
  .description('run the web app and API (PGlite in ./data unless DATABASE_URL is set)')
  .option('--no-demo', 'do not load the demo company on a new embedded database')
  .action(async (o: { demo: boolean }) => serve({ demo: o.demo }));

program
  .command('migrate')
  .description('apply database migrations and exit')
  .action(() => withDb(async () => console.log('migrations applied')));

program
  .command('seed')
  .description('load data')
  .option('--demo', 'load the demo company')
  .action((o: { demo?: boolean }) =>
    withDb(async (database) => {
      if (!o.demo) throw new Error('nothing to seed: pass --demo');
      await loadDemo(database, (m) => console.log(m));
      console.log('demo company loaded');
    }),
  );

const user = program.command('user').description('manage user accounts');
user
  .command('create')
  .requiredOption('--username <name>')
  .requiredOption('--roles <roles>', 'comma-separated role codes, e.g. sales,reviewer')
  .option('--display-name <name>')
  .option('--password <password>', 'generated when omitted')
  .action((o: { username: string; roles: string; displayName?: string; password?: string }) =>
    withDb(async (database) => {
      const password = o.password ?? generatePassword();
      await inTransaction(database.db, (db) =>
        createUser(db, CLI_ACTOR, { username: o.username, displayName: o.displayName ?? o.username, password, roles: o.roles.split(',').map((r) => r.trim()) }),
      );
      console.log(`user ${o.username} created${o.password ? '' : `; password: ${password}`}`);
    }),
  );
user
  .command('reset-password <username>')
  .option('--password <password>', 'generated when omitted')
  .action((username: string, o: { password?: string }) =>
    withDb(async (database) => {
      const password = o.password ?? generatePassword();
      const id = await userId(database, username);
      await inTransaction(database.db, (db) => resetPassword(db, CLI_ACTOR, id, password));
      console.log(`password of ${username} reset${o.password ? '' : `: ${password}`}`);
    }),
  );
user.command('disable <username>').action((username: string) =>
  withDb(async (database) => {
    const id = await userId(database, username);
    await inTransaction(database.db, (db) => setUserDisabled(db, CLI_ACTOR, id, true));
    console.log(`user ${username} disabled; its sessions are ended`);
  }),
);

const audit = program.command('audit').description('audit trail');
audit
  .command('verify')
  .description('recompute the hash chain and report the first tampered row')
  .action(() =>
    withDb(async (database) => {
      const r = await verifyAudit(database.db);
      if (r.ok) console.log(`audit chain OK: ${r.checked} rows verified`);
      else {
        console.error(`audit chain BROKEN at seq ${r.firstBadSeq ?? '?'}: ${r.reason} (${r.checked} rows verified before it)`);
        process.exitCode = 1;
      }
    }),
  );

for (const add of cliCommands) add(program, withDb);

program.parseAsync(process.argv).catch((err: unknown) => {
  if (err instanceof DataDirLockedError) {
    // The running server holds the embedded database: its admin screen and API offer the same operations.
    console.error(
      `AgriOMS is running on ${err.dir} (pid ${err.pid}), so the command line cannot open it. Use the running server instead: ` +
        `audit verify and stock verify are in the admin screen 数据校验 / Data checks (POST /api/admin/checks/audit, POST /api/admin/checks/stock), ` +
        `user disable in 用户管理 / Users (POST /api/admin/users/:id/disable).\n` +
        `AgriOMS 正在使用数据目录 ${err.dir}(pid ${err.pid}),命令行无法打开。请在运行中的服务上操作:审计链与库存校验见管理界面「数据校验」(POST /api/admin/checks/audit、POST /api/admin/checks/stock),停用用户见「用户管理」。`,
    );
    process.exit(1);
  }
  if (err instanceof DomainError) console.error(`${err.code}: ${errorMessage(err.code, 'zh-CN', err.params)} / ${errorMessage(err.code, 'en-US', err.params)}`);
  else console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
