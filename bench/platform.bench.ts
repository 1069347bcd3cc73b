import crypto from 'node:crypto';
import pg from 'pg';
import { load, printTable, startAgri, startBare, type Row } from './lib.js';
import type { BenchContext } from './registry.js';

async function freshPgDatabase(base: string): Promise<string> {
  const name = `agri_bench_${crypto.randomBytes(4).toString('hex')}`;
  const c = new pg.Client({ connectionString: base });
  await c.connect();
  await c.query(`create database ${name}`);
  await c.end();
  const u = new URL(base);
  u.pathname = `/${name}`;
  return u.toString();
}

async function dropPgDatabase(base: string, url: string): Promise<void> {
  const c = new pg.Client({ connectionString: base });
  await c.connect();
  await c.query(`drop database if exists ${new URL(url).pathname.slice(1)} with (force)`);
  await c.end();
}

/** GET /api/health and authenticated GET /api/auth/me at 32 connections, next to a bare Fastify route. */
export async function platformBench({ seconds, pgUrl }: BenchContext): Promise<void> {
  const rows: Row[] = [];
  const bare = await startBare(3900);
  rows.push(await load('bare Fastify route (baseline)', '-', `${bare.url}/bare`, { connections: 32, seconds }));
  rows.push(await load('bare Fastify route, /me-sized JSON (baseline 2)', '-', `${bare.url}/bare-me`, { connections: 32, seconds }));
  await bare.stop();
  // BENCH_ENGINES=postgres,pglite changes the order (or picks one engine).
  const engines = (process.env.BENCH_ENGINES ?? 'pglite,postgres').split(',').filter((e): e is 'pglite' | 'postgres' => e === 'pglite' || e === 'postgres');
  for (const engine of engines) {
    let url: string | undefined;
    if (engine === 'postgres') {
      try {
        url = await freshPgDatabase(pgUrl);
      } catch (err) {
        console.log(`(postgres skipped: ${(err as Error).message})`);
        continue;
      }
    }
    const srv = await startAgri(engine, 3901, url);
    const login = await fetch(`${srv.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: 'Admin12345' }),
    });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
    rows.push(await load('GET /api/health', engine, `${srv.url}/api/health`, { connections: 32, seconds }));
    rows.push(await load('GET /api/auth/me (session)', engine, `${srv.url}/api/auth/me`, { connections: 32, seconds, headers: { cookie } }));
    await srv.stop();
    if (url) await dropPgDatabase(pgUrl, url);
  }
  const base = rows[0]!.rps;
  const baseMe = rows[1]!.rps;
  printTable(rows, (r) =>
    r === rows[0] || r === rows[1]
      ? 'baseline'
      : r.scenario.includes('/me')
        ? `${Math.round((r.rps / base) * 100)} % of baseline, ${Math.round((r.rps / baseMe) * 100)} % of baseline 2`
        : `${Math.round((r.rps / base) * 100)} % of baseline`,
  );
}
