/**
 * analyze(): the public entry point of the analysis engine. Wires the dialect (PostgreSQL
 * unless told otherwise), the rules and the assessment; does no I/O itself (the CLI and the MCP
 * server read files and databases: api/input.ts).
 */
import type { AnalysisResult, Assessment, Finding } from '../core/analysis.js';
import type { Change } from '../core/change.js';
import type { Plan } from '../core/plan.js';
import type { Volatility } from '../core/facts.js';
import type { Rule } from '../core/rule.js';
import type { SchemaSnapshot, Table } from '../core/snapshot.js';
import type { Dialect } from '../core/dialect/index.js';
import { factKeyVersion } from '../core/dialect/version.js';
import { assess } from '../assess/assess.js';
import { lockModelOf } from '../core/locks.js';
import { DEFAULT_CONFIG, type ResolvedConfig } from '../config/types.js';
import type { PlannerDialect } from '../planner/types.js';
import {
  completePlan,
  draftPlan,
  NON_TRANSACTIONAL_DDL,
  rollbackComplexity,
  type PlanDraft,
} from '../planner/plan.js';
import { StepFinisher } from '../planner/finish.js';
import { GROUP_MIN_STATEMENTS } from '../reporters/grouping.js';
import type { MigrationFile } from '../core/migration.js';
import { runAnalysis, type RunOutput } from '../linter/run.js';
import { allRules } from '../rules/index.js';
import { assumedMajor, configForDialect, dialectFor, snapshotMajor, snapshotVolatility } from './input.js';

export interface AnalyzeOptions {
  files: readonly MigrationFile[];
  /** Live or saved schema; null analyses without one (and says what it assumed). */
  snapshot?: SchemaSnapshot | null;
  config?: ResolvedConfig;
  rules?: readonly Rule[];
  /** Function volatility from the live database. */
  volatility?: (fn: string) => Volatility | undefined;
  /** The migration's dialect; default: the snapshot's, else the registry's default (PostgreSQL). */
  dialect?: Dialect;
}

export interface AnalyzeOutput extends AnalysisResult {
  /** Internals for the planner and reporters; not part of the JSON contract. */
  run: RunOutput;
  /** The safe plan the assessment's rollback complexity and approach come from. */
  plan: Plan;
}

export async function analyze(options: AnalyzeOptions): Promise<AnalyzeOutput> {
  const snapshot = options.snapshot ?? null;
  const target = dialectFor(options.dialect, snapshot);
  const { language } = target;
  await language.load();
  const zone = sessionTimeZone(
    configForDialect(options.config ?? DEFAULT_CONFIG, target, snapshot),
    snapshot,
    target,
  );
  const config = zone.config;
  const rules = options.rules ?? allRules;
  const assumptions: string[] = [];
  let major: number;
  if (snapshot) major = snapshotMajor(target, snapshot);
  else if (config.targetVersion !== null) major = config.targetVersion;
  else {
    major = assumedMajor(target);
    assumptions.push(
      `server version unknown: ${language.assumedVersion.words} assumed (pass --db, --schema or set targetVersion)`,
    );
  }
  if (!snapshot) {
    assumptions.push(
      `no schema given: every table is assumed to exist with ${config.largeTableRows.toLocaleString('en')}+ rows, and current column types are unknown (pass --db or --schema)`,
    );
  }
  const volatility = options.volatility ?? (snapshot ? snapshotVolatility(snapshot) : undefined);
  const dialect = withParseCache(plannerDialect(target, config.defaultSchema));
  const run = runAnalysis({ files: options.files, snapshot, major, config, rules, volatility }, dialect);
  // One walk over every fact's notes: what was assumed, in order, and whether the zone mattered.
  const assumedNotes = new Set<string>();
  let timeZoneMatters = false;
  for (const d of run.details)
    for (const f of d.facts)
      for (const n of f.notes) {
        if (n.includes('assumed')) assumedNotes.add(n);
        if (n.includes('TimeZone')) timeZoneMatters = true;
      }
  for (const note of assumedNotes) assumptions.push(note);
  assumptions.push(...newTableAssumptions(run));
  if (timeZoneMatters) assumptions.push(zone.note);
  // Tables the migration dropped are still sized from the snapshot, looked up by name (a scan
  // per question made a 5,000-table schema cost as much as the migration).
  let snapshotTables: Map<string, Table> | undefined;
  const fromSnapshot = (table: string) => {
    if (!snapshotTables) {
      snapshotTables = new Map();
      // The first of a name wins, as a search from the start would find it.
      for (const x of snapshot?.tables ?? []) {
        const name = `${x.schema}.${x.name}`;
        if (!snapshotTables.has(name)) snapshotTables.set(name, x);
      }
    }
    return snapshotTables.get(table);
  };
  const rowsOf = (table: string) => {
    const t = run.state.table(table) ?? fromSnapshot(table);
    return t ? (t.stats.rowEstimate ?? Math.round(t.stats.tableBytes / 100)) : null;
  };
  const assessment = assess(run.statements, run.details, {
    rules,
    largeTableRows: config.largeTableRows,
    rowsOf,
    lockModel: lockModelOf(dialect.dialect),
  });
  // The planner is pure and reuses the parse and lowering of every file. The assessment needs
  // the plan's shape and its first steps in full; the rest is finished only if the plan is read.
  const draft = draftPlan({ files: options.files, snapshot, major, config, dialect });
  const finisher = new StepFinisher(draft);
  assessment.rollback_complexity = rollbackComplexity(draft.drafts.map(draftShape));
  assessment.recommended_approach = recommendedApproach(assessment, run, draft, finisher, target);
  let plan: Plan | undefined;
  return {
    dialect: dialect.dialect,
    serverVersion: snapshot
      ? snapshot.serverVersion
      : config.targetVersion !== null
        ? factKeyVersion(target.name, config.targetVersion)
        : null,
    statements: run.statements,
    assessment,
    assumptions,
    run,
    get plan(): Plan {
      return (plan ??= completePlan(draft, finisher.upTo()));
    },
  };
}

/** A draft step as the finished step will say it: reversible and not destroying data unless it says so. */
function draftShape(d: PlanDraft['drafts'][number]) {
  return { phase: d.phase, reversible: d.reversible ?? true, destroysData: d.destroysData ?? false };
}

/**
 * The approach in words: "apply as is" when nothing needs changing, otherwise the safe plan,
 * step by step with its SQL, followed by what the plan cannot fix (breaking changes).
 */
function recommendedApproach(
  assessment: Assessment,
  run: RunOutput,
  plan: PlanDraft,
  finisher: StepFinisher,
  target: Dialect,
): string {
  const problems = run.statements.flatMap((s) => s.findings.filter((f) => f.severity !== 'info'));
  const drafts = plan.drafts;
  const rewritten = drafts.some((s) => !(s.asWritten ?? false));
  if (problems.length === 0 && !rewritten) return assessment.recommended_approach;
  const lines: string[] = [];
  if (rewritten) {
    lines.push(
      `Deploy it as this ${drafts.length}-step plan (\`schemapilot plan\` writes it for your migration tool):`,
    );
    // A plan of hundreds of steps (a migration of hundreds of renames) would bury the rest of
    // the report: its first steps show the shape, the plan command writes them all.
    const shown = drafts.length > PLAN_STEPS_IN_FULL ? PLAN_STEPS_SHOWN : drafts.length;
    finisher.upTo(shown).forEach((step, i) => {
      const lock = step.lock ? `${step.lock.mode} on ${step.lock.table}` : 'no lock on existing tables';
      lines.push(
        `${i + 1}. [${step.phase}] ${step.description} (${lock}; ~${step.estimatedMs} ms${step.transactional ? '' : '; outside a transaction'})`,
      );
      for (const sql of step.sql)
        lines.push(...`${sql.replace(/;?\s*$/, '')};`.split('\n').map((l) => `   ${l}`));
    });
    const left = drafts.slice(shown);
    if (left.length > 0) {
      const phases = [...new Set(left.map((s) => s.phase))]
        .map((phase) => `${left.filter((s) => s.phase === phase).length} ${phase}`)
        .join(', ');
      lines.push(`… and ${left.length} more steps (${phases}): \`schemapilot plan\` writes them all.`);
    }
    if (drafts.some((s) => s.phase === 'contract')) {
      lines.push(
        'Run the contract steps only after every service has deployed code that no longer uses what they remove.',
      );
    }
    if (!target.language.capabilities.transactionalDdl && drafts.some((s) => !s.transactional))
      lines.push(NON_TRANSACTIONAL_DDL);
    for (const warning of new Set(plan.warnings)) lines.push(`Note: ${warning}.`);
  }
  const remaining = problems.filter((f) => f.rule !== 'lock-timeout-missing' || !rewritten);
  if (remaining.length > 0) {
    lines.push(rewritten ? 'Findings on the original migration:' : 'Findings:');
    lines.push(...findingLines(remaining));
  }
  return lines.join('\n');
}

/**
 * The deploy session's TimeZone decides whether timestamp ↔ timestamptz rewrites: the config
 * says so when set, else the live database's setting for this role, else "not UTC" (the safe
 * side: it predicts a rewrite). Returns the config with the answer and a note saying whence.
 */
export function sessionTimeZone(
  config: ResolvedConfig,
  snapshot: SchemaSnapshot | null,
  dialect?: Dialect,
): { config: ResolvedConfig; note: string } {
  if (config.timeZoneIsUtc !== null) {
    return {
      config,
      note: `session TimeZone ${config.timeZoneIsUtc ? 'is UTC' : 'is not UTC'}, as timeZoneIsUtc in the config says`,
    };
  }
  if (snapshot?.timeZone !== undefined) {
    const utc = dialectFor(dialect, snapshot).language.isFixedUtcZone?.(snapshot.timeZone) ?? false;
    return {
      config: { ...config, timeZoneIsUtc: utc },
      note: `session TimeZone: ${snapshot.timeZone} (the database's setting for this role${utc ? '' : ', not UTC'}); a deploy tool that sets its own TimeZone (JDBC sends the JVM's) overrides it: set timeZoneIsUtc in the config then`,
    };
  }
  return {
    config: { ...config, timeZoneIsUtc: false },
    note: 'session TimeZone unknown: assumed not UTC, so timestamp ↔ timestamptz is taken to rewrite (pass --db, or set timeZoneIsUtc in the config)',
  };
}

/** Says where the deploy-unit rule for new tables decided something, so a reader can check it. */
function newTableAssumptions(run: RunOutput): string[] {
  const out: string[] = [];
  const list = (entries: [string, string][], describe: (table: string, where: string) => string) => {
    const shown = entries.slice(0, 5).map(([t, where]) => describe(t, where));
    const more = entries.length - shown.length;
    return shown.join(', ') + (more > 0 ? ` and ${more} more` : '');
  };
  const earlier = [...run.newTableNotes.createdEarlier];
  if (earlier.length > 0) {
    out.push(
      `each file is its own deploy: ${earlier.length === 1 ? 'a table' : `${earlier.length} tables`} created by an earlier file ` +
        `(${list(earlier, (t, f) => `${t} in ${f}`)}) ${earlier.length === 1 ? 'is' : 'are'} judged in later files as existing, ` +
        'possibly in use and large (only tables created in the same file, or in the same transaction by runners that batch files, are new)',
    );
  }
  const filled = [...run.newTableNotes.filled];
  if (filled.length > 0) {
    out.push(
      `new ${filled.length === 1 ? 'table' : 'tables'} filled by the migration (${list(filled, (t, at) => `${t} at ${at}`)}): ` +
        'statements after the fill are checked against existing rows, with the size unknown',
    );
  }
  return out;
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
  for (const f of findings) {
    const list = byRule.get(f.rule);
    if (list) list.push(f);
    else byRule.set(f.rule, [f]);
  }
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

/**
 * The dialect's engine with the planner's statement rewrites. A dialect without them still
 * analyses and plans; only a recipe that rewrites a statement fails, naming the dialect.
 */
export function plannerDialect(dialect: Dialect, defaultSchema: string): PlannerDialect {
  const planner = dialect.language.planner?.(defaultSchema);
  if (planner) return planner;
  const cannot = (what: string) => (): never => {
    throw new Error(`the ${dialect.title} dialect cannot ${what} (its language has no planner rewrites)`);
  };
  return {
    ...dialect.language.engine(defaultSchema),
    // The plan's JSON names its dialect; a dialect without rewrites is one of the contract's names too.
    dialect: dialect.name as PlannerDialect['dialect'],
    alterTableAction: cannot('split an ALTER TABLE'),
  };
}

/**
 * Memoise parsing by file and text, and lowering by parse node, so the analysis and the
 * planner share one parse and one lowering per statement. Changes are plain data that nobody
 * mutates, so sharing them is safe.
 */
function withParseCache(dialect: PlannerDialect): PlannerDialect {
  // By file, then by text: the text is the caller's own string, whose hash V8 keeps, where a
  // joined key was a new string of the whole file to hash on every lookup.
  const parses = new Map<string, Map<string, ReturnType<PlannerDialect['parse']>>>();
  const lowered = new WeakMap<object, { schema: string; changes: Change[] }>();
  return {
    ...dialect,
    parse(sql, file) {
      let ofFile = parses.get(file);
      if (!ofFile) parses.set(file, (ofFile = new Map()));
      let parsed = ofFile.get(sql);
      if (!parsed) {
        parsed = dialect.parse(sql, file);
        ofFile.set(sql, parsed);
      }
      return parsed;
    },
    lower(ast, defaultSchema) {
      if (typeof ast !== 'object' || ast === null) return dialect.lower(ast, defaultSchema);
      const hit = lowered.get(ast);
      if (hit && hit.schema === defaultSchema) return hit.changes;
      const changes = dialect.lower(ast, defaultSchema);
      lowered.set(ast, { schema: defaultSchema, changes });
      return changes;
    },
  };
}
