/**
 * Every writer's files for one plan that holds every kind of step (nullable add, default,
 * committing backfill, CHECK NOT VALID, validations, CONCURRENTLY index, FK NOT VALID, a
 * contract drop), kept under __snapshots__/<format>/ so that reviewers read the exact output.
 * The tests beside the snapshots check what matters without trusting them: file order, and
 * where the steps that cannot run in a transaction land.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Plan, PlanStep } from '../../../src/core/plan.js';
import { loadPostgresParser, parsePostgres } from '../../../src/dialects/postgres/parser.js';
import { PLAN_WRITERS as ALL_WRITERS, type WrittenFile } from '../../../src/api/write.js';
import { planSql } from '../../support/plan-helpers.js';
import { SNAPSHOT_SQL } from './support/cases.js';
import { tsStatements } from './support/extract.js';
import { writePlan } from './support/files.js';

/** The writers for PostgreSQL plans (Drizzle's are SQLite's: test/dialects/sqlite/plan/writers.test.ts). */
const PLAN_WRITERS = ALL_WRITERS.filter((w) => !w.dialects || w.dialects.includes('postgres'));

let plan: Plan;
beforeAll(async () => {
  await loadPostgresParser();
  plan = await planSql(SNAPSHOT_SQL);
});

const content = (files: readonly WrittenFile[], path: string): string => {
  const file = files.find((f) => f.path === path);
  if (!file) throw new Error(`no ${path} in ${files.map((f) => f.path).join(', ')}`);
  return file.content;
};
const statementCount = (sql: string) => parsePostgres(sql, 'file').statements.length;
const concurrent = (sql: readonly string[]) => sql.some((s) => /\bCONCURRENTLY\b/.test(s));

describe('writer snapshots', () => {
  it('the plan has every kind of step the writers must place', () => {
    expect(plan.steps.map((s) => `${s.id}${s.transactional ? '' : ' (no transaction)'}`)).toEqual([
      'expand-1',
      'expand-2',
      'backfill-1 (no transaction)',
      'expand-3',
      'validate-1',
      'validate-2',
      'expand-4 (no transaction)',
      'expand-5',
      'validate-3',
      'contract-1',
    ]);
    expect(concurrent(plan.steps[6]?.rollback ?? [])).toBe(true);
  });

  for (const writer of PLAN_WRITERS) {
    it(`${writer.format}: files as in __snapshots__/${writer.format}/`, async () => {
      const files = writePlan(writer.format, plan);
      for (const f of files)
        await expect(f.content).toMatchFileSnapshot(`./__snapshots__/${writer.format}/${f.path}`);
    });
  }
});

/** Per-step formats: the i-th file in the tool's order holds the i-th step. */
function expectStepOrder(
  paths: readonly string[],
  files: readonly WrittenFile[],
  steps: readonly PlanStep[],
): void {
  expect([...paths].sort(), 'the tool sorts by name').toEqual(paths);
  expect(paths).toHaveLength(steps.length);
  paths.forEach((path, i) => {
    const text = content(files, path);
    const held = path.endsWith('.ts') ? tsStatements(path, text) : [text];
    for (const sql of steps[i]?.sql ?? [])
      expect(
        held.some((h) => h.includes(sql)),
        `${path} holds step ${i + 1}: ${sql}`,
      ).toBe(true);
  });
}

describe('where each writer puts the steps that cannot run in a transaction', () => {
  it('sql: up.sql in plan order, each transactional step in BEGIN/COMMIT; down.sql last step first', () => {
    const files = writePlan('sql', plan);
    const up = content(files, '20261125000000_safe_change/up.sql');
    const down = content(files, '20261125000000_safe_change/down.sql');
    const positions = plan.steps.map((s) => up.indexOf(`-- ${s.id} (`));
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    for (const step of plan.steps) {
      const block = up.slice(up.indexOf(`-- ${step.id} (`)).split('\n\n')[0] ?? '';
      expect(block.includes('BEGIN;'), step.id).toBe(step.transactional);
    }
    const undo = plan.steps.map((s) => down.search(new RegExp(`^-- (undo )?${s.id}\\b`, 'm')));
    expect(undo).not.toContain(-1);
    expect(undo).toEqual([...undo].sort((a, b) => b - a));
    expect(down).toMatch(/-- undo expand-4\nDROP INDEX CONCURRENTLY IF EXISTS public\.orders_status_idx;\n/);
  });

  it('flyway: one V file per step, .sql.conf with executeInTransaction=false where a step or its undo needs it', () => {
    const files = writePlan('flyway', plan);
    const versioned = files.filter((f) => /^V.*\.sql$/.test(f.path)).map((f) => f.path);
    expectStepOrder(versioned, files, plan.steps);
    plan.steps.forEach((step, i) => {
      const v = versioned[i] ?? '';
      const conf = files.find((f) => f.path === `${v}.conf`)?.content;
      expect(conf, v).toBe(step.transactional ? undefined : 'executeInTransaction=false\n');
      const undoConf = files.find((f) => f.path === `U${v.slice(1)}.conf`)?.content;
      expect(undoConf, `U${v.slice(1)}`).toBe(
        concurrent(step.rollback) ? 'executeInTransaction=false\n' : undefined,
      );
    });
  });

  for (const format of ['golang-migrate', 'prisma'] as const) {
    it(`${format}: a step that cannot run in a transaction is the only statement of its file`, () => {
      const files = writePlan(format, plan);
      const ups = files.filter((f) => f.path.endsWith(format === 'prisma' ? 'migration.sql' : '.up.sql'));
      const downs = files.filter(
        (f) => f.path.endsWith(format === 'prisma' ? '.sql' : '.down.sql') && !ups.includes(f),
      );
      expectStepOrder(
        ups.map((f) => f.path),
        files,
        plan.steps,
      );
      plan.steps.forEach((step, i) => {
        const up = ups[i]?.content ?? '';
        const down = downs[i]?.content ?? '';
        if (!step.transactional) expect(statementCount(up), ups[i]?.path).toBe(1);
        else expect(up, ups[i]?.path).toMatch(/^BEGIN;$[\s\S]*^COMMIT;$/m);
        if (concurrent(step.rollback)) expect(statementCount(down), downs[i]?.path).toBe(1);
      });
    });
  }

  it('dbmate: transaction:false exactly on the sections that need it, each holding one statement', () => {
    const files = writePlan('dbmate', plan);
    expectStepOrder(
      files.map((f) => f.path),
      files,
      plan.steps,
    );
    plan.steps.forEach((step, i) => {
      const [up = '', down = ''] = (files[i]?.content ?? '').split(/^-- migrate:down/m);
      expect(up.startsWith('-- migrate:up transaction:false\n'), files[i]?.path).toBe(!step.transactional);
      expect(down.startsWith(' transaction:false\n'), files[i]?.path).toBe(concurrent(step.rollback));
      if (!step.transactional) expect(statementCount(up)).toBe(1);
      if (concurrent(step.rollback)) expect(statementCount(down.slice(down.indexOf('\n')))).toBe(1);
    });
  });

  it('node-pg-migrate: every migration handles its own transaction', () => {
    const files = writePlan('node-pg-migrate', plan);
    expectStepOrder(
      files.map((f) => f.path),
      files,
      plan.steps,
    );
    plan.steps.forEach((step, i) => {
      const up = (files[i]?.content ?? '').split('export function down')[0] ?? '';
      expect(up).toContain('pgm.noTransaction();');
      expect(up.includes('pgm.sql("BEGIN");'), files[i]?.path).toBe(step.transactional);
    });
  });

  it('knex: every migration has transaction: false and opens its own transaction where the step has one', () => {
    const files = writePlan('knex', plan);
    expectStepOrder(
      files.map((f) => f.path),
      files,
      plan.steps,
    );
    plan.steps.forEach((step, i) => {
      const [up = '', down = ''] = (files[i]?.content ?? '').split('export async function down');
      expect(up).toContain('export const config = { transaction: false };');
      expect(up.includes('knex.transaction('), files[i]?.path).toBe(step.transactional);
      expect(down.includes('knex.transaction('), files[i]?.path).toBe(
        step.rollback.length > 0 && !concurrent(step.rollback),
      );
    });
  });

  it('alembic: each step in its own autocommit_block(), BEGIN/COMMIT only around transactional ones', () => {
    const [file] = writePlan('alembic', plan);
    const [upgrade = '', downgrade = ''] = (file?.content ?? '').split('def downgrade()');
    const blocks = upgrade.split('with op.get_context().autocommit_block():').slice(1);
    expect(blocks).toHaveLength(plan.steps.length);
    plan.steps.forEach((step, i) => {
      expect(blocks[i], step.id).toContain(step.sql[0]?.split('\n')[0] ?? '?');
      expect(blocks[i]?.includes('op.execute(r"""BEGIN""")'), step.id).toBe(step.transactional);
    });
    const undone = [...plan.steps].reverse().filter((s) => s.rollback.length > 0);
    const undoBlocks = downgrade.split('with op.get_context().autocommit_block():').slice(1);
    expect(undoBlocks.map((b) => b.includes('BEGIN'))).toEqual(undone.map((s) => !concurrent(s.rollback)));
  });
});
