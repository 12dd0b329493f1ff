/**
 * Plain SQL for psql -f (autocommit): `up.sql` with an explicit BEGIN/COMMIT around each
 * transactional step, steps that cannot run in a transaction on their own; `down.sql` with the
 * rollback of every step in reverse order.
 *
 * SQLite: for the sqlite3 shell with -bail, which stops at the first error and, leaving, rolls
 * back a transaction left open (https://www.sqlite.org/cli.html). A transactional step opens
 * with BEGIN IMMEDIATE; a table rebuild is written as it runs, PRAGMA foreign_keys outside its
 * own transaction.
 */
import { factKeyWords } from '../../core/dialect/version.js';
import type { DialectName } from '../../core/snapshot.js';
import type { PlanWriter } from './common.js';
import { beginFor, rollbackNote, statements, stepHeader, slug } from './common.js';

const RUN_WITH: Record<DialectName, string> = {
  postgres: '-- Run with: psql -v ON_ERROR_STOP=1 -f up.sql',
  mysql:
    '-- Run with: mysql <database> < up.sql (it stops at the first error; each statement commits on its own)',
  sqlite:
    '-- Run with: sqlite3 -bail <database file> < up.sql (it stops at the first error and rolls back an open transaction)',
};

export const plainSqlWriter: PlanWriter = {
  format: 'sql',
  description: 'up.sql and down.sql for psql -f (each step its own transaction, or none)',
  write(plan, options, steps) {
    const up: string[] = [
      `-- ${options.name}: planned by schemapilot for ${factKeyWords(plan.dialect, plan.serverMajor)}`,
      RUN_WITH[plan.dialect],
      '',
    ];
    const begin = beginFor(plan);
    for (const step of plan.steps) {
      up.push(...stepHeader(step));
      up.push(
        step.transactional
          ? `${begin};\n${statements(steps.text(step))}\nCOMMIT;`
          : statements(steps.text(step)),
        '',
      );
    }
    const down: string[] = [`-- rollback of ${options.name}, last step first`, ''];
    for (const step of [...plan.steps].reverse()) {
      down.push(rollbackNote(step));
      if (step.rollback.length > 0) {
        down.push(
          steps.outsideTransaction(step.rollback)
            ? statements(step.rollback)
            : `${begin};\n${statements(step.rollback)}\nCOMMIT;`,
        );
      }
      down.push('');
    }
    const dir = `${options.version}_${slug(options.name)}`;
    return [
      { path: `${dir}/up.sql`, content: up.join('\n') },
      { path: `${dir}/down.sql`, content: down.join('\n') },
    ];
  },
};
