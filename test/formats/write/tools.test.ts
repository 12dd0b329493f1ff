/**
 * The written files run by the real tools that are npm packages (dbmate, node-pg-migrate, Knex)
 * and by psql for the plain SQL format: each plan must give the schema the original SQL gives,
 * with the non-transactional steps where the tool does not wrap them, and the tool's rollback
 * must restore the original schema.
 */
import { describe, it } from 'vitest';
import { describePg, missingDatabase } from '../../support/pg.js';
import { CASES } from './support/cases.js';
import { CASE_TIMEOUT, checkCase, checkHostile, intendedSchemas, type Runner } from './support/harness.js';
import { hasCommand } from './support/run.js';
import { dbmate, knex, nodePgMigrate, psql } from './support/tools.js';

const RUNNERS: Runner[] = [dbmate, nodePgMigrate, knex];
// psql comes with a PostgreSQL installation, not with npm: on a machine with only Node it is missing.
const withPsql = await hasCommand('psql');
if (withPsql) RUNNERS.push(psql);
else missingDatabase('plain SQL run by psql', 'psql', 'psql is not on PATH');

describePg('plan writers run by the real migration tools', (target) => {
  const intended = intendedSchemas(target);
  for (const runner of RUNNERS) {
    describe.concurrent(runner.format, () => {
      for (const c of CASES) {
        it(`${c.name}: the tool gives the intended schema, its rollback the original`, CASE_TIMEOUT, () =>
          checkCase(target, runner, c, intended(c)),
        );
      }
      it('SQL full of quotes, escapes and bind markers reaches the server unchanged', CASE_TIMEOUT, () =>
        checkHostile(target, runner),
      );
    });
  }
});
