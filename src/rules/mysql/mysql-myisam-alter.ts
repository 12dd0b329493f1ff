import { changeTable, type ChangeKind } from '../../core/change.js';
import { defineRule } from '../../core/rule.js';
import { onlineSchemaChange } from './sql.js';
import { sized } from './words.js';

/**
 * Only InnoDB alters tables online. On MyISAM, Aria, MEMORY or ARCHIVE every ALTER TABLE,
 * CREATE/DROP INDEX and OPTIMIZE copies the table under a lock that lets reads through but
 * blocks every write until it is done (and MyISAM is not crash-safe: a crash during it can
 * leave the table to repair). Move the table to InnoDB once, online, then alter it.
 * https://dev.mysql.com/doc/refman/8.0/en/alter-table.html#alter-table-performance
 * https://mariadb.com/kb/en/converting-tables-from-myisam-to-innodb/
 */
const KINDS = [
  'add column',
  'drop column',
  'rename column',
  'alter column type',
  'set not null',
  'drop not null',
  'add identity',
  'set generated expression',
  'add constraint',
  'drop constraint',
  'create index',
  'drop index',
  'alter table other',
] as const satisfies readonly ChangeKind[];

export default defineRule({
  meta: {
    id: 'mysql-myisam-alter',
    category: 'locking',
    severity: 'error',
    description: 'ALTER on a MyISAM (non-InnoDB) table copies it while every write waits',
    kinds: KINDS,
    scalesWithSize: true,
    skipNewTables: true,
    dialects: ['mysql'],
  },
  check(ctx) {
    const table = changeTable(ctx.change);
    const engine = table ? ctx.table(table)?.engine : undefined;
    if (!table || !engine || engine.toLowerCase() === 'innodb') return [];
    // Moving it to InnoDB is the fix itself (still a copy: said by mysql-copy-large-table).
    if (ctx.change.kind === 'alter table other' && /^ENGINE=INNODB$/i.test(ctx.change.subtype)) return [];
    // One finding per statement.
    if (ctx.statementChanges.find((c) => changeTable(c) === table) !== ctx.change) return [];
    return [
      {
        message: `${sized(ctx, table)} is a ${engine} table: only InnoDB alters online, so this statement copies it while every write waits (reads go on), and a crash during it can leave the table to repair.`,
        safeAlternative: [
          `-- move it to InnoDB once, online (writes go on), then alter it online:`,
          ...onlineSchemaChange(table, 'ENGINE=InnoDB').slice(1),
        ].join('\n'),
        table,
      },
    ];
  },
});
