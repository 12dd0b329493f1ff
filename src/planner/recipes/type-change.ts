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
import { dollarQuote } from '../../dialects/postgres/quote.js';
import { boundedName, helperName } from '../../schema/names.js';
import { replaceColumnRefs } from '../column-refs.js';
import { collate } from '../restore.js';
import { alter, backfillDoBlock, backfillSpec, batchKey, deliberate } from '../sql.js';
import { notNullSteps } from './not-null.js';

export function alterTypeRecipe(ctx: RecipeContext): RecipeResult | null {
  const { change, q, options } = ctx;
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
  const newCol = boundedName(column, '__new');
  const oldCol = boundedName(column, '__old');
  const fn = `${q.ident(schema)}.${q.ident(helperName(table, column, 'sync'))}`;
  const trigger = q.ident(helperName(table, column, 'sync'));
  const type = change.type.sql;
  const c = q.ident(column);
  const oldType = current.type;
  const syncTrigger = [
    `CREATE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS ${dollarQuote(`\nBEGIN\n  NEW.${q.ident(newCol)} := NEW.${c}::${type};\n  RETURN NEW;\nEND\n`, 'fn')}`,
    `CREATE TRIGGER ${trigger} BEFORE INSERT OR UPDATE ON ${q.table(table)} FOR EACH ROW EXECUTE ${ctx.major >= 11 ? 'FUNCTION' : 'PROCEDURE'} ${fn}()`,
  ];
  const steps: StepDraft[] = [];
  steps.push({
    phase: 'expand',
    description: `Add ${newCol} ${type} and a trigger that copies every write of ${column} into it.`,
    sql: [alter(q, table, `ADD COLUMN ${q.ident(newCol)} ${type}`), ...syncTrigger],
    transactional: true,
    rollback: [
      `DROP TRIGGER IF EXISTS ${trigger} ON ${q.table(table)}`,
      `DROP FUNCTION IF EXISTS ${fn}()`,
      alter(q, table, `DROP COLUMN IF EXISTS ${q.ident(newCol)}`),
    ],
  });
  const key = batchKey(t);
  const spec = backfillSpec(
    table,
    key.columns,
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
    sql: [backfillDoBlock(q, spec, key.type, ctx.major)],
    transactional: false,
    rollback: [],
    backfill: spec,
    long: true,
  });
  const indexes = t.indexes.filter((i) => i.columns.includes(column) && !i.constraint);
  const renames: { from: string; to: string; old: string[] }[] = [];
  for (const index of indexes) {
    const plan = indexOn(ctx, index, column, newCol, boundedName(index.name, '__new'), true);
    if (!plan) return refuse(`index ${index.name} uses ${column} in an expression or predicate`);
    // The same index on the old column, for the contract step's rollback.
    const old = indexOn(ctx, index, column, oldCol, boundedName(index.name, '__old'), false);
    renames.push({ from: index.name, to: plan.name, old: old ? [old.sql] : [] });
    steps.push({
      phase: 'expand',
      description: `Build ${plan.name} on ${newCol} CONCURRENTLY, to replace ${index.name}.`,
      sql: [plan.sql],
      transactional: false,
      rollback: [`DROP INDEX CONCURRENTLY IF EXISTS ${q.ident(schema)}.${q.ident(plan.name)}`],
      long: true,
    });
  }
  if (!current.nullable) steps.push(...notNullSteps(q, table, newCol, ctx.major));
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
    const name = boundedName(check.name, '__new');
    checkRenames.push({ from: check.name, to: name });
    steps.push(
      {
        phase: 'expand',
        description: `Add ${check.name}'s check on ${newCol}, NOT VALID.`,
        sql: [alter(q, table, `ADD CONSTRAINT ${q.ident(name)} ${check.body} NOT VALID`)],
        transactional: true,
        rollback: [alter(q, table, `DROP CONSTRAINT IF EXISTS ${q.ident(name)}`)],
      },
      {
        phase: 'validate',
        description: `Validate it without blocking traffic.`,
        sql: [alter(q, table, `VALIDATE CONSTRAINT ${q.ident(name)}`)],
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
      alter(q, table, `RENAME COLUMN ${c} TO ${q.ident(oldCol)}`),
    ),
    deliberate(
      'rename-column',
      'expand/contract swap; both columns were kept in sync',
      alter(q, table, `RENAME COLUMN ${q.ident(newCol)} TO ${c}`),
    ),
    ...(current.default
      ? [
          alter(q, table, `ALTER COLUMN ${q.ident(oldCol)} DROP DEFAULT`),
          alter(q, table, `ALTER COLUMN ${c} SET DEFAULT ${current.default}`),
        ]
      : []),
    ...(current.nullable ? [] : [alter(q, table, `ALTER COLUMN ${q.ident(oldCol)} DROP NOT NULL`)]),
    `DROP TRIGGER ${trigger} ON ${q.table(table)}`,
    `DROP FUNCTION ${fn}()`,
    ...renames.flatMap((r) => [
      `ALTER INDEX ${q.ident(schema)}.${q.ident(r.from)} RENAME TO ${q.ident(boundedName(r.from, '__old'))}`,
      `ALTER INDEX ${q.ident(schema)}.${q.ident(r.to)} RENAME TO ${q.ident(r.from)}`,
    ]),
    ...checkRenames.flatMap((r) => [
      alter(q, table, `RENAME CONSTRAINT ${q.ident(r.from)} TO ${q.ident(boundedName(r.from, '__old'))}`),
      alter(q, table, `RENAME CONSTRAINT ${q.ident(r.to)} TO ${q.ident(r.from)}`),
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
        alter(q, table, `RENAME CONSTRAINT ${q.ident(r.from)} TO ${q.ident(r.to)}`),
        alter(q, table, `RENAME CONSTRAINT ${q.ident(boundedName(r.from, '__old'))} TO ${q.ident(r.from)}`),
      ]),
      ...renames.flatMap((r) => [
        `ALTER INDEX ${q.ident(schema)}.${q.ident(r.from)} RENAME TO ${q.ident(r.to)}`,
        `ALTER INDEX ${q.ident(schema)}.${q.ident(boundedName(r.from, '__old'))} RENAME TO ${q.ident(r.from)}`,
      ]),
      alter(q, table, `RENAME COLUMN ${c} TO ${q.ident(newCol)}`),
      alter(q, table, `RENAME COLUMN ${q.ident(oldCol)} TO ${c}`),
      ...(current.default
        ? [
            alter(q, table, `ALTER COLUMN ${q.ident(newCol)} DROP DEFAULT`),
            alter(q, table, `ALTER COLUMN ${c} SET DEFAULT ${current.default}`),
          ]
        : []),
      ...(current.nullable ? [] : [alter(q, table, `ALTER COLUMN ${c} SET NOT NULL`)]),
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
        alter(q, table, `DROP COLUMN ${q.ident(oldCol)}`),
      ),
    ],
    transactional: true,
    // The old column again, filled from the new one, with its indexes and checks as the swap
    // left them (under their __old names).
    rollback: [
      alter(q, table, `ADD COLUMN ${q.ident(oldCol)} ${oldType}${collate(q, current.collation)}`),
      `UPDATE ${q.table(table)} SET ${q.ident(oldCol)} = ${c}::${oldType}`,
      ...renames.flatMap((r) => r.old),
      ...checks.map((check) =>
        alter(q, table, `ADD CONSTRAINT ${q.ident(boundedName(check.name, '__old'))} ${check.old}`),
      ),
    ],
    reversible: false,
  });
  return { steps };
}

/** `index` rebuilt with `column` replaced by `target`, named `name`; null when it cannot be. */
function indexOn(
  ctx: RecipeContext,
  index: Index,
  column: string,
  target: string,
  name: string,
  concurrently: boolean,
): { name: string; sql: string } | null {
  const { q } = ctx;
  if (index.predicate !== null || index.method !== 'btree') return null;
  const table = ctx.change.kind === 'alter column type' ? ctx.change.table : '';
  const cols = index.columns.map((c) =>
    c === column ? q.ident(target) : /^[a-z_][a-z0-9_]*$/.test(c) ? q.ident(c) : null,
  );
  if (cols.some((c) => c === null)) return null;
  const include = index.include.length > 0 ? ` INCLUDE (${index.include.map(q.ident).join(', ')})` : '';
  return {
    name,
    sql: `CREATE ${index.unique ? 'UNIQUE ' : ''}INDEX${concurrently ? ' CONCURRENTLY' : ''} ${q.ident(name)} ON ${q.table(table)} (${cols.join(', ')})${include}`,
  };
}
