import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';

export type Row = { scenario: string; engine: string; connections: number; rps: number; p50: number; p99: number; errors: number; non2xx: number };

export async function waitHttp(url: string, child?: ChildProcess, log?: () => string): Promise<void> {
  for (let i = 0; i < 900; i++) {
    if (child && child.exitCode !== null) throw new Error(`process exited: ${log?.() ?? ''}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timeout waiting for ${url}`);
}

/** Starts `agri-oms serve` in a child process on a fresh database of the given engine. */
export async function startAgri(engine: 'pglite' | 'postgres', port: number, databaseUrl?: string): Promise<{ url: string; stop: () => Promise<void> }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'agri-bench-'));
  let out = '';
  const child = spawn(process.execPath, ['bin/agri-oms.mjs', 'serve', '--no-demo'], {
    env: {
      ...process.env,
      PORT: String(port),
      AGRI_OMS_DATA_DIR: dataDir,
      DATABASE_URL: engine === 'postgres' ? databaseUrl : '',
      AGRI_OMS_ADMIN_PASSWORD: 'Admin12345',
      LOG_LEVEL: 'error',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  await waitHttp(`${url}/api/health`, child, () => out);
  return {
    url,
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode !== null ? r(null) : child.once('exit', r)));
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function startBare(port: number): Promise<{ url: string; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/bare-server.ts'], { env: { ...process.env, PORT: String(port) }, stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}`;
  await waitHttp(`${url}/bare`, child);
  return {
    url,
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode !== null ? r(null) : child.once('exit', r)));
    },
  };
}

/** Runs autocannon and reduces its result to one row. */
export async function load(scenario: string, engine: string, url: string, opts: { connections: number; seconds: number; headers?: Record<string, string> }): Promise<Row> {
  const r = await autocannon({ url, connections: opts.connections, duration: opts.seconds, headers: opts.headers });
  return { scenario, engine, connections: opts.connections, rps: Math.round(r.requests.average), p50: r.latency.p50, p99: r.latency.p99, errors: r.errors, non2xx: r.non2xx };
}

export function printTable(rows: Row[], extra: (r: Row) => string = () => ''): void {
  console.log('| scenario | engine | conns | req/s | p50 ms | p99 ms | errors | non-2xx | note |');
  console.log('|---|---|---|---|---|---|---|---|---|');
  for (const r of rows) console.log(`| ${r.scenario} | ${r.engine} | ${r.connections} | ${r.rps} | ${r.p50} | ${r.p99} | ${r.errors} | ${r.non2xx} | ${extra(r)} |`);
}

export function machine(): string {
  return `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
}
