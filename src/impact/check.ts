/**
 * checkImpact(): which of the services' queries a migration breaks, as the server says. On a
 * scratch database with the schema loaded, every distinct query is prepared before the
 * migration (those that fail are already broken: not blamed on it), then again after each step
 * of the plan (old code keeps running through the whole deploy); on a twin copy, after the
 * migration as written. The first step after which a query fails is where it breaks. Breaks
 * compiling cannot show come from the Changes (may-break.ts).
 */
import type { Change } from '../core/change.js';
import type { Dialect } from '../core/dialect/index.js';
import type { NotCheckable, QueryChecker } from '../core/dialect/impact.js';
import type { Session } from '../core/dialect/driver.js';
import type { ScratchDatabase, ScratchServer } from '../core/dialect/scratch.js';
import type { SchemaSource } from '../core/dialect/validation.js';
import { InputError } from '../core/errors.js';
import type { ImpactResult, QueryError, ServiceExtraction } from '../core/impact.js';
import type { MigrationFile } from '../core/migration.js';
import type { Plan } from '../core/plan.js';
import { mayBreak } from './may-break.js';
import { distinctQueries, impactResult, type DistinctQuery } from './result.js';
import { AS_WRITTEN, stepLocator } from './steps.js';

export interface CheckImpactOptions {
  dialect: Dialect;
  scratch: ScratchServer;
  schema: SchemaSource;
  plan: Plan;
  /** The migration as written: run on a twin copy, for `breaksAt: 'as written'`. */
  original: readonly MigrationFile[];
  /** The migration's Changes, for "may break". */
  changes: readonly Change[];
  services: readonly ServiceExtraction[];
  onProgress?: (message: string) => void;
}

export async function checkImpact(options: CheckImpactOptions): Promise<ImpactResult> {
  const { dialect, scratch, plan } = options;
  const driver = dialect.driver;
  const checker = driver?.impact;
  const validation = driver?.validation;
  if (!driver || !checker || !validation)
    throw new InputError(`impact is not available for ${dialect.title}: its driver cannot compile queries`);
  const progress = options.onProgress ?? (() => undefined);
  const queries = distinctQueries(options.services);
  const warnings: string[] = [];
  const databases: ScratchDatabase[] = [];
  const open = (url: string) => driver.connect(url, { applicationName: 'schemapilot impact' });
  try {
    const main = await scratch.createDatabase();
    databases.push(main);
    progress(`loading the schema onto a scratch database (${dialect.title} ${scratch.major})`);
    await withSession(open, main.url, async (session) => {
      const load = await validation.loadSchema(session, options.schema);
      warnings.push(...load.warnings.map((w) => `scratch schema: ${w}`));
      progress(`preparing ${queries.length} distinct queries before the migration`);
      for (const query of queries) {
        const outcome = await checker.prepare(session, query.sql, query.parameters);
        if (outcome && 'notCheckable' in outcome) query.notCheckable = outcome.notCheckable;
        else if (outcome) query.before = outcome;
      }
    });
    const live = () => queries.filter((q) => !q.before && !q.notCheckable && !q.broken);
    // The twin is copied before any step runs; the copy needs no session open on its template.
    const twin = await scratch.createDatabase(main.name);
    databases.push(twin);
    await withSession(open, main.url, async (session) => {
      for (const step of plan.steps) {
        progress(`applying ${step.id} and preparing the queries again`);
        try {
          await driver.steps.apply(session, step);
        } catch (error) {
          warnings.push(
            `${step.id} failed on the scratch database (${messageOf(error)}): queries were not checked after it`,
          );
          return;
        }
        await recheck(checker, session, live(), step.id);
      }
    });
    progress('running the migration as written on a twin copy');
    await withSession(open, twin.url, async (session) => {
      const failure = await validation.runAsWritten(session, options.original);
      if (failure) {
        warnings.push(
          `as written, the migration fails on the scratch copy (${failure.file}:${failure.line}: ${failure.message}): queries were not checked after it`,
        );
        return;
      }
      await recheck(checker, session, live(), AS_WRITTEN);
    });
  } finally {
    for (const db of databases.reverse()) await db.drop().catch(() => undefined);
  }
  await findMayBreaks(options, queries);
  return impactResult(options.services, queries, warnings);
}

async function recheck(
  checker: QueryChecker,
  session: Session,
  queries: readonly DistinctQuery[],
  at: string,
): Promise<void> {
  for (const query of queries) {
    const outcome = await checker.prepare(session, query.sql, query.parameters);
    if (outcome && !isNotCheckable(outcome)) query.broken = { breaksAt: at, error: outcome };
  }
}

async function findMayBreaks(options: CheckImpactOptions, queries: readonly DistinctQuery[]): Promise<void> {
  const { language } = options.dialect;
  if (!language.queryShape || options.changes.length === 0) return;
  await language.load();
  const locate = stepLocator(options.dialect, options.plan);
  const snapshot = options.schema.kind === 'migrations' ? null : options.schema.snapshot;
  for (const query of queries) {
    if (query.before || query.notCheckable || query.broken) continue;
    const shapes = language.queryShape(query.sql, language.defaultSchema);
    if (!shapes) continue;
    const found = mayBreak(shapes, options.changes, locate, snapshot);
    if (found) query.mayBreak = found;
  }
}

function isNotCheckable(outcome: QueryError | NotCheckable): outcome is NotCheckable {
  return 'notCheckable' in outcome;
}

async function withSession<T>(
  open: (url: string) => Promise<Session>,
  url: string,
  body: (session: Session) => Promise<T>,
): Promise<T> {
  const session = await open(url);
  try {
    return await body(session);
  } finally {
    await session.close().catch(() => undefined);
  }
}

function messageOf(error: unknown): string {
  const e = error as { message?: string; code?: string };
  return `${e.message ?? String(error)}${e.code ? ` (SQLSTATE ${e.code})` : ''}`;
}
