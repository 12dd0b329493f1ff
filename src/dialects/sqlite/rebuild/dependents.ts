/**
 * What else in the schema a rebuild of table X touches: X's own indexes and triggers (DROP TABLE
 * takes them, the rebuild creates them again), the views and the other tables' triggers that
 * read X (their text names X, and stays as it is), and the foreign keys that reference X. SQLite
 * keeps no dependency list, so "reads" is "names it" in the object's text, read token by token.
 */
import { SchemapilotError } from '../../../core/errors.js';
import type { RebuildSchema } from '../../../core/dialect/safe-sql.js';
import type { Table, View } from '../../../core/snapshot.js';
import { mentions, sameName } from './tokens.js';

/** `schema.name` of a table or view. */
export function qualified(object: { schema: string; name: string }): string {
  return `${object.schema}.${object.name}`;
}

/** X's own indexes, with the text to create them from (not those a UNIQUE or PRIMARY KEY constraint makes). */
export function ownIndexes(table: Table): { name: string; definition: string }[] {
  return table.indexes
    .filter((i) => !i.name.toLowerCase().startsWith('sqlite_autoindex_') && i.constraint === null)
    .map((i) => ({ name: i.name, definition: i.definition }));
}

/**
 * Indexes and triggers DROP TABLE takes along whose text is unknown (created earlier in the
 * migration): the rebuild could not create them again, so it is not planned.
 */
export function withoutText(table: Table): string[] {
  return [
    ...ownIndexes(table)
      .filter((i) => !/^\s*CREATE\b/i.test(i.definition))
      .map((i) => `index ${i.name}`),
    ...table.triggers.filter((t) => !/^\s*CREATE\b/i.test(t.definition)).map((t) => `trigger ${t.name}`),
  ];
}

/** Views that name the table, and the views that name those, in schema order. */
export function viewsReading(table: Table, views: readonly View[]): View[] {
  const names = [table.name];
  const found: View[] = [];
  let grew = true;
  while (grew) {
    grew = false;
    for (const view of views) {
      if (found.includes(view) || view.schema !== table.schema) continue;
      if (names.some((n) => mentions(view.definition, n))) {
        found.push(view);
        names.push(view.name);
        grew = true;
      }
    }
  }
  return views.filter((v) => found.includes(v));
}

/** Tables (other than X) whose foreign keys reference X. */
export function referencingTables(table: Table, schema: RebuildSchema): Table[] {
  return schema.tables.filter(
    (t) =>
      !(t.schema === table.schema && sameName(t.name, table.name)) &&
      t.foreignKeys.some(
        (fk) => fk.referencedSchema === table.schema && sameName(fk.referencedTable, table.name),
      ),
  );
}

/**
 * Refuses to drop columns that something outside the table's definition still reads: SQLite would
 * keep the reader and fail on its next use (a view, a trigger) or on every write (a foreign key).
 * PostgreSQL refuses the same without CASCADE; here the user drops or rewrites the reader first.
 */
export function refuseReaders(table: Table, dropped: readonly string[], schema: RebuildSchema): void {
  if (dropped.length === 0) return;
  const readers: string[] = [];
  const reads = (sql: string, column: string) => mentions(sql, table.name) && mentions(sql, column);
  for (const column of dropped) {
    for (const view of viewsReading(table, schema.views))
      if (mentions(view.definition, column)) readers.push(`view ${view.name} reads ${column}`);
    for (const trigger of table.triggers)
      if (mentions(trigger.definition, column)) readers.push(`trigger ${trigger.name} reads ${column}`);
    for (const other of schema.tables) {
      if (other === table) continue;
      for (const trigger of other.triggers)
        if (reads(trigger.definition, column))
          readers.push(`trigger ${trigger.name} on ${other.name} names ${table.name} and ${column}`);
      for (const fk of other.foreignKeys)
        if (sameName(fk.referencedTable, table.name) && fk.referencedColumns.some((c) => sameName(c, column)))
          readers.push(`the foreign key of ${other.name} (${fk.columns.join(', ')}) references ${column}`);
    }
  }
  if (readers.length > 0)
    throw new SchemapilotError(
      `cannot drop ${dropped.join(', ')} of ${table.name} by a rebuild while ${readers.join('; ')}: drop or rewrite ${readers.length === 1 ? 'it' : 'them'} first`,
    );
}

/** A name not yet taken by a table, index, view or trigger (they share one namespace in SQLite). */
export function freeName(wanted: string, table: Table, schema: RebuildSchema): string {
  const taken = [
    ...schema.tables.flatMap((t) => [
      t.name,
      ...t.indexes.map((i) => i.name),
      ...t.triggers.map((r) => r.name),
    ]),
    ...schema.views.map((v) => v.name),
    table.name,
  ];
  for (let n = 1; ; n++) {
    const name = n === 1 ? wanted : `${wanted}_${n}`;
    if (!taken.some((t) => sameName(t, name))) return name;
    if (n > 1000) throw new SchemapilotError(`no free name like ${wanted}`);
  }
}
