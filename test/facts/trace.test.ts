/**
 * The trace API itself (src/validate/trace.ts): what it reports for a plain statement, that a
 * wait it cannot end fails within its timeout instead of hanging, and that errors keep their
 * SQLSTATE. The facts suites exercise it on every statement kind.
 */
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  acceptsTransactionBlock,
  traceStatement,
  TraceError,
} from '../../src/dialects/postgres/validate/trace.js';
import { createTempDatabase, describePg, type TempDatabase } from '../support/pg.js';

const SETUP = `CREATE TABLE t (id int PRIMARY KEY, a int);
INSERT INTO t SELECT g, g FROM generate_series(1, 20) g;
CREATE INDEX t_a_idx ON t (a);`;

describePg('trace', (target) => {
  let db: TempDatabase;
  const others: pg.Client[] = [];
  const connect = async () => {
    const client = new pg.Client({ connectionString: db.url });
    client.on('error', () => undefined);
    await client.connect();
    others.push(client);
    return client;
  };

  beforeAll(async () => {
    db = await createTempDatabase(target, SETUP);
  });
  afterAll(async () => {
    await Promise.all(others.map((c) => c.end().catch(() => undefined)));
    await db?.drop();
  });

  it('reports locks, new files and scans of a statement in a transaction, and rolls it back', async () => {
    const trace = await traceStatement(db.client, 'ALTER TABLE t ALTER COLUMN a TYPE bigint');
    expect(trace.inTransaction).toBe(true);
    expect(trace.locks).toContainEqual({
      relation: 'public.t',
      kind: 'table',
      mode: 'ACCESS EXCLUSIVE',
      granted: true,
      existedBefore: true,
    });
    expect(trace.rewrittenTables).toEqual(['public.t']);
    expect(trace.emptiedTables).toEqual([]);
    expect(trace.rebuiltIndexes.map((i) => i.index).sort()).toEqual(['public.t_a_idx', 'public.t_pkey']);
    // One read for the rewrite, one per index rebuilt.
    expect(trace.scans).toMatchObject([{ table: 'public.t', seqScans: 3, indexScans: 0 }]);
    const { rows } = await db.client.query<{ type: string }>(
      `SELECT format_type(atttypid, atttypmod) AS type FROM pg_attribute WHERE attrelid = 't'::regclass AND attname = 'a'`,
    );
    expect(rows[0]?.type).toBe('integer');
  });

  it('tells TRUNCATE (new, empty files, nothing read) from a rewrite', async () => {
    const trace = await traceStatement(db.client, 'TRUNCATE t');
    expect(trace.emptiedTables).toEqual(['public.t']);
    expect(trace.rewrittenTables).toEqual([]);
    // Its indexes start over empty: not rebuilt from rows.
    expect(trace.rebuiltIndexes).toEqual([]);
  });

  it('keeps the SQLSTATE of a failing statement', async () => {
    const error = await traceStatement(db.client, 'ALTER TABLE t ADD CONSTRAINT neg CHECK (a < 0)').catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TraceError);
    expect((error as TraceError).code).toBe('23514');
  });

  it('gives up on a lock it waits for after timeoutMs', async () => {
    const holder = await connect();
    await holder.query('BEGIN');
    await holder.query('LOCK TABLE t IN ACCESS SHARE MODE');
    try {
      const error = await traceStatement(db.client, 'DROP INDEX t_a_idx', { timeoutMs: 300 }).catch(
        (e: unknown) => e,
      );
      // lock_not_available or query_canceled: lock_timeout and statement_timeout are both set to it.
      expect(error).toBeInstanceOf(TraceError);
      expect(['55P03', '57014']).toContain((error as TraceError).code);
    } finally {
      await holder.query('ROLLBACK');
    }
  });

  it('outside a transaction: a wait no blocker explains is cancelled, not waited out', async () => {
    const holder = await connect();
    await holder.query('BEGIN');
    await holder.query('LOCK TABLE t IN ROW EXCLUSIVE MODE');
    try {
      const started = Date.now();
      const error = await traceStatement(db.client, 'CREATE INDEX CONCURRENTLY t_a2_idx ON t (a)', {
        mode: 'blocked',
        connect,
        blockers: [],
        timeoutMs: 500,
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TraceError);
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      await holder.query('ROLLBACK');
      await db.client.query('DROP INDEX IF EXISTS t_a2_idx');
    }
  });

  it('tells statements that refuse a transaction block from those that accept one', async () => {
    expect(await acceptsTransactionBlock(db.client, 'CREATE INDEX CONCURRENTLY t_a3_idx ON t (a)')).toBe(
      false,
    );
    expect(await acceptsTransactionBlock(db.client, 'CREATE INDEX t_a3_idx ON t (a)')).toBe(true);
    const { rows } = await db.client.query(`SELECT 1 FROM pg_class WHERE relname = 't_a3_idx'`);
    expect(rows).toEqual([]);
  });
});
