/**
 * Every MySQL recipe on the real MariaDB: the plan, applied by the step runner to a populated
 * table, must leave the schema the statement as written leaves (run on a twin database, both
 * inspected, compared column order included), keep the data, and its rollbacks, run last step
 * first, must bring the original schema back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OnlineSchemaChange } from '../../../src/config/mysql.js';
import type { Plan } from '../../../src/core/plan.js';
import { connectMysql } from '../../../src/dialects/mysql/connect.js';
import { inspectMysql } from '../../../src/dialects/mysql/introspect.js';
import {
  adminRun,
  createTempDatabase,
  describeMysql,
  type TempDatabase,
} from '../../dialects/mysql/support.js';
import { applyAll, configFor, FIXTURE, planFor, rollbackAll, shape } from './support.js';
import { checkPlan } from '../../../src/api/plan.js';
import { mysqlDialect } from '../../../src/dialects/mysql/index.js';
import { hasCommand } from '../../formats/write/support/run.js';
import { missingDatabase } from '../../support/pg.js';

interface Case {
  name: string;
  sql: string;
  tool?: OnlineSchemaChange;
  /** Run on the twin before the statement, where the statement as written would fail on the data. */
  prelude?: string;
  /** What the plan must be made of (phases, a tool step), so the case proves the route it names. */
  route(p: Plan): void;
  /** The data to keep: a query over the planned database after the plan, and over the original before. */
  data?: { before: string; after: string };
}

const usersData = (column: string) =>
  `SELECT GROUP_CONCAT(id, ':', COALESCE(${column}, '~') ORDER BY id SEPARATOR ',') AS v FROM users`;

const phases = (p: Plan) => p.steps.map((s) => s.phase).join(' ');

const withPt = await hasCommand('pt-online-schema-change');
if (!withPt)
  missingDatabase(
    'plan steps run by pt-online-schema-change',
    'percona-toolkit',
    'pt-online-schema-change is not on PATH',
  );

const CASES: Case[] = [
  {
    name: 'RENAME COLUMN: add, sync triggers, backfill, index copies, switch, drop',
    sql: 'ALTER TABLE users RENAME COLUMN email TO mail',
    route: (p) => expect(phases(p)).toBe('expand backfill expand contract contract'),
    data: { before: usersData('email'), after: usersData('mail') },
  },
  {
    name: 'CHANGE to a new name with the same definition is a rename',
    sql: 'ALTER TABLE users CHANGE note remark varchar(20) NULL',
    route: (p) => expect(phases(p)).toBe('expand backfill contract'),
    data: { before: usersData('note'), after: usersData('remark') },
  },
  {
    name: 'MODIFY int → bigint without a tool: expand/contract with a swap',
    sql: 'ALTER TABLE users MODIFY n bigint NOT NULL',
    tool: 'none',
    route: (p) => expect(phases(p)).toBe('expand backfill expand expand validate validate contract'),
    data: { before: usersData('n'), after: usersData('n') },
  },
  {
    name: 'NULL → NOT NULL with a default: backfill the NULLs, then MODIFY in place',
    sql: 'ALTER TABLE users MODIFY c int NOT NULL DEFAULT 0',
    // In strict mode the statement fails on the NULLs; the plan gives them the default first.
    prelude: 'UPDATE users SET c = 0 WHERE c IS NULL',
    route: (p) => expect(phases(p)).toBe('backfill validate'),
    data: {
      before: usersData('COALESCE(c, 0)'),
      after: usersData('c'),
    },
  },
  {
    name: 'ADD COLUMN … DEFAULT (uuid()): nullable, default, backfill',
    sql: 'ALTER TABLE users ADD COLUMN token char(36) DEFAULT (uuid())',
    route: (p) => expect(phases(p)).toBe('expand expand backfill'),
    data: {
      before: 'SELECT COUNT(*) AS v FROM users',
      after: 'SELECT COUNT(DISTINCT token) AS v FROM users',
    },
  },
  {
    name: 'several clauses and index statements, each its own pinned step',
    sql: [
      'ALTER TABLE users ADD COLUMN flag tinyint NOT NULL DEFAULT 0, ADD INDEX users_flag (flag)',
      'CREATE INDEX users_note ON users (note)',
      'DROP INDEX users_n_c ON users',
    ].join(';\n'),
    route: (p) => {
      expect(p.steps.map((s) => s.sql.join(' ')).join('\n')).toMatch(/ALGORITHM=/);
      expect(p.steps.every((s) => /ALGORITHM=/.test(s.sql.join(' ')))).toBe(true);
    },
  },
  ...(withPt
    ? [
        {
          name: 'MODIFY int → bigint with pt-online-schema-change',
          sql: 'ALTER TABLE users MODIFY n bigint NOT NULL',
          tool: 'pt-online-schema-change' as const,
          route: (p: Plan) =>
            expect(p.steps.map((s) => s.tool?.name ?? null)).toEqual(['pt-online-schema-change']),
          data: { before: usersData('n'), after: usersData('n') },
        },
      ]
    : []),
];

describeMysql('MySQL plans applied and rolled back on MariaDB', (serverUrl) => {
  const dbs: TempDatabase[] = [];
  const fresh = async () => {
    const db = await createTempDatabase(serverUrl, FIXTURE);
    dbs.push(db);
    return db;
  };
  beforeAll(async () => {
    await adminRun(serverUrl, ['SELECT 1']);
  });
  afterAll(async () => {
    await Promise.all(dbs.map((d) => d.drop()));
  });

  for (const c of CASES) {
    describe(c.name, () => {
      it('the plan gives the intended schema and keeps the data; its rollback the original schema', async () => {
        const naive = await fresh();
        await adminRun(naive.url, [...(c.prelude ? [c.prelude] : []), ...c.sql.split(/;\n/)]);
        const intended = await inspectMysql(naive.url);

        // Planned on one database, applied on a twin of another name (as validate and staging
        // do): nothing in the plan may name the database it was made on.
        const planned = await fresh();
        const p = await planFor(planned.url, planned.name, c.sql, c.tool ?? 'pt-online-schema-change');
        c.route(p);
        // The engine's own verdict on the plan's steps: no error left (as for PostgreSQL's recipes).
        const errors = (
          await checkPlan(
            p,
            await inspectMysql(planned.url),
            configFor(planned.name, c.tool ?? 'pt-online-schema-change'),
            mysqlDialect,
          )
        ).filter((f) => f.severity === 'error');
        expect(errors.map((f) => `${f.rule}: ${f.message}`)).toEqual([]);
        const db = await fresh();
        const original = await inspectMysql(db.url);
        const session = await connectMysql(db.url);
        try {
          const value = async (sql: string) => String((await session.rows<{ v: unknown }>(sql))[0]?.v);
          const before = c.data ? await value(c.data.before) : '';
          await applyAll(session, p.steps);
          expect(shape(await inspectMysql(db.url)), 'plan result vs the statement as written').toEqual(
            shape(intended),
          );
          if (c.data) expect(await value(c.data.after)).toBe(before);
          await rollbackAll(session, p.steps);
          expect(shape(await inspectMysql(db.url)), 'after rolling every step back').toEqual(shape(original));
        } finally {
          await session.close();
        }
      });
    });
  }
});
