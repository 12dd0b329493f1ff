/**
 * The SQLite SQL that SQLite rules print as safe alternatives: the frame of the documented
 * table rebuild (https://www.sqlite.org/lang_altertable.html#otheralter) around the user's
 * table, and the statements that create again what a rebuild drops. Names go through the
 * rule's Quoter; definitions are SQLite's own text from sqlite_schema (the snapshot's), which
 * run as they are. Each printed script is run on the library by test/rules/sqlite/safe-run.test.ts.
 */
import type { ColumnSpec } from '../../core/change.js';
import type { Quoter } from '../../core/rule.js';
import type { Index, Table, Trigger, View } from '../../core/snapshot.js';
import { bare } from './words.js';

/** `CREATE INDEX …;` as the snapshot holds it (SQLite keeps the statement as written). */
export function createAgain(object: Index | Trigger): string {
  return `${object.definition.trimEnd().replace(/;$/, '')};`;
}

/** A view's CREATE VIEW: the SQLite snapshot keeps the whole statement, others the query only. */
export function createView(q: Quoter, view: View): string {
  const text = view.definition.trimEnd().replace(/;$/, '');
  return /^\s*CREATE\b/i.test(text)
    ? `${text};`
    : `CREATE VIEW ${q.table(`${view.schema}.${view.name}`)} AS ${text};`;
}

/** The new table's name in a rebuild: `new_<table>`, as the documentation's example spells it. */
export function replacementName(table: string): string {
  return `${table.slice(0, table.indexOf('.'))}.new_${bare(table)}`;
}

/**
 * The documented rebuild of `table`, with the statements that depend on the change itself (the
 * new CREATE TABLE, the column lists of the copy) left as comments for the author, and
 * everything the table had created again. `schemapilot plan` writes the whole procedure.
 */
export function rebuildScript(q: Quoter, table: string, info: Table | undefined, change: string): string {
  const next = replacementName(table);
  const recreate = [
    ...(info?.indexes.filter((i) => i.constraint === null && !i.primary) ?? []),
    ...(info?.triggers ?? []),
  ].map(createAgain);
  return [
    `-- SQLite cannot ${change} with ALTER TABLE: rebuild ${bare(table)} (\`schemapilot plan\` writes these steps for your table).`,
    'PRAGMA foreign_keys = OFF; -- before BEGIN: inside a transaction it does nothing',
    'BEGIN;',
    `-- CREATE TABLE ${q.table(next)} (…): the CREATE TABLE of ${bare(table)} (SELECT sql FROM sqlite_schema WHERE name = ${q.literal(bare(table))}) with the change made;`,
    `-- INSERT INTO ${q.table(next)} (…) SELECT … FROM ${q.table(table)};`,
    `-- DROP TABLE ${q.table(table)};`,
    `-- ALTER TABLE ${q.table(next)} RENAME TO ${q.ident(bare(table))};`,
    ...(recreate.length > 0
      ? [`-- then what DROP TABLE took with it:`, ...recreate.map((s) => `-- ${s.replace(/\n/g, '\n-- ')}`)]
      : info
        ? []
        : ['-- then its indexes and triggers again (DROP TABLE takes them with it);']),
    'PRAGMA foreign_key_check; -- no row back: every reference still holds',
    'COMMIT;',
    'PRAGMA foreign_keys = ON;',
  ].join('\n');
}

/** A column definition for ADD COLUMN, in SQLite's words, with parts left out on request. */
export function columnDefinition(
  q: Quoter,
  column: ColumnSpec,
  leave: { default?: boolean; notNull?: boolean; unique?: boolean; stored?: boolean } = {},
): string {
  const parts = [q.ident(column.name), ...(column.type.sql ? [column.type.sql] : [])];
  if (column.generated)
    parts.push(
      `AS (${column.generated.expr.sql})${column.generated.stored && leave.stored !== false ? ' STORED' : ' VIRTUAL'}`,
    );
  if (column.collation) parts.push(`COLLATE ${column.collation}`);
  if (leave.default !== false && column.default) parts.push(`DEFAULT ${column.default.sql}`);
  if (leave.notNull !== false && column.notNull) parts.push('NOT NULL');
  if (leave.unique !== false && column.unique) parts.push('UNIQUE');
  for (const check of column.checks) parts.push(`CHECK (${check.sql})`);
  if (column.references) {
    const cols =
      column.references.columns.length > 0 ? ` (${column.references.columns.map(q.ident).join(', ')})` : '';
    parts.push(`REFERENCES ${q.table(column.references.table)}${cols}`);
  }
  return parts.join(' ');
}

/**
 * A value of the column's type for rows that have none: 0 for numbers, '' for text, x'' for
 * blobs, by the affinity rules of https://www.sqlite.org/datatype3.html (§3.1).
 */
export function emptyValue(declared: string): string {
  const t = declared.toUpperCase();
  if (t.includes('INT')) return '0';
  if (t.includes('CHAR') || t.includes('CLOB') || t.includes('TEXT')) return "''";
  if (t === '' || t.includes('BLOB')) return "x''";
  return '0';
}
