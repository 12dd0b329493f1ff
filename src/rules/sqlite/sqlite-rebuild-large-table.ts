import { NO_FACTS, type ChangeFacts } from '../../core/analysis.js';
import { defineRule, type FindingDraft, type RuleContext } from '../../core/rule.js';
import { estimateChangeMs, tableSize } from '../../assess/duration.js';
import { rebuildAt } from './rebuild.js';
import { refusal } from './refusals.js';
import { formatMs, sized, WRITE_LOCK_WORDS } from './words.js';

/**
 * A statement that rewrites a table holds SQLite's one write lock for as long as it copies
 * rows: a table rebuild (CREATE/INSERT … SELECT/DROP/RENAME), DROP COLUMN (which rewrites every
 * row to purge the column), VACUUM (the whole file). For that time every other writer of the
 * database waits, on any table, and fails with SQLITE_BUSY once its busy_timeout passes; in
 * rollback-journal mode readers wait too once the change outgrows the page cache.
 * https://www.sqlite.org/lockingv3.html https://www.sqlite.org/wal.html
 */
export default defineRule({
  meta: {
    id: 'sqlite-rebuild-large-table',
    category: 'locking',
    severity: 'error',
    description:
      'A rebuild, DROP COLUMN or VACUUM of a large table holds the database write lock while it copies every row',
    kinds: ['drop table', 'drop column', 'vacuum'],
    scalesWithSize: true,
    skipNewTables: true,
    dialects: ['sqlite'],
  },
  check(ctx) {
    const { change } = ctx;
    if (change.kind === 'drop table')
      return change.tables.flatMap((table) =>
        !ctx.isNew(table) && rebuildAt(ctx, table)
          ? [
              finding(
                ctx,
                table,
                `Rebuilding ${sized(ctx, table)} copies every row into the new table and builds its indexes again`,
              ),
            ]
          : [],
      );
    if (change.kind === 'drop column') {
      if (refusal(ctx.facts) !== null || !ctx.facts.rewritesTable) return [];
      return [
        finding(
          ctx,
          change.table,
          `DROP COLUMN ${change.column} rewrites every row of ${sized(ctx, change.table)} to purge the column`,
        ),
      ];
    }
    if (change.kind === 'vacuum' && change.command === 'vacuum' && ctx.facts.rewritesTable)
      return [
        {
          message: `VACUUM rebuilds the whole database file, every table and index, and needs as much free disk again while it runs: ${WRITE_LOCK_WORDS}, and readers too in rollback-journal mode.${ctx.transaction.inTransaction ? ' It cannot run inside a transaction: here it fails ("cannot VACUUM from within a transaction").' : ''} Run it apart from migrations, at a quiet time (or use PRAGMA incremental_vacuum with auto_vacuum=INCREMENTAL).`,
          safeAlternative: null,
          severity: 'warning',
        },
      ];
    return [];
  },
});

function finding(ctx: RuleContext, table: string, what: string): FindingDraft {
  const info = ctx.table(table);
  // The rewrite as the assess layer prices it: rows copied, indexes built again.
  const facts: ChangeFacts = { ...NO_FACTS, rewritesTable: true, rebuildsIndexes: true };
  const ms = estimateChangeMs(facts, tableSize(info, ctx.largeTableRows), info?.indexes.length ?? 1);
  const wal = (ctx.session.variables['journal_mode'] ?? '').toLowerCase() === 'wal';
  const readers = wal
    ? ''
    : ', and in rollback-journal mode (the default; not WAL) readers too once it outgrows the page cache';
  return {
    message: `${what}: ${WRITE_LOCK_WORDS}${readers}, for the whole ${ctx.transaction.inTransaction ? 'transaction' : 'statement'} (~${formatMs(ms)} estimated${info && ctx.schemaKnown ? '' : ' for a table of unknown size'}). Run it at a quiet time, and give the application's connections a busy_timeout longer than that so that their writes wait instead of failing.`,
    safeAlternative: null,
    table,
  };
}
