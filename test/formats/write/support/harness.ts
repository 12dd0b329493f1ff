/**
 * One check for every (migration tool, plan) pair: the tool runs the written files on a fresh
 * database with populated tables; the result must equal what the original SQL gives on a twin
 * database (as in test/planner/roundtrip.test.ts); then the tool's own rollback must bring back
 * the original schema, for the plan or, when a step cannot be undone, for the steps before it.
 */
import type pg from 'pg';
import { expect } from 'vitest';
import { plan } from '../../../../src/api/plan.js';
import type { Plan } from '../../../../src/core/plan.js';
import type { SchemaSnapshot } from '../../../../src/core/snapshot.js';
import { inspectPostgres } from '../../../../src/dialects/postgres/introspect.js';
import { inlineMigration } from '../../../../src/formats/read.js';
import { diffSnapshots, formatDifferences } from '../../../../src/schema/diff.js';
import type { PgTarget } from '../../../setup/targets.js';
import { createTempDatabase, type TempDatabase } from '../../../support/pg.js';
import { SETUP, type DataCheck, type WriterCase } from './cases.js';
import { writePlanDir } from './files.js';
import { HOSTILE_INDEX, HOSTILE_PLAN, HOSTILE_TEXT, hostileResult } from './hostile.js';

/**
 * Per test: two to four databases with populated tables, and for the Node tools processes that
 * compile TypeScript (about 3 s each); on a busy two-core machine all of it takes ten times longer.
 */
export const CASE_TIMEOUT = { timeout: 300_000 };

/** A migration tool, real or simulated, running a directory of written files. */
export interface Runner {
  format: string;
  /** Apply every migration in `dir`. */
  up(dir: string, url: string): Promise<void>;
  /** Undo the last `count` migrations (the whole plan), last first. */
  down(dir: string, url: string, count: number): Promise<void>;
  /** The tool's own bookkeeping tables (applied versions, locks), left out of comparisons. */
  bookkeeping: string[];
}

function expectSameSchema(
  runner: Runner,
  expected: SchemaSnapshot,
  actual: SchemaSnapshot,
  what: string,
): void {
  const ignored = ['schemapilot_archive', ...runner.bookkeeping.map((t) => `public.${t}`)];
  const differences = diffSnapshots(expected, actual).filter(
    (d) => !ignored.some((i) => d.object.includes(i)),
  );
  expect(formatDifferences(differences), `${runner.format}: ${what}`).toBe('');
}

async function checksum(client: pg.Client, data: DataCheck): Promise<string> {
  const { rows } = await client.query<{ sum: string }>(
    `SELECT md5(string_agg(concat_ws('|', ${data.columns.join(', ')}), ',' ORDER BY id)) AS sum FROM ${data.table}`,
  );
  return rows[0]?.sum ?? '';
}

/** The schema the original SQL leaves, computed once per server and case. */
export function intendedSchemas(target: PgTarget): (c: WriterCase) => Promise<SchemaSnapshot> {
  const cache = new Map<string, Promise<SchemaSnapshot>>();
  return (c) => {
    let found = cache.get(c.sql);
    if (!found) {
      found = (async () => {
        const naive = await createTempDatabase(target, SETUP);
        try {
          await naive.client.query(c.sql);
          return await inspectPostgres(naive.url);
        } finally {
          await naive.drop();
        }
      })();
      cache.set(c.sql, found);
    }
    return found;
  };
}

async function planOn(db: TempDatabase, c: WriterCase): Promise<{ plan: Plan; original: SchemaSnapshot }> {
  const original = await inspectPostgres(db.url);
  const p = await plan({
    files: [inlineMigration('m.sql', c.sql, 'plain')],
    snapshot: original,
    options: c.options,
  });
  const statements = p.steps.flatMap((s) => s.sql);
  for (const pattern of c.planHas)
    expect(
      statements.some((s) => pattern.test(s)),
      `the plan of "${c.sql}" has ${pattern}: ${statements.join('\n')}`,
    ).toBe(true);
  return { plan: p, original };
}

/** Apply `p` with the runner and undo it with the runner; the schema must be `original` again. */
async function upAndDown(runner: Runner, db: TempDatabase, p: Plan, original: SchemaSnapshot): Promise<void> {
  const written = await writePlanDir(runner.format, p);
  try {
    await runner.up(written.dir, db.url);
    await runner.down(written.dir, db.url, p.steps.length);
    expectSameSchema(runner, original, await inspectPostgres(db.url), 'schema after its rollback');
  } finally {
    await written.remove();
  }
}

export async function checkCase(
  target: PgTarget,
  runner: Runner,
  c: WriterCase,
  intended: Promise<SchemaSnapshot>,
): Promise<void> {
  const db = await createTempDatabase(target, SETUP);
  let prefixDb: TempDatabase | undefined;
  try {
    const { plan: p, original } = await planOn(db, c);
    const before = c.dataAfterUp ? await checksum(db.client, c.dataAfterUp) : '';
    const beforeDown = c.dataAfterDown ? await checksum(db.client, c.dataAfterDown) : '';
    const written = await writePlanDir(runner.format, p);
    try {
      await runner.up(written.dir, db.url);
      expectSameSchema(
        runner,
        await intended,
        await inspectPostgres(db.url),
        'plan result vs the original SQL',
      );
      for (const check of c.afterUp ?? []) {
        const { rows } = await db.client.query<{ ok: boolean }>(`SELECT (${check.sql}) AS ok`);
        expect(rows[0]?.ok, `${runner.format}: ${check.description}`).toBe(true);
      }
      if (c.dataAfterUp) expect(await checksum(db.client, c.dataAfterUp), 'data after the plan').toBe(before);

      const firstIrreversible = p.steps.findIndex((s) => !s.reversible);
      if (firstIrreversible < 0) {
        await runner.down(written.dir, db.url, p.steps.length);
        expectSameSchema(runner, original, await inspectPostgres(db.url), 'schema after its rollback');
        if (c.dataAfterDown)
          expect(await checksum(db.client, c.dataAfterDown), 'data after the rollback').toBe(beforeDown);
      } else if (firstIrreversible > 0) {
        // Roll back what can be rolled back: the steps before the first irreversible one.
        prefixDb = await createTempDatabase(target, SETUP);
        await upAndDown(runner, prefixDb, { ...p, steps: p.steps.slice(0, firstIrreversible) }, original);
      }
    } finally {
      await written.remove();
    }
  } finally {
    await Promise.all([db.drop(), prefixDb?.drop()]);
  }
}

/** The hostile plan: the server must hold exactly the text and names the plan's SQL spells. */
export async function checkHostile(target: PgTarget, runner: Runner): Promise<void> {
  const db = await createTempDatabase(target, SETUP);
  try {
    const original = await inspectPostgres(db.url);
    const written = await writePlanDir(runner.format, HOSTILE_PLAN);
    try {
      await runner.up(written.dir, db.url);
      expect(await hostileResult(db.client)).toEqual({
        comment: HOSTILE_TEXT,
        functionResult: HOSTILE_TEXT,
        index: HOSTILE_INDEX,
      });
      await runner.down(written.dir, db.url, HOSTILE_PLAN.steps.length);
      expectSameSchema(runner, original, await inspectPostgres(db.url), 'schema after its rollback');
    } finally {
      await written.remove();
    }
  } finally {
    await db.drop();
  }
}
