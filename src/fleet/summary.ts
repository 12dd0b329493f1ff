/**
 * A service's `check --format json` report as one row of the fleet's summary, and the merge of
 * per-service reports into one FleetReport: what `fleet check` prints and what `fleet report`
 * rebuilds from a matrix's artifacts, so both paths give the same comment.
 */
import type { FleetReport, FleetServiceReport, FleetSummaryRow, FleetVerdict } from '../core/fleet.js';
import { InputError } from '../core/errors.js';

/** The parts of `check --format json` the summary reads; checked before use (it may come from a file). */
export interface CheckJson {
  analysis: {
    assessment: { breaking_changes: string[]; performance_impact: string; lock_duration_estimate: string };
  };
  plan: { steps: unknown[] };
  validation: { passed: boolean };
  checklist: { ok: boolean; label: string; reasons: string[] }[];
  safeToDeploy: boolean;
  impact?: { affected_services: { service: string }[]; services: { service: string }[] };
}

/** Whether `value` has the shape of `check --format json`'s output; `why` says what is missing. */
export function checkJsonProblem(value: unknown): string | null {
  const v = value as Partial<CheckJson> | null;
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return 'not a JSON object';
  if (typeof v.safeToDeploy !== 'boolean')
    return 'no "safeToDeploy" (is it the output of check --format json?)';
  if (!Array.isArray(v.checklist)) return 'no "checklist"';
  if (!v.analysis || typeof v.analysis !== 'object' || !v.analysis.assessment)
    return 'no "analysis.assessment"';
  if (!Array.isArray(v.analysis.assessment.breaking_changes))
    return 'no "analysis.assessment.breaking_changes"';
  if (!v.plan || !Array.isArray(v.plan.steps)) return 'no "plan.steps"';
  if (!v.validation || typeof v.validation.passed !== 'boolean') return 'no "validation.passed"';
  return null;
}

export const EMPTY_ROW: FleetSummaryRow = {
  breakingChanges: 0,
  lockRisk: null,
  lockDuration: null,
  planSteps: null,
  validation: 'not run',
  servicesAffected: [],
  servicesChecked: 0,
};

export function summaryRow(check: CheckJson): FleetSummaryRow {
  const a = check.analysis.assessment;
  return {
    breakingChanges: a.breaking_changes.length,
    lockRisk: a.performance_impact,
    lockDuration: a.lock_duration_estimate,
    planSteps: check.plan.steps.length,
    validation: check.validation.passed ? 'passed' : 'failed',
    servicesAffected: (check.impact?.affected_services ?? []).map((s) => s.service),
    servicesChecked: check.impact?.services.length ?? 0,
  };
}

/** The failing checklist lines, as "label: reason" (the last line, the overall verdict, left out). */
export function checkReasons(check: CheckJson): string[] {
  const items = check.checklist.slice(0, -1).filter((c) => !c.ok);
  return items.flatMap((c) =>
    c.reasons.length === 0 ? [c.label] : c.reasons.map((r) => `${c.label}: ${r}`),
  );
}

export interface ServiceIdentity {
  service: string;
  dialect: string;
  database: string | null;
  owners: string[];
  migrations: string[];
}

export function checkedService(identity: ServiceIdentity, check: CheckJson): FleetServiceReport {
  const verdict: FleetVerdict = check.safeToDeploy ? 'safe' : 'unsafe';
  return {
    ...identity,
    verdict,
    reasons: verdict === 'safe' ? [] : checkReasons(check),
    summary: summaryRow(check),
    check,
  };
}

export function uncheckedService(
  identity: ServiceIdentity,
  verdict: 'skipped' | 'failed',
  reason: string,
): FleetServiceReport {
  return { ...identity, verdict, reasons: [reason], summary: { ...EMPTY_ROW } };
}

/** Services in name order; safe only when every one is safe (skipped and failed are not). */
export function fleetReport(
  services: readonly FleetServiceReport[],
  since: string | null,
  unchanged: readonly string[],
): FleetReport {
  const names = new Set<string>();
  for (const s of services) {
    if (names.has(s.service)) throw new InputError(`service "${s.service}" is reported twice`);
    names.add(s.service);
  }
  const sorted = [...services].sort((a, b) => (a.service < b.service ? -1 : a.service > b.service ? 1 : 0));
  return {
    safe: sorted.every((s) => s.verdict === 'safe'),
    since,
    services: sorted,
    unchanged: [...unchanged].filter((n) => !names.has(n)).sort(),
  };
}
