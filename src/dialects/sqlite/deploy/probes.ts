/**
 * What the watchdog asks of SQLite, and why it has little to ask. There is no server and no
 * session list: other connections are other processes holding the file open, invisible from
 * here. And the outage pattern differs from a server's. A step waiting for the write lock does
 * not queue anyone behind it (SQLite has no lock queue: each writer retries on its own until
 * its busy_timeout); a step holding the write lock makes every other writer wait, and each
 * gives up with SQLITE_BUSY after its own busy_timeout. The step's length bounds that, not a
 * watchdog: a statement cannot be interrupted from here (better-sqlite3 exposes neither
 * sqlite3_interrupt nor the progress handler, and a synchronous statement keeps the event loop
 * until it ends, so no timer would run). So: no blockers or waiters to report, nothing to
 * cancel; what bounds a step's hold on the lock is the plan (backfills in batches, rebuilds
 * measured by `validate`'s trace). Why: docs/decisions/0037-sqlite-deploy.md.
 */
import type { SessionProbes } from '../../../core/dialect/deploy.js';
import { sqliteSession } from '../session.js';

/** When this process started: a pid alone may be reused once the process is gone. */
const processStarted = new Date(Date.now() - process.uptime() * 1000).toISOString();

export const sqliteProbes: SessionProbes = {
  identify() {
    return Promise.resolve({ pid: process.pid, started: processStarted });
  },
  sample() {
    return Promise.resolve({ blockers: [], waiting: [] });
  },
  cancel() {
    return Promise.resolve();
  },
  /** A statement runs on this thread to its end: the connection is never "stuck" on a network. */
  isWorking() {
    return Promise.resolve(true);
  },
  keepWaitingWhile() {
    // Calls into SQLite are synchronous here: no client-side deadline passes mid-statement.
  },
  /** A session of another process cannot be ended from here; its file locks go with the process. */
  terminate() {
    return Promise.resolve();
  },
  readOnly(session) {
    // Every write on this connection fails with SQLITE_READONLY from here on.
    sqliteSession(session).db.pragma('query_only = 1');
    return Promise.resolve();
  },
};
