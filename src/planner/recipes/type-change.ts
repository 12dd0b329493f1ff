/**
 * ALTER COLUMN TYPE that rewrites the table, done as expand/contract:
 *   expand   add <col>__new of the new type; a trigger copies every write of <col> into it
 *   backfill copy old rows in batches
 *   expand   build each index of <col> on <col>__new, concurrently
 *   validate NOT NULL through a validated CHECK, if the column had it
 *   validate swap names in one short transaction: <col> → <col>__old, <col>__new → <col>
 *   contract drop <col>__old (after every service runs code that is fine with the new type)
 * The swap and the drop are points of no return; rolling back past them (--accept-data-loss)
 * re-creates <col>__old with its indexes and checks, copies the new values back (cast to the
 * old type: this fails when one does not fit) and swaps again.
 * Binary-coercible changes (varchar grow, varchar → text, …) need none of this: one step.
 * Columns in a primary key, a foreign key or a view are not planned (renames would not follow).
 */
import type { Index } from '../../core/snapshot.js';
import type { RecipeContext, RecipeResult, StepDraft } from '../types.js';
import { replaceColumnRefs } from '../column-refs.js';
import { collate } from '../restore.js';
import { backfillSpec, deliberate } from '../sql.js';
import { notNullSteps } from './not-null.js';

export function alterTypeRecipe(ctx: RecipeContext): RecipeResult | null {
  const { change, q, sql, options } = ctx;
  if (change.kind !== 'alter column type' || ctx.isNew(change.table) || !ctx.facts.rewritesTable) return null;
  const { table, column } = change;
  const t = ctx.table(table);
  const current = t?.columns.find((c) => c.name === column);
  const refuse = (why: string): RecipeResult => ({
    steps: [],
    warnings: [`${table}.${column}: ${why}; the original ALTER COLUMN TYPE is kept (it rewrites the table)`],
  });
  if (!t || !current) return refuse('table or column unknown (no schema)');
  if (!change.usingIsColumn) return refuse('a USING expression is not planned automatically');
  if (t.primaryKey?.columns.includes(column)) return refuse('the column is part of the primary key');
  if (t.foreignKeys.some((f) => f.columns.includes(column)))
    return refuse('the column is part of a foreign key');
  if (t.uniqueConstraints.some((u) => u.columns.includes(column)))
    return refuse('the column is part of a unique constraint');

  const schema = table.slice(0, table.indexOf('.'));
  const newCol = sql.names.bounded(column, '__new');
  const oldCol = sql.names.bounded(column, '__old');
  const type = change.type.sql;
  const c = q.ident(column);
  const oldType = current.type;
  const trigger = sql.triggers.sync(q, {
    table,
    name: sql.names.helper(table, column, 'sync'),
    body: [`NEW.${q.ident(newCol)} := NEW.${c}::${type};`],
    major: ctx.major,
    qualifyFunction: true,
    tag: 'fn',
  });
  const syncTrigger = trigger.create;
  const steps: StepDraft[] = [];
  steps.push({
    phase: 'expand',
    description: `Add ${newCol} ${type} and a trigger that copies every write of ${column} into it.`,
    sql: [sql.alterTable(q, table, `ADD COLUMN ${q.ident(newCol)} ${type}`), ...syncTrigger],
    transactional: true,
    rollback: [...trigger.dropIfExists, sql.alterTable(q, table, `DROP COLUMN IF EXISTS ${q.ident(newCol)}`)],
  });
  const key = sql.batches.key(t);
  const spec = backfillSpec(
    table,
    key.primaryKey,
    [{ column: newCol, expression: `${c}::${type}` }],
    `${q.ident(newCol)} IS NULL AND ${c} IS NOT NULL`,
    {
      batchSize: options.batchSize,
      pauseMs: options.batchPauseMs,
    },
  );
  steps.push({
    phase: 'backfill',
    description: `Copy existing values into ${newCol} in batches of ${options.batchSize}.`,
    sql: [sql.batches.backfill(q, spec, key.type, ctx.major)],
    transactional: false,
    rollback: [],
    backfill: spec,
    long: true,
  });
  const indexes = t.indexes.filter((i) => i.columns.includes(column) && !i.constraint);
  const renames: { from: string; to: string; old: string[] }[] = [];
  for (const index of indexes) {
    const plan = indexOn(ctx, index, column, newCol, sql.names.bounded(index.name, '__new'), true);
    if (!plan) return refuse(`index ${index.name} uses ${column} in an expression or predicate`);
    // The same index on the old column, for the contract step's rollback.
    const old = indexOn(ctx, index, column, oldCol, sql.names.bounded(index.name, '__old'), false);
    renames.push({ from: index.name, to: plan.name, old: old ? [old.sql] : [] });
    steps.push({
      phase: 'expand',
      description: `Build ${plan.name} on ${newCol} CONCURRENTLY, to replace ${index.name}.`,
      sql: [plan.sql],
      transactional: false,
      rollback: [
        sql.indexes.drop(`${q.ident(schema)}.${q.ident(plan.name)}`, { concurrently: true, ifExists: true }),
      ],
      long: true,
    });
  }
  if (!current.nullable) steps.push(...notNullSteps(ctx, table, newCol));
  // CHECK constraints on the column follow it: the same check on the new column, added
  // NOT VALID and validated, takes the old one's name at the swap.
  const checks = t.checkConstraints.flatMap((check) => {
    const definition = check.definition.replace(/\s+NOT VALID$/, '');
    const moved = replaceColumnRefs(definition, column, q.ident(newCol));
    const old = replaceColumnRefs(definition, column, q.ident(oldCol)).text;
    return moved.count > 0 ? [{ name: check.name, body: moved.text, old }] : [];
  });
  const checkRenames: { from: string; to: string }[] = [];
  for (const check of checks) {
    const name = sql.names.bounded(check.name, '__new');
    checkRenames.push({ from: check.name, to: name });
    steps.push(
      {
        phase: 'expand',
        description: `Add ${check.name}'s check on ${newCol}, NOT VALID.`,
        sql: [sql.constraints.addNotValid(q, table, name, check.body)],
        transactional: true,
        rollback: [sql.constraints.drop(q, table, name, { ifExists: true })],
      },
      {
        phase: 'validate',
        description: `Validate it without blocking traffic.`,
        sql: [sql.constraints.validate(q, table, name)],
        transactional: true,
        rollback: [],
        long: true,
      },
    );
  }
  const swap = [
    deliberate(
      'rename-column',
      'expand/contract swap; both columns were kept in sync',
      sql.alterTable(q, table, `RENAME COLUMN ${c} TO ${q.ident(oldCol)}`),
    ),
    deliberate(
      'rename-column',
      'expand/contract swap; both columns were kept in sync',
      sql.alterTable(q, table, `RENAME COLUMN ${q.ident(newCol)} TO ${c}`),
    ),
    ...(current.default
      ? [
          sql.alterTable(q, table, `ALTER COLUMN ${q.ident(oldCol)} DROP DEFAULT`),
          sql.alterTable(q, table, `ALTER COLUMN ${c} SET DEFAULT ${current.default}`),
        ]
      : []),
    ...(current.nullable ? [] : [sql.alterTable(q, table, `ALTER COLUMN ${q.ident(oldCol)} DROP NOT NULL`)]),
    ...trigger.drop,
    ...renames.flatMap((r) => [
      `ALTER INDEX ${q.ident(schema)}.${q.ident(r.from)} RENAME TO ${q.ident(sql.names.bounded(r.from, '__old'))}`,
      `ALTER INDEX ${q.ident(schema)}.${q.ident(r.to)} RENAME TO ${q.ident(r.from)}`,
    ]),
    ...checkRenames.flatMap((r) => [
      sql.alterTable(
        q,
        table,
        `RENAME CONSTRAINT ${q.ident(r.from)} TO ${q.ident(sql.names.bounded(r.from, '__old'))}`,
      ),
      sql.alterTable(q, table, `RENAME CONSTRAINT ${q.ident(r.to)} TO ${q.ident(r.from)}`),
    ]),
  ];
  steps.push({
    phase: 'validate',
    description: `Swap the columns in one short transaction: ${column} is now ${type}; the old values stay in ${oldCol}.`,
    sql: swap,
    transactional: true,
    rollback: [
      // Writes made since the swap reach only the new column: copy them back first (this fails,
      // and nothing is undone, when a value does not fit the old type).
      `UPDATE ${q.table(table)} SET ${q.ident(oldCol)} = ${c}::${oldType} WHERE ${q.ident(oldCol)} IS DISTINCT FROM ${c}::${oldType}`,
      ...checkRenames.flatMap((r) => [
        sql.alterTable(q, table, `RENAME CONSTRAINT ${q.ident(r.from)} TO ${q.ident(r.to)}`),
        sql.alterTable(
          q,
          table,
          `RENAME CONSTRAINT ${q.ident(sql.names.bounded(r.from, '__old'))} TO ${q.ident(r.from)}`,
        ),
      ]),
      ...renames.flatMap((r) => [
        `ALTER INDEX ${q.ident(schema)}.${q.ident(r.from)} RENAME TO ${q.ident(r.to)}`,
        `ALTER INDEX ${q.ident(schema)}.${q.ident(sql.names.bounded(r.from, '__old'))} RENAME TO ${q.ident(r.from)}`,
      ]),
      sql.alterTable(q, table, `RENAME COLUMN ${c} TO ${q.ident(newCol)}`),
      sql.alterTable(q, table, `RENAME COLUMN ${q.ident(oldCol)} TO ${c}`),
      ...(current.default
        ? [
            sql.alterTable(q, table, `ALTER COLUMN ${q.ident(newCol)} DROP DEFAULT`),
            sql.alterTable(q, table, `ALTER COLUMN ${c} SET DEFAULT ${current.default}`),
          ]
        : []),
      ...(current.nullable ? [] : [sql.alterTable(q, table, `ALTER COLUMN ${c} SET NOT NULL`)]),
      // The sync trigger again, as it was before the swap.
      ...syncTrigger,
    ],
    // Writes made after the swap exist only in the new column, and may not fit the old type.
    reversible: false,
  });
  steps.push({
    phase: 'contract',
    description: `Drop ${oldCol} once no service needs the old type.`,
    sql: [
      deliberate(
        'drop-column',
        'contract step: nothing reads the old column after the swap',
        sql.alterTable(q, table, `DROP COLUMN ${q.ident(oldCol)}`),
      ),
    ],
    transactional: true,
    // The old column again, filled from the new one, with its indexes and checks as the swap
    // left them (under their __old names).
    rollback: [
      sql.alterTable(q, table, `ADD COLUMN ${q.ident(oldCol)} ${oldType}${collate(q, current.collation)}`),
      `UPDATE ${q.table(table)} SET ${q.ident(oldCol)} = ${c}::${oldType}`,
      ...renames.flatMap((r) => r.old),
      ...checks.map((check) =>
        sql.alterTable(
          q,
          table,
          `ADD CONSTRAINT ${q.ident(sql.names.bounded(check.name, '__old'))} ${check.old}`,
        ),
      ),
    ],
    reversible: false,
  });
  return { steps };
}

alterTypeRecipe.dialects = ['postgres'];

/** `index` rebuilt with `column` replaced by `target`, named `name`; null when it cannot be. */
function indexOn(
  ctx: RecipeContext,
  index: Index,
  column: string,
  target: string,
  name: string,
  concurrently: boolean,
): { name: string; sql: string } | null {
  const { q, sql } = ctx;
  if (index.predicate !== null || index.method !== 'btree') return null;
  const table = ctx.change.kind === 'alter column type' ? ctx.change.table : '';
  const columns: string[] = [];
  for (const c of index.columns) {
    if (c === column) columns.push(q.ident(target));
    else if (/^[a-z_][a-z0-9_]*$/.test(c)) columns.push(q.ident(c));
    else return null;
  }
  return {
    name,
    sql: sql.indexes.create(q, {
      table,
      name,
      columns,
      unique: index.unique,
      concurrently,
      include: index.include,
    }),
  };
}
