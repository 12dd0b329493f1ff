/**
 * `schemapilot fleet`: the services of schemapilot.config.json as one fleet. `fleet check`
 * checks every service whose migrations changed (and the queries of its neighbours on the same
 * database) and prints one summary; `fleet list` prints the changed services, as a GitHub
 * Actions matrix with --format json, for fleets too large for one CI job; `fleet report`
 * merges the per-service reports of such a matrix (fleet-report.ts).
 */
import { availableParallelism } from 'node:os';
import { dirname } from 'node:path';
import type { Command } from 'commander';
import { InputError } from '../../core/errors.js';
import type { FleetService } from '../../core/fleet.js';
import { loadConfig } from '../../config/load.js';
import type { ResolvedConfig } from '../../config/types.js';
import { dialectOfUrl } from '../../dialects/index.js';
import { ENGINE_RULE_IDS } from '../../linter/run.js';
import { allRules } from '../../rules/index.js';
import { checkServicePaths } from '../../api/impact.js';
import { fleetCheck } from '../../api/fleet.js';
import { changedSince, repositoryRoot } from '../../fleet/git.js';
import { changedServices, checkSharedDatabases, onlyServices } from '../../fleet/select.js';
import { canonicalJson } from '../../schema/canonical-json.js';
import { addNetworkOptions } from '../network.js';
import { checkConnectionString, emit, oneOf, painterForOutput, printNote } from '../io.js';
import { renderFleet, FLEET_FORMATS } from '../fleet-output.js';
import { registerFleetReport } from './fleet-report.js';

interface FleetFlags {
  config?: string;
  since?: string;
  only?: string[];
  format: string;
  output?: string;
}

interface FleetCheckFlags extends FleetFlags {
  jobs?: string;
  devUrl?: string[];
}

const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

export function registerFleet(program: Command): void {
  const fleet = program
    .command('fleet')
    .description('Check, list and report the services of schemapilot.config.json as one fleet (CI)');
  registerFleetCheck(fleet);
  registerFleetList(fleet);
  registerFleetReport(fleet);
}

function commonOptions(command: Command): Command {
  return command
    .option('--config <file>', 'config file with the "services" section (default: ./schemapilot.config.json)')
    .option(
      '--since <ref>',
      'only services whose migrations changed on this branch since REF (git diff REF...HEAD)',
    )
    .option('--only <name>', 'only this service (repeatable)', collect);
}

function registerFleetCheck(fleet: Command): void {
  addNetworkOptions(
    commonOptions(
      fleet
        .command('check')
        .description(
          'Check every changed service: analyze, plan, validate on a scratch database, and the queries of the services on the same database',
        ),
    ),
  )
    .option('--jobs <n>', 'services checked at the same time (default: the number of CPUs)')
    .option(
      '--dev-url <url>',
      'scratch server for the services of its dialect (by the URL scheme) instead of a throwaway one (repeatable)',
      collect,
    )
    .option('--format <format>', FLEET_FORMATS.join(', '), 'text')
    .option('-o, --output <file>', 'write the report to a file')
    .addHelpText(
      'after',
      `
Each service in "services" may name its migrations, runner, dialect, the database it shares
with others, the NAME of the environment variable holding its database URL, and its owners.
For each service whose migrations changed since --since (every service with migrations when
--since is not given), schemapilot runs what \`check\` runs: the changed migrations are
analyzed against the live schema (read-only, from the service's databaseUrlEnv variable; when
that is unset, the schema is rebuilt by replaying the service's unchanged migrations on the
scratch server), planned, validated on a scratch database, and the queries in the code of
every service sharing its database are prepared before and after each step. Services run side
by side (--jobs), one scratch server per dialect shared by all. A service whose dialect is not
supported yet is reported as skipped, never as safe.

Without --since, a service whose databaseUrlEnv is set is checked for its pending migrations:
the files its migration tool's history table on that database has not applied yet
(golang-migrate, dbmate, Flyway, Rails, knex, node-pg-migrate, Prisma, diesel, sqlx, drizzle);
one with nothing pending is listed as unchanged.

Exit codes: 0 every checked service is safe, 1 any is not (or was skipped or failed), 2 bad input.

Examples:
  schemapilot fleet check --since origin/main
  schemapilot fleet check --since main --format markdown -o fleet.md
  schemapilot fleet check --only orders --since "$BASE_SHA" --format json -o orders.json`,
    )
    .action(async (flags: FleetCheckFlags) => {
      const format = oneOf('--format', flags.format, FLEET_FORMATS);
      const jobs = jobCount(flags.jobs);
      const devUrls = devUrlsByDialect(flags.devUrl);
      const run = await readFleet(flags);
      for (const service of run.services) checkServiceUrl(service);
      for (const w of run.warnings) printNote('warning', w);
      const report = await fleetCheck({
        fleet: run.fleet,
        targets: run.targets,
        unchanged: run.unchanged,
        config: run.config,
        root: run.root,
        since: flags.since ?? null,
        jobs,
        devUrls,
        onProgress: (service, message) => void process.stderr.write(`· [${service}] ${message}\n`),
        onWarning: (message) => printNote('warning', message),
      });
      emit(
        renderFleet(report, format, { root: run.root, paint: painterForOutput(flags.output) }),
        flags.output,
      );
      process.exitCode = report.safe ? 0 : 1;
    });
}

function registerFleetList(fleet: Command): void {
  commonOptions(
    fleet.command('list').description('List the services of the fleet, or those whose migrations changed'),
  )
    .option('--changed', 'only services whose migrations changed since --since')
    .option('--format <format>', 'text (one name per line) or json (a GitHub Actions matrix)', 'text')
    .option('-o, --output <file>', 'write the list to a file')
    .addHelpText(
      'after',
      `
With --format json the list is a GitHub Actions matrix, {"include": [{"service": …, "dialect": …,
"database": …}]}, for one job per service (fleet check --only NAME) and one job that merges
their reports (fleet report). An empty fleet gives {"include": []}: guard the matrix job with
\`if: fromJSON(needs.list.outputs.matrix).include[0]\`.

Examples:
  schemapilot fleet list
  schemapilot fleet list --changed --since origin/main --format json`,
    )
    .action(async (flags: FleetFlags & { changed?: boolean }) => {
      const format = oneOf('--format', flags.format, ['text', 'json'] as const);
      if (flags.changed && flags.since === undefined) throw new InputError('--changed needs --since REF');
      if (!flags.changed && flags.since !== undefined)
        throw new InputError('--since lists changed services: add --changed');
      const run = await readFleet(flags);
      const listed = flags.changed ? run.targets.map((t) => t.service) : run.services;
      for (const w of run.warnings) printNote('warning', w);
      if (format === 'text') emit(listed.map((s) => s.name).join('\n'), flags.output);
      else
        emit(
          canonicalJson(
            {
              include: listed.map((s) => ({
                service: s.name,
                dialect: s.dialect ?? 'postgres',
                database: s.database ?? null,
              })),
            },
            2,
          ),
          flags.output,
        );
    });
}

interface FleetRun {
  config: ResolvedConfig;
  /** Every service of the config. */
  fleet: FleetService[];
  /** After --only. */
  services: FleetService[];
  targets: { service: FleetService; changed: string[] | null }[];
  /** Services of the whole fleet (not only --only's) with no changed migration. */
  unchanged: string[];
  root: string;
  warnings: string[];
}

/** The config's fleet, the repository, and which services have something to check. */
async function readFleet(flags: FleetFlags): Promise<FleetRun> {
  const { config, path } = loadConfig({
    explicitPath: flags.config,
    knownRules: [...allRules.map((r) => r.meta.id), ...ENGINE_RULE_IDS],
  });
  if (path === null)
    throw new InputError('no schemapilot.config.json here: give --config FILE with a "services" section');
  const shown = flags.config ?? 'schemapilot.config.json';
  const fleet = config.services;
  if (fleet.length === 0)
    throw new InputError(`${shown}: no "services": the fleet commands check the services listed there`);
  checkSharedDatabases(fleet, shown);
  checkServicePaths(fleet, `${shown} "services"`);
  const services = onlyServices(fleet, flags.only);
  const warnings: string[] = [];
  if (flags.since === undefined) {
    const root = await repositoryRoot(dirname(path), 'fleet').catch(() => dirname(path));
    const targets = services
      .filter((s) => s.migrations !== undefined)
      .map((service) => ({ service, changed: null }));
    // Unchanged across the whole fleet, --only or not: the merge of a matrix's reports then
    // lists the same services as one job over the fleet would.
    const unchanged = fleet.filter((s) => s.migrations === undefined).map((s) => s.name);
    return { config, fleet, services, targets, unchanged, root, warnings };
  }
  const root = await repositoryRoot(dirname(path), '--since');
  const diff = await changedSince(root, flags.since);
  const changed = changedServices(services, diff.changed);
  const gone = changedServices(services, diff.deleted);
  for (const [name, files] of gone)
    warnings.push(
      `${name}: ${files.length} migration file${files.length === 1 ? '' : 's'} deleted since ${flags.since} (schemapilot checks added and modified ones)`,
    );
  const targets = services.flatMap((service) => {
    const files = changed.get(service.name);
    return files ? [{ service, changed: files }] : [];
  });
  const changedInFleet = changedServices(fleet, diff.changed);
  const unchanged = fleet.filter((s) => !changedInFleet.has(s.name)).map((s) => s.name);
  return { config, fleet, services, targets, unchanged, root, warnings };
}

/** A service's URL variable, when set, must hold a URL its dialect connects to. */
function checkServiceUrl(service: FleetService): void {
  const name = service.databaseUrlEnv;
  const url = name ? process.env[name] : undefined;
  if (!name || !url) return;
  checkConnectionString(url, name);
  const dialect = dialectOfUrl(url);
  if (dialect && dialect.name !== (service.dialect ?? 'postgres'))
    throw new InputError(
      `${name}: service "${service.name}" is ${service.dialect ?? 'postgres'} but the variable holds a ${dialect.title} URL`,
    );
}

function jobCount(value: string | undefined): number {
  if (value === undefined) return Math.max(1, availableParallelism());
  const n = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!(n >= 1 && n <= 64))
    throw new InputError(`--jobs must be a whole number from 1 to 64; got "${value}"`);
  return n;
}

function devUrlsByDialect(values: readonly string[] | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const url of values ?? []) {
    checkConnectionString(url, '--dev-url');
    const dialect = dialectOfUrl(url);
    if (!dialect) throw new InputError('--dev-url must be a database URL such as postgres://… or mysql://…');
    if (out.has(dialect.name))
      throw new InputError(`--dev-url: two scratch servers given for ${dialect.title}`);
    out.set(dialect.name, url);
  }
  return out;
}
