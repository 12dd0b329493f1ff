/**
 * A journal kept in two tables of a database without a JSON type (MySQL's JSON columns come
 * back as text through our client, SQLite has text only), read back as the contract's
 * JournalRows. JSON columns are parsed here and left as text when they do not parse, so the
 * engine's checks (journal-check.ts) report a damaged journal instead of this failing.
 */
import type { JournalRows } from '../core/dialect/deploy.js';
import type { DeployStatus, StepStatus } from '../core/deploy.js';

/** What the deploys query says its columns are; the engine checks the values. */
export interface DeployRow {
  /** A BIGINT comes back as text from MySQL, a number from SQLite. */
  id: string | number;
  plan_hash: string;
  source_schema_hash: string | null;
  status: DeployStatus;
  plan: string;
  started_at: string;
  finished_at: string | null;
  ran_by: string;
}

export interface StepRow {
  step_id: string;
  phase: string;
  description: string;
  checksum: string;
  status: StepStatus;
  attempts: string;
  backfill: string | null;
  statements_done: number | null;
  started_at: string | null;
  finished_at: string | null;
}

/** JSON text → its value; text that does not parse stays text (journal-check.ts says what is wrong). */
export function parsedJson(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/**
 * The rows of one deploy as the contract's JournalRows; `time` turns a stored time into an ISO
 * string (MySQL stores DATETIME(6) in UTC; SQLite stores the ISO string itself).
 */
export function journalRowsOf(
  d: DeployRow,
  steps: readonly StepRow[],
  time: (stored: string | null) => string | null = (stored) => stored,
): JournalRows {
  return {
    deploy: {
      id: Number(d.id),
      planHash: d.plan_hash,
      sourceSchemaHash: d.source_schema_hash,
      status: d.status,
      plan: parsedJson(d.plan),
      startedAt: time(d.started_at) ?? '',
      finishedAt: time(d.finished_at),
      ranBy: d.ran_by,
    },
    steps: steps.map((s) => ({
      id: s.step_id,
      phase: s.phase,
      description: s.description,
      checksum: s.checksum,
      status: s.status,
      attempts: parsedJson(s.attempts),
      backfill: parsedJson(s.backfill),
      statementsDone: s.statements_done,
      startedAt: time(s.started_at),
      finishedAt: time(s.finished_at),
    })),
  };
}
