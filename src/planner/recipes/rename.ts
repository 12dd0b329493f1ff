/**
 * Renames that keep old and new code working during the rollout:
 * - column: add the new column, keep both in sync with a trigger (a write to either lands in
 *   both), backfill, then drop the old column and the trigger in the contract step;
 * - table: rename it and leave a view with the old name (a simple view is updatable, so old
 *   code can still INSERT/UPDATE/DELETE through it); drop the view in the contract step.
 * https://www.postgresql.org/docs/current/sql-createview.html#SQL-CREATEVIEW-UPDATABLE-VIEWS
 */
import type { RecipeContext, RecipeResult, StepDraft } from '../types.js';
import { recreateColumn } from '../restore.js';
import { backfillSpec, deliberate } from '../sql.js';
import { notNullSteps } from './not-null.js';

export function renameColumnRecipe(ctx: RecipeContext): RecipeResult | null {
  const { change, q, sql, options } = ctx;
  if (change.kind !== 'rename column' || ctx.isNew(change.table)) return null;
  const { table, column, newName } = change;
  const t = ctx.table(table);
  const current = t?.columns.find((c) => c.name === column);
  if (!t || !current)
    return {
      steps: [],
      warnings: [
        `${table}.${column}: unknown without a schema; the plain RENAME is kept (it breaks code using the old name)`,
      ],
    };
  const oldC = q.ident(column);
  const newC = q.ident(newName);
  // A write from old code sets the old column, from new code the new one: the other follows.
  const trigger = sql.triggers.sync(q, {
    table,
    name: sql.names.object(table, [column, newName], 'sync'),
    body: [
      "IF TG_OP = 'INSERT' THEN",
      `  IF NEW.${newC} IS NULL THEN NEW.${newC} := NEW.${oldC}; ELSE NEW.${oldC} := NEW.${newC}; END IF;`,
      `ELSIF NEW.${newC} IS DISTINCT FROM OLD.${newC} THEN`,
      `  NEW.${oldC} := NEW.${newC};`,
      'ELSE',
      `  NEW.${newC} := NEW.${oldC};`,
      'END IF;',
    ],
    major: ctx.major,
    qualifyFunction: true,
    tag: 'fn',
  });
  const syncTrigger = trigger.create;
  const steps: StepDraft[] = [
    {
      phase: 'expand',
      description: `Add ${newName} next to ${column}; a trigger keeps the two equal on every write, from old or new code.`,
      sql: [
        sql.alterTable(
          q,
          table,
          `ADD COLUMN ${newC} ${current.type}${current.default ? ` DEFAULT ${current.default}` : ''}`,
        ),
        ...syncTrigger,
      ],
      transactional: true,
      rollback: [...trigger.dropIfExists, sql.alterTable(q, table, `DROP COLUMN IF EXISTS ${newC}`)],
    },
  ];
  const key = sql.batches.key(t);
  const spec = backfillSpec(
    table,
    key.primaryKey,
    [{ column: newName, expression: oldC }],
    `${newC} IS DISTINCT FROM ${oldC}`,
    {
      batchSize: options.batchSize,
      pauseMs: options.batchPauseMs,
    },
  );
  steps.push({
    phase: 'backfill',
    description: `Copy ${column} into ${newName} for existing rows, in batches.`,
    sql: [sql.batches.backfill(q, spec, key.type, ctx.major)],
    transactional: false,
    rollback: [],
    backfill: spec,
    long: true,
  });
  if (!current.nullable) steps.push(...notNullSteps(ctx, table, newName));
  steps.push({
    phase: 'contract',
    description: `Once every service uses ${newName}: drop the trigger and ${column}.`,
    sql: [
      ...trigger.drop,
      deliberate(
        'drop-column',
        `contract step: run once every service uses ${newName}`,
        sql.alterTable(q, table, `DROP COLUMN ${oldC}`),
      ),
    ],
    transactional: true,
    // The data lives on in the new column: the old one can be rebuilt from it, with what the
    // drop took along, and kept in sync again.
    rollback: [
      ...recreateColumn(sql, q, table, t, current, [`UPDATE ${q.table(table)} SET ${oldC} = ${newC}`]),
      ...syncTrigger,
    ],
  });
  const indexed = t.indexes.filter((i) => i.columns.includes(column)).map((i) => i.name);
  return {
    steps,
    warnings:
      indexed.length > 0
        ? [
            `${table}.${column} is indexed (${indexed.join(', ')}): create matching indexes on ${newName} before the contract step`,
          ]
        : [],
  };
}

renameColumnRecipe.dialects = ['postgres'];

export function renameTableRecipe(ctx: RecipeContext): RecipeResult | null {
  const { change, q, sql } = ctx;
  if (change.kind !== 'rename table' || ctx.isNew(change.table)) return null;
  const schema = change.table.slice(0, change.table.indexOf('.'));
  const oldName = change.table;
  const newName = `${schema}.${change.newName}`;
  return {
    steps: [
      {
        phase: 'expand',
        description: `Rename the table and leave an updatable view under the old name, so old code keeps working.`,
        sql: [
          deliberate(
            'rename-table',
            'a view keeps the old name working',
            sql.alterTable(q, oldName, `RENAME TO ${q.ident(change.newName)}`),
          ),
          `CREATE VIEW ${q.table(oldName)} AS SELECT * FROM ${q.table(newName)}`,
        ],
        transactional: true,
        rollback: [
          `DROP VIEW IF EXISTS ${q.table(oldName)}`,
          sql.alterTable(q, newName, `RENAME TO ${q.ident(oldName.slice(schema.length + 1))}`),
        ],
      },
      {
        phase: 'contract',
        description: `Once no service uses the old name: drop the view.`,
        sql: [`DROP VIEW ${q.table(oldName)}`],
        transactional: true,
        rollback: [`CREATE VIEW ${q.table(oldName)} AS SELECT * FROM ${q.table(newName)}`],
      },
    ],
    warnings: [
      `the view ${oldName} shows the columns ${change.newName} has when it is created; columns added later are not in it`,
    ],
  };
}
renameTableRecipe.dialects = ['postgres'];
