/**
 * A copy of a SQLite database file through the online backup API
 * (https://www.sqlite.org/backup.html; better-sqlite3's `db.backup()`): page by page, as of one
 * moment, whatever other connections are doing, without a write to the source. The source is
 * opened read-only.
 *
 * SQLite restarts a backup whenever another connection writes to the source between two of its
 * steps, so a copy made in small steps may never finish on a busy database. After a first small
 * step (which tells how many pages there are), the rest is copied in one step: one read of the
 * whole file. On a rollback-journal database that read holds a SHARED lock, so a writer waits to
 * commit until it ends (as with the sqlite3 shell's `.backup`); in WAL mode writers go on.
 */
import Database from 'better-sqlite3';

export interface CopyReport {
  pages: number;
  bytes: number;
}

export async function copyDatabaseFile(source: string, destination: string): Promise<CopyReport> {
  const db = new Database(source, { readonly: true, fileMustExist: true });
  try {
    const meta = await db.backup(destination, { progress: ({ remainingPages }) => Math.max(1, remainingPages) });
    const pageSize = Number(db.pragma('page_size', { simple: true }));
    return { pages: meta.totalPages, bytes: meta.totalPages * pageSize };
  } finally {
    db.close();
  }
}
