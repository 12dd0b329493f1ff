/**
 * Putting a schema on a SQLite scratch database, and running a migration exactly as written.
 *
 * - `pg-dump` (the dialect's own copy of the live database; `--clone auto` with --db): the user's
 *   file copied page by page with the online backup API (scratch/copy.ts), rows included. The
 *   copy is a SQLite file like the user's in every respect (page size, journal mode, freelist,
 *   sqlite_sequence, sqlite_stat1), so a step's write-lock time is measured on the real amount
 *   of data. It stays on this machine, in a directory only this user can read, deleted afterwards.
 * - `snapshot`: every object's CREATE statement as sqlite_schema held it, in an order SQLite
 *   accepts (tables, then indexes, views in dependency order, triggers), after the file settings
 *   that must come before the first table (page_size, auto_vacuum, encoding). No rows.
 * - `migrations`: the files replayed.
 */
import { basename } from 'node:path';
import type { AsWrittenFailure, LoadReport, SchemaSource } from '../../../core/dialect/validation.js';
import type { MigrationFile } from '../../../core/migration.js';
import type { SchemaSnapshot, Trigger, View } from '../../../core/snapshot.js';
import { parseSqlite } from '../parser.js';
import type { SqliteSession } from '../session.js';
import { copyDatabaseFile } from '../scratch/copy.js';
import { setStandsFor } from '../scratch/names.js';
import { formatBytes } from '../../../reporters/units.js';
import { parseSqliteTarget } from '../url.js';
import { codeOf, messageOf } from '../connect.js';

export async function loadSchema(session: SqliteSession, source: SchemaSource): Promise<LoadReport> {
  const scratch = basename(session.path);
  if (source.kind === 'migrations') {
    const failure = runAsWritten(session, source.files);
    if (failure) throw new Error(`replaying the migrations failed: ${failure.file}: ${failure.message}`);
    return { method: `${source.files.length} migration file(s)`, warnings: [] };
  }
  setStandsFor(scratch, source.snapshot.database);
  if (source.kind === 'pg-dump') {
    const from = parseSqliteTarget(source.url, '--db').path;
    try {
      // The scratch connection is on the destination: it reads the copy once the backup is done.
      const copied = await copyDatabaseFile(from, session.path);
      return {
        method: `copy of ${basename(from)} with its rows (online backup API, ${formatBytes(copied.bytes)})`,
        warnings: [],
      };
    } catch (error) {
      const report = fromSnapshot(session, source.snapshot);
      report.warnings.unshift(
        `copying ${from} failed (${messageOf(error)}); cloned from the snapshot instead`,
      );
      return report;
    }
  }
  return fromSnapshot(session, source.snapshot);
}

function fromSnapshot(session: SqliteSession, snapshot: SchemaSnapshot): LoadReport {
  const warnings: string[] = [];
  const run = (what: string, sql: string | undefined) => {
    if (!sql) {
      warnings.push(`${what}: the snapshot has no CREATE statement for it (a snapshot of another dialect?)`);
      return;
    }
    try {
      session.exec(sql);
    } catch (error) {
      warnings.push(`${what} could not be recreated: ${messageOf(error)}`);
    }
  };
  const file = snapshot.sqliteFile;
  // Before the first table, or never: https://www.sqlite.org/pragma.html#pragma_page_size, #pragma_auto_vacuum, #pragma_encoding
  if (file) {
    session.db.pragma(`page_size = ${Number(file.pageSize)}`);
    session.db.pragma(
      `auto_vacuum = ${file.autoVacuum === 'full' ? 1 : file.autoVacuum === 'incremental' ? 2 : 0}`,
    );
    if (/^UTF-(8|16le|16be)$/i.test(file.encoding)) session.db.pragma(`encoding = '${file.encoding}'`);
  }
  session.exec('BEGIN');
  try {
    for (const table of snapshot.tables) run(`table ${table.name}`, table.definition);
    for (const table of snapshot.tables)
      for (const index of table.indexes)
        if (index.constraint === null) run(`index ${index.name}`, index.definition);
    for (const view of viewsInOrder(snapshot.views)) run(`view ${view.name}`, view.definition);
    const triggers: Trigger[] = [
      ...snapshot.tables.flatMap((t) => t.triggers),
      ...snapshot.views.flatMap((v) => v.triggers ?? []),
    ];
    for (const trigger of triggers) run(`trigger ${trigger.name}`, trigger.definition);
    session.exec('COMMIT');
  } catch (error) {
    if (session.db.inTransaction) session.exec('ROLLBACK');
    throw error;
  }
  if (file) {
    if (file.journalMode === 'wal') session.db.pragma('journal_mode = wal');
    session.db.pragma(`user_version = ${Math.trunc(Number(file.userVersion))}`);
    session.db.pragma(`application_id = ${Math.trunc(Number(file.applicationId))}`);
  }
  return { method: 'snapshot', warnings };
}

/** Views after the views they read (SQLite checks a view's names when it is created). */
function viewsInOrder(views: readonly View[]): View[] {
  const byName = new Map(views.map((v) => [`${v.schema}.${v.name}`.toLowerCase(), v]));
  const done = new Set<View>();
  const out: View[] = [];
  const visit = (view: View, depth: number) => {
    if (done.has(view) || depth > views.length) return;
    done.add(view);
    for (const d of view.dependsOn) {
      const other = byName.get(d.relation.toLowerCase());
      if (other) visit(other, depth + 1);
    }
    out.push(view);
  };
  for (const view of views) visit(view, 0);
  return out;
}

/**
 * Migration files statement by statement, as a runner would send them: a file marked
 * `transaction` inside BEGIN … COMMIT (SQLite's DDL is transactional: a failure undoes the whole
 * file), others one statement at a time. The first failure, its transaction rolled back; null
 * when everything ran.
 */
export function runAsWritten(
  session: SqliteSession,
  files: readonly MigrationFile[],
): AsWrittenFailure | null {
  for (const file of files) {
    const { statements } = parseSqlite(file.sql, file.path);
    const wrap = file.transaction === 'transaction';
    if (wrap) session.exec('BEGIN');
    for (const statement of statements) {
      try {
        session.exec(statement.sql);
      } catch (error) {
        if (session.db.inTransaction) session.exec('ROLLBACK');
        return {
          file: file.path,
          line: statement.line,
          sql: statement.sql,
          message: messageOf(error),
          sqlstate: codeOf(error),
        };
      }
    }
    if (wrap && session.db.inTransaction) session.exec('COMMIT');
  }
  return null;
}
