import { defineRule } from '../../core/rule.js';
import { foreignKeyChecksOff } from './online.js';
import { alterTable } from './sql.js';
import { copyCost, shown } from './words.js';
import { dedicatedRule } from './owners.js';

/**
 * With foreign_key_checks on, InnoDB can only add a foreign key by copying the table
 * (ALGORITHM=COPY), checking every row against the parent while writes to the table wait; the
 * copy also holds a metadata lock on the referenced table. With foreign_key_checks off it is
 * added in place (LOCK=NONE) without looking at existing rows: check them first yourself.
 * https://dev.mysql.com/doc/refman/8.0/en/innodb-online-ddl-operations.html#online-ddl-foreign-key-operations
 * https://mariadb.com/kb/en/innodb-online-ddl-operations-with-the-inplace-alter-algorithm/#adding-a-foreign-key
 */
export default defineRule({
  meta: {
    id: 'mysql-foreign-key-copy',
    category: 'locking',
    severity: 'error',
    description: 'ADD FOREIGN KEY with foreign_key_checks on copies the table while writes wait',
    kinds: ['add constraint'],
    scalesWithSize: true,
    skipNewTables: true,
    dialects: ['mysql'],
  },
  check(ctx) {
    const { change, q } = ctx;
    if (change.kind !== 'add constraint' || change.constraint.type !== 'foreign key') return [];
    if (dedicatedRule(ctx.change, ctx) !== 'mysql-foreign-key-copy') return [];
    if (foreignKeyChecksOff(ctx)) return [];
    const fk = change.constraint;
    const parent = fk.references.table;
    const parentColumns =
      fk.references.columns.length > 0
        ? fk.references.columns
        : (ctx.table(parent)?.primaryKey?.columns ?? []);
    const name = fk.name ? `CONSTRAINT ${q.ident(fk.name)} ` : '';
    const actions = [
      ...(fk.references.onDelete !== 'NO ACTION' ? [`ON DELETE ${fk.references.onDelete}`] : []),
      ...(fk.references.onUpdate !== 'NO ACTION' ? [`ON UPDATE ${fk.references.onUpdate}`] : []),
    ];
    const body = `ADD ${name}FOREIGN KEY (${fk.columns.map(q.ident).join(', ')}) REFERENCES ${q.table(parent)} (${parentColumns.map(q.ident).join(', ')})${actions.length > 0 ? ` ${actions.join(' ')}` : ''}`;
    const join = fk.columns
      .map((c, i) => `p.${q.ident(parentColumns[i] ?? '')} = c.${q.ident(c)}`)
      .join(' AND ');
    const orphans = `SELECT count(*) FROM ${q.table(change.table)} c LEFT JOIN ${q.table(parent)} p ON ${join} WHERE ${fk.columns.map((c) => `c.${q.ident(c)} IS NOT NULL`).join(' AND ')} AND p.${q.ident(parentColumns[0] ?? '')} IS NULL;`;
    return [
      {
        message: `ADD FOREIGN KEY on ${shown(change.table)} with foreign_key_checks on runs as a table copy: ${copyCost(ctx, change.table)}; the copy also holds a lock on ${shown(parent)}, so schema changes and lock-taking statements on it wait too.`,
        safeAlternative:
          parentColumns.length === fk.columns.length
            ? [
                '-- 1. every row must have its parent; this must return 0:',
                orphans,
                '-- 2. add the key in place; with checks off the server does not read the existing rows:',
                'SET SESSION foreign_key_checks = 0;',
                alterTable(q, change.table, [body], 'ALGORITHM=INPLACE, LOCK=NONE'),
                'SET SESSION foreign_key_checks = 1;',
              ].join('\n')
            : null,
      },
    ];
  },
});
