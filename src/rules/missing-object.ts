import type { Change } from '../core/change.js';
import { defineRule, type FindingDraft, type RuleContext } from '../core/rule.js';

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
    return problem ? [{ ...problem, safeAlternative: null }] : [];
  },
});

function problemOf(change: Change, ctx: RuleContext): FindingDraft | null {
  switch (change.kind) {
    case 'create table':
      if (change.ifNotExists || ctx.relationKind(change.table) === 'unknown') return null;
      return ctx.relationKind(change.table) === 'missing'
        ? null
        : fails(`${change.table} already exists`, '42P07 duplicate_table');
    case 'drop table': {
      if (change.ifExists) return null;
      const missing = change.tables.filter((t) => ctx.relationKind(t) === 'missing');
      return missing.length > 0
        ? fails(`${missing.join(', ')} does not exist`, '42P01 undefined_table')
        : null;
    }
    case 'add column': {
      const table = existingTable(change.table, ctx);
      if (table === 'missing') return missingTable(change.table);
      if (!table || change.ifNotExists) return null;
      return table.columns.some((c) => c.name === change.column.name)
        ? fails(`${change.table} already has a column ${change.column.name}`, '42701 duplicate_column')
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
      return ctx.indexExists(`${schema}.${index.name}`) === true
        ? fails(`an index or relation named ${schema}.${index.name} already exists`, '42P07 duplicate_table')
        : null;
    }
    case 'drop index': {
      if (change.ifExists) return null;
      const missing = change.indexes.filter(
        (i) => ctx.indexExists(i) === false && ctx.relationKind(i) === 'missing',
      );
      return missing.length > 0
        ? fails(`index ${missing.join(', ')} does not exist`, '42704 undefined_object')
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

function tableOnly(name: string, ctx: RuleContext): FindingDraft | null {
  return existingTable(name, ctx) === 'missing' ? missingTable(name) : null;
}

function columns(
  tableName: string,
  wanted: readonly string[],
  ctx: RuleContext,
  what = 'table',
): FindingDraft | null {
  const table = existingTable(tableName, ctx);
  if (table === 'missing') return missingTable(tableName, what);
  if (!table) return null;
  const have = new Set(table.columns.map((c) => c.name));
  const absent = wanted.filter((c) => !have.has(c));
  if (absent.length === 0) return null;
  const list = absent.map((c) => `"${c}"`).join(', ');
  return fails(
    `${what === 'table' ? '' : `${what} `}${tableName} has no column ${list} at this point of the migration`,
    '42703 undefined_column',
  );
}

function missingTable(name: string, what = 'table'): FindingDraft {
  return fails(`${what} ${name} does not exist at this point of the migration`, '42P01 undefined_table');
}

function fails(what: string, sqlstate: string): FindingDraft {
  return {
    message: `${what}: the statement fails (${sqlstate}) and the migration stops. Check the name against the schema, or an earlier migration that was not deployed.`,
  };
}
