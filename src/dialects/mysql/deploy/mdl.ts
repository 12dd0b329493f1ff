/**
 * Who holds metadata locks on which tables, for the watchdog. MariaDB lists granted metadata
 * locks in information_schema.METADATA_LOCK_INFO (the metadata_lock_info plugin); MySQL 8 (and
 * MariaDB with performance_schema on) in performance_schema.metadata_locks, joined to threads
 * for the connection id. Neither may be there: then only the tables named by our own statement
 * are known, and the sessions with an open transaction stand in for the holders.
 * https://mariadb.com/kb/en/metadata-lock-info-plugin/
 * https://dev.mysql.com/doc/refman/8.0/en/performance-schema-metadata-locks-table.html
 *
 * Neither source shows what a waiting session waits for on MariaDB (only granted locks), so
 * a session counts as waiting on us when it waits for a metadata lock and its query names one
 * of our tables (unqualified names resolve in its own database).
 */
import type { MysqlSession } from '../session.js';

export interface TableLock {
  pid: number;
  schema: string;
  name: string;
  mode: string;
}

export type LockSource = 'metadata_lock_info' | 'performance_schema' | 'none';

const FROM_PLUGIN = `SELECT THREAD_ID AS pid, TABLE_SCHEMA AS \`schema\`, TABLE_NAME AS name, LOCK_MODE AS mode
  FROM information_schema.METADATA_LOCK_INFO
 WHERE LOCK_TYPE = 'Table metadata lock'`;

const FROM_PERFORMANCE_SCHEMA = `SELECT t.PROCESSLIST_ID AS pid, m.OBJECT_SCHEMA AS \`schema\`, m.OBJECT_NAME AS name, m.LOCK_TYPE AS mode
  FROM performance_schema.metadata_locks m
  JOIN performance_schema.threads t ON t.THREAD_ID = m.OWNER_THREAD_ID
 WHERE m.OBJECT_TYPE = 'TABLE' AND m.LOCK_STATUS = 'GRANTED' AND t.PROCESSLIST_ID IS NOT NULL`;

/** Watchdog sessions on servers without the plugin: not asked again. */
const withoutPlugin = new WeakSet<MysqlSession>();

function normalised(rows: readonly TableLock[]): TableLock[] {
  return rows.map((r) => ({ ...r, pid: Number(r.pid) }));
}

/** Granted table metadata locks, with the source they came from. */
export async function tableLocks(s: MysqlSession): Promise<{ source: LockSource; locks: TableLock[] }> {
  if (!withoutPlugin.has(s)) {
    try {
      return { source: 'metadata_lock_info', locks: normalised(await s.rows<TableLock>(FROM_PLUGIN)) };
    } catch {
      withoutPlugin.add(s); // ER_UNKNOWN_TABLE: the plugin is not installed
    }
  }
  try {
    // performance_schema off (MariaDB's default) still answers, with no rows at all.
    const rows = await s.rows<TableLock>(FROM_PERFORMANCE_SCHEMA);
    if (rows.length > 0) return { source: 'performance_schema', locks: normalised(rows) };
  } catch {
    // no performance_schema, or no privilege to read it
  }
  return { source: 'none', locks: [] };
}

const IDENT = '(?:`(?:[^`]|``)+`|[A-Za-z0-9_$\\u0080-\\uffff]+)';
const NAME = `(${IDENT})(?:\\s*\\.\\s*(${IDENT}))?`;
/** Statements that take a metadata lock on the table they name first. */
const TARGETS = [
  `ALTER\\s+(?:ONLINE\\s+)?(?:IGNORE\\s+)?TABLE\\s+(?:IF\\s+EXISTS\\s+)?${NAME}`,
  `CREATE\\s+(?:OR\\s+REPLACE\\s+)?(?:UNIQUE\\s+|FULLTEXT\\s+|SPATIAL\\s+)?INDEX\\s+(?:IF\\s+NOT\\s+EXISTS\\s+)?${IDENT}\\s+(?:USING\\s+\\w+\\s+)?ON\\s+${NAME}`,
  `DROP\\s+INDEX\\s+(?:IF\\s+EXISTS\\s+)?${IDENT}\\s+ON\\s+${NAME}`,
  `(?:RENAME|OPTIMIZE|TRUNCATE|DROP)\\s+TABLE\\s+(?:IF\\s+EXISTS\\s+)?${NAME}`,
  `UPDATE\\s+(?:LOW_PRIORITY\\s+)?(?:IGNORE\\s+)?${NAME}`,
].map((t) => new RegExp(`^\\s*${t}`, 'i'));

function unquote(ident: string): string {
  return ident.startsWith('`') ? ident.slice(1, -1).replace(/``/g, '`') : ident;
}

/** The table a DDL (or UPDATE) statement works on, qualified with `database` when it is not. */
export function statementTable(
  sql: string,
  database: string | null,
): { schema: string; name: string } | null {
  for (const target of TARGETS) {
    const m = target.exec(sql);
    if (!m?.[1]) continue;
    if (m[2]) return { schema: unquote(m[1]), name: unquote(m[2]) };
    return database === null ? null : { schema: database, name: unquote(m[1]) };
  }
  return null;
}

function escaped(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Whether `sql`, run in `database`, names `schema.name` (quoted or not, qualified or not). */
export function mentionsTable(sql: string, database: string | null, schema: string, name: string): boolean {
  const ident = (x: string) => `(?:\`${escaped(x.replace(/`/g, '``'))}\`|${escaped(x)}(?![A-Za-z0-9_$]))`;
  const edge = '(?<![A-Za-z0-9_$`.])';
  const qualified = new RegExp(`${edge}${ident(schema)}\\s*\\.\\s*${ident(name)}`, 'i');
  if (qualified.test(sql)) return true;
  if (database?.toLowerCase() !== schema.toLowerCase()) return false;
  return new RegExp(`${edge}${ident(name)}`, 'i').test(sql);
}
