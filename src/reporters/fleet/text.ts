import type { FleetReport, FleetServiceReport, FleetVerdict } from '../../core/fleet.js';
import { plainPainter, type Painter } from '../ansi.js';
import { renderChecklist } from '../validation-text.js';
import {
  checkReportOf,
  COLUMNS,
  extraReasons,
  headline,
  lockWords,
  MIGRATIONS_SHOWN,
  rowCells,
  sinceWords,
  unlistedBreakingChanges,
  VERDICT_WORDS,
  whereWords,
  type CheckReport,
} from './common.js';

/** Lines of a service's recommended approach shown; `check` on the service prints all of it. */
const APPROACH_MAX_LINES = 40;

/** Single-width marks: a terminal table with emoji in it no longer lines up. */
const MARK: Record<FleetVerdict, string> = { safe: '✓', unsafe: '✗', skipped: '-', failed: '!' };

/**
 * The fleet for a terminal: the headline, the summary table, the services with nothing to check,
 * then each service's checklist, breaking changes and recommended approach.
 */
export function renderFleetText(report: FleetReport, paint: Painter = plainPainter): string {
  const title = `schemapilot: ${headline(report)}`;
  const out = [paint.bold(report.safe ? paint.green(title) : paint.red(title))];
  const since = sinceWords(report);
  if (since) out.push(paint.dim(since));
  if (report.services.length > 0) out.push('', ...table(report, paint));
  if (report.unchanged.length > 0) out.push('', paint.dim(`not changed: ${report.unchanged.join(', ')}`));
  for (const service of report.services) out.push('', ...serviceSection(service, paint));
  return out.join('\n') + '\n';
}

function verdictPaint(verdict: FleetVerdict, paint: Painter): (s: string) => string {
  return verdict === 'safe' ? paint.green : verdict === 'unsafe' ? paint.red : paint.yellow;
}

function table(report: FleetReport, paint: Painter): string[] {
  const rows = report.services.map((s) => [
    s.service,
    `${MARK[s.verdict]} ${VERDICT_WORDS[s.verdict]}`,
    ...rowCells(s.summary),
  ]);
  const header: string[] = [...COLUMNS];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  // Padded as plain text, then painted: escape codes have no width on screen.
  const line = (cells: readonly string[], colour: (cell: string, i: number) => string) =>
    cells
      .map((c, i) => colour(i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0), i))
      .join('  ')
      .trimEnd();
  return [
    line(header, (c) => paint.bold(c)),
    ...rows.map((r, n) => {
      const verdict = report.services[n]?.verdict ?? 'failed';
      return line(r, (c, i) => (i === 1 ? verdictPaint(verdict, paint)(c) : c));
    }),
  ];
}

function serviceSection(service: FleetServiceReport, paint: Painter): string[] {
  const colour = verdictPaint(service.verdict, paint);
  const out = [
    paint.bold(
      `── ${service.service}: ${colour(`${MARK[service.verdict]} ${VERDICT_WORDS[service.verdict]}`)} (${whereWords(service)})`,
    ),
  ];
  if (service.owners.length > 0) out.push(`owners: ${service.owners.join(', ')}`);
  if (service.migrations.length > 0) {
    const more = service.migrations.length - MIGRATIONS_SHOWN;
    out.push(
      `migrations: ${service.migrations.slice(0, MIGRATIONS_SHOWN).join(', ')}${more > 0 ? `, … and ${more} more` : ''}`,
    );
  }
  const lock = lockWords(service.summary);
  if (lock) out.push(`lock risk: ${lock}`);
  const check = checkReportOf(service);
  const reasons = extraReasons(service, check);
  if (reasons.length > 0) {
    out.push(
      `${service.verdict === 'skipped' ? 'skipped' : service.verdict === 'failed' ? 'failed' : 'why'}:`,
    );
    for (const r of reasons) out.push(colour(`  - ${r}`));
  }
  if (check) out.push(...checkSection(check, paint));
  return out;
}

function checkSection(check: CheckReport, paint: Painter): string[] {
  const out = [renderChecklist(check.checklist, paint).trimEnd()];
  const breaking = unlistedBreakingChanges(check);
  if (breaking.length > 0) out.push('breaking changes:', ...breaking.map((b) => `  - ${b}`));
  const approach = check.analysis.assessment.recommended_approach.split('\n');
  out.push('recommended approach:', ...approach.slice(0, APPROACH_MAX_LINES).map((l) => `  ${l}`));
  if (approach.length > APPROACH_MAX_LINES)
    out.push(
      paint.dim(
        `  … ${approach.length - APPROACH_MAX_LINES} more lines (the service's check report has the whole approach)`,
      ),
    );
  return out;
}
