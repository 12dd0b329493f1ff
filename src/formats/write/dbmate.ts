/**
 * dbmate: one `<version>_<name>.sql` per step with `-- migrate:up` and `-- migrate:down`
 * sections; dbmate wraps each in a transaction unless the section says `transaction:false`.
 * https://github.com/amacneil/dbmate#options
 *
 * A `transaction:false` section is still sent as one query string, which PostgreSQL runs as one
 * implicit transaction when it holds several statements: such a section holds exactly one.
 *
 * SQLite: a string of statements runs one by one, each committing on its own unless the string
 * opens a transaction, so a table rebuild goes whole into a `transaction:false` section: PRAGMA
 * foreign_keys = OFF, its own BEGIN IMMEDIATE … COMMIT, PRAGMA foreign_keys = ON.
 */
import type { PlanWriter, WrittenFile } from './common.js';
import {
  aloneInFile,
  outsideTransactionUp,
  rollbackNote,
  statements,
  stepHeader,
  stepName,
  stepVersion,
} from './common.js';

export const dbmateWriter: PlanWriter = {
  format: 'dbmate',
  description: 'dbmate <version>_<name>.sql per step, transaction:false where a step needs it',
  write(plan, options, steps) {
    const files: WrittenFile[] = [];
    plan.steps.forEach((step, i) => {
      const upNoTx = !step.transactional;
      const downNoTx = steps.outsideTransaction(step.rollback);
      const up = upNoTx ? outsideTransactionUp('dbmate', step, steps) : steps.text(step);
      const down = downNoTx ? aloneInFile('dbmate', step, step.rollback, 'rollback', steps) : step.rollback;
      const content = [
        `-- migrate:up${upNoTx ? ' transaction:false' : ''}`,
        ...stepHeader(step),
        statements(up),
        '',
        `-- migrate:down${downNoTx ? ' transaction:false' : ''}`,
        rollbackNote(step),
        ...(down.length > 0 ? [statements(down)] : []),
        '',
      ].join('\n');
      files.push({ path: `${stepVersion(options.version, i)}_${stepName(options, step)}.sql`, content });
    });
    return files;
  },
};
