/**
 * MySQL's and MariaDB's words in an incident report: error names by number, who holds the
 * metadata locks on a table, KILL, long transactions from INNODB_TRX, and the leftovers of an
 * online schema change. The queries are MariaDB's (METADATA_LOCK_INFO), with MySQL 8's
 * equivalent (sys.schema_table_lock_waits over performance_schema) beside them.
 * https://mariadb.com/kb/en/mariadb-error-code-reference/
 * https://dev.mysql.com/doc/mysql-errors/8.0/en/server-error-reference.html
 */
import type { IncidentWords } from '../../../core/dialect/deploy.js';
import { quoteMysqlIdent, quoteMysqlLiteral } from '../quote.js';

const ERROR_NAMES: Record<string, string> = {
  '1021': 'ER_DISK_FULL',
  '1044': 'ER_DBACCESS_DENIED_ERROR',
  '1048': 'ER_BAD_NULL_ERROR',
  '1050': 'ER_TABLE_EXISTS_ERROR',
  '1053': 'ER_SERVER_SHUTDOWN',
  '1054': 'ER_BAD_FIELD_ERROR',
  '1060': 'ER_DUP_FIELDNAME',
  '1061': 'ER_DUP_KEYNAME',
  '1062': 'ER_DUP_ENTRY',
  '1091': 'ER_CANT_DROP_FIELD_OR_KEY',
  '1114': 'ER_RECORD_FILE_FULL',
  '1138': 'ER_INVALID_USE_OF_NULL',
  '1142': 'ER_TABLEACCESS_DENIED_ERROR',
  '1146': 'ER_NO_SUCH_TABLE',
  '1205': 'ER_LOCK_WAIT_TIMEOUT',
  '1213': 'ER_LOCK_DEADLOCK',
  '1290': 'ER_OPTION_PREVENTS_STATEMENT (read_only)',
  '1317': 'ER_QUERY_INTERRUPTED (KILL QUERY)',
  '1451': 'ER_ROW_IS_REFERENCED_2',
  '1452': 'ER_NO_REFERENCED_ROW_2',
  '1792': 'ER_CANT_EXECUTE_IN_READ_ONLY_TRANSACTION',
  '1836': 'ER_READ_ONLY_MODE (innodb_read_only)',
  '1845': 'ER_ALTER_OPERATION_NOT_SUPPORTED',
  '1846': 'ER_ALTER_OPERATION_NOT_SUPPORTED_REASON',
  '1927': 'ER_CONNECTION_KILLED (MariaDB)',
  '1969': 'ER_STATEMENT_TIMEOUT (MariaDB max_statement_time)',
  '2006': 'CR_SERVER_GONE_ERROR',
  '2013': 'CR_SERVER_LOST',
  '3024': 'ER_QUERY_TIMEOUT (MySQL max_execution_time)',
  '3819': 'ER_CHECK_CONSTRAINT_VIOLATED (MySQL)',
  '4025': 'ER_CONSTRAINT_FAILED (MariaDB CHECK)',
};

const VIOLATIONS: Record<string, NonNullable<ReturnType<IncidentWords['violation']>>> = {
  '1048': 'not null',
  '1138': 'not null',
  '1062': 'unique',
  '1451': 'foreign key',
  '1452': 'foreign key',
  '3819': 'check',
  '4025': 'check',
};

function quoteTable(name: string): string {
  const dot = name.indexOf('.');
  return dot < 0
    ? quoteMysqlIdent(name)
    : `${quoteMysqlIdent(name.slice(0, dot))}.${quoteMysqlIdent(name.slice(dot + 1))}`;
}

function lockHolders(table: string | null): string {
  if (table === null)
    return [
      '-- Sessions waiting for a lock, and the transactions open longest:',
      'SELECT p.ID, p.USER, p.HOST, p.COMMAND, p.TIME, p.STATE, LEFT(p.INFO, 200) AS query, x.trx_started',
      'FROM information_schema.PROCESSLIST p',
      'LEFT JOIN information_schema.INNODB_TRX x ON x.trx_mysql_thread_id = p.ID',
      "WHERE p.STATE LIKE 'Waiting for%lock' OR x.trx_started IS NOT NULL",
      'ORDER BY x.trx_started IS NULL, x.trx_started',
    ].join('\n');
  const dot = table.indexOf('.');
  const schema = dot < 0 ? 'DATABASE()' : quoteMysqlLiteral(table.slice(0, dot));
  const name = quoteMysqlLiteral(dot < 0 ? table : table.slice(dot + 1));
  return [
    '-- MariaDB (metadata_lock_info plugin); on MySQL 8: SELECT * FROM sys.schema_table_lock_waits',
    'SELECT m.THREAD_ID, m.LOCK_MODE, p.USER, p.HOST, p.COMMAND, p.TIME, x.trx_started, LEFT(p.INFO, 200) AS query',
    'FROM information_schema.METADATA_LOCK_INFO m',
    'JOIN information_schema.PROCESSLIST p ON p.ID = m.THREAD_ID',
    'LEFT JOIN information_schema.INNODB_TRX x ON x.trx_mysql_thread_id = m.THREAD_ID',
    `WHERE m.TABLE_SCHEMA = ${schema} AND m.TABLE_NAME = ${name} AND m.THREAD_ID <> CONNECTION_ID()`,
    'ORDER BY x.trx_started IS NULL, x.trx_started',
  ].join('\n');
}

export const mysqlIncidentWords: IncidentWords = {
  product: 'MySQL/MariaDB',
  codeLabel: 'error',
  errorName: (code) => ERROR_NAMES[code],
  violation: (code) => (code === null ? null : (VIOLATIONS[code] ?? null)),
  // ER_BAD_NULL_ERROR: "Column 'email' cannot be null".
  nullColumn: (message) =>
    /Column '((?:[^']|'')+)' cannot be null/i.exec(message)?.[1]?.replace(/''/g, "'") ?? null,
  quoteIdent: quoteMysqlIdent,
  quoteTable,
  lockTimeoutSetting: 'lock_wait_timeout',
  idleTimeout: {
    setting: 'idle_transaction_timeout',
    who: 'application accounts (MariaDB; on MySQL, wait_timeout ends idle connections)',
  },
  lockHolders,
  // Ends the connection; its transaction rolls back and its locks go.
  endSession: (pid) => `KILL ${pid}`,
  idleInTransaction: (state) => state === 'Sleep, in a transaction',
  longTransactions: [
    'SELECT x.trx_mysql_thread_id AS id, p.USER, p.HOST, p.COMMAND, x.trx_started,',
    '       TIMESTAMPDIFF(SECOND, x.trx_started, NOW()) AS age_s, LEFT(p.INFO, 200) AS query',
    'FROM information_schema.INNODB_TRX x',
    'JOIN information_schema.PROCESSLIST p ON p.ID = x.trx_mysql_thread_id',
    'WHERE x.trx_started < NOW() - INTERVAL 1 MINUTE AND p.ID <> CONNECTION_ID()',
    'ORDER BY x.trx_started',
  ].join('\n'),
  leftover: {
    what: 'leftover of an online schema change',
    cause:
      'left by pt-online-schema-change or gh-ost when it stopped before its swap (its triggers slow every write to the table)',
    drop: (name) => {
      const base = name.slice(name.indexOf('.') + 1);
      return `${/^pt_osc_/.test(base) ? 'DROP TRIGGER' : 'DROP TABLE'} IF EXISTS ${quoteTable(name)}`;
    },
  },
};
