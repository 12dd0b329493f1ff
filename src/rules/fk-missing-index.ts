import type { Change, ConstraintSpec } from '../core/change.js';
import { defineRule } from '../core/rule.js';
import { ended } from './sql.js';

/**
 * PostgreSQL indexes the referenced side of a foreign key (it must be unique) but not the
 * referencing columns. Without such an index, every DELETE of a parent row, and every UPDATE
 * of its key, scans the whole referencing table to look for children, while holding its row
 * locks; ON DELETE CASCADE / SET NULL do the same scan. Parents that used to delete in
 * milliseconds take seconds, and lock waits pile up behind them.
 * https://www.postgresql.org/docs/current/ddl-constraints.html#DDL-CONSTRAINTS-FK
 */
interface ForeignKeyDraft {
  table: string;
  name: string;
  columns: string[];
  references: string;
}

export default defineRule({
  meta: {
    id: 'fk-missing-index',
    category: 'locking',
    severity: 'warning',
    description:
      'A new foreign key without an index on its columns makes deletes on the parent table scan this one',
    kinds: ['add constraint', 'add column', 'create table'],
    scalesWithSize: true,
    skipNewTables: false,
    dialects: ['postgres'],
  },
  check({ change, q, hasIndexOn, isNew, laterOnTable, sql }) {
    if (!sql) return [];
    const drafts = foreignKeys(change);
    if (drafts.length === 0) return [];
    return drafts
      .filter(
        (fk) =>
          !hasIndexOn(fk.table, fk.columns) &&
          !indexedBy(change, fk.table, fk.columns) &&
          !laterOnTable(fk.table).some((c) => indexedBy(c, fk.table, fk.columns)),
      )
      .map((fk) => {
        const fresh = isNew(fk.table) || change.kind === 'create table';
        // The name the server would give it, cut as the server cuts it.
        const index = sql.names.server(fk.table, fk.columns, 'idx');
        const create = ended(
          sql.indexes.create(q, {
            table: fk.table,
            name: index,
            columns: fk.columns.map(q.ident),
            concurrently: !fresh,
          }),
        );
        return {
          message: `Foreign key ${fk.name} on ${fk.table} (${fk.columns.join(', ')}) has no index that starts with those columns: every DELETE on ${fk.references}, or change of its key, scans ${fk.table} for referencing rows.`,
          safeAlternative: fresh
            ? create
            : [
                "-- outside a transaction block (disable the runner's transaction for this migration):",
                create,
              ].join('\n'),
          table: fk.table,
        };
      });
  },
});

function foreignKeys(change: Change): ForeignKeyDraft[] {
  const bare = (t: string) => t.slice(t.indexOf('.') + 1);
  const fromConstraint = (table: string, c: ConstraintSpec): ForeignKeyDraft[] =>
    c.type === 'foreign key'
      ? [
          {
            table,
            name: c.name ?? `${bare(table)}_${c.columns.join('_')}_fkey`,
            columns: c.columns,
            references: c.references.table,
          },
        ]
      : [];
  switch (change.kind) {
    case 'add constraint':
      return fromConstraint(change.table, change.constraint);
    case 'add column':
      return change.column.references
        ? [
            {
              table: change.table,
              name: `${bare(change.table)}_${change.column.name}_fkey`,
              columns: [change.column.name],
              references: change.column.references.table,
            },
          ]
        : [];
    case 'create table':
      return [
        ...change.columns.flatMap((c) =>
          c.references
            ? [
                {
                  table: change.table,
                  name: `${bare(change.table)}_${c.name}_fkey`,
                  columns: [c.name],
                  references: c.references.table,
                },
              ]
            : [],
        ),
        ...change.constraints.flatMap((c) => fromConstraint(change.table, c)),
      ];
    default:
      return [];
  }
}

/**
 * Whether this change creates an index (or a key) on the table whose leading columns are these.
 * Called for every later Change on the table, per foreign key: it allocates nothing.
 */
function indexedBy(change: Change, table: string, columns: readonly string[]): boolean {
  switch (change.kind) {
    case 'create index':
      return (
        change.index.table === table &&
        change.index.where === null &&
        leadingColumns(change.index.columns, columns)
      );
    case 'add constraint':
      return change.table === table && keyedBy(change.constraint, columns);
    case 'create table':
      if (change.table !== table) return false;
      for (const c of change.constraints) if (keyedBy(c, columns)) return true;
      for (const c of change.columns)
        if ((c.primaryKey || c.unique) && columns.length === 1 && columns[0] === c.name) return true;
      return false;
    default:
      return false;
  }
}

function keyedBy(c: ConstraintSpec, columns: readonly string[]): boolean {
  return (c.type === 'unique' || c.type === 'primary key') && leadingColumns(c.columns, columns);
}

/** Whether the first `columns.length` keys are exactly these columns, in any order (no copies: hot). */
function leadingColumns(keys: readonly string[], columns: readonly string[]): boolean {
  if (keys.length < columns.length) return false;
  for (const c of columns) {
    const at = keys.indexOf(c);
    if (at < 0 || at >= columns.length) return false;
  }
  return true;
}
