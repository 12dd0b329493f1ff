/** The shape every PostgreSQL fact starts from (facts.ts and its facts-*.ts helpers). */
import { NO_FACTS, type ChangeFacts, type LockFact } from '../../core/analysis.js';
import type { LockMode } from '../../core/locks.js';

export function facts(partial: Partial<ChangeFacts> & { locks: LockFact[] }): ChangeFacts {
  // Fresh lists: facts are extended in place (notes, locks) after they are made.
  return { ...NO_FACTS, validates: [], notes: [], ...partial };
}

export const lock = (table: string, mode: LockMode): LockFact => ({ table, mode });
