/**
 * What a statement's lock stops, in words, in the dialect's own lock vocabulary. MySQL/MariaDB
 * statements carry the online DDL keys (algorithm, blocksWrites, blocksReads): they say what
 * waits for the whole statement, which the metadata lock's name alone does not (an instant
 * ALTER holds EXCLUSIVE, but only for a moment).
 */
import type { AnalyzedStatement } from '../core/analysis.js';
import { describeBlocking, type LockMode, type LockModel } from '../core/locks.js';

export function blockingWords(s: AnalyzedStatement, mode: LockMode, model: LockModel): string {
  if (s.algorithm === undefined) return describeBlocking(mode, model);
  if (s.blocksReads) return 'blocks reads and writes';
  if (s.blocksWrites) return 'blocks writes';
  if (s.algorithm === 'INSTANT') return 'blocks reads and writes for a moment';
  return 'reads and writes go on';
}

/** `ALGORITHM=COPY (server-verified)`; empty for dialects without online DDL keys. */
export function algorithmWords(s: AnalyzedStatement): string {
  return s.algorithm
    ? `ALGORITHM=${s.algorithm}${s.evidence === 'documented-only' ? ' (documented only)' : ''}`
    : '';
}
