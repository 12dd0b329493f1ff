/**
 * The SQL an incident report quotes. The generic part is here: turning the planner's pre-checks
 * into queries that list the rows breaking a constraint. The server's own words (error names,
 * lock holders, ending a session) come from the dialect's `IncidentWords`
 * (src/core/dialect/deploy.ts); PostgreSQL's are below, also the default for a report rendered
 * without a dialect at hand.
 */
import type { IncidentWords } from '../../core/dialect/deploy.js';

/** Rows a "find the violating rows" query returns. */
export const VIOLATION_LIMIT = 100;

const SQLSTATE_NAMES: Record<string, string> = {
  '23000': 'integrity_constraint_violation',
  '23502': 'not_null_violation',
  '23503': 'foreign_key_violation',
  '23505': 'unique_violation',
  '23514': 'check_violation',
  '23P01': 'exclusion_violation',
  '25001': 'active_sql_transaction',
  '40001': 'serialization_failure',
  '40P01': 'deadlock_detected',
  '42501': 'insufficient_privilege',
  '42701': 'duplicate_column',
  '42703': 'undefined_column',
  '42704': 'undefined_object',
  '42710': 'duplicate_object',
  '42P01': 'undefined_table',
  '42P07': 'duplicate_table',
  '53100': 'disk_full',
  '53200': 'out_of_memory',
  '55P03': 'lock_not_available',
  '57014': 'query_canceled',
  '57P01': 'admin_shutdown',
  '08006': 'connection_failure',
  '08001': 'sqlclient_unable_to_establish_sqlconnection',
  '0A000': 'feature_not_supported',
};

export type ViolationKind = NonNullable<ReturnType<IncidentWords['violation']>>;

/** Whether a planner's pre-check is about the constraint of `kind` (to suggest its query). */
export function checkMatches(sql: string, kind: ViolationKind | null): boolean {
  switch (kind) {
    case 'not null':
      return /\bIS NULL\b/i.test(sql);
    case 'unique':
      return /\bGROUP BY\b/i.test(sql);
    case 'foreign key':
      return /NOT EXISTS[\s\S]*NOT EXISTS/i.test(sql);
    case 'check':
      return /\bWHERE NOT \(/i.test(sql);
    default:
      return false;
  }
}

/** `SELECT NOT EXISTS (SELECT 1 FROM t WHERE bad)` → `SELECT * FROM t WHERE bad LIMIT 100`. */
export function violatingRows(checkSql: string): string | null {
  const outer = /^\s*SELECT\s+NOT\s+EXISTS\s*\(([\s\S]*)\)\s*;?\s*$/i.exec(checkSql);
  const inner = outer?.[1]?.trim();
  if (!inner || !/^SELECT\s+1\s+FROM\s/i.test(inner)) return null;
  // Catalog checks (an INVALID index left behind) are not about the data.
  if (/\b(pg_catalog|information_schema)\./i.test(inner)) return null;
  const group = /\sGROUP\s+BY\s+([\s\S]+?)\s+HAVING\s/i.exec(inner);
  const select = group ? `SELECT ${group[1]}, count(*) AS duplicates` : 'SELECT *';
  return `${inner.replace(/^SELECT\s+1/i, select)}\nLIMIT ${VIOLATION_LIMIT}`;
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** `schema.table` as the plan writes it (unquoted, schema before the first dot). */
function quoteQualified(name: string): string {
  const dot = name.indexOf('.');
  return dot < 0 ? quoteIdent(name) : `${quoteIdent(name.slice(0, dot))}.${quoteIdent(name.slice(dot + 1))}`;
}

function quoteLiteral(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

function findLockHolders(table: string | null): string {
  const where = table
    ? `l.relation = to_regclass(${quoteLiteral(quoteQualified(table))})`
    : `l.pid IN (SELECT unnest(pg_blocking_pids(w.pid)) FROM pg_stat_activity w WHERE w.wait_event_type = 'Lock')`;
  return [
    'SELECT l.pid, l.mode, l.granted, a.usename, a.application_name, a.state,',
    '       now() - a.xact_start AS xact_age, left(a.query, 200) AS query',
    'FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid',
    `WHERE ${where} AND l.pid <> pg_backend_pid()`,
    'ORDER BY a.xact_start',
  ].join('\n');
}

const PG_VIOLATIONS: Record<string, ViolationKind> = {
  '23502': 'not null',
  '23505': 'unique',
  '23503': 'foreign key',
  '23514': 'check',
};

/** PostgreSQL's words: SQLSTATE names, pg_locks and pg_stat_activity, pg_terminate_backend. */
export const postgresIncidentWords: IncidentWords = {
  product: 'PostgreSQL',
  codeLabel: 'SQLSTATE',
  errorName: (code) => SQLSTATE_NAMES[code],
  violation: (code) =>
    code !== null && code.startsWith('23') ? (PG_VIOLATIONS[code] ?? 'constraint') : null,
  nullColumn: (message) => /column "((?:[^"]|"")+)"/.exec(message)?.[1]?.replace(/""/g, '"') ?? null,
  quoteIdent,
  quoteTable: quoteQualified,
  lockTimeoutSetting: 'lock_timeout',
  idleTimeout: { setting: 'idle_in_transaction_session_timeout', who: 'application roles' },
  lockHolders: findLockHolders,
  endSession: (pid) => `SELECT pg_terminate_backend(${pid})`,
  idleInTransaction: (state) => state?.startsWith('idle in transaction') ?? false,
  longTransactions:
    "SELECT pid, usename, application_name, client_addr, state, now() - xact_start AS xact_age, left(query, 200) AS query\nFROM pg_stat_activity\nWHERE xact_start < now() - interval '1 minute' AND pid <> pg_backend_pid()\nORDER BY xact_start",
  leftover: {
    what: 'INVALID index',
    cause: 'left by the failed concurrent build (it slows writes and is never used)',
    drop: (name) => `DROP INDEX CONCURRENTLY IF EXISTS ${quoteQualified(name)}`,
  },
};
