/**
 * The "implicit transaction" model checked against PostgreSQL itself: golang-migrate, Prisma
 * before 7.4 and dbmate's transaction:false send a whole file as one simple query, as
 * node-postgres does for a query without parameters. Whether the server then refuses CREATE
 * INDEX CONCURRENTLY ("cannot run inside a transaction block", 25001) must match what the
 * analysis says about the statement.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { analyze } from '../../src/api/analyze.js';
import { readMigrations } from '../../src/api/read.js';
import { createTempDatabase, describePg, type TempDatabase } from '../support/pg.js';
import { LAYOUTS, tempLayout } from '../formats/support.js';

/** Send the text as the runner does (one simple query); true when the server refused CONCURRENTLY. */
async function refusedInTransaction(db: TempDatabase, sql: string): Promise<boolean> {
  try {
    await db.client.query(sql);
    return false;
  } catch (error) {
    // An explicit BEGIN in the text leaves its aborted transaction open: end it.
    await db.client.query('ROLLBACK');
    if ((error as { code?: string }).code === '25001') return true;
    throw error;
  }
}

/** Per file: does the analysis put a CONCURRENTLY statement inside a transaction? */
async function predicted(dir: string): Promise<{ path: string; text: string; inTransaction: boolean }[]> {
  const { files } = await readMigrations(dir);
  const result = await analyze({ files });
  return files.map((f) => ({
    path: f.path,
    text: f.sql,
    inTransaction: result.statements.some(
      (s) => s.file === f.path && s.transactional && /\bCONCURRENTLY\b/i.test(s.sql),
    ),
  }));
}

describePg('implicit transactions, as the server runs them', (target) => {
  let db: TempDatabase;
  beforeAll(async () => {
    db = await createTempDatabase(
      target,
      'CREATE TABLE users (id serial PRIMARY KEY, email text NOT NULL, created_at timestamptz NOT NULL DEFAULT now())',
    );
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('golang-migrate: the multi-statement file is refused, the single CONCURRENTLY is not', async () => {
    const files = await predicted(join(LAYOUTS, 'golang-migrate'));
    expect(files.map((f) => f.inTransaction)).toEqual([false, true, false]);
    for (const file of files) {
      expect(await refusedInTransaction(db, file.text), file.path).toBe(file.inTransaction);
    }
  });

  it('after a COMMIT, the rest of the query is in a new implicit transaction', async () => {
    const dir = tempLayout({
      '000004_backfill.up.sql':
        'BEGIN;\nUPDATE users SET email = lower(email);\nCOMMIT;\nCREATE INDEX CONCURRENTLY users_lower_email_idx ON users (email);\n',
    });
    const [file] = await predicted(dir);
    expect(file?.inTransaction).toBe(true);
    expect(await refusedInTransaction(db, file?.text ?? '')).toBe(true);
  });

  it('dbmate transaction:false: one statement runs alone, several share an implicit transaction', async () => {
    const dir = tempLayout({
      '20240201000000_one.sql':
        '-- migrate:up transaction:false\ncreate index concurrently users_created_idx on users (created_at);\n-- migrate:down\n',
      '20240202000000_two.sql':
        "-- migrate:up transaction:false\nset lock_timeout = '2s';\ncreate index concurrently users_id_email_idx on users (id, email);\n-- migrate:down\n",
    });
    const files = await predicted(dir);
    expect(files.map((f) => f.inTransaction)).toEqual([false, true]);
    // dbmate sends the up section; the blanked rest of the file is only whitespace.
    for (const file of files)
      expect(await refusedInTransaction(db, file.text), file.path).toBe(file.inTransaction);
  });
});
