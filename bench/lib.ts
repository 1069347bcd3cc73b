import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';

export type Row = { scenario: string; engine: string; connections: number; rps: number; p50: number; p99: number; errors: number; non2xx: number };

/**
 * With BENCH_SERVER_CPUS=1 (and the bench itself started under `taskset -c 0`), servers run on their own core so the load
 * generator does not compete with them; unset, they share the machine.
 */
function pinned(argv: string[]): [string, string[]] {
  const cpus = process.env.BENCH_SERVER_CPUS;
  return cpus ? ['taskset', ['-c', cpus, ...argv]] : [argv[0]!, argv.slice(1)];
}

/** BENCH_SERVER_NODE_ARGS (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`) are passed to the node of the servers under test. */
function serverNodeArgs(): string[] {
  return (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
}

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
export async function startAgri(
  engine: 'pglite' | 'postgres',
  port: number,
  databaseUrl?: string,
  opts: { keepDataDir?: boolean } = {},
): Promise<{ url: string; dataDir: string; stop: () => Promise<void> }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'agri-bench-'));
  let out = '';
  const child = spawn(...pinned([process.execPath, ...serverNodeArgs(), 'bin/agri-oms.mjs', 'serve', '--no-demo']), {
    env: {
      ...process.env,
      PORT: String(port),
      AGRI_OMS_DATA_DIR: dataDir,
      DATABASE_URL: engine === 'postgres' ? databaseUrl : '',
      AGRI_OMS_ADMIN_PASSWORD: 'Admin12345',
      LOG_LEVEL: process.env.BENCH_SERVER_LOG ? 'info' : 'error',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // BENCH_SERVER_LOG=<file>: the server's request log (pino, with response times) goes to that file.
  if (process.env.BENCH_SERVER_LOG) child.stdout!.pipe(fs.createWriteStream(process.env.BENCH_SERVER_LOG));
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  await waitHttp(`${url}/api/health`, child, () => out);
  return {
    url,
    dataDir,
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode !== null ? r(null) : child.once('exit', r)));
      if (!opts.keepDataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function startBare(port: number): Promise<{ url: string; stop: () => Promise<void> }> {
  const child = spawn(...pinned([process.execPath, '--import', 'tsx', 'bench/bare-server.ts']), { env: { ...process.env, PORT: String(port) }, stdio: 'ignore' });
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

/** Runs autocannon (after a discarded 2-second warm-up, so every server is measured with its code optimised) and reduces its result to one row. */
export async function load(scenario: string, engine: string, url: string, opts: { connections: number; seconds: number; headers?: Record<string, string> }): Promise<Row> {
  await autocannon({ url, connections: opts.connections, duration: 2, headers: opts.headers });
  const r = await autocannon({ url, connections: opts.connections, duration: opts.seconds, headers: opts.headers });
  return { scenario, engine, connections: opts.connections, rps: Math.round(r.requests.average), p50: r.latency.p50, p99: r.latency.p99, errors: r.errors, non2xx: r.non2xx };
}

export function printTable(rows: Row[], extra: (r: Row) => string = () => ''): void {
  console.log('| scenario | engine | conns | req/s | p50 ms | p99 ms | errors | non-2xx | note |');
  console.log('|---|---|---|---|---|---|---|---|---|');
  for (const r of rows) console.log(`| ${r.scenario} | ${r.engine} | ${r.connections} | ${r.rps} | ${r.p50} | ${r.p99} | ${r.errors} | ${r.non2xx} | ${extra(r)} |`);
}

export function machine(): string {
  const load = os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' / ');
  return `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, load average ${load} (1/5/15 min)`;
}

// ---------------------------------------------------------------- shared helpers for the module benches

/** Creates a fresh PostgreSQL database next to the one in `base`; returns its URL and a function that drops it. */
export async function createPgDatabase(base: string, tag: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `agri_bench_${tag}_${crypto.randomBytes(3).toString('hex')}`;
  const admin = async (q: string) => {
    const c = new pg.Client({ connectionString: base });
    await c.connect();
    try {
      await c.query(q);
    } finally {
      await c.end();
    }
  };
  await admin(`create database ${name}`);
  const u = new URL(base);
  u.pathname = `/${name}`;
  return { url: u.toString(), drop: () => admin(`drop database if exists ${name} with (force)`) };
}

/** Percentile (nearest rank) of a list of milliseconds. */
export function pct(values: number[], p: number): number {
  if (!values.length) return NaN;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}

export const ms = (n: number): number => Math.round(n * 10) / 10;

export type LoopResult = { ops: number; perSecond: number; p50: number; p99: number; errors: number; firstError: string | null };

/**
 * Closed loop: `clients` workers each run `op` back to back for `seconds` (after a short warm-up);
 * latency is per operation (one operation may be several requests or one transaction).
 */
export async function closedLoop(clients: number, seconds: number, op: (worker: number, i: number) => Promise<void>, warmupSeconds = 1): Promise<LoopResult> {
  const lat: number[] = [];
  let errors = 0;
  let firstError: string | null = null;
  let measuring = false;
  const warmEnd = performance.now() + warmupSeconds * 1000;
  let end = Infinity;
  const worker = async (w: number) => {
    for (let i = 0; ; i++) {
      const now = performance.now();
      if (!measuring && now >= warmEnd) {
        measuring = true;
        end = now + seconds * 1000;
      }
      if (now >= end) return;
      const t0 = performance.now();
      try {
        await op(w, i);
        if (measuring) lat.push(performance.now() - t0);
      } catch (err) {
        if (measuring) errors += 1;
        firstError ??= (err as Error).message.slice(0, 300);
      }
    }
  };
  await Promise.all(Array.from({ length: clients }, (_, w) => worker(w)));
  return { ops: lat.length, perSecond: Math.round(lat.length / seconds), p50: ms(pct(lat, 50)), p99: ms(pct(lat, 99)), errors, firstError };
}

/** Times `fn` `n` times (after `warm` untimed runs); returns p50/p95/max in ms. */
export async function timeMany(n: number, fn: (i: number) => Promise<unknown>, warm = 2): Promise<{ n: number; p50: number; p95: number; max: number }> {
  for (let i = 0; i < warm; i++) await fn(-1 - i);
  const t: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await fn(i);
    t.push(performance.now() - t0);
  }
  return { n, p50: ms(pct(t, 50)), p95: ms(pct(t, 95)), max: ms(Math.max(...t)) };
}

/** A tiny JSON client over one keep-alive agent (cheap enough to drive the server from the same 2-core machine). */
export function httpClient(
  base: string,
  maxSockets: number,
): { call: <T>(method: string, path: string, body?: unknown, expect?: number) => Promise<T>; cookie: string | null; close: () => void } {
  const agent = new http.Agent({ keepAlive: true, maxSockets });
  const u = new URL(base);
  const client = {
    cookie: null as string | null,
    call: <T>(method: string, p: string, body?: unknown, expect?: number) =>
      new Promise<T>((resolve, reject) => {
        const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
        const req = http.request(
          {
            agent,
            host: u.hostname,
            port: u.port,
            method,
            path: p,
            headers: { ...(payload ? { 'content-type': 'application/json', 'content-length': payload.length } : {}), ...(client.cookie ? { cookie: client.cookie } : {}) },
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () => {
              const text = Buffer.concat(chunks).toString();
              const ok = expect !== undefined ? res.statusCode === expect : (res.statusCode ?? 500) < 300;
              if (!ok) return reject(new Error(`${method} ${p} → ${res.statusCode}: ${text.slice(0, 400)}`));
              if (!client.cookie && res.headers['set-cookie']) client.cookie = res.headers['set-cookie'][0]!.split(';')[0]!;
              resolve((text && String(res.headers['content-type']).includes('json') ? JSON.parse(text) : text) as T);
            });
          },
        );
        req.on('error', reject);
        if (payload) req.write(payload);
        req.end();
      }),
    close: () => agent.destroy(),
  };
  return client;
}

export type MdRow = Record<string, string | number>;

/** Prints a Markdown table from rows with the same keys. */
export function printMd(rows: MdRow[]): void {
  if (!rows.length) return;
  const keys = Object.keys(rows[0]!);
  console.log(`| ${keys.join(' | ')} |`);
  console.log(`|${keys.map(() => '---').join('|')}|`);
  for (const r of rows) console.log(`| ${keys.map((k) => String(r[k] ?? '')).join(' | ')} |`);
}
