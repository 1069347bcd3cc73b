import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from './helpers/ports.js';

/*
 * A request with an Idempotency-Key whose process is killed (kill -9) in the middle is answered when the client
 * retries after the restart: executed when its work had not committed, replayed when it had — never stuck on
 * IDEMPOTENCY_IN_PROGRESS, never done twice. The server runs as a real process; AGRI_OMS_FAULT makes it SIGKILL
 * itself just before or just after the work's transaction commits.
 */
const engine = process.env.TEST_ENGINE === 'postgres' ? 'postgres' : 'pglite';
const base = process.env.TEST_DATABASE_URL;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'agri-idem-crash-'));
// Chosen by the OS: a fixed range met other services' ports (epmd's 4369 on this machine).
let port = 0;
let databaseUrl = '';
let dbName = '';

beforeAll(async () => {
  port = await freePort();
  if (engine !== 'postgres') return;
  dbName = `agri_idem_${crypto.randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`create database ${dbName}`);
  await admin.end();
  const url = new URL(base!);
  url.pathname = `/${dbName}`;
  databaseUrl = url.toString();
});
afterAll(async () => {
  fs.rmSync(dir, { recursive: true, force: true });
  if (!dbName) return;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`drop database if exists ${dbName} with (force)`);
  await admin.end();
});

const exited = (p: ChildProcess) => new Promise<void>((r) => (p.exitCode !== null || p.signalCode !== null ? r() : p.once('exit', () => r())));

async function startServer(fault?: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['bin/agri-oms.mjs', 'serve'], {
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      AGRI_OMS_DATA_DIR: dir,
      AGRI_OMS_ADMIN_PASSWORD: 'Admin12345',
      AGRI_OMS_WORKERS: '0',
      LOG_LEVEL: 'warn',
      AGRI_OMS_FAULT: fault ?? '',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/api/health`)).ok) return child;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error('server did not come up');
}

async function signIn(): Promise<string> {
  const res = await fetch(`http://127.0.0.1:${port}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: 'Admin12345' }),
  });
  expect(res.status).toBe(200);
  return res.headers.get('set-cookie')!.split(';')[0]!;
}

const createWarehouse = (cookie: string, key: string, code: string) =>
  fetch(`http://127.0.0.1:${port}/api/inventory/warehouses`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie, 'idempotency-key': key, 'accept-language': 'en-US' },
    body: JSON.stringify({ code, name: `Crash test ${code}`, tempZones: ['ambient'] }),
  });

async function warehousesCoded(cookie: string, code: string): Promise<number> {
  const res = await fetch(`http://127.0.0.1:${port}/api/inventory/warehouses?q=${code}&pageSize=50`, { headers: { cookie } });
  expect(res.status).toBe(200);
  const page = (await res.json()) as { items: { code: string }[] };
  return page.items.filter((w) => w.code === code).length;
}

describe(`idempotent requests across a crash (${engine})`, { timeout: 240_000 }, () => {
  it.each([
    ['idempotency.before-commit', 'executes the retry once when the work had not committed', false],
    ['idempotency.after-commit', 'replays the committed answer to the retry, without doing the work again', true],
  ] as const)('kill -9 at %s: %s', async (fault, _rule, replayed) => {
    const code = `WH${crypto.randomBytes(3).toString('hex').toUpperCase()}`;
    const key = crypto.randomUUID();
    const crashing = await startServer(fault);
    try {
      const cookie = await signIn();
      // The process dies while answering: the client sees the connection drop, not an answer.
      await expect(createWarehouse(cookie, key, code)).rejects.toThrow();
      await exited(crashing);
      expect(crashing.signalCode).toBe('SIGKILL');
    } finally {
      crashing.kill('SIGKILL');
      await exited(crashing);
    }
    const server = await startServer();
    try {
      const cookie = await signIn();
      const retry = await createWarehouse(cookie, key, code);
      expect(retry.status).toBe(201);
      expect(retry.headers.get('idempotent-replayed')).toBe(replayed ? 'true' : null);
      const body = (await retry.json()) as { code: string; name: string; tempZones: string[] };
      expect(body).toMatchObject({ code, name: `Crash test ${code}`, tempZones: ['ambient'] });
      // A third try replays the stored answer; either way there is exactly one warehouse.
      const again = await createWarehouse(cookie, key, code);
      expect(again.status).toBe(201);
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      expect(((await again.json()) as { code: string }).code).toBe(code);
      expect(await warehousesCoded(cookie, code)).toBe(1);
    } finally {
      server.kill('SIGTERM');
      await exited(server);
    }
  });
});
