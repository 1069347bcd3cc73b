import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase, queryRows } from '../src/platform/db/client.js';
import { DataDirLockedError } from '../src/platform/db/dir-lock.js';

const dirs: string[] = [];
const tmpDir = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'agri-embedded-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

function startWriter(dir: string, mode: 'write' | 'hold'): { child: ChildProcess; lines: string[]; waitFor: (pred: (l: string[]) => boolean, ms?: number) => Promise<void> } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/fixtures/embedded-writer.ts', dir, mode], { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  let buf = '';
  child.stdout!.on('data', (d: Buffer) => {
    buf += d.toString();
    const parts = buf.split('\n');
    buf = parts.pop() ?? '';
    lines.push(...parts);
  });
  const waitFor = (pred: (l: string[]) => boolean, ms = 240_000) =>
    new Promise<void>((resolve, reject) => {
      const started = Date.now();
      const tick = setInterval(() => {
        if (pred(lines)) {
          clearInterval(tick);
          resolve();
        } else if (Date.now() - started > ms) {
          clearInterval(tick);
          reject(new Error(`timeout; got ${lines.slice(-3).join(' | ')}`));
        }
      }, 20);
    });
  return { child, lines, waitFor };
}

describe('embedded database (PGlite) safety', { timeout: 300_000 }, () => {
  it('a second process opening the same data directory fails at once with a clear message', async () => {
    const dir = tmpDir();
    const w = startWriter(dir, 'hold');
    try {
      await w.waitFor((l) => l.includes('ready'));
      const t0 = Date.now();
      await expect(openDatabase({ dataDir: dir })).rejects.toBeInstanceOf(DataDirLockedError);
      await expect(openDatabase({ dataDir: dir })).rejects.toThrow(/in use by another AgriOMS process/);
      expect(Date.now() - t0).toBeLessThan(2000);
    } finally {
      w.child.kill('SIGKILL');
    }
  });

  it('closes cleanly on SIGTERM and releases the lock', async () => {
    const dir = tmpDir();
    const w = startWriter(dir, 'hold');
    await w.waitFor((l) => l.includes('ready'));
    w.child.kill('SIGTERM');
    await w.waitFor((l) => l.includes('closed'));
    await new Promise((r) => w.child.once('exit', r));
    expect(fs.existsSync(path.join(dir, 'agri-oms.lock'))).toBe(false);
    const db = await openDatabase({ dataDir: dir });
    await db.close();
  });

  it('kill -9 during writes loses no acknowledged write', async () => {
    for (let trial = 0; trial < 2; trial++) {
      const dir = tmpDir();
      const w = startWriter(dir, 'write');
      await w.waitFor((l) => l.filter((x) => x.startsWith('ack')).length >= 150 + trial * 100);
      w.child.kill('SIGKILL');
      await new Promise((r) => w.child.once('exit', r));
      const acked = w.lines.filter((x) => x.startsWith('ack')).map((x) => Number(x.slice(4)));
      const database = await openDatabase({ dataDir: dir });
      try {
        const rows = await queryRows<{ n: number }>(database.db, sql`select n from durability_probe`);
        const have = new Set(rows.map((r) => Number(r.n)));
        const lost = acked.filter((n) => !have.has(n));
        expect(lost, `trial ${trial}: lost acknowledged rows`).toEqual([]);
        expect(have.size).toBeGreaterThanOrEqual(acked.length);
      } finally {
        await database.close();
      }
    }
  });
});
