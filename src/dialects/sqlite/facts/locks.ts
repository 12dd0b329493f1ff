/**
 * The database lock a statement holds, in SQLite's lock vocabulary (core/locks.ts
 * SQLITE_LOCKS). Every write takes the one database write lock (RESERVED; in WAL mode the WAL
 * write lock, the same for us): every other writer, on any table, waits for the transaction to
 * end, or fails with SQLITE_BUSY once its busy_timeout passes. Readers go on, except in
 * rollback-journal mode once the writer writes the database file: at COMMIT, or earlier when
 * a large change no longer fits the page cache (cache_size) and spills; from then to the end
 * of the transaction the writer holds EXCLUSIVE and readers wait too.
 * https://www.sqlite.org/lockingv3.html https://www.sqlite.org/wal.html
 */
import type { ChangeFacts, LockFact } from '../../../core/analysis.js';
import type { FactContext } from '../../../core/facts.js';

/**
 * The journal mode the migration set (`PRAGMA journal_mode = WAL`), else the file's own (the
 * engine's settingsOf seeds it from the snapshot); undefined when neither says.
 */
export function walMode(ctx: FactContext): boolean | undefined {
  const mode = ctx.sessionVariable?.('journal_mode')?.toLowerCase();
  return mode === undefined ? undefined : mode === 'wal';
}

export const WRITE_LOCK_NOTE =
  'takes the database write lock: every other writer, on any table, waits until the transaction ends (SQLITE_BUSY after its busy_timeout)';

/**
 * The lock a write holds on `table` (standing for the whole database). `large`: the statement
 * writes pages in proportion to the table (a rewrite, an index build), so in rollback-journal
 * mode it spills the page cache and holds EXCLUSIVE, blocking readers too.
 */
export function writeLock(
  table: string,
  ctx: FactContext,
  large: boolean,
): { locks: LockFact[]; notes: string[] } {
  const wal = walMode(ctx);
  if (!large || wal === true)
    return {
      locks: [{ table, mode: 'RESERVED' }],
      notes: [
        WRITE_LOCK_NOTE,
        ...(wal === true ? [] : ['readers wait only while it commits (rollback journal)']),
      ],
    };
  return {
    locks: [{ table, mode: 'EXCLUSIVE' }],
    notes: [
      WRITE_LOCK_NOTE,
      wal === undefined
        ? 'in rollback-journal mode (assumed: no database file and no journal_mode in the migration) readers wait too once the change outgrows the page cache; in WAL mode they go on'
        : 'readers wait too once the change outgrows the page cache (rollback journal)',
    ],
  };
}

/** A statement SQLite refuses: it does nothing, and says why first (`fails: …`). */
export function refused(base: ChangeFacts, why: string, extra: string[] = []): ChangeFacts {
  return {
    ...base,
    locks: [],
    rewritesTable: false,
    scansTable: false,
    buildsIndex: false,
    validates: [],
    notes: [`fails: ${why}`, ...extra],
  };
}
