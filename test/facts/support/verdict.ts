/**
 * The two sides of every fact case, in the same shape: what facts.ts predicts for a statement's
 * Changes, and what a trace of the statement on the server shows.
 */
import type { ChangeFacts } from '../../../src/core/analysis.js';
import { lockStrength, type LockMode } from '../../../src/core/locks.js';
import type { SchemaSnapshot } from '../../../src/core/snapshot.js';
import type { StatementTrace } from '../../../src/dialects/postgres/validate/trace.js';
import type { Verdict } from './fact-case.js';

/** A statement's Changes together: the strongest lock per relation, any rewrite, and so on. */
export function predictedVerdict(facts: readonly ChangeFacts[]): Verdict {
  const locks: Record<string, LockMode> = {};
  for (const f of facts) for (const l of f.locks) locks[l.table] = strongest(locks[l.table], l.mode);
  return {
    locks: sortedKeys(locks),
    rewritesTable: facts.some((f) => f.rewritesTable),
    emptiesTable: facts.some((f) => f.emptiesTable),
    rebuildsIndexes: facts.some((f) => f.rebuildsIndexes),
    buildsIndex: facts.some((f) => f.buildsIndex),
    scansTable: facts.some((f) => f.scansTable),
    transactional: facts.every((f) => f.transactional),
  };
}

/** Relation kinds whose locks stop application queries: facts must name every one of them. */
const TABLE_LIKE = new Set(['table', 'partitioned table', 'view', 'materialized view', 'foreign table']);

/**
 * The server's side. Which locks count:
 * - only relations that existed before the statement: nobody else can wait on a relation the
 *   statement is creating, and facts do not list them;
 * - tables, views and materialized views, plus any other relation facts name (ALTER INDEX …
 *   RENAME locks the index, not its table). Locks on indexes, sequences and TOAST follow the
 *   table's and are not what a migration author decides about;
 * - an ACCESS SHARE lock facts do not mention is ignored: it conflicts only with ACCESS
 *   EXCLUSIVE, and PostgreSQL takes it on every relation a statement merely reads (the
 *   referenced table's index during foreign key validation, the index REINDEX reads from).
 *   An ACCESS SHARE that facts do predict must be there, with that mode.
 *
 * Scans: a heap scan is counted for each index built or rebuilt and one for the read side of a
 * rewrite; what is left is a scan to validate or to read rows (on 10, a foreign key added with
 * a rewrite is validated by a third pass over the table, probing the referenced table's index).
 * An emptied table (TRUNCATE) has nothing left to read: its empty indexes' builds count a scan.
 *
 * Rewritten or emptied: a new file with rows in it, or an empty one. A case that rewrites must
 * give its table rows, or the rewrite looks like TRUNCATE (and costs as little).
 */
export function measuredVerdict(
  trace: StatementTrace,
  snapshot: SchemaSnapshot,
  predictedLocks: Record<string, LockMode>,
): Verdict {
  const locks: Record<string, LockMode> = {};
  for (const l of trace.locks) {
    if (!l.existedBefore) continue;
    const predicted = predictedLocks[l.relation] !== undefined;
    if (!TABLE_LIKE.has(l.kind) && !predicted) continue;
    if (l.mode === 'ACCESS SHARE' && !predicted) continue;
    locks[l.relation] = l.mode;
  }
  const existing = new Set([
    ...snapshot.tables.map((t) => `${t.schema}.${t.name}`),
    ...snapshot.views.map((v) => `${v.schema}.${v.name}`),
  ]);
  const rewritten = new Set(trace.rewrittenTables);
  const indexBuilds = (table: string) =>
    [...trace.createdIndexes, ...trace.rebuiltIndexes].filter((i) => i.table === table).length;
  const verdict: Verdict = {
    locks: sortedKeys(locks),
    rewritesTable: trace.rewrittenTables.length > 0,
    emptiesTable: trace.emptiedTables.length > 0,
    rebuildsIndexes: trace.rebuiltIndexes.length > 0,
    buildsIndex: trace.createdIndexes.some((i) => existing.has(i.table)),
    transactional: trace.inTransaction,
  };
  if (trace.scans !== null) {
    const emptied = new Set(trace.emptiedTables);
    verdict.scansTable = trace.scans.some(
      (s) =>
        !emptied.has(s.table) && s.seqScans - indexBuilds(s.table) - (rewritten.has(s.table) ? 1 : 0) > 0,
    );
  }
  return verdict;
}

function strongest(a: LockMode | undefined, b: LockMode): LockMode {
  return a === undefined || lockStrength(b) > lockStrength(a) ? b : a;
}

function sortedKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : 1)));
}
