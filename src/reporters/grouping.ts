/**
 * How the text and markdown reports show many findings of one rule. A migration that renames
 * 200 columns gets 200 findings with 200 near-identical recipes; printed one by one they bury
 * everything else. When a rule fires on several statements of a file, those findings become
 * one group: one message, the lines it fired on, and the recipe once per table. This is only
 * presentation: the JSON keeps every finding on its statement.
 */
import type { AnalyzedStatement, Finding, Severity } from '../core/analysis.js';
import type { LockMode, LockModel } from '../core/locks.js';
import { changeTable } from '../core/change.js';
import { lockStrength, POSTGRES_LOCKS } from '../core/locks.js';
import { allRules } from '../rules/index.js';
import { ruleCatalog } from './rule-catalog.js';

/** A rule firing on this many statements of one file is shown as one group. */
export const GROUP_MIN_STATEMENTS = 3;
/** Tables whose recipe a group shows in full; the others are named and counted. */
export const GROUP_TABLES_SHOWN = 5;
/**
 * A safe alternative longer than this is printed once per file, rule and table, in the formats
 * that keep one entry per finding (SARIF, GitHub annotations); the later ones refer to it.
 */
export const RECIPE_REPEAT_LINES = 5;

export interface Occurrence {
  statement: AnalyzedStatement;
  finding: Finding;
}

export interface TableRecipe {
  /** Qualified table, or null when the findings name none. */
  table: string | null;
  occurrences: Occurrence[];
  /** The first occurrence with a safe alternative: its recipe is the one shown for the table. */
  recipe: Occurrence | null;
}

export interface FindingGroup {
  kind: 'group';
  file: string;
  rule: string;
  /** In file order. */
  occurrences: Occurrence[];
  /** In order of first appearance. */
  tables: TableRecipe[];
  severity: Severity;
}

export interface StatementEntry {
  kind: 'statement';
  statement: AnalyzedStatement;
  /** The statement's findings shown with it (the others are in groups). */
  findings: Finding[];
  /** Rules whose finding on this statement is shown in a group instead. */
  grouped: string[];
}

/** What a report shows, in order: statements on their own, and groups where their first statement is. */
export type ReportEntry = StatementEntry | FindingGroup;

export function reportEntries(statements: readonly AnalyzedStatement[]): ReportEntry[] {
  const grouped = groupedRules(statements);
  const groups = new Map<string, FindingGroup>();
  const entries: ReportEntry[] = [];
  for (const statement of statements) {
    const rules = grouped.get(statement.file) ?? new Set<string>();
    const own = statement.findings.filter((f) => !rules.has(f.rule));
    const inGroups = [...new Set(statement.findings.filter((f) => rules.has(f.rule)).map((f) => f.rule))];
    // A statement whose findings are all in groups is listed there by its line.
    if (own.length > 0 || inGroups.length === 0)
      entries.push({ kind: 'statement', statement, findings: own, grouped: inGroups });
    for (const finding of statement.findings) {
      if (!rules.has(finding.rule)) continue;
      const key = `${statement.file}\u0000${finding.rule}`;
      let group = groups.get(key);
      if (!group) {
        group = {
          kind: 'group',
          file: statement.file,
          rule: finding.rule,
          occurrences: [],
          tables: [],
          severity: finding.severity,
        };
        groups.set(key, group);
        entries.push(group);
      }
      addOccurrence(group, { statement, finding });
    }
  }
  return entries;
}

/** Per file, the rules that fire on at least GROUP_MIN_STATEMENTS of its statements. */
function groupedRules(statements: readonly AnalyzedStatement[]): Map<string, Set<string>> {
  const counts = new Map<string, Map<string, number>>();
  for (const s of statements) {
    const perRule = counts.get(s.file) ?? new Map<string, number>();
    counts.set(s.file, perRule);
    for (const rule of new Set(s.findings.map((f) => f.rule)))
      perRule.set(rule, (perRule.get(rule) ?? 0) + 1);
  }
  const out = new Map<string, Set<string>>();
  for (const [file, perRule] of counts) {
    const rules = [...perRule].filter(([, n]) => n >= GROUP_MIN_STATEMENTS).map(([rule]) => rule);
    out.set(file, new Set(rules));
  }
  return out;
}

function addOccurrence(group: FindingGroup, occurrence: Occurrence): void {
  group.occurrences.push(occurrence);
  if (SEVERITY_RANK[occurrence.finding.severity] > SEVERITY_RANK[group.severity])
    group.severity = occurrence.finding.severity;
  const table = tableOf(occurrence);
  let entry = group.tables.find((t) => t.table === table);
  if (!entry) {
    entry = { table, occurrences: [], recipe: null };
    group.tables.push(entry);
  }
  entry.occurrences.push(occurrence);
  if (!entry.recipe && occurrence.finding.safeAlternative) entry.recipe = occurrence;
}

/** Statements among the occurrences (one statement can have several findings of a rule: TRUNCATE a, b). */
export function statementCount(occurrences: readonly Occurrence[]): number {
  return new Set(occurrences.map((o) => o.statement)).size;
}

/** Whether every statement of the table has exactly the recipe shown (then it is theirs too). */
export function sameRecipeForAll(entry: TableRecipe): boolean {
  const shown = entry.recipe?.finding.safeAlternative ?? null;
  return entry.occurrences.every((o) => o.finding.safeAlternative === shown);
}

const SEVERITY_RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2 };

/** The table a finding is about: its own, else the statement's. */
export function tableOf({ statement, finding }: Occurrence): string | null {
  if (finding.table) return finding.table;
  for (const change of statement.changes) {
    const table = changeTable(change);
    if (table) return table;
  }
  return null;
}

const DESCRIPTIONS = new Map(ruleCatalog(allRules).map((r) => [r.id, r.description]));

/**
 * The group's one message: the findings' own when they all say the same, else the rule's
 * description with the first finding as an example (a rule from outside the registry has no
 * description: its first message stands in).
 */
export function groupMessage(group: FindingGroup): { text: string; example: Occurrence | null } {
  const [first] = group.occurrences;
  if (!first) return { text: '', example: null };
  if (group.occurrences.every((o) => o.finding.message === first.finding.message))
    return { text: first.finding.message, example: null };
  return { text: DESCRIPTIONS.get(group.rule) ?? first.finding.message, example: first };
}

/** Counts per severity when they differ within a group ("200 errors, 12 warnings"), else ''. */
export function severityCounts(occurrences: readonly Occurrence[]): string {
  const counts = (['error', 'warning', 'info'] as const)
    .map((level) => [level, occurrences.filter((o) => o.finding.severity === level).length] as const)
    .filter(([, n]) => n > 0);
  if (counts.length < 2) return '';
  return counts.map(([level, n]) => `${n} ${level}${n === 1 || level === 'info' ? '' : 's'}`).join(', ');
}

/**
 * Line numbers, short: runs of three or more consecutive lines as `4–9`, at most `max` items,
 * then how many more lines there are.
 */
export function formatLines(lines: readonly number[], max = 12): string {
  const sorted = [...new Set(lines)].sort((a, b) => a - b);
  const items: { text: string; count: number }[] = [];
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === (sorted[j] ?? 0) + 1) j++;
    const [from, to] = [sorted[i], sorted[j]];
    if (j - i >= 2) {
      items.push({ text: `${from}–${to}`, count: j - i + 1 });
      i = j + 1;
    } else {
      items.push({ text: String(from), count: 1 });
      i++;
    }
  }
  const shown = items.slice(0, max);
  const left = items.slice(max).reduce((n, item) => n + item.count, 0);
  return shown.map((item) => item.text).join(', ') + (left > 0 ? `, … and ${left} more` : '');
}

/**
 * The locks of a group's statements in one line: each mode with the tables it is taken on (a
 * few named, the rest counted), strongest first.
 */
export function lockSummary(
  occurrences: readonly Occurrence[],
  maxTables = 5,
  model: LockModel = POSTGRES_LOCKS,
): string {
  const byMode = new Map<LockMode, string[]>();
  for (const { statement } of occurrences) {
    for (const lock of statement.locks) {
      const tables = byMode.get(lock.mode) ?? [];
      if (!tables.includes(lock.table)) tables.push(lock.table);
      byMode.set(lock.mode, tables);
    }
  }
  return [...byMode]
    .sort(([a], [b]) => lockStrength(b, model) - lockStrength(a, model))
    .map(([mode, tables]) => {
      const named = tables.slice(0, maxTables).join(', ');
      const more = tables.length > maxTables ? ` and ${tables.length - maxTables} more` : '';
      return `${mode} on ${named}${more}`;
    })
    .join('; ');
}

/**
 * For the formats that keep one entry per finding: findings whose long safe alternative repeats
 * one already given for the same file, rule and table, mapped to the statement that has it.
 */
export function repeatedRecipes(statements: readonly AnalyzedStatement[]): Map<Finding, AnalyzedStatement> {
  const firstWith = new Map<string, AnalyzedStatement>();
  const repeats = new Map<Finding, AnalyzedStatement>();
  for (const statement of statements) {
    for (const finding of statement.findings) {
      const safe = finding.safeAlternative;
      if (!safe || safe.split('\n').length <= RECIPE_REPEAT_LINES) continue;
      const key = [statement.file, finding.rule, tableOf({ statement, finding }) ?? ''].join('\u0000');
      const first = firstWith.get(key);
      if (first) repeats.set(finding, first);
      else firstWith.set(key, statement);
    }
  }
  return repeats;
}

/** What a finding whose recipe repeats says instead of it. */
export function sameRecipeAs(statement: AnalyzedStatement): string {
  return (
    `Safe alternative: as for line ${statement.line}, with this statement's names ` +
    "(each statement's own is in `schemapilot analyze --format json`)."
  );
}
