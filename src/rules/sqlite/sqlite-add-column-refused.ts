import type { ChangeOf } from '../../core/change.js';
import { defineRule, type RuleContext } from '../../core/rule.js';
import { refusal } from './refusals.js';
import { columnDefinition, emptyValue, rebuildScript } from './sql.js';
import { shown } from './words.js';

/**
 * ADD COLUMN is SQLite's one way to add to a table in place, with restrictions
 * (https://www.sqlite.org/lang_altertable.html#altertabaddcol): no PRIMARY KEY or UNIQUE column
 * ever; and, once the table has a row, no NOT NULL column without a non-NULL default, no
 * non-constant default (CURRENT_TIMESTAMP, an expression in parentheses that calls a function),
 * no REFERENCES column with a non-NULL default while foreign keys are on, no STORED generated
 * column. The statement fails and the migration stops; each case has a form that runs.
 */
export default defineRule({
  meta: {
    id: 'sqlite-add-column-refused',
    category: 'breaking',
    severity: 'error',
    description:
      'ADD COLUMN that SQLite refuses (NOT NULL without a default, UNIQUE, PRIMARY KEY, non-constant default, STORED)',
    kinds: ['add column'],
    scalesWithSize: false,
    skipNewTables: true,
    aboutExistingRows: true,
    dialects: ['sqlite'],
  },
  check(ctx) {
    const { change } = ctx;
    if (change.kind !== 'add column') return [];
    const why = refusal(ctx.facts);
    if (why === null) return [];
    const always = /PRIMARY KEY|UNIQUE/.test(why);
    const rows = ctx.table(change.table)?.stats.rowEstimate;
    // SQLite refuses these only when the table has a row (sqlite3ErrorIfNotEmpty).
    const emptyNow = !always && ctx.schemaKnown && rows === 0 && !ctx.isNew(change.table);
    const fails = `SQLite refuses this ADD COLUMN ${change.column.name}: "${why}"`;
    return [
      {
        message: emptyNow
          ? `${fails} as soon as ${shown(change.table)} has a row; it is empty in the schema given, so the statement passes there and fails on a database where the table has rows.`
          : `${fails}${always ? '' : ` (${shown(change.table)} has rows)`}: the migration stops there. ${advice(why)}`,
        safeAlternative: safe(ctx, change, why),
        ...(emptyNow ? { severity: 'warning' as const } : {}),
      },
    ];
  },
});

function advice(why: string): string {
  if (/NOT NULL/.test(why)) return 'Give it a DEFAULT for the existing rows.';
  if (/non-constant/.test(why))
    return 'Add it without the default and fill it with an UPDATE; new rows then get no default unless the table is rebuilt.';
  if (/REFERENCES/.test(why)) return 'Add it with no default (NULL) and fill it with an UPDATE.';
  if (/STORED/.test(why)) return 'Add it VIRTUAL (computed when read), or rebuild the table to store it.';
  if (/UNIQUE/.test(why)) return 'Add the column, then a UNIQUE index on it.';
  return 'Only a rebuild of the table adds a PRIMARY KEY column.';
}

function safe(ctx: RuleContext, change: ChangeOf<'add column'>, why: string): string {
  const { q } = ctx;
  const t = q.table(change.table);
  const c = change.column;
  const col = q.ident(c.name);
  const add = (definition: string) => `ALTER TABLE ${t} ADD COLUMN ${definition};`;
  if (/NOT NULL/.test(why))
    return [
      '-- existing rows get the default: choose the value they should have',
      add(
        `${columnDefinition(q, c, { default: false, notNull: false })} NOT NULL DEFAULT ${emptyValue(c.type.sql)}`,
      ),
    ].join('\n');
  if (/non-constant|REFERENCES/.test(why)) {
    const value = c.default?.sql ?? 'NULL';
    // As a DEFAULT, anything but a literal or CURRENT_* is written in parentheses.
    const asDefault = /^(CURRENT_(TIME|DATE|TIMESTAMP)|'.*'|[-+]?[\d.]+|NULL)$/is.test(value.trim())
      ? value
      : `(${value})`;
    return [
      add(columnDefinition(q, c, { default: false, notNull: false })),
      `UPDATE ${t} SET ${col} = ${value} WHERE ${col} IS NULL;`,
      /non-constant/.test(why)
        ? `-- new rows get no default: write ${c.name} from the application, or rebuild the table to give it DEFAULT ${asDefault}`
        : `-- new rows get no default: write ${c.name} from the application`,
      ...(c.notNull
        ? [
            `-- NOT NULL afterwards: ALTER TABLE ${t} ALTER COLUMN ${col} SET NOT NULL (SQLite 3.53.0+), or the rebuild`,
          ]
        : []),
    ].join('\n');
  }
  if (/STORED/.test(why)) return add(columnDefinition(q, c, { stored: false }));
  if (/UNIQUE/.test(why)) {
    const table = change.table.slice(change.table.indexOf('.') + 1);
    return [
      add(columnDefinition(q, c, { unique: false })),
      `CREATE UNIQUE INDEX ${q.ident(`${table}_${c.name}_unique`)} ON ${t} (${col});`,
    ].join('\n');
  }
  return rebuildScript(q, change.table, ctx.table(change.table), `add the PRIMARY KEY column ${c.name}`);
}
