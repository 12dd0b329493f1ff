/**
 * What the engine predicted for a statement against what the scratch server did. A mismatch
 * means one of the dialect's facts is wrong (or the statement hit a case it does not know), so
 * it is reported: a lock or rewrite we did not predict is an error (the verdict was
 * too kind); one we predicted and did not see is a warning (the verdict was too strict).
 */
import type { AnalyzedStatement, Severity } from '../core/analysis.js';
import { lockStrength, type LockMode } from '../core/locks.js';
import type { StatementTrace } from '../core/dialect/validation.js';

export interface TraceMismatch {
  severity: Severity;
  table: string;
  message: string;
}

/** What comparison needs from the engine's analysis of one statement. */
export type Prediction = Pick<AnalyzedStatement, 'locks' | 'rewritesTable'> & {
  /** TRUNCATE: its new, empty files look like a rewrite when the table was empty already. */
  emptiesTable?: boolean;
};

/**
 * @param existing tables (`schema.name`) that existed before the migration: only their locks
 *   and rewrites matter, a table the migration creates carries no risk.
 */
export function compareTrace(
  prediction: Prediction,
  trace: StatementTrace,
  existing: ReadonlySet<string>,
): TraceMismatch[] {
  const out: TraceMismatch[] = [];
  const predicted = strongestByTable(prediction.locks.filter((l) => existing.has(l.table)));
  const measured = strongestByTable(
    trace.locks
      .filter((l) => l.existedBefore && existing.has(l.relation))
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
  if (prediction.rewritesTable && rewritten.length === 0 && trace.inTransaction) {
    const table = prediction.locks.find((l) => existing.has(l.table))?.table;
    if (table)
      out.push({ severity: 'warning', table, message: `predicted a rewrite of ${table}; none happened` });
  }
  return out;
}

function strongestByTable(locks: readonly { table: string; mode: LockMode }[]): Map<string, LockMode> {
  const out = new Map<string, LockMode>();
  for (const { table, mode } of locks) {
    const seen = out.get(table);
    if (!seen || lockStrength(mode) > lockStrength(seen)) out.set(table, mode);
  }
  return out;
}
