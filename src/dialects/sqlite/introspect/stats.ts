/**
 * Sizes and row counts of a SQLite database, and its file settings.
 *
 * SQLite keeps no running row count: `count(*)` walks a b-tree, and so does anything exact. The
 * dbstat virtual table (https://www.sqlite.org/dbstat.html; compiled into the bundled
 * better-sqlite3) walks every page once and reports, per b-tree, its bytes and the cells on its
 * pages: for a rowid table the cells of its leaf pages are its rows; for a WITHOUT ROWID table
 * (an index b-tree) every cell, interior ones included, is a row. So one pass gives exact sizes
 * and exact row counts, at the cost of reading the file (about 2 GB/s from the page cache on the
 * machine the tests ran on; 140 MB took 77 ms).
 *
 * Decided: measure with dbstat when the file is at most DBSTAT_SCAN_LIMIT_BYTES; beyond that, or
 * without dbstat, rows come from sqlite_stat1 when ANALYZE ran (as of then; sizes unknown), else
 * both are unknown. Analysis with a live database re-measures the tables a migration touches
 * (live.ts), however large the file.
 */
import type { SqliteFileInfo } from '../../../core/snapshot.js';
import type { SqliteSession } from '../session.js';

export const DBSTAT_SCAN_LIMIT_BYTES = 1024 ** 3;

export interface BtreeStats {
  bytes: number;
  /** Cells on leaf pages: a rowid table's rows. */
  leafCells: number;
  /** Cells on every page: an index's (or a WITHOUT ROWID table's) entries. */
  cells: number;
}

const DBSTAT = `SELECT name, sum(pgsize) AS bytes,
       sum(CASE WHEN pagetype = 'leaf' THEN ncell ELSE 0 END) AS leafCells, sum(ncell) AS cells
  FROM dbstat`;

export function readFileInfo(
  session: SqliteSession,
): Omit<SqliteFileInfo, 'statsSource' | 'writtenBy' | 'readBy'> {
  const pragma = <T>(name: string): T => session.db.pragma(name, { simple: true }) as T;
  const pageSize = Number(pragma<number>('page_size'));
  const pageCount = Number(pragma<number>('page_count'));
  const autoVacuum = Number(pragma<number>('auto_vacuum'));
  return {
    journalMode: String(pragma<string>('journal_mode')).toLowerCase(),
    pageSize,
    pageCount,
    freelistCount: Number(pragma<number>('freelist_count')),
    fileBytes: pageSize * pageCount,
    autoVacuum: autoVacuum === 1 ? 'full' : autoVacuum === 2 ? 'incremental' : 'none',
    encoding: String(pragma<string>('encoding')),
    userVersion: Number(pragma<number>('user_version')),
    applicationId: Number(pragma<number>('application_id')),
  };
}

/** Per b-tree (table or index name) stats of the whole file; null without dbstat. */
export function measureAll(session: SqliteSession): Map<string, BtreeStats> | null {
  try {
    const rows = session.rows<{ name: string } & BtreeStats>(`${DBSTAT} GROUP BY name`);
    return new Map(rows.map((r) => [r.name, toStats(r)]));
  } catch (error) {
    if (isNoDbstat(error)) return null;
    throw error;
  }
}

/** One b-tree's stats (dbstat visits only its pages when given `name =`); null without dbstat. */
export function measureOne(session: SqliteSession, name: string): BtreeStats | null {
  try {
    const [row] = session.rows<BtreeStats>(`${DBSTAT} WHERE name = ?`, name);
    return row ? toStats(row) : { bytes: 0, leafCells: 0, cells: 0 };
  } catch (error) {
    if (isNoDbstat(error)) return null;
    throw error;
  }
}

function toStats(row: BtreeStats): BtreeStats {
  return {
    bytes: Number(row.bytes ?? 0),
    leafCells: Number(row.leafCells ?? 0),
    cells: Number(row.cells ?? 0),
  };
}

function isNoDbstat(error: unknown): boolean {
  return /no such table: dbstat/i.test((error as Error).message);
}

/** Rows per table from sqlite_stat1: the first number of any of its rows is the table's row count. */
export function stat1Rows(
  rows: readonly { tbl: string; idx: string | null; stat: string }[],
): Map<string, number> {
  const out = new Map<string, number>();
  for (const r of rows) {
    const n = Number.parseInt(r.stat, 10);
    if (Number.isFinite(n) && !out.has(r.tbl.toLowerCase())) out.set(r.tbl.toLowerCase(), n);
  }
  return out;
}
