/**
 * Scratch directories a killed run left behind (SIGKILL, a power loss: no cleanup ran): those
 * whose owner pid is not running on this machine are deleted by the next run. A directory with
 * no readable owner file (a run killed between mkdtemp and writing it) is left alone: we cannot
 * tell whose it is.
 */
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isAlive } from '../../../core/child-server.js';
import { DIR_PREFIX, OWNER_FILE } from './names.js';

/** Deletes the leftovers; returns how many. */
export function reapSqliteLeftovers(root: string = tmpdir()): number {
  let entries: string[];
  try {
    entries = readdirSync(root).filter((name) => name.startsWith(DIR_PREFIX));
  } catch {
    return 0;
  }
  let reaped = 0;
  for (const name of entries) {
    const dir = join(root, name);
    const owner = readPid(join(dir, OWNER_FILE));
    if (owner === undefined || owner === process.pid || isAlive(owner)) continue;
    rmSync(dir, { recursive: true, force: true });
    reaped++;
  }
  return reaped;
}

function readPid(file: string): number | undefined {
  try {
    const pid = Number(readFileSync(file, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}
