/**
 * What SQLite's ALTER TABLE does itself, and what only a rebuild does. ALTER TABLE renames a
 * table, renames a column (3.25.0+), adds a column and drops one (3.35.0+), each with limits;
 * since 3.53.0 it also sets and drops NOT NULL, adds a CHECK and drops a CHECK or NOT NULL
 * constraint by name. Everything else (a type, a default, any other constraint) needs the
 * rebuild. https://www.sqlite.org/lang_altertable.html, checked on the bundled SQLite by
 * test/dialects/sqlite/rebuild/in-place.test.ts. Versions are fact keys (SQLITE_VERSION_NUMBER,
 * ../version.ts).
 */
import type { Change } from '../../../core/change.js';
import type { RebuildSchema } from '../../../core/dialect/safe-sql.js';
import type { Table } from '../../../core/snapshot.js';
import { SQLITE } from '../version.js';
import { constraintsOf, parseDefinition, type TableDefinition } from './definition.js';
import { ownIndexes, viewsReading } from './dependents.js';
import { isNonConstantDefault } from './render.js';
import { mentions, sameName } from './tokens.js';

/** The fact key of SQLite major.minor.patch (SQLITE_VERSION_NUMBER: 3.35.0 is 3035000). */
export function sqliteKey(major: number, minor: number, patch = 0): number {
  return major * 1_000_000 + minor * 1000 + patch;
}

/** Kinds ALTER TABLE has no syntax for: always a rebuild. */
const REBUILD_KINDS = new Set<Change['kind']>(['alter column type', 'set default', 'drop default']);

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

/** DROP CONSTRAINT (3.53.0+) drops a CHECK or a NOT NULL by name, and refuses the others. */
function dropConstraint(name: string, table: Table | undefined): string | null {
  const def = definitionOf(table);
  if (!def) return "the table's CREATE TABLE text is unknown, so the kind of the constraint is too";
  const named = (k: { name: string | null }) => k.name !== null && sameName(k.name, name);
  if (def.constraints.some((k) => named(k) && k.kind === 'check')) return null;
  if (
    def.columns.some((c) =>
      c.constraints.some((k) => named(k) && (k.kind === 'check' || k.kind === 'not null')),
    )
  )
    return null;
  return `DROP CONSTRAINT drops only a CHECK or NOT NULL constraint, and ${name} is not one`;
}

/** Why ALTER TABLE cannot make the Change itself (then the table is rebuilt); null when it can. */
export function needsRebuild(
  change: Change,
  table: Table | undefined,
  schema: RebuildSchema,
  major: number,
): string | null {
  if (REBUILD_KINDS.has(change.kind)) return `SQLite's ALTER TABLE has no ${change.kind}`;
  const since353 = major >= SQLITE.alterConstraints;
  switch (change.kind) {
    case 'set not null':
    case 'drop not null':
      return since353 ? null : `${change.kind.toUpperCase()} needs SQLite 3.53.0`;
    case 'add constraint':
      if (change.constraint.type === 'not null') return since353 ? null : 'SET NOT NULL needs SQLite 3.53.0';
      if (change.constraint.type !== 'check')
        return `SQLite's ALTER TABLE adds no ${change.constraint.type} constraint`;
      return since353 ? null : 'ADD CONSTRAINT … CHECK needs SQLite 3.53.0';
    case 'drop constraint':
      return since353 ? dropConstraint(change.name, table) : 'DROP CONSTRAINT needs SQLite 3.53.0';
    case 'add column':
      return addColumn(change);
    case 'drop column': {
      if (major < SQLITE.dropColumn) return 'DROP COLUMN needs SQLite 3.35.0';
      const why = dropColumn(change.column, table, schema);
      return why ? `DROP COLUMN refuses it: ${why}` : null;
    }
    default:
      return null;
  }
}
