/**
 * Rollback after a deploy that ran to completion, for every recipe of src/planner/recipes
 * (the cases of test/planner/cases.ts, with plain, hostile and 63-byte names): deploy() applies
 * every step on a real server, rollbackDeploy() with accept-data-loss undoes them all, and the
 * schema must be the original again. roundtrip.test.ts only rolls back up to the first point of
 * no return; here the contract steps and the column swap are undone too. A step whose rollback
 * cannot bring anything back (DROP TABLE without --archive) must say so, not claim success.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { plan } from '../../src/api/plan.js';
import { deploy, DEFAULT_DEPLOY_LIMITS } from '../../src/api/deploy.js';
import { rollbackDeploy } from '../../src/api/deploy.js';
import { inspectPostgres } from '../../src/dialects/postgres/introspect.js';
import { inlineMigration } from '../../src/formats/read.js';
import { recipeKinds } from '../../src/planner/plan.js';
import { diffSnapshots, formatDifferences } from '../../src/schema/diff.js';
import { createTempDatabase, describePg, type TempDatabase } from '../support/pg.js';
import type { PgTarget } from '../setup/targets.js';
import { HOSTILE, LONG, PLAIN, recipeFixture } from '../planner/cases.js';

describe('the recipe cases', () => {
  it('cover every recipe', () => {
    const covered = new Set(recipeFixture(PLAIN).cases.map((c) => c.recipe));
    expect(recipeKinds().filter((k) => !covered.has(k))).toEqual([]);
  });
});

describePg('rollback after a completed deploy', (target: PgTarget) => {
  for (const naming of [PLAIN, HOSTILE, LONG]) {
    const fixture = recipeFixture(naming);
    describe.concurrent(naming.label, () => {
      let template: TempDatabase;
      beforeAll(async () => {
        template = await createTempDatabase(target, fixture.setup);
        await template.client.end();
      });
      afterAll(async () => {
        await template?.drop();
      });

      for (const c of fixture.cases) {
        it(`${c.name}: deployed to completion, then rolled back to the original schema`, async () => {
          const db = await createTempDatabase(target, undefined, { template: template.name });
          try {
            const original = await inspectPostgres(db.url);
            const before = c.dataOf
              ? (await db.client.query(fixture.checksumSql(c.dataOf.table, c.dataOf.columns))).rows[0]
              : undefined;
            const p = await plan({
              files: [inlineMigration('m.sql', c.sql, 'plain')],
              snapshot: original,
              options: { batchPauseMs: 0, ...c.options },
            });
            const deployed = await deploy({ ...DEFAULT_DEPLOY_LIMITS, url: db.url, plan: p });
            expect(deployed.incident?.error.message ?? null, 'deploy').toBeNull();
            expect(deployed.deploy?.status).toBe('succeeded');

            const undone = await rollbackDeploy({ url: db.url, acceptDataLoss: true });
            if (c.lost) {
              // Nothing kept the data or the definition: the rollback stops there and says so.
              const last = p.steps[p.steps.length - 1];
              expect(undone.complete).toBe(false);
              expect(undone.rolledBack).toEqual([]);
              expect(undone.errors).toEqual([
                {
                  step: last?.id,
                  message: expect.stringMatching(/cannot be undone: the data it dropped is gone/),
                },
              ]);
              return;
            }
            expect(undone.errors).toEqual([]);
            expect(undone.complete).toBe(true);
            expect(undone.rolledBack).toEqual(p.steps.map((s) => s.id).reverse());
            expect(formatDifferences(diffSnapshots(original, await inspectPostgres(db.url)))).toBe('');
            if (c.dataOf && before)
              expect(
                (await db.client.query(fixture.checksumSql(c.dataOf.table, c.dataOf.columns))).rows[0],
              ).toEqual(before);
          } finally {
            await db.drop();
          }
        });
      }
    });
  }
});
