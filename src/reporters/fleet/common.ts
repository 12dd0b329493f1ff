/**
 * What the fleet's text, markdown and SARIF share: the headline, the summary table's cells, and
 * a service's `check --format json` report read back with its types.
 */
import type { AnalysisResult } from '../../core/analysis.js';
import type { FleetReport, FleetServiceReport, FleetSummaryRow, FleetVerdict } from '../../core/fleet.js';
import type { ImpactResult } from '../../core/impact.js';
import { checkJsonProblem, checkReasons, type CheckJson } from '../../fleet/summary.js';
import type { ChecklistItem, ValidationResult } from '../../validate/types.js';

/**
 * `check --format json`: check's result without the analysis' internals (`run`, `plan`; the plan
 * is at the top level). What `fleet report` reads from a file has been checked against
 * src/fleet/report-schema.ts; what `fleet check` passes is check's own result.
 */
export interface CheckReport extends CheckJson {
  analysis: AnalysisResult;
  validation: ValidationResult;
  checklist: ChecklistItem[];
  impact?: ImpactResult;
}

export function checkReportOf(service: FleetServiceReport): CheckReport | null {
  return service.check !== undefined && checkJsonProblem(service.check) === null
    ? (service.check as CheckReport)
    : null;
}

export const VERDICT_WORDS: Record<FleetVerdict, string> = {
  safe: 'safe',
  unsafe: 'unsafe',
  skipped: 'skipped',
  failed: 'failed',
};

/** Not safe: unsafe, skipped (never counted as safe) or failed. */
export function needsAttention(service: FleetServiceReport): boolean {
  return service.verdict !== 'safe';
}

/** `2 of 5 changed services need attention` / `all 5 changed services are safe to deploy`. */
export function headline(report: FleetReport): string {
  const n = report.services.length;
  const attention = report.services.filter(needsAttention).length;
  if (n === 0) return 'no changed services to check';
  const services = `changed service${n === 1 ? '' : 's'}`;
  if (attention > 0) return `${attention} of ${n} ${services} need${attention === 1 ? 's' : ''} attention`;
  return n === 1 ? `the changed service is safe to deploy` : `all ${n} ${services} are safe to deploy`;
}

/** `Changed since main.` (nothing when the reports did not say). */
export function sinceWords(report: FleetReport): string | null {
  return report.since === null ? null : `Migrations changed since ${report.since}.`;
}

/** The summary table's columns, in order. */
export const COLUMNS = [
  'service',
  'verdict',
  'breaking changes',
  'lock risk',
  'plan steps',
  'validation',
  'services affected',
] as const;

const NONE = '–';

/**
 * One row's cells after the service and verdict. The lock cell is the impact and the estimate
 * without its parenthesis (which lock on which table: the service's section says it), so the
 * table stays narrow.
 */
export function rowCells(row: FleetSummaryRow): string[] {
  return [
    row.lockRisk === null && row.planSteps === null ? NONE : String(row.breakingChanges),
    lockCell(row),
    row.planSteps === null ? NONE : String(row.planSteps),
    row.validation,
    affectedCell(row),
  ];
}

export function lockCell(row: FleetSummaryRow): string {
  if (row.lockRisk === null) return NONE;
  if (row.lockDuration === null) return row.lockRisk;
  return `${row.lockRisk} · ${row.lockDuration.replace(/\s*\(.*\)\s*$/s, '')}`;
}

/** `low, < 0.01 seconds (ACCESS EXCLUSIVE on public.users, blocks reads and writes)`, or null. */
export function lockWords(row: FleetSummaryRow): string | null {
  if (row.lockRisk === null) return null;
  return row.lockDuration === null ? row.lockRisk : `${row.lockRisk}, ${row.lockDuration}`;
}

/** The affected services' names, or `0 of 6` when none of the checked ones is, or `–` when none was checked. */
export function affectedCell(row: FleetSummaryRow): string {
  if (row.servicesAffected.length > 0) return row.servicesAffected.join(', ');
  return row.servicesChecked > 0 ? `0 of ${row.servicesChecked}` : NONE;
}

/** `postgres, database main` */
export function whereWords(service: FleetServiceReport): string {
  return service.database === null ? service.dialect : `${service.dialect}, database ${service.database}`;
}

/**
 * The reasons the checklist does not already give (skipped and failed services have only
 * these; a checked service's reasons are its failing checklist lines, shown with the checklist).
 */
export function extraReasons(service: FleetServiceReport, check: CheckReport | null): string[] {
  if (check === null) return service.reasons;
  const shown = new Set(checkReasons(check));
  return service.reasons.filter((r) => !shown.has(r));
}

/** Breaking changes the checklist does not list among its reasons. */
export function unlistedBreakingChanges(check: CheckReport): string[] {
  const listed = new Set(check.checklist.flatMap((c) => c.reasons));
  return check.analysis.assessment.breaking_changes.filter((b) => !listed.has(b));
}

/** Migration files shown per service; the rest are counted. */
export const MIGRATIONS_SHOWN = 10;

export function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
