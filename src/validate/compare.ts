/**
 * What the engine predicted for a statement against what the scratch server did. A mismatch
 * means one of the dialect's facts is wrong (or the statement hit a case it does not know), so
 * it is reported: a lock or rewrite we did not predict is an error (the verdict was
 * too kind); one we predicted and did not see is a warning (the verdict was too strict).
 */
import type { AnalyzedStatement, OnlineAlgorithm, Severity } from '../core/analysis.js';
import { lockStrength, POSTGRES_LOCKS, type LockMode, type LockModel } from '../core/locks.js';
import type { StatementTrace } from '../core/dialect/validation.js';

export interface TraceMismatch {
  severity: Severity;
  table: string;
  message: string;
}

/** What comparison needs from the engine's analysis of one statement. */
export type Prediction = Pick<AnalyzedStatement, 'locks' | 'rewritesTable'> &
  Partial<Pick<AnalyzedStatement, 'algorithm' | 'blocksWrites'>> & {
    /** TRUNCATE: its new, empty files look like a rewrite when the table was empty already. */
    emptiesTable?: boolean;
  };

/**
 * @param existing tables (`schema.name`) that existed before the migration: only their locks
 *   and rewrites matter, a table the migration creates carries no risk.
 * @param model the dialect's lock modes (PostgreSQL's by default), which say which is stronger.
 */
export function compareTrace(
  prediction: Prediction,
  trace: StatementTrace,
  existing: ReadonlySet<string>,
  model: LockModel = POSTGRES_LOCKS,
): TraceMismatch[] {
  const out: TraceMismatch[] = [];
  const lockStrength = (mode: LockMode) => strength(mode, model);
  // One lock for the whole database (SQLite): compared once, whatever tables it was taken for,
  // new ones included.
  const whole = model.scope === 'database';
  const strongestByTable = (locks: readonly { table: string; mode: LockMode }[]) =>
    strongest(whole ? locks.map((l) => ({ ...l, table: 'the database' })) : locks, model);
  const predicted = strongestByTable(prediction.locks.filter((l) => whole || existing.has(l.table)));
  const measured = strongestByTable(
    trace.locks
      .filter((l) => whole || (l.existedBefore && existing.has(l.relation)))
      .map((l) => ({ table: l.relation, mode: l.mode })),
  );
  const heldBefore = strongestByTable(
    (trace.heldBefore ?? []).map((l) => ({ table: l.relation, mode: l.mode })),
  );
  for (const [table, mode] of measured) {
    const expected = predicted.get(table);
    if (!expected)
      out.push({ severity: 'error', table, message: `took ${mode} on ${table}; no lock was predicted` });
    else if (lockStrength(mode) > lockStrength(expected))
      out.push({ severity: 'error', table, message: `took ${mode} on ${table}; predicted ${expected}` });
  }
  // Sampling a statement that runs outside a transaction can miss a short lock: only a lock
  // seen there says something.
  if (trace.inTransaction) {
    for (const [table, expected] of predicted) {
      const seen = measured.get(table);
      const already = heldBefore.get(table);
      if (already && lockStrength(already) >= lockStrength(expected)) continue;
      if (!seen || lockStrength(seen) < lockStrength(expected))
        out.push({
          severity: 'warning',
          table,
          message: `predicted ${expected} on ${table}; took ${seen ?? 'no lock'}`,
        });
    }
  }
  const rewritten = trace.rewrittenTables.filter((t) => existing.has(t));
  if (rewritten.length > 0 && !prediction.rewritesTable && !prediction.emptiesTable)
    for (const table of rewritten)
      out.push({ severity: 'error', table, message: `rewrote ${table}; no rewrite was predicted` });
  // A rebuild is measured exactly where the dialect reports it (MySQL's InnoDB table id).
  const rebuildMeasured = trace.inTransaction || trace.online?.rebuilt === false;
  if (prediction.rewritesTable && rewritten.length === 0 && rebuildMeasured) {
    const table = prediction.locks.find((l) => existing.has(l.table))?.table;
    if (table)
      out.push({ severity: 'warning', table, message: `predicted a rewrite of ${table}; none happened` });
  }
  out.push(...compareOnline(prediction, trace, existing));
  return out;
}

/** Heavier last: an algorithm further along did more work than one before it. */
const ALGORITHMS: readonly OnlineAlgorithm[] = ['INSTANT', 'NOCOPY', 'INPLACE', 'COPY'];

/**
 * MySQL/MariaDB: the algorithm that ran and whether writers waited, against the OnlineDdl facts.
 * Heavier or blocking where the engine said lighter or online is an error (the verdict was too
 * kind); lighter where it said heavier is a warning.
 */
function compareOnline(
  prediction: Prediction,
  trace: StatementTrace,
  existing: ReadonlySet<string>,
): TraceMismatch[] {
  const seen = trace.online;
  if (!seen) return [];
  const table =
    prediction.locks.find((l) => existing.has(l.table))?.table ??
    trace.locks.find((l) => existing.has(l.relation))?.relation;
  if (table === undefined) return [];
  const out: TraceMismatch[] = [];
  const expected = prediction.algorithm;
  if (expected && seen.algorithm) {
    const d = ALGORITHMS.indexOf(seen.algorithm) - ALGORITHMS.indexOf(expected);
    if (d !== 0)
      out.push({
        severity: d > 0 ? 'error' : 'warning',
        table,
        message: `ran ALGORITHM=${seen.algorithm} on ${table} (${seen.evidence}); predicted ${expected}`,
      });
  }
  if (prediction.blocksWrites === false && seen.blocksWrites === true)
    out.push({
      severity: 'error',
      table,
      message: `blocked writes to ${table} for ${seen.writerWaitMs} ms; predicted writes would go on`,
    });
  if (prediction.blocksWrites === true && seen.blocksWrites === false)
    out.push({ severity: 'warning', table, message: `predicted writes to ${table} would wait; none did` });
  return out;
}

function strongest(
  locks: readonly { table: string; mode: LockMode }[],
  model: LockModel,
): Map<string, LockMode> {
  const out = new Map<string, LockMode>();
  for (const { table, mode } of locks) {
    const seen = out.get(table);
    if (!seen || strength(mode, model) > strength(seen, model)) out.set(table, mode);
  }
  return out;
}

function strength(mode: LockMode, model: LockModel): number {
  return lockStrength(mode, model);
}
