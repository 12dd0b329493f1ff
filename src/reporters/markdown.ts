import type { AnalysisResult, AnalyzedStatement, Finding, Severity } from '../core/analysis.js';
import { lockModelOf, type LockModel } from '../core/locks.js';
import { algorithmWords, blockingWords } from './lock-words.js';
import { formatMs } from './analysis-text.js';
import {
  formatLines,
  GROUP_TABLES_SHOWN,
  groupMessage,
  lockSummary,
  reportEntries,
  sameRecipeForAll,
  statementCount,
  type FindingGroup,
  type StatementEntry,
  type TableRecipe,
} from './grouping.js';
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
 * then one collapsible section per statement, or per rule that fires on many statements of a
 * file. Over the cap, sections are dropped from the end (and their statements counted); the
 * summary is never dropped. Sections are assembled whole, so a cut
 * never falls inside a code block or a `<details>`.
 */
export function renderMarkdown(result: AnalysisResult, options: MarkdownOptions = {}): string {
  const maxChars = options.maxChars ?? MARKDOWN_MAX_CHARS;
  const model = lockModelOf(result.dialect);
  // The approach repeats the findings' safe alternatives, so it gets a third and the
  // per-statement sections the rest.
  const head = renderHead(result, Math.floor(maxChars / 3));
  // A rule on many statements of a file is one section (grouping.ts), so a large migration
  // stays readable and the cap drops as little as possible.
  const sections = reportEntries(result.statements).map((entry) =>
    entry.kind === 'group'
      ? { text: renderGroup(entry, model), statements: entry.occurrences.map((o) => o.statement) }
      : { text: renderStatement(entry, model), statements: [entry.statement] },
  );
  let out = head;
  // A statement can be in two sections (its own, for its other findings, and a group): it
  // counts as left out only when neither is shown.
  const shown = new Set<AnalyzedStatement>();
  for (const section of sections) {
    const adds = new Set(section.statements.filter((s) => !shown.has(s))).size;
    const leftAfter = result.statements.length - shown.size - adds;
    const reserve = leftAfter > 0 ? omittedNote(leftAfter).length : 0;
    if (out.length + section.text.length + reserve > maxChars) break;
    out += section.text;
    for (const s of section.statements) shown.add(s);
  }
  const left = result.statements.length - shown.size;
  if (left > 0) out += omittedNote(left);
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

function renderStatement({ statement: s, findings, grouped }: StatementEntry, model: LockModel): string {
  const summary =
    `${ICON[worstSeverity(s.findings)]} <code>${escapeHtml(`${s.file}:${s.line}`)}</code> ` +
    `${escapeHtml(firstLine(s.sql))}${countFindings(s.findings)}`;
  const sql = clipLines(s.sql, SQL_MAX_LINES, SQL_MAX_CHARS);
  const lines = [
    '<details>',
    `<summary>${summary}</summary>`,
    '',
    ...statementFacts(s, model),
    '',
    ...codeBlock(withDropped(sql), 'sql'),
    '',
    ...findings.flatMap(renderFinding),
    ...(grouped.length > 0
      ? [`_Also ${grouped.map(codeSpan).join(', ')}: shown once for the file, in its own section._`, '']
      : []),
    '</details>',
    '',
  ];
  return lines.join('\n') + '\n';
}

function statementFacts(s: AnalyzedStatement, model: LockModel): string[] {
  const locks = s.locks.map(
    (l) => `${codeSpan(l.mode)} on ${codeSpan(l.table)} (${blockingWords(s, l.mode, model)})`,
  );
  const algorithm = algorithmWords(s);
  return [
    `- **Locks:** ${locks.join('; ') || 'none'}`,
    ...(algorithm ? [`- **Algorithm:** ${codeSpan(algorithm)}`] : []),
    `- **Blocking time:** ~${formatMs(s.estimatedLockMs)}`,
    `- **Rewrites table:** ${yesNo(s.rewritesTable)} · **Scans table:** ${yesNo(s.scansTable)} · ` +
      `**In a transaction:** ${yesNo(s.transactional)}`,
  ];
}

/** A rule on many statements of a file: one message, its lines, and the recipe once per table. */
function renderGroup(group: FindingGroup, model: LockModel): string {
  const findings = group.occurrences.map((o) => o.finding);
  const summary =
    `${ICON[group.severity]} ${codeTag(group.rule)} on ${statementCount(group.occurrences)} statements of ` +
    `${codeTag(group.file)}${countFindings(findings)}`;
  const { text, example } = groupMessage(group);
  const longest = Math.max(...group.occurrences.map((o) => o.statement.estimatedLockMs));
  const locks = lockSummary(group.occurrences, 5, model);
  const single = group.tables.length === 1;
  const rest = group.tables.slice(GROUP_TABLES_SHOWN);
  const lines = [
    '<details>',
    `<summary>${summary}</summary>`,
    '',
    `**${ICON[group.severity]} ${group.severity}** [${codeSpan(group.rule)}](${ruleDocsUrl(group.rule)}): ${escapeInline(text)}`,
    '',
    `- **Lines:** ${formatLines(group.occurrences.map((o) => o.statement.line))}`,
    ...(example
      ? [
          `- **For example, line ${example.statement.line}:** ${escapeInline(clip(example.finding.message, 1000))}`,
        ]
      : []),
    ...(locks ? [`- **Locks:** ${escapeInline(locks)}; up to ~${formatMs(longest)} blocking each`] : []),
    '',
    ...group.tables.slice(0, GROUP_TABLES_SHOWN).flatMap((entry) => renderTable(entry, single)),
    ...(rest.length > 0
      ? [
          `_… and ${rest.length} more tables (${escapeInline(
            rest
              .slice(0, GROUP_TABLES_SHOWN)
              .map((t) => t.table ?? '(no table)')
              .join(', '),
          )}${rest.length > GROUP_TABLES_SHOWN ? ', …' : ''}): \`--format json\` has each statement's safe alternative, \`schemapilot plan\` writes the steps._`,
          '',
        ]
      : []),
    '</details>',
    '',
  ];
  return lines.join('\n') + '\n';
}

function renderTable(entry: TableRecipe, single: boolean): string[] {
  const n = statementCount(entry.occurrences);
  const lines = single
    ? []
    : [
        `**${codeSpan(entry.table ?? '(no table)')}** · ${n} statement${n === 1 ? '' : 's'}, line${n === 1 ? '' : 's'} ${formatLines(entry.occurrences.map((o) => o.statement.line))}`,
        '',
      ];
  const recipe = entry.recipe;
  if (!recipe?.finding.safeAlternative) return lines;
  const note =
    n === 1
      ? ''
      : sameRecipeForAll(entry)
        ? ' (the same for each)'
        : ` for line ${recipe.statement.line} (the other lines take the same steps with their own names)`;
  const safe = clipLines(recipe.finding.safeAlternative, SQL_MAX_LINES, SQL_MAX_CHARS);
  return [...lines, `Safe alternative${note}:`, '', ...codeBlock(withDropped(safe), 'sql'), ''];
}

/** `<code>` for raw HTML contexts (the summary), escaped. */
function codeTag(text: string): string {
  return `<code>${escapeHtml(text)}</code>`;
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
