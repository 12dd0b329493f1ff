/**
 * Which route a MySQL plan takes, without a server: no schema means every table is large and
 * every column unknown, so what the recipes can and cannot do without the catalog shows; the
 * config chooses the online schema change tool. (On MariaDB, roundtrip.test.ts and online.test.ts.)
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { plan } from '../../../src/api/plan.js';
import { DEFAULT_CONFIG, type ResolvedConfig } from '../../../src/config/types.js';
import type { OnlineSchemaChange } from '../../../src/config/mysql.js';
import type { Plan, PlanOptions } from '../../../src/core/plan.js';
import { mysqlDialect } from '../../../src/dialects/mysql/index.js';
import { inlineMigration } from '../../../src/formats/read.js';

beforeAll(() => mysqlDialect.language.load());

async function planOf(
  sql: string,
  tool: OnlineSchemaChange = 'pt-online-schema-change',
  options: Partial<PlanOptions> = {},
): Promise<Plan> {
  const config: ResolvedConfig = {
    ...DEFAULT_CONFIG,
    defaultSchema: 'shop',
    mysql: { onlineSchemaChange: tool },
  };
  return plan({
    files: [inlineMigration('m.sql', sql, 'plain')],
    snapshot: null,
    config,
    options,
    dialect: mysqlDialect,
  });
}

describe('MySQL plans without a schema (every table assumed large)', () => {
  it('retries on lock wait timeouts and deadlocks, with lock waits in whole seconds', async () => {
    const p = await planOf('ALTER TABLE users ADD COLUMN x int', 'none', { lockTimeoutMs: 1500 });
    expect(p.steps[0]?.retry.retryOn).toEqual(['1205', '1213']);
    expect(p.steps[0]?.lockTimeoutMs).toBe(2000);
    expect(p.steps[0]?.transactional).toBe(false);
    expect(p.recommendedApproach).toMatch(/DDL is not transactional: each step commits on its own/);
  });

  it('a type change goes to the configured tool, throttled, with the ALTER it performs as its SQL', async () => {
    const pt = await planOf('ALTER TABLE users MODIFY n bigint NOT NULL');
    expect(pt.steps).toHaveLength(1);
    expect(pt.steps[0]).toMatchObject({
      sql: ['ALTER TABLE `users` MODIFY n bigint NOT NULL'],
      tool: {
        name: 'pt-online-schema-change',
        database: null,
        table: 'users',
        alter: 'MODIFY n bigint NOT NULL',
      },
      lock: { table: 'shop.users', mode: 'SHARED_WRITE' },
    });
    const gh = await planOf('ALTER TABLE users MODIFY n bigint NOT NULL', 'gh-ost');
    expect(gh.steps[0]?.tool?.name).toBe('gh-ost');
  });

  it('without a tool and without the catalog, the copy is pinned and said to block writes', async () => {
    const p = await planOf('ALTER TABLE users MODIFY n bigint NOT NULL', 'none');
    expect(p.steps.map((s) => s.sql)).toEqual([
      ['ALTER TABLE users MODIFY n bigint NOT NULL, ALGORITHM=COPY, LOCK=SHARED'],
    ]);
    expect(p.warnings.join('\n')).toMatch(/needs a table copy, which blocks writes/);
  });

  it('a per-row default becomes add, default, backfill: none of them a copy', async () => {
    const p = await planOf('ALTER TABLE users ADD COLUMN token char(36) NOT NULL DEFAULT (uuid()) AFTER id');
    expect(p.steps.map((s) => s.phase)).toEqual(['expand', 'expand', 'backfill', 'validate']);
    expect(p.steps[0]?.sql).toEqual([
      'ALTER TABLE `users` ADD COLUMN `token` char(36) NULL AFTER id, ALGORITHM=INSTANT',
    ]);
    expect(p.steps[1]?.sql).toEqual([
      'ALTER TABLE `users` ALTER COLUMN `token` SET DEFAULT (uuid()), ALGORITHM=INSTANT',
    ]);
    expect(p.steps[2]?.backfill).toMatchObject({
      set: [{ column: 'token', expression: '(uuid())' }],
      remaining: '`token` IS NULL',
    });
    expect(p.steps[3]?.sql).toEqual([
      // The pre-check (no NULL left) is what makes it safe; the rule judging the statement alone is told so.
      "-- schemapilot-ignore mysql-not-null-with-nulls: the step's pre-check waits for no NULL left, filled by the backfill before it\nALTER TABLE `users` MODIFY `token` char(36) NOT NULL DEFAULT (uuid()), ALGORITHM=INPLACE, LOCK=NONE",
    ]);
    expect(p.steps[3]?.preChecks.map((c) => c.sql)).toEqual([
      'SELECT NOT EXISTS (SELECT 1 FROM `users` WHERE `token` IS NULL)',
    ]);
    expect(p.steps.some((s) => s.tool)).toBe(false);
  });

  it('every clause its own pinned step, with a rollback in MySQL words', async () => {
    const p = await planOf(
      'ALTER TABLE users RENAME COLUMN email TO mail, ADD INDEX (n); DROP INDEX users_x ON users',
    );
    expect(p.steps.map((s) => [s.phase, s.sql, s.rollback])).toEqual([
      [
        'expand',
        [
          // MySQL 8.4 (assumed) renames instantly, per the facts (the manual's table).
          'ALTER TABLE users RENAME COLUMN email TO mail, ALGORITHM=INSTANT',
        ],
        ['ALTER TABLE `users` RENAME COLUMN `mail` TO `email`'],
      ],
      [
        'expand',
        ['ALTER TABLE users ADD INDEX (n), ALGORITHM=INPLACE, LOCK=NONE'],
        ['ALTER TABLE `users` DROP INDEX `n`'],
      ],
      // The dropped index's definition is unknown without the catalog: no rollback.
      ['contract', ['ALTER TABLE users DROP INDEX users_x, ALGORITHM=INPLACE, LOCK=NONE'], []],
    ]);
  });

  it('a FULLTEXT index on a large table goes to the tool (InnoDB builds it with LOCK=SHARED at best)', async () => {
    const p = await planOf('CREATE FULLTEXT INDEX users_bio ON users (bio)');
    expect(p.steps[0]?.tool).toMatchObject({ alter: 'ADD FULLTEXT INDEX `users_bio` (bio)' });
  });

  it('DROP TABLE is a contract step guarded by pre-checks, its data gone', async () => {
    const p = await planOf('DROP TABLE old_stuff');
    expect(p.steps[0]).toMatchObject({ phase: 'contract', reversible: false, destroysData: true });
    expect(p.steps[0]?.preChecks.map((c) => c.description)).toEqual([
      "no other table's foreign key references shop.old_stuff",
      'no view reads shop.old_stuff',
    ]);
    expect(p.rollbackComplexity).toBe(5);
  });
});
