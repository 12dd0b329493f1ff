import type { Change } from '../core/change.js';
import { defineRule, type RuleContext } from '../core/rule.js';

/**
 * Against a live schema (or a snapshot), a statement that names a table, column or index that
 * does not exist at that point of the migration, or creates one that already does, fails when
 * it runs: PostgreSQL raises 42P01 (undefined table), 42703 (undefined column), 42704
 * (undefined object), 42P07 / 42701 (duplicate), and the runner's transaction rolls back. Often
 * it is a typo or a migration written against another branch's schema. Only reported when the
 * engine knows the schema at that point (see RuleContext.relationKind); IF [NOT] EXISTS is
 * respected. https://www.postgresql.org/docs/current/errcodes-appendix.html
 */
export default defineRule({
  meta: {
    id: 'missing-object',
    category: 'breaking',
    severity: 'error',
    description:
      'The statement names a table, column or index that does not exist there (or creates one that does)',
    kinds: [
      'create table',
      'add column',
      'drop column',
      'rename column',
      'alter column type',
      'set not null',
      'drop not null',
      'set default',
      'drop default',
      'add constraint',
      'create index',
      'drop index',
      'drop table',
    ],
    scalesWithSize: false,
    skipNewTables: false,
  },
  check(ctx) {
    // Foreign tables are not in the snapshot (inspect reads tables, views and sequences).
    if (!ctx.schemaKnown || ('foreignTable' in ctx.change && ctx.change.foreignTable)) return [];
    const problem = problemOf(ctx.change, ctx);
    if (!problem) return [];
    return [{ message: message(problem, ctx.dialect), safeAlternative: null }];
  },
});

type Failure = keyof typeof ERRORS;

/**
 * The server's error for each failure: PostgreSQL's SQLSTATE and condition name, MySQL's error
 * number and name (its index names are per table, hence its own wording for those), SQLite's
 * message (it has no codes of its own for these: all are SQLITE_ERROR), checked on the library
 * by test/rules/sqlite/claims.test.ts.
 * https://www.postgresql.org/docs/current/errcodes-appendix.html
 * https://dev.mysql.com/doc/mysql-errors/8.0/en/server-error-reference.html
 */
const ERRORS = {
  duplicateTable: {
    postgres: '42P07 duplicate_table',
    mysql: 'error 1050 ER_TABLE_EXISTS_ERROR',
    sqlite: 'SQLite: "table … already exists"',
  },
  undefinedTable: {
    postgres: '42P01 undefined_table',
    mysql: 'error 1146 ER_NO_SUCH_TABLE',
    sqlite: 'SQLite: "no such table"',
  },
  droppedTableMissing: {
    postgres: '42P01 undefined_table',
    mysql: 'error 1051 ER_BAD_TABLE_ERROR',
    sqlite: 'SQLite: "no such table"',
  },
  duplicateColumn: {
    postgres: '42701 duplicate_column',
    mysql: 'error 1060 ER_DUP_FIELDNAME',
    sqlite: 'SQLite: "duplicate column name"',
  },
  undefinedColumn: {
    postgres: '42703 undefined_column',
    mysql: 'error 1054 ER_BAD_FIELD_ERROR',
    sqlite: 'SQLite: "no such column"',
  },
  duplicateIndex: {
    postgres: '42P07 duplicate_table',
    mysql: 'error 1061 ER_DUP_KEYNAME',
    sqlite: 'SQLite: "index … already exists"',
  },
  undefinedIndex: {
    postgres: '42704 undefined_object',
    mysql: 'error 1091 ER_CANT_DROP_FIELD_OR_KEY',
    sqlite: 'SQLite: "no such index"',
  },
} as const;

interface Problem {
  what: string;
  failure: Failure;
}

function message(problem: Problem, dialect: string): string {
  const error = ERRORS[problem.failure][dialect === 'mysql' || dialect === 'sqlite' ? dialect : 'postgres'];
  return `${problem.what}: the statement fails (${error}) and the migration stops. Check the name against the schema, or an earlier migration that was not deployed.`;
}

function problemOf(change: Change, ctx: RuleContext): Problem | null {
  switch (change.kind) {
    case 'create table':
      if (change.ifNotExists || ctx.relationKind(change.table) === 'unknown') return null;
      return ctx.relationKind(change.table) === 'missing'
        ? null
        : fails(`${change.table} already exists`, 'duplicateTable');
    case 'drop table': {
      if (change.ifExists) return null;
      const missing = change.tables.filter((t) => ctx.relationKind(t) === 'missing');
      return missing.length > 0 ? fails(`${missing.join(', ')} does not exist`, 'droppedTableMissing') : null;
    }
    case 'add column': {
      const table = existingTable(change.table, ctx);
      if (table === 'missing') return missingTable(change.table);
      if (!table || change.ifNotExists) return null;
      return table.columns.some((c) => c.name === change.column.name)
        ? fails(`${change.table} already has a column ${change.column.name}`, 'duplicateColumn')
        : null;
    }
    case 'drop column':
      return change.ifExists ? tableOnly(change.table, ctx) : columns(change.table, [change.column], ctx);
    case 'rename column':
    case 'alter column type':
    case 'set not null':
    case 'drop not null':
    case 'set default':
    case 'drop default':
      return columns(change.table, [change.column], ctx);
    case 'add constraint': {
      const c = change.constraint;
      const own = c.type === 'check' || c.type === 'exclusion' ? [] : 'column' in c ? [c.column] : c.columns;
      const problem = columns(change.table, own, ctx);
      if (problem || c.type !== 'foreign key') return problem;
      return columns(c.references.table, c.references.columns, ctx, 'referenced table');
    }
    case 'create index': {
      const { index } = change;
      const problem = columns(index.table, index.columnNames, ctx);
      if (problem || index.ifNotExists || index.name === null) return problem;
      const schema = index.table.slice(0, index.table.indexOf('.'));
      // MySQL index names are per table.
      if (ctx.dialect === 'mysql') {
        const name = index.name;
        const table = existingTable(index.table, ctx);
        return table && table !== 'missing' && table.indexes.some((i) => i.name === name)
          ? fails(`${index.table} already has an index named ${name}`, 'duplicateIndex')
          : null;
      }
      return ctx.indexExists(`${schema}.${index.name}`) === true
        ? fails(`an index or relation named ${schema}.${index.name} already exists`, 'duplicateIndex')
        : null;
    }
    case 'drop index': {
      if (change.ifExists) return null;
      if (ctx.dialect === 'mysql' && change.table) {
        const table = existingTable(change.table, ctx);
        if (table === 'missing') return missingTable(change.table);
        const names = change.indexes.map((i) => i.slice(i.indexOf('.') + 1));
        const absent = table ? names.filter((n) => !table.indexes.some((i) => i.name === n)) : [];
        return absent.length > 0
          ? fails(`${change.table} has no index ${absent.join(', ')}`, 'undefinedIndex')
          : null;
      }
      const missing = change.indexes.filter(
        (i) => ctx.indexExists(i) === false && ctx.relationKind(i) === 'missing',
      );
      return missing.length > 0
        ? fails(`index ${missing.join(', ')} does not exist`, 'undefinedIndex')
        : null;
    }
    default:
      return null;
  }
}

/** The table when the schema says what it is; 'missing' when it is not there; null when unknown or not a table. */
function existingTable(name: string, ctx: RuleContext) {
  const kind = ctx.relationKind(name);
  if (kind === 'missing') return 'missing' as const;
  return kind === 'table' ? ctx.table(name) : undefined;
}

function tableOnly(name: string, ctx: RuleContext): Problem | null {
  return existingTable(name, ctx) === 'missing' ? missingTable(name) : null;
}

function columns(
  tableName: string,
  wanted: readonly string[],
  ctx: RuleContext,
  what = 'table',
): Problem | null {
  const table = existingTable(tableName, ctx);
  if (table === 'missing') return missingTable(tableName, what);
  if (!table) return null;
  const have = new Set(table.columns.map((c) => c.name));
  const absent = wanted.filter((c) => !have.has(c));
  if (absent.length === 0) return null;
  const list = absent.map((c) => `"${c}"`).join(', ');
  return fails(
    `${what === 'table' ? '' : `${what} `}${tableName} has no column ${list} at this point of the migration`,
    'undefinedColumn',
  );
}

function missingTable(name: string, what = 'table'): Problem {
  return fails(`${what} ${name} does not exist at this point of the migration`, 'undefinedTable');
}

function fails(what: string, failure: Failure): Problem {
  return { what, failure };
}
