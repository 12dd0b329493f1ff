/**
 * Which tables and views (and which of their columns) a view or a trigger uses, read from its
 * SQL: SQLite keeps no dependency catalog, yet it checks these uses when a column is dropped or
 * renamed ("error in view v after drop column: no such column: b",
 * https://www.sqlite.org/lang_altertable.html#alter_table_drop_column), so rules need them.
 *
 * A token scan, not name resolution: a name that is a table or view is a use of it (aliases
 * after it are followed, NEW and OLD stand for a trigger's table); a qualified `x.col` is a
 * column of x; an unqualified name is a column of every used relation that has a column so
 * called. It over-reports (an unqualified `id` counts for every used table with an `id`; a CTE
 * named like a table counts as that table), which for a "this is in use" warning errs on the
 * safe side. A relation used only through `*` has no columns listed (it is used as a whole, and
 * SQLite expands `*` anew each time, so dropping a column does not break it).
 */
import type { ViewDependency } from '../../../core/snapshot.js';
import { compareStrings } from '../../../core/sort.js';
import { isPunct, isWord, tokenize, type Token } from './lexer.js';

export interface RelationColumns {
  name: string;
  columns: readonly string[];
}

/** Words after a table name that are not an alias. */
const NOT_ALIAS = new Set([
  'ON',
  'USING',
  'WHERE',
  'GROUP',
  'ORDER',
  'LIMIT',
  'JOIN',
  'LEFT',
  'RIGHT',
  'FULL',
  'INNER',
  'CROSS',
  'NATURAL',
  'OUTER',
  'UNION',
  'EXCEPT',
  'INTERSECT',
  'WINDOW',
  'HAVING',
  'SET',
  'VALUES',
  'SELECT',
  'DEFAULT',
  'INDEXED',
  'NOT',
  'BEGIN',
  'END',
  'FOR',
  'WHEN',
  'AFTER',
  'BEFORE',
  'INSTEAD',
  'OF',
  'RETURNING',
  'DO',
  'FROM',
  'AS',
  'INSERT',
  'UPDATE',
  'DELETE',
]);

const SCHEMAS = new Set(['main', 'temp']);

/**
 * @param sql the CREATE VIEW or CREATE TRIGGER statement
 * @param relations every table and view of the schema
 * @param self the view's own name (not a use of itself) or the trigger's
 * @param triggerTable a trigger's table, which NEW and OLD stand for
 */
export function dependenciesOf(
  sql: string,
  relations: readonly RelationColumns[],
  schema: string,
  self: string,
  triggerTable?: string,
): ViewDependency[] {
  const tokens = tokenize(sql);
  const byName = new Map(relations.map((r) => [r.name.toLowerCase(), r]));
  const start = bodyStart(tokens);
  const used = new Map<RelationColumns, Set<string>>();
  const aliases = new Map<string, RelationColumns>();
  const trigger = triggerTable === undefined ? undefined : byName.get(triggerTable.toLowerCase());
  if (trigger) {
    used.set(trigger, new Set());
    aliases.set('new', trigger);
    aliases.set('old', trigger);
  }
  const nameAt = (i: number) => {
    const t = tokens[i];
    return t?.kind === 'word' || t?.kind === 'quoted' ? t : undefined;
  };
  const use = (r: RelationColumns) => {
    if (!used.has(r)) used.set(r, new Set());
  };

  // Pass 1: relations, and the aliases given to them.
  for (let i = start; i < tokens.length; i++) {
    const t = nameAt(i);
    if (!t || isPunct(tokens[i - 1], '.')) continue;
    const qualified = isPunct(tokens[i + 1], '.');
    if (qualified && !SCHEMAS.has(t.value.toLowerCase())) continue;
    const k = qualified ? i + 2 : i;
    const target = nameAt(k);
    const relation = target ? byName.get(target.value.toLowerCase()) : undefined;
    if (!relation || (relation.name === self && triggerTable === undefined)) continue;
    use(relation);
    let a = k + 1;
    if (isWord(tokens[a], 'AS')) a++;
    const alias = nameAt(a);
    if (alias && !(alias.kind === 'word' && NOT_ALIAS.has(alias.value.toUpperCase())))
      aliases.set(alias.value.toLowerCase(), relation);
    i = k;
  }

  // Pass 2: columns, qualified or not.
  const unqualified = new Set<string>();
  for (let i = start; i < tokens.length; i++) {
    const t = nameAt(i);
    if (!t) continue;
    if (isPunct(tokens[i + 1], '.')) {
      const owner = aliases.get(t.value.toLowerCase()) ?? byName.get(t.value.toLowerCase());
      const column = nameAt(i + 2);
      if (owner && column && used.has(owner)) {
        const name = owner.columns.find((c) => c.toLowerCase() === column.value.toLowerCase());
        if (name) used.get(owner)?.add(name);
      }
      i += 2;
      continue;
    }
    if (!isPunct(tokens[i - 1], '.')) unqualified.add(t.value.toLowerCase());
  }
  for (const [relation, columns] of used)
    for (const c of relation.columns) if (unqualified.has(c.toLowerCase())) columns.add(c);

  return [...used]
    .map(([r, columns]) => ({
      relation: `${schema}.${r.name}`,
      columns: [...columns].sort(compareStrings),
    }))
    .sort((x, y) => compareStrings(x.relation, y.relation));
}

/**
 * Where the statement's body starts: after the view's `AS` (its name and column list are not
 * uses), after a trigger's name (its `ON table`, `UPDATE OF cols` and WHEN are).
 */
function bodyStart(tokens: readonly Token[]): number {
  const kind = tokens.findIndex((t) => isWord(t, 'VIEW', 'TRIGGER'));
  if (kind === -1) return 0;
  let i = kind + 1;
  if (isWord(tokens[i], 'IF')) i += 3;
  if (isPunct(tokens[i + 1], '.')) i += 2;
  i++;
  if (isWord(tokens[kind], 'TRIGGER')) return i;
  let depth = 0;
  for (; i < tokens.length; i++) {
    if (isPunct(tokens[i], '(')) depth++;
    else if (isPunct(tokens[i], ')')) depth--;
    else if (depth === 0 && isWord(tokens[i], 'AS')) return i + 1;
  }
  return tokens.length;
}
