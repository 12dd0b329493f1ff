import type { FleetReport, FleetServiceReport, FleetVerdict } from '../../core/fleet.js';
import { renderImpactMarkdown } from '../impact/markdown.js';
import { MARKDOWN_MAX_CHARS } from '../markdown.js';
import { codeSpan, escapeHtml, escapeInline } from '../markdown-text.js';
import { renderValidationMarkdown } from '../validation-markdown.js';
import {
  checkReportOf,
  clip,
  COLUMNS,
  extraReasons,
  headline,
  lockWords,
  MIGRATIONS_SHOWN,
  rowCells,
  VERDICT_WORDS,
  whereWords,
  type CheckReport,
} from './common.js';

export interface FleetMarkdownOptions {
  /** Total length cap in UTF-16 code units; default MARKDOWN_MAX_CHARS, under GitHub's 65,536. */
  maxChars?: number;
}

const ICON: Record<FleetVerdict, string> = { safe: '✅', unsafe: '❌', skipped: '⏭', failed: '⚠' };

/** Reasons listed (per checklist line) in a shortened section, and their length; the JSON report has them all. */
const SHORT_REASONS = 10;
const REASON_MAX_CHARS = 300;

/**
 * The fleet's pull-request comment: the headline, one table row per changed service, the
 * services with nothing to check, then each service's report in a collapsed section (open when it
 * needs attention) with the same checklist, approach, trace and impact as `check --format
 * markdown`. Over the cap, sections are shortened (safe services first) to the service's
 * reasons, then dropped from the end; the table is kept, and the comment says so.
 * Rendered from the FleetReport alone, so a matrix merged by `fleet report` and one `fleet check`
 * job give the same comment.
 */
export function renderFleetMarkdown(report: FleetReport, options: FleetMarkdownOptions = {}): string {
  const maxChars = options.maxChars ?? MARKDOWN_MAX_CHARS;
  const full = report.services.map((s) => section(s, 'full'));
  const short = report.services.map((s) => section(s, 'short'));
  const head = (note: string) => renderHead(report, note, maxChars);
  let body = full.join('');
  if (head('').length + body.length <= maxChars) return head('') + body;

  const shortened = head(SHORTENED_NOTE);
  const budget = maxChars - shortened.length;
  const chosen = [...full];
  // Safe services' details go first, then the others from the end of the list.
  const order = report.services
    .map((s, i) => ({ i, safe: s.verdict === 'safe' }))
    .sort((a, b) => Number(b.safe) - Number(a.safe) || b.i - a.i)
    .map((x) => x.i);
  const size = () => chosen.reduce((n, s) => n + s.length, 0);
  for (const i of order) {
    if (size() <= budget) break;
    chosen[i] = short[i] ?? '';
  }
  // Still too long: drop whole sections, in the same order, and count them.
  let dropped = 0;
  for (const i of order) {
    if (size() + (dropped > 0 ? droppedNote(dropped).length : 0) <= budget) break;
    chosen[i] = '';
    dropped++;
  }
  body = chosen.join('') + (dropped > 0 ? droppedNote(dropped) : '');
  return shortened + body;
}

const SHORTENED_NOTE =
  "_The services' details are shortened to fit GitHub's comment size limit: `schemapilot fleet report` on the JSON reports prints them whole._";

function droppedNote(count: number): string {
  return `\n_… and the details of ${count} more service${count === 1 ? '' : 's'} (see the table above)._\n`;
}

/** Headline, `since`, the table (rows cut only when the table alone is over the cap), unchanged. */
function renderHead(report: FleetReport, note: string, maxChars: number): string {
  const top = [`## schemapilot: ${escapeInline(headline(report))}`, ''];
  if (report.since !== null) top.push(`Migrations changed since ${codeSpan(report.since)}.`, '');
  const bottom: string[] = [];
  if (report.unchanged.length > 0)
    bottom.push(`Not changed: ${escapeInline(report.unchanged.join(', '))}.`, '');
  if (note) bottom.push(note, '');
  const rows = report.services.map(tableRow);
  const fixed = [...top, ...bottom].join('\n').length + 200;
  let shown = rows.length;
  const tableText = (n: number) =>
    n === 0
      ? []
      : [
          `| ${COLUMNS.join(' | ')} |`,
          '| --- | --- | ---: | --- | ---: | --- | --- |',
          ...rows.slice(0, n),
          ...(n < rows.length ? [`| _… ${rows.length - n} more_ | | | | | | |`] : []),
          '',
        ];
  while (shown > 0 && fixed + tableText(shown).join('\n').length > maxChars) shown--;
  return [...top, ...tableText(shown), ...bottom].join('\n') + '\n';
}

function tableRow(s: FleetServiceReport): string {
  const cells = [
    escapeInline(s.service),
    `${ICON[s.verdict]} ${VERDICT_WORDS[s.verdict]}`,
    ...rowCells(s.summary).map(escapeInline),
  ];
  return `| ${cells.join(' | ')} |`;
}

/** A service's collapsible section: open when it needs attention. */
function section(service: FleetServiceReport, detail: 'full' | 'short'): string {
  const check = checkReportOf(service);
  const summary = `${ICON[service.verdict]} <b>${escapeHtml(service.service)}</b>: ${VERDICT_WORDS[service.verdict]} (${escapeHtml(whereWords(service))})`;
  const lines = [
    service.verdict === 'safe' ? '<details>' : '<details open>',
    `<summary>${summary}</summary>`,
    '',
    ...facts(service),
  ];
  const reasons = extraReasons(service, check);
  if (reasons.length > 0) {
    const shown = detail === 'full' ? reasons : reasons.slice(0, SHORT_REASONS);
    lines.push(
      `**${service.verdict === 'skipped' ? 'Skipped' : service.verdict === 'failed' ? 'Failed' : 'Why'}:**`,
      '',
      ...shown.map((r) => `- ${escapeInline(detail === 'full' ? r : clip(r, REASON_MAX_CHARS))}`),
      ...more(reasons.length - shown.length, ''),
      '',
    );
  }
  if (detail === 'short' && check) lines.push(...failingChecklist(check), '');
  if (detail === 'full' && check) lines.push(checkMarkdown(check));
  lines.push('</details>', '');
  return lines.join('\n') + '\n';
}

/** A shortened section's checklist: the lines that failed, each with its first reasons. */
function failingChecklist(check: CheckReport): string[] {
  return check.checklist
    .filter((item) => !item.ok)
    .flatMap((item) => [
      `- ❌ ${escapeInline(item.label)}`,
      ...item.reasons.slice(0, SHORT_REASONS).map((r) => `  - ${escapeInline(clip(r, REASON_MAX_CHARS))}`),
      ...more(item.reasons.length - SHORT_REASONS, '  '),
    ]);
}

function more(count: number, indent: string): string[] {
  return count > 0 ? [`${indent}- … and ${count} more`] : [];
}

/** Owners (as text that notifies no one), migrations and lock risk, as a list. */
function facts(service: FleetServiceReport): string[] {
  const out: string[] = [];
  // escapeInline writes `@` as `&#64;`: the owners are named, not pinged, on every push.
  if (service.owners.length > 0) out.push(`- **Owners:** ${service.owners.map(escapeInline).join(', ')}`);
  if (service.migrations.length > 0) {
    const more = service.migrations.length - MIGRATIONS_SHOWN;
    out.push(
      `- **Migrations:** ${service.migrations.slice(0, MIGRATIONS_SHOWN).map(codeSpan).join(', ')}${more > 0 ? `, … and ${more} more` : ''}`,
    );
  }
  const lock = lockWords(service.summary);
  if (lock) out.push(`- **Lock risk:** ${escapeInline(lock)}`);
  return out.length > 0 ? [...out, ''] : [];
}

/** What `check --format markdown` prints for the service. */
function checkMarkdown(check: CheckReport): string {
  return (
    renderValidationMarkdown(
      check.validation,
      check.checklist,
      check.analysis.assessment.recommended_approach,
    ) + (check.impact ? `\n${renderImpactMarkdown(check.impact)}` : '')
  );
}
