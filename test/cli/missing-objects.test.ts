/**
 * Against a live schema, a statement naming a table or column that is not there fails on the
 * server; analyze says so as an error (exit 1) and plan refuses to plan it (exit 2, nothing
 * written). The server's own error is the reference: each case is run there first.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { createTempDatabase, describePg, type TempDatabase } from '../support/pg.js';
import { expectUsageError, json } from './support.js';

const SCHEMA = 'CREATE TABLE users (id bigint PRIMARY KEY, email text);';

describePg('statements on objects that do not exist', (target) => {
  let db: TempDatabase;
  beforeAll(async () => {
    db = await createTempDatabase(target, SCHEMA);
  });
  afterAll(async () => {
    await db?.drop();
  });

  async function serverError(sql: string): Promise<string | null> {
    await db.client.query('BEGIN');
    try {
      await db.client.query(sql);
      return null;
    } catch (error) {
      return (error as { code?: string }).code ?? 'unknown';
    } finally {
      await db.client.query('ROLLBACK');
    }
  }

  const cases = [
    { sql: 'ALTER TABLE no_such_table ADD COLUMN a int', code: '42P01' },
    { sql: 'ALTER TABLE users ALTER COLUMN no_such_col SET NOT NULL', code: '42703' },
    { sql: 'ALTER TABLE users ADD COLUMN email text', code: '42701' },
    { sql: 'CREATE INDEX users_x ON users (no_such_col)', code: '42703' },
  ];

  for (const c of cases) {
    it(`analyze --db reports what the server refuses: ${c.sql}`, async () => {
      expect(await serverError(c.sql)).toBe(c.code);
      const result = await runCli(['analyze', '--db', db.url, '--change', c.sql, '--format', 'json']);
      expect(result.code, result.stderr).toBe(1);
      const finding = json(result).statements[0]?.findings.find((f) => f.rule === 'missing-object');
      expect(finding?.severity).toBe('error');
      expect(finding?.message).toContain(c.code);
    });
  }

  it('a statement the server accepts gets no missing-object finding', async () => {
    const sql = 'ALTER TABLE users ADD COLUMN IF NOT EXISTS email text';
    expect(await serverError(sql)).toBeNull();
    const result = await runCli(['analyze', '--db', db.url, '--change', sql, '--format', 'json']);
    expect(json(result).statements[0]?.findings.map((f) => f.rule)).not.toContain('missing-object');
  });

  it('plan --db refuses a missing column with one line and exit 2, writing nothing', async () => {
    const result = await runCli([
      'plan',
      '--db',
      db.url,
      '--change',
      'ALTER TABLE users ALTER COLUMN no_such_col SET NOT NULL',
    ]);
    expectUsageError(
      result,
      /:1:1: cannot plan: public\.users has no column "no_such_col".*\[missing-object\]/,
    );
  });
});
