/**
 * A database's schema as the server itself writes it: `SHOW CREATE TABLE`, `… VIEW`,
 * `… TRIGGER`, `… FUNCTION`/`PROCEDURE`. The MySQL counterpart of pg_dump --schema-only: the
 * statements recreate every detail the server knows (partitions, generated columns, row
 * formats, comments) without our snapshot having to model it. Used to clone the target onto a
 * scratch database (`--clone auto`, the default with --db) and to copy a scratch database
 * (validate's twin), then with its rows.
 * https://dev.mysql.com/doc/refman/8.0/en/show-create-table.html
 * https://mariadb.com/kb/en/show-create-table/
 */
import { quoteMysqlIdent as q } from '../quote.js';
import type { MysqlSession } from '../session.js';
import { MARKER_TABLE } from '../scratch/names.js';

export interface DdlObject {
  kind: 'table' | 'view' | 'trigger' | 'function' | 'procedure';
  name: string;
  sql: string;
  /** The sql_mode the object was created under (triggers and routines parse their body with it). */
  sqlMode?: string;
}

export interface SchemaDdl {
  /** The database's default character set and collation. */
  charset: string | null;
  collation: string | null;
  tables: DdlObject[];
  /** Non-generated columns per table, for copying rows. */
  columns: Map<string, string[]>;
  routines: DdlObject[];
  views: DdlObject[];
  /** In the order the server fires them (ACTION_ORDER), which recreating them in order keeps. */
  triggers: DdlObject[];
}

/**
 * Read the schema of `database` on `session`. DEFINER clauses are removed (recreating as another
 * user needs SUPER or SET USER, and a scratch copy has no use for them), as is a table's
 * `AUTO_INCREMENT=` when `keepCounters` is off (the target's counter says nothing a copy needs).
 */
export async function readSchemaDdl(
  session: MysqlSession,
  database: string,
  options: { keepCounters: boolean },
): Promise<SchemaDdl> {
  const db = q(database);
  const info = await session.rows<{ charset: string; collation: string }>(
    `SELECT DEFAULT_CHARACTER_SET_NAME AS charset, DEFAULT_COLLATION_NAME AS collation
       FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?`,
    [database],
  );
  const objects = await session.rows<{ name: string; type: string }>(
    `SELECT TABLE_NAME AS name, TABLE_TYPE AS type FROM information_schema.TABLES
      WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME`,
    [database],
  );
  const columnRows = await session.rows<{ table: string; column: string; extra: string }>(
    `SELECT TABLE_NAME AS \`table\`, COLUMN_NAME AS \`column\`, EXTRA AS extra FROM information_schema.COLUMNS
      WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME, ORDINAL_POSITION`,
    [database],
  );
  const tables: DdlObject[] = [];
  const views: DdlObject[] = [];
  for (const o of objects) {
    if (o.name === MARKER_TABLE) continue;
    if (o.type === 'VIEW') {
      const [row] = await session.rows<Record<string, string>>(`SHOW CREATE VIEW ${db}.${q(o.name)}`);
      views.push({ kind: 'view', name: o.name, sql: withoutDefiner(row?.['Create View'] ?? '') });
    } else if (o.type === 'BASE TABLE' || o.type === 'SYSTEM VERSIONED') {
      const [row] = await session.rows<Record<string, string>>(`SHOW CREATE TABLE ${db}.${q(o.name)}`);
      let sql = row?.['Create Table'] ?? '';
      if (!options.keepCounters) sql = sql.replace(/ AUTO_INCREMENT=\d+/, '');
      tables.push({ kind: 'table', name: o.name, sql });
    }
  }
  const columns = new Map<string, string[]>();
  for (const c of columnRows) {
    // Generated columns are computed, not copied (an INSERT naming one fails).
    if (/\b(VIRTUAL|STORED|PERSISTENT) GENERATED\b/i.test(c.extra)) continue;
    columns.set(c.table, [...(columns.get(c.table) ?? []), c.column]);
  }
  return {
    charset: info[0]?.charset ?? null,
    collation: info[0]?.collation ?? null,
    tables,
    columns,
    routines: await readRoutines(session, database),
    views,
    triggers: await readTriggers(session, database),
  };
}

async function readRoutines(session: MysqlSession, database: string): Promise<DdlObject[]> {
  const rows = await session.rows<{ name: string; type: string }>(
    `SELECT ROUTINE_NAME AS name, ROUTINE_TYPE AS type FROM information_schema.ROUTINES
      WHERE ROUTINE_SCHEMA = ? ORDER BY ROUTINE_TYPE, ROUTINE_NAME`,
    [database],
  );
  const out: DdlObject[] = [];
  for (const r of rows) {
    const kind = r.type === 'FUNCTION' ? 'function' : 'procedure';
    const [row] = await session.rows<Record<string, string | null>>(
      `SHOW CREATE ${r.type} ${q(database)}.${q(r.name)}`,
    );
    const sql = row?.[kind === 'function' ? 'Create Function' : 'Create Procedure'];
    // NULL when the user may not see the body: the routine is then not recreated.
    if (sql)
      out.push({ kind, name: r.name, sql: withoutDefiner(sql), sqlMode: row?.['sql_mode'] ?? undefined });
  }
  return out;
}

async function readTriggers(session: MysqlSession, database: string): Promise<DdlObject[]> {
  const rows = await session.rows<{ name: string }>(
    `SELECT TRIGGER_NAME AS name FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = ?
      ORDER BY EVENT_OBJECT_TABLE, ACTION_TIMING, EVENT_MANIPULATION, ACTION_ORDER`,
    [database],
  );
  const out: DdlObject[] = [];
  for (const r of rows) {
    const [row] = await session.rows<Record<string, string>>(
      `SHOW CREATE TRIGGER ${q(database)}.${q(r.name)}`,
    );
    const sql = row?.['SQL Original Statement'];
    if (sql)
      out.push({ kind: 'trigger', name: r.name, sql: withoutDefiner(sql), sqlMode: row?.['sql_mode'] });
  }
  return out;
}

/** `CREATE … DEFINER=`root`@`localhost` …` → without the clause (the creating user becomes the definer). */
export function withoutDefiner(sql: string): string {
  return sql.replace(
    /\bDEFINER\s*=\s*(?:`(?:``|[^`])*`|'(?:''|[^'])*'|[\w.$-]+)(?:\s*@\s*(?:`(?:``|[^`])*`|'(?:''|[^'])*'|[\w.%$:-]+))?\s*/i,
    '',
  );
}

export interface ApplyOptions {
  /** Rewrites each statement before it runs (a source database's name in view and trigger bodies). */
  rewrite?: (sql: string) => string;
  /** Runs between the tables and the other objects: the rows go in before any trigger exists. */
  afterTables?: () => Promise<void>;
}

/**
 * Create `ddl` on the database `session` uses: tables with foreign key checks off (so their
 * order does not matter), then routines, views in dependency order (a view whose view is not
 * there yet is retried after the others), then triggers. Objects that fail are returned as
 * warnings; the rest still load.
 */
export async function applySchemaDdl(
  session: MysqlSession,
  ddl: SchemaDdl,
  options: ApplyOptions = {},
): Promise<string[]> {
  const warnings: string[] = [];
  const rewrite = options.rewrite ?? ((s: string) => s);
  const [mode] = await session.rows<{ mode: string }>('SELECT @@SESSION.sql_mode AS mode');
  const run = async (object: DdlObject): Promise<string | null> => {
    try {
      if (object.sqlMode !== undefined) await session.rows('SET SESSION sql_mode = ?', [object.sqlMode]);
      await session.rows(rewrite(object.sql));
      return null;
    } catch (error) {
      return (error as Error).message;
    } finally {
      if (object.sqlMode !== undefined) await session.rows('SET SESSION sql_mode = ?', [mode?.mode ?? '']);
    }
  };
  await session.rows('SET SESSION foreign_key_checks = 0');
  try {
    for (const t of ddl.tables) {
      const failed = await run(t);
      if (failed !== null) warnings.push(`could not recreate table ${t.name}: ${failed}`);
    }
    await options.afterTables?.();
    for (const r of ddl.routines) {
      const failed = await run(r);
      if (failed !== null) warnings.push(`could not recreate ${r.kind} ${r.name}: ${failed}`);
    }
    let pending = ddl.views;
    while (pending.length > 0) {
      const failures: [DdlObject, string][] = [];
      for (const v of pending) {
        const failed = await run(v);
        if (failed !== null) failures.push([v, failed]);
      }
      if (failures.length === pending.length) {
        for (const [v, why] of failures) warnings.push(`could not recreate view ${v.name}: ${why}`);
        break;
      }
      pending = failures.map(([v]) => v);
    }
    for (const t of ddl.triggers) {
      const failed = await run(t);
      if (failed !== null) warnings.push(`could not recreate trigger ${t.name}: ${failed}`);
    }
  } finally {
    await session.rows('SET SESSION foreign_key_checks = 1');
  }
  return warnings;
}
