/**
 * INSERT, UPDATE and DELETE, at the top level (with WITH, RETURNING, and the ORDER BY/LIMIT of
 * builds with SQLITE_ENABLE_UPDATE_DELETE_LIMIT, as better-sqlite3's is) and as the commands
 * of a trigger body (no WITH, no INDEXED BY). https://www.sqlite.org/lang_insert.html
 */
import type { SqliteStatement } from '../ast.js';
import type { Cursor } from './cursor.js';
import { splitName } from './create-table.js';
import { expr, sortList } from './expr.js';
import { from, idList, limit, resultColumns, select } from './select.js';

type Dml = Extract<SqliteStatement, { type: 'insert' | 'update' | 'delete' }>;

export interface DmlOptions {
  /** Inside a trigger body: no RETURNING in UPDATE/DELETE, no DEFAULT VALUES, no ORDER BY/LIMIT. */
  trigger: boolean;
}

/** `[schema.]name [AS alias]` */
function target(c: Cursor): { schema: string | null; name: string } {
  const table = c.qualified();
  if (c.accept('AS')) c.nm();
  return table;
}

function indexedBy(c: Cursor): void {
  if (c.acceptAll('INDEXED', 'BY')) c.nm();
  else if (c.at('NOT') && c.peek(1).type === 'INDEXED') c.acceptAll('NOT', 'INDEXED');
}

function readsOf(
  mentions: { tables: Set<string>; ctes: Set<string> },
  self: string,
): { schema: string | null; name: string }[] {
  return [...mentions.tables].filter((t) => !mentions.ctes.has(t) && t !== self).map(splitName);
}

/** From INSERT/REPLACE (the WITH clause already read). */
export function insert(c: Cursor, options: DmlOptions): Dml {
  const { value, mentions } = c.collect(() => {
    if (c.accept('INSERT')) {
      if (c.accept('OR')) {
        if (!['ROLLBACK', 'ABORT', 'FAIL', 'IGNORE', 'REPLACE'].includes(c.type)) c.fail();
        c.next();
      }
    } else c.expect('REPLACE');
    c.expect('INTO');
    const table = target(c);
    const columns = c.at('LP') ? idList(c) : [];
    if (!options.trigger && c.acceptAll('DEFAULT', 'VALUES')) returning(c);
    else {
      select(c);
      upsert(c);
    }
    return { table, columns };
  });
  const self = value.table.schema === null ? value.table.name : `${value.table.schema}.${value.table.name}`;
  return { type: 'insert', ...value, hasWhere: false, reads: readsOf(mentions, self) };
}

function returning(c: Cursor): void {
  if (c.accept('RETURNING')) resultColumns(c);
}

/** `ON CONFLICT [(target) [WHERE]] DO NOTHING | DO UPDATE SET … [WHERE]`, repeated; RETURNING. */
function upsert(c: Cursor): void {
  for (;;) {
    if (c.accept('RETURNING')) {
      resultColumns(c);
      return;
    }
    if (!c.accept('ON')) return;
    c.expect('CONFLICT');
    const targeted = c.accept('LP') !== undefined;
    if (targeted) {
      sortList(c);
      c.expect('RP');
      if (c.accept('WHERE')) expr(c);
    }
    c.expect('DO');
    if (!c.accept('NOTHING')) {
      c.expect('UPDATE');
      c.expect('SET');
      setList(c);
      if (c.accept('WHERE')) expr(c);
    }
    if (!targeted) {
      returning(c);
      return;
    }
  }
}

/** `name = expr` or `(a, b) = expr`, separated by commas: the columns set. */
function setList(c: Cursor): string[] {
  const columns: string[] = [];
  do {
    if (c.at('LP')) columns.push(...idList(c));
    else columns.push(c.nm());
    c.expect('EQ');
    expr(c);
  } while (c.accept('COMMA'));
  return columns;
}

/** After `WHERE expr` or not, RETURNING (top level only); whether a WHERE was written. */
function whereReturning(c: Cursor, options: DmlOptions): boolean {
  const where = c.accept('WHERE') !== undefined;
  if (where) expr(c);
  if (!options.trigger) {
    returning(c);
    if (c.acceptAll('ORDER', 'BY')) sortList(c);
    limit(c);
  }
  return where;
}

export function update(c: Cursor, options: DmlOptions): Dml {
  const { value, mentions } = c.collect(() => {
    c.expect('UPDATE');
    if (c.accept('OR')) {
      if (!['ROLLBACK', 'ABORT', 'FAIL', 'IGNORE', 'REPLACE'].includes(c.type)) c.fail();
      c.next();
    }
    const table = target(c);
    indexedBy(c);
    c.expect('SET');
    const columns = setList(c);
    if (c.accept('FROM')) from(c);
    const hasWhere = whereReturning(c, options);
    return { table, columns, hasWhere };
  });
  const self = value.table.schema === null ? value.table.name : `${value.table.schema}.${value.table.name}`;
  return { type: 'update', ...value, reads: readsOf(mentions, self) };
}

export function deleteFrom(c: Cursor, options: DmlOptions): Dml {
  const { value, mentions } = c.collect(() => {
    c.expect('DELETE');
    c.expect('FROM');
    const table = target(c);
    indexedBy(c);
    const hasWhere = whereReturning(c, options);
    return { table, hasWhere };
  });
  const self = value.table.schema === null ? value.table.name : `${value.table.schema}.${value.table.name}`;
  return { type: 'delete', ...value, columns: [], reads: readsOf(mentions, self) };
}
