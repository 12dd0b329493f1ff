/** An Operation as ChangeFacts: metadata locks, rewrite flags, `online`, notes in users' words. */
import type { ChangeFacts, LockFact } from '../../../core/analysis.js';
import { NO_FACTS } from '../../../core/analysis.js';
import type { MetadataLockMode } from '../../../core/locks.js';
import { heldMode, WORDS, type Operation } from './operation.js';

/**
 * `mode`: the metadata lock the whole statement holds while it works (default: this clause's);
 * `statementNotes`: whether this clause carries what is true of every ALTER (the queue, the
 * commit): the statement's first clause does, so a report says it once.
 */
export function toFacts(
  op: Operation,
  tables: readonly string[],
  mode: MetadataLockMode = heldMode(op),
  statementNotes = true,
): ChangeFacts {
  if (op.fails) return failed(op, tables);
  const locks: LockFact[] = [
    ...tables.map((table) => ({ table, mode })),
    ...(op.alsoLocks ?? []).map((table) => ({ table, mode })),
    ...(op.exclusive ?? []).map((table) => ({ table, mode: 'EXCLUSIVE' as const })),
  ];
  const instant = op.algorithm === 'INSTANT';
  const general =
    statementNotes && !op.notOnline
      ? [WORDS.queue, 'DDL commits the open transaction and cannot be rolled back']
      : [];
  const own =
    op.noop && op.notes.length === 0
      ? ['no change: already as written (a MODIFY restates the whole column)']
      : op.notes;
  const notes = [...own, ...general];
  return {
    ...NO_FACTS,
    locks,
    rewritesTable: op.rebuilds,
    rebuildsIndexes: op.rebuilds,
    // A copy or rebuild reads every row anyway: `scansTable` is a read without a rewrite.
    scansTable: (op.scans ?? false) && !op.rebuilds,
    buildsIndex: op.buildsIndex ?? false,
    rejectsExistingValues: op.rejects ?? false,
    validates: op.validates ?? [],
    emptiesTable: op.empties ?? false,
    transactional: false,
    notes,
    ...(op.notOnline
      ? {}
      : {
          online: {
            algorithm: op.algorithm,
            rebuildsTable: op.rebuilds,
            blocksWrites: !instant && op.lock !== 'NONE',
            blocksReads: !instant && op.lock === 'EXCLUSIVE',
            ...(op.lockRaised && !instant ? { lockRaisedByClause: true } : {}),
            evidence: op.evidence,
          },
        }),
  };
}

/**
 * Refused before any work (an ALGORITHM or LOCK the server cannot honour): only the brief
 * SHARED_UPGRADABLE lock the ALTER opens the table with (measured); `algorithm` says what the
 * change would need, the rest that nothing happens.
 */
function failed(op: Operation, tables: readonly string[]): ChangeFacts {
  return {
    ...NO_FACTS,
    locks: tables.map((table) => ({ table, mode: 'SHARED_UPGRADABLE' as const })),
    transactional: false,
    notes: [`fails: ${op.fails ?? ''}`],
    online: {
      algorithm: op.algorithm,
      rebuildsTable: false,
      blocksWrites: false,
      blocksReads: false,
      evidence: op.evidence,
    },
  };
}
