/**
 * One deploy or rollback per database file at a time: a lock file beside the database,
 * `<file>.schemapilot-lock`, created exclusively (O_EXCL) and holding the owner's pid, host and
 * start time. Not a row in the journal: the lock must outlive a restore of the file from its
 * backup, and a row would be one more write for every deploy to wait on. Not SQLite's own
 * locks: they are released at every COMMIT, and a deploy is many transactions.
 *
 * A process that dies leaves its lock file; the next deploy on the same host finds its pid
 * gone and takes the lock over. On another host (a file on a network share) a pid means
 * nothing: the file is reported, and removed by hand.
 */
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import type { DeployLock } from '../../../core/dialect/deploy.js';
import type { Session } from '../../../core/dialect/driver.js';
import { sqliteSession } from '../session.js';

interface Owner {
  pid: number;
  host: string;
  started: string;
}

export function lockPath(databasePath: string): string {
  return `${databasePath}.schemapilot-lock`;
}

/** Lock files this process holds, by session (a second session of this process is refused too). */
const held = new WeakMap<Session, string>();

function readOwner(path: string): Owner | null {
  try {
    const owner = JSON.parse(readFileSync(path, 'utf8')) as Partial<Owner>;
    return typeof owner.pid === 'number' && typeof owner.host === 'string'
      ? { pid: owner.pid, host: owner.host, started: String(owner.started ?? '?') }
      : null;
  } catch {
    return null; // being written, or not ours
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, under another user.
    return (error as { code?: unknown }).code === 'EPERM';
  }
}

function create(path: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx', 0o644);
  } catch (error) {
    if ((error as { code?: unknown }).code === 'EEXIST') return false;
    throw error;
  }
  try {
    const owner: Owner = { pid: process.pid, host: hostname(), started: new Date().toISOString() };
    writeSync(fd, JSON.stringify(owner));
  } finally {
    closeSync(fd);
  }
  return true;
}

export const sqliteDeployLock: DeployLock = {
  acquire(session) {
    const path = lockPath(sqliteSession(session).path);
    for (let attempt = 0; attempt < 2; attempt++) {
      if (create(path)) {
        held.set(session, path);
        return Promise.resolve({ acquired: true });
      }
      const owner = readOwner(path);
      const stale =
        owner !== null && owner.host === hostname() && owner.pid !== process.pid && !alive(owner.pid);
      if (!stale)
        return Promise.resolve({
          acquired: false,
          holder: owner
            ? `process ${owner.pid} on ${owner.host} since ${owner.started}; lock file ${path}`
            : `lock file ${path}`,
        });
      // Its owner died without letting go (killed): take it over, once.
      try {
        unlinkSync(path);
      } catch {
        // another deploy took it over first; the next create says so
      }
    }
    return Promise.resolve({ acquired: false, holder: `lock file ${path}` });
  },

  release(session) {
    const path = held.get(session);
    if (path === undefined) return Promise.resolve();
    held.delete(session);
    try {
      if (readOwner(path)?.pid === process.pid) unlinkSync(path);
    } catch {
      // gone already
    }
    return Promise.resolve();
  },
};
