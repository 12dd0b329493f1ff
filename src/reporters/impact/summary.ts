/**
 * The words every impact output shares: the one-line verdict (check's checklist line), one
 * line per query, and the recommended approach's sentences saying which services must ship
 * their change before which plan step.
 */
import type { ImpactedQuery, ImpactResult } from '../../core/impact.js';
import type { Plan } from '../../core/plan.js';
import type { ChecklistItem } from '../../validate/types.js';

export function impactTotals(result: ImpactResult): {
  affected: number;
  services: number;
  checked: number;
  unresolved: number;
} {
  return {
    affected: result.affected_services.length,
    services: result.services.length,
    checked: result.services.reduce((n, s) => n + s.queriesChecked, 0),
    unresolved: result.services.reduce((n, s) => n + s.unresolved.length, 0),
  };
}

/** `0 of 6 services affected (412 queries checked, 3 unresolved)` */
export function impactHeadline(result: ImpactResult): string {
  const t = impactTotals(result);
  return `${t.affected} of ${t.services} service${t.services === 1 ? '' : 's'} affected (${t.checked} quer${t.checked === 1 ? 'y' : 'ies'} checked, ${t.unresolved} unresolved)`;
}

/** `orders/src/q.sql:3:1 broken at contract-1: 42703 column "name" does not exist` */
export function queryLine(service: string, q: ImpactedQuery): string {
  const why = q.error ? `${q.error.code} ${q.error.message}` : (q.reason ?? '');
  return `${service}/${q.file}:${q.line}:${q.column} ${q.status} at ${q.breaksAt}: ${why}`;
}

export function impactChecklistItem(result: ImpactResult): ChecklistItem {
  return {
    ok: result.affected_services.length === 0,
    label: `Cross-service impact: ${impactHeadline(result)}`,
    reasons: result.affected_services.flatMap((s) => s.queries.map((q) => queryLine(s.service, q))),
  };
}

/**
 * What the approach adds: for each plan step that breaks queries, the services that must deploy
 * code no longer running them before it; breaks only of the migration as written say to deploy
 * the plan. Empty when nothing breaks.
 */
export function impactApproach(result: ImpactResult, plan: Plan): string[] {
  if (result.affected_services.length === 0) return [];
  const lines = ['Cross-service impact (queries of other services this migration breaks):'];
  const order = new Map(plan.steps.map((s, i) => [s.id, i]));
  const atSteps = new Map<string, Map<string, ImpactedQuery[]>>();
  for (const s of result.affected_services) {
    for (const q of s.queries) {
      const byService = atSteps.get(q.breaksAt) ?? new Map<string, ImpactedQuery[]>();
      byService.set(s.service, [...(byService.get(s.service) ?? []), q]);
      atSteps.set(q.breaksAt, byService);
    }
  }
  const keys = [...atSteps.keys()].sort((a, b) => (order.get(a) ?? 1e9) - (order.get(b) ?? 1e9));
  for (const at of keys) {
    const byService = atSteps.get(at) ?? new Map<string, ImpactedQuery[]>();
    const step = plan.steps.find((s) => s.id === at);
    const where = step
      ? `before step ${(order.get(at) ?? 0) + 1} (${step.id}, ${step.phase}: ${step.description})`
      : 'before the migration as written runs (the plan keeps them working: deploy the plan instead)';
    for (const [service, queries] of byService) {
      const first = queries[0];
      const error = first?.error
        ? ` (${first.error.code} ${first.error.message})`
        : first?.reason
          ? ` (${first.reason})`
          : '';
      lines.push(
        `- ${service} must ship code that no longer runs ${queries.length === 1 ? 'this query' : `these ${queries.length} queries`} ${where}: ${queries.map((q) => `${q.file}:${q.line}`).join(', ')}${error}`,
      );
    }
  }
  return lines;
}
