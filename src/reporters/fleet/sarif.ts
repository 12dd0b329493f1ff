import type { AnalyzedStatement } from '../../core/analysis.js';
import type { FleetReport } from '../../core/fleet.js';
import type { Rule } from '../../core/rule.js';
import { repoRelative } from '../../fleet/paths.js';
import { sarifLog, sarifRulesAndResults } from '../sarif.js';
import { checkReportOf } from './common.js';

export interface FleetSarifOptions {
  /** schemapilot's version (the CLI passes it; reporters read no files). */
  toolVersion: string;
  /**
   * The repository root. A FleetReport's file names are relative to it already (fleet check
   * reads from the root; fleet report rewrites a check report's); an absolute one inside it is
   * made relative, as code scanning wants.
   */
  root?: string;
  /** Rules to describe; default the registry. */
  rules?: readonly Rule[];
}

/**
 * One SARIF log for code scanning with every checked service's analysis findings: one run, the
 * rules described once, each result on its statement's file (repository-relative) with the
 * service's name in its properties. Skipped and failed services have no findings to give; the
 * run's properties carry every service's verdict.
 */
export function renderFleetSarif(report: FleetReport, options: FleetSarifOptions): string {
  const checked = report.services.flatMap((service) => {
    const check = checkReportOf(service);
    return check ? [{ service: service.service, statements: check.analysis.statements }] : [];
  });
  const { root } = options;
  const located = checked.map(({ statements }) =>
    root === undefined
      ? statements
      : statements.map((s): AnalyzedStatement => ({ ...s, file: repoRelative(s.file, root) })),
  );
  const { rules, results } = sarifRulesAndResults(located, options.rules);
  const all = results.flatMap((list, i) =>
    list.map((r) => ({ ...r, properties: { ...r.properties, service: checked[i]?.service } })),
  );
  return sarifLog(options.toolVersion, rules, all, {
    safe: report.safe,
    since: report.since,
    services: report.services.map((s) => ({ service: s.service, verdict: s.verdict, reasons: s.reasons })),
    unchanged: report.unchanged,
  });
}
