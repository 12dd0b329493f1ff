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
import type { SchemaSnapshot } from '../core/snapshot.js';
import { mayBreak } from './may-break.js';
import { rejectsValues } from './narrowing.js';
import { distinctQueries, impactResult, type DistinctQuery } from './result.js';
import { AS_WRITTEN, stepLocator } from './steps.js';
import { isDue, queryNames, stepReach, type StepReach } from './touched.js';

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
  /**
   * The schema unqualified names are in, as the Changes were lowered with (MySQL: the target's
   * database); default: the dialect's. A query's shape must name tables as the Changes do.
   */
  defaultSchema?: string;
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
  // What the schema was before the migration: the source's, else read back from the scratch copy.
  let snapshot = options.schema.kind === 'migrations' ? null : options.schema.snapshot;
  const databases: ScratchDatabase[] = [];
  const open = (url: string) => driver.connect(url, { applicationName: 'schemapilot impact' });
  try {
    const main = await scratch.createDatabase();
    databases.push(main);
    progress(
      `loading the schema onto a scratch database (${scratch.title ?? `${dialect.title} ${scratch.major}`})`,
    );
    await withSession(open, main.url, async (session) => {
      const load = await validation.loadSchema(session, options.schema);
      warnings.push(...load.warnings.map((w) => `scratch schema: ${w}`));
      progress(`preparing ${queries.length} distinct queries before the migration`);
      const outcomes = await prepareAll(checker, session, queries);
      queries.forEach((query, i) => {
        const outcome = outcomes[i];
        if (outcome && 'notCheckable' in outcome) query.notCheckable = outcome.notCheckable;
        else if (outcome) query.before = outcome;
      });
      snapshot ??= await driver.introspect(session).catch(() => null);
    });
    await shapeQueries(dialect, queries, options.defaultSchema ?? dialect.language.defaultSchema);
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
        await recheck(checker, session, live(), step.id, stepReach(dialect, step, snapshot));
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
      await recheck(checker, session, live(), AS_WRITTEN, { all: true });
    });
  } finally {
    for (const db of databases.reverse()) await db.drop().catch(() => undefined);
  }
  await findMayBreaks(options, queries, snapshot);
  return impactResult(options.services, queries, warnings);
}

/** Prepares again, after a step, the queries whose tables the step may have changed. */
async function recheck(
  checker: QueryChecker,
  session: Session,
  queries: readonly DistinctQuery[],
  at: string,
  reach: StepReach,
): Promise<void> {
  const due = queries.filter((q) => isDue(q.names ?? null, reach));
  const outcomes = await prepareAll(checker, session, due);
  due.forEach((query, i) => {
    const outcome = outcomes[i];
    if (outcome && !isNotCheckable(outcome)) query.broken = { breaksAt: at, error: outcome };
  });
}

function prepareAll(
  checker: QueryChecker,
  session: Session,
  queries: readonly DistinctQuery[],
): Promise<(QueryError | NotCheckable | null)[]> {
  if (checker.prepareAll) return checker.prepareAll(session, queries);
  return (async () => {
    const outcomes: (QueryError | NotCheckable | null)[] = [];
    for (const q of queries) outcomes.push(await checker.prepare(session, q.sql, q.parameters));
    return outcomes;
  })();
}

/** Each query's shape, read once: which tables it names (for recheck) and for "may break". */
async function shapeQueries(
  dialect: Dialect,
  queries: readonly DistinctQuery[],
  defaultSchema: string,
): Promise<void> {
  const { language } = dialect;
  if (!language.queryShape) return;
  await language.load();
  for (const query of queries) {
    if (query.before || query.notCheckable) continue;
    query.shapes = language.queryShape(query.sql, defaultSchema);
    query.names = queryNames(query.shapes);
  }
}

async function findMayBreaks(
  options: CheckImpactOptions,
  queries: readonly DistinctQuery[],
  snapshot: SchemaSnapshot | null,
): Promise<void> {
  if (options.changes.length === 0) return;
  const locate = stepLocator(options.dialect, options.plan);
  const rejects = rejectsValues(options.dialect, options.changes, snapshot, options.scratch.major);
  for (const query of queries) {
    if (query.before || query.notCheckable || query.broken || !query.shapes) continue;
    const found = mayBreak(query.shapes, options.changes, locate, snapshot, rejects);
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
