/**
 * Trace: what one DDL statement really does on a MySQL/MariaDB server, read from the server
 * while it runs on a table with rows. The MySQL counterpart of dialects/postgres/validate/trace.ts,
 * for issue 14's measured facts and `validate`. It runs the statement (and inserts rows through
 * the writer probe): never point it at production.
 *
 * Evidence (docs/decisions/0005-how-facts-are-verified.md, adapted):
 * - Rebuilt: the InnoDB table id before and after. A rebuild, in place or by copy, writes a new
 *   table with a new id; an in-place change without rebuild or an instant one keeps it.
 *   https://mariadb.com/kb/en/innodb-online-ddl-overview/ (ALGORITHM=INPLACE "may rebuild").
 * - Copied: the ALTER's affected rows. The SQL layer's COPY reports the rows it copied
 *   ("Records: N"); InnoDB's in-place and instant paths report 0, even when they rebuild.
 *   https://dev.mysql.com/doc/refman/8.0/en/innodb-online-ddl-operations.html ("rows affected"
 *   of 0 means no copy); measured the same on MariaDB 10.11.
 * - Instant: MariaDB's `Innodb_instant_alter_column` counter, and failing it, nothing changed
 *   (no rebuild, no index built): https://mariadb.com/kb/en/instant-add-column-for-innodb/
 * - Writers/readers blocked: probes (probe.ts) on their own sessions.
 * - Metadata locks: `information_schema.METADATA_LOCK_INFO` sampled from a monitor session
 *   while the statement runs; a statement of a few ms may finish between two samples.
 */
import type { MysqlSession } from '../session.js';
import {
  metadataLocksReadable,
  readTableEvidence,
  sampleMetadataLocks,
  type MetadataLock,
  type TableEvidence,
} from './evidence.js';
import { blockedBy, Probe, type ProbeResult } from './probe.js';
import { ident } from '../catalog-rows.js';

export type MysqlAlgorithm = 'INSTANT' | 'NOCOPY' | 'INPLACE' | 'COPY';

export interface MysqlTraceOptions {
  /** Opens another session to the same database: writer, reader and monitor. */
  connect: () => Promise<MysqlSession>;
  /** The table the statement alters: `name` (in the session's database) or `schema.name`. */
  table: string;
  /** The writer's statement; default `INSERT INTO t () VALUES ()` (every column needs a default). */
  write?: string;
  /** The reader's statement; default `SELECT * FROM t LIMIT 1`. Null: no reader. */
  read?: string | null;
  /** A probe counts as blocked once it waited this long (default 50 ms)… */
  blockedMinMs?: number;
  /** …and this share of the statement's duration (default 0.5). */
  blockedShare?: number;
}

export interface MysqlStatementTrace {
  sql: string;
  table: string;
  durationMs: number;
  /** The ALTER's affected rows: rows copied by ALGORITHM=COPY, 0 otherwise. */
  affectedRows: number;
  /** Null: not measurable (not an InnoDB table, or a name not encoded here). */
  rebuilt: boolean | null;
  /** Indexes with new InnoDB ids on a table that was not rebuilt; null as for rebuilt. */
  indexesBuilt: number | null;
  /** The instant counter moved (see evidence.ts); null: no counter on this server. */
  instantCounted: boolean | null;
  /** Derived from the evidence above (`algorithmOf`); null when it cannot tell. */
  algorithm: MysqlAlgorithm | null;
  /** Why that algorithm, in one line. */
  algorithmEvidence: string;
  writers: ProbeResult;
  readers: ProbeResult | null;
  /** The statement's table metadata locks seen, distinct, in the order first seen; null: see locksNote. */
  locks: MetadataLock[] | null;
  /**
   * How many samples saw each of `locks` (same order): the mode held while the statement works
   * is seen far more often than the brief EXCLUSIVE an ALTER takes to start and to finish.
   */
  lockSamples: number[] | null;
  locksNote?: string;
}

export async function traceMysqlStatement(
  session: MysqlSession,
  sql: string,
  options: MysqlTraceOptions,
): Promise<MysqlStatementTrace> {
  const [schema, table] = await resolveTable(session, options.table);
  const qualified = `${ident(schema)}.${ident(table)}`;
  const writeSql = options.write ?? `INSERT INTO ${qualified} () VALUES ()`;
  const readSql = options.read === undefined ? `SELECT * FROM ${qualified} LIMIT 1` : options.read;
  const opened: MysqlSession[] = [];
  const open = async (): Promise<MysqlSession> => {
    const s = await options.connect();
    opened.push(s);
    return s;
  };
  try {
    const monitor = await open();
    const writer = new Probe(await open(), writeSql);
    const reader = readSql === null ? null : new Probe(await open(), readSql);
    const locksNote = await metadataLocksReadable(monitor);
    const before = await readTableEvidence(monitor, schema, table);
    await writer.start();
    await reader?.start();

    const window = { start: performance.now(), end: 0 };
    let done = false;
    const running = session.rows(sql).finally(() => {
      window.end = performance.now();
      done = true;
    });
    const locks: MetadataLock[] = [];
    const lockSamples: number[] = [];
    const sampling = (async () => {
      if (locksNote !== null) return;
      while (!done) {
        for (const lock of await sampleMetadataLocks(monitor, session.pid)) {
          const i = locks.findIndex((l) => l.table === lock.table && l.mode === lock.mode);
          if (i < 0) {
            locks.push(lock);
            lockSamples.push(1);
          } else lockSamples[i] = (lockSamples[i] ?? 0) + 1;
        }
      }
    })();
    let result: unknown;
    try {
      result = await running;
    } finally {
      await sampling.catch(() => undefined);
      // The run that waited behind the statement ends just after it: stop after that one.
      await Promise.all([writer.stop(), reader?.stop()]);
    }
    const writes = await writer.stop();
    const reads = reader ? await reader.stop() : null;
    const after = await readTableEvidence(monitor, schema, table);
    const thresholds = { minMs: options.blockedMinMs ?? 50, share: options.blockedShare ?? 0.5 };
    const affectedRows = Number((result as { affectedRows?: unknown }).affectedRows ?? 0);
    const measured = compare(before, after);
    return {
      sql,
      table: `${schema}.${table}`,
      durationMs: Math.round(window.end - window.start),
      affectedRows,
      ...measured,
      ...algorithmOf({ ...measured, affectedRows, rowsBefore: before.rowsEstimate }),
      writers: blockedBy(writeSql, writes, window, thresholds),
      readers: reads && readSql !== null ? blockedBy(readSql, reads, window, thresholds) : null,
      locks: locksNote === null ? locks : null,
      lockSamples: locksNote === null ? lockSamples : null,
      ...(locksNote !== null ? { locksNote } : {}),
    };
  } finally {
    await Promise.all(opened.map((s) => s.close()));
  }
}

function compare(
  before: TableEvidence,
  after: TableEvidence,
): Pick<MysqlStatementTrace, 'rebuilt' | 'indexesBuilt' | 'instantCounted'> {
  const known = before.tableIds !== null && after.tableIds !== null;
  const rebuilt = known ? after.tableIds!.some((id) => !before.tableIds!.includes(id)) : null;
  const indexesBuilt = known ? after.indexIds.filter((id) => !before.indexIds.includes(id)).length : null;
  const instantCounted =
    before.instantCounter === null || after.instantCounter === null
      ? null
      : after.instantCounter > before.instantCounter;
  return { rebuilt, indexesBuilt: rebuilt ? 0 : indexesBuilt, instantCounted };
}

/**
 * The algorithm, from the evidence, in this order:
 * 1. Rows affected > 0: COPY. Only the SQL layer's copy reports rows (see the header).
 * 2. Rebuilt with 0 rows affected: INPLACE (InnoDB rebuilt the table itself, e.g. ENGINE=InnoDB).
 *    On an empty table a COPY also reports 0 rows: then it cannot be told apart, null.
 * 3. Not rebuilt, an index built: NOCOPY (MariaDB's name for in place without a rebuild,
 *    https://mariadb.com/kb/en/innodb-online-ddl-operations-with-the-nocopy-alter-algorithm/).
 * 4. Not rebuilt, no index built: INSTANT: only metadata changed. The instant counter, when it
 *    moved, confirms it; it does not move for RENAME COLUMN or SET DEFAULT (measured), which
 *    MariaDB documents as instant too
 *    (https://mariadb.com/kb/en/innodb-online-ddl-operations-with-the-instant-alter-algorithm/).
 *    NOCOPY operations that build nothing (ADD FOREIGN KEY with checks off, DROP INDEX) land
 *    here too: nothing was read or written, which is what matters for the facts.
 * Not InnoDB (rebuilt unknown): COPY if rows were affected, else null.
 */
export function algorithmOf(e: {
  affectedRows: number;
  rebuilt: boolean | null;
  indexesBuilt: number | null;
  instantCounted: boolean | null;
  rowsBefore: number;
}): { algorithm: MysqlAlgorithm | null; algorithmEvidence: string } {
  if (e.affectedRows > 0)
    return { algorithm: 'COPY', algorithmEvidence: `${e.affectedRows} rows affected (copied)` };
  if (e.rebuilt === null)
    return { algorithm: null, algorithmEvidence: 'not an InnoDB table: rebuild not measurable' };
  if (e.rebuilt)
    return e.rowsBefore > 0
      ? { algorithm: 'INPLACE', algorithmEvidence: 'new InnoDB table id, 0 rows affected' }
      : {
          algorithm: null,
          algorithmEvidence: 'rebuilt, but the table had no rows to tell COPY from INPLACE',
        };
  if ((e.indexesBuilt ?? 0) > 0)
    return { algorithm: 'NOCOPY', algorithmEvidence: `same table id, ${e.indexesBuilt} index(es) built` };
  return {
    algorithm: 'INSTANT',
    algorithmEvidence: e.instantCounted
      ? 'same table id, instant ALTER counter moved'
      : 'same table id, nothing built, 0 rows affected',
  };
}

async function resolveTable(session: MysqlSession, name: string): Promise<[string, string]> {
  const dot = name.indexOf('.');
  if (dot >= 0) return [name.slice(0, dot), name.slice(dot + 1)];
  const rows = await session.rows<{ db: string | null }>('SELECT DATABASE() AS db');
  const db = rows[0]?.db;
  if (!db) throw new Error(`trace: "${name}" has no schema and the session has no database`);
  return [db, name];
}
