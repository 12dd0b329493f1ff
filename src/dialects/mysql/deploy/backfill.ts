/**
 * One batch of a deploy-run backfill on MySQL/MariaDB: its own short InnoDB transaction, its row
 * lock wait bounded by innodb_lock_wait_timeout and its metadata lock wait by lock_wait_timeout
 * (both seconds), its run time by max_statement_time on MariaDB. With a primary key, a batch is
 * the next `limit` keys still to do after the last one (a keyset range, read first because an
 * UPDATE cannot return what it changed), then one UPDATE over that range; without one,
 * `UPDATE … WHERE <remaining> LIMIT n` until nothing remains. The pacing is
 * src/deploy/backfill.ts's.
 * https://dev.mysql.com/doc/refman/8.0/en/innodb-parameters.html#sysvar_innodb_lock_wait_timeout
 */
import type { BackfillDriver } from '../../../core/dialect/deploy.js';
import type { BackfillSpec } from '../../../core/plan.js';
import { quoteMysqlIdent } from '../quote.js';
import { mysqlSession, type MysqlSession } from '../session.js';

/**
 * The table of `schema.table` as plans write it, in the session's database: a plan made on
 * `shop` and deployed to its twin `shop_staging` must backfill the twin, as every other step
 * of the plan runs there (steps/runner.ts leaves the database out the same way).
 */
function quoteTable(table: string): string {
  return quoteMysqlIdent(table.slice(table.indexOf('.') + 1));
}

/** Whole seconds, at least 1: what the lock wait settings take. */
function seconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}

/**
 * A key value as it travels in the journal's JSON keyset position: text, or bytes as
 * `{ "hex": … }` (a BINARY(16) uuid must come back as the same bytes).
 */
type KeyValue = string | { hex: string };

function toKey(value: unknown): KeyValue {
  if (Buffer.isBuffer(value)) return { hex: value.toString('hex') };
  return String(value);
}

function fromKey(value: KeyValue): string | Buffer {
  return typeof value === 'string' ? value : Buffer.from(value.hex, 'hex');
}

export const mysqlBackfill: BackfillDriver = {
  async estimateRows(session, table) {
    const dot = table.indexOf('.');
    const [row] = await mysqlSession(session).rows<{ n: string | number | null }>(
      `SELECT TABLE_ROWS AS n FROM information_schema.TABLES
        WHERE TABLE_SCHEMA = ${dot < 0 ? 'DATABASE()' : '?'} AND TABLE_NAME = ?`,
      dot < 0 ? [table] : [table.slice(0, dot), table.slice(dot + 1)],
    );
    const n = row?.n;
    return n === null || n === undefined ? null : Number(n);
  },

  async batch(session, spec, at, inside) {
    const s = mysqlSession(session);
    const mariadb = s.version.product === 'mariadb';
    await s.rows(`SET SESSION innodb_lock_wait_timeout = ${seconds(at.lockTimeoutMs)}`);
    await s.rows(`SET SESSION lock_wait_timeout = ${seconds(at.lockTimeoutMs)}`);
    if (mariadb)
      await s.rows(`SET SESSION max_statement_time = ${(at.statementTimeoutMs / 1000).toFixed(3)}`);
    try {
      await s.rows('START TRANSACTION');
      try {
        const done = await runBatch(s, spec, at.lastKey, at.limit);
        if (done.rows > 0) await inside(done);
        await s.rows('COMMIT');
        return done;
      } catch (error) {
        await s.rows('ROLLBACK').catch(() => undefined);
        throw error;
      }
    } finally {
      await s
        .rows('SET SESSION innodb_lock_wait_timeout = @@GLOBAL.innodb_lock_wait_timeout')
        .catch(() => undefined);
      await s.rows('SET SESSION lock_wait_timeout = @@GLOBAL.lock_wait_timeout').catch(() => undefined);
      if (mariadb)
        await s.rows('SET SESSION max_statement_time = @@GLOBAL.max_statement_time').catch(() => undefined);
    }
  },

  /**
   * A primary does not know how far behind its replicas are (they pull); pt-online-schema-change
   * and gh-ost connect to each replica for it. Not done here: 0, so nothing throttles on lag.
   */
  replicaLagMs() {
    return Promise.resolve(0);
  },
};

async function runBatch(
  s: MysqlSession,
  spec: BackfillSpec,
  lastKey: string | null,
  limit: number,
): Promise<{ rows: number; lastKey: string | null }> {
  const table = quoteTable(spec.table);
  const set = spec.set.map((x) => `${quoteMysqlIdent(x.column)} = ${x.expression}`).join(', ');
  const size = Math.max(1, Math.floor(limit));
  if (spec.keyColumns.length === 0) {
    // No primary key: InnoDB's row id is not reachable; the `remaining` predicate says what is left.
    const result = await s.rows(`UPDATE ${table} SET ${set} WHERE (${spec.remaining}) LIMIT ${size}`);
    return { rows: affected(result), lastKey: null };
  }
  const keys = spec.keyColumns.map(quoteMysqlIdent);
  const tuple = keys.length === 1 ? (keys[0] as string) : `(${keys.join(', ')})`;
  const marks = (n: number) => (n === 1 ? '?' : `(${Array.from({ length: n }, () => '?').join(', ')})`);
  const previous = lastKey === null ? [] : (JSON.parse(lastKey) as KeyValue[]).map(fromKey);
  const after = previous.length === 0 ? 'TRUE' : `${tuple} > ${marks(keys.length)}`;
  // FOR UPDATE: the rows of the range stay ours until the UPDATE below changes them.
  const batch = await s.rows<Record<string, unknown>>(
    `SELECT ${keys.join(', ')} FROM ${table} WHERE ${after} AND (${spec.remaining})
      ORDER BY ${keys.join(', ')} LIMIT ${size} FOR UPDATE`,
    previous,
  );
  const last = batch[batch.length - 1];
  if (!last) return { rows: 0, lastKey };
  const upTo = spec.keyColumns.map((c) => last[c]);
  const result = await s.rows(
    `UPDATE ${table} SET ${set} WHERE ${after} AND ${tuple} <= ${marks(keys.length)} AND (${spec.remaining})`,
    [...previous, ...upTo],
  );
  return { rows: affected(result), lastKey: JSON.stringify(upTo.map(toKey)) };
}

/** An UPDATE's answer is mysql2's result header, not rows. */
function affected(result: unknown): number {
  return Number((result as { affectedRows?: unknown }).affectedRows ?? 0);
}
