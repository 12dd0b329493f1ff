import type { ChangeFacts } from '../core/analysis.js';
import type { ReferenceSpec } from '../core/change.js';
import { defineRule, type Quoter } from '../core/rule.js';
import { columnDefinition, ended, lines } from './sql.js';

/**
 * A foreign key added without NOT VALID checks every existing row against the referenced table
 * while both are locked. The facts say when rows are really read: a new column without a
 * default is NULL in every row, so its inline REFERENCES is taken as valid unread.
 */
export default defineRule({
  meta: {
    id: 'foreign-key-validated-inline',
    category: 'locking',
    severity: 'error',
    description: 'ADD FOREIGN KEY without NOT VALID blocks writes on both tables while every row is checked',
    kinds: ['add constraint', 'add column'],
    scalesWithSize: true,
    skipNewTables: true,
    dialects: ['postgres'],
  },
  check({ change, facts, q, sql }) {
    if (!sql) return [];
    if (!facts.validates.includes('foreign key')) return [];
    if (change.kind === 'add column' && change.column.references) {
      const { column, table } = change;
      const ref = change.column.references;
      const name = `${table.slice(table.indexOf('.') + 1)}_${column.name}_fkey`;
      return [
        {
          message: `The inline REFERENCES on ${table}.${column.name} checks every existing row against ${ref.table} (the column has a default, so its values are not all NULL) while holding ${lockPhrase(facts, [table, ref.table])}.`,
          safeAlternative: lines(
            ended(
              sql.alterTable(q, table, `ADD COLUMN ${columnDefinition(q, column, { constraints: false })}`),
            ),
            ended(
              sql.alterTable(
                q,
                table,
                `ADD CONSTRAINT ${q.ident(name)} FOREIGN KEY (${q.ident(column.name)}) REFERENCES ${references(q, ref)} NOT VALID`,
              ),
            ),
            '-- commit, then in a later transaction (reads and writes continue while it checks):',
            ended(sql.alterTable(q, table, `VALIDATE CONSTRAINT ${q.ident(name)}`)),
          ),
        },
      ];
    }
    if (change.kind !== 'add constraint' || change.constraint.type !== 'foreign key') return [];
    const c = change.constraint;
    const name = c.name ?? `${change.table.slice(change.table.indexOf('.') + 1)}_${c.columns.join('_')}_fkey`;
    return [
      {
        message: `Adding foreign key ${name} checks every row of ${change.table} while writes to ${change.table} and ${c.references.table} wait (${lockPhrase(facts, [change.table, c.references.table])}).`,
        safeAlternative: lines(
          ended(
            sql.alterTable(
              q,
              change.table,
              `ADD CONSTRAINT ${q.ident(name)} FOREIGN KEY (${c.columns.map(q.ident).join(', ')}) REFERENCES ${references(q, c.references)} NOT VALID`,
            ),
          ),
          '-- commit, then in a later transaction (reads and writes continue while it checks):',
          ended(sql.alterTable(q, change.table, `VALIDATE CONSTRAINT ${q.ident(name)}`)),
        ),
      },
    ];
  },
});

/** `users (id) ON DELETE CASCADE`: the referenced side as the user wrote it. */
function references(q: Quoter, ref: ReferenceSpec): string {
  const cols = ref.columns.length > 0 ? ` (${ref.columns.map(q.ident).join(', ')})` : '';
  const actions = [
    ref.onDelete !== 'NO ACTION' ? ` ON DELETE ${ref.onDelete}` : '',
    ref.onUpdate !== 'NO ACTION' ? ` ON UPDATE ${ref.onUpdate}` : '',
  ].join('');
  return `${q.table(ref.table)}${cols}${actions}`;
}

/** The locks the facts give these tables: "SHARE ROW EXCLUSIVE on both" or one mode per table. */
function lockPhrase(facts: ChangeFacts, tables: readonly string[]): string {
  const modes = tables.map((t) => facts.locks.find((l) => l.table === t)?.mode ?? 'no lock');
  if (tables.length === 2 && modes[0] === modes[1]) return `${modes[0] ?? ''} on both`;
  return tables.map((t, i) => `${modes[i] ?? ''} on ${t}`).join(' and ');
}
