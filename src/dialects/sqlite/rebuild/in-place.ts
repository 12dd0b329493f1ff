/**
 * What SQLite's ALTER TABLE does itself, and what only a rebuild does. ALTER TABLE renames a
 * table, renames a column (3.25.0+), adds a column and drops one (3.35.0+), each with limits;
 * everything else (a type, NOT NULL, a default, a constraint) needs the rebuild.
 * https://www.sqlite.org/lang_altertable.html, checked on the bundled SQLite by
 * test/dialects/sqlite/rebuild/in-place.test.ts. Versions are fact keys, ordered as MySQL's
 * are (major·10000 + minor·100 + patch: 3.35.0 is 33500), which the plan schema's range for
 * SQLite admits.
 */
import type { Change } from '../../../core/change.js';
import type { RebuildSchema } from '../../../core/dialect/safe-sql.js';
import type { Table } from '../../../core/snapshot.js';
import { constraintsOf, parseDefinition, type TableDefinition } from './definition.js';
import { ownIndexes, viewsReading } from './dependents.js';
import { isNonConstantDefault } from './render.js';
import { mentions, sameName } from './tokens.js';

/** The fact key of SQLite major.minor.patch. */
export function sqliteKey(major: number, minor: number, patch = 0): number {
  return major * 10_000 + minor * 100 + patch;
}

export const RENAME_COLUMN_SINCE = sqliteKey(3, 25);
export const DROP_COLUMN_SINCE = sqliteKey(3, 35);

/** Kinds ALTER TABLE has no syntax for: always a rebuild. */
const REBUILD_KINDS = new Set<Change['kind']>([
  'alter column type',
  'set not null',
  'drop not null',
  'set default',
  'drop default',
  'add constraint',
  'drop constraint',
]);

/** ADD COLUMN's refusals (https://www.sqlite.org/lang_altertable.html#alter_table_add_column). */
function addColumn(change: Extract<Change, { kind: 'add column' }>): string | null {
  const c = change.column;
  if (c.primaryKey) return 'ADD COLUMN cannot add a PRIMARY KEY column';
  if (c.unique) return 'ADD COLUMN cannot add a UNIQUE column';
  if (c.generated?.stored) return 'ADD COLUMN cannot add a STORED generated column';
  const noDefault = c.default === null || /^NULL$/i.test(c.default.sql.trim());
  if (c.notNull && !c.generated && noDefault)
    return 'ADD COLUMN cannot add a NOT NULL column without a non-NULL default to a table with rows';
  if (c.default && isNonConstantDefault(c.default))
    return 'ADD COLUMN cannot add a column whose default is not a constant to a table with rows';
  // Refused only while foreign_keys is ON, which the migration's connection may well be.
  if (c.references && !noDefault)
    return 'ADD COLUMN cannot add a REFERENCES column with a non-NULL default while foreign_keys is ON';
  return null;
}

function definitionOf(table: Table | undefined): TableDefinition | null {
  if (!table?.definition) return null;
  try {
    return parseDefinition(table.definition);
  } catch {
    return null;
  }
}

/** DROP COLUMN's refusals (https://www.sqlite.org/lang_altertable.html#alter_table_drop_column). */
function dropColumn(column: string, table: Table | undefined, schema: RebuildSchema): string | null {
  const def = definitionOf(table);
  if (!table || !def) return null;
  const col = def.columns.find((c) => sameName(c.name, column));
  if (!col) return null;
  if (constraintsOf(col, 'primary key').length > 0) return `${column} is the PRIMARY KEY`;
  if (constraintsOf(col, 'unique').length > 0) return `${column} is UNIQUE`;
  for (const k of def.constraints) {
    const names = k.kind === 'check' ? k.names : k.columns;
    if (names.some((n) => sameName(n, column)))
      return `${column} is in the table's ${k.kind.toUpperCase()}${k.name ? ` ${k.name}` : ''}`;
  }
  for (const other of def.columns)
    if (other !== col)
      for (const k of other.constraints)
        if ((k.kind === 'check' || k.kind === 'generated') && k.names.some((n) => sameName(n, column)))
          return `${column} is read by the ${k.kind === 'check' ? 'CHECK' : 'expression'} of ${other.name}`;
  const index = ownIndexes(table).find((i) =>
    mentions(i.definition.slice(i.definition.indexOf('(')), column),
  );
  if (index) return `${column} is in index ${index.name}`;
  const view = viewsReading(table, schema.views).find((v) => mentions(v.definition, column));
  if (view) return `${column} is read by view ${view.name}`;
  const trigger = table.triggers.find((t) => mentions(t.definition, column));
  if (trigger) return `${column} is read by trigger ${trigger.name}`;
  return null;
}

/** Why ALTER TABLE cannot make the Change itself (then the table is rebuilt); null when it can. */
export function needsRebuild(
  change: Change,
  table: Table | undefined,
  schema: RebuildSchema,
  major: number,
): string | null {
  if (REBUILD_KINDS.has(change.kind)) return `SQLite's ALTER TABLE has no ${change.kind}`;
  switch (change.kind) {
    case 'add column':
      return addColumn(change);
    case 'drop column': {
      if (major < DROP_COLUMN_SINCE) return 'DROP COLUMN needs SQLite 3.35.0';
      const why = dropColumn(change.column, table, schema);
      return why ? `DROP COLUMN refuses it: ${why}` : null;
    }
    default:
      return null;
  }
}
