import { defineRule, type FindingDraft, type Quoter } from '../core/rule.js';
import { ended } from './sql.js';
import { refusedOnSqlite } from './sqlite/refusals.js';
import { shown } from './sqlite/words.js';

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
  check({ change, facts, q, sql, dialect, table: tableOf, schemaKnown }) {
    if (change.kind !== 'drop not null') return [];
    const current = tableOf(change.table)?.columns.find((c) => c.name === change.column);
    // Already nullable: nothing changes (MySQL's MODIFY restates NULL on every nullable column).
    if (current?.nullable) return [];
    if (dialect === 'mysql')
      return [mysqlFinding(change.table, change.column, schemaKnown && current !== undefined)];
    // SQLite 3.53.0+: ALTER COLUMN … DROP NOT NULL; before, a refusal sqlite-table-rebuild reports.
    if (dialect === 'sqlite')
      return refusedOnSqlite(dialect, facts) ? [] : [sqliteFinding(q, change.table, change.column)];
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

/**
 * MySQL has no DROP NOT NULL: MODIFY/CHANGE restate the whole column, and one that leaves out
 * NOT NULL allows NULL. Without the schema we cannot tell whether it did before, so the finding
 * says what happens if it did, as information.
 */
function mysqlFinding(table: string, column: string, known: boolean): FindingDraft {
  const name = `${table.replace(/^default\./, '')}.${column}`;
  return known
    ? {
        message: `This MODIFY/CHANGE leaves out NOT NULL, so ${name} can hold NULL from now on: every reader that assumes a value (models, reports, other services) must handle NULL before any writer stores one. Write NOT NULL in the new definition if it should stay.`,
        safeAlternative: null,
      }
    : {
        message: `This MODIFY/CHANGE leaves out NOT NULL: if ${name} is NOT NULL today it can hold NULL from now on, and readers that assume a value must handle NULL first. Write NOT NULL in the new definition if it should stay (run with --db to know).`,
        safeAlternative: null,
        severity: 'info',
      };
}

/** SQLite has no column defaults to change in place: the advice is the order of deploys. */
function sqliteFinding(q: Quoter, table: string, column: string): FindingDraft {
  return {
    message: `After DROP NOT NULL, ${shown(table)}.${column} can hold NULL: every reader that assumes a value (models, reports, other services) must handle NULL before any writer stores one.`,
    safeAlternative: [
      '-- deploy readers that handle NULL first, then:',
      `ALTER TABLE ${q.table(table)} ALTER COLUMN ${q.ident(column)} DROP NOT NULL;`,
    ].join('\n'),
  };
}
