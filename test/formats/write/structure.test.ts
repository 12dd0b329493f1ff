/**
 * What the written files hold, read with each language's own parser: every SQL statement a tool
 * will send parses with PostgreSQL's parser, every statement of the plan reaches the tool
 * unchanged (quoting and escaping survive), the Alembic file compiles with python3, the
 * TypeScript migrations typecheck against the tools' own type definitions (strict, no unused
 * names), and the writers refuse layouts their tool would run in a transaction.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Plan } from '../../../src/core/plan.js';
import { loadPostgresParser, parsePostgres } from '../../../src/dialects/postgres/parser.js';
import { PLAN_WRITERS as ALL_WRITERS, type WrittenFile } from '../../../src/api/write.js';
import { planSql } from '../../support/plan-helpers.js';
import { SNAPSHOT_SQL } from './support/cases.js';
import { alembicOperations, sqlalchemyText, tsStatements } from './support/extract.js';
import { WRITE_OPTIONS, writePlan } from './support/files.js';
import { HOSTILE_PLAN } from './support/hostile.js';
import { mustRun, REPO_ROOT } from './support/run.js';

/** The writers for PostgreSQL plans (Drizzle's are SQLite's: test/dialects/sqlite/plan/writers.test.ts). */
const PLAN_WRITERS = ALL_WRITERS.filter((w) => !w.dialects || w.dialects.includes('postgres'));

let dir: string;
const plans = new Map<string, Plan>([['hostile', HOSTILE_PLAN]]);
const PLAN_NAMES = ['every kind of step', 'hostile'];
const planNamed = (name: string): Plan => {
  const p = plans.get(name);
  if (!p) throw new Error(`no plan ${name}`);
  return p;
};
beforeAll(async () => {
  await loadPostgresParser();
  plans.set('every kind of step', await planSql(SNAPSHOT_SQL));
  dir = await mkdtemp(join(tmpdir(), 'sp-writer-structure-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function writeAll(sub: string, files: readonly WrittenFile[]): Promise<string> {
  const base = join(dir, sub);
  for (const f of files) {
    await mkdir(dirname(join(base, f.path)), { recursive: true });
    await writeFile(join(base, f.path), f.content);
  }
  return base;
}

/** The SQL the tool sends for the files, each string as one query. */
async function receivedSql(format: string, files: readonly WrittenFile[], base: string): Promise<string[]> {
  if (format === 'alembic') {
    const [file] = files;
    const revision = await alembicOperations(join(base, file?.path ?? ''));
    return [...revision.upgrade, ...revision.downgrade].map((op) => sqlalchemyText(op.sql));
  }
  if (format === 'knex' || format === 'node-pg-migrate')
    return files.flatMap((f) => tsStatements(f.path, f.content));
  // dbmate sends each section on its own; the others send or split a whole file.
  const sqlFiles = files.filter((f) => f.path.endsWith('.sql'));
  if (format === 'dbmate')
    return sqlFiles.flatMap((f) =>
      f.content.split(/^-- migrate:(?:up|down).*$/m).filter((s) => s.trim() !== ''),
    );
  return sqlFiles.map((f) => f.content);
}

describe.each(PLAN_NAMES)('files written for the %s plan', (name) => {
  for (const writer of PLAN_WRITERS) {
    it(`${writer.format}: every statement parses, and the plan's SQL reaches the tool unchanged`, async () => {
      const p = planNamed(name);
      const files = writer.write(p, WRITE_OPTIONS);
      const base = await writeAll(`${name.replace(/\W/g, '_')}/${writer.format}`, files);
      const received = await receivedSql(writer.format, files, base);
      for (const sql of received) expect(() => parsePostgres(sql, writer.format), sql).not.toThrow();
      const perStatement =
        writer.format === 'alembic' || writer.format === 'knex' || writer.format === 'node-pg-migrate';
      for (const sql of p.steps.flatMap((s) => [...s.sql, ...s.rollback])) {
        const found = perStatement
          ? received.includes(sql)
          : received.some((r) => r.includes(`${sql.trimEnd()};`));
        expect(found, `${writer.format} sends ${sql}`).toBe(true);
      }
    });
  }

  it('alembic: the revision file compiles with python3', async () => {
    const files = writePlan('alembic', planNamed(name));
    const base = await writeAll(`${name.replace(/\W/g, '_')}/py_compile`, files);
    await mustRun('python3', ['-m', 'py_compile', join(base, files[0]?.path ?? '')]);
  });
});

it('knex and node-pg-migrate: the TypeScript migrations typecheck (strict, no unused names)', async () => {
  const base = join(dir, 'typecheck');
  let n = 0;
  for (const p of plans.values())
    for (const format of ['knex', 'node-pg-migrate'])
      await writeAll(`typecheck/${format}-${n++}`, writePlan(format, p));
  const types = (pkg: string) => join(REPO_ROOT, 'node_modules', pkg);
  const tsconfig = {
    compilerOptions: {
      strict: true,
      noUncheckedIndexedAccess: true,
      noUnusedLocals: true,
      noUnusedParameters: true,
      noEmit: true,
      target: 'ES2022',
      module: 'ESNext',
      moduleResolution: 'Bundler',
      skipLibCheck: true,
      typeRoots: [types('@types')],
      types: ['node'],
      // The migrations live outside this repository: point their imports at its packages.
      paths: {
        knex: [types('knex/types/index.d.ts')],
        'node-pg-migrate': [types('node-pg-migrate/dist/bundle/index.d.ts')],
      },
    },
    include: ['**/*.ts'],
  };
  await writeFile(join(base, 'tsconfig.json'), JSON.stringify(tsconfig));
  await mustRun(process.execPath, [join(REPO_ROOT, 'node_modules/typescript/bin/tsc'), '-p', base]);
}, 120_000);

describe('writers refuse what their tool would run in a transaction', () => {
  const twoIndexes: Plan = {
    ...HOSTILE_PLAN,
    steps: [
      {
        ...(HOSTILE_PLAN.steps[1] as Plan['steps'][number]),
        sql: [
          'CREATE INDEX CONCURRENTLY a_idx ON users (email)',
          'CREATE INDEX CONCURRENTLY b_idx ON users (name)',
        ],
      },
    ],
  };

  it.each(['golang-migrate', 'dbmate', 'prisma'])(
    '%s: two statements that need no transaction in one step',
    (format) => {
      expect(() => writePlan(format, twoIndexes)).toThrow(/2 statements that must run outside a transaction/);
    },
  );

  it.each(['sql', 'flyway', 'alembic', 'node-pg-migrate', 'knex'])(
    '%s: runs them one by one, so accepts them',
    (format) => {
      expect(writePlan(format, twoIndexes).length).toBeGreaterThan(0);
    },
  );

  it('knex: a backslash right before ? (knex.raw would eat the backslash)', () => {
    const plan: Plan = {
      ...HOSTILE_PLAN,
      steps: [{ ...(HOSTILE_PLAN.steps[0] as Plan['steps'][number]), sql: [String.raw`SELECT 'a\?' ~ 'x'`] }],
    };
    expect(() => writePlan('knex', plan)).toThrow(/backslash before a \?/);
  });
});
