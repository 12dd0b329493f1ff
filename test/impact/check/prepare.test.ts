/**
 * PostgreSQL's QueryChecker on its own: compiles without running, leaves no prepared statement
 * or transaction behind, does not count an uninferable parameter as a break, skips DDL, and
 * checks each statement of a multi-statement string.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Session } from '../../../src/core/dialect/driver.js';
import { postgresDialect } from '../../../src/dialects/postgres/index.js';
import { pgClient } from '../../../src/dialects/postgres/session.js';
import { createTempDatabase, describePg, type TempDatabase } from '../../support/pg.js';
import { SCHEMA } from './support.js';

describePg('PostgreSQL QueryChecker', (target) => {
  let db: TempDatabase;
  let session: Session;
  const prepare = (sql: string, parameters = 0) =>
    postgresDialect.driver!.impact!.prepare(session, sql, parameters);

  beforeAll(async () => {
    db = await createTempDatabase(target, SCHEMA);
    session = await postgresDialect.driver!.connect(db.url, { applicationName: 'impact test' });
  });
  afterAll(async () => {
    await session?.close();
    await db?.drop();
  });

  it('gives the server error of a query that does not compile, and null for one that does', async () => {
    expect(await prepare('SELECT full_name FROM users WHERE id = $1', 1)).toEqual({
      code: '42703',
      message: 'column "full_name" does not exist',
    });
    expect(await prepare('SELECT name FROM users WHERE id = $1', 1)).toBeNull();
    expect(await prepare('SELEC 1')).toMatchObject({ code: '42601' });
  });

  it('does not count an uninferable parameter as a break, nor declares every parameter text', async () => {
    // The server alone refuses it with 42P18.
    await expect(db.client.query('PREPARE p AS SELECT 1 FROM users WHERE $1 IS NULL')).rejects.toMatchObject({
      code: '42P18',
    });
    expect(await prepare('SELECT 1 FROM users WHERE $1 IS NULL AND id = $2', 2)).toBeNull();
    expect(await prepare('SELECT $2::int', 2)).toBeNull();
    // id = $1 with $1 text would be 42883: the inferred parameter keeps its inferred type.
    expect(await prepare('SELECT 1 FROM users WHERE id = $1 AND $2 IS NULL', 2)).toBeNull();
  });

  it('executes nothing and leaves no prepared statement or transaction', async () => {
    expect(await prepare("INSERT INTO teams (id, name) VALUES (1, 'x')")).toBeNull();
    expect(await prepare('DELETE FROM teams')).toBeNull();
    expect(await prepare('SELECT nope FROM users')).not.toBeNull();
    const client = pgClient(session);
    const state = await client.query<{ prepared: number; idle: boolean }>(
      `SELECT (SELECT count(*)::int FROM pg_prepared_statements) AS prepared,
              xact_start = query_start AS idle
         FROM pg_stat_activity WHERE pid = pg_backend_pid()`,
    );
    expect(state.rows[0]).toEqual({ prepared: 0, idle: true });
    expect((await db.client.query('SELECT count(*)::int AS n FROM teams')).rows[0]).toEqual({ n: 0 });
  });

  it('does not prepare DDL or transaction statements, and checks each statement of a string', async () => {
    expect(await prepare('TRUNCATE teams')).toEqual({ notCheckable: expect.stringContaining('Truncate') });
    expect(await prepare('BEGIN')).toMatchObject({ notCheckable: expect.any(String) });
    expect(await prepare('DROP TABLE teams; SELECT 1')).toBeNull();
    expect(await prepare('SELECT 1; SELECT nope FROM teams')).toMatchObject({ code: '42703' });
    // Never run: the table is still there.
    expect((await db.client.query(`SELECT to_regclass('teams') IS NOT NULL AS there`)).rows[0]).toEqual({
      there: true,
    });
  });

  it('prepareAll gives each query the answer prepare gives it alone, and leaves nothing behind', async () => {
    const queries = [
      { sql: 'SELECT name FROM users WHERE id = $1', parameters: 1 },
      { sql: 'SELECT full_name FROM users', parameters: 0 },
      // 42P18 inside a batch: retried alone, not a break.
      { sql: 'SELECT email FROM users WHERE $1 IS NULL', parameters: 1 },
      { sql: 'SELECT 1; SELECT nope FROM teams; SELECT also_nope FROM teams', parameters: 0 },
      { sql: 'SELEC 1', parameters: 0 },
      { sql: 'TRUNCATE teams', parameters: 0 },
      { sql: 'SELECT id FROM orders -- a trailing comment', parameters: 0 },
      ...Array.from({ length: 250 }, (_, i) => ({
        sql: i % 50 === 7 ? `SELECT missing_${i} FROM teams` : `SELECT id, ${i} FROM orders`,
        parameters: 0,
      })),
    ];
    const alone = [];
    for (const q of queries) alone.push(await prepare(q.sql, q.parameters));
    const all = await postgresDialect.driver!.impact!.prepareAll!(session, queries);
    expect(all).toEqual(alone);
    expect(all.filter((o) => o && 'code' in o).length).toBe(8);
    expect(all[3]).toEqual({ code: '42703', message: 'column "nope" does not exist' });
    const state = await pgClient(session).query<{ prepared: number }>(
      'SELECT count(*)::int AS prepared FROM pg_prepared_statements',
    );
    expect(state.rows[0]).toEqual({ prepared: 0 });
  });
});
