/**
 * Running plan steps on MySQL/MariaDB. DDL is not transactional there: a step's DDL commits as
 * it goes, so only steps of plain DML (a backfill batch) run in a transaction. Every step first
 * bounds its metadata lock wait (`lock_wait_timeout`, seconds) and, on MariaDB, its run time
 * (`max_statement_time`, seconds; MySQL's max_execution_time only limits SELECT).
 * https://dev.mysql.com/doc/refman/8.0/en/server-system-variables.html#sysvar_lock_wait_timeout
 * https://mariadb.com/kb/en/server-system-variables/#max_statement_time
 */
import type { PlanCheck, PlanStep } from '../../../core/plan.js';
import type { Session, StepRunner } from '../../../core/dialect/driver.js';
import { SchemapilotError } from '../../../core/errors.js';
import { checkedSteps } from '../../../deploy/checked-steps.js';
import { mysqlSession } from '../session.js';
import { runTool, toolCommandLine } from '../osc/run.js';
import { backfillLoop, backfillText } from '../safe-sql/batches.js';
import { mysqlQuoter } from '../quote.js';

/** Statements that change rows, not the schema: they can share a transaction. */
const DML = /^\s*(?:INSERT|UPDATE|DELETE|REPLACE|SELECT|SET\s+@)/i;

/**
 * Names as the plan's own SQL writes them: the table's database left out, so the step runs on
 * the database the session (or the migration tool) is connected to, like every other step.
 */
function quoterFor(table: string) {
  return mysqlQuoter(table.slice(0, table.indexOf('.')));
}

/** Seconds, rounded up: the server takes whole seconds for lock_wait_timeout (at least 1). */
function seconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}

function timeouts(step: Pick<PlanStep, 'lockTimeoutMs' | 'statementTimeoutMs'>, mariadb: boolean): string[] {
  const out = [`SET SESSION lock_wait_timeout = ${seconds(step.lockTimeoutMs)}`];
  if (mariadb && step.statementTimeoutMs > 0)
    out.push(`SET SESSION max_statement_time = ${(step.statementTimeoutMs / 1000).toFixed(3)}`);
  return out;
}

function resets(mariadb: boolean): string[] {
  return mariadb
    ? ['SET SESSION lock_wait_timeout = DEFAULT', 'SET SESSION max_statement_time = DEFAULT']
    : ['SET SESSION lock_wait_timeout = DEFAULT'];
}

async function runAll(session: Session, statements: readonly string[]): Promise<void> {
  const s = mysqlSession(session);
  for (const sql of statements) await s.rows(sql);
}

function isMariadbSession(session: Session): boolean {
  return mysqlSession(session).version.product === 'mariadb';
}

/**
 * A step's own statements as a file holds them: a backfill written out batch by batch; a tool
 * step's ALTER with a comment saying the tool runs it (each statement stays one: a comment
 * alone would be an empty query).
 */
function body(step: PlanStep): string[] {
  if (step.backfill) return backfillText(quoterFor(step.backfill.table), step.backfill);
  const tool = step.tool;
  if (tool)
    return step.sql.map((sql, i) =>
      i === 0 ? `-- ${step.id} is run by ${tool.name}, not as SQL: ${toolCommandLine(tool)}\n${sql}` : sql,
    );
  return step.sql;
}

export const mysqlSteps: StepRunner = {
  // The text form cannot know the server: it writes the portable lock_wait_timeout only. A tool
  // step's text is the ALTER it performs, said to be the tool's (writers refuse such steps).
  text: (step) => [...timeouts(step, false), ...body(step), ...(step.transactional ? [] : resets(false))],
  // Nothing in MySQL refuses a transaction block the way CONCURRENTLY does, but DDL commits
  // it: SQL with DDL is written without one (a BEGIN around it would promise what it cannot).
  outsideTransaction: (sql) => sql.some((s) => !DML.test(s.replace(/^(?:\s*--[^\n]*\n)*/, ''))),
  ddlAutocommits: true,
  async run(session, step, beforeCommit, options = {}) {
    const mariadb = isMariadbSession(session);
    await runAll(session, timeouts(step, mariadb));
    if (step.transactional) {
      await runAll(session, ['START TRANSACTION']);
      try {
        await runAll(session, step.sql);
        await beforeCommit?.();
        await runAll(session, ['COMMIT']);
      } catch (error) {
        await runAll(session, ['ROLLBACK']).catch(() => undefined);
        throw error;
      } finally {
        await runAll(session, resets(mariadb)).catch(() => undefined);
      }
      return;
    }
    // Each DDL statement commits by itself: count them as they go, so a failure or a crash
    // half way says exactly which ran.
    try {
      const from = options.from ?? 0;
      await options.progress?.(from);
      if (step.tool || step.backfill) {
        // One unit each: the tool swaps its copy in at its very end, and a backfill started
        // again picks up the rows still to do.
        if (from < step.sql.length) {
          if (step.tool) await runToolStep(session, step);
          else await runBackfill(session, step);
          await options.progress?.(step.sql.length);
        }
      } else {
        // A step resumed after LOCK TABLES (a type change's swap) takes the lock again first:
        // a new session holds none, and its statements must see no write in between.
        const locks = step.sql[0];
        const unlocked = step.sql.slice(0, from).some((sql) => /^UNLOCK TABLES\b/i.test(sql));
        if (from > 0 && locks !== undefined && /^LOCK TABLES\b/i.test(locks) && !unlocked)
          await runAll(session, [locks]);
        for (let i = from; i < step.sql.length; i++) {
          await runAll(session, [step.sql[i] as string]);
          await options.progress?.(i + 1);
        }
      }
      await beforeCommit?.();
    } finally {
      // A step that failed between LOCK TABLES and UNLOCK TABLES (a type change's swap) must not
      // leave the session holding the table.
      await runAll(session, ['UNLOCK TABLES', ...resets(mariadb)]).catch(() => undefined);
    }
  },
  async undo(session, step, options = {}) {
    const mariadb = isMariadbSession(session);
    const lockTimeoutMs = options.lockTimeoutMs ?? step.lockTimeoutMs;
    await runAll(session, timeouts({ lockTimeoutMs, statementTimeoutMs: step.statementTimeoutMs }, mariadb));
    try {
      await runAll(session, step.rollback);
    } finally {
      await runAll(session, ['UNLOCK TABLES', ...resets(mariadb)]).catch(() => undefined);
    }
  },
  ...checkedSteps(() => mysqlSteps),
  async check(session: Session, check: PlanCheck): Promise<boolean> {
    const rows = await mysqlSession(session).rows<Record<string, unknown>>(check.sql);
    const first = rows[0];
    if (!first) return false;
    const value = Object.values(first)[0];
    return value === true || value === 1 || value === '1' || value === 1n;
  },
};

/**
 * An online schema change step: the tool, connected as the session is (its password handed over
 * in a defaults file). gh-ost is not started here: it wants binlog_format=ROW and a say in
 * replicas that only its operator can give, so the step fails with the command to run.
 */
async function runToolStep(session: Session, step: PlanStep): Promise<void> {
  const tool = step.tool;
  if (!tool) return;
  const s = mysqlSession(session);
  const info = s.connInfo;
  if (tool.name === 'gh-ost' || !info)
    throw new SchemapilotError(
      `${step.id} runs ${tool.name}, which ${tool.name === 'gh-ost' ? 'schemapilot does not start' : 'needs the connection details this session lacks'}: run it yourself (my.cnf holding the user and password), then mark the step done:\n  ${toolCommandLine(tool, info)}`,
      { exitCode: 1 },
    );
  await runTool(tool, info);
}

/**
 * A backfill step: its batch again and again until the last one (MySQL has no loop outside
 * stored programs), pausing between batches, then the guard that nothing is left.
 */
async function runBackfill(session: Session, step: PlanStep): Promise<void> {
  const spec = step.backfill;
  if (!spec) return;
  const s = mysqlSession(session);
  const loop = backfillLoop(quoterFor(spec.table), spec);
  await runAll(session, loop.setup);
  for (;;) {
    let updated = 0;
    for (const sql of loop.batch) {
      // For an UPDATE mysql2 answers with a result header, not rows.
      const result = (await s.rows<unknown>(sql)) as unknown as { affectedRows?: number };
      updated += result.affectedRows ?? 0;
    }
    const done = loop.done
      ? await mysqlSteps.check(session, { description: 'last batch', sql: loop.done })
      : updated === 0;
    if (done) break;
    if (spec.pauseMs > 0) await new Promise((r) => setTimeout(r, spec.pauseMs));
  }
  try {
    await runAll(session, [loop.guard]);
  } catch (error) {
    // ER_SUBQUERY_NO_1_ROW is how the guard fails in plain SQL (no SIGNAL outside stored programs).
    if ((error as { errno?: unknown }).errno !== 1242) throw error;
    throw new SchemapilotError(
      `${step.id}: rows of ${spec.table} still match ${spec.remaining} after the last batch`,
      {
        exitCode: 1,
        cause: error,
      },
    );
  }
}
