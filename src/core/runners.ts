/** Runners whose transaction behaviour we model (see TransactionMode in core/analysis.ts). */
export const RUNNERS = [
  'plain',
  'psql',
  'flyway',
  'golang-migrate',
  'dbmate',
  'prisma',
  'drizzle',
  'sqitch',
  'alembic',
  'diesel',
  'sqlx',
  'popx',
  'node-pg-migrate',
  'knex',
  'rails',
  'django',
] as const;
export type RunnerName = (typeof RUNNERS)[number];
