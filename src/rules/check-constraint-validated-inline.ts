import { changeTable } from '../core/change.js';
import { describeBlocking } from '../core/locks.js';
import { defineRule } from '../core/rule.js';
import { columnDefinition, ended, lines } from './sql.js';

/**
 * ADD CONSTRAINT … CHECK without NOT VALID reads every row while holding ACCESS EXCLUSIVE: no
 * query on the table runs until the scan ends. NOT VALID adds it instantly (new rows are
 * checked at once); VALIDATE CONSTRAINT then checks old rows under SHARE UPDATE EXCLUSIVE, which
 * lets reads and writes continue.
 * https://www.postgresql.org/docs/current/sql-altertable.html#SQL-ALTERTABLE-DESC-VALIDATE-CONSTRAINT
 */
export default defineRule({
  meta: {
    id: 'check-constraint-validated-inline',
    category: 'locking',
    severity: 'error',
    description: 'ADD CHECK without NOT VALID scans the whole table under ACCESS EXCLUSIVE',
    kinds: ['add constraint', 'add column'],
    scalesWithSize: true,
    skipNewTables: true,
    dialects: ['postgres'],
  },
  check({ change, facts, q, sql }) {
    if (!sql) return [];
    // The facts say whether existing rows are read for the CHECK (not on a foreign table, nor
    // with NOT VALID). A rewrite reads them anyway, which other rules report.
    if (!facts.validates.includes('check') || facts.rewritesTable) return [];
    const mode = facts.locks.find((l) => l.table === changeTable(change))?.mode ?? 'ACCESS EXCLUSIVE';
    if (change.kind === 'add column') {
      const { column, table } = change;
      const steps = column.checks.flatMap((check, i) => {
        const name = sql.names.helper(
          table,
          column.name,
          column.checks.length > 1 ? `check${i + 1}` : 'check',
        );
        return [
          ended(sql.alterTable(q, table, `ADD CONSTRAINT ${q.ident(name)} CHECK (${check.sql}) NOT VALID`)),
          '-- commit, then in a later transaction (reads and writes continue while it checks):',
          ended(sql.alterTable(q, table, `VALIDATE CONSTRAINT ${q.ident(name)}`)),
        ];
      });
      return [
        {
          message: `The CHECK on new column ${column.name} is verified against every row of ${table} while ${mode} is held.`,
          safeAlternative: lines(
            ended(sql.alterTable(q, table, `ADD COLUMN ${columnDefinition(q, column)}`)),
            steps,
          ),
        },
      ];
    }
    if (change.kind !== 'add constraint' || change.constraint.type !== 'check') return [];
    const c = change.constraint;
    // Unnamed, it would get a generated name; VALIDATE needs to know it, so name it.
    const name = c.name ?? `${change.table.slice(change.table.indexOf('.') + 1).slice(0, 57)}_check`;
    return [
      {
        message: `Adding CHECK ${c.name ?? `(${c.expr.sql})`} reads every row of ${change.table} while holding ${mode}: ${describeBlocking(mode).replace(/^blocks/, 'it blocks')} for the whole scan.`,
        safeAlternative: lines(
          ended(
            sql.alterTable(
              q,
              change.table,
              `ADD CONSTRAINT ${q.ident(name)} CHECK (${c.expr.sql})${c.noInherit ? ' NO INHERIT' : ''} NOT VALID`,
            ),
          ),
          '-- commit, then in a later transaction (reads and writes continue while it checks):',
          ended(sql.alterTable(q, change.table, `VALIDATE CONSTRAINT ${q.ident(name)}`)),
        ),
      },
    ];
  },
});
