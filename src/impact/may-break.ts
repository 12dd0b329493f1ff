/**
 * Breaks the server cannot show by compiling a query, read from the migration's Changes and the
 * query's shape (core/dialect/query-shape.ts, the dialect's own parser): the query still
 * prepares after the change, but may fail when it runs, or return something else.
 *
 * - an INSERT that omits a column which becomes NOT NULL without a default;
 * - an INSERT/UPDATE/MERGE into a table that gets a new CHECK, a new UNIQUE, or a narrower
 *   column type (only when the write names that column, where that can be known; narrower
 *   than the old type when the schema says what it was: narrowing.ts);
 * - `SELECT *` / `RETURNING *` over a table whose columns are added, dropped, renamed or retyped
 *   (the plan's type change swaps columns, which moves the column to the end);
 * - a string literal equal to an enum value the migration renames.
 */
import type { Change, ChangeOf, TypeRef } from '../core/change.js';
import type { QueryShape } from '../core/dialect/query-shape.js';
import type { SchemaSnapshot } from '../core/snapshot.js';
import type { RejectsValues } from './narrowing.js';
import type { StepLocator } from './steps.js';

export interface MayBreak {
  breaksAt: string;
  reason: string;
}

interface Candidate extends MayBreak {
  index: number;
}

/** The earliest "may break" of a query among every Change, or null. */
export function mayBreak(
  shapes: readonly QueryShape[],
  changes: readonly Change[],
  locate: StepLocator,
  snapshot: SchemaSnapshot | null,
  rejects: RejectsValues = () => undefined,
): MayBreak | null {
  let first: Candidate | null = null;
  for (const change of changes)
    for (const shape of shapes) {
      const found = ruleFor(shape, change, changes, locate, snapshot, rejects);
      if (found && (!first || found.index < first.index)) first = found;
    }
  return first ? { breaksAt: first.breaksAt, reason: first.reason } : null;
}

function ruleFor(
  shape: QueryShape,
  change: Change,
  changes: readonly Change[],
  locate: StepLocator,
  snapshot: SchemaSnapshot | null,
  rejects: RejectsValues,
): Candidate | null {
  const at = (carries?: RegExp) => {
    const step = locate(change, carries);
    return (reason: string): Candidate => ({ breaksAt: step.id, index: step.index, reason });
  };
  const writes = shape.kind === 'insert' || shape.kind === 'update' || shape.kind === 'merge';
  switch (change.kind) {
    case 'set not null':
    case 'add column': {
      const column = change.kind === 'add column' ? change.column.name : change.column;
      if (change.kind === 'add column') {
        const star = starOver(shape, change.table, at(), `${change.column.name} is added`);
        if (star) return star;
      }
      if (shape.kind !== 'insert' || shape.table !== change.table) return null;
      if (!becomesRequired(change, changes, snapshot)) return null;
      // An INSERT without a column list fills the table's columns in order: a new (last)
      // column is always omitted; whether an existing one is, depends on the VALUES.
      const omits = shape.columns ? !shape.columns.includes(column) : change.kind === 'add column';
      if (!omits) return null;
      return at(/\bNOT\s+NULL\b/i)(
        `the INSERT omits ${column}, which becomes NOT NULL without a default: the server will reject the row`,
      );
    }
    case 'add constraint': {
      const constraint = change.constraint;
      if (!writes || shape.table !== change.table) return null;
      if (constraint.type === 'check')
        return at(/\bCHECK\b/i)(
          `a new CHECK (${constraint.expr.sql}) on ${change.table} may reject the rows this query writes`,
        );
      if (constraint.type === 'unique' || constraint.type === 'primary key') {
        if (!touches(shape, constraint.columns)) return null;
        return at(/\bUNIQUE\b|\bPRIMARY\s+KEY\b/i)(
          `a new ${constraint.type.toUpperCase()} on ${change.table} (${constraint.columns.join(', ')}) may reject the values this query writes`,
        );
      }
      return null;
    }
    case 'create index': {
      const index = change.index;
      if (!index.unique || !writes || shape.table !== index.table || !touches(shape, index.columnNames))
        return null;
      return at(/\bUNIQUE\b/i)(
        `a new unique index on ${index.table} (${index.columns.join(', ')}) may reject the values this query writes`,
      );
    }
    case 'alter column type': {
      const star = starOver(shape, change.table, at(), `${change.column} changes type to ${change.type.sql}`);
      if (star) return star;
      if (!writes || shape.table !== change.table || !(rejects(change) ?? narrows(change.type))) return null;
      if (!touches(shape, [change.column])) return null;
      return at()(
        `${change.column} becomes ${change.type.sql}, which may reject values this query writes into it`,
      );
    }
    case 'drop column':
      return starOver(shape, change.table, at(/\bDROP\s+COLUMN\b/i), `${change.column} is dropped`);
    case 'rename column':
      return starOver(shape, change.table, at(), `${change.column} is renamed to ${change.newName}`);
    case 'rename enum value': {
      if (!shape.literals.includes(change.value)) return null;
      const tables = enumTables(change.type, snapshot);
      if (tables && !shape.tables.some((t) => tables.has(t))) return null;
      return at()(
        `the query names '${change.value}', a value of enum ${change.type} that is renamed to '${change.newValue}'`,
      );
    }
    default:
      return null;
  }
}

function starOver(
  shape: QueryShape,
  table: string,
  at: (reason: string) => Candidate,
  what: string,
): Candidate | null {
  if (!shape.star || !shape.tables.includes(table)) return null;
  return at(`the query returns * from ${table}, whose columns change (${what})`);
}

/** A write that may store a value in one of `columns` (an INSERT without a column list: all). */
function touches(shape: QueryShape, columns: readonly string[]): boolean {
  if (shape.kind === 'merge' || shape.columns === null) return true;
  return shape.columns.some((c) => columns.includes(c));
}

/** The column is NOT NULL after the change and nothing fills it when an INSERT leaves it out. */
function becomesRequired(
  change: ChangeOf<'set not null'> | ChangeOf<'add column'>,
  changes: readonly Change[],
  snapshot: SchemaSnapshot | null,
): boolean {
  if (change.kind === 'add column') {
    const c = change.column;
    return c.notNull && !c.default && !c.identity && !c.generated && !c.type.serial;
  }
  const defaulted = changes.some(
    (c) =>
      (c.kind === 'set default' || c.kind === 'add identity') &&
      c.table === change.table &&
      c.column === change.column,
  );
  if (defaulted) return false;
  const column = tableOf(snapshot, change.table)?.columns.find((c) => c.name === change.column);
  return !column || (column.default === null && column.identity === null && column.generated === null);
}

/**
 * Whether a type may reject values the old one took, when the old type is not known
 * (narrowing.ts answers when it is): a type with a length or precision, or a small integer or
 * float, counts as narrower (text → varchar(10)).
 */
function narrows(type: TypeRef): boolean {
  return type.modifiers.length > 0 || ['int2', 'int4', 'float4', 'bool'].includes(type.name);
}

/** Tables with a column of the enum type, when the snapshot says; null when unknown. */
function enumTables(type: string, snapshot: SchemaSnapshot | null): Set<string> | null {
  if (!snapshot) return null;
  const name = type.replace(/^.*\./, '');
  const tables = snapshot.tables.filter((t) =>
    t.columns.some((c) => c.type === name || c.type === type || c.type === `${name}[]`),
  );
  return new Set(tables.map((t) => `${t.schema}.${t.name}`));
}

function tableOf(snapshot: SchemaSnapshot | null, table: string) {
  return snapshot?.tables.find((t) => `${t.schema}.${t.name}` === table);
}
