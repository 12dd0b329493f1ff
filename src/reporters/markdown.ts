import type { AnalysisResult, AnalyzedStatement, Finding, Severity } from '../core/analysis.js';
import { describeBlocking } from '../core/locks.js';
import { formatMs } from './analysis-text.js';
import { ruleDocsUrl } from './links.js';
import { clipLines, codeBlock, codeSpan, escapeHtml, escapeInline, firstLine } from './markdown-text.js';

/**
 * Size cap of the comment. GitHub rejects comment bodies over 65,536 characters; 60,000 leaves
 * room for text a workflow adds around the report (a marker to find and update its own comment).
 */
export const MARKDOWN_MAX_CHARS = 60_000;

/** Breaking changes listed in the summary; the rest are counted. */
const BREAKING_SHOWN = 20;
/** Lines and characters of one statement's SQL (and of one safe alternative) shown in its details. */
const SQL_MAX_LINES = 40;
const SQL_MAX_CHARS = 4_000;

export interface MarkdownOptions {
  /** Total length cap in UTF-16 code units (JavaScript string length). */
  maxChars?: number;
}

/**
 * The pull-request comment of the brief: its summary fields first, then the recommended approach,
 * then one collapsible section per statement. Over the cap, statement sections are dropped from
 * the end (and counted); the summary is never dropped. Sections are assembled whole, so a cut
 * never falls inside a code block or a `<details>`.
 */
export function renderMarkdown(result: AnalysisResult, options: MarkdownOptions = {}): string {
  const maxChars = options.maxChars ?? MARKDOWN_MAX_CHARS;
  // The approach repeats the findings' safe alternatives, so it gets a third and the
  // per-statement sections the rest.
  const head = renderHead(result, Math.floor(maxChars / 3));
  const sections = result.statements.map((s) => renderStatement(s));
  let out = head;
  let shown = 0;
  for (const section of sections) {
    const leftAfter = sections.length - shown - 1;
    const reserve = leftAfter > 0 ? omittedNote(leftAfter).length : 0;
    if (out.length + section.length + reserve > maxChars) break;
    out += section;
    shown++;
  }
  if (shown < sections.length) out += omittedNote(sections.length - shown);
  return out;
}

function omittedNote(count: number): string {
  return `\n_… and ${count} more statement${count === 1 ? '' : 's'}; run \`schemapilot analyze\` locally for the full report._\n`;
}

/** Summary, recommended approach and assumptions, within `budget` characters. */
function renderHead(result: AnalysisResult, budget: number): string {
  const a = result.assessment;
  const lines = [
    '## Migration Analysis',
    '',
    `- **Breaking Changes:** ${a.breaking_changes.length}`,
    ...a.breaking_changes.slice(0, BREAKING_SHOWN).map((b) => `  - ${escapeInline(clip(b, 300))}`),
  ];
  if (a.breaking_changes.length > BREAKING_SHOWN)
    lines.push(`  - … and ${a.breaking_changes.length - BREAKING_SHOWN} more`);
  lines.push(
    `- **Performance Impact:** ${a.performance_impact}`,
    `- **Safe to Deploy:** ${a.safe_to_deploy ? '✅' : '⚠️ Review Required'}`,
    `- **Lock Duration Estimate:** ${escapeInline(a.lock_duration_estimate)}`,
    `- **Rollback Complexity:** ${a.rollback_complexity}/5`,
    `- **Requires Data Migration:** ${a.requires_data_migration ? 'yes' : 'no'}`,
    '',
  );
  const assumed = result.assumptions.map((note) => `> - ${escapeInline(note)}`);
  const tail = [
    ...(assumed.length > 0 ? ['> **Assumed**', '>', ...assumed, ''] : []),
    `### Statements (${result.statements.length})`,
    '',
  ];
  const fixed = [...lines, '### Recommended approach', '', ...tail].join('\n').length;
  return [
    ...lines,
    '### Recommended approach',
    '',
    ...renderApproach(a.recommended_approach, budget - fixed),
    ...tail,
  ]
    .join('\n')
    .concat('\n');
}

/** One paragraph when it is one line; otherwise a text block (it is indented plain text with SQL). */
function renderApproach(approach: string, budget: number): string[] {
  if (!approach.includes('\n')) return [escapeInline(clip(approach, Math.max(200, budget))), ''];
  const { text, droppedLines } = clipLines(approach, Number.MAX_SAFE_INTEGER, Math.max(200, budget - 200));
  const more =
    droppedLines > 0
      ? [`_… ${droppedLines} more lines; run \`schemapilot analyze\` locally for the full approach._`, '']
      : [];
  return [...codeBlock(text, 'text'), '', ...more];
}

const ICON: Record<Severity | 'none', string> = { error: '❌', warning: '⚠️', info: 'ℹ️', none: '✅' };

function worstSeverity(findings: readonly Finding[]): Severity | 'none' {
  for (const level of ['error', 'warning', 'info'] as const)
    if (findings.some((f) => f.severity === level)) return level;
  return 'none';
}

function renderStatement(s: AnalyzedStatement): string {
  const summary =
    `${ICON[worstSeverity(s.findings)]} <code>${escapeHtml(`${s.file}:${s.line}`)}</code> ` +
    `${escapeHtml(firstLine(s.sql))}${countFindings(s.findings)}`;
  const locks = s.locks.map(
    (l) => `${codeSpan(l.mode)} on ${codeSpan(l.table)} (${describeBlocking(l.mode)})`,
  );
  const sql = clipLines(s.sql, SQL_MAX_LINES, SQL_MAX_CHARS);
  const lines = [
    '<details>',
    `<summary>${summary}</summary>`,
    '',
    `- **Locks:** ${locks.join('; ') || 'none'}`,
    `- **Blocking time:** ~${formatMs(s.estimatedLockMs)}`,
    `- **Rewrites table:** ${yesNo(s.rewritesTable)} · **Scans table:** ${yesNo(s.scansTable)} · ` +
      `**In a transaction:** ${yesNo(s.transactional)}`,
    '',
    ...codeBlock(withDropped(sql), 'sql'),
    '',
    ...s.findings.flatMap(renderFinding),
    '</details>',
    '',
  ];
  return lines.join('\n') + '\n';
}

function renderFinding(f: Finding): string[] {
  const lines = [
    `**${ICON[f.severity]} ${f.severity}** [${codeSpan(f.rule)}](${ruleDocsUrl(f.rule)}): ${escapeInline(f.message)}`,
    '',
  ];
  if (f.safeAlternative) {
    const safe = clipLines(f.safeAlternative, SQL_MAX_LINES, SQL_MAX_CHARS);
    lines.push('Safe alternative:', '', ...codeBlock(withDropped(safe), 'sql'), '');
  }
  return lines;
}

function countFindings(findings: readonly Finding[]): string {
  if (findings.length === 0) return '';
  const parts = (['error', 'warning', 'info'] as const)
    .map((level) => [level, findings.filter((f) => f.severity === level).length] as const)
    .filter(([, n]) => n > 0)
    .map(([level, n]) => `${n} ${level}${n === 1 || level === 'info' ? '' : 's'}`);
  return ` · ${parts.join(', ')}`;
}

/** Clipped SQL ends with a comment saying so, which keeps the block valid SQL to paste. */
function withDropped({ text, droppedLines }: { text: string; droppedLines: number }): string {
  return droppedLines > 0 ? `${text}\n-- … ${droppedLines} more lines` : text;
}

function yesNo(value: boolean): string {
  return value ? 'yes' : 'no';
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
