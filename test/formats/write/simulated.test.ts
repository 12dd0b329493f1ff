/**
 * The formats whose tools cannot run here (Flyway, golang-migrate, Prisma, Alembic), executed
 * the way each tool executes them (support/simulate.ts says how, with the tools' documents):
 * the plans must give the schema the original SQL gives, and the rollbacks the original schema.
 * A CONCURRENTLY statement or a committing DO block placed where the tool would wrap it in a
 * transaction fails here as it would there.
 */
import { describe, it } from 'vitest';
import { describePg, missingDatabase } from '../../support/pg.js';
import { CASES } from './support/cases.js';
import { CASE_TIMEOUT, checkCase, checkHostile, intendedSchemas, type Runner } from './support/harness.js';
import { hasCommand } from './support/run.js';
import { alembic, flyway, golangMigrate, prisma } from './support/simulate.js';

const RUNNERS: Runner[] = [flyway, golangMigrate, prisma];
// The Alembic simulation reads the revision file with Python's parser.
if (await hasCommand('python3')) RUNNERS.push(alembic);
else missingDatabase('Alembic revision files, simulated', 'python3', 'python3 is not on PATH');

describePg('plan writers run as their tools run them (simulated)', (target) => {
  const intended = intendedSchemas(target);
  for (const runner of RUNNERS) {
    describe.concurrent(runner.format, () => {
      for (const c of CASES) {
        it(`${c.name}: the files give the intended schema, their rollback the original`, CASE_TIMEOUT, () =>
          checkCase(target, runner, c, intended(c)),
        );
      }
      it('SQL full of quotes, escapes and bind markers reaches the server unchanged', CASE_TIMEOUT, () =>
        checkHostile(target, runner),
      );
    });
  }
});
