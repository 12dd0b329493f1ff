/**
 * Every ALTER clause (and CREATE/DROP INDEX) on an existing MySQL/MariaDB table becomes a step of
 * its own with ALGORITHM= and LOCK= written out, the strongest the facts allow, so that the server
 * refuses (error 1845/1846, nothing done) instead of silently copying the table while writes wait:
 * - INSTANT where the change is instant; in place with LOCK=NONE where it runs online;
 * - unmeasured: ALGORITHM=INPLACE, LOCK=NONE (src/dialects/mysql/safe-sql/online.ts says why);
 * - what only a copy can do: on a small table, ALGORITHM=COPY, LOCK=SHARED said out loud; on a
 *   large one, an expand/contract recipe where one fits (rename.ts, type-change.ts, add-column.ts,
 *   not-null.ts), else a step run by the online schema change tool the config names.
 * Each step is its own unit: MySQL DDL commits as it goes and cannot be rolled back by the server.
 * https://dev.mysql.com/doc/refman/8.0/en/innodb-online-ddl-operations.html
 * https://mariadb.com/kb/en/innodb-online-ddl-overview/
 */
import type { Change } from '../../../core/change.js';
import { changeTable } from '../../../core/change.js';
import type { DdlPin } from '../../../core/dialect/safe-sql.js';
import { deliberate } from '../../sql.js';
import type { RecipeContext, RecipeResult, StepDraft } from '../../types.js';
import { addColumnExpand } from './add-column.js';
import { clauseOnline, clauseRollback, isLarge, onlineSql, rowsOf } from './common.js';
import { modifyColumn } from './modify.js';
import { renameColumn } from './rename.js';

const CONTRACT = new Set(['drop column', 'drop index', 'drop constraint', 'drop default']);

/** Without measured facts: the changes that copy the table on MySQL and MariaDB (per the manuals). */
function likelyCopies(ctx: RecipeContext, change: Change): boolean {
  const online = onlineSql(ctx);
  switch (change.kind) {
    case 'alter column type': {
      const old = ctx.table(change.table)?.columns.find((c) => c.name === change.column);
      return (
        !old ||
        !online.sameType(old.type, change.type.sql) ||
        (change.collation !== null && change.collation !== old.collation)
      );
    }
    case 'alter table other':
      return change.rewrites;
    case 'add column':
      return change.column.default !== null && !change.column.default.constant;
    case 'add constraint':
      return change.constraint.type === 'primary key' || change.constraint.type === 'foreign key';
    case 'drop constraint':
      return change.name === 'PRIMARY';
    case 'create index':
      return change.index.method === 'fulltext' || change.index.method === 'spatial';
    default:
      return false;
  }
}

export function mysqlActionRecipe(ctx: RecipeContext): RecipeResult | null {
  const { change } = ctx;
  if (change !== ctx.clause.changes[0] || !ctx.sql.online) return null;
  const statement = onlineSql(ctx).statement(ctx.statementAst);
  if (change.kind === 'drop table') {
    const existing = change.tables.filter((t) => !ctx.isNew(t));
    return existing.length > 0 ? dropTable(ctx, existing) : null;
  }
  const table = changeTable(change);
  if (!statement || !table || ctx.isNew(table)) return null;
  if (statement.kind === 'other') return null;
  const action = statement.kind === 'alter table' ? ctx.clause.action : null;
  if (action !== null) {
    const special =
      renameColumn(ctx, table, action) ??
      modifyColumn(ctx, table, action) ??
      addColumnExpand(ctx, table, action);
    if (special) return special;
  }
  return pinnedClause(ctx, table, action);
}

/** The clause as one step with its pin, or the tool's step when only a copy would do on a large table. */
export function pinnedClause(ctx: RecipeContext, table: string, action: number | null): RecipeResult {
  const online = onlineSql(ctx);
  const measured = clauseOnline(ctx.clause.facts);
  const copies = measured
    ? measured.algorithm === 'COPY' || measured.blocksWrites
    : ctx.clause.changes.some((c) => likelyCopies(ctx, c));
  const warnings: string[] = [];
  if (copies && isLarge(ctx, table)) {
    const tool = ctx.config.mysql.onlineSchemaChange;
    const clause = clauseText(ctx, action);
    if (tool !== 'none' && clause !== null) return toolStep(ctx, table, clause, tool);
    warnings.push(
      `${table}: ${describeClause(ctx)} needs a table copy, which blocks writes for as long as it runs on a large table; the plan pins ALGORITHM=COPY, LOCK=SHARED so it is said out loud (set "mysql": { "onlineSchemaChange": "pt-online-schema-change" } to copy online)`,
    );
  }
  const pin: DdlPin = online.pinFor(
    measured ?? (copies ? { algorithm: 'COPY', blocksWrites: true } : undefined),
    ctx.major,
  );
  const rollback = clauseRollback(ctx, table);
  const kinds = ctx.clause.changes.map((c) => c.kind);
  const contract = kinds.every((k) => CONTRACT.has(k));
  const destroys = kinds.includes('drop column');
  let sql = online.pinned(ctx.statementAst, action, pin);
  if (destroys)
    sql = deliberate('drop-column', 'contract step, after every service stopped using the column', sql);
  const step: StepDraft = {
    phase: contract ? 'contract' : 'expand',
    description: `${describeClause(ctx)}: ${pinWords(pin, measured !== undefined)}${destroys ? ' The data is gone: the rollback re-adds an empty column.' : ''}`,
    sql: [sql],
    transactional: false,
    rollback: rollback.sql,
    reversible: rollback.reversible,
    destroysData: destroys,
    long: pin.algorithm !== 'INSTANT',
  };
  return { steps: [step], warnings };
}

function pinWords(pin: DdlPin, measured: boolean): string {
  const lock = pin.lock ? `, LOCK=${pin.lock}` : '';
  const named = `ALGORITHM=${pin.algorithm}${lock}`;
  if (pin.algorithm === 'INSTANT') return `${named}: metadata only, no row is touched.`;
  if (pin.lock === 'NONE')
    return measured
      ? `${named}: reads and writes go on while it works.`
      : `${named}: not measured for this change, so it is pinned in place without a lock: if the server can only copy, it refuses instead of blocking writes.`;
  return `${named}: blocks writes (${pin.lock === 'EXCLUSIVE' ? 'and reads' : 'reads go on'}) while it works; the table is small.`;
}

function describeClause(ctx: RecipeContext): string {
  const kinds = [...new Set(ctx.clause.changes.map((c) => c.kind))].join(', ');
  const table = changeTable(ctx.change);
  return `${kinds[0]?.toUpperCase() ?? ''}${kinds.slice(1)}${table ? ` on ${table}` : ''}`;
}

/** The ALTER TABLE clause a tool would run (`--alter`); null when the statement has none. */
function clauseText(ctx: RecipeContext, action: number | null): string | null {
  const statement = onlineSql(ctx).statement(ctx.statementAst);
  if (statement?.kind === 'alter table' && action !== null) return statement.clauses[action] ?? null;
  const { change, q } = ctx;
  if (change.kind === 'create index' && change.index.name) {
    const kind =
      change.index.method === 'fulltext'
        ? 'FULLTEXT '
        : change.index.method === 'spatial'
          ? 'SPATIAL '
          : change.index.unique
            ? 'UNIQUE '
            : '';
    return `ADD ${kind}INDEX ${q.ident(change.index.name)} (${change.index.columns.join(', ')})`;
  }
  return null;
}

function toolStep(
  ctx: RecipeContext,
  table: string,
  clause: string,
  tool: 'pt-online-schema-change' | 'gh-ost',
): RecipeResult {
  const online = onlineSql(ctx);
  const run = online.tool({
    name: tool,
    table,
    defaultSchema: ctx.config.defaultSchema,
    alter: clause,
    lockWaitSeconds: Math.max(1, Math.ceil(ctx.options.lockTimeoutMs / 1000)),
    rows: rowsOf(ctx.table(table)),
  });
  const rollback = clauseRollback(ctx, table);
  const how =
    tool === 'gh-ost'
      ? 'gh-ost copies it reading the binary log (binlog_format=ROW); deploy does not start gh-ost: run the command it prints'
      : 'pt-online-schema-change copies it in chunks of about half a second, triggers keeping the copy in step';
  return {
    steps: [
      {
        phase: 'expand',
        description: `${describeClause(ctx)} needs a table copy: ${how}, pausing while the server is busy, then swaps the tables with one atomic RENAME TABLE. Writes go on throughout.`,
        sql: [online.alter(ctx.q, table, [clause], null)],
        transactional: false,
        rollback: rollback.sql,
        reversible: rollback.reversible,
        tool: run,
        long: true,
      },
    ],
    warnings:
      rollback.sql.length > 0
        ? [
            `${table}: the rollback of the ${tool} step runs the reverse ALTER directly, which copies the table while writes wait; to undo it online, run ${tool} with --alter "${rollback.sql.map((s) => s.replace(/^ALTER TABLE \S+ /, '')).join(', ')}"`,
          ]
        : [],
  };
}

/** DROP TABLE: a contract step; the data is gone for good. */
function dropTable(ctx: RecipeContext, tables: readonly string[]): RecipeResult {
  const { q, sql } = ctx;
  return {
    steps: [
      {
        phase: 'contract',
        description: `Drop ${tables.join(', ')} once no service uses ${tables.length > 1 ? 'them' : 'it'}. The data is gone: no rollback can restore it.`,
        sql: [
          deliberate(
            'drop-table',
            'contract step, after every service stopped using the table',
            ctx.statementSql,
          ),
        ],
        transactional: false,
        rollback: [],
        reversible: false,
        destroysData: true,
        preChecks: tables.flatMap((t) => [sql.checks.noForeignKeyTo(q, t), sql.checks.noViewUsesTable(q, t)]),
      },
    ],
  };
}
