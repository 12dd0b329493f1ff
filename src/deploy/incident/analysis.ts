/**
 * The incident report of a failed deploy: what failed and why, who held the lock, what the
 * automatic rollback undid, what is still applied, and what to do now, by hand. Everything is
 * derived from the journal's `Incident` and the plan: no LLM, no database, so the report can be
 * written at 3 a.m. from the journal alone.
 *
 * This is the analysis; src/reporters/incident renders it three ways: Markdown (for the
 * incident ticket or PR), JSON (for tools: `remainingRollbackSql`, `fixByHand`, `prevent`) and
 * a short terminal text.
 */
import type { IncidentWords } from '../../core/dialect/deploy.js';
import type { Plan, PlanCheck, PlanStep } from '../../core/plan.js';
import type { AttemptRecord, Incident, SessionInfo, StepRecord } from '../../core/deploy.js';
import { fixByHand, prevention } from './advice.js';
import { code, formatMs, r, type Advice, type Rich } from './rich.js';
import { checkMatches, postgresIncidentWords, VIOLATION_LIMIT, violatingRows } from './sql.js';
import { statementReport, type StatementReport } from './statements.js';

export type Applied = 'yes' | 'no' | 'partly' | 'unknown';

export interface StepState {
  record: StepRecord;
  step: PlanStep | undefined;
  applied: Applied;
  why: string;
}

export interface SessionSeen {
  session: SessionInfo;
  attempts: number[];
}

export interface IncidentAnalysis {
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
  /** The failed step's statements one by one, when the runner counted them (no transactional DDL). */
  statements: StatementReport | null;
  /** The server's words the report quotes. */
  words: IncidentWords;
  fix: Advice[];
  prevent: Advice[];
}

/** `words`: the target dialect's (its driver's `deploy.incident`); PostgreSQL's when not given. */
export function analyseIncident(
  incident: Incident,
  plan: Plan,
  words: IncidentWords = postgresIncidentWords,
): IncidentAnalysis {
  const byId = new Map(plan.steps.map((s) => [s.id, s]));
  const planStep = byId.get(incident.failedStep.id);
  const statements = planStep ? statementReport(planStep, incident) : null;
  const states = stepStates(incident, byId, words, statements);
  const stillApplied = states.filter((s) => s.applied === 'yes' || s.applied === 'partly');
  const appliedIds = new Set(stillApplied.map((s) => s.record.id));
  // Reverse plan order; steps the plan does not know (should not happen) go last, as found.
  const order = [...plan.steps].reverse().filter((s) => appliedIds.has(s.id));
  const remaining = order
    .map((s) => ({
      step: s.id,
      // A half-applied step is undone by the inverses of the statements that ran.
      sql: statements && s.id === statements.step && statements.undo ? statements.undo : s.rollback,
    }))
    .filter((x) => x.sql.length > 0);
  const irreversible = order.filter((s) => s.rollback.length === 0 && !s.reversible).map((s) => s.id);
  const analysis: IncidentAnalysis = {
    verdict: verdict(incident),
    planStep,
    cause: causeWords(incident, planStep, words),
    blockers: sessionsSeen(incident.failedStep.attempts, (a) => a.blockers),
    blocked: sessionsSeen(incident.failedStep.attempts, (a) => a.blocked),
    states,
    stillApplied: stillApplied.map((s) => s.record.id),
    remaining,
    irreversible,
    violations:
      words.violation(incident.error.sqlstate) !== null ? violationQueries(incident, plan, words) : [],
    statements,
    words,
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

function causeWords(incident: Incident, step: PlanStep | undefined, words: IncidentWords): Rich {
  switch (incident.cause) {
    case 'lock timeout':
      return r`could not get the lock within ${[words.lockTimeoutSetting]}${step ? r` (${formatMs(step.lockTimeoutMs)})` : []}${step?.lock ? r`: it needed ${step.lock.mode} on ${code(step.lock.table)} and another session held a conflicting lock` : []}.`;
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
      const name = state ? words.errorName(state) : undefined;
      if (words.violation(state) !== null)
        return r`the server refused the statement because existing rows break the constraint${name ? r` (${name})` : []}.`;
      return r`the server returned an error${name ? r` (${name})` : []}.`;
    }
  }
}

function stepStates(
  incident: Incident,
  byId: Map<string, PlanStep>,
  words: IncidentWords,
  statements: StatementReport | null,
): StepState[] {
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
        if (statements && statements.step === record.id) return state('unknown', statements.summary);
        return state('unknown', 'was running when the deploy stopped');
      case 'failed':
        if (statements && statements.step === record.id)
          return state(statements.ran.length > 0 ? 'partly' : 'no', statements.summary);
        if (step && !step.transactional && step.sql.length > 0)
          return state(
            'partly',
            `failed outside a transaction: statements before the failure, or an ${words.leftover.what}, may remain`,
          );
        return state('no', `failed inside a transaction, which ${words.product} rolled back`);
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

/**
 * Queries that list the rows breaking the constraint, from the pre-checks the planner wrote
 * (`SELECT NOT EXISTS (SELECT 1 FROM … WHERE <violation>)`): the inner query, selecting the rows.
 * The failed step's own checks first; else matching checks of other steps on the same table;
 * else, for NOT NULL, from the server's message.
 */
function violationQueries(
  incident: Incident,
  plan: Plan,
  words: IncidentWords,
): { check: PlanCheck | null; sql: string }[] {
  const failed = plan.steps.find((s) => s.id === incident.failedStep.id);
  const own = (failed?.preChecks ?? []).flatMap((check) => {
    const sql = violatingRows(check.sql);
    return sql ? [{ check, sql }] : [];
  });
  if (own.length > 0) return own;
  const table = failed?.lock?.table ?? failed?.backfill?.table ?? null;
  const kind = words.violation(incident.error.sqlstate);
  const related = plan.steps
    .filter((s) => s !== failed && table !== null && (s.lock?.table ?? s.backfill?.table) === table)
    .flatMap((s) => s.preChecks)
    .filter((check) => checkMatches(check.sql, kind))
    .flatMap((check) => {
      const sql = violatingRows(check.sql);
      return sql ? [{ check, sql }] : [];
    });
  if (related.length > 0) return related;
  const column = words.nullColumn(incident.error.message);
  if (kind === 'not null' && table && column) {
    return [
      {
        check: null,
        sql: `SELECT * FROM ${words.quoteTable(table)} WHERE ${words.quoteIdent(column)} IS NULL\nLIMIT ${VIOLATION_LIMIT}`,
      },
    ];
  }
  return [];
}
