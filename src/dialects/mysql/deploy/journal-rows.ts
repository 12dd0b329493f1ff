/**
 * The journal's times on MySQL: stored in UTC (UTC_TIMESTAMP(6), and ISO strings written as UTC)
 * and read back as ISO strings. The rows themselves map as every text-JSON journal's do
 * (src/deploy/journal-rows.ts).
 */
import type { JournalRows } from '../../../core/dialect/deploy.js';
import {
  journalRowsOf as sharedJournalRowsOf,
  type DeployRow,
  type StepRow,
} from '../../../deploy/journal-rows.js';

export type { DeployRow, StepRow } from '../../../deploy/journal-rows.js';

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

/** The rows of one deploy, times read back from UTC DATETIMEs. */
export function journalRowsOf(d: DeployRow, steps: readonly StepRow[]): JournalRows {
  return sharedJournalRowsOf(d, steps, fromJournalTime);
}
