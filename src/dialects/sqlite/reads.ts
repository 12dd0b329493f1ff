/**
 * Plain reads on a SQLite session (core/dialect/driver.ts PlainReads): a migration tool's
 * history table, read with SQL the engine writes. Unqualified names resolve to `main`; there is
 * no information_schema, so whether the table exists is asked of sqlite_schema.
 */
import type { PlainReads } from '../../core/dialect/driver.js';
import { sqliteSession } from './session.js';

export const sqliteReads: PlainReads = {
  currentSchema: () => Promise.resolve('main'),
  select(session, sql) {
    // A prepared statement is one statement; SQLite says whether it writes, and one that does is
    // refused here whatever the session (a read-only one would refuse it too).
    const statement = sqliteSession(session).db.prepare(sql);
    if (!statement.reader || !statement.readonly)
      return Promise.reject(new Error(`not a read: ${sql.slice(0, 60)}`));
    return Promise.resolve(statement.all() as Record<string, unknown>[]);
  },
  tableExists(session, schema, table) {
    const s = sqliteSession(session);
    if (schema !== 'main' && schema !== 'temp') return Promise.resolve(false);
    const rows = s.rows<{ n: number }>(
      `SELECT count(*) AS n FROM ${schema === 'temp' ? 'sqlite_temp_schema' : 'sqlite_schema'} WHERE type IN ('table', 'view') AND name = ?`,
      table,
    );
    return Promise.resolve((rows[0]?.n ?? 0) > 0);
  },
};
