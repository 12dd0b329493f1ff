/** Findings after the rules: which rules run for a dialect and config, severity by size, ignore directives, duplicates. */
import type { ResolvedConfig } from '../config/types.js';
import type { Finding, Severity } from '../core/analysis.js';
import type { Rule } from '../core/rule.js';
import type { SchemaState } from '../schema/state.js';
import { type IgnoreDirective } from './ignores.js';

/** The rules to run by Change kind: those not turned off, for this dialect (meta.dialects). */
export function indexRules(
  rules: readonly Rule[],
  config: ResolvedConfig,
  dialect: string,
): Map<string, Rule[]> {
  const map = new Map<string, Rule[]>();
  for (const rule of rules) {
    if (config.rules[rule.meta.id] === 'off') continue;
    if (rule.meta.dialects && !rule.meta.dialects.includes(dialect)) continue;
    for (const kind of rule.meta.kinds) {
      const list = map.get(kind) ?? [];
      list.push(rule);
      map.set(kind, list);
    }
  }
  return map;
}

export const LOWER: Record<Severity, Severity> = { error: 'warning', warning: 'info', info: 'info' };

/** The rule's severity (or the config's), lowered for small and empty tables when the rule scales. */
export function scaledSeverity(
  rule: Rule,
  table: ReturnType<SchemaState['table']>,
  config: ResolvedConfig,
): Severity {
  const setting = config.rules[rule.meta.id];
  const base: Severity = setting && setting !== 'off' ? setting : rule.meta.severity;
  if (!rule.meta.scalesWithSize || !table) return base;
  const rows = table.stats.rowEstimate ?? Math.round(table.stats.tableBytes / 100);
  if (rows === 0 && table.stats.tableBytes <= 8192) return 'info';
  return rows < config.largeTableRows ? LOWER[base] : base;
}

export function directiveProblems(
  directives: readonly IgnoreDirective[],
  known: ReadonlySet<string>,
): Finding[] {
  const out: Finding[] = [];
  for (const d of directives) {
    const unknown = d.rules.filter((r) => !known.has(r));
    if (d.rules.length === 0) {
      out.push(invalidIgnore(`"${d.text}" names no rule; write schemapilot-ignore <rule-id>: <reason>`));
    }
    for (const r of unknown)
      out.push(invalidIgnore(`"${d.text}" names unknown rule "${r}"; it ignores nothing`));
    if (d.rules.length > 0 && d.reason === '')
      out.push(
        invalidIgnore(
          `"${d.text}" gives no reason; write schemapilot-ignore ${d.rules.join(', ')}: <why this is safe>`,
        ),
      );
  }
  return out;
}

export function invalidIgnore(message: string): Finding {
  return { rule: 'invalid-ignore', severity: 'warning', message, safeAlternative: null };
}

export function applyIgnores(findings: Finding[], directives: readonly IgnoreDirective[]): Finding[] {
  if (directives.length === 0) return findings;
  const ignored = new Set(directives.flatMap((d) => d.rules));
  return findings.filter((f) => f.rule === 'invalid-ignore' || !ignored.has(f.rule));
}

export function dedupe(findings: Finding[]): Finding[] {
  // Most statements have no finding or one: nothing to compare.
  if (findings.length < 2) return findings;
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = `${f.rule}\u0000${f.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
