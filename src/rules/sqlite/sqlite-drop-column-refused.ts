import type { ChangeOf } from '../../core/change.js';
import { defineRule, type RuleContext } from '../../core/rule.js';
import type { Table } from '../../core/snapshot.js';
import { refusal } from './refusals.js';
import { rebuildScript } from './sql.js';
import { bare, shown, SQLITE_VERSIONS, versionWords } from './words.js';

/**
 * DROP COLUMN (SQLite 3.35.0+) refuses a column that anything else uses
 * (https://www.sqlite.org/lang_altertable.html#altertabdropcol): a PRIMARY KEY or UNIQUE
 * column, one in an index (a partial index's WHERE included), in a CHECK or generated column
 * of another column, in a table FOREIGN KEY, or used by a trigger or view. What uses it is
 * dropped first (an index, a view, a trigger: created again afterwards without the column);
 * what is part of the table's definition leaves only the rebuild. Before 3.35.0 there is no
 * DROP COLUMN at all.
 */
export default defineRule({
  meta: {
    id: 'sqlite-drop-column-refused',
    category: 'breaking',
    severity: 'error',
    description:
      'DROP COLUMN that SQLite refuses: the column is indexed, constrained, or used by a view or trigger',
    kinds: ['drop column'],
    scalesWithSize: false,
    skipNewTables: true,
    dialects: ['sqlite'],
  },
  check(ctx) {
    const { change } = ctx;
    if (change.kind !== 'drop column') return [];
    const why = refusal(ctx.facts);
    const name = `${shown(change.table)}.${change.column}`;
    if (why === null) {
      // A FOREIGN KEY written as a table constraint stops the drop; a column's own REFERENCES
      // goes with it. The snapshot does not tell them apart.
      const fk = ctx.facts.notes.some((n) => n.includes('unknown column in foreign key definition'));
      const written = tableConstraintKey(ctx.table(change.table), change.column);
      // The snapshot's CREATE TABLE says which: the column's own REFERENCES drops with it.
      if (written === false) return [];
      return fk
        ? [
            {
              message:
                written === true
                  ? `SQLite refuses to drop ${name}: it is in a table FOREIGN KEY (${change.column}) … of ${shown(change.table)} ("error in table ${bare(change.table)} after drop column: unknown column "${change.column}" in foreign key definition"), which only a rebuild removes.`
                  : `${name} is in a foreign key of ${shown(change.table)}: SQLite drops the column with its own REFERENCES, but refuses ("unknown column in foreign key definition") when the key is a table constraint (FOREIGN KEY (${change.column}) REFERENCES …), which only a rebuild removes.`,
              ...(written === true ? {} : { severity: 'warning' as const }),
              safeAlternative:
                written === true
                  ? rebuildScript(
                      ctx.q,
                      change.table,
                      ctx.table(change.table),
                      `drop the column ${change.column}`,
                    )
                  : null,
            },
          ]
        : [];
    }
    if (ctx.major < SQLITE_VERSIONS.dropColumn)
      return [
        {
          message: `SQLite ${versionWords(ctx.major)} has no DROP COLUMN (it came in 3.35.0): "${why}". Rebuild ${shown(change.table)} without the column, or set the target version to the SQLite the application really runs.`,
          safeAlternative: rebuildScript(
            ctx.q,
            change.table,
            ctx.table(change.table),
            `drop the column ${change.column}`,
          ),
        },
      ];
    const table = ctx.table(change.table);
    const users = table ? blockers(ctx, table, change) : { droppable: [], definition: [] };
    const list = [...users.droppable.map((b) => b.what), ...users.definition].join(', ');
    return [
      {
        message: `SQLite refuses to drop ${name}: "${why}"${list ? `. It is used by ${list}` : ''}. ${
          users.definition.length > 0
            ? `The column is part of the table's definition: only a rebuild of ${shown(change.table)} removes it.`
            : 'Drop what uses it first, drop the column, then create them again without it.'
        }`,
        safeAlternative:
          users.definition.length > 0 || !table
            ? rebuildScript(ctx.q, change.table, table, `drop the column ${change.column}`)
            : [
                ...users.droppable.map((b) => b.drop),
                `ALTER TABLE ${ctx.q.table(change.table)} DROP COLUMN ${ctx.q.ident(change.column)};`,
                ...users.droppable.flatMap((b) => b.again),
              ].join('\n'),
      },
    ];
  },
});

interface Droppable {
  what: string;
  drop: string;
  /** Its definition again, without the column: the author's to write, shown as it was. */
  again: string[];
}

/** What uses the column: objects that can be dropped and made again, and parts of the definition. */
function blockers(
  ctx: RuleContext,
  table: Table,
  change: ChangeOf<'drop column'>,
): { droppable: Droppable[]; definition: string[] } {
  const { q } = ctx;
  const column = change.column;
  const is = (c: string) => c.toLowerCase() === column.toLowerCase();
  const schema = change.table.slice(0, change.table.indexOf('.'));
  const droppable: Droppable[] = [];
  const definition: string[] = [];
  if (table.primaryKey?.columns.some(is)) definition.push('the PRIMARY KEY');
  for (const u of table.uniqueConstraints)
    if (u.columns.some(is)) definition.push(`UNIQUE (${u.columns.join(', ')})`);
  for (const c of table.checkConstraints)
    if (
      mentions(c.definition, column) &&
      table.columns.some((o) => !is(o.name) && mentions(c.definition, o.name))
    )
      definition.push(c.definition);
  for (const o of table.columns)
    if (o.generated && !is(o.name) && mentions(o.generated, column))
      definition.push(`the generated column ${o.name}`);
  for (const f of table.foreignKeys)
    if (f.columns.some(is) && f.columns.length > 1) definition.push(`FOREIGN KEY (${f.columns.join(', ')})`);
  for (const i of table.indexes) {
    if (i.primary || i.constraint !== null) continue;
    if (i.columns.some((c) => mentions(c, column)) || (i.predicate !== null && mentions(i.predicate, column)))
      droppable.push({
        what: `index ${i.name}`,
        drop: `DROP INDEX ${q.table(`${schema}.${i.name}`)};`,
        again: [`-- then, if still wanted without ${column}: ${i.definition.replace(/\s+/g, ' ')}`],
      });
  }
  for (const t of table.triggers)
    if (mentions(t.definition, column))
      droppable.push({
        what: `trigger ${t.name}`,
        drop: `DROP TRIGGER ${q.table(`${schema}.${t.name}`)};`,
        again: [
          `-- then trigger ${t.name} again without ${column} (it was: ${t.definition.replace(/\s+/g, ' ')})`,
        ],
      });
  for (const v of ctx.viewsUsing(change.table, column))
    droppable.push({
      what: `view ${shown(v)}`,
      drop: `DROP VIEW ${q.table(v)};`,
      again: [
        `-- then view ${shown(v)} again without ${column} (SELECT sql FROM sqlite_schema WHERE name = ${q.literal(shown(v))})`,
      ],
    });
  return { droppable, definition };
}

/** Whether `column` appears as a word in `sql`, quoted or not (SQLite's own check reparses it). */
function mentions(sql: string, column: string): boolean {
  const escaped = column.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^\\w$])["\`[]?${escaped}["\`\\]]?($|[^\\w$])`, 'i').test(sql);
}

/**
 * Whether the column's foreign key is a table constraint (`FOREIGN KEY (col) REFERENCES …`) in
 * the table's CREATE TABLE as the SQLite snapshot keeps it (`definition`); undefined without it.
 */
function tableConstraintKey(table: Table | undefined, column: string): boolean | undefined {
  const definition =
    table && 'definition' in table && typeof table.definition === 'string' ? table.definition : undefined;
  if (definition === undefined) return undefined;
  for (const m of definition.matchAll(/\bFOREIGN\s+KEY\s*\(([^)]*)\)/gi))
    if (
      (m[1] ?? '').split(',').some(
        (c) =>
          c
            .trim()
            .replace(/^["`[]|["`\]]$/g, '')
            .toLowerCase() === column.toLowerCase(),
      )
    )
      return true;
  return false;
}
