import fs from 'node:fs';
import path from 'node:path';

export type DirLock = { release: () => void };

export class DataDirLockedError extends Error {
  constructor(
    readonly dir: string,
    readonly pid: number,
  ) {
    super(
      `The data directory ${dir} is in use by another AgriOMS process (pid ${pid}). Stop it first, or set AGRI_OMS_DATA_DIR to another directory. / 数据目录 ${dir} 正被另一个 AgriOMS 进程(pid ${pid})使用。`,
    );
  }
}

/** What the lock file holds: the owner's pid and, where the OS tells it, the identity of that process (boot + start time). */
export type LockOwner = { pid: number; start: string | null };

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readText(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch {
    return null;
  }
}

/**
 * The identity of a running process beyond its pid, which the OS reuses: on Linux the boot id and the process start
 * time in clock ticks since boot (/proc/<pid>/stat field 22), so a pid that now belongs to another process (after a
 * reboot or a wrap-around) never matches. Null where /proc is not available.
 */
export function processStart(pid: number): string | null {
  const stat = readText(`/proc/${pid}/stat`);
  if (!stat) return null;
  // Field 2 (the command name, in parentheses) may hold spaces and parentheses: count the fields after its last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const startTicks = fields[19]; // field 22 of the line, the 20th after the name
  if (!startTicks || !/^\d+$/.test(startTicks)) return null;
  const boot = readText('/proc/sys/kernel/random/boot_id') ?? '';
  return `${boot}:${startTicks}`;
}

function parseOwner(text: string): LockOwner | null {
  if (/^\d+$/.test(text)) return { pid: Number(text), start: null }; // the pid-only file of earlier versions
  try {
    const v = JSON.parse(text) as { pid?: unknown; start?: unknown };
    if (typeof v.pid === 'number' && Number.isInteger(v.pid) && v.pid > 0) return { pid: v.pid, start: typeof v.start === 'string' ? v.start : null };
  } catch {
    // unreadable (a crash while writing it): stale
  }
  return null;
}

/** A node process, as far as its command line tells (for the pid-only locks of earlier versions). */
function looksLikeNode(pid: number): boolean {
  const cmdline = readText(`/proc/${pid}/cmdline`);
  if (cmdline === null) return true; // cannot tell: assume it may be ours
  const argv0 = path.basename(cmdline.split('\0')[0] ?? '');
  return /node|agri-oms|tsx/i.test(argv0) || /agri-oms/i.test(cmdline);
}

/**
 * Whether the lock's owner is still running: the pid is alive and is the same process that wrote the lock (same boot
 * and start time). A lock of a pid that now belongs to an unrelated process — the usual case after a reboot — is stale.
 */
export function ownerRunning(owner: LockOwner): boolean {
  if (!alive(owner.pid)) return false;
  const now = processStart(owner.pid);
  if (owner.start !== null && now !== null) return owner.start === now;
  if (owner.start === null) return looksLikeNode(owner.pid);
  return true; // the lock names a start time but this OS does not tell one: the pid is all we can check
}

/**
 * Takes an exclusive lock on an embedded data directory. The lock file names our pid and process start time; a lock of a
 * process that is gone, or whose pid now belongs to another process, is stale and taken over; a lock of a running
 * AgriOMS process refuses with DataDirLockedError.
 */
export function acquireDirLock(dir: string): DirLock {
  const file = path.join(dir, 'agri-oms.lock');
  const mine = JSON.stringify({ pid: process.pid, start: processStart(process.pid) } satisfies LockOwner);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = fs.openSync(file, 'wx');
      fs.writeSync(fd, mine);
      fs.closeSync(fd);
      let released = false;
      return {
        release: () => {
          if (released) return;
          released = true;
          try {
            if (fs.readFileSync(file, 'utf8') === mine) fs.unlinkSync(file);
          } catch {
            // already gone
          }
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = parseOwner(readText(file) ?? '');
      if (owner && owner.pid !== process.pid && ownerRunning(owner)) throw new DataDirLockedError(dir, owner.pid);
      fs.rmSync(file, { force: true });
    }
  }
  throw new Error(`Could not lock ${dir}`);
}
