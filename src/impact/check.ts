// stand-in until the i13-extract / i13-check branches land
/**
 * Stand-in checker: PREPAREs every query on a scratch database before the migration, after
 * each plan step and after the migration as written. No "may break" analysis. The real one
 * (same signature) replaces this file.
 */
import type { Change } from '../core/change.js';
import type { Dialect, Session } from '../core/dialect/index.js';
import type { ScratchServer } from '../core/dialect/scratch.js';
import type { SchemaSource } from '../core/dialect/validation.js';
import type {
  ExtractedQuery,
  ImpactResult,
  QueryError,
  ServiceExtraction,
  ServiceImpact,
} from '../core/impact.js';
import type { MigrationFile } from '../core/migration.js';
import type { Plan } from '../core/plan.js';

export interface CheckImpactOptions {
  dialect: Dialect;
  scratch: ScratchServer;
  schema: SchemaSource;
  plan: Plan;
  original: readonly MigrationFile[];
  changes: readonly Change[];
  services: readonly ServiceExtraction[];
  onProgress?: (message: string) => void;
}

export async function checkImpact(options: CheckImpactOptions): Promise<ImpactResult> {
  const driver = options.dialect.driver;
  const validation = driver?.validation;
  if (!driver || !validation) throw new Error(`the ${options.dialect.title} dialect cannot check queries`);
  const prepare = async (session: Session, q: ExtractedQuery): Promise<QueryError | null> => {
    if (driver.impact) return driver.impact.prepare(session, q.sql, q.parameters);
    const sql = `PREPARE schemapilot_impact AS ${q.sql};\nDEALLOCATE schemapilot_impact;`;
    try {
      const failed = await validation.runAsWritten(session, [{ path: q.file, sql, transaction: 'none' }]);
      return failed ? { code: failed.sqlstate ?? '', message: failed.message } : null;
    } catch (error) {
      return { code: '42601', message: (error as Error).message };
    }
  };
  const all = options.services.flatMap((s) => s.queries.map((q) => ({ service: s.service, q })));
  const broken = new Map<(typeof all)[number], { at: string; error: QueryError }>();
  const before = new Map<(typeof all)[number], QueryError>();
  const open = async (): Promise<Session> => {
    const db = await options.scratch.createDatabase();
    const session = await driver.connect(db.url, { applicationName: 'schemapilot impact' });
    await validation.loadSchema(session, options.schema);
    return session;
  };
  const sweep = async (session: Session, at: string) => {
    for (const item of all) {
      if (before.has(item) || broken.has(item)) continue;
      const error = await prepare(session, item.q);
      if (error) broken.set(item, { at, error });
    }
  };
  let session = await open();
  try {
    for (const item of all) {
      const error = await prepare(session, item.q);
      if (error) before.set(item, error);
    }
    for (const step of options.plan.steps) {
      options.onProgress?.(`impact: after step ${step.id}`);
      await driver.steps.apply(session, step);
      await sweep(session, step.id);
    }
  } finally {
    await session.close();
  }
  session = await open();
  try {
    await validation.runAsWritten(session, options.original);
    await sweep(session, 'as written');
  } finally {
    await session.close();
  }
  const affected: ServiceImpact[] = [];
  for (const s of options.services) {
    const queries = all
      .filter((i) => i.service === s.service && broken.has(i))
      .map((i) => ({
        ...pick(i.q),
        status: 'broken' as const,
        breaksAt: broken.get(i)?.at ?? '',
        error: broken.get(i)?.error,
      }));
    if (queries.length > 0) affected.push({ service: s.service, queries });
  }
  return {
    affected_services: affected,
    services: options.services.map((s) => ({
      service: s.service,
      languages: s.languages,
      filesScanned: s.filesScanned,
      queriesFound: s.queries.length + s.unresolved.length,
      queriesChecked: s.queries.length,
      unresolved: s.unresolved.map((u) => ({ file: u.file, line: u.line })),
      alreadyBroken: all
        .filter((i) => i.service === s.service && before.has(i))
        .map((i) => ({ file: i.q.file, line: i.q.line, sql: i.q.sql, error: before.get(i) as QueryError })),
    })),
  };
}

const pick = (q: ExtractedQuery) => ({ file: q.file, line: q.line, column: q.column, sql: q.sql });
