/**
 * What the MySQL/MariaDB recipes share: the online DDL building blocks, whether a table counts
 * as large, what the facts say the whole clause does, and the clause's rollback. Every recipe
 * plans one ALTER clause whole (a MODIFY lowers to several Changes: ctx.clause).
 */
import type { ChangeFacts, OnlineAlgorithm } from '../../../core/analysis.js';
import type { Change } from '../../../core/change.js';
import type { DdlPin, OnlineDdlSql } from '../../../core/dialect/safe-sql.js';
import type { BackfillSpec } from '../../../core/plan.js';
import type { Table } from '../../../core/snapshot.js';
import { backfillSpec, deliberate } from '../../sql.js';
import type { RecipeContext, StepDraft } from '../../types.js';

export function onlineSql(ctx: RecipeContext): OnlineDdlSql {
  const online = ctx.sql.online;
  if (!online) throw new Error("the MySQL recipes need the dialect's online DDL building blocks");
  return online;
}

/** Rows of a table, the snapshot's estimate; null when the table is unknown (no schema). */
export function rowsOf(table: Table | undefined): number | null {
  if (!table) return null;
  return table.stats.rowEstimate ?? Math.round(table.stats.tableBytes / 100);
}

/** Large: at least `largeTableRows` rows, or unknown (no schema: every table is assumed large). */
export function isLarge(ctx: RecipeContext, table: string): boolean {
  const rows = rowsOf(ctx.table(table));
  return rows === null || rows >= ctx.config.largeTableRows;
}

/** The table may hold rows (unknown counts as yes). */
export function hasRows(table: Table | undefined): boolean {
  return table === undefined || (table.stats.rowEstimate ?? 1) > 0 || table.stats.tableBytes > 16_384;
}

const ORDER: readonly OnlineAlgorithm[] = ['INSTANT', 'NOCOPY', 'INPLACE', 'COPY'];

/**
 * What the clause does on the server, from its Changes' measured facts: the slowest algorithm
 * and whether any blocks writes or reads. Undefined when a DDL Change of it has no measured
 * facts (`online` absent): then it may copy.
 */
export function clauseOnline(
  facts: readonly ChangeFacts[],
): { algorithm: OnlineAlgorithm; blocksWrites: boolean; blocksReads: boolean } | undefined {
  const ddl = facts.filter((f) => f.locks.length > 0 || f.online);
  if (ddl.length === 0 || ddl.some((f) => !f.online)) return undefined;
  let algorithm: OnlineAlgorithm = 'INSTANT';
  let blocksWrites = false;
  let blocksReads = false;
  for (const f of ddl) {
    if (!f.online) continue;
    if (ORDER.indexOf(f.online.algorithm) > ORDER.indexOf(algorithm)) algorithm = f.online.algorithm;
    blocksWrites ||= f.online.blocksWrites;
    blocksReads ||= f.online.blocksReads;
  }
  return { algorithm, blocksWrites, blocksReads };
}

/** INSTANT where the server version has it for this kind of column change, else in place without a lock. */
export function columnPin(ctx: RecipeContext, kind: 'addColumn' | 'dropColumn' | 'renameColumn'): DdlPin {
  return onlineSql(ctx).instant(ctx.major)[kind]
    ? { algorithm: 'INSTANT', lock: null }
    : { algorithm: 'INPLACE', lock: 'NONE' };
}

export const IN_PLACE: DdlPin = { algorithm: 'INPLACE', lock: 'NONE' };

/** A default as ALTER … SET DEFAULT takes it: expressions in parentheses (MySQL 8.0.13+, MariaDB 10.2+). */
export function defaultExpression(expr: { sql: string; constant: boolean }): string {
  return expr.constant || /^\(.*\)$/s.test(expr.sql) ? expr.sql : `(${expr.sql})`;
}

/** A backfill step: one pass as SQL; the runner (or the written file) repeats the batch. */
export function backfillStep(
  ctx: RecipeContext,
  table: string,
  set: { column: string; expression: string }[],
  remaining: string,
  description: string,
): StepDraft {
  const t = ctx.table(table);
  const key = ctx.sql.batches.key(t);
  const spec: BackfillSpec = {
    ...backfillSpec(table, key.primaryKey, set, remaining, {
      batchSize: ctx.options.batchSize,
      pauseMs: ctx.options.batchPauseMs,
    }),
    estimatedRows: rowsOf(t) ?? ctx.config.largeTableRows,
  };
  return {
    phase: 'backfill',
    description: `${description} In batches of ${ctx.options.batchSize} rows along ${key.primaryKey.length === 1 ? `the primary key ${key.primaryKey[0]}` : 'the rows still to do (no single-column primary key)'}, each batch its own transaction.`,
    sql: onlineSql(ctx).backfill(ctx.q, spec),
    transactional: false,
    rollback: [],
    backfill: spec,
    long: true,
  };
}

/** The Changes' rollback, last first: SQL that puts the table back as it was before the clause. */
export function clauseRollback(ctx: RecipeContext, table: string): { sql: string[]; reversible: boolean } {
  const { changes } = ctx.clause;
  const online = onlineSql(ctx);
  const t = ctx.table(table);
  // MODIFY and CHANGE restate the whole column: the old definition (and name, and place) comes back at once.
  const retyped = changes.find(
    (c): c is Extract<Change, { kind: 'alter column type' }> => c.kind === 'alter column type',
  );
  if (retyped) {
    const renamed = changes.find((c) => c.kind === 'rename column');
    const oldName = renamed && renamed.kind === 'rename column' ? renamed.column : retyped.column;
    const old = t?.columns.find((c) => c.name === oldName);
    if (!t || !old) return { sql: [], reversible: false };
    return {
      sql: [online.alter(ctx.q, table, [online.restoreColumn(ctx.q, t, retyped.column, old)], null)],
      reversible: true,
    };
  }
  const inverses = changes.map(
    (c) => ctx.dialect.inverse?.(c, (name) => ctx.table(name)) ?? { sql: [], reversible: false },
  );
  return {
    sql: [...inverses].reverse().flatMap((i) => i.sql),
    reversible: inverses.every((i) => i.reversible),
  };
}

/**
 * `a IS DISTINCT FROM b` in words every MySQL version and the plan's own parser read (MySQL's
 * `NOT (a <=> b)` is not one node-sql-parser knows): true when exactly one is NULL or both
 * differ, NULL (not true) when both are NULL.
 */
export function distinct(a: string, b: string): string {
  return `(${a} <> ${b} OR (${a} IS NULL) <> (${b} IS NULL))`;
}

/**
 * A MODIFY … NOT NULL the plan makes safe: the NULLs were filled by an earlier step and the
 * step's pre-check waits for none left, which the rule judging the statement alone cannot see.
 */
export function notNullChecked(sql: string): string {
  return deliberate(
    'mysql-not-null-with-nulls',
    "the step's pre-check waits for no NULL left, filled by the backfill before it",
    sql,
  );
}
