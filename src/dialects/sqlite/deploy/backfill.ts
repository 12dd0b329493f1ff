/**
 * One batch of a deploy-run backfill on SQLite: its own `BEGIN IMMEDIATE` transaction (the
 * database's write lock, waited for up to busy_timeout = the step's lock timeout, then
 * SQLITE_BUSY, which deploy retries), so the lock is held for one batch and writers get a turn
 * between batches. A batch is the next `limit` keys still to do after the last one (a keyset
 * range read first), then one UPDATE over that range; a table without a declared key walks its
 * rowid. The pacing is src/deploy/backfill.ts's. A statement cannot be stopped once it runs
 * (session.ts): the statement timeout is not enforced, a batch's size is what bounds it.
 * https://www.sqlite.org/lang_transaction.html
 */
import type { BackfillDriver } from '../../../core/dialect/deploy.js';
import type { BackfillSpec } from '../../../core/plan.js';
import { quoteIdent } from '../quote.js';
import { sqliteSession, type SqliteSession } from '../session.js';

/** A plan's `main.orders`: the table in the file the session opened. */
function tableName(table: string): string {
  return table.slice(table.indexOf('.') + 1);
}

export const sqliteBackfill: BackfillDriver = {
  estimateRows(session, table) {
    const s = sqliteSession(session);
    try {
      const [row] = s.rows<{ n: number }>(`SELECT count(*) AS n FROM ${quoteIdent(tableName(table))}`);
      return Promise.resolve(row ? Number(row.n) : null);
    } catch {
      return Promise.resolve(null);
    }
  },

  async batch(session, spec, at, inside) {
    const s = sqliteSession(session);
    const busy = Number(s.db.pragma('busy_timeout', { simple: true }));
    s.db.pragma(`busy_timeout = ${Math.max(0, Math.round(at.lockTimeoutMs))}`);
    try {
      s.db.exec('BEGIN IMMEDIATE');
      try {
        const done = runBatch(s, spec, at.lastKey, at.limit);
        if (done.rows > 0) await inside(done);
        s.db.exec('COMMIT');
        return done;
      } catch (error) {
        if (s.db.inTransaction) s.db.exec('ROLLBACK');
        throw error;
      }
    } finally {
      s.db.pragma(`busy_timeout = ${busy}`);
    }
  },

  /** A SQLite file has no replicas SQLite knows of (Litestream and LiteFS copy it from outside). */
  replicaLagMs() {
    return Promise.resolve(0);
  },
};

function runBatch(
  s: SqliteSession,
  spec: BackfillSpec,
  lastKey: string | null,
  limit: number,
): { rows: number; lastKey: string | null } {
  const table = quoteIdent(tableName(spec.table));
  const set = spec.set.map((x) => `${quoteIdent(x.column)} = ${x.expression}`).join(', ');
  const size = Math.max(1, Math.floor(limit));
  const keys = spec.keyColumns.length > 0 ? spec.keyColumns.map(quoteIdent) : ['rowid'];
  const tuple = keys.length === 1 ? (keys[0] as string) : `(${keys.join(', ')})`;
  const marks = keys.length === 1 ? '?' : `(${keys.map(() => '?').join(', ')})`;
  const previous = lastKey === null ? [] : (JSON.parse(lastKey) as unknown[]);
  const after = previous.length === 0 ? '1' : `${tuple} > ${marks}`;
  const batch = s.db
    .prepare(
      `SELECT ${keys.join(', ')} FROM ${table} WHERE ${after} AND (${spec.remaining})
        ORDER BY ${keys.join(', ')} LIMIT ${size}`,
    )
    .raw()
    .all(...previous) as unknown[][];
  const last = batch[batch.length - 1];
  if (!last) return { rows: 0, lastKey };
  const result = s.db
    .prepare(`UPDATE ${table} SET ${set} WHERE ${after} AND ${tuple} <= ${marks} AND (${spec.remaining})`)
    .run(...previous, ...last);
  return { rows: result.changes, lastKey: JSON.stringify(last) };
}
