/**
 * validatePlan on MariaDB, end to end (src/validate/validate.ts through the MySQL dialect): a
 * plan made by the planner is cloned, filled, traced step by step and rolled back on a scratch
 * database of the shared server, and a deliberately wrong prediction or rollback is caught. The
 * table has 20,000 rows of ~300 bytes, so a copying ALTER takes long enough (~300 ms here) for a
 * blocked writer to stand out from the few-ms waits of every ALTER's metadata lock upgrades.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { plan as makePlan } from '../../../../src/api/plan.js';
import { validatePlan } from '../../../../src/api/validate.js';
import type { Plan } from '../../../../src/core/plan.js';
import type { ScratchServer } from '../../../../src/core/dialect/scratch.js';
import type { SchemaSnapshot } from '../../../../src/core/snapshot.js';
import { inspectMysql } from '../../../../src/dialects/mysql/introspect.js';
import { mysqlScratch } from '../../../../src/dialects/mysql/scratch/provider.js';
import { inlineMigration } from '../../../../src/formats/read.js';
import type { Prediction } from '../../../../src/validate/compare.js';
import { createTempDatabase, describeMysql, type TempDatabase } from '../support.js';

describeMysql('validatePlan on MariaDB', (serverUrl) => {
  let target: TempDatabase;
  let snapshot: SchemaSnapshot;
  let scratch: ScratchServer;

  beforeAll(async () => {
    target = await createTempDatabase(serverUrl, [
      "CREATE TABLE t (id int PRIMARY KEY AUTO_INCREMENT, c int, filler char(255) CHARACTER SET latin1 NOT NULL DEFAULT '')",
    ]);
    snapshot = await inspectMysql(target.url);
    scratch = await mysqlScratch.open({ major: null, devUrl: serverUrl });
  });
  afterAll(async () => {
    await scratch?.close();
    await target?.drop();
  });

  const planOf = async (
    sql: string,
  ): Promise<{ plan: Plan; files: ReturnType<typeof inlineMigration>[] }> => {
    const files = [inlineMigration('m.sql', sql, 'plain')];
    return { plan: await makePlan({ files, snapshot }), files };
  };

  it(
    'proves an instant ADD COLUMN: traced, same end schema as written, rolled back',
    { timeout: 120_000 },
    async () => {
      const { plan, files } = await planOf('ALTER TABLE t ADD COLUMN d int, ALGORITHM=INSTANT');
      const result = await validatePlan({
        plan,
        original: files,
        schema: { kind: 'pg-dump', url: target.url, snapshot },
        scratch,
        data: { kind: 'synthesize', rowsPerTable: 20_000 },
      });
      expect(result.findings.filter((f) => f.severity === 'error')).toEqual([]);
      expect(result.passed).toBe(true);
      expect(result.scratch.server).toMatch(/^MariaDB /);
      expect(result.data).toEqual([{ table: expect.stringMatching(/\.t$/), rows: 20_000 }]);
      const alter = result.steps[0]?.statements.find((s) => s.traced !== null);
      expect(alter?.traced?.online).toMatchObject({ algorithm: 'INSTANT', rebuilt: false });
      expect(alter?.traced?.rewrittenTables).toEqual([]);
      expect(result.intent).toEqual({ checked: true, differences: [] });
      expect(result.rollback).toMatchObject({ checked: true, differences: [] });
    },
  );

  it(
    'catches a prediction that a copying ALTER would be online, and a rollback that restores nothing',
    { timeout: 120_000 },
    async () => {
      const { plan, files } = await planOf('ALTER TABLE t MODIFY c bigint');
      const step = plan.steps[0];
      if (!step) throw new Error('no step');
      // The rollback the planner would write is not the subject here: one that does nothing.
      step.rollback = ['SELECT 1'];
      const table = `${target.name}.t`;
      const online: Prediction = {
        locks: [{ table, mode: 'SHARED_UPGRADABLE' }],
        rewritesTable: false,
        algorithm: 'INPLACE',
        blocksWrites: false,
      };
      const none: Prediction = { locks: [], rewritesTable: false };
      const result = await validatePlan({
        plan,
        original: files,
        schema: { kind: 'snapshot', snapshot },
        scratch,
        data: { kind: 'synthesize', rowsPerTable: 20_000 },
        // The step runs its lock timeout, the ALTER, then resets the timeout.
        predict: () => Promise.resolve(new Map([[step.id, [none, online, none]]])),
      });
      const traced = result.steps[0]?.statements[1]?.traced;
      expect(traced?.online).toMatchObject({ algorithm: 'COPY', rebuilt: true, blocksWrites: true });
      expect(traced?.locks).toEqual([{ relation: table, mode: 'SHARED_NO_WRITE' }]);
      const trace = result.findings
        .filter((f) => f.check === 'trace')
        .map((f) => `${f.severity}: ${f.message}`);
      expect(trace).toEqual([
        `error: took SHARED_NO_WRITE on ${table}; predicted SHARED_UPGRADABLE`,
        `error: rewrote ${table}; no rewrite was predicted`,
        expect.stringMatching(
          new RegExp(
            `^error: ran ALGORITHM=COPY on ${table} \\(\\d+ rows affected \\(copied\\)\\); predicted INPLACE$`,
          ),
        ),
        expect.stringMatching(
          new RegExp(`^error: blocked writes to ${table} for \\d+ ms; predicted writes would go on$`),
        ),
      ]);
      expect(result.rollback.differences).toEqual([
        expect.objectContaining({ object: `column ${table}.c`, change: 'changed' }),
      ]);
      expect(result.passed).toBe(false);
    },
  );
});
