/**
 * ALTER TABLE (its four forms), CREATE INDEX, CREATE VIEW, CREATE TRIGGER and CREATE VIRTUAL
 * TABLE, after `CREATE [TEMP]` or `ALTER TABLE` has been read.
 * https://www.sqlite.org/lang_altertable.html https://www.sqlite.org/lang_createtrigger.html
 */
import type { SqliteName, SqliteStatement } from '../ast.js';
import type { Cursor } from './cursor.js';
import { columnDefinition, onConflict, splitName } from './create-table.js';
import { deleteFrom, insert, update } from './dml.js';
import { expression, sortList } from './expr.js';
import { eidList, select } from './select.js';

/** `IF NOT EXISTS`: IF is a keyword here (a table cannot be called `if` without quotes). */
export function ifNotExists(c: Cursor): boolean {
  if (!c.accept('IF')) return false;
  c.expect('NOT');
  c.expect('EXISTS');
  return true;
}

/** After ALTER TABLE. */
export function alterTable(c: Cursor): SqliteStatement {
  const table = c.qualified();
  if (c.accept('RENAME')) {
    if (c.accept('TO'))
      return { type: 'alter table', table, action: { type: 'rename table', newName: c.nm() } };
    c.accept('COLUMNKW');
    const column = c.nm();
    c.expect('TO');
    return { type: 'alter table', table, action: { type: 'rename column', column, newName: c.nm() } };
  }
  if (c.accept('ADD')) {
    // 3.53.0: ADD [CONSTRAINT name] CHECK (expr) [ON CONFLICT …].
    const named = c.accept('CONSTRAINT') !== undefined;
    const name = named ? c.nm() : null;
    if (named || c.at('CHECK')) {
      c.expect('CHECK');
      c.expect('LP');
      const expr = expression(c);
      c.expect('RP');
      onConflict(c);
      return { type: 'alter table', table, action: { type: 'add check', name, expr } };
    }
    c.accept('COLUMNKW');
    return { type: 'alter table', table, action: { type: 'add column', column: columnDefinition(c) } };
  }
  if (c.accept('ALTER')) {
    // 3.53.0: ALTER [COLUMN] name DROP NOT NULL | SET NOT NULL [ON CONFLICT …].
    c.accept('COLUMNKW');
    const column = c.nm();
    if (c.accept('DROP')) {
      c.expect('NOT');
      c.expect('NULL');
      return { type: 'alter table', table, action: { type: 'drop not null', column } };
    }
    c.expect('SET');
    c.expect('NOT');
    c.expect('NULL');
    onConflict(c);
    return { type: 'alter table', table, action: { type: 'set not null', column } };
  }
  c.expect('DROP');
  if (c.accept('CONSTRAINT'))
    return { type: 'alter table', table, action: { type: 'drop constraint', name: c.nm() } };
  c.accept('COLUMNKW');
  return { type: 'alter table', table, action: { type: 'drop column', column: c.nm() } };
}

/** After `CREATE [UNIQUE] INDEX`. */
export function createIndex(c: Cursor, unique: boolean): SqliteStatement {
  const exists = ifNotExists(c);
  const index = c.qualified();
  c.expect('ON');
  const table = c.nm();
  c.expect('LP');
  const keys = sortList(c).map((k) => ({
    sql: c.source.slice(k.expr.start, k.expr.end),
    column: k.column,
    descending: k.descending,
  }));
  c.expect('RP');
  const where = c.accept('WHERE') ? expression(c) : null;
  return { type: 'create index', index, table, unique, ifNotExists: exists, keys, where };
}

function readsOf(mentions: { tables: Set<string>; ctes: Set<string> }): SqliteName[] {
  return [...mentions.tables].filter((t) => !mentions.ctes.has(t)).map(splitName);
}

/** After `CREATE [TEMP] VIEW`. */
export function createView(c: Cursor, temporary: boolean): SqliteStatement {
  const exists = ifNotExists(c);
  const view = c.qualified();
  if (c.at('LP')) eidList(c);
  c.expect('AS');
  const { mentions } = c.collect(() => select(c));
  return { type: 'create view', view, temporary, ifNotExists: exists, reads: readsOf(mentions) };
}

/** After `CREATE [TEMP] TRIGGER`: the declaration, then `BEGIN cmd; … END`. */
export function createTrigger(c: Cursor, temporary: boolean): SqliteStatement {
  const exists = ifNotExists(c);
  const trigger = c.qualified();
  let timing: 'BEFORE' | 'AFTER' | 'INSTEAD OF' = 'BEFORE';
  if (c.accept('AFTER')) timing = 'AFTER';
  else if (c.acceptAll('INSTEAD', 'OF')) timing = 'INSTEAD OF';
  else c.accept('BEFORE');
  let event: 'INSERT' | 'UPDATE' | 'DELETE';
  let columns: string[] = [];
  if (c.accept('INSERT')) event = 'INSERT';
  else if (c.accept('DELETE')) event = 'DELETE';
  else {
    c.expect('UPDATE');
    event = 'UPDATE';
    if (c.at('OF')) {
      c.next();
      columns = bareIdList(c);
    }
  }
  c.expect('ON');
  const table = c.qualified();
  if (c.accept('FOR')) {
    c.expect('EACH');
    c.expect('ROW');
  }
  if (c.accept('WHEN')) expression(c);
  c.expect('BEGIN');
  const { mentions } = c.collect(() => {
    do {
      triggerCommand(c);
      c.expect('SEMI');
    } while (!c.at('END'));
    c.expect('END');
  });
  const touches = readsOf(mentions);
  return {
    type: 'create trigger',
    trigger,
    table,
    temporary,
    ifNotExists: exists,
    timing,
    event,
    columns,
    touches,
  };
}

/** `name, name` without parentheses (UPDATE OF). */
function bareIdList(c: Cursor): string[] {
  const names = [c.nm()];
  while (c.accept('COMMA')) names.push(c.nm());
  return names;
}

function triggerCommand(c: Cursor): void {
  const options = { trigger: true };
  let written;
  if (c.at('UPDATE')) written = update(c, options);
  else if (c.at('DELETE')) written = deleteFrom(c, options);
  else if (c.at('INSERT', 'REPLACE')) written = insert(c, options);
  else select(c);
  if (written) {
    const { schema, name } = written.table;
    c.mention('tables', schema === null ? name : `${schema}.${name}`);
  }
}

/** After `CREATE VIRTUAL TABLE`: the module and its arguments (any tokens, parentheses balanced). */
export function createVirtualTable(c: Cursor): SqliteStatement {
  const exists = ifNotExists(c);
  const table = c.qualified();
  c.expect('USING');
  const module = c.nm();
  if (c.accept('LP')) {
    let depth = 1;
    while (depth > 0) {
      if (c.at('EOF', 'SEMI', 'ILLEGAL')) c.fail();
      const token = c.next();
      if (token.type === 'LP') depth++;
      else if (token.type === 'RP') depth--;
    }
  }
  return { type: 'create virtual table', table, ifNotExists: exists, module };
}
