/**
 * `schemapilot fleet report`'s merge: fleet reports and per-service `check --format json`
 * reports (a matrix job's artifacts) into the one FleetReport the single `fleet check` job
 * would have printed, so both paths render the same comment.
 */
import { basename } from 'node:path';
import type { FleetReport, FleetServiceReport } from '../core/fleet.js';
import { InputError } from '../core/errors.js';
import { checkJson } from '../core/json-input.js';
import { repoRelative } from './paths.js';
import { checkReportSchema, fleetReportSchema } from './report-schema.js';
import { checkedService, checkJsonProblem, fleetReport, type CheckJson } from './summary.js';

/** A check report as checked by checkReportSchema: what the merge reads besides CheckJson. */
type FileCheck = CheckJson & {
  analysis: CheckJson['analysis'] & { dialect: string; statements: { file: string }[] };
};

export interface ReportInput {
  /** The file as the user named it: in errors, and (without `.json`) a check report's service name. */
  file: string;
  /** Its parsed JSON. */
  value: unknown;
}

export interface MergeOptions {
  /** The repository root: a check report's migration files are shown relative to it. */
  root: string;
  /** Where `check` ran, which its relative file names are relative to; default `root`. */
  cwd?: string;
  /** The git ref the changes were computed against; default: the fleet reports' own. */
  since?: string | null;
}

export interface MergeResult {
  report: FleetReport;
  /** Said on stderr, not failures: the fleet reports disagree on `since`. */
  warnings: string[];
}

export function mergeReports(inputs: readonly ReportInput[], options: MergeOptions): MergeResult {
  const services: FleetServiceReport[] = [];
  const fileOf = new Map<string, string>();
  const unchanged = new Set<string>();
  const sinces: { file: string; since: string | null }[] = [];
  const add = (service: FleetServiceReport, file: string) => {
    const other = fileOf.get(service.service);
    if (other !== undefined)
      throw new InputError(
        other === file
          ? `${file}: service "${service.service}" is reported twice`
          : `service "${service.service}" is reported by both ${other} and ${file}`,
      );
    fileOf.set(service.service, file);
    services.push(service);
  };
  for (const { file, value } of inputs) {
    if (isObject(value) && 'services' in value) {
      const checked = checkJson(fleetReportSchema, value);
      if ('problem' in checked) throw new InputError(`${file}: not a fleet report: ${checked.problem}`);
      // The file's own objects, not zod's copies: the renderers read fields the schema leaves out.
      const report = value as unknown as FleetReport;
      for (const service of report.services) add(service, file);
      for (const name of report.unchanged) unchanged.add(name);
      sinces.push({ file, since: report.since });
      continue;
    }
    const problem = checkJsonProblem(value);
    if (problem !== null)
      throw new InputError(
        `${file}: neither a fleet report (no "services") nor the output of check --format json: ${problem}`,
      );
    const checked = checkJson(checkReportSchema, value);
    if ('problem' in checked)
      throw new InputError(`${file}: not a complete check report: ${checked.problem}`);
    add(fromCheckReport(file, value as FileCheck, options), file);
  }
  const { since, warnings } = settleSince(sinces, options.since);
  return { report: fleetReport(services, since, [...unchanged]), warnings };
}

/**
 * A service's check report as its row: named after the file, its migrations those its statements
 * come from. Its file names are rewritten relative to the repository root, as fleet check
 * writes them, so the merged report means the same wherever it is rendered.
 */
function fromCheckReport(file: string, check: FileCheck, options: MergeOptions): FleetServiceReport {
  const service = basename(file).replace(/\.json$/i, '');
  if (service === '') throw new InputError(`${file}: the file name gives no service name (NAME.json)`);
  const { analysis } = check;
  const statements = analysis.statements.map((s) => ({
    ...s,
    file: repoRelative(s.file, options.root, options.cwd),
  }));
  const located = { ...check, analysis: { ...analysis, statements } };
  const migrations = [...new Set(statements.map((s) => s.file))];
  return checkedService(
    { service, dialect: analysis.dialect, database: null, owners: [], migrations },
    located,
  );
}

/**
 * The fleet reports' `since` (a check report has none). Jobs of one workflow share it; when
 * they do not, the first file's wins and the others are named in a warning.
 */
function settleSince(
  sinces: readonly { file: string; since: string | null }[],
  given: string | null | undefined,
): { since: string | null; warnings: string[] } {
  const first = sinces[0];
  const since = given !== undefined ? given : (first?.since ?? null);
  const source = given !== undefined ? '--since' : (first?.file ?? '');
  const differing = sinces.filter((s) => s.since !== since);
  if (differing.length === 0) return { since, warnings: [] };
  const words = (s: string | null) => (s === null ? 'no --since' : `--since ${s}`);
  return {
    since,
    warnings: [
      `the reports were made with different --since refs: ${differing
        .map((s) => `${s.file} has ${words(s.since)}`)
        .join(', ')}; using ${words(since)} (from ${source})`,
    ],
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
