import type { TypeRef } from '../core/change.js';
import { defineRule } from '../core/rule.js';
import { ended } from './sql.js';

/**
 * A type change that narrows the column (shorter varchar, smaller integer, less numeric
 * precision) fails, after rewriting the table, if any existing value does not fit, and from
 * then on rejects writes that the running application version still makes. Check the data
 * first; often a CHECK constraint (NOT VALID, then VALIDATE) enforces the new limit without a
 * rewrite and without changing the type at all.
 * https://www.postgresql.org/docs/current/sql-altertable.html#SQL-ALTERTABLE-DESC-SET-DATA-TYPE
 */
/** Lower precision rounds these instead of rejecting: the rows that change are the misfits. */
const ROUNDED = new Set(['timestamp', 'timestamptz', 'time', 'timetz', 'interval']);

const INT_RANGE: Record<string, [string, string]> = {
  int2: ['-32768', '32767'],
  int4: ['-2147483648', '2147483647'],
};

export default defineRule({
  meta: {
    id: 'type-narrowing',
    category: 'breaking',
    severity: 'error',
    description:
      'A narrowing type change fails on values that do not fit and rejects writes old code still makes',
    kinds: ['alter column type'],
    scalesWithSize: false,
    skipNewTables: true,
    aboutExistingRows: true,
    dialects: ['postgres'],
  },
  check({ change, facts, q, major, table: tableOf, sql }) {
    if (!sql) return [];
    if (change.kind !== 'alter column type' || !facts.rejectsExistingValues) return [];
    const { table, column, type } = change;
    const col = q.ident(column);
    const misfit = misfitCondition(col, type, major, q.literal);
    // A CHECK with the new limit only makes sense on a column of the same kind (an integer
    // column gets no char_length CHECK for a change to varchar).
    const current = tableOf(table)?.columns.find((c) => c.name === column)?.type ?? '';
    const limit = sameKind(current, type) ? limitCheck(col, type) : null;
    const name = sql.names.helper(table, column, 'fits');
    const rounds = ROUNDED.has(type.name) && type.arrayDims === 0;
    const message = rounds
      ? `Changing ${table}.${column} to ${type.sql} rounds every existing value to the lower precision, and the values the running code writes from then on: the data changes silently.`
      : `Changing ${table}.${column} to ${type.sql} narrows it: the statement fails (after rewriting the table) if an existing value does not fit, and afterwards the running code's writes that do not fit fail.`;
    // Without a query that finds the misfits there is nothing to run first: said in words.
    if (!misfit)
      return [
        {
          message: `${message} Check first that every value of ${column} fits ${type.sql} (pg_input_is_valid, PostgreSQL 16+, tests it in SQL).`,
          safeAlternative: null,
        },
      ];
    return [
      {
        message,
        safeAlternative: [
          '-- run first; it must return 0:',
          `SELECT count(*) FROM ${q.table(table)} WHERE ${misfit};`,
          ...(limit
            ? [
                '-- to enforce the limit without a rewrite, a CHECK instead of the narrower type (online):',
                ended(sql.alterTable(q, table, `ADD CONSTRAINT ${q.ident(name)} CHECK (${limit}) NOT VALID`)),
                '-- commit, then:',
                ended(sql.alterTable(q, table, `VALIDATE CONSTRAINT ${q.ident(name)}`)),
              ]
            : []),
        ].join('\n'),
      },
    ];
  },
});

/** A predicate true for the rows whose value the new type would reject or change. */
function misfitCondition(
  col: string,
  type: TypeRef,
  major: number,
  literal: (value: string) => string,
): string | null {
  const [n, scale = 0] = type.modifiers;
  if (type.arrayDims === 0) {
    // As text: the old column may be of another type (integer → varchar(5) is an assignment cast).
    if ((type.name === 'varchar' || type.name === 'bpchar') && n !== undefined)
      return `char_length(${col}::text) > ${n}`;
    if ((type.name === 'varbit' || type.name === 'bit') && n !== undefined) return `length(${col}) > ${n}`;
    const range = INT_RANGE[type.name];
    if (range) return `${col} NOT BETWEEN ${range[0]} AND ${range[1]}`;
    if (ROUNDED.has(type.name) && n !== undefined) return `${col} <> ${col}::${type.sql}`;
    if (type.name === 'numeric' && n !== undefined)
      return `abs(${col}) >= 1${'0'.repeat(Math.max(n - scale, 0))} OR ${col} <> round(${col}, ${scale})`;
  }
  // pg_input_is_valid (16+) tells whether any value would fail the conversion.
  if (major >= 16) return `NOT pg_input_is_valid(${col}::text, ${literal(type.sql)})`;
  return null;
}

/** A CHECK expression with the new type's limit, when there is a simple one. */
function limitCheck(col: string, type: TypeRef): string | null {
  const [n] = type.modifiers;
  if (type.arrayDims > 0) return null;
  if (type.name === 'varchar' && n !== undefined) return `char_length(${col}) <= ${n}`;
  const range = INT_RANGE[type.name];
  if (range) return `${col} BETWEEN ${range[0]} AND ${range[1]}`;
  return null;
}

/** Whether the column's catalog type is of the new type's kind: text for varchar, integer for int2/int4. */
function sameKind(current: string, type: TypeRef): boolean {
  if (type.name === 'varchar') return /^(character varying|text)\b/.test(current) && !current.endsWith('[]');
  if (type.name in INT_RANGE) return /^(smallint|integer|bigint)$/.test(current);
  return false;
}
