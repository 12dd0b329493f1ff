import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Command } from 'commander';
import { analyze, type AnalyzeOutput } from '../../api/analyze.js';
import { InputError } from '../../core/errors.js';
import type { SchemaSnapshot } from '../../core/snapshot.js';
import { loadConfig } from '../../config/load.js';
import { RUNNERS, type ResolvedConfig, type RunnerName } from '../../config/types.js';
import { connectPostgres } from '../../dialects/postgres/connect.js';
import { introspectPostgres } from '../../dialects/postgres/introspect.js';
import { functionVolatility, measureTables } from '../../dialects/postgres/live.js';
import { lowerStatement } from '../../dialects/postgres/lower.js';
import { loadPostgresParser, parsePostgres } from '../../dialects/postgres/parser.js';
import { inlineMigration, readMigrations } from '../../formats/read.js';
import type { MigrationFile } from '../../linter/run.js';
import { allRules } from '../../rules/index.js';
import { changeTable } from '../../core/change.js';
import { renderAnalysisJson } from '../../reporters/analysis-json.js';
import { renderAnalysisText } from '../../reporters/analysis-text.js';
import { REPORT_FORMATS, renderReport, type ReportFormat } from '../../reporters/index.js';
import { emit, oneOf, painterForOutput } from '../io.js';
import type { Volatility } from '../../core/facts.js';

interface AnalyzeFlags {
  change?: string;
  db?: string;
  schema?: string;
  runner?: string;
  format: string;
  output?: string;
  config?: string;
  targetVersion?: string;
}

export function registerAnalyze(program: Command): void {
  program
    .command('analyze')
    .description(
      'Report the locks, rewrites, breaking changes and risks of a migration, with safe alternatives',
    )
    .argument(
      '[paths...]',
      'migration files or directories (Flyway, golang-migrate, dbmate, Prisma, Drizzle, Sqitch, alembic --sql, plain); - for stdin',
    )
    .option('--change <sql>', 'analyze this SQL instead of files')
    .option(
      '--db <url>',
      'live database: schema, sizes and version come from it (default: $DATABASE_URL if set)',
    )
    .option('--schema <snapshot.json>', 'a snapshot saved by `schemapilot inspect --format json`')
    .option('--runner <name>', `how files are run (decides transactions): ${RUNNERS.join(', ')}`)
    .option('--target-version <major>', 'PostgreSQL major to assume without a database')
    .option('--format <format>', `${REPORT_FORMATS.join(', ')}`, 'text')
    .option('-o, --output <file>', 'write the report to a file')
    .option('--config <file>', 'config file (default: ./schemapilot.config.json when present)')
    .addHelpText(
      'after',
      `
Exit codes: 0 safe to deploy, 1 not safe (or a finding at error severity), 2 bad input.

Examples:
  schemapilot analyze migrations/ --db postgres://postgres@localhost/app
  schemapilot analyze --change "ALTER TABLE users ADD COLUMN email_verified boolean NOT NULL DEFAULT false"
  schemapilot analyze db/migrate/V12__orders.sql --schema snapshot.json --format markdown -o comment.md
  cat change.sql | schemapilot analyze - --format json`,
    )
    .action(async (paths: string[], flags: AnalyzeFlags) => {
      const format = oneOf('--format', flags.format, REPORT_FORMATS);
      const { config } = loadConfig({
        explicitPath: flags.config,
        knownRules: [...allRules.map((r) => r.meta.id), 'invalid-ignore'],
      });
      applyFlags(config, flags);
      const files = await readInputs(paths, flags, config.runner);
      const url = flags.db ?? (process.env['DATABASE_URL'] || undefined);
      if (url && flags.schema) throw new InputError('give either --db or --schema, not both');
      const { snapshot, volatility } = url
        ? await readLive(url, files, config)
        : { snapshot: flags.schema ? readSnapshot(flags.schema) : null, volatility: undefined };
      const result = await analyze({ files, snapshot, config, volatility });
      emit(render(result, format, flags.output), flags.output);
      process.exitCode = exitCodeFor(result);
    });
}

export function exitCodeFor(result: AnalyzeOutput): number {
  const hasError = result.statements.some((s) => s.findings.some((f) => f.severity === 'error'));
  return result.assessment.safe_to_deploy && !hasError ? 0 : 1;
}

function render(result: AnalyzeOutput, format: ReportFormat, output: string | undefined): string {
  if (format === 'text') return renderAnalysisText(result, painterForOutput(output));
  if (format === 'json') return renderAnalysisJson(result);
  return renderReport(result, format, { toolVersion });
}

// For SARIF's tool version; read here because reporters read no files.
const { version: toolVersion } = createRequire(import.meta.url)('../../../package.json') as {
  version: string;
};

function applyFlags(config: ResolvedConfig, flags: AnalyzeFlags): void {
  if (flags.runner !== undefined) config.runner = oneOf('--runner', flags.runner, RUNNERS) as RunnerName;
  if (flags.targetVersion !== undefined) {
    const major = Number(flags.targetVersion);
    if (!Number.isInteger(major) || major < 10 || major > 18) {
      throw new InputError(
        `--target-version must be a PostgreSQL major from 10 to 18; got "${flags.targetVersion}"`,
      );
    }
    config.targetVersion = major;
  }
}

async function readInputs(
  paths: string[],
  flags: AnalyzeFlags,
  runner: RunnerName | null,
): Promise<MigrationFile[]> {
  const files: MigrationFile[] = [];
  if (flags.change !== undefined) files.push(inlineMigration('--change', flags.change, runner));
  for (const path of paths) {
    if (path === '-') files.push(inlineMigration('<stdin>', await readStdin(), runner));
    else files.push(...readMigrations(path, { runner }).files);
  }
  if (files.length === 0)
    throw new InputError('nothing to analyze: give migration paths, --change "SQL", or - for stdin');
  return files;
}

function readStdin(): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    process.stdin.setEncoding('utf8');
    process.stdin.on('data', (chunk: string) => (text += chunk));
    process.stdin.on('end', () => resolve(text));
    process.stdin.on('error', reject);
  });
}

function readSnapshot(path: string): SchemaSnapshot {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(
      `--schema ${path}: ${code === 'ENOENT' ? 'no such file' : `not a JSON snapshot (${(error as Error).message})`}`,
    );
  }
  const s = parsed as Partial<SchemaSnapshot>;
  if (s.formatVersion !== 1 || !Array.isArray(s.tables) || typeof s.serverVersionNum !== 'number') {
    throw new InputError(`--schema ${path}: not a snapshot from "schemapilot inspect --format json"`);
  }
  return parsed as SchemaSnapshot;
}

/** Snapshot of the live database, with exact sizes of the tables the migration touches. */
async function readLive(
  url: string,
  files: readonly MigrationFile[],
  config: ResolvedConfig,
): Promise<{ snapshot: SchemaSnapshot; volatility: (fn: string) => Volatility | undefined }> {
  const touched = await touchedObjects(files, config.defaultSchema);
  const client = await connectPostgres(url, { applicationName: 'schemapilot analyze' });
  try {
    const snapshot = await introspectPostgres(client);
    await measureTables(client, snapshot, touched.tables);
    const volatility = await functionVolatility(client, touched.functions);
    return { snapshot, volatility: (fn) => volatility.get(fn) };
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function touchedObjects(
  files: readonly MigrationFile[],
  defaultSchema: string,
): Promise<{ tables: string[]; functions: string[] }> {
  await loadPostgresParser();
  const tables = new Set<string>();
  const functions = new Set<string>();
  for (const file of files) {
    for (const statement of parsePostgres(file.sql, file.path).statements) {
      for (const change of lowerStatement(statement.ast, { defaultSchema })) {
        const table = changeTable(change);
        if (table) tables.add(table);
        if (change.kind === 'add column')
          for (const fn of change.column.default?.functions ?? []) functions.add(fn);
        if (change.kind === 'set default') for (const fn of change.default.functions) functions.add(fn);
      }
    }
  }
  return { tables: [...tables], functions: [...functions] };
}
