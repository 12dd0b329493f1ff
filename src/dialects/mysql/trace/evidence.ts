/**
 * What the server says about one table, read before and after a DDL statement: the InnoDB
 * table id (a new id = the table was rebuilt into a new tablespace), the ids of its indexes (a
 * new id on a table that was not rebuilt = an index was built), and the instant-ALTER evidence.
 * Only catalog reads: nothing here changes the server.
 */
import type { MysqlSession } from '../session.js';
import { isMariadb } from '../version.js';

export interface TableEvidence {
  /** InnoDB table ids (one per partition); null: not an InnoDB table, or a name we cannot encode. */
  tableIds: string[] | null;
  /** InnoDB index ids of those tables (empty when tableIds is null). */
  indexIds: string[];
  /**
   * MariaDB: the global `Innodb_instant_alter_column` counter. MySQL 8.0.29+: the table's
   * `INNODB_TABLES.TOTAL_ROW_VERSIONS` (documented only, no MySQL server here). Null: neither.
   */
  instantCounter: number | null;
  /** `information_schema.TABLES.TABLE_ROWS`: an estimate for InnoDB, exact for MyISAM. */
  rowsEstimate: number;
  engine: string | null;
}

export async function readTableEvidence(
  session: MysqlSession,
  schema: string,
  table: string,
): Promise<TableEvidence> {
  const info = await session.rows<{ engine: string | null; rows: string | number | null }>(
    `SELECT ENGINE AS engine, TABLE_ROWS AS \`rows\` FROM information_schema.TABLES
      WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?`,
    [schema, table],
  );
  const engine = info[0]?.engine ?? null;
  const innodbName = innodbTableName(schema, table);
  const mariadb = isMariadb(session.version);
  let tableIds: string[] | null = null;
  let indexIds: string[] = [];
  let rowVersions: number | null = null;
  if (engine?.toLowerCase() === 'innodb' && innodbName !== null) {
    // MariaDB 10.x names the dictionary views INNODB_SYS_*:
    // https://mariadb.com/kb/en/information-schema-innodb_sys_tables-table/
    // MySQL 8.0 renamed them INNODB_TABLES / INNODB_INDEXES (documented only):
    // https://dev.mysql.com/doc/refman/8.0/en/information-schema-innodb-tables-table.html
    const tables = mariadb ? 'INNODB_SYS_TABLES' : 'INNODB_TABLES';
    const indexes = mariadb ? 'INNODB_SYS_INDEXES' : 'INNODB_INDEXES';
    // A partition is the table `db/t#P#p0` (`#SP#` for a subpartition).
    const ids = await session.rows<{ id: string | number }>(
      `SELECT TABLE_ID AS id FROM information_schema.${tables} WHERE NAME = ? OR NAME LIKE ? ORDER BY NAME`,
      [innodbName, `${innodbName.replace(/[\\%_]/g, '\\$&')}#P#%`],
    );
    tableIds = ids.map((r) => String(r.id));
    if (tableIds.length > 0) {
      const rows = await session.rows<{ id: string | number }>(
        `SELECT INDEX_ID AS id FROM information_schema.${indexes}
          WHERE TABLE_ID IN (${tableIds.map(() => '?').join(', ')}) ORDER BY INDEX_ID`,
        tableIds,
      );
      indexIds = rows.map((r) => String(r.id));
    }
    if (!mariadb) rowVersions = await mysqlRowVersions(session, innodbName);
  }
  return {
    tableIds,
    indexIds,
    instantCounter: mariadb ? await mariadbInstantCounter(session) : rowVersions,
    rowsEstimate: Number(info[0]?.rows ?? 0),
    engine,
  };
}

/**
 * `Innodb_instant_alter_column`: "Number of instant ALTER TABLE operations that affect columns"
 * (ADD/DROP/reorder). It does not move for metadata-only changes such as RENAME COLUMN or SET
 * DEFAULT, which are instant too (measured on 10.11): trace.ts does not rely on it alone.
 * https://mariadb.com/kb/en/innodb-status-variables/#innodb_instant_alter_column
 */
async function mariadbInstantCounter(session: MysqlSession): Promise<number | null> {
  const rows = await session.rows<{ Value: string }>("SHOW GLOBAL STATUS LIKE 'Innodb_instant_alter_column'");
  return rows[0] ? Number(rows[0].Value) : null;
}

/** MySQL 8.0.29+ counts a table's instant row versions (64 at most); documented only. */
async function mysqlRowVersions(session: MysqlSession, innodbName: string): Promise<number | null> {
  try {
    const rows = await session.rows<{ v: string | number | null }>(
      'SELECT SUM(TOTAL_ROW_VERSIONS) AS v FROM information_schema.INNODB_TABLES WHERE NAME = ?',
      [innodbName],
    );
    return rows[0]?.v === null || rows[0]?.v === undefined ? null : Number(rows[0].v);
  } catch {
    // Before 8.0.29 the column does not exist.
    return null;
  }
}

/**
 * The InnoDB dictionary name `schema/table`. The server encodes identifiers the way it names
 * files: ASCII letters, digits and `_` stay, other ASCII characters become `@00xx`
 * (https://dev.mysql.com/doc/refman/8.0/en/identifier-mapping.html). Non-ASCII characters use
 * tables of their own, not reproduced here: null, and the rebuild is then reported unknown.
 */
export function innodbTableName(schema: string, table: string): string | null {
  const encode = (name: string): string | null => {
    let out = '';
    for (const ch of name) {
      const code = ch.codePointAt(0) ?? 0;
      if (/[A-Za-z0-9_]/.test(ch)) out += ch;
      else if (code < 128) out += `@${code.toString(16).padStart(4, '0')}`;
      else return null;
    }
    return out;
  };
  const s = encode(schema);
  const t = encode(table);
  return s === null || t === null ? null : `${s}/${t}`;
}

export interface MetadataLock {
  /** `schema.table`. */
  table: string;
  /** MariaDB's mode without its `MDL_` prefix: SHARED_UPGRADABLE, SHARED_NO_WRITE, EXCLUSIVE… */
  mode: string;
}

/**
 * Whether `information_schema.METADATA_LOCK_INFO` can be read: MariaDB ships it as the plugin
 * `metadata_lock_info`, not installed by default; installing a plugin changes the whole server,
 * so that is left to whoever owns it (the tests do).
 * https://mariadb.com/kb/en/metadata-lock-info-plugin/
 */
export async function metadataLocksReadable(session: MysqlSession): Promise<string | null> {
  if (!isMariadb(session.version))
    return 'metadata locks are read only on MariaDB (MySQL 8 has performance_schema.metadata_locks: not implemented)';
  const rows = await session.rows<{ status: string }>(
    `SELECT PLUGIN_STATUS AS status FROM information_schema.PLUGINS WHERE PLUGIN_NAME = 'METADATA_LOCK_INFO'`,
  );
  return rows[0]?.status === 'ACTIVE'
    ? null
    : "the plugin metadata_lock_info is not active (INSTALL SONAME 'metadata_lock_info')";
}

/**
 * The table-level metadata locks one connection holds right now (granted ones: the view has no
 * others). The ALTER's own intermediate tables (`#sql-alter-…`, `#sql-backup-…`) are left out:
 * no other session can use them.
 */
export async function sampleMetadataLocks(monitor: MysqlSession, threadId: number): Promise<MetadataLock[]> {
  const rows = await monitor.rows<{ mode: string; schema: string; name: string }>(
    `SELECT LOCK_MODE AS mode, TABLE_SCHEMA AS \`schema\`, TABLE_NAME AS name
       FROM information_schema.METADATA_LOCK_INFO
      WHERE THREAD_ID = ? AND TABLE_NAME <> '' AND TABLE_NAME NOT LIKE '#sql%'`,
    [threadId],
  );
  return rows.map((r) => ({ table: `${r.schema}.${r.name}`, mode: r.mode.replace(/^MDL_/, '') }));
}
