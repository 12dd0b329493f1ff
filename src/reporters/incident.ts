/**
 * The incident report of a failed deploy: what failed and why, who held the lock, what the
 * automatic rollback undid, what is still applied, and what to do now, by hand. Everything is
 * derived from the journal's `Incident` and the plan: no LLM, no database, so the report can be
 * written at 3 a.m. from the journal alone.
 *
 * Three renderings of one analysis: Markdown (for the incident ticket or PR), JSON (for tools:
 * `remainingRollbackSql`, `fixByHand`, `prevent`) and a short terminal text.
 *
 * Names, queries and messages are data: in Markdown they are escaped or put in code spans and
 * fences longer than any backtick run inside, and they are capped in size.
 */
import type { Plan, PlanCheck, PlanStep } from '../core/plan.js';
import type { AttemptRecord, Incident, SessionInfo, StepRecord } from '../core/deploy.js';
import { canonicalJson } from '../schema/canonical-json.js';
import type { Painter } from './ansi.js';
import { plainPainter } from './ansi.js';
import { clipLines, codeBlock, codeSpan, escapeInline } from './markdown-text.js';

/** Characters of a query shown in a table cell or a one-line summary. */
const QUERY_CELL_CHARS = 80;
/** Lines and characters of a query or statement shown in a code block. */
const QUERY_BLOCK_LINES = 30;
const QUERY_BLOCK_CHARS = 1000;
const SQL_BLOCK_LINES = 80;
const SQL_BLOCK_CHARS = 4000;
const MESSAGE_CHARS = 500;
/** Rows a "find the violating rows" query returns. */
const VIOLATION_LIMIT = 100;

// ---------------------------------------------------------------------------------------------
// Rich text: trusted prose with data and code pieces, rendered safely for each output.

type Piece = string | { data: string } | { code: string };
type Rich = Piece[];

/** Template literal: the literal parts are our prose; interpolated strings and numbers are data. */
function r(strings: TemplateStringsArray, ...values: (string | number | { code: string } | Rich)[]): Rich {
  const out: Rich = [];
  strings.forEach((s, i) => {
    if (s) out.push(s);
    if (i < values.length) {
      const v = values[i];
      if (Array.isArray(v)) out.push(...v);
      else if (typeof v === 'object' && v !== null) out.push(v);
      else out.push({ data: String(v) });
    }
  });
  return out;
}

const code = (text: string | number): { code: string } => ({ code: String(text) });

function richMarkdown(text: Rich): string {
  return text
    .map((p) => (typeof p === 'string' ? p : 'code' in p ? codeSpan(p.code) : escapeInline(p.data)))
    .join('');
}

function richPlain(text: Rich): string {
  return text.map((p) => (typeof p === 'string' ? p : 'code' in p ? p.code : p.data)).join('');
}

/** For a terminal: data on one line, without control characters (no escape sequences from data). */
function richTerminal(text: Rich): string {
  return text.map((p) => (typeof p === 'string' ? p : safe('code' in p ? p.code : p.data))).join('');
}

function safe(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\r?\n|\r/g, ' ').replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
}

/** One thing to do: words, and SQL to run when there is some. */
interface Advice {
  text: Rich;
  sql?: string[];
}

// ---------------------------------------------------------------------------------------------
// The analysis shared by the three renderings.

type Applied = 'yes' | 'no' | 'partly' | 'unknown';

interface StepState {
  record: StepRecord;
  step: PlanStep | undefined;
  applied: Applied;
  why: string;
}

interface SessionSeen {
  session: SessionInfo;
  attempts: number[];
}

interface IncidentAnalysis {
  verdict: Rich;
  planStep: PlanStep | undefined;
  cause: Rich;
  blockers: SessionSeen[];
  blocked: SessionSeen[];
  states: StepState[];
  /** Steps still applied (fully or partly), in plan order. */
  stillApplied: string[];
  remaining: { step: string; sql: string[] }[];
  /** Steps still applied whose effect no SQL can undo. */
  irreversible: string[];
  violations: { check: PlanCheck | null; sql: string }[];
  fix: Advice[];
  prevent: Advice[];
}

const SQLSTATE_NAMES: Record<string, string> = {
  '23000': 'integrity_constraint_violation',
  '23502': 'not_null_violation',
  '23503': 'foreign_key_violation',
  '23505': 'unique_violation',
  '23514': 'check_violation',
  '23P01': 'exclusion_violation',
  '25001': 'active_sql_transaction',
  '40001': 'serialization_failure',
  '40P01': 'deadlock_detected',
  '42501': 'insufficient_privilege',
  '42701': 'duplicate_column',
  '42703': 'undefined_column',
  '42704': 'undefined_object',
  '42710': 'duplicate_object',
  '42P01': 'undefined_table',
  '42P07': 'duplicate_table',
  '53100': 'disk_full',
  '53200': 'out_of_memory',
  '55P03': 'lock_not_available',
  '57014': 'query_canceled',
  '57P01': 'admin_shutdown',
  '08006': 'connection_failure',
  '08001': 'sqlclient_unable_to_establish_sqlconnection',
  '0A000': 'feature_not_supported',
};

function analyse(incident: Incident, plan: Plan): IncidentAnalysis {
  const byId = new Map(plan.steps.map((s) => [s.id, s]));
  const planStep = byId.get(incident.failedStep.id);
  const states = stepStates(incident, byId);
  const stillApplied = states.filter((s) => s.applied === 'yes' || s.applied === 'partly');
  const appliedIds = new Set(stillApplied.map((s) => s.record.id));
  // Reverse plan order; steps the plan does not know (should not happen) go last, as found.
  const order = [...plan.steps].reverse().filter((s) => appliedIds.has(s.id));
  const remaining = order.filter((s) => s.rollback.length > 0).map((s) => ({ step: s.id, sql: s.rollback }));
  const irreversible = order.filter((s) => s.rollback.length === 0 && !s.reversible).map((s) => s.id);
  const analysis: IncidentAnalysis = {
    verdict: verdict(incident),
    planStep,
    cause: causeWords(incident, planStep),
    blockers: sessionsSeen(incident.failedStep.attempts, (a) => a.blockers),
    blocked: sessionsSeen(incident.failedStep.attempts, (a) => a.blocked),
    states,
    stillApplied: stillApplied.map((s) => s.record.id),
    remaining,
    irreversible,
    violations: isConstraintViolation(incident.error.sqlstate) ? violationQueries(incident, plan) : [],
    fix: [],
    prevent: [],
  };
  analysis.fix = fixByHand(incident, analysis);
  analysis.prevent = prevention(incident, analysis);
  return analysis;
}

function verdict(incident: Incident): Rich {
  const head = r`Deploy ${incident.deploy.id} failed at ${code(incident.failedStep.id)}`;
  if (incident.rollbackErrors.length > 0 || incident.deploy.status === 'rollback failed')
    return r`${head} and its rollback failed`;
  if (!incident.autoRollback) return r`${head} and was not rolled back (automatic rollback was off)`;
  if (incident.deploy.status === 'rolled back' || incident.rolledBack.length > 0)
    return r`${head} and was rolled back`;
  return r`${head}; nothing was rolled back`;
}

function causeWords(incident: Incident, step: PlanStep | undefined): Rich {
  switch (incident.cause) {
    case 'lock timeout':
      return r`could not get the lock within lock_timeout${step ? r` (${formatMs(step.lockTimeoutMs)})` : []}${step?.lock ? r`: it needed ${step.lock.mode} on ${code(step.lock.table)} and another session held a conflicting lock` : []}.`;
    case 'blocking others':
      return r`our statement was cancelled because other sessions waited behind it longer than ${code('--max-blocking-ms')}.`;
    case 'step budget':
      return r`the step ran longer than its time budget and was stopped${step ? r` (estimated ${formatMs(step.estimatedMs)}, statement_timeout ${step.statementTimeoutMs > 0 ? formatMs(step.statementTimeoutMs) : 'none'})` : []}.`;
    case 'total budget':
      return r`the deploy ran out of its total time budget while this step was running, and stopped.`;
    case 'connection lost':
      return r`the connection to the database was cut, or stopped answering, while this step was running. Whether the server finished its last statement is unknown, so nothing was rolled back: the journal says where the deploy stopped.`;
    case 'error': {
      const state = incident.error.sqlstate;
      const name = state ? SQLSTATE_NAMES[state] : undefined;
      if (state?.startsWith('23'))
        return r`the server refused the statement because existing rows break the constraint${name ? r` (${name})` : []}.`;
      return r`the server returned an error${name ? r` (${name})` : []}.`;
    }
  }
}

function stepStates(incident: Incident, byId: Map<string, PlanStep>): StepState[] {
  const rolledBack = new Set(incident.rolledBack);
  const rollbackFailed = new Map(incident.rollbackErrors.map((e) => [e.step, e.message]));
  return incident.deploy.steps.map((record) => {
    const step = byId.get(record.id);
    const state = (applied: Applied, why: string): StepState => ({ record, step, applied, why });
    if (rollbackFailed.has(record.id)) return state('partly', 'its rollback failed');
    if (rolledBack.has(record.id) || record.status === 'rolled back') return state('no', 'rolled back');
    switch (record.status) {
      case 'done':
        return state('yes', 'done');
      case 'pending':
      case 'skipped':
        return state('no', 'never ran');
      case 'running':
        return state('unknown', 'was running when the deploy stopped');
      case 'failed':
        if (step && !step.transactional && step.sql.length > 0)
          return state(
            'partly',
            'failed outside a transaction: statements before the failure, or an INVALID index, may remain',
          );
        return state('no', 'failed inside a transaction, which PostgreSQL rolled back');
    }
    return state('unknown', record.status);
  });
}

function sessionsSeen(
  attempts: readonly AttemptRecord[],
  pick: (a: AttemptRecord) => readonly SessionInfo[],
): SessionSeen[] {
  const seen = new Map<number, SessionSeen>();
  for (const attempt of attempts) {
    for (const session of pick(attempt)) {
      const known = seen.get(session.pid);
      if (known) {
        known.session = session; // the latest sighting
        if (!known.attempts.includes(attempt.attempt)) known.attempts.push(attempt.attempt);
      } else seen.set(session.pid, { session, attempts: [attempt.attempt] });
    }
  }
  return [...seen.values()];
}

function isConstraintViolation(sqlstate: string | null): boolean {
  return sqlstate !== null && sqlstate.startsWith('23');
}

/**
 * Queries that list the rows breaking the constraint, from the pre-checks the planner wrote
 * (`SELECT NOT EXISTS (SELECT 1 FROM … WHERE <violation>)`): the inner query, selecting the rows.
 * The failed step's own checks first; else matching checks of other steps on the same table;
 * else, for NOT NULL, from the server's message.
 */
function violationQueries(incident: Incident, plan: Plan): { check: PlanCheck | null; sql: string }[] {
  const failed = plan.steps.find((s) => s.id === incident.failedStep.id);
  const own = (failed?.preChecks ?? []).flatMap((check) => {
    const sql = violatingRows(check.sql);
    return sql ? [{ check, sql }] : [];
  });
  if (own.length > 0) return own;
  const table = failed?.lock?.table ?? failed?.backfill?.table ?? null;
  const kind = incident.error.sqlstate;
  const related = plan.steps
    .filter((s) => s !== failed && table !== null && (s.lock?.table ?? s.backfill?.table) === table)
    .flatMap((s) => s.preChecks)
    .filter((check) => checkMatches(check.sql, kind))
    .flatMap((check) => {
      const sql = violatingRows(check.sql);
      return sql ? [{ check, sql }] : [];
    });
  if (related.length > 0) return related;
  const column = /column "((?:[^"]|"")+)"/.exec(incident.error.message)?.[1];
  if (kind === '23502' && table && column) {
    return [
      {
        check: null,
        sql: `SELECT * FROM ${quoteQualified(table)} WHERE ${quoteIdent(column.replace(/""/g, '"'))} IS NULL\nLIMIT ${VIOLATION_LIMIT}`,
      },
    ];
  }
  return [];
}

function checkMatches(sql: string, sqlstate: string | null): boolean {
  switch (sqlstate) {
    case '23502':
      return /\bIS NULL\b/i.test(sql);
    case '23505':
      return /\bGROUP BY\b/i.test(sql);
    case '23503':
      return /NOT EXISTS[\s\S]*NOT EXISTS/i.test(sql);
    case '23514':
      return /\bWHERE NOT \(/i.test(sql);
    default:
      return false;
  }
}

/** `SELECT NOT EXISTS (SELECT 1 FROM t WHERE bad)` → `SELECT * FROM t WHERE bad LIMIT 100`. */
export function violatingRows(checkSql: string): string | null {
  const outer = /^\s*SELECT\s+NOT\s+EXISTS\s*\(([\s\S]*)\)\s*;?\s*$/i.exec(checkSql);
  const inner = outer?.[1]?.trim();
  if (!inner || !/^SELECT\s+1\s+FROM\s/i.test(inner)) return null;
  // Catalog checks (an INVALID index left behind) are not about the data.
  if (/\bpg_catalog\./i.test(inner)) return null;
  const group = /\sGROUP\s+BY\s+([\s\S]+?)\s+HAVING\s/i.exec(inner);
  const select = group ? `SELECT ${group[1]}, count(*) AS duplicates` : 'SELECT *';
  return `${inner.replace(/^SELECT\s+1/i, select)}\nLIMIT ${VIOLATION_LIMIT}`;
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** `schema.table` as the plan writes it (unquoted, schema before the first dot). */
function quoteQualified(name: string): string {
  const dot = name.indexOf('.');
  return dot < 0 ? quoteIdent(name) : `${quoteIdent(name.slice(0, dot))}.${quoteIdent(name.slice(dot + 1))}`;
}

function quoteLiteral(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

const DB = '"$DATABASE_URL"';

function fixByHand(incident: Incident, a: IncidentAnalysis): Advice[] {
  const out: Advice[] = [];
  const step = a.planStep;
  out.push({
    text: r`See what the journal recorded and what is applied now (target ${incident.target}): ${code(`schemapilot status --db ${DB}`)}.`,
  });

  if (incident.rollbackErrors.length > 0) {
    const failed = incident.rollbackErrors.map((e) => e.step);
    out.push({
      text: r`The automatic rollback failed on ${failed.join(', ')}. Fix what its error says, then finish the rollback: ${code(`schemapilot rollback --db ${DB}`)} undoes the steps still applied, last first.`,
    });
  }
  if (a.remaining.length > 0 && incident.rollbackErrors.length > 0) {
    out.push({
      text: r`Or run the remaining rollback SQL by hand, in this order (the plan's rollback of ${a.remaining.map((x) => x.step).join(', ')}); stop at the first error:`,
      sql: a.remaining.flatMap((x) => x.sql),
    });
  }
  for (const id of a.irreversible)
    out.push({
      text: r`Step ${code(id)} cannot be undone: its data is gone; restore it from a backup if needed.`,
    });
  for (const index of incident.invalidIndexes.filter((i) => !i.dropped)) {
    out.push({
      text: r`Drop the INVALID index ${code(index.name)} left by the failed concurrent build (it slows writes and is never used):`,
      sql: [`DROP INDEX CONCURRENTLY IF EXISTS ${quoteQualified(index.name)}`],
    });
  }

  const resume = r`Rerun ${code(`schemapilot deploy plan.json --db ${DB}`)} with the same plan: it resumes from the journal, skips the steps still applied and runs the rest.`;
  switch (incident.cause) {
    case 'lock timeout': {
      if (a.blockers.length === 0) {
        out.push({
          text: r`No blocking session was captured. Find who holds locks on ${step?.lock ? code(step.lock.table) : 'the table'} now:`,
          sql: [findLockHolders(step?.lock?.table ?? null)],
        });
      }
      for (const { session } of a.blockers) {
        const who = sessionWords(session);
        const idle = session.state?.startsWith('idle in transaction') ?? false;
        out.push({
          text: r`Session ${code(session.pid)}${who} held the lock${session.transactionAgeMs !== null ? r` in a transaction open for ${formatMs(session.transactionAgeMs)}` : []}${session.query ? r`, running ${code(clipOneLine(session.query, QUERY_CELL_CHARS))}` : []}. Wait for it to finish, or ask its owner to end it. Only if ending it is safe (not a job mid-write whose work matters), terminate it${idle ? ' (it is idle in a transaction: cancelling its query would not release the lock)' : ''}:`,
          sql: [`SELECT pg_terminate_backend(${session.pid})`],
        });
      }
      if (a.blockers.length > 0) {
        out.push({
          text: r`Check that it is gone and that nothing else holds a lock on ${step?.lock ? code(step.lock.table) : 'the table'}:`,
          sql: [findLockHolders(step?.lock?.table ?? null)],
        });
      }
      out.push({ text: resume });
      break;
    }
    case 'blocking others': {
      const pids = a.blocked.map((s) => s.session.pid);
      out.push({
        text: pids.length
          ? r`Sessions ${pids.join(', ')} waited behind our statement; they were released when it was cancelled. Nothing needs ending.`
          : r`The sessions that waited behind our statement were released when it was cancelled. Nothing needs ending.`,
      });
      out.push({
        text: r`Rerun the deploy when traffic on ${step?.lock ? code(step.lock.table) : 'the table'} is lower, or with a higher ${code('--max-blocking-ms')} if those waits are acceptable. ${resume}`,
      });
      break;
    }
    case 'error': {
      if (a.violations.length > 0) {
        for (const v of a.violations) {
          out.push({
            text: v.check
              ? r`Find the rows that break it (from the pre-check "${v.check.description}"), then fix, backfill or delete them:`
              : r`Find the rows that break it, then fix, backfill or delete them:`,
            sql: [v.sql],
          });
        }
        out.push({ text: r`When the query above returns no rows: ${resume}` });
      } else if (isConstraintViolation(incident.error.sqlstate)) {
        out.push({
          text: r`Existing rows break the constraint: find them from the error's DETAIL and fix, backfill or delete them. Then: ${resume}`,
        });
      } else {
        out.push({
          text: r`Fix what the error says (SQLSTATE ${code(incident.error.sqlstate ?? 'none')}), then: ${resume}`,
        });
      }
      break;
    }
    case 'step budget': {
      const backfill = incident.failedStep.backfill;
      out.push({
        text: backfill
          ? r`The backfill stopped after ${backfill.rows} rows${backfill.lastKey !== null ? r` (last key ${code(backfill.lastKey)})` : []}; a rerun continues after it. ${resume}`
          : r`Give the step more time with ${code('--step-budget-ms')} (and if the statement itself timed out, plan again with a larger ${code('--statement-timeout-ms')}), then: ${resume}`,
      });
      break;
    }
    case 'total budget':
      out.push({
        text: r`Nothing is wrong with the step itself. Allow more time with ${code('--total-budget-ms')} if needed. ${resume}`,
      });
      break;
    case 'connection lost':
      out.push({
        text: r`Check that the database answers again (the status command above), then: ${resume} A step whose last statement did commit is found done in the journal and skipped.`,
      });
      break;
  }
  if (incident.rollbackErrors.length === 0 && a.stillApplied.length > 0) {
    out.push({
      text: r`To give up instead and undo the steps still applied (${a.stillApplied.join(', ')}): ${code(`schemapilot rollback --db ${DB}`)}${a.remaining.length > 0 ? ', or run this rollback SQL by hand, in this order, stopping at the first error:' : '.'}`,
      ...(a.remaining.length > 0 ? { sql: a.remaining.flatMap((x) => x.sql) } : {}),
    });
  }
  return out;
}

function prevention(incident: Incident, a: IncidentAnalysis): Advice[] {
  const out: Advice[] = [];
  const table = a.planStep?.lock?.table;
  const longTransactions: Advice = {
    text: r`Find long transactions before deploying, and end or wait for them:`,
    sql: [
      "SELECT pid, usename, application_name, client_addr, state, now() - xact_start AS xact_age, left(query, 200) AS query\nFROM pg_stat_activity\nWHERE xact_start < now() - interval '1 minute' AND pid <> pg_backend_pid()\nORDER BY xact_start",
    ],
  };
  switch (incident.cause) {
    case 'lock timeout':
      out.push(
        { text: r`Run the deploy during low traffic${table ? r` on ${code(table)}` : []}.` },
        longTransactions,
        {
          text: r`Set ${code('idle_in_transaction_session_timeout')} for application roles, so a forgotten transaction cannot hold locks for long.`,
        },
        {
          text: r`Raise ${code('--retries')}, or ${code('lock_timeout')} (${code('schemapilot plan --lock-timeout-ms')}): a longer lock_timeout makes other sessions queue behind us longer, so prefer more retries.`,
        },
      );
      break;
    case 'blocking others':
      out.push(
        { text: r`Run the deploy during low traffic${table ? r` on ${code(table)}` : []}.` },
        longTransactions,
        {
          text: r`Keep ${code('lock_timeout')} short so a waiting deploy holds others back for less time, and rely on retries.`,
        },
      );
      break;
    case 'error':
      if (isConstraintViolation(incident.error.sqlstate))
        out.push(
          {
            text: r`Check the plan against real data before deploying: ${code(`schemapilot check --db ${DB} --dry-run --sample-rows 10000`)}, or against generated rows with ${code('--synthesize 1000')}.`,
          },
          {
            text: r`Fix or backfill the data first (a separate migration), and keep the application from writing rows that break the new constraint.`,
          },
        );
      else
        out.push({
          text: r`Prove the plan on a scratch copy first: ${code(`schemapilot check --db ${DB} --dry-run --synthesize 1000`)}.`,
        });
      break;
    case 'step budget':
      out.push(
        {
          text: r`Measure on realistic data first: ${code(`schemapilot check --db ${DB} --dry-run --sample-rows 10000`)}, and give long steps (index builds, validations, backfills) a ${code('--step-budget-ms')} that fits the table's size.`,
        },
        { text: r`Run long steps during low traffic, when they go faster.` },
      );
      break;
    case 'total budget':
      out.push(
        { text: r`Raise ${code('--total-budget-ms')}, or split the migration into smaller deploys.` },
        { text: r`Run long deploys during low traffic.` },
      );
      break;
    case 'connection lost':
      out.push({
        text: r`Run deploys from a host close to the database (not over a VPN or a flaky link), and with ${code('--query-timeout')} long enough for the slowest housekeeping query.`,
      });
      break;
  }
  if (incident.rollbackErrors.length > 0)
    out.push({
      text: r`Prove the rollback too before deploying: ${code(`schemapilot validate --db ${DB}`)} applies the plan and its rollback on a scratch database.`,
    });
  if (incident.invalidIndexes.length > 0)
    out.push({
      text: r`Concurrent index builds fail on duplicates or deadlocks and leave INVALID indexes: check the data with ${code('schemapilot check --synthesize 1000')} and build during low write traffic.`,
    });
  if (!out.some((x) => richPlain(x.text).includes('check')))
    out.push({
      text: r`Run ${code(`schemapilot check --db ${DB} --dry-run --synthesize 1000`)} before each deploy.`,
    });
  return out;
}

function findLockHolders(table: string | null): string {
  const where = table
    ? `l.relation = to_regclass(${quoteLiteral(quoteQualified(table))})`
    : `l.pid IN (SELECT unnest(pg_blocking_pids(w.pid)) FROM pg_stat_activity w WHERE w.wait_event_type = 'Lock')`;
  return [
    'SELECT l.pid, l.mode, l.granted, a.usename, a.application_name, a.state,',
    '       now() - a.xact_start AS xact_age, left(a.query, 200) AS query',
    'FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid',
    `WHERE ${where} AND l.pid <> pg_backend_pid()`,
    'ORDER BY a.xact_start',
  ].join('\n');
}

function sessionWords(s: SessionInfo): Rich {
  const parts: Rich[] = [];
  if (s.user) parts.push(r`user ${s.user}`);
  if (s.application) parts.push(r`application ${s.application}`);
  if (s.clientAddress) parts.push(r`from ${s.clientAddress}`);
  if (s.state) parts.push(r`${s.state}`);
  if (parts.length === 0) return [];
  const out: Rich = [' ('];
  parts.forEach((p, i) => {
    if (i > 0) out.push(', ');
    out.push(...p);
  });
  out.push(')');
  return out;
}

// ---------------------------------------------------------------------------------------------
// Formatting helpers.

function formatMs(ms: number): string {
  const n = Math.max(0, Math.round(ms));
  if (n < 1000) return `${n} ms`;
  if (n < 60_000) return `${(n / 1000).toFixed(1)} s`;
  if (n < 3_600_000) return `${Math.round(n / 60_000)} min`;
  return `${(n / 3_600_000).toFixed(1)} h`;
}

function clipOneLine(text: string, max: number): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

function clipBlock(text: string, lines: number, chars: number): string {
  const clipped = clipLines(text, lines, chars);
  const cut = clipped.text.length < text.length;
  if (!cut) return text;
  return `${clipped.text}\n-- … cut: ${text.length - clipped.text.length} more characters`;
}

/** A table cell: escaped data; `|` is escaped even inside code spans (GFM splits cells first). */
function cell(text: string | null): string {
  return text === null || text === '' ? '–' : escapeInline(clipOneLine(text, 120));
}

function codeCell(text: string | null, max = QUERY_CELL_CHARS): string {
  return text === null || text === '' ? '–' : codeSpan(clipOneLine(text, max)).replace(/\|/g, '\\|');
}

function sqlstateWords(error: { sqlstate: string | null }): string {
  if (!error.sqlstate) return 'no SQLSTATE';
  const name = SQLSTATE_NAMES[error.sqlstate];
  return name ? `SQLSTATE ${error.sqlstate} (${name})` : `SQLSTATE ${error.sqlstate}`;
}

// ---------------------------------------------------------------------------------------------
// Markdown.

export function renderIncidentMarkdown(incident: Incident, plan: Plan): string {
  const a = analyse(incident, plan);
  const d = incident.deploy;
  const out: string[] = [`# ${richMarkdown(a.verdict)}`, ''];
  out.push(
    `Target ${codeSpan(incident.target)} · ran by ${escapeInline(d.ranBy)} · started ${escapeInline(d.startedAt)}` +
      `${d.finishedAt ? ` · finished ${escapeInline(d.finishedAt)}` : ''} · deploy status **${escapeInline(d.status)}** · plan ${codeSpan(d.planHash.slice(0, 12))}`,
    '',
  );

  out.push('## What failed', '');
  const f = incident.failedStep;
  out.push(
    `- **Step:** ${codeSpan(f.id)} (${escapeInline(f.phase)}): ${escapeInline(f.description)}`,
    `- **Error:** ${codeSpan(incident.error.sqlstate ?? 'no SQLSTATE')}${incident.error.sqlstate && SQLSTATE_NAMES[incident.error.sqlstate] ? ` ${SQLSTATE_NAMES[incident.error.sqlstate]}` : ''}: ${escapeInline(clipOneLine(incident.error.message, MESSAGE_CHARS))}`,
    `- **Cause:** ${escapeInline(incident.cause)}: ${richMarkdown(a.cause)}`,
  );
  if (a.planStep)
    out.push(
      `- **Step settings:** lock_timeout ${formatMs(a.planStep.lockTimeoutMs)}, statement_timeout ${a.planStep.statementTimeoutMs > 0 ? formatMs(a.planStep.statementTimeoutMs) : 'none'}, ${a.planStep.retry.maxAttempts} attempt(s), ${a.planStep.transactional ? 'one transaction' : 'outside a transaction'}${a.planStep.lock ? `, ${escapeInline(a.planStep.lock.mode)} on ${codeSpan(a.planStep.lock.table)}` : ''}`,
    );
  else out.push(`- **Note:** the plan has no step ${codeSpan(f.id)}: is this the plan that was deployed?`);
  if (f.backfill)
    out.push(
      `- **Backfill so far:** ${f.backfill.rows} rows in ${f.backfill.batches} batches (${Math.round(f.backfill.rowsPerSecond)} rows/s), last key ${codeCell(f.backfill.lastKey)}, throttled ${f.backfill.throttled} times`,
    );
  if (incident.error.message.includes('\n') || incident.error.message.length > MESSAGE_CHARS)
    out.push('', 'Full message:', '', ...codeBlock(clipBlock(incident.error.message, 20, 2000)));
  out.push('', 'SQL, as run:', '');
  const sql = incident.failedSql.length > 0 ? incident.failedSql : (a.planStep?.sql ?? []);
  out.push(...codeBlock(clipBlock(sql.join(';\n\n'), SQL_BLOCK_LINES, SQL_BLOCK_CHARS), 'sql'), '');

  out.push('## Who was blocking', '');
  if (a.blockers.length === 0)
    out.push(
      incident.cause === 'lock timeout'
        ? 'No blocking session was captured (it may have ended before we looked). The query under "How to fix by hand" finds the current lock holders.'
        : 'No session was found blocking our statement.',
      '',
    );
  else out.push(...sessionTable(a.blockers), '', ...sessionQueries(a.blockers));
  out.push('### Sessions that waited on us', '');
  if (a.blocked.length === 0) out.push('None was captured.', '');
  else out.push(...sessionTable(a.blocked), '', ...sessionQueries(a.blocked));

  out.push('## Attempts', '');
  if (f.attempts.length === 0) out.push('No attempt was recorded.', '');
  else {
    out.push('| # | started | duration | cause | error |', '|---|---|---|---|---|');
    for (const at of f.attempts) {
      out.push(
        `| ${at.attempt} | ${cell(at.startedAt)} | ${formatMs(at.durationMs)} | ${cell(at.cause ?? (at.error ? 'error' : null))} | ${at.error ? `${codeCell(at.error.sqlstate ?? 'no SQLSTATE')} ${cell(at.error.message)}` : 'succeeded'} |`,
      );
    }
    out.push('');
  }

  out.push('## What was rolled back', '');
  if (!incident.autoRollback)
    out.push('Automatic rollback was off (`--no-auto-rollback`): nothing was undone.', '');
  else if (incident.rolledBack.length === 0) out.push('Nothing: no earlier step needed undoing.', '');
  else {
    out.push('Steps undone, last first:', '');
    for (const id of incident.rolledBack) {
      const step = plan.steps.find((s) => s.id === id);
      out.push(`- ${codeSpan(id)}${step ? `: ${escapeInline(step.description)}` : ''}`);
    }
    out.push('');
  }
  if (incident.rollbackErrors.length > 0) {
    out.push('Rollback errors:', '');
    for (const e of incident.rollbackErrors)
      out.push(`- ${codeSpan(e.step)}: ${escapeInline(clipOneLine(e.message, MESSAGE_CHARS))}`);
    out.push('');
  }
  if (incident.invalidIndexes.length > 0) {
    out.push('INVALID indexes left by a failed concurrent build:', '');
    for (const i of incident.invalidIndexes)
      out.push(`- ${codeSpan(i.name)}: ${i.dropped ? 'dropped' : '**still there**'}`);
    out.push('');
  }

  out.push('## State of the database now', '');
  out.push(
    `Schema restored to what it was before the deploy: **${incident.schemaRestored === null ? 'unknown' : incident.schemaRestored ? 'yes' : 'no'}**${incident.schemaRestored === null ? ' (not compared)' : ' (schema hash comparison)'}.`,
    '',
  );
  out.push('| step | phase | status | still applied | why |', '|---|---|---|---|---|');
  for (const s of a.states)
    out.push(
      `| ${codeCell(s.record.id)} | ${cell(s.record.phase)} | ${cell(s.record.status)} | ${s.applied} | ${cell(s.why)} |`,
    );
  out.push(
    '',
    a.stillApplied.length > 0
      ? `Still applied: ${a.stillApplied.map((id) => codeSpan(id)).join(', ')}.`
      : 'No step is still applied.',
    '',
  );

  out.push('## How to fix by hand', '');
  a.fix.forEach((x, i) => out.push(...adviceMarkdown(`**${i + 1}.**`, x)));
  out.push('## How to prevent it', '');
  for (const x of a.prevent) out.push(...adviceMarkdown('-', x));
  return out.join('\n').replace(/\n+$/, '') + '\n';
}

function adviceMarkdown(marker: string, advice: Advice): string[] {
  const out = [`${marker} ${richMarkdown(advice.text)}`, ''];
  if (advice.sql && advice.sql.length > 0) {
    const text = advice.sql.map((s) => `${s.replace(/;\s*$/, '')};`).join('\n');
    out.push(...codeBlock(text, 'sql'), '');
  }
  return out;
}

function sessionTable(sessions: readonly SessionSeen[]): string[] {
  const out = [
    '| pid | user | application | client | state | transaction age | wait | query | attempts |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  for (const { session: s, attempts } of sessions)
    out.push(
      `| ${s.pid} | ${cell(s.user)} | ${cell(s.application)} | ${cell(s.clientAddress)} | ${cell(s.state)} | ${s.transactionAgeMs === null ? '–' : formatMs(s.transactionAgeMs)} | ${cell(s.waitEvent)} | ${codeCell(s.query)} | ${attempts.join(', ')} |`,
    );
  return out;
}

function sessionQueries(sessions: readonly SessionSeen[]): string[] {
  const out: string[] = [];
  for (const { session: s } of sessions) {
    if (!s.query) continue;
    out.push(
      `Query of pid ${s.pid}:`,
      '',
      ...codeBlock(clipBlock(s.query, QUERY_BLOCK_LINES, QUERY_BLOCK_CHARS), 'sql'),
      '',
    );
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// JSON.

/** Stable JSON: the incident, the verdict, and what to do, as plain strings for tools. */
export function renderIncidentJson(incident: Incident, plan: Plan): string {
  const a = analyse(incident, plan);
  return (
    canonicalJson(
      {
        formatVersion: 1,
        title: richPlain(a.verdict),
        cause: richPlain(a.cause),
        incident,
        stillApplied: a.stillApplied,
        remainingRollbackSql: a.remaining.flatMap((x) => x.sql),
        remainingRollback: a.remaining,
        violatingRowsSql: a.violations.map((v) => v.sql),
        fixByHand: a.fix.map(advicePlain),
        prevent: a.prevent.map(advicePlain),
      },
      2,
    ) + '\n'
  );
}

function advicePlain(advice: Advice): string {
  const text = richPlain(advice.text);
  return advice.sql && advice.sql.length > 0 ? `${text}\n${advice.sql.join(';\n')};` : text;
}

// ---------------------------------------------------------------------------------------------
// Terminal.

/** A short version for the terminal: verdict, cause, blockers, state, what to do. */
export function renderIncidentText(incident: Incident, plan: Plan, paint: Painter = plainPainter): string {
  const a = analyse(incident, plan);
  const f = incident.failedStep;
  const out: string[] = [paint.bold(paint.red(richTerminal(a.verdict)))];
  out.push(`${paint.bold(safe(f.id))} ${paint.cyan(safe(f.phase))} ${safe(f.description)}`);
  out.push(
    `  ${paint.red(sqlstateWords(incident.error))}: ${safe(clipOneLine(incident.error.message, 200))}`,
    `  ${paint.dim('cause:')} ${richTerminal(a.cause)}`,
  );
  const attempts = f.attempts.length;
  if (attempts > 0) out.push(paint.dim(`  ${attempts} attempt${attempts === 1 ? '' : 's'}`));
  if (a.blockers.length > 0) {
    out.push('', paint.yellow('Blocking sessions:'));
    for (const { session: s } of a.blockers) out.push(`  ${sessionLine(s)}`);
  }
  if (a.blocked.length > 0) {
    out.push('', paint.yellow('Sessions waiting on us:'));
    for (const { session: s } of a.blocked) out.push(`  ${sessionLine(s)}`);
  }
  if (incident.rolledBack.length > 0) out.push('', `Rolled back: ${safe(incident.rolledBack.join(', '))}`);
  for (const e of incident.rollbackErrors)
    out.push(paint.red(`Rollback of ${safe(e.step)} failed: ${safe(clipOneLine(e.message, 200))}`));
  for (const i of incident.invalidIndexes)
    out.push(
      i.dropped
        ? `INVALID index ${safe(i.name)} dropped`
        : paint.red(`INVALID index ${safe(i.name)} still there`),
    );
  out.push(
    `Schema restored: ${incident.schemaRestored === null ? 'unknown' : incident.schemaRestored ? paint.green('yes') : paint.red('no')}`,
    `Still applied: ${a.stillApplied.length > 0 ? safe(a.stillApplied.join(', ')) : 'nothing'}`,
  );
  out.push('', paint.bold('Fix by hand:'));
  a.fix.forEach((x, i) => out.push(...adviceText(`  ${i + 1}. `, x, paint)));
  out.push('', paint.bold('Prevent it:'));
  for (const x of a.prevent) out.push(...adviceText('  - ', x, paint));
  return out.join('\n') + '\n';
}

function adviceText(marker: string, advice: Advice, paint: Painter): string[] {
  const out = [`${marker}${richTerminal(advice.text)}`];
  const indent = ' '.repeat(marker.length + 2);
  for (const sql of advice.sql ?? []) {
    const shown = clipBlock(sql, QUERY_BLOCK_LINES, QUERY_BLOCK_CHARS);
    out.push(...shown.split('\n').map((l) => paint.cyan(`${indent}${safe(l)}`)));
  }
  return out;
}

function sessionLine(s: SessionInfo): string {
  const who = [s.user, s.application, s.clientAddress].filter((x) => x).join(' / ') || 'unknown';
  const age = s.transactionAgeMs === null ? '' : `, transaction ${formatMs(s.transactionAgeMs)}`;
  const query = s.query ? `: ${clipOneLine(s.query, 100)}` : '';
  return safe(`pid ${s.pid} (${who}, ${s.state ?? 'state unknown'}${age})${query}`);
}
