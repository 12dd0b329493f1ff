/**
 * MySQL's and MariaDB's errors as deploy acts on them. The code deploy stores and a plan's
 * `retryOn` lists is the server's error number as text ("1205"): the SQLSTATE is too coarse
 * there (a lock wait timeout is HY000, as are hundreds of others), and mysql2 has no symbol for
 * MariaDB's own numbers (1969). Error numbers:
 * https://dev.mysql.com/doc/mysql-errors/8.0/en/server-error-reference.html
 * https://mariadb.com/kb/en/mariadb-error-code-reference/
 */
import type { DeployErrors } from '../../../core/dialect/deploy.js';
import { MysqlConnectionStuck } from '../session.js';

/** ER_LOCK_WAIT_TIMEOUT: a metadata lock past lock_wait_timeout, or a row lock past innodb_lock_wait_timeout. */
export const LOCK_WAIT_TIMEOUT = 1205;
/** ER_LOCK_DEADLOCK: InnoDB chose our transaction as the deadlock victim and rolled it back. */
export const LOCK_DEADLOCK = 1213;
/** ER_QUERY_INTERRUPTED: our statement was ended by KILL QUERY (the watchdog's cancel). */
export const QUERY_INTERRUPTED = 1317;

/** The codes a MySQL plan retries on (PlanningEngine.retryOn). */
export const MYSQL_RETRY_ON = [String(LOCK_WAIT_TIMEOUT), String(LOCK_DEADLOCK)] as const;

/**
 * Errors after which the connection cannot be used: the server went away or ended us
 * (ER_SERVER_SHUTDOWN 1053, MariaDB's ER_CONNECTION_KILLED 1927, the client's CR_SERVER_GONE
 * 2006 and CR_SERVER_LOST 2013), or mysql2 lost the socket.
 */
const CONNECTION_ERRNOS = new Set([1053, 1927, 2006, 2013]);
const CONNECTION_CODES = new Set([
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_ENQUEUE_AFTER_FATAL_ERROR',
  'PROTOCOL_ENQUEUE_AFTER_QUIT',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
]);

function errnoOf(error: unknown): number | null {
  const errno = (error as { errno?: unknown } | null)?.errno;
  return typeof errno === 'number' && Number.isInteger(errno) && errno > 0 ? errno : null;
}

export const mysqlDeployErrors: DeployErrors = {
  code(error) {
    const errno = errnoOf(error);
    // Node's socket errors carry negative errnos (ECONNRESET): those are not the server's.
    return errno !== null && (error as { sqlState?: unknown }).sqlState !== undefined ? String(errno) : null;
  },
  isConnectionError(error) {
    if (error instanceof MysqlConnectionStuck) return true;
    const e = (error ?? {}) as { code?: unknown; fatal?: unknown; message?: unknown };
    // mysql2 marks an error after which the connection is closed as fatal.
    if (e.fatal === true) return true;
    const errno = errnoOf(error);
    if (errno !== null && CONNECTION_ERRNOS.has(errno)) return true;
    if (typeof e.code === 'string' && CONNECTION_CODES.has(e.code)) return true;
    return /closed state|Connection lost|connection is in closed/i.test(
      typeof e.message === 'string' ? e.message : '',
    );
  },
  kind(error) {
    switch (errnoOf(error)) {
      case LOCK_WAIT_TIMEOUT:
        return 'lock timeout';
      case LOCK_DEADLOCK:
        return 'deadlock';
      case QUERY_INTERRUPTED:
        return 'cancelled';
      default:
        return 'other';
    }
  },
  // CR_SERVER_LOST: "Lost connection to MySQL server during query".
  connectionLostCode: '2013',
};
