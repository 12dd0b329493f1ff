/**
 * Every recipe on a real server: the plan, applied to populated tables, must leave the schema
 * the original SQL would have left (checked by running the original on a twin database), and
 * its rollback must bring back the original schema (and, with the archive option, the data).
 * The cases (cases.ts) run with plain, hostile and 63-byte multibyte names.
 */
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { plan } from '../../src/api/plan.js';
import type { Plan } from '../../src/core/plan.js';
import { inspectPostgres } from '../../src/dialects/postgres/introspect.js';
import { applySteps, rollbackSteps } from '../../src/dialects/postgres/steps/apply.js';
import { inlineMigration } from '../../src/formats/read.js';
import { diffSnapshots, formatDifferences } from '../../src/schema/diff.js';
import { createTempDatabase, describePg, type TempDatabase } from '../support/pg.js';
import type { PgTarget } from '../setup/targets.js';
import { HOSTILE, LONG, PLAIN, recipeFixture, type Case, type Fixture } from './cases.js';

async function checksum(client: pg.Client, fixture: Fixture, data: NonNullable<Case['dataOf']>) {
  const { rows } = await client.query<{ sum: string }>(fixture.checksumSql(data.table, data.columns));
  return rows[0]?.sum ?? '';
}

async function planFor(url: string, c: Case): Promise<Plan> {
  return plan({
    files: [inlineMigration('m.sql', c.sql, 'plain')],
    snapshot: await inspectPostgres(url),
    options: c.options,
  });
}

describePg('plans applied and rolled back on a real server', (target: PgTarget) => {
  for (const naming of [PLAIN, HOSTILE, LONG]) {
    const fixture = recipeFixture(naming);
    // Cases use their own databases, copies of one loaded template, so they can run side by side.
    describe.concurrent(naming.label, () => {
      let template: TempDatabase;
      const copy = () => createTempDatabase(target, undefined, { template: template.name });
      beforeAll(async () => {
        template = await createTempDatabase(target, fixture.setup);
        await template.client.end();
      });
      afterAll(async () => {
        await template?.drop();
      });

      for (const c of fixture.cases) {
        it(`${c.name}: the plan gives the intended schema, its rollback the original`, async () => {
          const naive = await copy();
          const planned = await copy();
          let partial: TempDatabase | undefined;
          try {
            await naive.client.query(c.sql);
            const intended = await inspectPostgres(naive.url);
            const original = await inspectPostgres(planned.url);
            const p = await planFor(planned.url, c);
            const before = c.dataOf ? await checksum(planned.client, fixture, c.dataOf) : '';

            await applySteps(planned.client, p.steps);
            const after = await inspectPostgres(planned.url);
            const toIntended = diffSnapshots(intended, after).filter(
              (d) => !d.object.includes('schemapilot_archive'),
            );
            expect(formatDifferences(toIntended), 'plan result vs the original SQL').toBe('');

            // Roll back everything up to the first step that cannot be undone (all of it, usually);
            // test/deploy/rollback-recipes.test.ts rolls back past it.
            const firstIrreversible = p.steps.findIndex((s) => !s.reversible);
            const undoable = firstIrreversible < 0 ? p.steps : p.steps.slice(0, firstIrreversible);
            if (firstIrreversible < 0) {
              await rollbackSteps(planned.client, p.steps);
              expect(
                formatDifferences(diffSnapshots(original, await inspectPostgres(planned.url))),
                'after rollback',
              ).toBe('');
              if (c.dataOf) expect(await checksum(planned.client, fixture, c.dataOf)).toBe(before);
            }
            if (firstIrreversible >= 0) {
              partial = await copy();
              await applySteps(partial.client, undoable);
              await rollbackSteps(partial.client, undoable);
              expect(
                formatDifferences(diffSnapshots(original, await inspectPostgres(partial.url))),
                'after partial rollback',
              ).toBe('');
            }
          } finally {
            await Promise.all([naive.drop(), planned.drop(), partial?.drop()]);
          }
        });
      }
    });
  }
});
