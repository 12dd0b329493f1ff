/**
 * Findings + facts + sizes → the brief's assessment JSON. Pure: every number comes from the
 * analysis, none from a model.
 */
import type { AnalyzedStatement, Assessment, Finding, PerformanceImpact } from '../core/analysis.js';
import type { Change } from '../core/change.js';
import type { Rule } from '../core/rule.js';
import {
  blockedTraffic,
  lockStrength,
  POSTGRES_LOCKS,
  type LockMode,
  type LockModel,
  lockOn,
} from '../core/locks.js';
import type { StatementDetail } from '../core/migration.js';

export interface AssessOptions {
  rules: readonly Rule[];
  largeTableRows: number;
  /** Rows of a table by qualified name, when known. */
  rowsOf(table: string): number | null;
  /** The dialect's lock vocabulary (lockModelOf): which modes block traffic. Default PostgreSQL's. */
  lockModel?: LockModel;
}

export function assess(
  statements: readonly AnalyzedStatement[],
  details: readonly StatementDetail[],
  options: AssessOptions,
): Assessment {
  const categories = new Map(options.rules.map((r) => [r.meta.id, r.meta.category]));
  const findings = statements.flatMap((s) => s.findings);
  const breaking = findings.filter((f) => categories.get(f.rule) === 'breaking' && f.severity !== 'info');
  const errors = findings.filter((f) => f.severity === 'error');
  const model = options.lockModel ?? POSTGRES_LOCKS;
  const window = longestLockWindow(statements, details, model);
  return {
    breaking_changes: unique(breaking.map((f) => f.message)),
    performance_impact: performanceImpact(statements, details, window.ms, options),
    lock_duration_estimate: describeWindow(window, model),
    requires_data_migration: requiresDataMigration(statements, details, options),
    rollback_complexity: rollbackComplexity(statements.flatMap((s) => s.changes)),
    safe_to_deploy: errors.length === 0,
    recommended_approach: recommendedApproach(statements, window, model),
  };
}

interface LockWindow {
  ms: number;
  mode: LockMode | null;
  table: string | null;
}

/**
 * The longest time application traffic can be blocked: a blocking lock is held until its
 * transaction ends, so inside a transaction the window runs from the first statement taking it
 * to the last statement of the transaction.
 */
export function longestLockWindow(
  statements: readonly AnalyzedStatement[],
  details: readonly StatementDetail[],
  model: LockModel = POSTGRES_LOCKS,
): LockWindow {
  let best: LockWindow = { ms: 0, mode: null, table: null };
  const consider = (w: LockWindow) => {
    if (
      w.mode &&
      (w.ms > best.ms ||
        (w.ms === best.ms && (!best.mode || lockStrength(w.mode, model) > lockStrength(best.mode, model))))
    )
      best = w;
  };
  let open: (LockWindow & { tx: number }) | null = null;
  statements.forEach((s, i) => {
    const d = details[i];
    if (!d) return;
    const blocking = strongestBlocking(s, d, model);
    if (d.transactionId === null) {
      if (open) consider(open);
      open = null;
      if (blocking) consider({ ms: s.estimatedLockMs, ...blocking });
      return;
    }
    if (open && open.tx !== d.transactionId) {
      consider(open);
      open = null;
    }
    if (open) {
      open.ms += d.durationMs;
      if (blocking && lockStrength(blocking.mode, model) > lockStrength(open.mode as LockMode, model))
        Object.assign(open, blocking);
    } else if (blocking) {
      open = { tx: d.transactionId, ms: d.durationMs, ...blocking };
    }
  });
  if (open) consider(open);
  return best;
}

function strongestBlocking(
  s: AnalyzedStatement,
  d: StatementDetail,
  model: LockModel,
): { mode: LockMode; table: string } | null {
  let best: { mode: LockMode; table: string } | null = null;
  for (const l of s.locks) {
    if (!d.existingTables.includes(l.table)) continue;
    const { reads, writes } = blockedTraffic(l.mode, model);
    if (!reads && !writes) continue;
    if (!best || lockStrength(l.mode, model) > lockStrength(best.mode, model))
      best = { mode: l.mode, table: l.table };
  }
  return best;
}

function describeWindow(w: LockWindow, model: LockModel): string {
  if (!w.mode) return '0 seconds (no lock blocks reads or writes)';
  const seconds = w.ms / 1000;
  const text = seconds < 0.01 ? '< 0.01' : seconds < 10 ? seconds.toFixed(2) : String(Math.round(seconds));
  return `${text} seconds (${lockOn(model, w.mode, w.table ?? '')}, ${blockedTraffic(w.mode, model).reads ? 'blocks reads and writes' : 'blocks writes'})`;
}

function performanceImpact(
  statements: readonly AnalyzedStatement[],
  details: readonly StatementDetail[],
  windowMs: number,
  options: AssessOptions,
): PerformanceImpact {
  const heavyOnLarge = statements.some((s, i) => {
    const d = details[i];
    // REINDEX rebuilds existing indexes (rebuildsIndexes) rather than building a new one.
    const indexWork = d?.facts.some((f) => f.buildsIndex || f.rebuildsIndexes) ?? false;
    if (!d || !(s.rewritesTable || s.scansTable || indexWork)) return false;
    return d.existingTables.some(
      (t) => (options.rowsOf(t) ?? options.largeTableRows) >= options.largeTableRows,
    );
  });
  if (windowMs >= 1000) return 'high';
  if (windowMs >= 100 || heavyOnLarge) return 'medium';
  return 'low';
}

function requiresDataMigration(
  statements: readonly AnalyzedStatement[],
  details: readonly StatementDetail[],
  options: AssessOptions,
): boolean {
  return statements.some((s, i) => {
    const d = details[i];
    return s.changes.some((c) => {
      const table = 'table' in c && typeof c.table === 'string' ? c.table : null;
      const existing = table !== null && (d?.existingTables.includes(table) ?? false);
      const rows = table ? (options.rowsOf(table) ?? 1) : 1;
      if (c.kind === 'dml') return existing;
      if (c.kind === 'add column')
        return existing && rows > 0 && (s.rewritesTable || (c.column.notNull && !c.column.default));
      if (c.kind === 'alter column type') return existing && s.rewritesTable;
      return false;
    });
  });
}

const COMPLEXITY: Partial<Record<Change['kind'], 1 | 2 | 3 | 4 | 5>> = {
  'add column': 1,
  'create table': 1,
  'create index': 1,
  'create view': 1,
  'create enum': 1,
  'set default': 1,
  'drop default': 1,
  comment: 1,
  'add constraint': 2,
  'validate constraint': 1,
  'set not null': 2,
  'drop not null': 2,
  'drop index': 2,
  'rename index': 2,
  'drop constraint': 2,
  'drop view': 2,
  'rename column': 3,
  'rename table': 3,
  'alter column type': 3,
  'add enum value': 3,
  'rename enum value': 3,
  'detach partition': 3,
  'attach partition': 2,
  dml: 4,
  'drop column': 5,
  'drop table': 5,
  truncate: 5,
  'drop schema': 5,
  'drop database': 5,
  'drop type': 4,
};

/** 1 = drop what was added; 5 = data is gone and only a backup brings it back. */
export function rollbackComplexity(changes: readonly Change[]): 1 | 2 | 3 | 4 | 5 {
  let worst: 1 | 2 | 3 | 4 | 5 = 1;
  for (const c of changes) {
    const n = COMPLEXITY[c.kind] ?? 1;
    if (n > worst) worst = n;
  }
  return worst;
}

function recommendedApproach(
  statements: readonly AnalyzedStatement[],
  window: LockWindow,
  model: LockModel,
): string {
  const problems: Finding[] = statements.flatMap((s) => s.findings.filter((f) => f.severity !== 'info'));
  if (problems.length === 0) {
    // No rule objected, but a lock held for seconds is not "brief": say how long traffic waits.
    const lock = !window.mode
      ? ''
      : window.ms < 1000
        ? ` Each lock is brief (longest: ${describeWindow(window, model)}).`
        : ` Traffic waits while it runs: ${describeWindow(window, model)}.`;
    return `Apply as is: ${statements.length} statement${statements.length === 1 ? '' : 's'}, no finding needs a change.${lock}`;
  }
  const steps = problems.map((f, i) => {
    const safe = f.safeAlternative ? `\n   Instead:\n${indent(f.safeAlternative, '     ')}` : '';
    return `${i + 1}. [${f.severity}] ${f.message} (${f.rule})${safe}`;
  });
  return steps.join('\n');
}

function indent(text: string, pad: string): string {
  // Same as pad before every line, without an array per finding.
  return pad + text.replaceAll('\n', `\n${pad}`);
}

function unique(items: readonly string[]): string[] {
  return [...new Set(items)];
}
