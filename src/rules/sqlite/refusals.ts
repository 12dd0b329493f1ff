/**
 * Statements SQLite refuses, as the dialect's facts say (a first note `fails: <SQLite's
 * message>`, docs/decisions/0033-sqlite-facts.md), and the one rule that reports each: the
 * message says what SQLite will answer, the owner says what to do instead. Rules for every
 * dialect (drop-column, rename-column, …) stay quiet on a refused statement: it changes nothing.
 */
import type { ChangeFacts } from '../../core/analysis.js';
import type { Change } from '../../core/change.js';

export type RefusalOwner =
  'sqlite-add-column-refused' | 'sqlite-drop-column-refused' | 'sqlite-table-rebuild';

/** SQLite's refusal of the Change, or null when it runs. */
export function refusal(facts: ChangeFacts): string | null {
  const first = facts.notes[0];
  return first?.startsWith('fails: ') ? first.slice('fails: '.length) : null;
}

/** The rule that reports a refusal of this Change. */
export function refusalOwner(change: Change): RefusalOwner {
  if (change.kind === 'add column') return 'sqlite-add-column-refused';
  if (change.kind === 'drop column') return 'sqlite-drop-column-refused';
  // RENAME COLUMN before 3.25.0, ADD CHECK / DROP CONSTRAINT / SET and DROP NOT NULL before
  // 3.53.0: SQLite has no such ALTER TABLE, only the rebuild.
  return 'sqlite-table-rebuild';
}

/** SQLite refuses it: a rule for every dialect has nothing to add. */
export function refusedOnSqlite(dialect: string, facts: ChangeFacts): boolean {
  return dialect === 'sqlite' && refusal(facts) !== null;
}
