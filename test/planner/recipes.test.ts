import { describe, expect, it } from 'vitest';
import type { Plan } from '../../src/core/plan.js';
import { testSchema } from '../support/schema-fixture.js';
import { planSql, selfCheck } from '../support/plan-helpers.js';

const phases = (p: Plan) => p.steps.map((s) => s.phase);
const allSql = (p: Plan) => p.steps.flatMap((s) => s.sql).join('\n');

/** Every recipe's plan must pass the engine's own checks: no error-severity finding. */
async function expectSelfCheckClean(p: Plan, major = 15): Promise<void> {
  const errors = (await selfCheck(p, testSchema(major))).filter((f) => f.severity === 'error');
  expect(errors, errors.map((e) => `${e.rule}: ${e.message}`).join('\n')).toEqual([]);
}

describe("the brief's example: Add email_verified BOOLEAN NOT NULL DEFAULT false to users", () => {
  const sql = 'ALTER TABLE users ADD COLUMN email_verified BOOLEAN NOT NULL DEFAULT false';

  it('is a single safe step on PostgreSQL 11+', async () => {
    for (const major of [11, 15, 18]) {
      const p = await planSql(sql, { major });
      expect(p.steps).toHaveLength(1);
      expect(p.steps[0]).toMatchObject({
        phase: 'expand',
        sql: [sql],
        transactional: true,
        lock: { table: 'public.users', mode: 'ACCESS EXCLUSIVE' },
      });
      expect(p.steps[0]?.rollback).toEqual(['ALTER TABLE users DROP COLUMN IF EXISTS email_verified']);
      expect(p.rollbackComplexity).toBe(1);
    }
  });

  it('becomes nullable → default → batched backfill → CHECK NOT VALID → VALIDATE → SET NOT NULL before 11', async () => {
    const p = await planSql(sql, { major: 10 });
    expect(phases(p)).toEqual(['expand', 'expand', 'backfill', 'expand', 'validate']);
    expect(p.steps[0]?.sql).toEqual(['ALTER TABLE users ADD COLUMN email_verified boolean']);
    expect(p.steps[1]?.sql).toEqual(['ALTER TABLE users ALTER COLUMN email_verified SET DEFAULT false']);
    expect(p.steps[2]).toMatchObject({
      transactional: false,
      backfill: { table: 'public.users', keyColumns: ['id'], remaining: 'email_verified IS NULL' },
    });
    expect(p.steps[3]?.sql[0]).toMatch(
      /ADD CONSTRAINT users_email_verified_not_null CHECK \(email_verified IS NOT NULL\) NOT VALID/,
    );
    // PostgreSQL 10 cannot skip the SET NOT NULL scan: the validated CHECK is the guarantee.
    expect(allSql(p)).not.toMatch(/SET NOT NULL/);
    await expectSelfCheckClean(p, 10);
  });

  it('becomes the same plan, with SET NOT NULL proved by the CHECK, for a volatile default', async () => {
    const p = await planSql('ALTER TABLE users ADD COLUMN token uuid NOT NULL DEFAULT gen_random_uuid()');
    expect(phases(p)).toEqual(['expand', 'expand', 'backfill', 'expand', 'validate', 'validate']);
    expect(p.steps[5]?.sql).toEqual([
      'ALTER TABLE users ALTER COLUMN token SET NOT NULL',
      'ALTER TABLE users DROP CONSTRAINT users_token_not_null',
    ]);
    expect(p.steps[4]?.preChecks.map((c) => c.description)).toEqual(['no NULL left in public.users.token']);
    expect(p.rollbackComplexity).toBe(2);
    await expectSelfCheckClean(p);
  });
});

describe('recipes', () => {
  it('SET NOT NULL: the CHECK route on 12+, the CHECK alone before', async () => {
    const p = await planSql('ALTER TABLE users ALTER COLUMN name SET NOT NULL');
    expect(p.steps.map((s) => s.sql[0])).toEqual([
      'ALTER TABLE users ADD CONSTRAINT users_name_not_null CHECK (name IS NOT NULL) NOT VALID',
      'ALTER TABLE users VALIDATE CONSTRAINT users_name_not_null',
      'ALTER TABLE users ALTER COLUMN name SET NOT NULL',
    ]);
    expect(p.steps[1]?.lock).toEqual({ table: 'public.users', mode: 'SHARE UPDATE EXCLUSIVE' });
    await expectSelfCheckClean(p);
    const old = await planSql('ALTER TABLE users ALTER COLUMN name SET NOT NULL', { major: 11 });
    expect(allSql(old)).not.toMatch(/SET NOT NULL/);
  });

  it('CREATE INDEX: CONCURRENTLY, named, alone outside a transaction, with INVALID-index checks', async () => {
    const p = await planSql('CREATE INDEX ON orders (status) INCLUDE (total) WHERE total > 0');
    expect(p.steps).toHaveLength(1);
    expect(p.steps[0]).toMatchObject({
      transactional: false,
      sql: ['CREATE INDEX CONCURRENTLY orders_status_idx ON orders (status) INCLUDE (total) WHERE total > 0'],
      rollback: ['DROP INDEX CONCURRENTLY IF EXISTS public.orders_status_idx'],
      lock: { table: 'public.orders', mode: 'SHARE UPDATE EXCLUSIVE' },
    });
    expect(p.steps[0]?.preChecks[0]?.description).toMatch(/no INVALID index orders_status_idx/);
    expect(p.steps[0]?.postChecks[0]?.description).toMatch(/orders_status_idx exists and is valid/);
    await expectSelfCheckClean(p);
  });

  it('DROP INDEX: CONCURRENTLY, and the rollback rebuilds it from its definition', async () => {
    const p = await planSql('DROP INDEX users_pkey_copy; DROP INDEX orders_pkey');
    const step = p.steps.find((s) => s.sql[0]?.includes('orders_pkey'));
    expect(step).toMatchObject({
      phase: 'contract',
      transactional: false,
      sql: ['DROP INDEX CONCURRENTLY public.orders_pkey'],
    });
    expect(step?.rollback).toEqual([
      'CREATE UNIQUE INDEX CONCURRENTLY orders_pkey ON public.orders USING btree (id)',
    ]);
  });

  it('FOREIGN KEY and CHECK: NOT VALID, then VALIDATE in a separate step with a data pre-check', async () => {
    const p = await planSql(
      'ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE; ALTER TABLE orders ADD CONSTRAINT total_positive CHECK (total > 0)',
    );
    expect(p.steps.map((s) => [s.phase, s.sql[0]])).toEqual([
      [
        'expand',
        'ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE NOT VALID',
      ],
      ['validate', 'ALTER TABLE orders VALIDATE CONSTRAINT orders_user_fk'],
      ['expand', 'ALTER TABLE orders ADD CONSTRAINT total_positive CHECK (total > 0) NOT VALID'],
      ['validate', 'ALTER TABLE orders VALIDATE CONSTRAINT total_positive'],
    ]);
    expect(p.steps[1]?.preChecks[0]?.sql).toMatch(
      /NOT EXISTS \(SELECT 1 FROM users p WHERE p\.id = c\.user_id\)/,
    );
    await expectSelfCheckClean(p);
  });

  it('UNIQUE and PRIMARY KEY: unique index CONCURRENTLY, then USING INDEX; PK columns made NOT NULL first', async () => {
    const u = await planSql('ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email)');
    expect(u.steps.map((s) => s.sql[0])).toEqual([
      'CREATE UNIQUE INDEX CONCURRENTLY users_email_key ON users (email)',
      'ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_key',
    ]);
    await expectSelfCheckClean(u);
    const pk = await planSql(
      'ALTER TABLE orders DROP CONSTRAINT orders_pkey; ALTER TABLE orders ADD PRIMARY KEY (id, note)',
    );
    const sql = allSql(pk);
    expect(sql).toMatch(/CHECK \(note IS NOT NULL\) NOT VALID/);
    expect(sql).not.toMatch(/CHECK \(id IS NOT NULL\)/); // already NOT NULL
    expect(sql).toMatch(/ADD CONSTRAINT orders_pkey PRIMARY KEY USING INDEX orders_pkey/);
  });

  it('type change: one step when binary-coercible, expand/contract with a sync trigger otherwise', async () => {
    const grow = await planSql('ALTER TABLE users ALTER COLUMN name TYPE varchar(200)');
    expect(grow.steps).toHaveLength(1);
    const p = await planSql('ALTER TABLE users ALTER COLUMN score TYPE bigint');
    expect(phases(p)).toEqual(['expand', 'backfill', 'validate', 'contract']);
    expect(allSql(p)).toMatch(/ADD COLUMN score__new bigint/);
    expect(allSql(p)).toMatch(/NEW\.score__new := NEW\.score::bigint/);
    expect(p.steps[2]?.sql.slice(0, 2).map((s) => s.split('\n').pop())).toEqual([
      'ALTER TABLE users RENAME COLUMN score TO score__old',
      'ALTER TABLE users RENAME COLUMN score__new TO score',
    ]);
    expect(p.steps[3]?.reversible).toBe(false);
    await expectSelfCheckClean(p);
    const fk = await planSql('ALTER TABLE orders ALTER COLUMN user_id TYPE integer');
    expect(fk.warnings.join()).toMatch(/part of a foreign key/);
    expect(fk.steps.map((s) => s.sql[0])).toEqual(['ALTER TABLE orders ALTER COLUMN user_id TYPE integer']);
  });

  it('rename column: new column kept in sync by a trigger, old one dropped in the contract step', async () => {
    const p = await planSql('ALTER TABLE users RENAME COLUMN name TO full_name');
    expect(phases(p)).toEqual(['expand', 'backfill', 'contract']);
    expect(allSql(p)).toMatch(
      /IF NEW\.full_name IS NULL THEN NEW\.full_name := NEW\.name; ELSE NEW\.name := NEW\.full_name; END IF;/,
    );
    await expectSelfCheckClean(p);
  });

  it('rename table: rename + a view under the old name; the view goes in the contract step', async () => {
    const p = await planSql('ALTER TABLE settings RENAME TO app_settings');
    expect(p.steps.map((s) => [s.phase, s.sql.map((x) => x.split('\n').pop())])).toEqual([
      [
        'expand',
        ['ALTER TABLE settings RENAME TO app_settings', 'CREATE VIEW settings AS SELECT * FROM app_settings'],
      ],
      ['contract', ['DROP VIEW settings']],
    ]);
    await expectSelfCheckClean(p);
  });

  it('drop column: guarded contract step; rollback complexity 5, or 3 with the archive', async () => {
    const p = await planSql('ALTER TABLE users DROP COLUMN name');
    expect(p.steps).toHaveLength(1);
    expect(p.steps[0]).toMatchObject({ phase: 'contract', reversible: false });
    expect(p.steps[0]?.preChecks.map((c) => c.description)).toEqual([
      'no view reads public.users.name',
      'no foreign key references public.users.name',
    ]);
    expect(p.rollbackComplexity).toBe(5);
    const archived = await planSql('ALTER TABLE users DROP COLUMN name', { plan: { archive: true } });
    expect(archived.steps.map((s) => s.sql.at(-1)?.split('\n').pop())).toEqual([
      'CREATE TABLE schemapilot_archive.users__name AS SELECT id, name FROM users',
      'ALTER TABLE users DROP COLUMN name',
    ]);
    expect(archived.steps[1]?.rollback.join('\n')).toMatch(
      /UPDATE users AS t SET name = a\.name FROM schemapilot_archive\.users__name AS a WHERE t\.id = a\.id/,
    );
    expect(archived.rollbackComplexity).toBe(3);
    await expectSelfCheckClean(archived);
  });

  it('drop table: contract step; with the archive it moves to schemapilot_archive instead', async () => {
    expect((await planSql('DROP TABLE audit')).rollbackComplexity).toBe(5);
    const archived = await planSql('DROP TABLE audit', { plan: { archive: true } });
    expect(archived.steps[0]?.sql).toEqual([
      'CREATE SCHEMA IF NOT EXISTS schemapilot_archive',
      'ALTER TABLE audit SET SCHEMA schemapilot_archive',
    ]);
    expect(archived.steps[0]?.rollback).toEqual(['ALTER TABLE schemapilot_archive.audit SET SCHEMA public']);
  });

  it('contract steps go last, after everything the new code needs', async () => {
    const p = await planSql(
      'ALTER TABLE users DROP COLUMN name; CREATE INDEX users_score_idx ON users (score)',
    );
    expect(phases(p)).toEqual(['expand', 'contract']);
  });

  it('keeps LOCK TABLE as written, with its lock and nothing to roll back', async () => {
    const sql = 'LOCK TABLE orders IN SHARE ROW EXCLUSIVE MODE';
    const p = await planSql(sql);
    expect(p.steps).toEqual([
      expect.objectContaining({
        sql: [sql],
        asWritten: true,
        lock: { table: 'public.orders', mode: 'SHARE ROW EXCLUSIVE' },
        rollback: [],
        reversible: true,
      }),
    ]);
  });

  it('rolls back DISABLE TRIGGER ALL with ENABLE TRIGGER ALL (a keyword, not a trigger name)', async () => {
    const p = await planSql('ALTER TABLE orders DISABLE TRIGGER ALL');
    expect(p.steps[0]?.rollback).toEqual(['ALTER TABLE orders ENABLE TRIGGER ALL']);
    expect(p.steps[0]?.lock).toEqual({ table: 'public.orders', mode: 'SHARE ROW EXCLUSIVE' });
  });

  it('is deterministic: the same input gives the same plan, byte for byte', async () => {
    const sql =
      'ALTER TABLE users ADD COLUMN token uuid NOT NULL DEFAULT gen_random_uuid(); ALTER TABLE users RENAME COLUMN name TO n2; CREATE INDEX ON orders (note)';
    const a = JSON.stringify(await planSql(sql));
    const b = JSON.stringify(await planSql(sql));
    expect(a).toBe(b);
    expect(JSON.parse(a)).toMatchObject({ formatVersion: 1, sourceSchemaHash: testSchema(15).hash });
  });
});
