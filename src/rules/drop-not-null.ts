import { defineRule } from '../core/rule.js';
import { ended } from './sql.js';

/**
 * DROP NOT NULL is instant, but from then on the column may hold NULL, and code written when it
 * could not (an ORM model with a non-optional field, a report summing it, another service
 * deserialising it) breaks on the first NULL. Readers must handle NULL before writers send it.
 * https://www.postgresql.org/docs/current/sql-altertable.html#SQL-ALTERTABLE-DESC-SET-DROP-NOT-NULL
 */
export default defineRule({
  meta: {
    id: 'drop-not-null',
    category: 'breaking',
    severity: 'warning',
    description: 'DROP NOT NULL lets NULLs reach code that assumes there are none',
    kinds: ['drop not null'],
    scalesWithSize: false,
    skipNewTables: true,
  },
  check({ change, q, sql }) {
    if (change.kind !== 'drop not null') return [];
    const col = q.ident(change.column);
    return [
      {
        message: `After DROP NOT NULL, ${change.table}.${change.column} can hold NULL: every reader that assumes a value (models, reports, other services) must handle NULL before any writer stores one.`,
        // Without the dialect's safe SQL the advice is the finding itself.
        safeAlternative:
          sql &&
          [
            // The default's value would be the author's choice: said in words, not as SQL to fill in.
            `-- if writers only need to leave ${change.column} out, give it a default instead (ALTER COLUMN … SET DEFAULT) and keep NOT NULL;`,
            '-- otherwise, deploy readers that handle NULL first, then:',
            ended(sql.alterTable(q, change.table, `ALTER COLUMN ${col} DROP NOT NULL`)),
          ].join('\n'),
      },
    ];
  },
});
