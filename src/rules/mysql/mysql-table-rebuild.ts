import { defineRule } from '../../core/rule.js';
import { expectedOnline } from './online.js';
import { onlineSchemaChange } from './sql.js';
import { sized } from './words.js';
import { dedicatedRule } from './owners.js';

/**
 * `ALTER TABLE … ENGINE=InnoDB` on an InnoDB table, `FORCE`, `ROW_FORMAT=`, `KEY_BLOCK_SIZE=`
 * and `OPTIMIZE TABLE` rebuild the whole table. InnoDB does it in place with writes going on, but it
 * reads and writes every row (the time and I/O of a copy), takes the exclusive metadata lock at
 * its start and end, and replicas replay it only after it finished, lagging as long again.
 * Changing to another engine is a copy (mysql-copy-large-table).
 * https://dev.mysql.com/doc/refman/8.0/en/innodb-online-ddl-operations.html#online-ddl-table-operations
 * https://mariadb.com/kb/en/optimize-table/
 */
export default defineRule({
  meta: {
    id: 'mysql-table-rebuild',
    category: 'locking',
    severity: 'warning',
    description:
      'ENGINE=, FORCE, ROW_FORMAT= and OPTIMIZE TABLE rebuild the whole table: long, heavy, and replicas lag behind',
    kinds: ['alter table other'],
    scalesWithSize: true,
    skipNewTables: true,
    dialects: ['mysql'],
  },
  check(ctx) {
    const { change, q } = ctx;
    if (change.kind !== 'alter table other') return [];
    if (dedicatedRule(ctx.change, ctx) !== 'mysql-table-rebuild') return [];
    const words = change.subtype.toUpperCase();
    if (!/^(ENGINE|ROW_FORMAT|KEY_BLOCK_SIZE)=|^OPTIMIZE TABLE$|^FORCE$/.test(words)) return [];
    const expected = expectedOnline(ctx, change, ctx.statementChanges.indexOf(change));
    // Another engine copies; a MyISAM table is mysql-myisam-alter's.
    if (!expected || expected.algorithm === 'COPY') return [];
    const engine = ctx.table(change.table)?.engine ?? 'InnoDB';
    return [
      {
        message: `${words === 'OPTIMIZE TABLE' ? 'OPTIMIZE TABLE' : change.subtype} rebuilds ${sized(ctx, change.table)}: every row is read and written again (as long as a copy), the ALTER waits for the table's exclusive metadata lock at its start and end, and replicas replay it only afterwards, lagging as long again.${expected.blocksWrites ? ' With a FULLTEXT index on it, writes wait for the whole rebuild.' : ''}`,
        safeAlternative: [
          `-- when the rebuild is needed, throttled so that replicas keep up (writes go on):`,
          ...onlineSchemaChange(
            change.table,
            words === 'OPTIMIZE TABLE' || words === 'FORCE' ? `ENGINE=${engine}` : change.subtype,
          ).slice(1),
          `-- or in a quiet window, pinned so that it never falls back to a copy:`,
          `-- ALTER TABLE ${q.table(change.table)} ${words === 'OPTIMIZE TABLE' || words === 'FORCE' ? `ENGINE=${engine}` : change.subtype}, ALGORITHM=INPLACE, LOCK=NONE;`,
        ].join('\n'),
        table: change.table,
      },
    ];
  },
});
