import type { Command } from 'commander';
import { check, checkReportJson } from '../../api/check.js';
import { validatePlan } from '../../api/validate.js';
import { plan as makePlan } from '../../api/plan.js';
import type { Dialect } from '../../core/dialect/index.js';
import type { ScratchServer } from '../../core/dialect/scratch.js';
import type { SchemaSource } from '../../core/dialect/validation.js';
import { InputError } from '../../core/errors.js';
import type { Plan } from '../../core/plan.js';
import type { SchemaSnapshot } from '../../core/snapshot.js';
import type { ResolvedConfig } from '../../config/types.js';
import { readMigrations } from '../../api/read.js';
import type { MigrationFile } from '../../core/migration.js';
import { renderAnalysisText } from '../../reporters/analysis-text.js';
import { renderPlanText } from '../../reporters/plan-text.js';
import { renderValidationMarkdown } from '../../reporters/validation-markdown.js';
import { renderChecklist, renderValidationText } from '../../reporters/validation-text.js';
import { canonicalJson } from '../../schema/canonical-json.js';
import { dialectNamed } from '../../dialects/index.js';
import { readPlanFile } from '../plan-file.js';
import { replayedSnapshot } from '../../validate/replay.js';
import { withScratch } from '../../validate/scratch.js';
import type { DataOption } from '../../validate/validate.js';
import { checkConnectionString, emit, oneOf, painterForOutput, printNote } from '../io.js';
import {
  addMigrationInputOptions,
  readMigrationInput,
  type MigrationInput,
  type MigrationInputFlags,
} from '../migration-input.js';
import { addScratchOptions, readScratchFlags, type ScratchFlags } from '../scratch-input.js';
import { addServiceOptions, readServices } from '../service-input.js';
import { renderImpactMarkdown } from '../../reporters/impact/markdown.js';
import { renderImpactText } from '../../reporters/impact/text.js';

const FORMATS = ['text', 'json', 'markdown'] as const;

interface ValidateFlags extends MigrationInputFlags, ScratchFlags {
  format: string;
  output?: string;
  dryRun?: boolean;
  explain?: boolean;
  service?: string[];
}

const progress = (message: string) => void process.stderr.write(`· ${message}\n`);
const warn = (message: string) => printNote('warning', message);

export function registerValidate(program: Command): void {
  addScratchOptions(
    addMigrationInputOptions(
      program
        .command('validate')
        .description(
          'Prove a migration (or a plan.json) on a scratch database: trace its locks and rewrites, check the result and the rollback',
        ),
      'validate',
    ),
  )
    .option('--format <format>', FORMATS.join(', '), 'text')
    .option('-o, --output <file>', 'write the report to a file')
    .addHelpText(
      'after',
      `
The migration is planned (as \`schemapilot plan\` would) unless a plan.json is given, then every
step runs on a throwaway database: an embedded PostgreSQL of the target's major (or the nearest
installed one), for MySQL/MariaDB a throwaway mariadbd from the installed binaries, or a
temporary database on --dev-url. Each statement's locks and rewrites (MySQL: also the algorithm
that ran and whether writers waited) are measured and compared with the engine's prediction;
the end schema must equal what the migration as written produces; the rollback must restore the
original schema. The target database given by --db is only read.

Exit codes: 0 passed, 1 failed, 2 bad input.

Examples:
  schemapilot validate migrations/V12__orders.sql --db $DATABASE_URL --synthesize 1000
  schemapilot validate plan.json --schema snapshot.json
  schemapilot validate change.sql --migrations db/migrations --dev-url postgres://postgres@localhost/postgres`,
    )
    .action(async (paths: string[], flags: ValidateFlags) => {
      const format = oneOf('--format', flags.format, FORMATS);
      const planFile = paths.length === 1 && paths[0]?.endsWith('.json') ? paths[0] : undefined;
      const { result } = await onScratch(
        paths,
        flags,
        planFile,
        async ({ inputs, dialect, scratch, snapshot, schema, data }) => {
          if (!inputs.givenPlan) progress('planning');
          const p =
            inputs.givenPlan ?? (await makePlan({ files: inputs.files, snapshot, config: inputs.config }));
          return validatePlan({
            dialect,
            plan: p,
            original: inputs.files,
            schema,
            scratch,
            data,
            config: inputs.config,
            onProgress: progress,
          });
        },
      );
      if (format === 'json') emit(canonicalJson(result, 2), flags.output);
      else if (format === 'markdown') emit(renderValidationMarkdown(result), flags.output);
      else emit(renderValidationText(result, painterForOutput(flags.output)), flags.output);
      process.exitCode = result.passed ? 0 : 1;
    });
}

export function registerCheck(program: Command): void {
  addServiceOptions(
    addScratchOptions(
      addMigrationInputOptions(
        program
          .command('check')
          .description(
            'The whole dry run: analyze, plan, validate on a scratch database, and print the checklist',
          ),
        'check',
      ),
    ),
    { devUrl: false },
  )
    .option(
      '--dry-run',
      'never touch the target database (check always runs dry; schemapilot deploy applies the plan)',
    )
    .option('--format <format>', FORMATS.join(', '), 'text')
    .option('-o, --output <file>', 'write the report to a file')
    .option(
      '--explain',
      "add an AI model's plain-words explanation to the recommended approach (needs a provider; the verdict stays the engine's)",
    )
    .addHelpText(
      'after',
      `
Prints the checklist first:
  ✓ Schema analyzed: 0 breaking changes
  ✓ Migration generated: 15 lines SQL in 6 steps
  ✓ Validation passed on test database (PostgreSQL 15 scratch database, 1.2 s)
  ✓ Cross-service impact: 0 of 6 services affected (412 queries checked, 3 unresolved)
  ✓ Safe to deploy to production
with ✗ and the reasons where not, then the analysis, the plan and the validation trace. The
cross-service line appears when services are given (--service NAME=PATH or "services" in the
config): their queries are prepared on the scratch database before and after each step.
Nothing is written to the database given by --db: it is read in read-only transactions.

Exit codes: 0 safe to deploy, 1 not safe, 2 bad input.

Examples:
  schemapilot check migrations/ --db $DATABASE_URL --dry-run
  schemapilot check --change "ALTER TABLE users ALTER COLUMN email SET NOT NULL" --db $DATABASE_URL --synthesize 1000`,
    )
    .action(async (paths: string[], flags: ValidateFlags) => {
      const format = oneOf('--format', flags.format, FORMATS);
      const { inputs, result } = await onScratch(
        paths,
        flags,
        undefined,
        ({ inputs, dialect, scratch, snapshot, schema, data }) => {
          progress('analyzing and planning');
          const services = readServices(flags, inputs.config);
          return check({
            services,
            dialect,
            files: inputs.files,
            snapshot,
            schema,
            scratch,
            data,
            config: inputs.config,
            volatility: inputs.volatility,
            onProgress: progress,
          });
        },
      );
      // As analyze says them: the analysis is the same, so are its assumptions.
      for (const note of inputs.notes) {
        if (!result.analysis.assumptions.includes(note)) result.analysis.assumptions.push(note);
      }
      if (flags.explain) {
        const { addExplanation } = await import('./analyze.js');
        await addExplanation(result.analysis, inputs.config);
      }
      if (format === 'json') {
        emit(canonicalJson(checkReportJson(result), 2), flags.output);
      } else if (format === 'markdown') {
        emit(
          renderValidationMarkdown(
            result.validation,
            result.checklist,
            result.analysis.assessment.recommended_approach,
          ) + (result.impact ? `\n${renderImpactMarkdown(result.impact)}` : ''),
          flags.output,
        );
      } else {
        const paint = painterForOutput(flags.output);
        emit(
          [
            renderChecklist(result.checklist, paint),
            '\n',
            paint.bold('── Analysis\n'),
            renderAnalysisText(result.analysis, paint),
            '\n',
            paint.bold('── Plan\n'),
            renderPlanText(result.plan, paint),
            '\n',
            paint.bold('── Validation\n'),
            renderValidationText(result.validation, paint),
            ...(result.impact
              ? ['\n', paint.bold('── Cross-service impact\n'), renderImpactText(result.impact, paint)]
              : []),
          ],
          flags.output,
        );
      }
      process.exitCode = result.safeToDeploy ? 0 : 1;
    });
}

interface Inputs {
  files: MigrationFile[];
  /** Null with --migrations: the schema is what replaying them builds, on the scratch server. */
  snapshot: SchemaSnapshot | null;
  major: number | null;
  url: string | undefined;
  config: ResolvedConfig;
  migrations: MigrationFile[] | undefined;
  givenPlan: Plan | undefined;
  volatility: MigrationInput['volatility'];
  /** What reading the migration assumed or left out (runner, empty files, other databases). */
  notes: string[];
  /** From --dialect, the --db URL or the snapshot (chooseDialect). */
  dialect: Dialect;
}

async function readInputs(
  paths: string[],
  flags: ValidateFlags,
  planFile: string | undefined,
): Promise<Inputs> {
  const hasDb = (flags.db ?? process.env['DATABASE_URL'] ?? '') !== '';
  if (flags.migrations !== undefined && (flags.db !== undefined || flags.schema !== undefined))
    throw new InputError('give one of --db, --schema or --migrations');
  if (!hasDb && flags.schema === undefined && flags.migrations === undefined)
    throw new InputError(
      'a scratch database needs a schema to start from: give --db URL, --schema snapshot.json or --migrations DIR',
    );
  const givenPlan = planFile ? readPlanFile(planFile) : undefined;
  const input = await readMigrationInput(givenPlan ? [] : paths, flags, 'validate', {
    filesOptional: givenPlan !== undefined,
  });
  const migrations =
    flags.migrations === undefined
      ? undefined
      : (
          await readMigrations(flags.migrations, {
            runner: input.config.runner,
            major: input.major,
            dialect: input.dialect,
          })
        ).files;
  return {
    files: givenPlan ? planSourceFiles(givenPlan) : input.files,
    snapshot: input.snapshot,
    // A schema replayed from --migrations has the scratch server's version unless one is given.
    major: givenPlan?.serverMajor ?? (migrations && input.config.targetVersion === null ? null : input.major),
    url: input.url,
    config: input.config,
    migrations,
    givenPlan,
    volatility: input.volatility,
    notes: input.notes,
    dialect: input.dialect,
  };
}

interface ScratchContext {
  inputs: Inputs;
  dialect: Dialect;
  scratch: ScratchServer;
  snapshot: SchemaSnapshot;
  schema: SchemaSource;
  data: DataOption;
}

/**
 * What validate and check share: read the inputs (read-only), open the scratch server (closed
 * whatever happens, Ctrl-C included), settle the snapshot and how it gets cloned, then `body`.
 */
async function onScratch<T>(
  paths: string[],
  flags: ValidateFlags,
  planFile: string | undefined,
  body: (context: ScratchContext) => Promise<T>,
): Promise<{ inputs: Inputs; result: T }> {
  if (flags.devUrl !== undefined) checkConnectionString(flags.devUrl, '--dev-url');
  progress('reading the migration and the target schema (read-only)');
  const inputs = await readInputs(paths, flags, planFile);
  const scratchFlags = readScratchFlags(flags, inputs.url);
  for (const w of scratchFlags.warnings) warn(w);
  const dialect = inputs.givenPlan ? dialectNamed(inputs.givenPlan.dialect, planFile) : inputs.dialect;
  if (!dialect.scratch) throw new InputError(`validate needs a scratch server, which ${dialect.title} lacks`);
  progress(flags.devUrl ? 'opening the scratch server (--dev-url)' : 'starting a throwaway scratch server');
  const result = await withScratch(
    dialect.scratch,
    { major: inputs.major, devUrl: flags.devUrl, onWarning: warn },
    async (scratch) => {
      const snapshot = await schemaOf(dialect, inputs, scratch);
      const schema: SchemaSource = inputs.migrations
        ? { kind: 'migrations', files: inputs.migrations }
        : scratchFlags.schema(snapshot, inputs.url);
      return body({ inputs, dialect, scratch, snapshot, schema, data: scratchFlags.data });
    },
  );
  return { inputs, result };
}

/** The snapshot to plan against: given, or built by replaying --migrations on the scratch server. */
async function schemaOf(dialect: Dialect, inputs: Inputs, scratch: ScratchServer): Promise<SchemaSnapshot> {
  if (inputs.snapshot) return inputs.snapshot;
  if (!inputs.migrations) throw new InputError('no schema: give --db, --schema or --migrations');
  return replayedSnapshot(dialect, scratch, inputs.migrations);
}

/** The migration a plan was made from, statement by statement, for the intent check. */
function planSourceFiles(p: Plan): MigrationFile[] {
  return p.sources.map((s) => ({ path: `${s.file}:${s.line}`, sql: s.sql, transaction: 'none' as const }));
}
