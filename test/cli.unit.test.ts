import { execFile, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { skipReason } from './helpers/db.js';

const run = promisify(execFile);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'agri-cli-'));
const env = { ...process.env, AGRI_OMS_DATA_DIR: dir, AGRI_OMS_ADMIN_PASSWORD: 'Admin12345', DATABASE_URL: '' };
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const cli = (...args: string[]) => run(process.execPath, ['bin/agri-oms.mjs', ...args], { env });

describe('agri-oms CLI', { timeout: 300_000 }, () => {
  it('creates a user, resets its password, disables it, and verifies the audit chain', async () => {
    const created = await cli('user', 'create', '--username', 'clerk', '--roles', 'sales,reviewer', '--password', 'Clerk1234');
    expect(created.stdout).toContain('user clerk created');
    const reset = await cli('user', 'reset-password', 'clerk');
    expect(reset.stdout).toMatch(/password of clerk reset: \S{16}/);
    const disabled = await cli('user', 'disable', 'clerk');
    expect(disabled.stdout).toContain('disabled');
    const verify = await cli('audit', 'verify');
    expect(verify.stdout).toMatch(/audit chain OK: \d+ rows verified/);
  });

  it('reports the first tampered audit row and exits non-zero', async () => {
    const { PGlite } = await import('@electric-sql/pglite');
    const { pgliteExtensions } = await import('../src/platform/db/client.js');
    const db = new PGlite(path.join(dir, 'pgdata'), { extensions: pgliteExtensions });
    const { rows } = await db.query<{ seq: number }>("select seq from audit_log where action = 'user.create' order by seq limit 1");
    // As an attacker with the database's rights would: the append-only guard switched off for the transaction.
    await db.exec("begin; set local session_replication_role = replica; update audit_log set entity_id = 'forged' where action = 'user.create'; commit;");
    await db.close();
    const res = await cli('audit', 'verify').then(
      () => ({ code: 0, stderr: '' }),
      (e: { code: number; stderr: string }) => ({ code: e.code, stderr: e.stderr }),
    );
    expect(res.code).toBe(1);
    expect(res.stderr).toContain(`BROKEN at seq ${rows[0]!.seq}`);
  });

  it('while a server holds the data directory, audit verify says the check is in the admin screen / API instead of a lock error', async () => {
    const holder = spawn(process.execPath, ['--import', 'tsx', 'test/fixtures/dir-lock-holder.ts', dir], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      await new Promise<void>((resolve) => holder.stdout!.on('data', (d: Buffer) => d.toString().includes('locked') && resolve()));
      const res = await cli('audit', 'verify').catch((e: { code: number; stderr: string }) => e);
      expect((res as { code: number }).code).toBe(1);
      expect((res as { stderr: string }).stderr).toContain(`AgriOMS is running on ${dir} (pid ${holder.pid})`);
      expect((res as { stderr: string }).stderr).toContain('POST /api/admin/checks/audit');
      expect((res as { stderr: string }).stderr).toContain('数据校验');
    } finally {
      holder.kill('SIGKILL');
      await new Promise((r) => holder.once('exit', r));
    }
  });

  it('fails with a coded message for an unknown user', async () => {
    const res = await cli('user', 'disable', 'nobody').catch((e: { code: number; stderr: string }) => e);
    expect((res as { code: number }).code).toBe(1);
    expect((res as { stderr: string }).stderr).toContain('USER_NOT_FOUND');
  });
});

const base = process.env.TEST_DATABASE_URL;
describe.skipIf(!base)('PostgreSQL start-up', { timeout: 300_000 }, () => {
  it('two instances started at the same moment on one new database both come up and serve', async () => {
    const name = `agri_start_${crypto.randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: base });
    await admin.connect();
    await admin.query(`create database ${name}`);
    const url = new URL(base!);
    url.pathname = `/${name}`;
    const procs = [3271, 3272].map((port) =>
      spawn(process.execPath, ['bin/agri-oms.mjs', 'serve'], {
        env: { ...process.env, DATABASE_URL: url.toString(), PORT: String(port), AGRI_OMS_DATA_DIR: dir, AGRI_OMS_ADMIN_PASSWORD: 'Admin12345', LOG_LEVEL: 'warn' },
        stdio: 'ignore',
      }),
    );
    try {
      const healthy = async (port: number) => {
        for (let i = 0; i < 800; i++) {
          try {
            const r = await fetch(`http://127.0.0.1:${port}/api/health`);
            if (r.ok) return (await r.json()) as { database: string };
          } catch {
            // not up yet
          }
          await new Promise((r) => setTimeout(r, 250));
        }
        throw new Error(`instance on ${port} did not come up`);
      };
      const [a, b] = await Promise.all([healthy(3271), healthy(3272)]);
      expect(a.database).toBe('postgres');
      expect(b.database).toBe('postgres');
      const check = new pg.Client({ connectionString: url.toString() });
      await check.connect();
      const admins = await check.query("select count(*)::int as n from users where username = 'admin'");
      const demo = await check.query("select count(*)::int as n from app_meta where key = 'demo_loaded'");
      await check.end();
      expect(admins.rows[0].n).toBe(1);
      expect(demo.rows[0].n).toBe(0); // never loads the demo automatically on DATABASE_URL
    } finally {
      procs.forEach((p) => p.kill('SIGTERM'));
      await Promise.all(procs.map((p) => new Promise((r) => (p.exitCode !== null ? r(null) : p.once('exit', r)))));
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    }
  });
});
if (!base) skipReason('PostgreSQL start-up test needs TEST_DATABASE_URL');
