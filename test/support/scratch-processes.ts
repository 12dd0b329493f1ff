/**
 * What the scratch-cleanup tests look at from outside: the temporary directories a run's
 * servers live in, whether a process is still running, and waiting for that to change.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Server directories named `prefix…` under the temp dir whose owner file names `pid`. */
export function serverDirsOf(prefix: string, pid: number): string[] {
  return readdirSync(tmpdir())
    .filter((n) => n.startsWith(prefix))
    .map((n) => join(tmpdir(), n))
    .filter((dir) => {
      try {
        return Number(readFileSync(join(dir, 'schemapilot-owner.pid'), 'utf8')) === pid;
      } catch {
        return false;
      }
    });
}

/** Running, and not a zombie (an orphaned server may wait for a reaper that never comes). */
export function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** `check` true within `ms` (polled every 100 ms). */
export async function eventually(check: () => boolean, ms = 15_000): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return check();
}
