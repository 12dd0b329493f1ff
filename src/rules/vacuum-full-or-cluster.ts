import { defineRule } from '../core/rule.js';

/**
 * VACUUM FULL and CLUSTER write a new copy of the table and all its indexes while holding
 * ACCESS EXCLUSIVE: nothing reads or writes the table until the copy is done, and it needs
 * room for a second copy on disk. Plain VACUUM makes dead space reusable without blocking;
 * pg_repack returns space to the operating system, or reorders rows, online.
 * https://www.postgresql.org/docs/current/sql-vacuum.html
 * https://www.postgresql.org/docs/current/sql-cluster.html
 */
export default defineRule({
  meta: {
    id: 'vacuum-full-or-cluster',
    category: 'locking',
    severity: 'error',
    description: 'VACUUM FULL / CLUSTER rewrite the table and its indexes under ACCESS EXCLUSIVE',
    kinds: ['vacuum', 'cluster'],
    scalesWithSize: true,
    skipNewTables: true,
    dialects: ['postgres'],
  },
  check({ change, q, table: tableOf }) {
    if (change.kind === 'vacuum') {
      if (!change.full) return [];
      const tables = change.tables.map((t) => q.table(t));
      const subject = tables.length > 0 ? change.tables.join(', ') : 'every table of the database';
      // pg_repack is a command, not SQL: it goes in the message; the SQL is plain VACUUM.
      const repack = change.tables.length > 0 ? change.tables.map((t) => ` --table=${t}`).join('') : '';
      return [
        {
          message: `VACUUM FULL rewrites ${subject} and their indexes while ACCESS EXCLUSIVE blocks reads and writes, and needs disk space for a full second copy. To give space back to the operating system online, use pg_repack: pg_repack --no-order${repack}.`,
          safeAlternative: [
            '-- makes dead space reusable without blocking reads or writes (outside a transaction block):',
            `VACUUM (ANALYZE)${tables.length > 0 ? ` ${tables.join(', ')}` : ''};`,
          ].join('\n'),
          ...(change.tables[0] ? { table: change.tables[0] } : {}),
        },
      ];
    }
    if (change.kind !== 'cluster') return [];
    const info = change.table ? tableOf(change.table) : undefined;
    const index = info?.indexes.find((i) => i.name === change.index);
    // Without the index's columns pg_repack's --order-by cannot be written: say which index.
    const command = `pg_repack --table=${change.table ?? ''}${index ? ` --order-by=${index.columns.join(',')}` : ''}`;
    const orderBy =
      !index && change.index
        ? `, with --order-by set to the columns of ${change.index} (run with --db or --schema to have them written here)`
        : '';
    return [
      {
        message:
          `CLUSTER ${change.table ?? '(every previously clustered table)'} rewrites the table and its indexes in index order while ACCESS EXCLUSIVE blocks reads and writes, and has no online form.` +
          (change.table
            ? ` pg_repack reorders the rows online: ${command}${orderBy}.`
            : ' pg_repack reorders rows online.'),
        safeAlternative: null,
      },
    ];
  },
});
