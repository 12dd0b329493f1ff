/**
 * Constraints without long locks:
 * - CHECK and FOREIGN KEY: add NOT VALID (no scan), then VALIDATE in a later transaction, which
 *   takes SHARE UPDATE EXCLUSIVE (and ROW SHARE on the referenced table) so traffic goes on.
 * - UNIQUE and PRIMARY KEY: build the unique index CONCURRENTLY, then ADD CONSTRAINT … USING INDEX
 *   (a brief ACCESS EXCLUSIVE, no build); PRIMARY KEY columns are made NOT NULL first through a
 *   validated CHECK.
 * https://www.postgresql.org/docs/current/sql-altertable.html (NOT VALID, VALIDATE CONSTRAINT, USING INDEX)
 */
import type { RecipeContext, RecipeResult, StepDraft } from '../types.js';
import { notNullSteps } from './not-null.js';

export function addConstraintRecipe(ctx: RecipeContext): RecipeResult | null {
  const { change, q, sql } = ctx;
  if (change.kind !== 'add constraint' || ctx.isNew(change.table)) return null;
  const c = change.constraint;
  const table = change.table;
  if (c.type === 'check' || c.type === 'foreign key') {
    if (c.notValid) return null;
    const name =
      c.name ??
      (c.type === 'check'
        ? sql.names.server(table, [], 'check')
        : sql.names.server(table, c.columns, 'fkey'));
    const body =
      c.type === 'check'
        ? `CHECK (${c.expr.sql})`
        : `FOREIGN KEY (${c.columns.map(q.ident).join(', ')}) REFERENCES ${q.table(c.references.table)}${c.references.columns.length > 0 ? ` (${c.references.columns.map(q.ident).join(', ')})` : ''}${c.references.onDelete !== 'NO ACTION' ? ` ON DELETE ${c.references.onDelete}` : ''}${c.references.onUpdate !== 'NO ACTION' ? ` ON UPDATE ${c.references.onUpdate}` : ''}`;
    const precheck =
      c.type === 'check'
        ? {
            description: `no existing row breaks CHECK (${c.expr.sql})`,
            sql: `SELECT NOT EXISTS (SELECT 1 FROM ${q.table(table)} WHERE NOT (${c.expr.sql}))`,
          }
        : orphanCheck(ctx, table, c.columns, c.references.table, c.references.columns);
    return {
      steps: [
        {
          phase: 'expand',
          description: `Add ${name} NOT VALID: new writes are checked, existing rows are not read.`,
          sql: [sql.constraints.addNotValid(q, table, name, body)],
          transactional: true,
          rollback: [sql.constraints.drop(q, table, name, { ifExists: true })],
        },
        {
          phase: 'validate',
          description: `Validate ${name} in its own transaction: reads every row while reads and writes go on.`,
          sql: [sql.constraints.validate(q, table, name)],
          transactional: true,
          rollback: [],
          preChecks: precheck ? [precheck] : [],
          long: true,
        },
      ],
    };
  }
  if ((c.type === 'unique' || c.type === 'primary key') && c.usingIndex === null) {
    const kind = c.type === 'unique' ? 'UNIQUE' : 'PRIMARY KEY';
    const name =
      c.name ??
      sql.names.server(table, c.type === 'unique' ? c.columns : [], c.type === 'unique' ? 'key' : 'pkey');
    const schema = table.slice(0, table.indexOf('.'));
    const cols = c.columns.map(q.ident).join(', ');
    const steps: StepDraft[] = [];
    if (c.type === 'primary key') {
      const current = ctx.table(table);
      for (const column of c.columns) {
        const col = current?.columns.find((x) => x.name === column);
        if (!col || col.nullable) steps.push(...notNullSteps(ctx, table, column));
      }
    }
    steps.push(
      {
        phase: 'expand',
        description: `Build the unique index ${name} CONCURRENTLY: writes go on; outside any transaction.`,
        sql: [
          sql.indexes.create(q, {
            table,
            name,
            columns: c.columns.map(q.ident),
            unique: true,
            concurrently: true,
          }),
        ],
        transactional: false,
        rollback: [
          sql.indexes.drop(`${q.ident(schema)}.${q.ident(name)}`, { concurrently: true, ifExists: true }),
        ],
        preChecks: [
          sql.checks.noInvalidIndex(q, table, name),
          {
            description: `no duplicate (${c.columns.join(', ')}) in ${table}`,
            sql: `SELECT NOT EXISTS (SELECT 1 FROM ${q.table(table)} WHERE ${c.columns.map((x) => `${q.ident(x)} IS NOT NULL`).join(' AND ')} GROUP BY ${cols} HAVING count(*) > 1)`,
          },
        ],
        postChecks: [sql.checks.indexIsValid(q, table, name)],
        long: true,
      },
      {
        phase: 'validate',
        description: `Turn the index into the ${kind} constraint: a brief ACCESS EXCLUSIVE, nothing to build.`,
        sql: [sql.constraints.attachIndex(q, table, name, kind)],
        transactional: true,
        rollback: [sql.constraints.drop(q, table, name, { ifExists: true })],
      },
    );
    return { steps };
  }
  return null;
}
addConstraintRecipe.dialects = ['postgres'];

function orphanCheck(
  ctx: RecipeContext,
  table: string,
  columns: string[],
  refTable: string,
  refColumns: string[],
) {
  const { q } = ctx;
  const target = refColumns.length > 0 ? refColumns : (ctx.table(refTable)?.primaryKey?.columns ?? []);
  if (target.length !== columns.length || columns.length === 0) return null;
  const match = columns.map((c, i) => `p.${q.ident(target[i] ?? '')} = c.${q.ident(c)}`).join(' AND ');
  const notNull = columns.map((c) => `c.${q.ident(c)} IS NOT NULL`).join(' AND ');
  return {
    description: `every ${table} row points at an existing ${refTable} row`,
    sql: `SELECT NOT EXISTS (SELECT 1 FROM ${q.table(table)} c WHERE ${notNull} AND NOT EXISTS (SELECT 1 FROM ${q.table(refTable)} p WHERE ${match}))`,
  };
}
