import { defineRule } from '../core/rule.js';
import { batchedDml } from './dml.js';

/**
 * Enum labels are data that code compares and writes. ALTER TYPE … RENAME VALUE is instant, but
 * the running application version still sends the old label, and every insert of it fails
 * ("invalid input value for enum"); queries filtering on it silently match nothing. DROP TYPE of
 * a type that columns still use fails, or with CASCADE drops those columns and their data.
 * PostgreSQL cannot remove a label: add the new one, move rows, stop using the old one.
 * https://www.postgresql.org/docs/current/sql-altertype.html
 */
export default defineRule({
  meta: {
    id: 'enum-value-change',
    category: 'breaking',
    severity: 'error',
    description: 'Renaming an enum value, or dropping an enum type in use, breaks code and data',
    kinds: ['rename enum value', 'drop type'],
    scalesWithSize: false,
    skipNewTables: false,
    dialects: ['postgres'],
  },
  check({ change, q, major, columnsOfType, schemaKnown, table: tableOf, sql }) {
    if (!sql) return [];
    if (change.kind === 'rename enum value') {
      const { type, value, newValue } = change;
      const columns = columnsOfType(type);
      const moves = columns.flatMap((qualified) => {
        const dot = qualified.lastIndexOf('.');
        const [table, column] = [qualified.slice(0, dot), q.ident(qualified.slice(dot + 1))];
        const update = `UPDATE ${q.table(table)} SET ${column} = ${q.literal(newValue)} WHERE ${column} = ${q.literal(value)}`;
        return batchedDml(sql, q, update, table, tableOf(table), major) ?? [`${update};`];
      });
      return [
        {
          message:
            `Renaming ${type} value '${value}' to '${newValue}' breaks code that still writes or compares '${value}': its inserts fail with "invalid input value for enum", and its queries on '${value}' match nothing.` +
            (columns.length > 0 ? ` Columns of this type: ${columns.join(', ')}.` : ''),
          safeAlternative: [
            `ALTER TYPE ${q.table(type)} ADD VALUE IF NOT EXISTS ${q.literal(newValue)} AFTER ${q.literal(value)};`,
            `-- commit (a new label is usable only after that); deploy code that reads both labels and writes '${newValue}'; then move the rows:`,
            // Without a schema the columns to move are unknown: said so, not written as a template.
            ...(moves.length > 0
              ? moves
              : schemaKnown
                ? [`-- (no column uses ${type} in the schema given: no rows to move)`]
                : [
                    `-- (the columns of type ${type} are unknown: run with --db or --schema to get the UPDATE for each)`,
                  ]),
            `-- '${value}' stays in the type (PostgreSQL cannot drop a label); stop accepting it in code.`,
          ].join('\n'),
        },
      ];
    }
    if (change.kind !== 'drop type') return [];
    return change.types.flatMap((type) => {
      const columns = columnsOfType(type);
      if (columns.length === 0) return [];
      return [
        {
          message:
            (change.cascade
              ? `DROP TYPE ${type} CASCADE drops the columns that use it, with their data: ${columns.join(', ')}.`
              : `DROP TYPE ${type} fails while columns use it: ${columns.join(', ')}; with CASCADE it would drop them and their data.`) +
            ` First move each of them off the type (ALTER COLUMN … TYPE text USING …::text) or drop it deliberately, then DROP TYPE ${type} without CASCADE.`,
          // Moving a column off the type (or dropping it) is the author's decision, and until it
          // is made DROP TYPE fails: there is nothing to paste.
          safeAlternative: null,
        },
      ];
    });
  },
});
