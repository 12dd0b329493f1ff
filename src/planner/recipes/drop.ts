/**
 * Drops are contract steps: run them after every service stopped using the object. Each is
 * guarded by pre-checks (no view or foreign key still depends on it). With `archive`, the data
 * is kept in the `schemapilot_archive` schema so the rollback can restore it; without, the
 * rollback cannot bring the data back (rollback complexity 5).
 */
import type { RecipeContext, RecipeResult, StepDraft } from '../types.js';
import { recreateColumn } from '../restore.js';
import { deliberate } from '../sql.js';

export const ARCHIVE_SCHEMA = 'schemapilot_archive';

export function dropColumnRecipe(ctx: RecipeContext): RecipeResult | null {
  const { change, q, sql, options } = ctx;
  if (change.kind !== 'drop column' || ctx.isNew(change.table)) return null;
  const { table, column } = change;
  const t = ctx.table(table);
  const current = t?.columns.find((c) => c.name === column);
  const c = q.ident(column);
  const checks = [sql.checks.noViewUsesColumn(q, table, column), sql.checks.noForeignKeyTo(q, table, column)];
  const drop = deliberate(
    'drop-column',
    'contract step, after every service stopped using the column',
    sql.alterTable(q, table, `DROP COLUMN ${change.ifExists ? 'IF EXISTS ' : ''}${c}`),
  );
  // The column as it was (definition, default, NOT NULL, its indexes and CHECKs), refilled by `fill`.
  const readd = (fill: string[]) => (t && current ? recreateColumn(sql, q, table, t, current, fill) : []);
  const pk = t?.primaryKey?.columns ?? [];
  if (options.archive && current && pk.length > 0) {
    const archive = `${q.ident(ARCHIVE_SCHEMA)}.${q.ident(sql.names.bounded(`${table.slice(table.indexOf('.') + 1)}__${column}`, ''))}`;
    const keys = pk.map(q.ident).join(', ');
    const steps: StepDraft[] = [
      {
        phase: 'contract',
        description: `Copy ${column} with the primary key into ${ARCHIVE_SCHEMA}, so a rollback can restore it.`,
        sql: [
          `CREATE SCHEMA IF NOT EXISTS ${q.ident(ARCHIVE_SCHEMA)}`,
          `CREATE TABLE ${archive} AS SELECT ${keys}, ${c} FROM ${q.table(table)}`,
        ],
        transactional: true,
        rollback: [`DROP TABLE IF EXISTS ${archive}`],
        preChecks: checks,
        long: true,
      },
      {
        phase: 'contract',
        description: `Drop ${column}: a brief ACCESS EXCLUSIVE, no rewrite.`,
        sql: [drop],
        transactional: true,
        rollback: readd([
          `UPDATE ${q.table(table)} AS t SET ${c} = a.${c} FROM ${archive} AS a WHERE ${pk.map((k) => `t.${q.ident(k)} = a.${q.ident(k)}`).join(' AND ')}`,
        ]),
      },
    ];
    return { steps };
  }
  return {
    steps: [
      {
        phase: 'contract',
        description: `Drop ${column}: a brief ACCESS EXCLUSIVE, no rewrite. The data is gone: the rollback re-adds an empty column.`,
        sql: [drop],
        transactional: true,
        rollback: readd([]),
        reversible: false,
        destroysData: true,
        preChecks: checks,
      },
    ],
    warnings:
      options.archive && pk.length === 0 ? [`${table} has no primary key: ${column} cannot be archived`] : [],
  };
}

dropColumnRecipe.dialects = ['postgres'];

export function dropTableRecipe(ctx: RecipeContext): RecipeResult | null {
  const { change, q, sql, options } = ctx;
  if (change.kind !== 'drop table') return null;
  const existing = change.tables.filter((t) => !ctx.isNew(t));
  if (existing.length === 0) return null;
  const steps: StepDraft[] = existing.map((table) => {
    const schema = table.slice(0, table.indexOf('.'));
    const bare = table.slice(schema.length + 1);
    const checks = [sql.checks.noForeignKeyTo(q, table), sql.checks.noViewUsesTable(q, table)];
    if (options.archive) {
      return {
        phase: 'contract',
        description: `Move ${table} into ${ARCHIVE_SCHEMA} instead of dropping it: instant, and the rollback moves it back.`,
        sql: [
          `CREATE SCHEMA IF NOT EXISTS ${q.ident(ARCHIVE_SCHEMA)}`,
          sql.alterTable(q, table, `SET SCHEMA ${q.ident(ARCHIVE_SCHEMA)}`),
        ],
        transactional: true,
        rollback: [`ALTER TABLE ${q.ident(ARCHIVE_SCHEMA)}.${q.ident(bare)} SET SCHEMA ${q.ident(schema)}`],
        preChecks: checks,
      };
    }
    return {
      phase: 'contract',
      description: `Drop ${table}. Its data is gone: no rollback can restore it (use --archive to keep it).`,
      sql: [
        deliberate(
          'drop-table',
          'contract step, after every service stopped using the table',
          `DROP TABLE ${change.ifExists ? 'IF EXISTS ' : ''}${q.table(table)}${change.cascade ? ' CASCADE' : ''}`,
        ),
      ],
      transactional: true,
      rollback: [],
      reversible: false,
      destroysData: true,
      preChecks: change.cascade ? [] : checks,
    };
  });
  return { steps };
}
dropTableRecipe.dialects = ['postgres'];
