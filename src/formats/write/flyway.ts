/**
 * Flyway: one versioned migration per step (`V<version>__<name>.sql`), since Flyway wraps each
 * file in one transaction and steps must commit separately. A step that cannot run in a
 * transaction gets a `.sql.conf` with `executeInTransaction=false`; Flyway then runs its
 * statements one by one on one connection, so session timeouts set before them hold (and are
 * reset after). Undo files (`U<version>__<name>.sql`, Flyway Teams) hold each step's rollback,
 * with their own `.sql.conf` when the rollback uses CONCURRENTLY.
 * https://documentation.red-gate.com/fd/script-configuration-195890864.html
 *
 * Two Flyway settings matter for these files: with `postgresql.transactional.lock` left on,
 * Flyway 9.1.2+ hangs on CREATE INDEX CONCURRENTLY (flyway/flyway#3682), and placeholder
 * replacement rejects SQL that contains `${`. The README says to switch both off.
 */
import type { PlanWriter, WrittenFile } from './common.js';
import { rollbackNote, statements, stepHeader, stepName, stepVersion } from './common.js';

const NO_TRANSACTION = 'executeInTransaction=false\n';

export const flywayWriter: PlanWriter = {
  format: 'flyway',
  description: 'Flyway V…__*.sql per step (+ .conf for non-transactional steps) and U…__*.sql undo files',
  write(plan, options, steps) {
    const files: WrittenFile[] = [];
    plan.steps.forEach((step, i) => {
      const base = `${stepVersion(options.version, i)}__${stepName(options, step)}`;
      const body = steps.text(step);
      files.push({ path: `V${base}.sql`, content: [...stepHeader(step), statements(body), ''].join('\n') });
      if (!step.transactional) files.push({ path: `V${base}.sql.conf`, content: NO_TRANSACTION });
      files.push({
        path: `U${base}.sql`,
        content: [rollbackNote(step), statements(step.rollback), ''].join('\n'),
      });
      if (steps.outsideTransaction(step.rollback))
        files.push({ path: `U${base}.sql.conf`, content: NO_TRANSACTION });
    });
    return files;
  },
};
