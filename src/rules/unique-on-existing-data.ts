import { defineRule, type Quoter } from '../core/rule.js';

/**
 * A new UNIQUE constraint, unique index or primary key on a table that has data fails (after a
 * full build) if any value already repeats, and from then on rejects writes that repeat one:
 * the running application version, which was free to insert duplicates, starts getting
 * unique-violation errors. Look for duplicates first, and make writers avoid them.
 * https://www.postgresql.org/docs/current/ddl-constraints.html#DDL-CONSTRAINTS-UNIQUE-CONSTRAINTS
 */
export default defineRule({
  meta: {
    id: 'unique-on-existing-data',
    category: 'breaking',
    severity: 'warning',
    description:
      'A new UNIQUE / primary key on existing data fails on duplicates and breaks writers that insert them',
    kinds: ['add constraint', 'create index'],
    scalesWithSize: false,
    skipNewTables: true,
    aboutExistingRows: true,
  },
  check({ change, q, table: tableOf, statementChanges }) {
    let target: { table: string; keys: string[]; where: string | null; nullsDistinct: boolean; what: string };
    if (change.kind === 'create index' && change.index.unique) {
      const { index } = change;
      target = {
        table: index.table,
        keys: index.columns.map((c) => keyExpression(q, c, index.columnNames)),
        where: index.where,
        nullsDistinct: true,
        what: `unique index ${index.name ?? ''}`.trim(),
      };
    } else if (
      change.kind === 'add constraint' &&
      (change.constraint.type === 'unique' || change.constraint.type === 'primary key') &&
      change.constraint.usingIndex === null
    ) {
      const c = change.constraint;
      target = {
        table: change.table,
        keys: c.columns.map(q.ident),
        where: null,
        nullsDistinct: c.type === 'unique' && !c.nullsNotDistinct,
        what: `${c.type === 'unique' ? 'UNIQUE' : 'PRIMARY KEY'} ${c.name ?? `(${c.columns.join(', ')})`}`,
      };
    } else return [];
    // Keys on columns this same statement adds, numbered or NULL in every existing row: no
    // duplicates yet (and no column yet to look for them in).
    const added = new Map(
      statementChanges.flatMap((c) =>
        c.kind === 'add column' && c.table === target.table ? [[c.column.name, c.column]] : [],
      ),
    );
    const fresh = (key: string) => {
      const column = added.get(key.replace(/^[`"]|[`"]$/g, ''));
      return column !== undefined && (column.identity !== null || column.default === null);
    };
    if (target.keys.length > 0 && target.keys.every(fresh)) return [];
    const empty = tableOf(target.table)?.stats.rowEstimate === 0;
    return [
      {
        message: empty
          ? `Adding ${target.what} to ${target.table}: writes of the running code that repeat a value will fail with unique violations.`
          : `Adding ${target.what} to ${target.table}, which already has rows: it fails if a value repeats, and afterwards writes of the running code that repeat one fail with unique violations.`,
        safeAlternative: [
          '-- run first: safe when it returns no rows and every writer already avoids duplicates',
          duplicatesQuery(q, target.table, target.keys, target.where, target.nullsDistinct),
        ].join('\n'),
      },
    ];
  },
});

function duplicatesQuery(
  q: Quoter,
  table: string,
  keys: readonly string[],
  where: string | null,
  nullsDistinct: boolean,
): string {
  // Rows with a NULL key never conflict under the default NULLS DISTINCT.
  const filters = [
    ...(where ? [`(${where})`] : []),
    ...(nullsDistinct ? keys.map((k) => `${k} IS NOT NULL`) : []),
  ];
  const list = keys.join(', ');
  return `SELECT ${list}, count(*) FROM ${q.table(table)}${filters.length > 0 ? ` WHERE ${filters.join(' AND ')}` : ''} GROUP BY ${list} HAVING count(*) > 1 LIMIT 20;`;
}

/**
 * A key part as an expression to group by: a column, a MySQL prefix `name(10)` (unique on its
 * first 10 characters: LEFT(name, 10)), or an expression; the sort order (`DESC`) left out.
 */
function keyExpression(q: Quoter, part: string, columns: readonly string[]): string {
  const bare = part.replace(/\s+(ASC|DESC)$/i, '');
  if (columns.includes(bare)) return q.ident(bare);
  const prefix = /^(.+)\((\d+)\)$/.exec(bare);
  if (prefix?.[1] && prefix[2] && columns.includes(prefix[1]))
    return `LEFT(${q.ident(prefix[1])}, ${prefix[2]})`;
  return `(${bare})`;
}
