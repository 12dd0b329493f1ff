import { defineRule } from '../core/rule.js';
import { alterTable, lines } from './sql.js';

/** ADD FOREIGN KEY without NOT VALID checks every row while writes to both tables wait. */
export default defineRule({
  meta: {
    id: 'foreign-key-validated-inline',
    category: 'locking',
    severity: 'error',
    description: 'ADD FOREIGN KEY without NOT VALID blocks writes on both tables while every row is checked',
    kinds: ['add constraint', 'add column'],
    scalesWithSize: true,
    skipNewTables: true,
  },
  check({ change, q }) {
    if (change.kind === 'add column' && change.column.references) {
      const { column, table } = change;
      const ref = column.references;
      if (!ref) return [];
      const name = `${table.slice(table.indexOf('.') + 1)}_${column.name}_fkey`;
      const cols = ref.columns.length > 0 ? ` (${ref.columns.map(q.ident).join(', ')})` : '';
      return [
        {
          message: `The inline REFERENCES on ${table}.${column.name} validates existing rows while holding SHARE ROW EXCLUSIVE on ${table} and ${ref.table}.`,
          safeAlternative: lines(
            alterTable(q, table, `ADD COLUMN ${q.ident(column.name)} ${column.type.sql}`),
            alterTable(
              q,
              table,
              `ADD CONSTRAINT ${q.ident(name)} FOREIGN KEY (${q.ident(column.name)}) REFERENCES ${q.table(ref.table)}${cols} NOT VALID`,
            ),
            '-- commit, then in a later transaction:',
            alterTable(q, table, `VALIDATE CONSTRAINT ${q.ident(name)}`),
          ),
        },
      ];
    }
    if (
      change.kind !== 'add constraint' ||
      change.constraint.type !== 'foreign key' ||
      change.constraint.notValid
    )
      return [];
    const c = change.constraint;
    const name = c.name ?? `${change.table.slice(change.table.indexOf('.') + 1)}_${c.columns.join('_')}_fkey`;
    const cols = c.references.columns.length > 0 ? ` (${c.references.columns.map(q.ident).join(', ')})` : '';
    const actions = [
      c.references.onDelete !== 'NO ACTION' ? ` ON DELETE ${c.references.onDelete}` : '',
      c.references.onUpdate !== 'NO ACTION' ? ` ON UPDATE ${c.references.onUpdate}` : '',
    ].join('');
    return [
      {
        message: `Adding foreign key ${name} checks every row of ${change.table} while writes to ${change.table} and ${c.references.table} wait (SHARE ROW EXCLUSIVE on both).`,
        safeAlternative: lines(
          alterTable(
            q,
            change.table,
            `ADD CONSTRAINT ${q.ident(name)} FOREIGN KEY (${c.columns.map(q.ident).join(', ')}) REFERENCES ${q.table(c.references.table)}${cols}${actions} NOT VALID`,
          ),
          '-- commit, then in a later transaction (reads and writes continue while it checks):',
          alterTable(q, change.table, `VALIDATE CONSTRAINT ${q.ident(name)}`),
        ),
      },
    ];
  },
});
