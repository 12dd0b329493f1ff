/**
 * The catalog reads of a SQLite snapshot: sqlite_schema, and the pragmas as table-valued
 * functions joined to it, so the number of queries is fixed whatever the number of tables
 * (https://www.sqlite.org/pragma.html#pragfunc). Names starting `sqlite_` are SQLite's own
 * (sqlite_sequence, sqlite_stat1, sqlite_autoindex_…) and are reserved to it
 * (https://www.sqlite.org/lang_createtable.html): left out here, the autoindexes come back
 * through pragma_index_list as the constraints they implement.
 */
import { versionAtLeast } from '../../../core/dialect/version.js';
import type { SqliteSession } from '../session.js';

/**
 * User objects only: not SQLite's, nor deploy's journal (`_schemapilot_deploys`,
 * `_schemapilot_journal`: deploy/journal.ts). `_` is a LIKE wildcard, hence the escape.
 */
const USER_OBJECT = `m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND m.tbl_name NOT LIKE '\\_schemapilot\\_%' ESCAPE '\\'`;

export interface ObjectRow {
  type: 'table' | 'index' | 'view' | 'trigger';
  name: string;
  tbl_name: string;
  rootpage: number | null;
  sql: string | null;
}

export interface TableListRow {
  name: string;
  type: 'table' | 'view' | 'virtual' | 'shadow';
  wr: number;
  strict: number;
}

export interface ColumnRow {
  table_name: string;
  cid: number;
  name: string;
  type: string;
  notnull: number;
  dflt_value: string | null;
  pk: number;
  /** 0 normal, 1 hidden (a virtual table's), 2 generated VIRTUAL, 3 generated STORED. */
  hidden: number;
}

export interface IndexRow {
  table_name: string;
  name: string;
  unique: number;
  /** `c` CREATE INDEX, `u` UNIQUE constraint, `pk` PRIMARY KEY. */
  origin: 'c' | 'u' | 'pk';
  partial: number;
}

export interface IndexColumnRow {
  index_name: string;
  seqno: number;
  /** Column number; -1 the rowid, -2 an expression. */
  cid: number;
  name: string | null;
  desc: number;
  coll: string | null;
  /** 1 for a key column, 0 for the auxiliary columns an index entry also holds. */
  key: number;
}

export interface ForeignKeyRow {
  table_name: string;
  id: number;
  seq: number;
  parent: string;
  from: string;
  /** Null when the key references the parent's primary key without naming it. */
  to: string | null;
  on_update: string;
  on_delete: string;
}

export interface CatalogRows {
  objects: ObjectRow[];
  /** pragma_table_list (3.37+: WITHOUT ROWID, STRICT, virtual and shadow tables); null before. */
  tableList: TableListRow[] | null;
  columns: ColumnRow[];
  indexes: IndexRow[];
  indexColumns: IndexColumnRow[];
  foreignKeys: ForeignKeyRow[];
  /** Relations whose columns could not be read (a view naming a dropped table, a virtual table whose module is not loaded). */
  unreadable: { name: string; message: string }[];
}

/** Every catalog read, in the caller's read transaction. */
export function readCatalog(session: SqliteSession): CatalogRows {
  const objects = session.rows<ObjectRow>(
    `SELECT m.type, m.name, m.tbl_name, m.rootpage, m.sql FROM sqlite_schema AS m
      WHERE m.type IN ('table', 'index', 'view', 'trigger') AND ${USER_OBJECT}`,
  );
  const tableList = versionAtLeast(session.version, 3, 37)
    ? session.rows<TableListRow>(
        `SELECT name, type, wr, strict FROM pragma_table_list WHERE schema = 'main' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name NOT LIKE '\\_schemapilot\\_%' ESCAPE '\\'`,
      )
    : null;
  const unreadable: CatalogRows['unreadable'] = [];
  const relations = objects.filter((o) => o.type === 'table' || o.type === 'view').map((o) => o.name);
  const columns = perRelation<ColumnRow>(
    session,
    relations,
    `SELECT m.name AS table_name, x.cid, x.name, x.type, x."notnull" AS "notnull", x.dflt_value, x.pk, x.hidden
       FROM sqlite_schema AS m JOIN pragma_table_xinfo(m.name) AS x
      WHERE m.type IN ('table', 'view') AND ${USER_OBJECT}`,
    `SELECT ? AS table_name, x.cid, x.name, x.type, x."notnull" AS "notnull", x.dflt_value, x.pk, x.hidden
         FROM pragma_table_xinfo(?) AS x`,
    unreadable,
  );
  const tables = objects.filter((o) => o.type === 'table').map((o) => o.name);
  const broken = new Set(unreadable.map((u) => u.name));
  const readable = tables.filter((t) => !broken.has(t));
  const inTables = `m.type = 'table' AND ${USER_OBJECT} AND m.name IN (SELECT value FROM json_each(?))`;
  const names = JSON.stringify(readable);
  const indexes = session.rows<IndexRow>(
    `SELECT m.name AS table_name, il.name, il."unique" AS "unique", il.origin, il.partial
       FROM sqlite_schema AS m JOIN pragma_index_list(m.name) AS il WHERE ${inTables}`,
    names,
  );
  const indexColumns = session.rows<IndexColumnRow>(
    `SELECT il.name AS index_name, ix.seqno, ix.cid, ix.name, ix."desc" AS "desc", ix.coll, ix.key
       FROM sqlite_schema AS m JOIN pragma_index_list(m.name) AS il JOIN pragma_index_xinfo(il.name) AS ix
      WHERE ${inTables}`,
    names,
  );
  const foreignKeys = session.rows<ForeignKeyRow>(
    `SELECT m.name AS table_name, fk.id, fk.seq, fk."table" AS parent, fk."from" AS "from", fk."to" AS "to",
            fk.on_update, fk.on_delete
       FROM sqlite_schema AS m JOIN pragma_foreign_key_list(m.name) AS fk WHERE ${inTables}`,
    names,
  );
  return { objects, tableList, columns, indexes, indexColumns, foreignKeys, unreadable };
}

/**
 * One query for every relation; when it fails (one broken view fails them all), one per
 * relation, the broken ones noted.
 */
function perRelation<Row>(
  session: SqliteSession,
  relations: readonly string[],
  all: string,
  /** The same for one relation, its name bound twice. */
  one: string,
  unreadable: CatalogRows['unreadable'],
): Row[] {
  try {
    return session.rows<Row>(all);
  } catch {
    const rows: Row[] = [];
    for (const name of relations) {
      try {
        rows.push(...session.rows<Row>(one, name, name));
      } catch (error) {
        unreadable.push({ name, message: (error as Error).message });
      }
    }
    return rows;
  }
}

/** `sqlite_stat1` rows (what ANALYZE measured), when the table exists. */
export function readStat1(session: SqliteSession): { tbl: string; idx: string | null; stat: string }[] {
  const exists = session.rows<{ n: number }>(
    "SELECT count(*) AS n FROM sqlite_schema WHERE type = 'table' AND name = 'sqlite_stat1'",
  );
  if ((exists[0]?.n ?? 0) === 0) return [];
  return session.rows('SELECT tbl, idx, stat FROM sqlite_stat1');
}
