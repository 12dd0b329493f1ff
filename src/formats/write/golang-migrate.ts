/**
 * golang-migrate: `<version>_<name>.up.sql` / `.down.sql` per step. golang-migrate sends a file
 * as one multi-statement query, which PostgreSQL runs as one implicit transaction: so a step that
 * must run outside a transaction is written alone in its file, with nothing else (not even SET).
 * https://github.com/golang-migrate/migrate/tree/master/database/postgres
 */
import type { PlanWriter, WrittenFile } from './common.js';
import {
  aloneInFile,
  outsideTransactionUp,
  explicitTransaction,
  rollbackNote,
  statements,
  stepHeader,
  stepName,
  stepVersion,
} from './common.js';

export const golangMigrateWriter: PlanWriter = {
  format: 'golang-migrate',
  description:
    'golang-migrate <version>_<name>.up.sql/.down.sql per step; non-transactional steps alone in their file',
  write(plan, options, steps) {
    const files: WrittenFile[] = [];
    plan.steps.forEach((step, i) => {
      const base = `${stepVersion(options.version, i)}_${stepName(options, step)}`;
      const up = step.transactional
        ? explicitTransaction(steps.text(step))
        : outsideTransactionUp('golang-migrate', step, steps);
      files.push({ path: `${base}.up.sql`, content: [...stepHeader(step), statements(up), ''].join('\n') });
      const down = steps.outsideTransaction(step.rollback)
        ? aloneInFile('golang-migrate', step, step.rollback, 'rollback', steps)
        : explicitTransaction(step.rollback);
      files.push({
        path: `${base}.down.sql`,
        content: [rollbackNote(step), ...(down.length > 0 ? [statements(down)] : []), ''].join('\n'),
      });
    });
    return files;
  },
};
