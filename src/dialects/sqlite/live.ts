/**
 * What analysis reads from a live SQLite file beyond the snapshot: the tables a migration
 * touches measured now, exactly (dbstat over their own pages only, whatever the file's size:
 * introspect/stats.ts), and the volatility of functions called in new defaults.
 *
 * Each measurement is its own short read. On a rollback-journal database a read holds a SHARED
 * lock, which keeps a writer from committing until it ends; one table's walk is as long as that
 * lasts. In WAL mode readers and the writer do not wait for each other.
 */
import type { LiveReader } from '../../core/dialect/live.js';
import type { Volatility } from '../../core/facts.js';
import type { SchemaSnapshot } from '../../core/snapshot.js';
import { quoteIdent } from './quote.js';
import type { SqliteSession } from './session.js';
import { sqliteSession } from './session.js';
import { statsOf } from './introspect/introspect.js';
import { measureOne } from './introspect/stats.js';

export function measureTables(
  session: SqliteSession,
  snapshot: SchemaSnapshot,
  tables: readonly string[],
): void {
  const wanted = snapshot.tables.filter((t) => tables.includes(`${t.schema}.${t.name}`));
  for (const table of wanted) {
    try {
      const own = measureOne(session, table.name);
      if (own === null) {
        // No dbstat in this build: rows by counting; sizes stay what the snapshot says.
        const [row] = session.rows<{ n: number }>(`SELECT count(*) AS n FROM ${quoteIdent(table.name)}`);
        if (row && table.module === undefined) table.stats.rowEstimate = Number(row.n);
        continue;
      }
      const indexes = new Map(table.indexes.map((i) => [i.name, measureOne(session, i.name) ?? undefined]));
      table.stats = statsOf(table, own, [], (name) => indexes.get(name));
    } catch {
      // Busy (a writer holds the file) or gone: the snapshot's figures stand.
    }
  }
}

/** SQLite's flags in pragma_function_list (https://www.sqlite.org/c3ref/c_deterministic.html). */
const SQLITE_DETERMINISTIC = 0x800;

/** Date and time functions are deterministic but for 'now' (https://www.sqlite.org/deterministic.html). */
const TIME_FUNCTIONS = new Set([
  'date',
  'time',
  'datetime',
  'julianday',
  'unixepoch',
  'strftime',
  'timediff',
]);

export function functionVolatility(
  session: SqliteSession,
  names: readonly string[],
): Map<string, Volatility> {
  const out = new Map<string, Volatility>();
  if (names.length === 0) return out;
  const wanted = new Map(names.map((n) => [n.slice(n.lastIndexOf('.') + 1).toLowerCase(), n]));
  const rows = session.rows<{ name: string; flags: number }>(
    'SELECT name, flags FROM pragma_function_list WHERE name IN (SELECT value FROM json_each(?))',
    JSON.stringify([...wanted.keys()]),
  );
  const rank: Record<Volatility, number> = { immutable: 0, stable: 1, volatile: 2 };
  for (const row of rows) {
    const bare = row.name.toLowerCase();
    const v: Volatility = TIME_FUNCTIONS.has(bare)
      ? 'stable'
      : (row.flags & SQLITE_DETERMINISTIC) !== 0
        ? 'immutable'
        : 'volatile';
    const given = wanted.get(bare) ?? bare;
    for (const key of new Set([given, bare, `main.${bare}`])) {
      const seen = out.get(key);
      if (!seen || rank[v] > rank[seen]) out.set(key, v);
    }
  }
  return out;
}

export const sqliteLive: LiveReader = {
  measureTables: (session, snapshot, tables) =>
    Promise.resolve(measureTables(sqliteSession(session), snapshot, tables)),
  functionVolatility: (session, names) => Promise.resolve(functionVolatility(sqliteSession(session), names)),
};
