import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/platform/db/client.js';
import { acquireDirLock, DataDirLockedError, processStart } from '../src/platform/db/dir-lock.js';

const dirs: string[] = [];
const children: ChildProcess[] = [];
const tmpDir = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'agri-lock-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  children.forEach((c) => c.kill('SIGKILL'));
  dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true }));
});

/** A live process that is not AgriOMS (what a stale pid points at after a reboot). */
async function unrelatedProcess(): Promise<number> {
  const child = spawn('sleep', ['60'], { stdio: 'ignore' });
  children.push(child);
  await new Promise((r) => child.once('spawn', r));
  return child.pid!;
}

const lockFile = (dir: string) => path.join(dir, 'agri-oms.lock');
const linux = fs.existsSync('/proc/self/stat');

describe('data-directory lock', () => {
  it.runIf(linux)('names the owner by pid and process start time (boot id + /proc start ticks)', () => {
    const dir = tmpDir();
    const lock = acquireDirLock(dir);
    const owner = JSON.parse(fs.readFileSync(lockFile(dir), 'utf8')) as { pid: number; start: string };
    expect(owner.pid).toBe(process.pid);
    expect(owner.start).toMatch(/^[0-9a-f-]+:\d+$/);
    expect(owner.start).toBe(processStart(process.pid));
    lock.release();
    expect(fs.existsSync(lockFile(dir))).toBe(false);
  });

  it.runIf(linux)('a lock whose pid is alive but belongs to another process (other start time, e.g. after a reboot) is stale and taken over', async () => {
    const dir = tmpDir();
    const pid = await unrelatedProcess();
    fs.writeFileSync(lockFile(dir), JSON.stringify({ pid, start: 'another-boot:12345' }));
    const lock = acquireDirLock(dir);
    expect(JSON.parse(fs.readFileSync(lockFile(dir), 'utf8'))).toMatchObject({ pid: process.pid });
    lock.release();
  });

  it.runIf(linux)('a pid-only lock of earlier versions naming a live non-node process is stale', async () => {
    const dir = tmpDir();
    fs.writeFileSync(lockFile(dir), String(await unrelatedProcess()));
    acquireDirLock(dir).release();
  });

  it.runIf(linux)('the lock of a process with that pid and that start time still refuses', async () => {
    const dir = tmpDir();
    const pid = await unrelatedProcess();
    fs.writeFileSync(lockFile(dir), JSON.stringify({ pid, start: processStart(pid) }));
    expect(() => acquireDirLock(dir)).toThrow(DataDirLockedError);
  });

  it('a lock of a process that is gone is stale', async () => {
    const dir = tmpDir();
    const child = spawn('true', [], { stdio: 'ignore' });
    await new Promise((r) => child.once('exit', r));
    fs.writeFileSync(lockFile(dir), JSON.stringify({ pid: child.pid, start: 'x:1' }));
    acquireDirLock(dir).release();
  });

  it('a running AgriOMS process holding the lock refuses start-up with a clear message', { timeout: 30_000 }, async () => {
    const dir = tmpDir();
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/fixtures/dir-lock-holder.ts', dir], { stdio: ['ignore', 'pipe', 'inherit'] });
    children.push(child);
    await new Promise<void>((resolve) => child.stdout!.on('data', (d: Buffer) => d.toString().includes('locked') && resolve()));
    expect(() => acquireDirLock(dir)).toThrow(DataDirLockedError);
    expect(() => acquireDirLock(dir)).toThrow(new RegExp(`in use by another AgriOMS process \\(pid ${child.pid}\\).*正被另一个 AgriOMS 进程`));
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    acquireDirLock(dir).release();
  });

  it.runIf(linux)('the embedded database starts on a data directory whose lock names a live unrelated process', { timeout: 120_000 }, async () => {
    const dir = tmpDir();
    fs.writeFileSync(lockFile(dir), JSON.stringify({ pid: await unrelatedProcess(), start: 'before-reboot:42' }));
    const database = await openDatabase({ dataDir: dir });
    await database.close();
    expect(fs.existsSync(lockFile(dir))).toBe(false);
  });
});
