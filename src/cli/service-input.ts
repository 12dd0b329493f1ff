/**
 * `--service NAME=PATH` (repeatable), shared by impact, analyze, plan, check and deploy
 * --dry-run: the services whose queries are checked against the migration, over the config's
 * `services` (a name given here replaces the config's entry of that name). Checked before
 * anything is read or connected to.
 */
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { mergeServices } from '../impact/services.js';
import type { Dialect } from '../core/dialect/index.js';
import type { ImpactResult } from '../core/impact.js';
import type { MigrationFile } from '../core/migration.js';
import type { Plan } from '../core/plan.js';
import type { SchemaSnapshot } from '../core/snapshot.js';
import { checkConnectionString, printNote } from './io.js';
import { InputError } from '../core/errors.js';
import type { ServiceSource } from '../core/impact.js';
import { checkServicePaths } from '../impact/services.js';
import type { ResolvedConfig } from '../config/types.js';
import { SERVICE_NAME } from '../config/services.js';

export interface ServiceFlags {
  service?: string[];
  devUrl?: string;
}

const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

/** `--service`, and `--dev-url` for commands that do not already take it (analyze, plan, deploy). */
export function addServiceOptions(command: Command, options: { devUrl: boolean }): Command {
  command.option(
    '--service <name=path>',
    'a checkout of a service whose SQL queries must keep working (repeatable; adds to "services" in the config): each query is prepared on a scratch database before the migration and after each step',
    collect,
  );
  if (options.devUrl)
    command.option(
      '--dev-url <url>',
      'scratch server for the --service check instead of an embedded PostgreSQL: a temporary database is created there and dropped',
    );
  return command;
}

/** `NAME=PATH` flags, each a directory; NAME unique among the flags. */
export function parseServiceFlags(values: readonly string[] | undefined): ServiceSource[] {
  const out: ServiceSource[] = [];
  for (const value of values ?? []) {
    const at = value.indexOf('=');
    const name = at > 0 ? value.slice(0, at) : '';
    const path = at > 0 ? value.slice(at + 1) : '';
    if (!SERVICE_NAME.test(name) || path === '')
      throw new InputError(
        `--service must be NAME=PATH (NAME of letters, digits, ".", "_" or "-"); got "${value.length > 200 ? `${value.slice(0, 200)}…` : value}"`,
      );
    if (out.some((s) => s.name === name)) throw new InputError(`--service ${name}: the name is given twice`);
    const full = resolve(path);
    if (!existsSync(full)) throw new InputError(`--service ${name}=${path}: no such directory`);
    if (!statSync(full).isDirectory()) throw new InputError(`--service ${name}=${path}: not a directory`);
    out.push({ name, path: full });
  }
  return out;
}

/** The services of a run: the config's, with the flags' over them. Config paths are checked too. */
export function readServices(flags: ServiceFlags, config: ResolvedConfig): ServiceSource[] {
  const fromFlags = parseServiceFlags(flags.service);
  const given = new Set(fromFlags.map((s) => s.name));
  checkServicePaths(
    config.services.filter((s) => !given.has(s.name)),
    'config "services"',
  );
  return mergeServices(config.services, fromFlags);
}

const note = (message: string) => void process.stderr.write(`· ${message}\n`);

/**
 * For analyze, plan and deploy --dry-run: when services are given, check their queries against
 * `plan` on a scratch server (--dev-url, else embedded). Undefined when there are none.
 */
export async function serviceImpactFor(
  flags: ServiceFlags,
  input: {
    config: ResolvedConfig;
    snapshot: SchemaSnapshot | null;
    dialect: Dialect;
    major: number | null;
    files: readonly MigrationFile[];
  },
  /** The plan, or how to get it: analyze's plan is finished only when someone reads it. */
  plan: Plan | (() => Plan),
): Promise<ImpactResult | undefined> {
  const services = readServices(flags, input.config);
  if (services.length === 0) return undefined;
  if (flags.devUrl !== undefined) checkConnectionString(flags.devUrl, '--dev-url');
  if (!input.snapshot)
    throw new InputError(
      'checking services needs the schema before the migration: give --db URL or --schema snapshot.json',
    );
  const whole = typeof plan === 'function' ? plan() : plan;
  return checkServices(services, { ...input, snapshot: input.snapshot }, whole, flags.devUrl, note);
}

/**
 * The services' queries checked against `plan` on a scratch server (`devUrl`, else embedded),
 * the schema before the migration cloned from `input.snapshot`: what `impact` and the
 * `--service` flag of the other commands run.
 */
export async function checkServices(
  services: readonly ServiceSource[],
  input: {
    config: ResolvedConfig;
    snapshot: SchemaSnapshot;
    dialect: Dialect;
    major: number | null;
    files: readonly MigrationFile[];
  },
  plan: Plan,
  devUrl: string | undefined,
  onProgress: (message: string) => void,
): Promise<ImpactResult> {
  // Loaded here: the query extractors and their WebAssembly grammars serve only runs with services.
  const { impactOnScratch } = await import('../api/impact.js');
  return impactOnScratch({
    dialect: input.dialect,
    schema: { kind: 'snapshot', snapshot: input.snapshot },
    plan,
    files: input.files,
    config: input.config,
    services,
    devUrl,
    major: input.major,
    onProgress,
    onWarning: (m) => printNote('warning', m),
  });
}
