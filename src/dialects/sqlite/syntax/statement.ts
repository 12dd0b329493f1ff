/**
 * One SQLite statement (parse.y `cmd`), from its first token to the `;` or the end: which
 * statement it is, then its own parser. Anything left over is a syntax error at that token,
 * as SQLite's parser would report it.
 * https://www.sqlite.org/lang.html
 */
import type { SqliteName, SqliteStatement } from '../ast.js';
import { createTableBody, splitName } from './create-table.js';
import type { Cursor } from './cursor.js';
import {
  alterTable,
  createIndex,
  createTrigger,
  createView,
  createVirtualTable,
  ifNotExists,
} from './ddl.js';
import { deleteFrom, insert, update } from './dml.js';
import { expr } from './expr.js';
import { select, selectBody, withList } from './select.js';

export function statement(c: Cursor): SqliteStatement {
  const parsed = command(c);
  if (!c.done) c.fail();
  return parsed;
}

function command(c: Cursor): SqliteStatement {
  if (c.accept('EXPLAIN')) {
    if (c.accept('QUERY')) c.expect('PLAN');
    return { type: 'explain', statement: command(c) };
  }
  switch (c.type) {
    case 'BEGIN': {
      c.next();
      const mode = c.accept('IMMEDIATE') ? 'IMMEDIATE' : c.accept('EXCLUSIVE') ? 'EXCLUSIVE' : 'DEFERRED';
      if (mode === 'DEFERRED') c.accept('DEFERRED');
      transactionName(c);
      return { type: 'begin', mode };
    }
    case 'COMMIT':
    case 'END':
      c.next();
      transactionName(c);
      return { type: 'commit' };
    case 'ROLLBACK': {
      c.next();
      transactionName(c);
      if (!c.accept('TO')) return { type: 'rollback', savepoint: null };
      c.accept('SAVEPOINT');
      return { type: 'rollback', savepoint: c.nm() };
    }
    case 'SAVEPOINT':
      c.next();
      return { type: 'savepoint', name: c.nm() };
    case 'RELEASE':
      c.next();
      c.accept('SAVEPOINT');
      return { type: 'release', name: c.nm() };
    case 'CREATE':
      c.next();
      return create(c);
    case 'DROP':
      return drop(c);
    case 'ALTER':
      c.next();
      c.expect('TABLE');
      return alterTable(c);
    case 'PRAGMA':
      return pragma(c);
    case 'VACUUM': {
      c.next();
      const schema = c.isNm() ? c.nm() : null;
      const into = c.accept('INTO') !== undefined;
      if (into) expr(c);
      return { type: 'vacuum', schema, into };
    }
    case 'ANALYZE':
    case 'REINDEX': {
      const type = c.next().type === 'ANALYZE' ? 'analyze' : 'reindex';
      return { type, target: c.isNm() ? c.qualified() : null };
    }
    case 'ATTACH': {
      c.next();
      c.accept('DATABASE');
      const fileStart = c.offset;
      expr(c);
      const file = c.textFrom(fileStart);
      c.expect('AS');
      const start = c.offset;
      expr(c);
      const schema = c.textFrom(start);
      if (c.accept('KEY')) expr(c);
      return { type: 'attach', file: unquote(file), schema: unquote(schema) };
    }
    case 'DETACH': {
      c.next();
      c.accept('DATABASE');
      const start = c.offset;
      expr(c);
      return { type: 'detach', schema: unquote(c.textFrom(start)) };
    }
    default:
      return withDml(c);
  }
}

function unquote(text: string): string {
  return /^(["'`]).*\1$|^\[.*\]$/s.test(text) ? text.slice(1, -1) : text;
}

function transactionName(c: Cursor): void {
  if (c.accept('TRANSACTION') && c.isNm()) c.nm();
}

/** SELECT, VALUES, or INSERT/UPDATE/DELETE with an optional WITH in front. */
function withDml(c: Cursor): SqliteStatement {
  if (c.at('SELECT', 'VALUES')) return readsOnly(c);
  if (c.at('WITH')) {
    // WITH … SELECT is a select; WITH … INSERT/UPDATE/DELETE is the DML's prefix.
    const { value, mentions } = c.collect(() => {
      c.next();
      c.accept('RECURSIVE');
      withList(c);
      return dml(c);
    });
    if (value) {
      const ctes = mentions.ctes;
      value.reads = value.reads.filter((r) => r.schema !== null || !ctes.has(r.name));
      return value;
    }
    const reads = [...mentions.tables].filter((t) => !mentions.ctes.has(t)).map(splitName);
    return { type: 'select', reads };
  }
  const written = dml(c);
  if (!written) c.fail();
  return written;
}

function dml(c: Cursor): Extract<SqliteStatement, { type: 'insert' | 'update' | 'delete' }> | null {
  const options = { trigger: false };
  if (c.at('INSERT', 'REPLACE')) return insert(c, options);
  if (c.at('UPDATE')) return update(c, options);
  if (c.at('DELETE')) return deleteFrom(c, options);
  // The rest of a WITH … SELECT (anything else fails there, as in SQLite).
  selectBody(c);
  return null;
}

function readsOnly(c: Cursor): SqliteStatement {
  const { mentions } = c.collect(() => select(c));
  const reads: SqliteName[] = [...mentions.tables].filter((t) => !mentions.ctes.has(t)).map(splitName);
  return { type: 'select', reads };
}

function create(c: Cursor): SqliteStatement {
  const temporary = c.accept('TEMP') !== undefined;
  if (c.accept('TABLE')) {
    const exists = ifNotExists(c);
    const table = c.qualified();
    return createTableBody(c, { type: 'create table', table, temporary, ifNotExists: exists });
  }
  if (c.accept('VIEW')) return createView(c, temporary);
  if (c.accept('TRIGGER')) return createTrigger(c, temporary);
  if (!temporary) {
    if (c.acceptAll('VIRTUAL', 'TABLE')) return createVirtualTable(c);
    const unique = c.accept('UNIQUE') !== undefined;
    c.expect('INDEX');
    return createIndex(c, unique);
  }
  return c.fail();
}

function drop(c: Cursor): SqliteStatement {
  c.expect('DROP');
  const kind = c.next();
  const objectType = ({ TABLE: 'table', INDEX: 'index', VIEW: 'view', TRIGGER: 'trigger' } as const)[
    kind.type as 'TABLE'
  ];
  if (!objectType) c.fail(kind);
  const ifExists = c.accept('IF') !== undefined;
  if (ifExists) c.expect('EXISTS');
  return { type: 'drop', objectType, name: c.qualified(), ifExists };
}

/** `PRAGMA [schema.]name [= value | (value)]`: value a name, a signed number, ON, DELETE, DEFAULT. */
function pragma(c: Cursor): SqliteStatement {
  c.expect('PRAGMA');
  const { schema, name } = c.qualified();
  let value: string | null = null;
  let call = false;
  const eq = c.accept('EQ') !== undefined;
  if (!eq) call = c.accept('LP') !== undefined;
  if (eq || call) {
    const start = c.offset;
    if (c.at('PLUS', 'MINUS')) {
      c.next();
      if (!c.accept('INTEGER')) c.expect('FLOAT');
    } else if (c.at('INTEGER', 'FLOAT', 'ON', 'DELETE', 'DEFAULT') || c.isNm()) c.next();
    else c.fail();
    value = c.textFrom(start);
    if (call) c.expect('RP');
  }
  return { type: 'pragma', schema, name: name.toLowerCase(), value, call };
}
