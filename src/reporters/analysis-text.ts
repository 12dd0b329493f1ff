import type { AnalysisResult, AnalyzedStatement, Finding, Severity } from '../core/analysis.js';
import { lockModelOf, lockOn, type LockModel } from '../core/locks.js';
import { algorithmWords, blockingWords } from './lock-words.js';
import type { Painter } from './ansi.js';
import { plainPainter } from './ansi.js';
import {
  formatLines,
  GROUP_TABLES_SHOWN,
  groupMessage,
  lockSummary,
  reportEntries,
  sameRecipeForAll,
  severityCounts,
  statementCount,
  type FindingGroup,
  type TableRecipe,
} from './grouping.js';

/** Breaking changes listed in the assessment; the rest are counted (`--format json` has them all). */
const BREAKING_SHOWN = 10;
/** Lines of the recommended approach shown; a large plan is summed up, `schemapilot plan` writes it. */
const APPROACH_MAX_LINES = 80;

/**
 * Terminal report: each statement with its locks and findings, then the assessment. A rule that
 * fires on several statements of a file is shown once, as a group (src/reporters/grouping.ts),
 * so a large migration stays readable; `--format json` keeps every finding on its statement.
 */
export function renderAnalysisText(result: AnalysisResult, paint: Painter = plainPainter): string {
  const out: string[] = [];
  const model = lockModelOf(result.dialect);
  for (const entry of reportEntries(result.statements)) {
    if (entry.kind === 'group') out.push(...renderGroup(entry, paint, model));
    else out.push(...renderStatement(entry.statement, entry.findings, entry.grouped, paint, model));
  }
  if (result.statements.length > 0) out.push('');
  const a = result.assessment;
  const verdict = a.safe_to_deploy ? paint.green('✓ safe to deploy') : paint.red('✗ not safe to deploy');
  out.push(paint.bold('Assessment'));
  out.push(`  ${verdict}`);
  out.push(`  breaking changes: ${a.breaking_changes.length}`);
  for (const b of a.breaking_changes.slice(0, BREAKING_SHOWN)) out.push(`    - ${b}`);
  if (a.breaking_changes.length > BREAKING_SHOWN)
    out.push(`    - … and ${a.breaking_changes.length - BREAKING_SHOWN} more (--format json lists them all)`);
  out.push(`  performance impact: ${a.performance_impact}`);
  out.push(`  lock duration estimate: ${a.lock_duration_estimate}`);
  out.push(`  requires data migration: ${a.requires_data_migration ? 'yes' : 'no'}`);
  out.push(`  rollback complexity: ${a.rollback_complexity}/5`);
  out.push(`  recommended approach:`);
  const approach = a.recommended_approach.split('\n');
  for (const line of approach.slice(0, APPROACH_MAX_LINES)) out.push(`    ${line}`);
  if (approach.length > APPROACH_MAX_LINES)
    out.push(
      paint.dim(
        `    … ${approach.length - APPROACH_MAX_LINES} more lines (--format json has the whole approach; schemapilot plan writes the plan)`,
      ),
    );
  if (result.assumptions.length > 0) {
    out.push(paint.dim('  assumed:'));
    for (const note of result.assumptions) out.push(paint.dim(`    - ${note}`));
  }
  return out.join('\n') + '\n';
}

function renderStatement(
  s: AnalyzedStatement,
  findings: readonly Finding[],
  grouped: readonly string[],
  paint: Painter,
  model: LockModel,
): string[] {
  const out = [`${paint.bold(`${s.file}:${s.line}:${s.column}`)} ${paint.dim(firstLine(s.sql))}`];
  const locks = s.locks.map((l) => lockOn(model, l.mode, l.table)).join(', ');
  const flags = [
    algorithmWords(s),
    s.rewritesTable ? 'rewrites table' : '',
    s.scansTable ? 'scans table' : '',
    s.transactional ? '' : 'outside transaction',
  ]
    .filter(Boolean)
    .join(', ');
  if (locks || flags) {
    const blocking = s.locks[0] ? ` (${blockingWords(s, s.locks[0].mode, model)})` : '';
    out.push(
      paint.dim(
        `  locks: ${locks || 'none'}${locks ? blocking : ''}${flags ? ` · ${flags}` : ''} · ~${formatMs(s.estimatedLockMs)} blocking`,
      ),
    );
  }
  for (const f of findings) out.push(...renderFinding(f, paint));
  if (grouped.length > 0) out.push(paint.dim(`  also ${grouped.join(', ')}: shown once for the file, below`));
  return out;
}

/** A rule on many statements of a file: one message, its lines, and the recipe once per table. */
function renderGroup(group: FindingGroup, paint: Painter, model: LockModel): string[] {
  const lines = group.occurrences.map((o) => o.statement.line);
  const out = [
    `${paint.bold(group.file)}: ${group.rule} on ${statementCount(group.occurrences)} statements, lines ${formatLines(lines)}`,
  ];
  const { text, example } = groupMessage(group);
  const counts = severityCounts(group.occurrences);
  out.push(
    `  ${colourOf(group.severity, paint)(`${MARK[group.severity]} ${group.severity}`)} ${text} ${paint.dim(`[${group.rule}]`)}`,
  );
  if (counts) out.push(`    ${counts}`);
  if (example) out.push(`    e.g. line ${example.statement.line}: ${example.finding.message}`);
  const locks = lockSummary(group.occurrences, 5, model);
  const longest = Math.max(...group.occurrences.map((o) => o.statement.estimatedLockMs));
  if (locks) out.push(paint.dim(`    locks: ${locks} · up to ~${formatMs(longest)} blocking each`));
  const single = group.tables.length === 1;
  for (const entry of group.tables.slice(0, GROUP_TABLES_SHOWN))
    out.push(...renderTable(entry, single, paint));
  const rest = group.tables.slice(GROUP_TABLES_SHOWN);
  if (rest.length > 0) {
    const count = statementCount(rest.flatMap((t) => t.occurrences));
    const names = rest.slice(0, GROUP_TABLES_SHOWN).map((t) => t.table ?? '(no table)');
    out.push(
      `    … and ${rest.length} more tables (${names.join(', ')}${rest.length > names.length ? ', …' : ''}), ${count} statements:` +
        " --format json has each statement's safe alternative, schemapilot plan writes the steps",
    );
  }
  return out;
}

/** One table of a group: its lines, then the recipe of its first statement that has one. */
function renderTable(entry: TableRecipe, single: boolean, paint: Painter): string[] {
  const out: string[] = [];
  const indent = single ? '    ' : '      ';
  if (!single) {
    const n = statementCount(entry.occurrences);
    const lines = formatLines(entry.occurrences.map((o) => o.statement.line));
    out.push(
      `    ${entry.table ?? '(no table)'}: ${n} statement${n === 1 ? '' : 's'}, line${n === 1 ? '' : 's'} ${lines}`,
    );
  }
  const recipe = entry.recipe;
  if (!recipe?.finding.safeAlternative) return out;
  const note =
    statementCount(entry.occurrences) === 1
      ? ''
      : sameRecipeForAll(entry)
        ? ' (the same for each)'
        : ` for line ${recipe.statement.line} (the other lines take the same steps with their own names)`;
  out.push(paint.dim(`${indent}safe alternative${note}:`));
  for (const l of recipe.finding.safeAlternative.split('\n')) out.push(`${indent}  ${l}`);
  return out;
}

function colourOf(severity: Severity, paint: Painter): (text: string) => string {
  return severity === 'error' ? paint.red : severity === 'warning' ? paint.yellow : paint.cyan;
}

const MARK: Record<Severity, string> = { error: '✗', warning: '!', info: 'i' };

function renderFinding(f: Finding, paint: Painter): string[] {
  const colour = colourOf(f.severity, paint);
  const lines = [`  ${colour(`${MARK[f.severity]} ${f.severity}`)} ${f.message} ${paint.dim(`[${f.rule}]`)}`];
  if (f.safeAlternative) {
    lines.push(paint.dim('    safe alternative:'));
    for (const l of f.safeAlternative.split('\n')) lines.push(`      ${l}`);
  }
  return lines;
}

function firstLine(sql: string): string {
  const line = sql.split('\n')[0] ?? '';
  return line.length > 100 ? `${line.slice(0, 97)}...` : line + (sql.includes('\n') ? ' …' : '');
}

export function formatMs(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.round(ms / 60_000)} min`;
}
