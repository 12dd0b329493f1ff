/**
 * What the watchdog and the lost-connection cleanup ask MySQL/MariaDB about sessions.
 *
 * The outage pattern is the same as PostgreSQL's: an ALTER holds SHARED_UPGRADABLE and waits to
 * upgrade to EXCLUSIVE behind a transaction that read the table; every later query on the table
 * then queues behind the ALTER ("Waiting for table metadata lock"). Measured on MariaDB 10.11
 * (test/dialects/mysql/deploy.test.ts): KILL QUERY on the ALTER ends it with
 * ER_QUERY_INTERRUPTED (1317) and releases the queued queries at once.
 * https://mariadb.com/kb/en/metadata-locking/
 * https://dev.mysql.com/doc/refman/8.0/en/metadata-locking.html
 *
 * Sessions are read from information_schema.PROCESSLIST (only the account's own sessions
 * without the PROCESS privilege), transaction ages from INNODB_TRX, metadata locks from mdl.ts,
 * and row lock waits (a backfill batch) from sys.innodb_lock_waits.
 */
import type { SessionProbes } from '../../../core/dialect/deploy.js';
import type { SessionInfo } from '../../../core/deploy.js';
import { mysqlSession, type MysqlSession } from '../session.js';
import { mentionsTable, statementTable, tableLocks } from './mdl.js';

interface ProcessRow {
  id: number | string;
  user: string | null;
  host: string | null;
  db: string | null;
  command: string | null;
  state: string | null;
  info: string | null;
  ms: number | string | null;
  trx_ms: number | string | null;
}

interface Process extends Omit<ProcessRow, 'id' | 'ms' | 'trx_ms'> {
  id: number;
  ms: number;
  trxMs: number | null;
}

/**
 * Client sessions other than the observer. MariaDB has TIME_MS; MySQL only whole seconds. The
 * server's own threads (replication, event scheduler) are left out, as PostgreSQL's
 * non-client backends are.
 */
function processlist(mariadb: boolean): string {
  return `SELECT p.ID AS id, p.USER AS user, p.HOST AS host, p.DB AS db, p.COMMAND AS command,
       p.STATE AS state, LEFT(p.INFO, 1000) AS info, ${mariadb ? 'p.TIME_MS' : 'p.TIME * 1000'} AS ms,
       TIMESTAMPDIFF(MICROSECOND, x.trx_started, NOW()) DIV 1000 AS trx_ms
  FROM information_schema.PROCESSLIST p
  LEFT JOIN information_schema.INNODB_TRX x ON x.trx_mysql_thread_id = p.ID
 WHERE p.ID <> CONNECTION_ID()
   AND p.COMMAND NOT IN ('Daemon', 'Binlog Dump', 'Binlog Dump GTID', 'Slave_IO', 'Slave_SQL', 'Slave_worker')
   AND p.USER NOT IN ('system user', 'event_scheduler')`;
}

async function sessions(s: MysqlSession): Promise<Process[]> {
  const rows = await s.rows<ProcessRow>(processlist(s.version.product === 'mariadb'));
  return rows.map((r) => ({
    ...r,
    id: Number(r.id),
    ms: Number(r.ms ?? 0),
    trxMs: r.trx_ms === null ? null : Number(r.trx_ms),
  }));
}

/** Waiting for a metadata lock (or, on MyISAM, a table lock). */
const LOCK_WAIT = /^Waiting for table (metadata|level) lock/i;

/** "Sleep, in a transaction" is MySQL's "idle in transaction": it holds its locks doing nothing. */
export function stateWords(p: Pick<Process, 'command' | 'state' | 'trxMs'>): string | null {
  if (p.command === 'Sleep') return p.trxMs !== null ? 'Sleep, in a transaction' : 'Sleep';
  if (p.command === 'Query') return p.state ? `Query: ${p.state}` : 'Query';
  return p.command;
}

function toSession(p: Process): SessionInfo {
  return {
    pid: p.id,
    user: p.user,
    // MySQL has no application_name; the connect attribute program_name needs performance_schema.
    application: null,
    clientAddress: p.host,
    state: stateWords(p),
    query: p.info,
    transactionAgeMs: p.trxMs,
    waitEvent: p.state && /^Waiting for/i.test(p.state) ? p.state : null,
  };
}

interface RowWait {
  waiting_pid: number | string;
  blocking_pid: number | string;
  wait_age_secs: number | string | null;
}

/** Row lock waits that involve `pid` (our backfill's batch holding or waiting for rows). */
async function rowWaits(s: MysqlSession, pid: number): Promise<RowWait[]> {
  try {
    return await s.rows<RowWait>(
      `SELECT waiting_pid, blocking_pid, wait_age_secs FROM sys.innodb_lock_waits
        WHERE waiting_pid = ? OR blocking_pid = ?`,
      [pid, pid],
    );
  } catch {
    return []; // no sys schema, or no privilege to read it
  }
}

export const mysqlProbes: SessionProbes = {
  async identify(session) {
    const s = mysqlSession(session);
    return { pid: s.pid, started: String(await serverStarted(s)) };
  },

  async sample(observer, pid) {
    const s = mysqlSession(observer);
    const all = await sessions(s);
    const ours = all.find((p) => p.id === pid);
    if (!ours) return { blockers: [], waiting: [] };
    const others = all.filter((p) => p.id !== pid);
    const byId = new Map(others.map((p) => [p.id, p]));
    // Metadata locks matter while our statement runs; row locks as long as our transaction
    // is open (a backfill batch between its statements sleeps holding them).
    const { source, locks } =
      ours.command === 'Query' ? await tableLocks(s) : { source: 'none' as const, locks: [] };
    const tables = locks.filter((l) => l.pid === pid).map((l) => ({ schema: l.schema, name: l.name }));
    const named = ours.command === 'Query' && ours.info ? statementTable(ours.info, ours.db) : null;
    if (named) tables.push(named);
    const ourTable = (schema: string, name: string) =>
      tables.some((t) => t.schema === schema && t.name === name);

    const waiting = others.filter(
      (p) =>
        p.state !== null &&
        LOCK_WAIT.test(p.state) &&
        tables.some((t) => mentionsTable(p.info ?? '', p.db, t.schema, t.name)),
    );
    const waitingIds = new Set(waiting.map((p) => p.id));
    let blockers: Process[] = [];
    if (ours.state !== null && LOCK_WAIT.test(ours.state))
      blockers =
        source === 'none'
          ? // Nothing says who holds what: the sessions with an open transaction are the usual suspects.
            others.filter((p) => p.trxMs !== null && !waitingIds.has(p.id))
          : others.filter(
              (p) => !waitingIds.has(p.id) && locks.some((l) => l.pid === p.id && ourTable(l.schema, l.name)),
            );
    const waits = [...waiting.map((p) => ({ session: toSession(p), waitedMs: p.ms }))];
    for (const w of await rowWaits(s, pid)) {
      const waiter = byId.get(Number(w.waiting_pid));
      const holder = byId.get(Number(w.blocking_pid));
      if (Number(w.blocking_pid) === pid && waiter && !waitingIds.has(waiter.id)) {
        waitingIds.add(waiter.id);
        waits.push({ session: toSession(waiter), waitedMs: Number(w.wait_age_secs ?? 0) * 1000 });
      }
      if (Number(w.waiting_pid) === pid && holder && !blockers.includes(holder)) blockers.push(holder);
    }
    return { blockers: blockers.map(toSession), waiting: waits };
  },

  async cancel(observer, pid) {
    if (!Number.isSafeInteger(pid) || pid <= 0) return;
    await mysqlSession(observer)
      .rows(`KILL QUERY ${pid}`)
      .catch(() => undefined);
  },

  /**
   * Running a query and not stuck sending its answer to us ("Writing to net" on MariaDB,
   * "Sending to client" on MySQL 8) means a long statement on a healthy connection.
   */
  async isWorking(observer, pid) {
    const [row] = await mysqlSession(observer).rows<{ command: string | null; state: string | null }>(
      'SELECT COMMAND AS command, STATE AS state FROM information_schema.PROCESSLIST WHERE ID = ?',
      [pid],
    );
    return row?.command === 'Query' && !/^(Writing to net|Sending to client)$/i.test(row.state ?? '');
  },

  keepWaitingWhile(session, keepWaiting) {
    mysqlSession(session).keepWaiting = keepWaiting;
  },

  /**
   * Connection ids grow until the server restarts, then start again: `started` is when the
   * server started (to the second), so an id from before a restart is never ended.
   */
  async terminate(observer, pid, started) {
    const s = mysqlSession(observer);
    if (!Number.isSafeInteger(pid) || pid <= 0) return;
    if (Math.abs((await serverStarted(s)) - Number(started)) > 2) return;
    await s.rows(`KILL CONNECTION ${pid}`).catch(() => undefined); // ER_NO_SUCH_THREAD: gone already
    // A killed connection rolls its transaction back before it leaves the list; the caller
    // reads the journal after that.
    for (let i = 0; i < 100; i++) {
      const rows = await s.rows('SELECT 1 FROM information_schema.PROCESSLIST WHERE ID = ?', [pid]);
      if (rows.length === 0) break;
      await new Promise((r) => setTimeout(r, 50));
    }
  },

  async readOnly(session) {
    await mysqlSession(session).rows('SET SESSION TRANSACTION READ ONLY');
  },
};

/** When the server started, in Unix seconds (from Uptime: within a second). */
async function serverStarted(s: MysqlSession): Promise<number> {
  const [uptime] = await s.rows<{ Value: string }>("SHOW GLOBAL STATUS LIKE 'Uptime'");
  const [now] = await s.rows<{ now: number | string }>('SELECT UNIX_TIMESTAMP() AS now');
  return Number(now?.now ?? 0) - Number(uptime?.Value ?? 0);
}
