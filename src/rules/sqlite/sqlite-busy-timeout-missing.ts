import { CHANGE_KINDS, changeTable, type Change } from '../../core/change.js';
import { defineRule, type RuleContext } from '../../core/rule.js';

/**
 * Every write needs SQLite's one database write lock. When an application connection holds it
 * (any open write transaction, on any table), the migration's first write waits for as long as
 * the connection's busy_timeout allows, then fails with SQLITE_BUSY ("database is locked"); with
 * no busy timeout it fails at once. Unlike PostgreSQL there is no lock queue: a waiting writer
 * holds nobody up, so the risk is a migration that fails half-way (outside a transaction: half
 * applied), not an outage. busy_timeout belongs to the connection: better-sqlite3, Python's
 * sqlite3 and go-sqlite3 set 5 s unless told otherwise, the sqlite3 shell and the C API 0.
 * https://www.sqlite.org/pragma.html#pragma_busy_timeout https://www.sqlite.org/c3ref/busy_timeout.html
 */
export default defineRule({
  meta: {
    id: 'sqlite-busy-timeout-missing',
    category: 'transactions',
    severity: 'info',
    description:
      'Writes with no PRAGMA busy_timeout: if the application holds the write lock, the migration fails with SQLITE_BUSY',
    kinds: CHANGE_KINDS.filter((k) => k !== 'set' && k !== 'select' && k !== 'transaction'),
    scalesWithSize: false,
    skipNewTables: false,
    oncePerFile: true,
    dialects: ['sqlite'],
  },
  check(ctx) {
    if (ctx.facts.locks.length === 0) return [];
    // Already holding the write lock in this transaction: no other wait until it ends.
    if (ctx.transaction.heldLocks.length > 0) return [];
    // A file that only makes and fills its own tables (a first migration) meets no other
    // writer; one that writes a table that was there before runs where an application writes.
    if (!writesOldTable(ctx)) return [];
    const value = ctx.session.variables['busy_timeout'];
    const ms = value === undefined ? null : Number(value);
    if (ms !== null && Number.isFinite(ms) && ms > 0) return [];
    const zero = ms !== null;
    return [
      {
        message: `${
          zero
            ? 'busy_timeout is 0 before the first write of this file'
            : 'No PRAGMA busy_timeout is set before the first write of this file'
        }: if an application connection is writing at that moment, SQLite's one write lock is taken and this statement fails at once with SQLITE_BUSY ("database is locked")${
          zero
            ? ''
            : ', unless the tool that runs the migration sets a busy timeout on its connection (better-sqlite3, Python and go-sqlite3 default to 5 s; the sqlite3 shell to none)'
        }. Set one at the top of the file so that the migration waits a few seconds instead. (Reported once per file.)`,
        safeAlternative:
          'PRAGMA busy_timeout = 5000; -- first line of the file: wait up to 5 s for the write lock',
        ...(zero ? { severity: 'warning' as const } : {}),
      },
    ];
  },
});

/** This statement or a later one writes a table that existed before the file (not one it creates first). */
function writesOldTable(ctx: RuleContext): boolean {
  const created = new Set<string>();
  const fresh = (table: string) => created.has(table) || ctx.isNew(table);
  const old = (change: Change): boolean => {
    if (change.kind === 'create table' || change.kind === 'create view') {
      created.add(change.kind === 'create table' ? change.table : change.view);
      return false;
    }
    const table = changeTable(change);
    if (table !== null && change.kind === 'rename table' && fresh(table))
      created.add(`${table.slice(0, table.indexOf('.'))}.${change.newName}`);
    return table !== null && !fresh(table) && ctx.relationKind(table) !== 'missing';
  };
  return old(ctx.change) || ctx.anyLater(old);
}
