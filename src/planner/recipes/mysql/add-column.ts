/**
 * ADD COLUMN with a default computed per row (`DEFAULT (uuid())`) on a large MySQL/MariaDB
 * table. Written as one statement, the server must fill every existing row with its own value:
 * only ALGORITHM=COPY can (measured on MariaDB 10.11: ALGORITHM=INPLACE is refused with
 * "Try ALGORITHM=COPY"), and the copy blocks writes for as long as it runs. Done as
 * expand/contract instead, nothing blocks writes:
 *   expand    ADD COLUMN as written, but nullable and without the default: instant
 *   expand    ALTER COLUMN … SET DEFAULT (the expression): instant; new rows get their value
 *   backfill  existing rows get theirs, in batches (UPDATE … SET token = uuid())
 *   validate  NOT NULL, if written: MODIFY as written, in place (writes go on)
 * The schema ends as the statement as written would leave it.
 * https://mariadb.com/kb/en/instant-add-column-for-innodb/ (a non-constant default cannot be instant)
 * https://dev.mysql.com/doc/refman/8.0/en/innodb-online-ddl-operations.html#online-ddl-column-operations
 */
import type { RecipeContext, RecipeResult, StepDraft } from '../../types.js';
import {
  backfillStep,
  clauseOnline,
  columnPin,
  defaultExpression,
  hasRows,
  IN_PLACE,
  isLarge,
  notNullChecked,
  onlineSql,
} from './common.js';

export function addColumnExpand(ctx: RecipeContext, table: string, action: number): RecipeResult | null {
  const { change, q, sql } = ctx;
  if (change.kind !== 'add column' || ctx.clause.changes.length !== 1) return null;
  const { column } = change;
  const value = column.default;
  if (!value || value.constant) return null;
  const t = ctx.table(table);
  const measured = clauseOnline(ctx.clause.facts);
  const copies = measured ? measured.algorithm === 'COPY' || measured.blocksWrites : true;
  if (!copies || !isLarge(ctx, table) || !hasRows(t)) return null;
  // What else the column brings (a key, a reference, a check) is left to the one-step plan.
  if (column.primaryKey || column.unique || column.references || column.checks.length > 0 || column.generated)
    return null;
  const online = onlineSql(ctx);
  const clause = online.columnClause(ctx.statementAst, action);
  if (!clause) return null;
  const c = q.ident(column.name);
  const bare = online.editDefinition(clause.definition, { dropDefault: true, nullable: true });
  const expression = defaultExpression(value);
  const steps: StepDraft[] = [
    {
      phase: 'expand',
      description: `Add ${column.name} as written but nullable and without its default: ${columnPin(ctx, 'addColumn').algorithm === 'INSTANT' ? 'instant' : 'in place'}, no row is copied.`,
      sql: [
        online.alter(
          q,
          table,
          [`ADD COLUMN ${c} ${bare}${clause.position ? ` ${clause.position}` : ''}`],
          columnPin(ctx, 'addColumn'),
        ),
      ],
      transactional: false,
      rollback: [online.alter(q, table, [`DROP COLUMN ${c}`], null)],
    },
    {
      phase: 'expand',
      description: `Give new rows their ${column.name} from ${value.sql}: the default is metadata only (ALGORITHM=INSTANT).`,
      sql: [
        online.alter(q, table, [`ALTER COLUMN ${c} SET DEFAULT ${expression}`], {
          algorithm: 'INSTANT',
          lock: null,
        }),
      ],
      transactional: false,
      rollback: [online.alter(q, table, [`ALTER COLUMN ${c} DROP DEFAULT`], null)],
    },
    backfillStep(
      ctx,
      table,
      [{ column: column.name, expression: value.sql }],
      `${c} IS NULL`,
      `Give existing rows their ${column.name} (${value.sql}, evaluated per row) while writes go on.`,
    ),
  ];
  if (column.notNull)
    steps.push({
      phase: 'validate',
      description: `Make ${column.name} NOT NULL as written: in place, reads and writes go on.`,
      sql: [notNullChecked(online.alter(q, table, [`MODIFY ${c} ${clause.definition}`], IN_PLACE))],
      transactional: false,
      rollback: [
        online.alter(
          q,
          table,
          [`MODIFY ${c} ${online.editDefinition(clause.definition, { nullable: true })}`],
          null,
        ),
      ],
      preChecks: [sql.checks.noNulls(q, table, column.name)],
      long: true,
    });
  return { steps };
}
