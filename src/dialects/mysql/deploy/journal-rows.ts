/**
 * The journal's rows as MySQL returns them (one interface per query, as the introspector's
 * catalog rows), turned into the contract's JournalRows. Times are stored in UTC
 * (UTC_TIMESTAMP(6), and ISO strings written as UTC) and read back as ISO strings; JSON columns
 * are text, parsed here and left as text when they do not parse, so the engine's checks report
 * a damaged journal instead of this file failing.
 */
import type { JournalRows } from '../../../core/dialect/deploy.js';
import type { DeployStatus, StepStatus } from '../../../core/deploy.js';

/** What the deploys query says its columns are; the engine checks the values (journal-check.ts). */
export interface DeployRow {
  id: string;
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

/** `2026-12-07 05:58:12.123456` (a DATETIME(6) in UTC, as mysql2's dateStrings gives it) → ISO. */
export function fromJournalTime(value: string | null): string | null {
  if (value === null) return null;
  const date = new Date(`${value.replace(' ', 'T')}Z`);
  return Number.isNaN(date.getTime()) ? value : date.toISOString();
}

/** An ISO time → a DATETIME(6) literal in UTC; DATETIME takes no zone suffix. */
export function toJournalTime(iso: string | null): string | null {
  if (iso === null) return null;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? null : date.toISOString().replace('T', ' ').replace('Z', '');
}

function parsed(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

export function journalRowsOf(d: DeployRow, steps: readonly StepRow[]): JournalRows {
  return {
    deploy: {
      id: Number(d.id),
      planHash: d.plan_hash,
      sourceSchemaHash: d.source_schema_hash,
      status: d.status,
      plan: parsed(d.plan),
      startedAt: fromJournalTime(d.started_at) ?? '',
      finishedAt: fromJournalTime(d.finished_at),
      ranBy: d.ran_by,
    },
    steps: steps.map((s) => ({
      id: s.step_id,
      phase: s.phase,
      description: s.description,
      checksum: s.checksum,
      status: s.status,
      attempts: parsed(s.attempts),
      backfill: parsed(s.backfill),
      statementsDone: s.statements_done,
      startedAt: fromJournalTime(s.started_at),
      finishedAt: fromJournalTime(s.finished_at),
    })),
  };
}
