/**
 * The snapshot objects a Change creates (columns, indexes, tables, constraints), named as
 * PostgreSQL would name what the statement leaves unnamed: what SchemaState.apply adds to its
 * tables, kept apart from the state's bookkeeping.
 */
import type { ChangeOf, ColumnSpec, ConstraintSpec } from '../core/change.js';
import type { Column, Index, Table } from '../core/snapshot.js';
import { postgresDefaultName } from './names.js';

export function toColumn(spec: ColumnSpec): Column {
  return {
    collation: spec.collation,
    comment: null,
    default: spec.default?.sql ?? null,
    generated: spec.generated?.expr.sql ?? null,
    identity: spec.identity,
    name: spec.name,
    nullable: !spec.notNull,
    type: spec.type.sql,
  };
}

export function newIndex(
  name: string,
  columns: string[],
  unique: boolean,
  method: string,
  predicate: string | null,
): Index {
  return {
    bytes: 0,
    columns,
    constraint: null,
    definition: '',
    include: [],
    method,
    name,
    predicate,
    primary: false,
    unique,
    valid: true,
  };
}

export function newTable(change: ChangeOf<'create table'>): Table {
  const { table: qualified, columns, constraints } = change;
  const dot = qualified.indexOf('.');
  const table: Table = {
    checkConstraints: [],
    columns: columns.map(toColumn),
    comment: null,
    exclusionConstraints: [],
    foreignKeys: [],
    indexes: [],
    kind: change.partitioned ? 'partitioned table' : 'table',
    name: qualified.slice(dot + 1),
    partitionBound: null,
    partitionKey: null,
    partitionOf: change.partitionOf,
    primaryKey: null,
    schema: qualified.slice(0, dot),
    stats: { indexBytes: 0, rowEstimate: 0, tableBytes: 0 },
    triggers: [],
    uniqueConstraints: [],
  };
  addInlineConstraints(table, columns);
  for (const c of constraints) addConstraint(table, c);
  return table;
}

export function addInlineConstraints(table: Table, columns: readonly ColumnSpec[]): void {
  for (const c of columns) {
    if (c.primaryKey)
      addConstraint(table, { type: 'primary key', name: null, columns: [c.name], usingIndex: null });
    if (c.unique)
      addConstraint(table, {
        type: 'unique',
        name: null,
        columns: [c.name],
        usingIndex: null,
        nullsNotDistinct: false,
      });
    for (const [i, check] of c.checks.entries())
      addConstraint(table, {
        type: 'check',
        name: defaultName(table, [c.name], i === 0 ? 'check' : `check${i}`),
        expr: check,
        notValid: false,
        noInherit: false,
      });
    if (c.references)
      addConstraint(table, {
        type: 'foreign key',
        name: null,
        columns: [c.name],
        references: c.references,
        notValid: false,
      });
  }
}

/**
 * PostgreSQL's default constraint names: `<table>_<columns>_<pkey|key|fkey|check|excl>`, cut
 * to 63 bytes the way the server cuts them.
 */
function defaultName(table: Table, columns: readonly string[], suffix: string): string {
  return postgresDefaultName(table.name, columns.length > 0 ? columns.join('_') : null, suffix);
}

export function addConstraint(table: Table, c: ConstraintSpec): void {
  switch (c.type) {
    case 'primary key': {
      const name = c.name ?? defaultName(table, [], 'pkey');
      table.primaryKey = { columns: c.columns, name };
      for (const col of table.columns) if (c.columns.includes(col.name)) col.nullable = false;
      table.indexes.push({
        ...newIndex(c.usingIndex ?? name, c.columns, true, 'btree', null),
        primary: true,
        constraint: name,
      });
      return;
    }
    case 'unique': {
      const name = c.name ?? defaultName(table, c.columns, 'key');
      table.uniqueConstraints.push({
        columns: c.columns,
        definition: `UNIQUE (${c.columns.join(', ')})`,
        deferrable: false,
        name,
      });
      table.indexes.push({
        ...newIndex(c.usingIndex ?? name, c.columns, true, 'btree', null),
        constraint: name,
      });
      return;
    }
    case 'check':
      table.checkConstraints.push({
        definition: `CHECK (${c.expr.sql})${c.notValid ? ' NOT VALID' : ''}`,
        name: c.name ?? defaultName(table, [], 'check'),
        validated: !c.notValid,
      });
      return;
    case 'foreign key': {
      const dot = c.references.table.indexOf('.');
      table.foreignKeys.push({
        columns: c.columns,
        deferrable: false,
        match: 'SIMPLE',
        name: c.name ?? defaultName(table, c.columns, 'fkey'),
        onDelete: c.references.onDelete,
        onUpdate: c.references.onUpdate,
        referencedColumns: c.references.columns,
        referencedSchema: c.references.table.slice(0, dot),
        referencedTable: c.references.table.slice(dot + 1),
        validated: !c.notValid,
      });
      return;
    }
    case 'exclusion':
      table.exclusionConstraints.push({ definition: c.sql, name: c.name ?? defaultName(table, [], 'excl') });
      return;
    case 'not null':
      for (const col of table.columns) if (col.name === c.column && !c.notValid) col.nullable = false;
      return;
  }
}
