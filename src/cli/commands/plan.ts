import { writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Command } from 'commander';
import { analyze } from '../../api/analyze.js';
import { fsErrorWords } from '../../core/fs-errors.js';
import { makeDirectory } from '../../core/make-directory.js';
import { checkPlan, plan } from '../../api/plan.js';
import type { ResolvedConfig } from '../../config/types.js';
import { InputError, SourceError } from '../../core/errors.js';
import type { SchemaSnapshot } from '../../core/snapshot.js';
import type { Dialect } from '../../core/dialect/index.js';
import type { MigrationFile } from '../../core/migration.js';
import type { Plan, PlanOptions } from '../../core/plan.js';
import { canonicalJson } from '../../schema/canonical-json.js';
import { dialectNamed } from '../../dialects/index.js';
import { PLAN_WRITERS, planWriter, slug } from '../../formats/write/index.js';
import { renderPlanText } from '../../reporters/plan-text.js';
import { checkTimeoutOrder, intFlag, MAX_PG_TIMEOUT_MS } from '../flags.js';
import { emit, oneOf, painterForOutput } from '../io.js';
import {
  addMigrationInputOptions,
  readMigrationInput,
  type MigrationInputFlags,
} from '../migration-input.js';
import { addServiceOptions, serviceImpactFor, type ServiceFlags } from '../service-input.js';
import { renderImpactText } from '../../reporters/impact/text.js';

const FORMATS = ['text', 'json', ...PLAN_WRITERS.map((w) => w.format)] as const;

interface PlanFlags extends MigrationInputFlags, ServiceFlags {
  format: string;
  out?: string;
  dir: string;
  name?: string;
  migrationVersion?: string;
  archive?: boolean;
  batchSize?: string;
  batchPauseMs?: string;
  lockTimeoutMs?: string;
  statementTimeoutMs?: string;
}

export function registerPlan(program: Command): void {
  addServiceOptions(
    addMigrationInputOptions(
      program
        .command('plan')
        .description(
          "Rewrite a migration as safe steps (expand, backfill, validate, contract) with rollback, in your migration tool's format",
        ),
      'plan',
    ),
    { devUrl: true },
  )
    .option(
      '--format <format>',
      `text, json, or files for a tool: ${PLAN_WRITERS.map((w) => w.format).join(', ')}`,
      'text',
    )
    .option('--out <plan.json>', 'also save the plan as JSON (for validate and deploy)')
    .option('--dir <directory>', 'where tool formats write their files', 'schemapilot-plan')
    .option('--name <name>', 'migration name used in file names (default: from the first file)')
    .option(
      '--migration-version <version>',
      'version prefix of written files (default: UTC time, YYYYMMDDHHMMSS)',
    )
    .option(
      '--archive',
      'keep dropped columns and tables in schema schemapilot_archive, so rollback can restore the data',
    )
    .option('--batch-size <rows>', 'rows per backfill batch (default 5000)')
    .option('--batch-pause-ms <ms>', 'pause between backfill batches (default 100)')
    .option(
      '--lock-timeout-ms <ms>',
      'lock_timeout of every step (default 2000; MySQL: lock_wait_timeout, rounded up to whole seconds)',
    )
    .option(
      '--statement-timeout-ms <ms>',
      'statement_timeout of ordinary steps (default 30000; index builds, validations and backfills have none)',
    )
    .addHelpText(
      'after',
      `
Each format puts steps that cannot run in a transaction (CREATE INDEX CONCURRENTLY, backfills)
where the tool will not wrap them in one. Run the contract steps only after every service has
deployed code that no longer uses what they remove.

MySQL/MariaDB: every step pins ALGORITHM= and LOCK= so the server refuses instead of copying the
table; what only a copy can do on a large table runs through the tool "mysql.onlineSchemaChange"
names in the config (pt-online-schema-change by default, gh-ost, or none). Plans with such a step
are deployed with \`schemapilot deploy\`: migration tools cannot run it (docs/mysql/plans.md).

With --service NAME=PATH (or "services" in the config), the services' queries are checked on a
scratch database after each step (see \`schemapilot impact --help\`).

Exit codes: 0 the plan passes the engine's own checks, 1 some step is still unsafe (printed) or
a service's query breaks, 2 bad input.

Examples:
  schemapilot plan --change "ALTER TABLE users ADD COLUMN token uuid NOT NULL DEFAULT gen_random_uuid()" --db $DATABASE_URL
  schemapilot plan migrations/V12__orders.sql --schema snapshot.json --format flyway --dir db/migration
  schemapilot plan change.sql --db $DATABASE_URL --format json --out plan.json`,
    )
    .action(async (paths: string[], flags: PlanFlags) => {
      const format = oneOf('--format', flags.format, FORMATS);
      const options = planOptions(flags);
      const input = await readMigrationInput(paths, flags, 'plan');
      const { dialect } = input;
      if (input.snapshot) await refuseMissingObjects(input.files, input.snapshot, input.config, dialect);
      const p = await plan({
        files: input.files,
        snapshot: input.snapshot,
        config: input.config,
        options,
        dialect,
      });
      const problems = (await checkPlan(p, input.snapshot, input.config, dialect)).filter(
        (f) => f.severity === 'error',
      );
      const impact = await serviceImpactFor(flags, input, p);
      if (flags.out) writeText(flags.out, canonicalJson(p, 2) + '\n', '--out');

      if (format === 'text') emit(renderPlanText(p, painterForOutput(undefined)), undefined);
      else if (format === 'json') emit(canonicalJson(p, 2), undefined);
      else writeFormat(p, format, flags, input.files[0]?.path ?? 'migration');

      for (const problem of problems)
        process.stderr.write(`schemapilot: still unsafe: ${problem.message} [${problem.rule}]\n`);
      // The plan's own output stays the plan (deploy reads its JSON); the services' verdict follows
      // it on stdout as text, or goes to stderr when stdout carries JSON or a tool's file list.
      if (impact && format === 'text')
        emit(`\n${renderImpactText(impact, painterForOutput(undefined))}`, undefined);
      else if (impact) process.stderr.write(renderImpactText(impact));
      const affected = (impact?.affected_services.length ?? 0) > 0;
      process.exitCode = problems.length > 0 || affected ? 1 : 0;
    });
}

/**
 * Against a live schema, a migration that names a table or column that is not there cannot be
 * planned: every step would fail. Refused like bad input, before anything is written.
 */
async function refuseMissingObjects(
  files: readonly MigrationFile[],
  snapshot: SchemaSnapshot,
  config: ResolvedConfig,
  dialect: Dialect,
): Promise<void> {
  const result = await analyze({ files, snapshot, config, dialect });
  const missing = result.statements.flatMap((s) =>
    s.findings.filter((f) => f.rule === 'missing-object').map((f) => ({ s, f })),
  );
  const [first] = missing;
  if (!first) return;
  const more = missing.length > 1 ? ` (and ${missing.length - 1} more)` : '';
  throw new SourceError(
    { file: first.s.file, line: first.s.line, column: first.s.column },
    `cannot plan: ${first.f.message.replace(/: the statement fails.*$/, '')}${more} [missing-object]`,
  );
}

function writeFormat(p: Plan, format: string, flags: PlanFlags, firstFile: string): void {
  const writer = planWriter(format, dialectNamed(p.dialect));
  if (!writer) throw new InputError(`--format ${format}: no such writer`);
  const name =
    flags.name ??
    slug(
      basename(firstFile)
        .replace(/\.sql$/i, '')
        .replace(/^V[\d._]+__|^\d+_/, ''),
    );
  const version = flags.migrationVersion ?? utcStamp();
  if (!/^[\w.-]+$/.test(version))
    throw new InputError(`--migration-version must be letters, digits, ".", "_" or "-"; got "${version}"`);
  const files = writer.write(p, { name, version });
  for (const file of files) writeText(join(flags.dir, file.path), file.content, '--dir');
  process.stdout.write(
    `${files.length} file${files.length === 1 ? '' : 's'} for ${writer.format} in ${flags.dir}/:\n`,
  );
  for (const file of files) process.stdout.write(`  ${file.path}\n`);
}

function writeText(path: string, content: string, flag: string): void {
  try {
    makeDirectory(dirname(path));
    writeFileSync(path, content);
  } catch (error) {
    throw new InputError(`${flag} ${path}: cannot write: ${fsErrorWords(error)}`);
  }
}

function utcStamp(): string {
  return new Date().toISOString().replace(/\D/g, '').slice(0, 14);
}

function planOptions(flags: PlanFlags): Partial<PlanOptions> {
  const ms = { max: MAX_PG_TIMEOUT_MS, unit: 'ms' };
  const options: Partial<PlanOptions> = {};
  const batchSize = intFlag('--batch-size', flags.batchSize, { min: 1, max: 10_000_000, unit: 'rows' });
  const pause = intFlag('--batch-pause-ms', flags.batchPauseMs, { min: 0, max: 3_600_000, unit: 'ms' });
  const lock = intFlag('--lock-timeout-ms', flags.lockTimeoutMs, { min: 1, ...ms });
  const statement = intFlag('--statement-timeout-ms', flags.statementTimeoutMs, { min: 0, ...ms });
  checkTimeoutOrder(
    lock === undefined ? undefined : { flag: '--lock-timeout-ms', ms: lock },
    statement === undefined ? undefined : { flag: '--statement-timeout-ms', ms: statement },
  );
  if (batchSize !== undefined) options.batchSize = batchSize;
  if (pause !== undefined) options.batchPauseMs = pause;
  if (lock !== undefined) options.lockTimeoutMs = lock;
  if (statement !== undefined) options.statementTimeoutMs = statement;
  if (flags.archive) options.archive = true;
  return options;
}
