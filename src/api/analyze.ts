/**
 * analyze(): the public entry point of the analysis engine for PostgreSQL. Wires the dialect,
 * the rules and the assessment; does no I/O itself (the CLI reads files and databases).
 */
import type { AnalysisResult, Assessment, Finding } from '../core/analysis.js';
import type { Plan } from '../core/plan.js';
import type { Volatility } from '../core/facts.js';
import type { Rule } from '../core/rule.js';
import type { SchemaSnapshot } from '../core/snapshot.js';
import { assess } from '../assess/assess.js';
import { ASSUMED_MAJOR, DEFAULT_CONFIG, type ResolvedConfig } from '../config/types.js';
import { loadPostgresParser } from '../dialects/postgres/parser.js';
import { postgresPlannerDialect } from '../dialects/postgres/plan-sql.js';
import type { PlannerDialect } from '../planner/types.js';
import { planMigration } from '../planner/plan.js';
import { GROUP_MIN_STATEMENTS } from '../reporters/grouping.js';
import { runAnalysis, type MigrationFile, type RunOutput } from '../linter/run.js';
import { allRules } from '../rules/index.js';

export interface AnalyzeOptions {
  files: readonly MigrationFile[];
  /** Live or saved schema; null analyses without one (and says what it assumed). */
  snapshot?: SchemaSnapshot | null;
  config?: ResolvedConfig;
  rules?: readonly Rule[];
  /** Function volatility from the live database. */
  volatility?: (fn: string) => Volatility | undefined;
}

export interface AnalyzeOutput extends AnalysisResult {
  /** Internals for the planner and reporters; not part of the JSON contract. */
  run: RunOutput;
  /** The safe plan the assessment's rollback complexity and approach come from. */
  plan: Plan;
}

export async function analyze(options: AnalyzeOptions): Promise<AnalyzeOutput> {
  await loadPostgresParser();
  const config = options.config ?? DEFAULT_CONFIG;
  const rules = options.rules ?? allRules;
  const snapshot = options.snapshot ?? null;
  const assumptions: string[] = [];
  let major: number;
  if (snapshot) major = Math.floor(snapshot.serverVersionNum / 10000);
  else if (config.targetVersion !== null) major = config.targetVersion;
  else {
    major = ASSUMED_MAJOR;
    assumptions.push(
      `server version unknown: PostgreSQL ${ASSUMED_MAJOR} assumed (pass --db, --schema or set targetVersion)`,
    );
  }
  if (!snapshot) {
    assumptions.push(
      `no schema given: every table is assumed to exist with ${config.largeTableRows.toLocaleString('en')}+ rows, and current column types are unknown (pass --db or --schema)`,
    );
  }
  const volatility = options.volatility ?? (snapshot ? snapshotVolatility(snapshot) : undefined);
  const dialect = withParseCache(postgresPlannerDialect(config.defaultSchema));
  const run = runAnalysis({ files: options.files, snapshot, major, config, rules, volatility }, dialect);
  for (const note of new Set(
    run.details.flatMap((d) => d.facts.flatMap((f) => f.notes)).filter((n) => n.includes('assumed')),
  )) {
    assumptions.push(note);
  }
  const rowsOf = (table: string) => {
    const t = run.state.table(table) ?? snapshot?.tables.find((x) => `${x.schema}.${x.name}` === table);
    return t ? (t.stats.rowEstimate ?? Math.round(t.stats.tableBytes / 100)) : null;
  };
  const assessment = assess(run.statements, run.details, {
    rules,
    largeTableRows: config.largeTableRows,
    rowsOf,
  });
  // The planner is pure and reuses the parse of every file: the plan costs a replay, not a reparse.
  const plan = planMigration({ files: options.files, snapshot, major, config, dialect });
  assessment.rollback_complexity = plan.rollbackComplexity;
  assessment.recommended_approach = recommendedApproach(assessment, run, plan);
  return {
    dialect: 'postgres',
    serverVersion: snapshot
      ? snapshot.serverVersion
      : config.targetVersion !== null
        ? String(config.targetVersion)
        : null,
    statements: run.statements,
    assessment,
    assumptions,
    run,
    plan,
  };
}

/**
 * The approach in words: "apply as is" when nothing needs changing, otherwise the safe plan,
 * step by step with its SQL, followed by what the plan cannot fix (breaking changes).
 */
function recommendedApproach(assessment: Assessment, run: RunOutput, plan: Plan): string {
  const problems = run.statements.flatMap((s) => s.findings.filter((f) => f.severity !== 'info'));
  const rewritten = plan.steps.some((s) => !s.asWritten);
  if (problems.length === 0 && !rewritten) return assessment.recommended_approach;
  const lines: string[] = [];
  if (rewritten) {
    lines.push(
      `Deploy it as this ${plan.steps.length}-step plan (\`schemapilot plan\` writes it for your migration tool):`,
    );
    // A plan of hundreds of steps (a migration of hundreds of renames) would bury the rest of
    // the report: its first steps show the shape, the plan command writes them all.
    const shown = plan.steps.length > PLAN_STEPS_IN_FULL ? PLAN_STEPS_SHOWN : plan.steps.length;
    plan.steps.slice(0, shown).forEach((step, i) => {
      const lock = step.lock ? `${step.lock.mode} on ${step.lock.table}` : 'no lock on existing tables';
      lines.push(
        `${i + 1}. [${step.phase}] ${step.description} (${lock}; ~${step.estimatedMs} ms${step.transactional ? '' : '; outside a transaction'})`,
      );
      for (const sql of step.sql)
        lines.push(...`${sql.replace(/;?\s*$/, '')};`.split('\n').map((l) => `   ${l}`));
    });
    const left = plan.steps.slice(shown);
    if (left.length > 0) {
      const phases = [...new Set(left.map((s) => s.phase))]
        .map((phase) => `${left.filter((s) => s.phase === phase).length} ${phase}`)
        .join(', ');
      lines.push(`… and ${left.length} more steps (${phases}): \`schemapilot plan\` writes them all.`);
    }
    if (plan.steps.some((s) => s.phase === 'contract')) {
      lines.push(
        'Run the contract steps only after every service has deployed code that no longer uses what they remove.',
      );
    }
    for (const warning of plan.warnings) lines.push(`Note: ${warning}.`);
  }
  const remaining = problems.filter((f) => f.rule !== 'lock-timeout-missing' || !rewritten);
  if (remaining.length > 0) {
    lines.push(rewritten ? 'Findings on the original migration:' : 'Findings:');
    lines.push(...findingLines(remaining));
  }
  return lines.join('\n');
}

/** Plans up to this many steps are written out in the approach; longer ones show their first steps. */
const PLAN_STEPS_IN_FULL = 20;
const PLAN_STEPS_SHOWN = 10;

/**
 * One line per finding, except that a rule on many statements gets one line where it first
 * appears (as the text report groups it): 200 renames are one line, not 200.
 */
function findingLines(findings: readonly Finding[]): string[] {
  const byRule = new Map<string, Finding[]>();
  for (const f of findings) byRule.set(f.rule, [...(byRule.get(f.rule) ?? []), f]);
  const lines: string[] = [];
  const done = new Set<string>();
  for (const f of findings) {
    const all = byRule.get(f.rule) ?? [f];
    if (all.length < GROUP_MIN_STATEMENTS) {
      lines.push(`- [${f.severity}] ${f.message} (${f.rule})`);
      continue;
    }
    if (done.has(f.rule)) continue;
    done.add(f.rule);
    const worst = all.some((x) => x.severity === 'error')
      ? 'error'
      : all.some((x) => x.severity === 'warning')
        ? 'warning'
        : 'info';
    lines.push(`- [${worst}] ${f.rule}, ${all.length} findings, the first: ${f.message}`);
  }
  return lines;
}

/** Memoise parsing by file and text, so the analysis and the planner share one parse per file. */
function withParseCache(dialect: PlannerDialect): PlannerDialect {
  const cache = new Map<string, ReturnType<PlannerDialect['parse']>>();
  return {
    ...dialect,
    parse(sql, file) {
      const key = `${file}\u0000${sql}`;
      let parsed = cache.get(key);
      if (!parsed) {
        parsed = dialect.parse(sql, file);
        cache.set(key, parsed);
      }
      return parsed;
    },
  };
}

/** Volatility of the snapshot's own functions, by bare and qualified name (overloads: the worst). */
export function snapshotVolatility(snapshot: SchemaSnapshot): (fn: string) => Volatility | undefined {
  const rank: Record<Volatility, number> = { immutable: 0, stable: 1, volatile: 2 };
  const map = new Map<string, Volatility>();
  for (const f of snapshot.functions ?? []) {
    for (const key of [f.name, `${f.schema}.${f.name}`]) {
      const seen = map.get(key);
      if (!seen || rank[f.volatility] > rank[seen]) map.set(key, f.volatility);
    }
  }
  return (fn) => map.get(fn);
}
