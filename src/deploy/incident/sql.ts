/**
 * The SQL and server words an incident report quotes: error names, queries that find the rows
 * breaking a constraint, lock holders and long transactions. They are PostgreSQL's (SQLSTATE
 * names, pg_stat_activity); when another dialect deploys, this file moves behind the dialect.
 */

/** Rows a "find the violating rows" query returns. */
export const VIOLATION_LIMIT = 100;

export const SQLSTATE_NAMES: Record<string, string> = {
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

export function isConstraintViolation(sqlstate: string | null): boolean {
  return sqlstate !== null && sqlstate.startsWith('23');
}

export function checkMatches(sql: string, sqlstate: string | null): boolean {
  switch (sqlstate) {
    case '23502':
      return /\bIS NULL\b/i.test(sql);
    case '23505':
      return /\bGROUP BY\b/i.test(sql);
    case '23503':
      return /NOT EXISTS[\s\S]*NOT EXISTS/i.test(sql);
    case '23514':
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
  if (/\bpg_catalog\./i.test(inner)) return null;
  const group = /\sGROUP\s+BY\s+([\s\S]+?)\s+HAVING\s/i.exec(inner);
  const select = group ? `SELECT ${group[1]}, count(*) AS duplicates` : 'SELECT *';
  return `${inner.replace(/^SELECT\s+1/i, select)}\nLIMIT ${VIOLATION_LIMIT}`;
}

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** `schema.table` as the plan writes it (unquoted, schema before the first dot). */
export function quoteQualified(name: string): string {
  const dot = name.indexOf('.');
  return dot < 0 ? quoteIdent(name) : `${quoteIdent(name.slice(0, dot))}.${quoteIdent(name.slice(dot + 1))}`;
}

export function quoteLiteral(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

export function findLockHolders(table: string | null): string {
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
