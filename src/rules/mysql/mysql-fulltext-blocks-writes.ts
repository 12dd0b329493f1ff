import { changeTable } from '../../core/change.js';
import { defineRule } from '../../core/rule.js';
import { expectedOnline } from './online.js';
import { alterClauses, onlineSchemaChange } from './sql.js';
import { sized } from './words.js';
import { dedicatedRule } from './owners.js';

/**
 * InnoDB builds FULLTEXT and SPATIAL indexes with writes blocked (LOCK=SHARED at best), and a
 * table that has a FULLTEXT index cannot be rebuilt online: ADD or DROP COLUMN there takes
 * LOCK=SHARED too, where on other tables it is instant. Writes wait for the whole rebuild.
 * https://dev.mysql.com/doc/refman/8.0/en/innodb-online-ddl-operations.html#online-ddl-index-operations
 * https://dev.mysql.com/doc/refman/8.0/en/innodb-online-ddl-limitations.html
 */
export default defineRule({
  meta: {
    id: 'mysql-fulltext-blocks-writes',
    category: 'locking',
    severity: 'error',
    description:
      'Adding a FULLTEXT/SPATIAL index, or a column change on a table with a FULLTEXT index, blocks writes for the whole rebuild',
    kinds: ['create index', 'add column', 'drop column'],
    scalesWithSize: true,
    skipNewTables: true,
    dialects: ['mysql'],
  },
  check(ctx) {
    const { change } = ctx;
    const table = changeTable(change);
    if (!table) return [];
    if (dedicatedRule(ctx.change, ctx) !== 'mysql-fulltext-blocks-writes') return [];
    // An AUTO_INCREMENT column blocks writes anywhere: mysql-add-auto-increment says so.
    if (change.kind === 'add column' && change.column.identity) return [];
    const expected = expectedOnline(ctx, change, ctx.statementChanges.indexOf(change));
    if (!expected?.blocksWrites || expected.algorithm === 'COPY') return [];
    const byIndex = change.kind === 'create index';
    const fulltext = ctx.table(table)?.indexes.find((i) => i.method === 'fulltext');
    if (!byIndex && !fulltext) return [];
    const what = byIndex
      ? `Building the ${change.index.method.toUpperCase()} index ${change.index.name ?? ''} on ${sized(ctx, table)}`.replace(
          '  ',
          ' ',
        )
      : `${change.kind === 'add column' ? 'ADD' : 'DROP'} COLUMN on ${sized(ctx, table)}, which has the FULLTEXT index ${fulltext?.name ?? ''}, rebuilds it and`;
    const clauses = alterClauses(ctx.statement.sql) ?? (byIndex ? indexClause(ctx.statement.sql) : null);
    return [
      {
        message: `${what} blocks writes (LOCK=SHARED is the least it can take) until it is done; reads go on.`,
        safeAlternative: clauses
          ? [
              ...onlineSchemaChange(table, clauses),
              ...(byIndex
                ? []
                : [
                    `-- or drop the FULLTEXT index first (instant), alter online, and add it back in a quiet window.`,
                  ]),
            ].join('\n')
          : null,
        table,
      },
    ];
  },
});

/** `CREATE FULLTEXT INDEX i ON t (cols)` as the ALTER clause an online schema change tool takes. */
function indexClause(sql: string): string | null {
  const m = /^\s*CREATE\s+(FULLTEXT|SPATIAL)\s+INDEX\s+(\S+)\s+ON\s+\S+\s*(\([\s\S]*\))/i.exec(sql);
  return m ? `ADD ${m[1]?.toUpperCase() ?? ''} INDEX ${m[2] ?? ''} ${m[3] ?? ''}` : null;
}
