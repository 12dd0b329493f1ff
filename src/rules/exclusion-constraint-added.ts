import { defineRule } from '../core/rule.js';

/**
 * ADD CONSTRAINT … EXCLUDE builds its index (GiST, usually) over every row while holding
 * ACCESS EXCLUSIVE. Unlike UNIQUE and PRIMARY KEY, an exclusion constraint cannot adopt an
 * index built CONCURRENTLY, and it has no NOT VALID form: there is no online path.
 * https://www.postgresql.org/docs/current/sql-altertable.html#SQL-ALTERTABLE-DESC-ADD-TABLE-CONSTRAINT
 */
export default defineRule({
  meta: {
    id: 'exclusion-constraint-added',
    category: 'locking',
    severity: 'error',
    description: 'ADD EXCLUDE builds its index under ACCESS EXCLUSIVE, with no online alternative',
    kinds: ['add constraint'],
    scalesWithSize: true,
    skipNewTables: true,
    dialects: ['postgres'],
  },
  check({ change }) {
    if (change.kind !== 'add constraint' || change.constraint.type !== 'exclusion') return [];
    const name = change.constraint.name ?? 'the exclusion constraint';
    return [
      {
        message: `Adding ${name} builds its index over every row of ${change.table} while ACCESS EXCLUSIVE blocks reads and writes, and PostgreSQL has no concurrent or NOT VALID form for it. Run it in a quiet window with a lock_timeout, or create it on a new empty table and move the rows there.`,
        safeAlternative: null,
      },
    ];
  },
});
