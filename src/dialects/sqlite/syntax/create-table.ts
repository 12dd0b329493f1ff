/**
 * CREATE TABLE's column definitions, column and table constraints, and table options
 * (parse.y "The CREATE TABLE statement"), shared with ALTER TABLE … ADD COLUMN.
 * https://www.sqlite.org/lang_createtable.html
 */
import type { FkAction } from '../../../core/change.js';
import type { SqliteColumn, SqliteForeignKey, SqliteStatement, SqliteTableConstraint } from '../ast.js';
import type { Cursor } from './cursor.js';
import { nameOf } from './cursor.js';
import { expression, sortList, typeToken } from './expr.js';
import { eidList, select } from './select.js';

const TABLE_CONSTRAINT_START = ['CONSTRAINT', 'PRIMARY', 'UNIQUE', 'CHECK', 'FOREIGN'];
const TERMS = new Set(['NULL', 'FLOAT', 'BLOB', 'STRING', 'INTEGER', 'QNUMBER']);

/** After `CREATE [TEMP] TABLE [IF NOT EXISTS] name`: the column list and options, or AS SELECT. */
export function createTableBody(
  c: Cursor,
  head: Omit<
    Extract<SqliteStatement, { type: 'create table' }>,
    'columns' | 'constraints' | 'withoutRowid' | 'strict' | 'asSelect'
  >,
): SqliteStatement {
  if (c.accept('AS')) {
    const { mentions } = c.collect(() => select(c));
    const reads = [...mentions.tables].filter((t) => !mentions.ctes.has(t)).map(splitName);
    return { ...head, columns: [], constraints: [], withoutRowid: false, strict: false, asSelect: { reads } };
  }
  c.expect('LP');
  const columns = [columnDefinition(c)];
  const constraints: SqliteTableConstraint[] = [];
  while (c.accept('COMMA')) {
    if (TABLE_CONSTRAINT_START.includes(c.type)) {
      tableConstraints(c, constraints);
      break;
    }
    columns.push(columnDefinition(c));
  }
  c.expect('RP');
  const options = { withoutRowid: false, strict: false };
  // table_option_set may start with its comma: `) , STRICT` is accepted (parse.y).
  if (!c.done) {
    if (!c.at('COMMA')) tableOption(c, options);
    while (c.accept('COMMA')) tableOption(c, options);
  }
  const { withoutRowid, strict } = options;
  return { ...head, columns, constraints, withoutRowid, strict, asSelect: null };
}

function tableOption(c: Cursor, options: { withoutRowid: boolean; strict: boolean }): void {
  const start = c.offset;
  const without = c.accept('WITHOUT') !== undefined;
  const option = c.nm();
  // SQLite checks the option when it reduces it, on seeing a `,` or the end.
  if (!c.at('COMMA') && !c.done) c.fail();
  if (option.toLowerCase() !== (without ? 'rowid' : 'strict'))
    c.failWith(start, `unknown table option: ${option}`);
  if (without) options.withoutRowid = true;
  else options.strict = true;
}

export function splitName(qualified: string): { schema: string | null; name: string } {
  const dot = qualified.indexOf('.');
  return dot < 0
    ? { schema: null, name: qualified }
    : { schema: qualified.slice(0, dot), name: qualified.slice(dot + 1) };
}

/** `columnname carglist`: a name, its type, and its constraints. */
export function columnDefinition(c: Cursor): SqliteColumn {
  const start = c.offset;
  const name = c.nm();
  // GENERATED and ALWAYS are read as words of the type name (they fall back to ID) and taken
  // off its end again, as sqlite3AddColumn does; `AS (…)` is what makes a generated column.
  const written = typeToken(c);
  const type = written?.replace(/\s*\bgenerated\s+always$/i, '') || null;
  const column: SqliteColumn = {
    name,
    type,
    primaryKey: null,
    notNull: false,
    unique: false,
    checks: [],
    default: null,
    collation: null,
    references: null,
    generated: null,
    sql: '',
  };
  while (columnConstraint(c, column));
  column.sql = c.textFrom(start);
  return column;
}

function columnConstraint(c: Cursor, column: SqliteColumn): boolean {
  if (c.accept('CONSTRAINT')) c.nm();
  else if (c.accept('DEFAULT')) column.default = defaultValue(c);
  else if (c.accept('NULL')) onConflict(c);
  else if (c.at('NOT') && c.peek(1).type === 'NULL') {
    c.acceptAll('NOT', 'NULL');
    column.notNull = true;
    onConflict(c);
  } else if (c.accept('PRIMARY')) {
    c.expect('KEY');
    const descending = c.accept('DESC') !== undefined;
    if (!descending) c.accept('ASC');
    onConflict(c);
    column.primaryKey = { descending, autoincrement: c.accept('AUTOINCR') !== undefined };
  } else if (c.accept('UNIQUE')) {
    column.unique = true;
    onConflict(c);
  } else if (c.accept('CHECK')) {
    c.expect('LP');
    column.checks.push(expression(c));
    c.expect('RP');
  } else if (c.accept('REFERENCES')) column.references = references(c);
  else if (c.at('NOT', 'DEFERRABLE')) {
    const deferred = deferSubclause(c);
    if (column.references) column.references.deferred = deferred;
  } else if (c.accept('COLLATE')) column.collation = c.ids();
  else if (c.accept('GENERATED')) {
    c.expect('ALWAYS');
    c.expect('AS');
    column.generated = generated(c, column.name);
  } else if (c.accept('AS')) column.generated = generated(c, column.name);
  else return false;
  return true;
}

/** The four DEFAULT forms: a literal, `(expr)`, a signed literal, or a bare name (TRUE). */
function defaultValue(c: Cursor): SqliteColumn['default'] {
  const token = c.peek();
  if (c.accept('LP')) {
    const inner = expression(c);
    c.expect('RP');
    return inner;
  }
  if (c.at('PLUS', 'MINUS')) {
    const start = c.offset;
    c.next();
    if (!TERMS.has(c.type) && c.type !== 'CTIME_KW') c.fail();
    c.next();
    return { sql: c.textFrom(start), constant: true, functions: [], columns: [] };
  }
  if (TERMS.has(token.type)) {
    c.next();
    return { sql: token.text, constant: true, functions: [], columns: [] };
  }
  if (token.type === 'CTIME_KW') {
    c.next();
    return { sql: token.text, constant: false, functions: [token.text.toLowerCase()], columns: [] };
  }
  if (!c.isId()) c.fail();
  c.next();
  return { sql: token.text, constant: true, functions: [], columns: [] };
}

function generated(c: Cursor, column: string): { expr: SqliteColumn['default'] & object; stored: boolean } {
  c.expect('LP');
  const expr = expression(c);
  c.expect('RP');
  let stored = false;
  if (c.isBareId()) {
    const token = c.next();
    const kind = nameOf(token).toLowerCase();
    if (kind === 'stored') stored = true;
    else if (kind !== 'virtual') c.failWith(token.start, `error in generated column "${column}"`);
  }
  return { expr, stored };
}

export function onConflict(c: Cursor): void {
  if (!c.accept('ON')) return;
  c.expect('CONFLICT');
  if (!['ROLLBACK', 'ABORT', 'FAIL', 'IGNORE', 'REPLACE'].includes(c.type)) c.fail();
  c.next();
}

/** After REFERENCES: `table [(columns)]` and the ON DELETE/UPDATE, MATCH clauses. */
function references(c: Cursor): SqliteForeignKey {
  const table = c.nm();
  const columns = c.at('LP') ? eidList(c) : [];
  const fk: SqliteForeignKey = {
    table,
    columns,
    onDelete: 'NO ACTION',
    onUpdate: 'NO ACTION',
    deferred: false,
  };
  for (;;) {
    if (c.accept('MATCH')) c.nm();
    else if (c.accept('ON')) {
      if (c.accept('INSERT')) referenceAction(c);
      else if (c.accept('DELETE')) fk.onDelete = referenceAction(c);
      else {
        c.expect('UPDATE');
        fk.onUpdate = referenceAction(c);
      }
    } else return fk;
  }
}

function referenceAction(c: Cursor): FkAction {
  if (c.accept('SET')) {
    if (c.accept('NULL')) return 'SET NULL';
    c.expect('DEFAULT');
    return 'SET DEFAULT';
  }
  if (c.accept('CASCADE')) return 'CASCADE';
  if (c.accept('RESTRICT')) return 'RESTRICT';
  c.expect('NO');
  c.expect('ACTION');
  return 'NO ACTION';
}

/** `[NOT] DEFERRABLE [INITIALLY DEFERRED|IMMEDIATE]`: whether checks wait for COMMIT. */
function deferSubclause(c: Cursor): boolean {
  const not = c.accept('NOT') !== undefined;
  c.expect('DEFERRABLE');
  let deferred = false;
  if (c.accept('INITIALLY')) {
    if (c.accept('DEFERRED')) deferred = true;
    else c.expect('IMMEDIATE');
  }
  return deferred && !not;
}

/** `conslist`: table constraints, commas between them optional. */
function tableConstraints(c: Cursor, out: SqliteTableConstraint[]): void {
  let name: string | null = null;
  for (;;) {
    const start = c.offset;
    if (c.accept('CONSTRAINT')) name = c.nm();
    else if (c.accept('PRIMARY')) {
      c.expect('KEY');
      c.expect('LP');
      const keys = sortList(c);
      c.accept('AUTOINCR');
      c.expect('RP');
      onConflict(c);
      out.push({ type: 'primary key', name, columns: columnsOf(keys), sql: c.textFrom(start) });
      name = null;
    } else if (c.accept('UNIQUE')) {
      c.expect('LP');
      const keys = sortList(c);
      c.expect('RP');
      onConflict(c);
      out.push({ type: 'unique', name, columns: columnsOf(keys), sql: c.textFrom(start) });
      name = null;
    } else if (c.accept('CHECK')) {
      c.expect('LP');
      const expr = expression(c);
      c.expect('RP');
      onConflict(c);
      out.push({ type: 'check', name, expr, sql: c.textFrom(start) });
      name = null;
    } else {
      c.expect('FOREIGN');
      c.expect('KEY');
      const columns = eidList(c);
      c.expect('REFERENCES');
      const fk = references(c);
      if (c.at('NOT', 'DEFERRABLE')) fk.deferred = deferSubclause(c);
      out.push({ type: 'foreign key', name, columns, references: fk, sql: c.textFrom(start) });
      name = null;
    }
    const comma = c.accept('COMMA') !== undefined;
    if (!TABLE_CONSTRAINT_START.includes(c.type)) {
      if (comma) c.fail();
      return;
    }
  }
}

function columnsOf(keys: { column: string | null; expr: { start: number; end: number } }[]): string[] {
  return keys.map((k) => k.column ?? '');
}
