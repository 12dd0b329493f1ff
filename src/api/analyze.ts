/**
 * analyze(): the public entry point of the analysis engine for PostgreSQL. Wires the dialect,
 * the rules and the assessment; does no I/O itself (the CLI reads files and databases).
 */
import type { AnalysisResult } from '../core/analysis.js';
import type { Volatility } from '../core/facts.js';
import type { Rule } from '../core/rule.js';
import type { SchemaSnapshot } from '../core/snapshot.js';
import { assess } from '../assess/assess.js';
import { ASSUMED_MAJOR, DEFAULT_CONFIG, type ResolvedConfig } from '../config/types.js';
import { postgresEngine } from '../dialects/postgres/engine.js';
import { loadPostgresParser } from '../dialects/postgres/parser.js';
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
  const run = runAnalysis(
    { files: options.files, snapshot, major, config, rules, volatility },
    postgresEngine(config.defaultSchema),
  );
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
