import type { Change, DdlOptions } from '../../core/change.js';
import { CHANGE_KINDS, changeTable } from '../../core/change.js';
import { defineRule } from '../../core/rule.js';
import { atStatementEnd, noteOnline, statementOnline } from './online.js';
import { dedicatedRule } from './owners.js';
import { withOnlineClause, type OnlineClause } from './sql.js';
import { serverWords, sized } from './words.js';

/**
 * Without ALGORITHM and LOCK, MySQL and MariaDB pick the algorithm themselves, and where an
 * ALTER cannot run online they fall back to a table copy that blocks writes, without a word.
 * With `ALGORITHM=INSTANT`, or `ALGORITHM=INPLACE, LOCK=NONE`, the server refuses the
 * statement instead (error 1845/1846), which is what a migration should do.
 * https://mariadb.com/kb/en/innodb-online-ddl-overview/
 * https://dev.mysql.com/doc/refman/8.0/en/alter-table.html#alter-table-performance
 */
/** Every kind an ALTER TABLE or CREATE INDEX lowers to: each Change is noted at its turn. */
const KINDS = CHANGE_KINDS.filter((k) => !['dml', 'select', 'set', 'set timeout', 'transaction'].includes(k));

/** Changes that only touch metadata whatever the server does: nothing to pin. */
function metadataOnly(change: Change, all: readonly Change[]): boolean {
  if (change.kind === 'drop index' || change.kind === 'rename index') return true;
  if (change.kind === 'drop constraint') return change.name !== 'PRIMARY';
  // SET/DROP DEFAULT written on their own (MODIFY restates them next to a type).
  if (change.kind === 'set default' || change.kind === 'drop default')
    return !all.some((c) => c.kind === 'alter column type');
  if (change.kind === 'alter table other')
    return /^(COMMENT|AUTO_INCREMENT|DEFAULT CHARSET|CHARACTER SET|DEFAULT CHARACTER SET|CHARSET|COLLATE|DEFAULT COLLATE)=|^ALTER (INDEX|COLUMN) /i.test(
      change.subtype,
    );
  return false;
}

export default defineRule({
  meta: {
    id: 'mysql-algorithm-lock-missing',
    category: 'locking',
    severity: 'warning',
    description:
      'ALTER TABLE or CREATE INDEX without ALGORITHM/LOCK silently copies the table (writes blocked) when it cannot run online',
    kinds: KINDS,
    scalesWithSize: true,
    skipNewTables: true,
    dialects: ['mysql'],
  },
  check(ctx) {
    const { statement, statementChanges: all, change } = ctx;
    noteOnline(ctx);
    dedicatedRule(change, ctx);
    if (!atStatementEnd(ctx)) return [];
    // OPTIMIZE and RENAME TABLE take no ALGORITHM; partition maintenance has its own rules.
    if (
      !/^\s*(ALTER\s+(ONLINE\s+|IGNORE\s+)*TABLE|CREATE\s+(UNIQUE\s+|FULLTEXT\s+|SPATIAL\s+)?INDEX)\b/i.test(
        statement.sql,
      )
    )
      return [];
    if (all.some((c) => c.kind === 'unknown' || c.kind === 'rename table')) return [];
    if (all.some((c) => c.kind === 'alter table other' && /PARTITION|OPTIMIZE/i.test(c.subtype))) return [];
    if (all.every((c) => metadataOnly(c, all))) return [];
    // A rebuild asked for on purpose: mysql-table-rebuild says how to run it.
    if (all.some((c) => dedicatedRule(c, ctx) === 'mysql-table-rebuild')) return [];
    const options = change as DdlOptions;
    const { algorithm, lock } = options;
    // ALGORITHM=COPY is reported by mysql-copy-large-table.
    if (algorithm === 'COPY') return [];
    const pinned =
      algorithm === 'INSTANT' || ((algorithm === 'INPLACE' || algorithm === 'NOCOPY') && lock === 'NONE');
    if (pinned) return [];
    const expected = statementOnline(ctx);
    // A copy, or a build that blocks writes whatever the clause: the rule of that case says so.
    if (expected?.blocksWrites) return [];
    const clause: OnlineClause =
      expected?.algorithm === 'INSTANT' ? 'ALGORITHM=INSTANT' : 'ALGORITHM=INPLACE, LOCK=NONE';
    const table = changeTable(change) ?? '';
    const blocking = lock === 'SHARED' || lock === 'EXCLUSIVE';
    const why = blocking
      ? `LOCK=${lock} on ${sized(ctx, table)} blocks ${lock === 'SHARED' ? 'writes' : 'reads and writes'} for the whole ALTER, though it can run with writes going on.`
      : `No ALGORITHM/LOCK on this ${/^\s*CREATE/i.test(statement.sql) ? 'CREATE INDEX' : 'ALTER'} of ${sized(ctx, table)}: where the server cannot do it online it copies the whole table with writes blocked, without a warning.`;
    const known =
      expected?.algorithm === 'INSTANT'
        ? ` It is instant on ${serverWords(ctx.major)}${expected.source === 'documented' ? ' (documented)' : ''}; pinning it keeps it so.`
        : '';
    return [
      {
        message: `${why} Ask for ${clause}: the server then refuses with an error instead of copying.${known}`,
        safeAlternative: withOnlineClause(statement.sql, clause),
        table,
      },
    ];
  },
});
