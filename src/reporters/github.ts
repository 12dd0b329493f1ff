import type { AnalysisResult, AnalyzedStatement, Finding, Severity } from '../core/analysis.js';
import { repeatedRecipes, sameRecipeAs } from './grouping.js';

/**
 * GitHub Actions workflow commands: one annotation per finding on the migration's line, then one
 * line with the verdict. https://docs.github.com/actions/reference/workflow-commands-for-github-actions
 */
const COMMAND: Record<Severity, 'error' | 'warning' | 'notice'> = {
  error: 'error',
  warning: 'warning',
  info: 'notice',
};

export function renderGithub(result: AnalysisResult): string {
  // A long recipe once per file, rule and table: 200 renames would otherwise carry 200 copies.
  const repeats = repeatedRecipes(result.statements);
  const lines = result.statements.flatMap((s) => s.findings.map((f) => annotation(s, f, repeats.get(f))));
  lines.push(verdict(result));
  return lines.join('\n') + '\n';
}

function annotation(s: AnalyzedStatement, f: Finding, recipeAt: AnalyzedStatement | undefined): string {
  const properties: [string, string | number][] = [];
  // Inline SQL (--change, stdin) has no file in the repository to attach the annotation to.
  if (!isInlineInput(s.file)) properties.push(['file', s.file], ['line', s.line], ['col', s.column]);
  properties.push(['title', `schemapilot ${f.rule}`]);
  const message = recipeAt
    ? `${f.message}\n\n${sameRecipeAs(recipeAt)}`
    : f.safeAlternative
      ? `${f.message}\n\nSafe alternative:\n${f.safeAlternative}`
      : f.message;
  return command(COMMAND[f.severity], properties, message);
}

function verdict(result: AnalysisResult): string {
  const a = result.assessment;
  const findings = result.statements.flatMap((s) => s.findings);
  const errors = findings.filter((f) => f.severity === 'error').length;
  const summary =
    `${a.breaking_changes.length} breaking change${a.breaking_changes.length === 1 ? '' : 's'}, ` +
    `${errors} error${errors === 1 ? '' : 's'} in ${findings.length} finding${findings.length === 1 ? '' : 's'}, ` +
    `performance impact ${a.performance_impact}, longest lock ${a.lock_duration_estimate}, ` +
    `rollback complexity ${a.rollback_complexity}/5`;
  // Same rule as the exit code: not safe, or any finding at error severity, fails.
  return a.safe_to_deploy && errors === 0
    ? command('notice', [['title', 'schemapilot: safe to deploy']], `Safe to deploy: ${summary}`)
    : command('error', [['title', 'schemapilot: review required']], `Not safe to deploy: ${summary}`);
}

/** `::name k=v,k=v::message`, escaped as @actions/core escapes it (toolkit command.ts). */
export function command(name: string, properties: [string, string | number][], message: string): string {
  const props = properties.map(([k, v]) => `${k}=${escapeProperty(String(v))}`).join(',');
  return `::${name}${props ? ` ${props}` : ''}::${escapeData(message)}`;
}

/** Data (the message): % first, so the escapes it adds are not escaped again. */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Property values also end at `,` and `::`. */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

function isInlineInput(file: string): boolean {
  return file === '--change' || file === '<stdin>';
}
