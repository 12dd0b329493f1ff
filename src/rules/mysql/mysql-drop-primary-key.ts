import { defineRule } from '../../core/rule.js';
import { copyCost, shown } from './words.js';
import { dedicatedRule } from './owners.js';

/**
 * InnoDB stores rows in primary-key order. DROP PRIMARY KEY without adding another in the same
 * statement can only copy the table (writes wait), and leaves it clustered on a hidden row id:
 * row-based replicas then find each updated or deleted row by scanning, and online schema change
 * tools refuse a table without a primary or unique key. Replacing the key in one statement
 * (DROP PRIMARY KEY, ADD PRIMARY KEY (…)) is a rebuild in place with writes going on.
 * https://dev.mysql.com/doc/refman/8.0/en/innodb-online-ddl-operations.html#online-ddl-primary-key-operations
 * https://mariadb.com/kb/en/innodb-online-ddl-operations-with-the-inplace-alter-algorithm/#dropping-a-primary-key
 */
export default defineRule({
  meta: {
    id: 'mysql-drop-primary-key',
    category: 'locking',
    severity: 'error',
    description: 'DROP PRIMARY KEY without a new one copies the table and leaves it without a key',
    kinds: ['drop constraint'],
    scalesWithSize: true,
    skipNewTables: true,
    dialects: ['mysql'],
  },
  check(ctx) {
    const { change } = ctx;
    if (change.kind !== 'drop constraint' || change.name !== 'PRIMARY') return [];
    if (dedicatedRule(ctx.change, ctx) !== 'mysql-drop-primary-key') return [];
    const replaced = ctx.statementChanges.some(
      (c) => c.kind === 'add constraint' && c.constraint.type === 'primary key',
    );
    if (replaced) return [];
    const info = ctx.table(change.table);
    const key = info?.primaryKey?.columns;
    // An AUTO_INCREMENT column must stay a key: the server refuses the statement outright.
    const auto = info?.columns.find((c) => key?.includes(c.name) && c.identity);
    if (auto)
      return [
        {
          message: `The primary key of ${shown(change.table)} is on the AUTO_INCREMENT column ${auto.name}, which must stay a key: the server refuses this statement (error 1075). Replace the key in one statement (DROP PRIMARY KEY, ADD PRIMARY KEY (…) with ${auto.name} in it, or add a UNIQUE key on ${auto.name} first).`,
          safeAlternative: null,
        },
      ];
    return [
      {
        message: `Dropping the primary key of ${shown(change.table)}${key ? ` (${key.join(', ')})` : ''} without adding another in the same statement copies the table: ${copyCost(ctx, change.table)}. Without a key, row-based replicas scan the table for each row changed, and pt-online-schema-change and gh-ost refuse it. Replace the key in one statement instead (DROP PRIMARY KEY, ADD PRIMARY KEY (…), ALGORITHM=INPLACE, LOCK=NONE): a rebuild with writes going on.`,
        safeAlternative: null,
      },
    ];
  },
});
