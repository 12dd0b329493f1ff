/**
 * dbmate: one `<version>_<name>.sql` per step with `-- migrate:up` and `-- migrate:down`
 * sections; dbmate wraps each in a transaction unless the section says `transaction:false`.
 * https://github.com/amacneil/dbmate#options
 */
import type { PlanWriter, WrittenFile } from './common.js';
import { statements, stepHeader, stepName, stepVersion, transactionalBody } from './common.js';

export const dbmateWriter: PlanWriter = {
  format: 'dbmate',
  description: 'dbmate <version>_<name>.sql per step, transaction:false where a step needs it',
  write(plan, options) {
    const files: WrittenFile[] = [];
    plan.steps.forEach((step, i) => {
      const noTx = !step.transactional;
      const downNoTx = step.rollback.some((s) => /\bCONCURRENTLY\b/i.test(s));
      const up = step.transactional ? transactionalBody(step) : step.sql;
      const content = [
        `-- migrate:up${noTx ? ' transaction:false' : ''}`,
        ...stepHeader(step),
        statements(up),
        '',
        `-- migrate:down${downNoTx ? ' transaction:false' : ''}`,
        step.rollback.length > 0 ? statements(step.rollback) : `-- ${step.id} needs no undo`,
        '',
      ].join('\n');
      files.push({ path: `${stepVersion(options.version, i)}_${stepName(options, step)}.sql`, content });
    });
    return files;
  },
};
