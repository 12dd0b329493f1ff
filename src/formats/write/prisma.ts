/**
 * Prisma Migrate: one folder per step under `migrations/` with its `migration.sql`. Prisma
 * applies the file as one script, so a step that must run outside a transaction is alone in its
 * file. Prisma has no down migrations: the rollback goes to `rollback/<folder>.sql` beside them,
 * to run last step first with `prisma db execute --file` (also one script per file).
 * https://www.prisma.io/docs/orm/prisma-migrate/workflows/customizing-migrations
 *
 * SQLite: the schema engine runs a migration.sql with rusqlite's execute_batch, statement by
 * statement on one connection and in no transaction of its own
 * (prisma-engines schema-engine/connectors/sql-schema-connector/src/flavour/sqlite/connection.rs,
 * generic_apply_migration_script), as Prisma's own table rebuilds need: so a transactional step
 * opens with BEGIN IMMEDIATE, and a table rebuild is written as it runs, PRAGMA foreign_keys
 * outside its own transaction.
 */
import type { PlanWriter, WrittenFile } from './common.js';
import {
  aloneInFile,
  beginFor,
  outsideTransactionUp,
  explicitTransaction,
  rollbackNote,
  statements,
  stepHeader,
  stepName,
  stepVersion,
} from './common.js';

export const prismaWriter: PlanWriter = {
  format: 'prisma',
  description: 'Prisma migrations/<version>_<name>/migration.sql per step (+ rollback/*.sql)',
  write(plan, options, steps) {
    const files: WrittenFile[] = [];
    const begin = beginFor(plan);
    plan.steps.forEach((step, i) => {
      const folder = `${stepVersion(options.version, i)}_${stepName(options, step)}`;
      const up = step.transactional
        ? explicitTransaction(steps.text(step), begin)
        : outsideTransactionUp('prisma', step, steps);
      files.push({
        path: `migrations/${folder}/migration.sql`,
        content: [...stepHeader(step), statements(up), ''].join('\n'),
      });
      const down = steps.outsideTransaction(step.rollback)
        ? aloneInFile('prisma', step, step.rollback, 'rollback', steps)
        : explicitTransaction(step.rollback, begin);
      files.push({
        path: `rollback/${folder}.sql`,
        content: [rollbackNote(step), ...(down.length > 0 ? [statements(down)] : []), ''].join('\n'),
      });
    });
    return files;
  },
};
