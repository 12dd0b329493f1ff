/**
 * MySQL plans written for each migration tool and run on MariaDB as the tool runs them (dbmate,
 * Knex and the mariadb client for real; Flyway, golang-migrate and Prisma simulated,
 * support/mysql-runners.ts): the files must leave the schema the statement as written leaves,
 * keep the data, and the tool's rollback must bring the original schema back. A plan with a step
 * only an online schema change tool can run is refused by every writer.
 */
import { describe, expect, it } from 'vitest';
import type { Plan } from '../../../src/core/plan.js';
import { inspectMysql } from '../../../src/dialects/mysql/introspect.js';
import { connectMysql } from '../../../src/dialects/mysql/connect.js';
import type { SchemaSnapshot } from '../../../src/core/snapshot.js';
import { PLAN_WRITERS } from '../../../src/api/write.js';
import { adminRun, createTempDatabase, describeMysql } from '../../dialects/mysql/support.js';
import { FIXTURE, planFor, shape } from '../../planner/mysql/support.js';
import { CASE_TIMEOUT, type Runner } from './support/harness.js';
import { WRITE_OPTIONS, writePlanDir } from './support/files.js';
import { dbmate, flyway, golangMigrate, knex, mariadbClient, prisma } from './support/mysql-runners.js';

const RUNNERS: Runner[] = [flyway, golangMigrate, dbmate, prisma, knex, mariadbClient];

interface Case {
  name: string;
  sql: string;
  prelude?: string;
  /** The data the plan must keep: before on the original column, after on the planned one. */
  data?: { before: string; after: string };
}

const values = (column: string) =>
  `SELECT GROUP_CONCAT(id, ':', COALESCE(${column}, '~') ORDER BY id SEPARATOR ',') AS v FROM users`;

const CASES: Case[] = [
  {
    name: 'rename with sync triggers, a backfill and index copies',
    sql: 'ALTER TABLE users RENAME COLUMN email TO mail',
    data: { before: values('email'), after: values('mail') },
  },
  {
    name: 'a type change swapped under LOCK TABLES',
    sql: 'ALTER TABLE users MODIFY n bigint NOT NULL',
    data: { before: values('n'), after: values('n') },
  },
  {
    name: 'NOT NULL after a backfill, a per-row default, pinned index statements',
    sql: [
      'ALTER TABLE users MODIFY c int NOT NULL DEFAULT 0',
      'ALTER TABLE users ADD COLUMN token char(36) DEFAULT (uuid())',
      'CREATE INDEX users_note ON users (note)',
      'DROP INDEX users_n_c ON users',
    ].join(';\n'),
    prelude: 'UPDATE users SET c = 0 WHERE c IS NULL',
    data: { before: values('COALESCE(c, 0)'), after: values('c') },
  },
  {
    // Knex's mysql2 client sends a raw statement without bindings as it is: a `?` stays a `?`.
    name: 'quotes, backslashes and question marks reach the server unchanged',
    sql: "ALTER TABLE users ADD COLUMN q varchar(20) NOT NULL DEFAULT 'it''s ?' COMMENT 'why? \\\\ \"x\"'",
    data: { before: "SELECT 'it''s ?' AS v", after: 'SELECT MIN(q) AS v FROM users' },
  },
];

/** The snapshot without the tool's bookkeeping tables. */
function tablesOf(snapshot: SchemaSnapshot, runner: Runner): unknown {
  return shape({ ...snapshot, tables: snapshot.tables.filter((t) => !runner.bookkeeping.includes(t.name)) });
}

async function valueOf(url: string, sql: string): Promise<string> {
  const session = await connectMysql(url);
  try {
    return String((await session.rows<{ v: unknown }>(sql))[0]?.v);
  } finally {
    await session.close();
  }
}

describeMysql('plan writers run on MariaDB as their tools run them', (serverUrl) => {
  for (const runner of RUNNERS) {
    describe.concurrent(runner.format, () => {
      for (const c of CASES) {
        it(
          `${c.name}: the files give the intended schema and keep the data, their rollback the original`,
          CASE_TIMEOUT,
          async () => {
            const naive = await createTempDatabase(serverUrl, FIXTURE);
            const db = await createTempDatabase(serverUrl, FIXTURE);
            try {
              await adminRun(naive.url, [...(c.prelude ? [c.prelude] : []), ...c.sql.split(/;\n/)]);
              const intended = await inspectMysql(naive.url);
              const original = await inspectMysql(db.url);
              const p: Plan = await planFor(db.url, db.name, c.sql, 'none');
              const before = c.data ? await valueOf(db.url, c.data.before) : '';
              const written = await writePlanDir(runner.format, p);
              try {
                await runner.up(written.dir, db.url);
                expect(
                  tablesOf(await inspectMysql(db.url), runner),
                  `${runner.format}: after the files`,
                ).toEqual(tablesOf(intended, runner));
                if (c.data) expect(await valueOf(db.url, c.data.after)).toBe(before);
                await runner.down(written.dir, db.url, p.steps.length);
                expect(
                  tablesOf(await inspectMysql(db.url), runner),
                  `${runner.format}: after the rollback`,
                ).toEqual(tablesOf(original, runner));
              } finally {
                await written.remove();
              }
            } finally {
              await Promise.all([naive.drop(), db.drop()]);
            }
          },
        );
      }
    });
  }

  it('every writer refuses a plan with a pt-online-schema-change step, naming the step and what to do', async () => {
    const db = await createTempDatabase(serverUrl, FIXTURE);
    try {
      const p = await planFor(
        db.url,
        db.name,
        'ALTER TABLE users MODIFY n bigint NOT NULL',
        'pt-online-schema-change',
      );
      expect(p.steps.map((s) => s.tool?.name)).toEqual(['pt-online-schema-change']);
      for (const writer of PLAN_WRITERS)
        expect(() => writer.write(p, WRITE_OPTIONS), writer.format).toThrow(
          /step expand-1 is run by pt-online-schema-change.*"onlineSchemaChange": "none"/,
        );
    } finally {
      await db.drop();
    }
  });
});
