/**
 * The copy of the database file taken before a deploy's first step, beside it:
 * `<file>.schemapilot-backup-<deploy id>-<UTC time>`, made with the online backup API
 * (https://www.sqlite.org/backup.html, scratch/copy.ts): page for page, as of one moment,
 * while the application goes on. Not VACUUM INTO: its copy is rebuilt page by page, so a file
 * restored from it would not be the file it was (rows keep their values, pages and freelist
 * do not).
 *
 * Restoring runs the backup API the other way, from the copy into the live file: SQLite writes
 * the pages through a connection of its own under the database's write lock, so connections
 * that have the file open see the restored database at their next statement (their page cache
 * is checked against the file's change counter, or the WAL index), instead of the file being
 * swapped under them. A restore is refused when another connection committed since the copy
 * was taken (PRAGMA data_version, which changes only with other connections' commits:
 * https://www.sqlite.org/pragma.html#pragma_data_version): putting the copy back would lose
 * their writes. A resumed deploy's copy was taken by the first run, with no count of what was
 * written since: never restored automatically.
 */
import { existsSync } from 'node:fs';
import type { DeployBackup } from '../../../core/dialect/deploy.js';
import type { Session } from '../../../core/dialect/driver.js';
import { sqliteSession } from '../session.js';
import { recordBackup, recordedBackup } from './journal.js';

/** The copy this session took, and the file's data_version just before it. */
const taken = new WeakMap<Session, { path: string; dataVersion: number }>();

/** 2026-12-07T05:58:12.123Z → 20261207T055812Z: sorts by time, no characters a shell minds. */
function stamp(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
}

export function backupPath(databasePath: string, deployId: number, at: Date): string {
  return `${databasePath}.schemapilot-backup-${deployId}-${stamp(at)}`;
}

function dataVersion(session: Session): number {
  return Number(sqliteSession(session).db.pragma('data_version', { simple: true }));
}

async function copy(source: string, destination: string): Promise<void> {
  const { copyDatabaseFile } = await import('../scratch/copy.js');
  await copyDatabaseFile(source, destination);
}

export const sqliteBackup: DeployBackup = {
  async take(session, deployId) {
    const s = sqliteSession(session);
    const earlier = recordedBackup(s, deployId);
    if (earlier !== null) return existsSync(earlier) ? { path: earlier, reused: true } : null;
    const path = backupPath(s.path, deployId, new Date());
    // Read before the copy: a commit by another connection in between counts as one after it.
    const before = dataVersion(session);
    await copy(s.path, path);
    recordBackup(s, deployId, path);
    taken.set(session, { path, dataVersion: before });
    return { path, reused: false };
  },

  async restore(session, path) {
    const s = sqliteSession(session);
    const mine = taken.get(session);
    if (mine?.path !== path)
      return {
        restored: false,
        why: 'the backup was taken by an earlier run of this deploy, and what was written since is not known',
      };
    if (s.db.inTransaction) s.db.exec('ROLLBACK');
    if (dataVersion(session) !== mine.dataVersion)
      return {
        restored: false,
        why: 'other connections wrote to the database after the backup was taken; restoring it would lose their writes',
      };
    if (!existsSync(path)) return { restored: false, why: 'the backup file is gone' };
    await copy(path, s.path);
    // The restore was a commit by another connection: the next check starts from here.
    taken.set(session, { path, dataVersion: dataVersion(session) });
    return { restored: true };
  },
};
