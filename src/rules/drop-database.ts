import { defineRule } from '../core/rule.js';

/**
 * DROP DATABASE removes a whole database: every schema, table and row in it, for every
 * application that connects to it, with no rollback. It also cannot run inside a transaction
 * block, so a runner that wraps the file in one fails on it (concurrently-in-transaction says so).
 * A schema migration has no business doing it.
 * https://www.postgresql.org/docs/current/sql-dropdatabase.html
 */
export default defineRule({
  meta: {
    id: 'drop-database',
    category: 'breaking',
    severity: 'error',
    description: 'DROP DATABASE destroys a whole database and everything in it, beyond any rollback',
    kinds: ['drop database'],
    scalesWithSize: false,
    skipNewTables: false,
  },
  check({ change, dialect }) {
    if (change.kind !== 'drop database') return [];
    if (dialect === 'mysql')
      return [
        {
          message: `DROP DATABASE ${change.database} deletes the whole database, every table, view, routine and row in it, for every application using it; it cannot be undone.`,
          safeAlternative: [
            `-- do not drop databases from a migration: take a backup (mysqldump --single-transaction --routines ${change.database} > ${change.database}.sql),`,
            '-- check nothing connects to it any more (SHOW PROCESSLIST), and drop it by hand.',
          ].join('\n'),
        },
      ];
    return [
      {
        message:
          `DROP DATABASE ${change.database} deletes the whole database, every schema, table and row in it, for every application using it; it cannot be undone` +
          (change.force ? ', and WITH (FORCE) first terminates every session connected to it.' : '.'),
        safeAlternative: [
          `-- do not drop databases from a migration: take a backup (pg_dump -Fc ${change.database}),`,
          '-- check nothing connects to it any more, and drop it by hand, outside any transaction block.',
        ].join('\n'),
      },
    ];
  },
});
