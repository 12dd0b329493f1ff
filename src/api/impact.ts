/**
 * impact(): which queries of other services a migration breaks (issue 13). The services' code
 * is read by the extractor (src/impact/extract), the queries are judged by the server itself on
 * a scratch database (src/impact/check): before the migration, after each step of the safe plan
 * and after the migration as written. The target database is only read.
 */
import { dirname, resolve } from 'node:path';
import type { Change } from '../core/change.js';
import type { Dialect } from '../core/dialect/index.js';
import type { ScratchServer } from '../core/dialect/scratch.js';
import type { SchemaSource } from '../core/dialect/validation.js';
import { InputError } from '../core/errors.js';
import type { ImpactResult, ServiceSource } from '../core/impact.js';
import type { MigrationFile } from '../core/migration.js';
import type { Plan } from '../core/plan.js';
import type { SchemaSnapshot } from '../core/snapshot.js';
import { DEFAULT_CONFIG, type ResolvedConfig } from '../config/types.js';
import { checkImpact } from '../impact/check.js';
import { extractService } from '../impact/extract/index.js';
import { withScratch } from '../validate/scratch.js';

import { checkServicePaths } from '../impact/services.js';

export { checkServicePaths, mergeServices } from '../impact/services.js';
import { configForDialect, gatherInput } from './input.js';
import { plan as makePlan } from './plan.js';

export type { ImpactResult, ServiceSource } from '../core/impact.js';

export interface ImpactOptions {
  files: readonly MigrationFile[];
  config?: ResolvedConfig;
  /** The services to check; default: the config's `services`. */
  services?: readonly ServiceSource[];
  /** The schema before the migration: a saved snapshot, or `url` (read-only). */
  snapshot?: SchemaSnapshot | null;
  url?: string;
  dialect?: Dialect;
  /** Scratch server to use instead of an embedded one. */
  devUrl?: string;
  onProgress?: (message: string) => void;
  onWarning?: (message: string) => void;
}

export interface ImpactOutput {
  result: ImpactResult;
  plan: Plan;
}

export async function impact(options: ImpactOptions): Promise<ImpactOutput> {
  const config = options.config ?? DEFAULT_CONFIG;
  const services = options.services ?? config.services;
  checkServicePaths(services, 'services');
  if (options.url === undefined && !options.snapshot)
    throw new InputError(
      'impact needs the schema before the migration: give --db URL or --schema snapshot.json',
    );
  const input = await gatherInput({
    ...(options.dialect ? { dialect: options.dialect } : {}),
    config,
    ...(options.url !== undefined ? { url: options.url } : {}),
    snapshot: options.snapshot ?? null,
    applicationName: 'schemapilot impact',
    readFiles: () => Promise.resolve({ files: [...options.files], notes: [] }),
  });
  const snapshot = input.snapshot;
  if (!snapshot) throw new InputError('impact needs the schema before the migration: give --db or --schema');
  const plan = await makePlan({ files: input.files, snapshot, config, dialect: input.dialect });
  const result = await impactOnScratch({
    dialect: input.dialect,
    devUrl: options.devUrl,
    major: input.major,
    schema: { kind: 'snapshot', snapshot },
    plan,
    files: input.files,
    config,
    services,
    onProgress: options.onProgress,
    onWarning: options.onWarning,
  });
  return { result, plan };
}

export interface ImpactRunOptions {
  dialect: Dialect;
  schema: SchemaSource;
  plan: Plan;
  files: readonly MigrationFile[];
  config?: ResolvedConfig;
  services: readonly ServiceSource[];
  /** An open scratch server (check's); without one, it is opened here (devUrl, or embedded). */
  scratch?: ScratchServer;
  devUrl?: string;
  major?: number | null;
  onProgress?: (message: string) => void;
  onWarning?: (message: string) => void;
}

/** Extract every service (in parallel) and check the queries on a scratch server. */
export async function impactOnScratch(options: ImpactRunOptions): Promise<ImpactResult> {
  const { dialect } = options;
  const config = configForDialect(
    options.config ?? DEFAULT_CONFIG,
    dialect,
    options.schema.kind === 'snapshot' ? options.schema.snapshot : null,
  );
  options.onProgress?.(`impact: reading the queries of ${options.services.length} service(s)`);
  // The migration's own folders hold SQL that is not a service's query.
  const skipDirs = [...new Set(options.files.map((f) => dirname(resolve(f.path))))];
  const services = await Promise.all(options.services.map((s) => extractService(s, { skipDirs })));
  const changes = migrationChanges(dialect, options.files, config.defaultSchema);
  const run = (scratch: ScratchServer) =>
    checkImpact({
      dialect,
      scratch,
      schema: options.schema,
      plan: options.plan,
      original: options.files,
      changes,
      services,
      defaultSchema: config.defaultSchema,
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    });
  if (options.scratch) return run(options.scratch);
  if (!dialect.scratch) throw new InputError(`impact needs a scratch server, which ${dialect.title} lacks`);
  options.onProgress?.(
    options.devUrl ? 'opening the scratch server (--dev-url)' : 'starting an embedded scratch server',
  );
  return withScratch(
    dialect.scratch,
    { major: options.major ?? null, devUrl: options.devUrl, onWarning: options.onWarning },
    run,
  );
}

/** The migration's Changes (what "may break" reasons are drawn from). */
export function migrationChanges(
  dialect: Dialect,
  files: readonly MigrationFile[],
  defaultSchema: string,
): Change[] {
  const engine = dialect.language.engine(defaultSchema);
  return files.flatMap((file) =>
    engine.parse(file.sql, file.path).statements.flatMap((s) => engine.lower(s.ast, defaultSchema)),
  );
}
