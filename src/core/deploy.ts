/**
 * What a deploy did, step by step, and what it left: plain JSON, written to the journal,
 * printed by `deploy` and `status`, and the input of the incident report.
 */
import type { PlanPhase } from './plan.js';

export type StepStatus = 'pending' | 'running' | 'done' | 'failed' | 'rolled back' | 'skipped';

/** A session found blocking our statement, or waiting behind it, when it was seen. */
export interface SessionInfo {
  pid: number;
  user: string | null;
  application: string | null;
  clientAddress: string | null;
  state: string | null;
  /** Its current or last query, truncated to 1,000 characters. */
  query: string | null;
  /** How long its transaction had been open, ms. */
  transactionAgeMs: number | null;
  /** Lock wait (`Lock: relation`), when waiting. */
  waitEvent: string | null;
}

export interface AttemptRecord {
  attempt: number;
  startedAt: string;
  durationMs: number;
  /** Null when the attempt succeeded. */
  error: { sqlstate: string | null; message: string } | null;
  /** Why we gave up this attempt: the server's error, our watchdog, or a time budget. */
  cause?: 'error' | 'lock timeout' | 'blocking others' | 'step budget' | 'total budget' | 'connection lost';
  /** Sessions holding the locks we waited for (lock timeout), captured when it happened. */
  blockers: SessionInfo[];
  /** Sessions that waited behind us (watchdog cancel), captured when it happened. */
  blocked: SessionInfo[];
}

export interface BackfillProgress {
  rows: number;
  batches: number;
  /** Last key done, as text (keyset position), so a rerun resumes after it. */
  lastKey: string | null;
  rowsPerSecond: number;
  /** Times the backfill paused because other sessions waited on it or replicas lagged. */
  throttled: number;
}

export interface StepRecord {
  id: string;
  phase: PlanPhase;
  description: string;
  status: StepStatus;
  /** sha256 of the step's SQL: a resumed deploy refuses a plan whose step changed. */
  checksum: string;
  attempts: AttemptRecord[];
  startedAt: string | null;
  finishedAt: string | null;
  backfill?: BackfillProgress;
  /**
   * Statements of a step outside a transaction that ran and committed, counted as they finish
   * (dialects without transactional DDL: MySQL). Absent when the runner does not count them.
   */
  statementsDone?: number;
}

export type DeployStatus = 'running' | 'succeeded' | 'failed' | 'rolled back' | 'rollback failed';

export interface DeployRecord {
  id: number;
  /** sha256 of the plan JSON. */
  planHash: string;
  sourceSchemaHash: string | null;
  status: DeployStatus;
  startedAt: string;
  finishedAt: string | null;
  /** `user@host` that ran it (from the connection), for the audit trail. */
  ranBy: string;
  steps: StepRecord[];
}

/** Everything the incident report needs; produced by deploy when a step fails. */
export interface Incident {
  deploy: DeployRecord;
  /** The step that failed. */
  failedStep: StepRecord;
  /** Its SQL, as run. */
  failedSql: string[];
  error: { sqlstate: string | null; message: string };
  cause: NonNullable<AttemptRecord['cause']>;
  /** Steps undone by the automatic rollback, last first; empty with --no-auto-rollback. */
  rolledBack: string[];
  /** Steps whose rollback failed, with the error. */
  rollbackErrors: { step: string; message: string }[];
  /** INVALID indexes left by a failed concurrent build and dropped (or still there). */
  invalidIndexes: { name: string; dropped: boolean }[];
  autoRollback: boolean;
  /** Whether the live schema equals the schema before the deploy (hash comparison). */
  schemaRestored: boolean | null;
  target: string;
  /**
   * The backup taken before the first step (DeployDriver.backup): where it is, and whether the
   * database was restored from it (`why` says why not, when it was needed and not done).
   */
  backup?: { path: string; restored: boolean; why?: string };
}
