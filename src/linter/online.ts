/**
 * The statement-level online DDL keys of MySQL/MariaDB reports (`algorithm`, `blocksWrites`,
 * `blocksReads`, `evidence`), from the facts of the statement's Changes.
 */
import type { AnalyzedStatement, ChangeFacts, OnlineAlgorithm } from '../core/analysis.js';

// Heaviest last: a statement whose clauses need different algorithms runs the heaviest for all.
const ORDER: readonly OnlineAlgorithm[] = ['INSTANT', 'NOCOPY', 'INPLACE', 'COPY'];

export function onlineSummary(
  facts: readonly ChangeFacts[],
): Pick<AnalyzedStatement, 'algorithm' | 'blocksWrites' | 'blocksReads' | 'evidence'> {
  // Only MySQL/MariaDB facts have `online`: the others return here without building a list.
  if (!facts.some((f) => f.online)) return {};
  const online = facts.flatMap((f) => (f.online ? [f.online] : []));
  const first = online[0];
  if (!first) return {};
  let algorithm = first.algorithm;
  for (const o of online) if (ORDER.indexOf(o.algorithm) > ORDER.indexOf(algorithm)) algorithm = o.algorithm;
  return {
    algorithm,
    blocksWrites: online.some((o) => o.blocksWrites),
    blocksReads: online.some((o) => o.blocksReads),
    evidence: online.some((o) => o.evidence === 'documented-only') ? 'documented-only' : 'server-verified',
  };
}
