/**
 * Plan writers, one per migration tool. Adding one: `npm run new:format <name>` (see
 * CONTRIBUTING.md) or copy plain-sql.ts, then register it here. A writer prints each step as
 * the dialect's step runner runs it (`driver.steps.text`): callers pass the dialect, or use
 * src/api/write.ts, which takes it from the plan.
 */
import type { Dialect } from '../../core/dialect/index.js';
import type { StepText } from '../../core/dialect/deploy.js';
import { SchemapilotError } from '../../core/errors.js';
import type { Plan } from '../../core/plan.js';
import { alembicWriter } from './alembic.js';
import { refuseToolSteps, type BoundPlanWriter, type PlanWriter } from './common.js';
import { dbmateWriter } from './dbmate.js';
import { drizzleWriter } from './drizzle.js';
import { flywayWriter } from './flyway.js';
import { golangMigrateWriter } from './golang-migrate.js';
import { knexWriter } from './knex.js';
import { nodePgMigrateWriter } from './node-pg-migrate.js';
import { plainSqlWriter } from './plain-sql.js';
import { prismaWriter } from './prisma.js';

export type { BoundPlanWriter, PlanWriter, WrittenFile, WriteOptions } from './common.js';
export { slug } from './common.js';

export const PLAN_WRITERS: readonly PlanWriter[] = [
  plainSqlWriter,
  flywayWriter,
  golangMigrateWriter,
  dbmateWriter,
  prismaWriter,
  alembicWriter,
  nodePgMigrateWriter,
  knexWriter,
  drizzleWriter,
];

/** A writer for some dialects' tools refuses another's plan (Drizzle's files here are SQLite's). */
function refuseDialect(writer: PlanWriter, plan: Plan): void {
  if (!writer.dialects || writer.dialects.includes(plan.dialect)) return;
  throw new SchemapilotError(
    `${writer.format}: writes ${writer.dialects.join(' and ')} plans, and this plan is for ${plan.dialect}; write it as sql instead`,
    { exitCode: 1 },
  );
}

/** The step text of `dialect`; an error when it has no step runner. */
export function stepTextOf(dialect: Dialect): StepText {
  const steps = dialect.driver?.steps;
  if (!steps)
    throw new SchemapilotError(
      `${dialect.title} has no step runner yet, so schemapilot cannot write migration files for it`,
      { exitCode: 1 },
    );
  return steps;
}

/** `writer` printing steps as `dialect()` runs them (looked up when a plan is written). */
export function bindWriter(writer: PlanWriter, dialect: (plan: Plan) => Dialect): BoundPlanWriter {
  return {
    format: writer.format,
    description: writer.description,
    ...(writer.dialects ? { dialects: writer.dialects } : {}),
    write: (plan, options) => {
      refuseToolSteps(writer.format, plan);
      refuseDialect(writer, plan);
      return writer.write(plan, options, stepTextOf(dialect(plan)));
    },
  };
}

/** The writer for `format`, printing steps as `dialect` runs them. */
export function planWriter(format: string, dialect: Dialect): BoundPlanWriter | undefined {
  const writer = PLAN_WRITERS.find((w) => w.format === format);
  return writer ? bindWriter(writer, () => dialect) : undefined;
}
