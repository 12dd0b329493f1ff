/**
 * SQL building blocks of plan steps: checks, batched backfills, sync triggers. Every name goes
 * through the dialect's Quoter; every literal through `q.literal`.
 */
import type { BackfillSpec, PlanCheck } from '../core/plan.js';
import type { Quoter } from '../core/rule.js';
import type { Table } from '../core/snapshot.js';
import { postgresDefaultName } from '../schema/names.js';
// DO blocks are PostgreSQL's own syntax, as is everything else written here.
import { dollarQuote } from '../dialects/postgres/quote.js';

export function alter(q: Quoter, table: string, action: string): string {
  return `ALTER TABLE ${q.table(table)} ${action}`;
}

/** `schema.name` of an object in the table's schema, as a literal for to_regclass(). */
export function regclassLiteral(q: Quoter, table: string, name: string): string {
  const schema = table.slice(0, table.indexOf('.'));
  return q.literal(`${q.ident(schema)}.${q.ident(name)}`);
}

export function noNulls(q: Quoter, table: string, column: string): PlanCheck {
  return {
    description: `no NULL left in ${table}.${column}`,
    sql: `SELECT NOT EXISTS (SELECT 1 FROM ${q.table(table)} WHERE ${q.ident(column)} IS NULL)`,
  };
}

export function indexIsValid(q: Quoter, table: string, index: string): PlanCheck {
  return {
    description: `index ${index} exists and is valid`,
    sql: `SELECT coalesce((SELECT indisvalid FROM pg_catalog.pg_index WHERE indexrelid = to_regclass(${regclassLiteral(q, table, index)})), false)`,
  };
}

export function noInvalidIndex(q: Quoter, table: string, index: string): PlanCheck {
  return {
    description: `no INVALID index ${index} left by an earlier failed build`,
    sql: `SELECT NOT EXISTS (SELECT 1 FROM pg_catalog.pg_index WHERE indexrelid = to_regclass(${regclassLiteral(q, table, index)}) AND NOT indisvalid)`,
  };
}

/**
 * The name the server gives a constraint or sequence the user left unnamed
 * (`<table>_<columns>_<label>`, cut as the server cuts it): the plan names it explicitly and
 * must end in the schema the statement as written would. Our own helpers use `objectName`.
 */
export function serverName(table: string, columns: readonly string[], label: string): string {
  const bare = table.slice(table.indexOf('.') + 1);
  return postgresDefaultName(bare, columns.length > 0 ? columns.join('_') : null, label);
}

/** Key for batching: the primary key when there is one (keyset pagination), else none (ctid batches). */
export function batchKey(table: Table | undefined): { columns: string[]; type: string | null } {
  const pk = table?.primaryKey?.columns ?? [];
  if (pk.length !== 1) return { columns: pk, type: null };
  const type = table?.columns.find((c) => c.name === pk[0])?.type ?? null;
  return { columns: pk, type };
}

export function backfillSpec(
  table: string,
  keyColumns: string[],
  set: { column: string; expression: string }[],
  remaining: string,
  options: { batchSize: number; pauseMs: number },
): BackfillSpec {
  return { table, keyColumns, set, remaining, batchSize: options.batchSize, pauseMs: options.pauseMs };
}

/**
 * A backfill as one runnable statement: a DO block that updates `batchSize` rows at a time in
 * key order, commits after each batch (PostgreSQL 11+ allows COMMIT in DO outside a
 * transaction block) and pauses between batches. Rows still to do are found with `remaining`,
 * so a rerun after a crash continues where it stopped. Without a single-column key it batches
 * by ctid instead.
 */
export function backfillDoBlock(
  q: Quoter,
  spec: BackfillSpec,
  keyType: string | null,
  major: number,
): string {
  const t = q.table(spec.table);
  const set = spec.set.map((s) => `${q.ident(s.column)} = ${s.expression}`).join(', ');
  const pause = (spec.pauseMs / 1000).toFixed(3);
  const commit = major >= 11 ? '\n    COMMIT;' : '';
  const [key] = spec.keyColumns;
  if (spec.keyColumns.length === 1 && key !== undefined && keyType) {
    const k = q.ident(key);
    return doBlock([
      'DECLARE',
      `  last_key ${keyType};`,
      '  n bigint;',
      'BEGIN',
      '  LOOP',
      `    WITH batch AS (SELECT ${k} FROM ${t} WHERE (last_key IS NULL OR ${k} > last_key) AND (${spec.remaining}) ORDER BY ${k} LIMIT ${spec.batchSize}),`,
      `         done AS (UPDATE ${t} AS target SET ${set} FROM batch WHERE target.${k} = batch.${k} RETURNING target.${k})`,
      `    SELECT count(*), max(${k}) INTO n, last_key FROM done;`,
      `    EXIT WHEN n = 0;${commit}`,
      `    PERFORM pg_sleep(${pause});`,
      '  END LOOP;',
      'END ',
    ]);
  }
  return doBlock([
    'DECLARE',
    '  n bigint;',
    'BEGIN',
    '  LOOP',
    `    UPDATE ${t} SET ${set} WHERE ctid = ANY (ARRAY(SELECT ctid FROM ${t} WHERE ${spec.remaining} LIMIT ${spec.batchSize}));`,
    '    GET DIAGNOSTICS n = ROW_COUNT;',
    `    EXIT WHEN n = 0;${commit}`,
    `    PERFORM pg_sleep(${pause});`,
    '  END LOOP;',
    'END ',
  ]);
}

/** `DO $tag$ … $tag$`, the tag chosen so that no name or literal in the body can close it. */
function doBlock(lines: readonly string[]): string {
  return `DO ${dollarQuote(`\n${lines.join('\n')}`)}`;
}

/**
 * Prefix a statement with an ignore directive: plan steps that are breaking on purpose (the
 * contract phase, the swap of an expand/contract) say so, with the reason, so the engine's
 * self-check of the plan stays clean and a reviewer reads why.
 */
export function deliberate(rule: string, reason: string, sql: string): string {
  // The reason may quote a name, and a name may hold a line break that would end the comment.
  return `-- schemapilot-ignore ${rule}: ${reason.replace(/[\r\n]+/g, ' ')}\n${sql}`;
}
