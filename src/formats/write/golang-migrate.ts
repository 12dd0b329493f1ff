/**
 * golang-migrate: `<version>_<name>.up.sql` / `.down.sql` per step. golang-migrate sends a file
 * as one multi-statement query, which PostgreSQL runs as one implicit transaction: so a step that
 * must run outside a transaction is written alone in its file, with nothing else (not even SET).
 * https://github.com/golang-migrate/migrate/tree/master/database/postgres
 *
 * SQLite (the sqlite3 and sqlite drivers): each file runs inside a transaction of the driver's
 * own unless the URL says `x-no-tx-wrap=true`, and then "migrations may, and should, contain
 * explicit BEGIN and COMMIT statements" (https://github.com/golang-migrate/migrate/tree/master/database/sqlite3).
 * The files are written for x-no-tx-wrap=true: a transactional step with its own BEGIN IMMEDIATE …
 * COMMIT, a table rebuild with PRAGMA foreign_keys outside its transaction, as the step runner
 * runs them. Without the flag the first BEGIN fails ("cannot start a transaction within a
 * transaction") and nothing of that file is applied.
 */
import type { PlanWriter, WrittenFile } from './common.js';

/** What a SQLite file needs from the migrate URL (see above). */
const NO_TX_WRAP =
  '-- SQLite: run with x-no-tx-wrap=true in the database URL (sqlite3://app.db?x-no-tx-wrap=true): this file opens its own transaction';
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

export const golangMigrateWriter: PlanWriter = {
  format: 'golang-migrate',
  description:
    'golang-migrate <version>_<name>.up.sql/.down.sql per step; non-transactional steps alone in their file',
  write(plan, options, steps) {
    const files: WrittenFile[] = [];
    const begin = beginFor(plan);
    const note = plan.dialect === 'sqlite' ? [NO_TX_WRAP] : [];
    plan.steps.forEach((step, i) => {
      const base = `${stepVersion(options.version, i)}_${stepName(options, step)}`;
      const up = step.transactional
        ? explicitTransaction(steps.text(step), begin)
        : outsideTransactionUp('golang-migrate', step, steps);
      files.push({
        path: `${base}.up.sql`,
        content: [...note, ...stepHeader(step), statements(up), ''].join('\n'),
      });
      const down = steps.outsideTransaction(step.rollback)
        ? aloneInFile('golang-migrate', step, step.rollback, 'rollback', steps)
        : explicitTransaction(step.rollback, begin);
      files.push({
        path: `${base}.down.sql`,
        content: [...note, rollbackNote(step), ...(down.length > 0 ? [statements(down)] : []), ''].join('\n'),
      });
    });
    return files;
  },
};
