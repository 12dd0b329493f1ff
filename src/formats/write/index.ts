/**
 * Plan writers, one per migration tool. Adding one: `npm run new:format <name>` (see
 * CONTRIBUTING.md) or copy plain-sql.ts, then register it here.
 */
import { alembicWriter } from './alembic.js';
import type { PlanWriter } from './common.js';
import { dbmateWriter } from './dbmate.js';
import { flywayWriter } from './flyway.js';
import { golangMigrateWriter } from './golang-migrate.js';
import { knexWriter } from './knex.js';
import { nodePgMigrateWriter } from './node-pg-migrate.js';
import { plainSqlWriter } from './plain-sql.js';
import { prismaWriter } from './prisma.js';

export type { PlanWriter, WrittenFile, WriteOptions } from './common.js';
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
];

export function planWriter(format: string): PlanWriter | undefined {
  return PLAN_WRITERS.find((w) => w.format === format);
}
