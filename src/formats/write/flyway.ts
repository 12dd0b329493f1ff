/**
 * Flyway: one versioned migration per step (`V<version>__<name>.sql`), since Flyway wraps each
 * file in one transaction and steps must commit separately. A step that cannot run in a
 * transaction gets a `.sql.conf` with `executeInTransaction=false`. Undo files
 * (`U<version>__<name>.sql`, Flyway Teams) hold each step's rollback.
 * https://documentation.red-gate.com/fd/script-configuration-195890864.html
 */
import type { PlanWriter, WrittenFile } from './common.js';
import { rollbackNote, statements, stepHeader, stepName, stepVersion, transactionalBody } from './common.js';

export const flywayWriter: PlanWriter = {
  format: 'flyway',
  description: 'Flyway V…__*.sql per step (+ .conf for non-transactional steps) and U…__*.sql undo files',
  write(plan, options) {
    const files: WrittenFile[] = [];
    plan.steps.forEach((step, i) => {
      const base = `${stepVersion(options.version, i)}__${stepName(options, step)}`;
      const body = step.transactional ? transactionalBody(step) : step.sql;
      files.push({ path: `V${base}.sql`, content: [...stepHeader(step), statements(body), ''].join('\n') });
      if (!step.transactional)
        files.push({ path: `V${base}.sql.conf`, content: 'executeInTransaction=false\n' });
      files.push({
        path: `U${base}.sql`,
        content: [rollbackNote(step), statements(step.rollback), ''].join('\n'),
      });
    });
    return files;
  },
};
