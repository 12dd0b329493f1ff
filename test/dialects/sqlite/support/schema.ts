/**
 * Test support for the SQLite rebuild: databases in a temporary directory (better-sqlite3, the
 * real library), a reader of the snapshot fields the rebuild uses, straight from sqlite_schema
 * and the pragmas, and comparisons of a database's schema before and after.
 *
 * The reader stands in for the dialect's inspect (being written in parallel, src/dialects/sqlite
 * driver): it fills only what planRebuild reads (definition, columns, indexes, triggers, foreign
 * keys, views), from the same sources the issue names.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { TableRebuild } from '../../../../src/core/dialect/safe-sql.js';
import type { Quoter } from '../../../../src/core/rule.js';
import type { PlanStep } from '../../../../src/core/plan.js';
import type { ForeignKeyAction, SchemaSnapshot, Table, View } from '../../../../src/core/snapshot.js';
import { schemaHash } from '../../../../src/schema/hash.js';

export type Db = Database.Database;

/** SQLite's own quoting: a name in double quotes (doubled inside), a value in single quotes. */
export const q: Quoter = {
  ident: (name) => `"${name.replace(/"/g, '""')}"`,
  table: (qualified) => {
    const dot = qualified.indexOf('.');
    const schema = qualified.slice(0, dot);
    const name = `"${qualified.slice(dot + 1).replace(/"/g, '""')}"`;
    return schema === 'main' ? name : `"${schema.replace(/"/g, '""')}".${name}`;
  },
  literal: (value) => `'${value.replace(/'/g, "''")}'`,
};

export interface TempDir {
  path: string;
  open(name: string, sql?: string): Db;
  remove(): void;
}

export function tempDir(): TempDir {
  const path = mkdtempSync(join(tmpdir(), 'schemapilot-sqlite-'));
  const opened: Db[] = [];
  return {
    path,
    open(name, sql) {
      const db = new Database(join(path, name));
      opened.push(db);
      if (sql) db.exec(sql);
      return db;
    },
    remove() {
      for (const db of opened) if (db.open) db.close();
      rmSync(path, { recursive: true, force: true });
    },
  };
}

interface SchemaRow {
  type: string;
  name: string;
  tbl_name: string;
  sql: string | null;
}

/** sqlite_schema without rootpage (a rebuilt table and its indexes get new pages), by name. */
export function schemaRows(db: Db): SchemaRow[] {
  return db.prepare<[], SchemaRow>('SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY name').all();
}

const ACTIONS: readonly ForeignKeyAction[] = ['NO ACTION', 'RESTRICT', 'CASCADE', 'SET NULL', 'SET DEFAULT'];

function action(text: string): ForeignKeyAction {
  return ACTIONS.find((a) => a === text) ?? 'NO ACTION';
}

/** The fields of each table and view the rebuild reads, from sqlite_schema and the pragmas. */
export function readSchema(db: Db): { tables: Table[]; views: View[] } {
  const rows = schemaRows(db);
  const tables = rows
    .filter((r) => r.type === 'table' && !r.name.startsWith('sqlite_'))
    .map((r): Table => {
      const columns = db
        .prepare<
          [string],
          {
            name: string;
            type: string;
            notnull: number;
            dflt_value: string | null;
            pk: number;
            hidden: number;
          }
        >('SELECT name, type, "notnull", dflt_value, pk, hidden FROM pragma_table_xinfo(?) ORDER BY cid')
        .all(r.name);
      const fks = db
        .prepare<
          [string],
          { id: number; table: string; from: string; to: string | null; on_update: string; on_delete: string }
        >(
          'SELECT id, "table", "from", "to", on_update, on_delete FROM pragma_foreign_key_list(?) ORDER BY id, seq',
        )
        .all(r.name);
      const byId = new Map<number, typeof fks>();
      for (const fk of fks) byId.set(fk.id, [...(byId.get(fk.id) ?? []), fk]);
      const indexes = db
        .prepare<[string], { name: string; unique: number; origin: string; partial: number }>(
          'SELECT name, "unique", origin, partial FROM pragma_index_list(?) ORDER BY name',
        )
        .all(r.name);
      return {
        schema: 'main',
        name: r.name,
        kind: 'table',
        comment: null,
        definition: r.sql ?? '',
        columns: columns.map((c) => ({
          name: c.name,
          type: c.type,
          nullable: c.notnull === 0,
          default: c.dflt_value,
          identity: null,
          generated: c.hidden === 2 || c.hidden === 3 ? '' : null,
          collation: null,
          comment: null,
        })),
        primaryKey: null,
        uniqueConstraints: [],
        checkConstraints: [],
        foreignKeys: [...byId.values()].map((parts) => ({
          name: `fk_${r.name}_${parts[0]?.id ?? 0}`,
          columns: parts.map((p) => p.from),
          referencedSchema: 'main',
          referencedTable: parts[0]?.table ?? '',
          referencedColumns: parts.flatMap((p) => (p.to ? [p.to] : [])),
          onUpdate: action(parts[0]?.on_update ?? ''),
          onDelete: action(parts[0]?.on_delete ?? ''),
          match: 'SIMPLE',
          deferrable: false,
          validated: true,
        })),
        exclusionConstraints: [],
        indexes: indexes.map((i) => ({
          name: i.name,
          columns: [],
          include: [],
          unique: i.unique === 1,
          primary: i.origin === 'pk',
          valid: true,
          method: 'btree',
          predicate: null,
          constraint: i.origin === 'c' ? null : i.name,
          definition: rows.find((x) => x.type === 'index' && x.name === i.name)?.sql ?? '',
          bytes: 0,
        })),
        triggers: rows
          .filter((x) => x.type === 'trigger' && x.tbl_name === r.name)
          .map((x) => ({ name: x.name, definition: x.sql ?? '', function: '', enabled: 'origin' as const })),
        partitionOf: null,
        partitionBound: null,
        partitionKey: null,
        stats: { rowEstimate: null, tableBytes: 0, indexBytes: 0 },
      };
    });
  const views = rows
    .filter((r) => r.type === 'view')
    .map((r): View => ({
      schema: 'main',
      name: r.name,
      materialized: false,
      definition: r.sql ?? '',
      comment: null,
      columns: [],
      dependsOn: [],
      indexes: [],
    }));
  return { tables, views };
}

/** Everything the pragmas say about a table's structure (what a rebuild must keep or change). */
export function tableShape(db: Db, table: string): Record<string, unknown> {
  const all = (sql: string, ...args: unknown[]) => db.prepare(sql).all(...args);
  return {
    columns: all(
      'SELECT cid, name, type, "notnull", dflt_value, pk, hidden FROM pragma_table_xinfo(?) ORDER BY cid',
      table,
    ),
    indexes: all('SELECT name, "unique", origin, partial FROM pragma_index_list(?) ORDER BY name', table).map(
      (i) => ({
        ...(i as Record<string, unknown>),
        name: String((i as { name: string }).name).startsWith('sqlite_autoindex_')
          ? 'autoindex'
          : (i as { name: string }).name,
        keys: all(
          'SELECT seqno, name, "desc", coll, key FROM pragma_index_xinfo(?) ORDER BY seqno',
          (i as { name: string }).name,
        ),
      }),
    ),
    foreignKeys: all('SELECT * FROM pragma_foreign_key_list(?) ORDER BY id, seq', table),
    options: all('SELECT wr, strict FROM pragma_table_list(?)', table),
  };
}

/** Runs a rebuild as a step runner would: `before`, one transaction, `after` whatever happened. */
export function runRebuild(db: Db, rebuild: Pick<TableRebuild, 'around'>, sql: readonly string[]): void {
  for (const s of rebuild.around.before) db.exec(s);
  try {
    db.exec('BEGIN');
    try {
      for (const s of sql) db.exec(s);
      db.exec('COMMIT');
    } catch (error) {
      if (db.inTransaction) db.exec('ROLLBACK');
      throw error;
    }
  } finally {
    for (const s of rebuild.around.after) db.exec(s);
  }
}

/** Every row of a table, in rowid order where it has one, for comparing data. */
export function rowsOf(db: Db, table: string, order = 'rowid'): unknown[] {
  return db.prepare(`SELECT * FROM ${q.ident(table)} ORDER BY ${order}`).all();
}

/** The text of a CREATE TABLE after its name (the rename writes the name quoted). */
export function afterName(sql: string | null | undefined): string {
  return (sql ?? '').replace(/^CREATE TABLE\s+("(?:[^"]|"")*"|\[[^\]]*\]|`(?:[^`]|``)*`|[^\s(]+)/i, '');
}

/** A whole SchemaSnapshot of the database as the planner takes it (`--schema snapshot.json`). */
export function snapshotOf(db: Db, serverVersion = '3.53.2'): SchemaSnapshot {
  const { tables, views } = readSchema(db);
  const [major = 3, minor = 0, patch = 0] = serverVersion.split('.').map(Number);
  const snapshot: Omit<SchemaSnapshot, 'hash'> = {
    formatVersion: 1,
    dialect: 'sqlite',
    serverVersion,
    serverVersionNum: major * 1_000_000 + minor * 1000 + patch,
    database: 'main',
    schemas: ['main'],
    tables,
    views,
    sequences: [],
    enums: [],
    extensions: [],
    functions: [],
  };
  return { ...snapshot, hash: schemaHash(snapshot) };
}

/**
 * Runs plan steps as SQLite's step runner does (the dialect's driver, written in parallel): the
 * step's busy timeout; a transactional step inside BEGIN IMMEDIATE … COMMIT; any other statement
 * by statement (a rebuild opens and commits its own transaction); on failure the open
 * transaction rolled back and foreign_keys put back as it was.
 */
export function runSteps(db: Db, steps: readonly PlanStep[], which: 'sql' | 'rollback' = 'sql'): void {
  const ordered = which === 'sql' ? steps : [...steps].reverse();
  for (const step of ordered) {
    const sql = step[which];
    if (sql.length === 0) continue;
    const foreignKeys = Number(db.pragma('foreign_keys', { simple: true }));
    db.exec(`PRAGMA busy_timeout = ${step.lockTimeoutMs}`);
    const inTransaction =
      which === 'sql' ? step.transactional : !sql.some((s) => /^\s*(PRAGMA|BEGIN)\b/i.test(s));
    try {
      if (inTransaction) db.exec('BEGIN IMMEDIATE');
      for (const s of sql) db.exec(s);
      if (inTransaction) db.exec('COMMIT');
    } finally {
      if (db.inTransaction) db.exec('ROLLBACK');
      db.pragma(`foreign_keys = ${foreignKeys}`);
    }
  }
}
