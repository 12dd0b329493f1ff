import type { Command } from 'commander';
import { plan as makePlan } from '../../api/plan.js';
import { InputError } from '../../core/errors.js';
import type { ImpactResult } from '../../core/impact.js';
import { renderImpactMarkdown } from '../../reporters/impact/markdown.js';
import { renderImpactSarif } from '../../reporters/impact/sarif.js';
import { renderImpactText } from '../../reporters/impact/text.js';
import { canonicalJson } from '../../schema/canonical-json.js';
import { checkConnectionString, emit, oneOf, painterForOutput } from '../io.js';
import {
  addMigrationInputOptions,
  readMigrationInput,
  type MigrationInputFlags,
} from '../migration-input.js';
import {
  addServiceOptions,
  checkServices,
  parseServiceFlags,
  readServices,
  type ServiceFlags,
} from '../service-input.js';
import { version } from '../../core/version.js';

export const IMPACT_FORMATS = ['text', 'json', 'markdown', 'sarif'] as const;

interface ImpactFlags extends MigrationInputFlags, ServiceFlags {
  format: string;
  output?: string;
}

const progress = (message: string) => void process.stderr.write(`· ${message}\n`);

export function registerImpact(program: Command): void {
  addServiceOptions(
    addMigrationInputOptions(
      program
        .command('impact')
        .description(
          "Find the queries in other services' code that a migration breaks, proved by the database on a scratch copy",
        ),
      'check',
    ),
    { devUrl: true },
  )
    .option('--format <format>', IMPACT_FORMATS.join(', '), 'text')
    .option('-o, --output <file>', 'write the report to a file')
    .addHelpText(
      'after',
      `
Each service (--service NAME=PATH, repeatable, or "services" in schemapilot.config.json) is a
checkout of its code. Its SQL queries are extracted, then PREPAREd on a scratch database with
the target's schema (an embedded PostgreSQL or a throwaway mariadbd, or a temporary database on
--dev-url): before the migration (queries that already fail are listed apart as "already
broken"), after each step of the safe plan (old code keeps running during the deploy), and
after the migration as written. A query that compiles before and fails later is "broken" at
the first step it fails, with the server's error (SQLSTATE, or MySQL's error number) and
message. Queries built at run time are listed as unresolved, never
guessed at. The target database given by --db is only read.

Exit codes: 0 no service affected, 1 a service is affected, 2 bad input (nothing applied).

Examples:
  schemapilot impact migrations/V12__rename.sql --db $DATABASE_URL --service billing=../billing --service web=../web
  schemapilot impact --change "ALTER TABLE users DROP COLUMN name" --schema snapshot.json --service api=. --format json
  schemapilot impact migrations/ --schema snapshot.json --format markdown -o impact.md   # services from the config`,
    )
    .action(async (paths: string[], flags: ImpactFlags) => {
      const format = oneOf('--format', flags.format, IMPACT_FORMATS);
      if (flags.devUrl !== undefined) checkConnectionString(flags.devUrl, '--dev-url');
      // Every flag is checked before the target is read; the config's entries once it is loaded.
      parseServiceFlags(flags.service);
      const input = await readMigrationInput(paths, flags, 'check');
      const services = readServices(flags, input.config);
      if (services.length === 0)
        throw new InputError('no services to check: give --service NAME=PATH or "services" in the config');
      const snapshot = input.snapshot;
      if (!snapshot)
        throw new InputError(
          'impact needs the schema before the migration: give --db URL or --schema snapshot.json',
        );
      progress('planning');
      const plan = await makePlan({
        files: input.files,
        snapshot,
        config: input.config,
        dialect: input.dialect,
      });
      const result = await checkServices(services, { ...input, snapshot }, plan, flags.devUrl, progress);
      emit(renderImpact(result, format, flags.output), flags.output);
      process.exitCode = result.affected_services.length > 0 ? 1 : 0;
    });
}

export function renderImpact(
  result: ImpactResult,
  format: (typeof IMPACT_FORMATS)[number],
  output: string | undefined,
): string {
  if (format === 'json') return canonicalJson(result, 2);
  if (format === 'markdown') return renderImpactMarkdown(result);
  if (format === 'sarif') return renderImpactSarif(result, { toolVersion: version });
  return renderImpactText(result, painterForOutput(output));
}
