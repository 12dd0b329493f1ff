/**
 * The result of `validate`: plain JSON, printed by the reporters and embedded in `check`.
 */
import type { OnlineAlgorithm, Severity, StatementLock } from '../core/analysis.js';
import type { LockMode } from '../core/locks.js';
import type { PlanPhase } from '../core/plan.js';
import type { SchemaDifference } from '../schema/diff.js';
import type { ObservedOnlineDdl, TableDataReport } from '../core/dialect/validation.js';

export interface StatementRun {
  sql: string;
  durationMs: number;
  /** What the server did; null for session settings (SET/RESET), which are not traced. */
  traced: {
    /** Locks on relations that existed before the statement. */
    locks: { relation: string; mode: LockMode }[];
    rewrittenTables: string[];
    rebuiltIndexes: string[];
    /** MySQL/MariaDB: the algorithm that ran and the traffic it blocked. */
    online?: ObservedOnlineDdl;
  } | null;
  /** What the engine predicted, when it analysed this statement. */
  predicted?: {
    locks: StatementLock[];
    rewritesTable: boolean;
    algorithm?: OnlineAlgorithm;
    blocksWrites?: boolean;
  };
  mismatches: { severity: Severity; table: string; message: string }[];
}

export interface StepRun {
  step: string;
  phase: PlanPhase;
  transactional: boolean;
  statements: StatementRun[];
  durationMs: number;
  error?: { message: string; sqlstate?: string };
}

/** Which part of validation a finding comes from. */
export type ValidationCheck =
  | 'clone'
  | 'as-written'
  | 'step'
  | 'trace'
  | 'intent'
  | 'rollback'
  /** What the database reports about itself after the plan and after its rollback (SQLite's integrity_check, foreign_key_check). */
  | 'integrity';

export interface ValidationFinding {
  check: ValidationCheck;
  severity: Severity;
  message: string;
  step?: string;
}

export interface ValidationResult {
  scratch: {
    major: number;
    kind: 'embedded' | 'dev-url';
    /** The server in words when `major` does not say it ("MariaDB 10.11.19"); absent: "PostgreSQL <major>". */
    server?: string;
    warning?: string;
  };
  /** How the schema was cloned: `snapshot`, `pg_dump 15.4`, `3 migration file(s)`. */
  clone: string;
  /** Rows put in each table (synthesized or sampled); empty for a schema-only run. */
  data: TableDataReport[];
  steps: StepRun[];
  /** The plan's end schema against the migration-as-written's end schema. */
  intent: { checked: boolean; reason?: string; differences: SchemaDifference[] };
  /** The schema after the rollback against the original. */
  rollback: { checked: boolean; reason?: string; error?: string; differences: SchemaDifference[] };
  findings: ValidationFinding[];
  /** No error-severity finding. */
  passed: boolean;
  durationMs: number;
}

/** One line of `check`'s checklist (src/api/check.ts builds it, the reporters print it). */
export interface ChecklistItem {
  ok: boolean;
  /** `Schema analyzed: 0 breaking changes` */
  label: string;
  /** Why not, one line each. */
  reasons: string[];
}
