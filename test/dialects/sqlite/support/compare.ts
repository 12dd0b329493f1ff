/**
 * What "the rebuild changed exactly what it meant to" is checked with: the schema as sqlite_schema
 * and the pragmas describe it, every row of every table (rowids included), the AUTOINCREMENT
 * counters, and SQLite's own integrity and foreign key checks.
 */
import { afterName, q, schemaRows, tableShape, type Db } from './schema.js';

/** sqlite_schema by name, a table's name as written left out (the rename writes it quoted). */
export function comparableSchema(db: Db): unknown[] {
  return schemaRows(db).map((r) => (r.type === 'table' ? { ...r, sql: afterName(r.sql) } : r));
}

function tableNames(db: Db): string[] {
  return db
    .prepare<[], { name: string }>(
      "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
    )
    .all()
    .map((r) => r.name);
}

/** The pragmas' view of every table. */
export function shapes(db: Db): Record<string, unknown> {
  return Object.fromEntries(tableNames(db).map((t) => [t, tableShape(db, t)]));
}

function withoutRowid(db: Db, table: string): boolean {
  return db.prepare<[string], { wr: number }>('SELECT wr FROM pragma_table_list(?)').get(table)?.wr === 1;
}

/** Every row of every table, with its rowid where the table has one. */
export function allRows(db: Db): Record<string, unknown[]> {
  return Object.fromEntries(
    tableNames(db).map((t) => [
      t,
      withoutRowid(db, t)
        ? db.prepare(`SELECT * FROM ${q.ident(t)} ORDER BY 1`).all()
        : db.prepare(`SELECT rowid AS "(rowid)", * FROM ${q.ident(t)} ORDER BY rowid`).all(),
    ]),
  );
}

export function sequences(db: Db): unknown[] {
  return db.prepare('SELECT name, seq FROM sqlite_sequence ORDER BY name').all();
}

export function healthy(db: Db): { integrity: unknown; foreignKeys: unknown } {
  return { integrity: db.pragma('integrity_check'), foreignKeys: db.pragma('foreign_key_check') };
}

export const HEALTHY = { integrity: [{ integrity_check: 'ok' }], foreignKeys: [] };

/** Everything above at once, for "the database is as it was". */
export function state(db: Db): Record<string, unknown> {
  return { schema: comparableSchema(db), shapes: shapes(db), rows: allRows(db), sequences: sequences(db) };
}
