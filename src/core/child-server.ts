/**
 * Process helpers for the database servers schemapilot starts itself (embedded PostgreSQL, a
 * throwaway mariadbd): one copy for every dialect's scratch server.
 */
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/** The process exists (EPERM: it does, under another user). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Ask the OS for a free port on loopback. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** The last three lines of a server's log, for a one-line error; "(no log)" when unreadable. */
export function logTail(file: string): string {
  try {
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    return lines.slice(-3).join(' | ');
  } catch {
    return '(no log)';
  }
}

/**
 * Stop a server we started: `signal` (the server's clean shutdown), then `force` if it has not
 * exited after `forceAfterMs`. Resolves when it has exited.
 */
export function stopChild(
  child: ChildProcess,
  signals: { signal: NodeJS.Signals; force: NodeJS.Signals; forceAfterMs: number },
): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill(signals.force), signals.forceAfterMs);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill(signals.signal);
  });
}
