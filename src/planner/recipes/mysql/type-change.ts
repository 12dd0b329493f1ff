/**
 * A column type change that would copy a large MySQL/MariaDB table (int → bigint, a charset
 * change), done as expand/contract when no online schema change tool is configured:
 *   expand   add <col>__new with the new type, nullable, no default, right after <col>; two
 *            triggers copy every write of <col> into it
 *   backfill copy old rows in batches
 *   expand   each index of <col> built again on <col>__new (in place), named <index>__new
 *   expand   <col> made nullable (in place), so that new code need not write it after the swap
 *   validate the swap, under LOCK TABLES … WRITE for the few statements it takes (no write may
 *            land between dropping the triggers and the renames): <col> → <col>__old,
 *            <col>__new → <col>, indexes likewise, all metadata only
 *   validate the new column gets the definition as written (NOT NULL, default) in place
 *   contract drop <col>__old and its indexes
 * The swap and the drop are points of no return: writes after the swap reach only the new
 * column, and may not fit the old type (their rollbacks copy them back, and fail if one does not).
 * Not planned: columns in the primary key or a foreign key, AUTO_INCREMENT, generated or
 * ON UPDATE columns, columns moved (FIRST/AFTER), FULLTEXT/SPATIAL or expression indexes.
 */
import type { ColumnClause } from '../../../core/dialect/safe-sql.js';
import type { Column, Table } from '../../../core/snapshot.js';
import { deliberate } from '../../sql.js';
import type { RecipeContext, RecipeResult, StepDraft } from '../../types.js';
import { backfillStep, columnPin, distinct, IN_PLACE, notNullChecked, onlineSql } from './common.js';
import { indexesOf, unplannable } from './rename.js';

export function typeChangeSteps(
  ctx: RecipeContext,
  table: string,
  t: Table,
  old: Column,
  clause: ColumnClause,
): RecipeResult | null {
  const { q, sql } = ctx;
  const online = onlineSql(ctx);
  if (clause.position !== null || unplannable(ctx, table, t, old) !== null) return null;
  const col = old.name;
  const newCol = sql.names.bounded(col, '__new');
  const oldCol = sql.names.bounded(col, '__old');
  const found = indexesOf(t, col);
  // FULLTEXT and SPATIAL indexes cannot be built without blocking writes.
  if (found.some((i) => i.method === 'fulltext' || i.method === 'spatial')) return null;
  const indexes = found.map((index) => {
    const name = sql.names.bounded(index.name, '__new');
    const retired = sql.names.bounded(index.name, '__old');
    return {
      index,
      name,
      retired,
      add: online.addIndex(q, index, { name, rename: { from: col, to: newCol } }),
      again: online.addIndex(q, index, { name: retired, rename: { from: col, to: oldCol } }),
    };
  });
  if (indexes.some((i) => i.add === null || i.again === null)) return null;

  const [c, n, o] = [q.ident(col), q.ident(newCol), q.ident(oldCol)];
  const written = clause.definition;
  const newLoose = online.editDefinition(written, { dropDefault: true, nullable: true });
  const oldFull = online.columnDefinition(q, old);
  const oldLoose = online.editDefinition(oldFull, { nullable: true });
  const trigger = sql.triggers.sync(q, {
    table,
    name: sql.names.helper(table, col, 'sync'),
    body: [],
    major: ctx.major,
    perEvent: { insert: [`NEW.${n} = NEW.${c}`], update: [`NEW.${n} = NEW.${c}`] },
  });
  const hold = online.holdWrites(q, table);
  // Each rename with the definition the column has (old servers rename with CHANGE, which restates it).
  const renames = (pairs: [string, string, string][], indexPairs: [string, string][]) =>
    online.alter(
      q,
      table,
      [
        ...pairs.map(([from, to, definition]) => online.renameColumn(q, from, to, definition, ctx.major)),
        ...indexPairs.map(([from, to]) => `RENAME INDEX ${q.ident(from)} TO ${q.ident(to)}`),
      ],
      IN_PLACE,
    );
  const steps: StepDraft[] = [
    {
      phase: 'expand',
      description: `Add ${newCol} ${newLoose} after ${col}; two triggers copy every write of ${col} into it.`,
      sql: [
        online.alter(q, table, [`ADD COLUMN ${n} ${newLoose} AFTER ${c}`], columnPin(ctx, 'addColumn')),
        ...trigger.create,
      ],
      transactional: false,
      rollback: [...trigger.dropIfExists, online.alter(q, table, [`DROP COLUMN ${n}`], null)],
    },
    backfillStep(
      ctx,
      table,
      [{ column: newCol, expression: c }],
      `${n} IS NULL AND ${c} IS NOT NULL`,
      `Copy ${col} into ${newCol} for existing rows.`,
    ),
    ...indexes.map((i): StepDraft => ({
      phase: 'expand',
      description: `Build ${i.name} on ${newCol}, to replace ${i.index.name}: in place, reads and writes go on.`,
      sql: [online.alter(q, table, [i.add ?? ''], IN_PLACE)],
      transactional: false,
      rollback: [online.alter(q, table, [`DROP INDEX ${q.ident(i.name)}`], null)],
      long: true,
    })),
  ];
  if (!old.nullable)
    steps.push({
      phase: 'expand',
      description: `Let ${col} take NULL (in place, writes go on): after the swap new code no longer writes it.`,
      sql: [online.alter(q, table, [`MODIFY ${c} ${oldLoose}`], IN_PLACE)],
      transactional: false,
      rollback: [online.alter(q, table, [`MODIFY ${c} ${oldFull}`], null)],
      long: true,
    });
  const forward: [string, string, string][] = [
    [col, oldCol, oldLoose],
    [newCol, col, newLoose],
  ];
  const indexForward = indexes.flatMap((i): [string, string][] => [
    [i.index.name, i.retired],
    [i.name, i.index.name],
  ]);
  steps.push({
    phase: 'validate',
    description: `Swap the columns: ${col} is now ${written}; the old values stay in ${oldCol}. Writes wait for the few statements of the swap (LOCK TABLES … WRITE), which touch no row.`,
    sql: [
      hold.lock,
      ...trigger.dropIfExists,
      deliberate(
        'rename-column',
        'expand/contract swap; both columns were kept in step',
        renames(forward, indexForward),
      ),
      hold.unlock,
    ],
    transactional: false,
    rollback: [
      hold.lock,
      // Writes made since the swap reached only the new column: copy them back first.
      `UPDATE ${q.table(table)} SET ${o} = ${c} WHERE ${distinct(o, c)}`,
      renames(
        [
          [col, newCol, newLoose],
          [oldCol, col, oldLoose],
        ],
        indexes.flatMap((i): [string, string][] => [
          [i.index.name, i.name],
          [i.retired, i.index.name],
        ]),
      ),
      ...trigger.create,
      hold.unlock,
    ],
    reversible: false,
  });
  if (written !== newLoose)
    steps.push({
      phase: 'validate',
      description: `Give ${col} its definition as written (${written}): in place, reads and writes go on.`,
      sql: [
        ctx.clause.changes.some((x) => x.kind === 'set not null')
          ? notNullChecked(online.alter(q, table, [`MODIFY ${c} ${written}`], IN_PLACE))
          : online.alter(q, table, [`MODIFY ${c} ${written}`], IN_PLACE),
      ],
      transactional: false,
      rollback: [online.alter(q, table, [`MODIFY ${c} ${newLoose}`], null)],
      preChecks: ctx.clause.changes.some((x) => x.kind === 'set not null')
        ? [sql.checks.noNulls(q, table, col)]
        : [],
      long: true,
    });
  steps.push({
    phase: 'contract',
    description: `Drop ${oldCol} once no service needs the old type.`,
    sql: [
      deliberate(
        'drop-column',
        'contract step: nothing reads the old column after the swap',
        online.alter(
          q,
          table,
          [...indexes.map((i) => `DROP INDEX ${q.ident(i.retired)}`), `DROP COLUMN ${o}`],
          IN_PLACE,
        ),
      ),
    ],
    transactional: false,
    rollback: [
      online.alter(q, table, [`ADD COLUMN ${o} ${oldLoose} ${online.positionOf(q, t, col)}`], null),
      `UPDATE ${q.table(table)} SET ${o} = ${c}`,
      ...indexes.map((i) => online.alter(q, table, [i.again ?? ''], null)),
    ],
    reversible: false,
  });
  return { steps };
}
