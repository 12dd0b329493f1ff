/**
 * Online DDL building blocks (OnlineDdlSql): the ALGORITHM/LOCK a plan pins on each step, what
 * each server version does instantly, and column definitions as MODIFY restates them.
 *
 * The pin is the strongest the facts allow, so the server refuses (ER_ALTER_OPERATION_NOT_SUPPORTED,
 * 1845/1846) instead of silently falling back to a copy that blocks writes:
 * - INSTANT where the change is instant;
 * - else the in-place algorithm with LOCK=NONE;
 * - unmeasured: ALGORITHM=INPLACE, LOCK=NONE. On MariaDB the named algorithm is the least
 *   efficient one allowed (an instant change stays instant; measured: an ADD COLUMN pinned
 *   INPLACE ran instantly, the table id unchanged); on MySQL 8 INPLACE is run as named.
 * https://mariadb.com/kb/en/innodb-online-ddl-overview/#alter-algorithms
 * https://dev.mysql.com/doc/refman/8.0/en/alter-table.html#alter-table-performance
 */
import type { DdlPin, OnlineDdlSql } from '../../../core/dialect/safe-sql.js';
import type { OnlineAlgorithm } from '../../../core/analysis.js';
import { toolRun } from '../osc/args.js';
import { addIndexClause, columnDefinition, editDefinition, sameType } from '../plan/definition.js';
import { positionOf, restoreColumn } from '../plan/inverse.js';
import { columnClauseOf, ddlStatement, pinnedStatement, pinWords } from '../plan/statement.js';
import { backfillLoop } from './batches.js';

const isMariadb = (key: number) => key >= 100_000;

function pinFor(
  online: { algorithm: OnlineAlgorithm; blocksWrites: boolean; blocksReads?: boolean } | undefined,
  major: number,
): DdlPin {
  if (!online) return { algorithm: 'INPLACE', lock: 'NONE' };
  if (online.algorithm === 'INSTANT') return { algorithm: 'INSTANT', lock: null };
  // NOCOPY is MariaDB's (10.3+): MySQL names the same in-place change INPLACE.
  const algorithm = online.algorithm === 'NOCOPY' && !isMariadb(major) ? 'INPLACE' : online.algorithm;
  if (online.blocksReads) return { algorithm, lock: 'EXCLUSIVE' };
  if (online.blocksWrites || algorithm === 'COPY') return { algorithm, lock: 'SHARED' };
  return { algorithm, lock: 'NONE' };
}

/**
 * Instant column changes by version (ALGORITHM=INSTANT accepted):
 * - MariaDB 10.3 adds a column last, 10.4 anywhere and drops one; renames are instant since
 *   10.3 (https://mariadb.com/kb/en/instant-add-column-for-innodb/,
 *   https://mariadb.com/kb/en/innodb-online-ddl-operations-with-the-instant-alter-algorithm/);
 * - MySQL 8.0.29 adds anywhere and drops (up to 64 row versions per table, then a rebuild is
 *   needed), 8.0.28 renames (https://dev.mysql.com/doc/refman/8.0/en/innodb-online-ddl-operations.html).
 */
function instant(major: number) {
  if (isMariadb(major))
    return { addColumn: major >= 100_400, dropColumn: major >= 100_400, renameColumn: major >= 100_300 };
  return { addColumn: major >= 80_029, dropColumn: major >= 80_029, renameColumn: major >= 80_028 };
}

export const online: OnlineDdlSql = {
  pinFor,
  alter: (q, table, clauses, pin) =>
    `ALTER TABLE ${q.table(table)} ${clauses.join(', ')}${pinWords(pin, ', ')}`,
  statement: ddlStatement,
  pinned: pinnedStatement,
  columnClause: columnClauseOf,
  columnDefinition,
  editDefinition,
  addIndex: addIndexClause,
  positionOf,
  restoreColumn,
  sameType,
  instant,
  // RENAME COLUMN: MariaDB 10.5.2+, MySQL 8.0+; before, CHANGE with the whole definition.
  renameColumn: (q, from, to, definition, major) =>
    (isMariadb(major) ? major >= 100_502 : major >= 80_000)
      ? `RENAME COLUMN ${q.ident(from)} TO ${q.ident(to)}`
      : `CHANGE ${q.ident(from)} ${q.ident(to)} ${definition}`,
  // A session holding LOCK TABLES … WRITE may run DDL on the table; others wait.
  // https://dev.mysql.com/doc/refman/8.0/en/lock-tables.html
  holdWrites: (q, table) => ({ lock: `LOCK TABLES ${q.table(table)} WRITE`, unlock: 'UNLOCK TABLES' }),
  dropTrigger: (q, table, name, options = {}) =>
    `DROP TRIGGER ${options.ifExists ? 'IF EXISTS ' : ''}${q.table(`${table.slice(0, table.indexOf('.'))}.${name}`)}`,
  tool: toolRun,
  backfill(q, spec) {
    const loop = backfillLoop(q, spec);
    return [...loop.setup, ...loop.batch, loop.guard];
  },
};
