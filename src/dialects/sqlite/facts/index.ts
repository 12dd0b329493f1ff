/**
 * What each Change does on SQLite, per version (ctx.major is the fact key, SQLITE_VERSION_NUMBER
 * shaped: 3035000 = 3.35.0): done in place on the schema, done by rewriting rows, refused (and
 * from which version it runs), and the database lock it holds (locks.ts; the mapping is in
 * docs/decisions/0033-sqlite-facts.md). A refusal is a first note starting `fails:`, as for
 * MySQL. Each fact is checked on the bundled library by test/dialects/sqlite/facts/; older
 * versions are documented only, from https://www.sqlite.org/lang_altertable.html.
 */
import { NO_FACTS, type ChangeFacts } from '../../../core/analysis.js';
import type { Change } from '../../../core/change.js';
import type { DialectFacts, FactContext } from '../../../core/facts.js';
import { SQLITE } from '../version.js';
import { addColumnFacts, dropColumnFacts } from './columns.js';
import { refused, writeLock } from './locks.js';

const REBUILD = 'rebuild the table (the 12-step procedure, lang_altertable.html#otheralter)';

function write(
  table: string,
  ctx: FactContext,
  large: boolean,
  notes: string[],
  extra: Partial<ChangeFacts> = {},
): ChangeFacts {
  const lock = writeLock(table, ctx, large);
  return { ...NO_FACTS, ...extra, locks: lock.locks, notes: [...notes, ...lock.notes] };
}

function renameNotes(ctx: FactContext, what: 'table' | 'column'): string[] {
  const legacy = ['on', '1', 'true', 'yes'].includes(
    (ctx.sessionVariable?.('legacy_alter_table') ?? '').toLowerCase(),
  );
  if (legacy)
    return [
      `legacy_alter_table=ON: references to the ${what} in triggers and views are not rewritten, and may break`,
    ];
  if (what === 'table' && ctx.major < SQLITE.renameTableRewritesReferences)
    return [
      'before SQLite 3.26.0 foreign keys of other tables follow the rename only while foreign_keys is on',
    ];
  return [`references to the ${what} in indexes, triggers, views and foreign keys are rewritten with it`];
}

export function sqliteChangeFacts(change: Change, ctx: FactContext): ChangeFacts {
  const inPlace = 'in place: only the schema in sqlite_schema changes (constant time)';
  switch (change.kind) {
    case 'create table':
      return write(
        change.table,
        ctx,
        change.asSelect,
        [change.asSelect ? 'copies the rows its SELECT returns' : inPlace],
        {
          scansTable: change.asSelect,
        },
      );
    case 'drop table':
      return write(change.tables[0] ?? '', ctx, false, [
        'frees every page of the table and its indexes (time grows with the table); its indexes and triggers go with it',
        'with foreign_keys on, an implicit DELETE FROM checks the rows that reference it first (foreignkeys.html)',
      ]);
    case 'rename table':
      return write(change.table, ctx, false, [inPlace, ...renameNotes(ctx, 'table')]);
    case 'rename column':
      if (ctx.major < SQLITE.renameColumn)
        return refused(NO_FACTS, 'RENAME COLUMN needs SQLite 3.25.0+ (a syntax error before)', [REBUILD]);
      return write(change.table, ctx, false, [inPlace, ...renameNotes(ctx, 'column')]);
    case 'add column':
      return addColumnFacts(change, ctx, NO_FACTS);
    case 'drop column':
      return dropColumnFacts(change, ctx, NO_FACTS);
    case 'add constraint':
    case 'set not null':
      if (
        ctx.major < SQLITE.alterConstraints ||
        (change.kind === 'add constraint' && change.constraint.type !== 'check')
      )
        return refused(
          NO_FACTS,
          `${change.kind === 'set not null' ? 'SET NOT NULL' : 'ADD CONSTRAINT'} needs SQLite 3.53.0+`,
          [REBUILD],
        );
      return write(
        change.table,
        ctx,
        false,
        [inPlace, 'every existing row is checked first ("constraint failed" if one violates it)'],
        {
          scansTable: true,
          rejectsExistingValues: true,
          validates: [change.kind === 'set not null' ? 'not null' : 'check'],
        },
      );
    case 'drop constraint':
    case 'drop not null':
      if (ctx.major < SQLITE.alterConstraints)
        return refused(
          NO_FACTS,
          `${change.kind === 'drop not null' ? 'DROP NOT NULL' : 'DROP CONSTRAINT'} needs SQLite 3.53.0+`,
          [REBUILD],
        );
      return write(change.table, ctx, false, [
        inPlace,
        ...(change.kind === 'drop constraint'
          ? ['only CHECK constraints can be dropped so ("constraint may not be dropped" otherwise)']
          : []),
      ]);
    case 'create index':
      return write(
        change.index.table,
        ctx,
        true,
        ['reads every row to build the index (time grows with the table)'],
        {
          scansTable: true,
          buildsIndex: true,
          rejectsExistingValues: change.index.unique,
        },
      );
    case 'drop index':
    case 'reindex': {
      const name = change.kind === 'drop index' ? (change.indexes[0] ?? '') : change.name;
      const table = ctx.tableOfIndex(name) ?? name;
      return change.kind === 'drop index'
        ? write(table, ctx, false, ['frees the index pages'])
        : write(table, ctx, true, ['rebuilds the indexes from the rows'], {
            scansTable: true,
            rebuildsIndexes: true,
          });
    }
    case 'create view':
      return write(change.view, ctx, false, [inPlace]);
    case 'drop view':
      return write(change.views[0] ?? '', ctx, false, [inPlace]);
    case 'create trigger':
      return write(change.table, ctx, false, [inPlace]);
    case 'drop other':
    case 'create other':
      return write(change.name, ctx, false, [inPlace]);
    case 'dml':
      // An INSERT into a table this migration created is a rebuild's copy (INSERT … SELECT of a
      // whole table): as large as the table copied, so in rollback-journal mode it may spill the
      // cache and hold EXCLUSIVE (over-predicted for a small copy: a warning, never a miss).
      return write(
        change.table,
        ctx,
        change.operation === 'insert' ? ctx.isNew(change.table) : !change.hasWhere,
        [change.hasWhere ? 'writes the rows it matches' : 'writes every row of the table'],
      );
    case 'vacuum':
      if (change.command === 'analyze')
        return write(change.tables[0] ?? 'main', ctx, false, ['reads the tables to write sqlite_stat1'], {
          scansTable: true,
        });
      return {
        ...write('main', ctx, true, ['rebuilds the whole database file (every table and index)']),
        rewritesTable: true,
        rebuildsIndexes: true,
        transactional: false,
        notes: [
          'cannot VACUUM from within a transaction',
          'rebuilds the whole database file (every table and index)',
          ...writeLock('main', ctx, true).notes,
        ],
      };
    case 'set':
      return setFacts(change.name, change.value);
    default:
      return NO_FACTS;
  }
}

/** PRAGMAs: what each one that matters does in a migration. https://www.sqlite.org/pragma.html */
function setFacts(name: string, value: string): ChangeFacts {
  switch (name) {
    case 'foreign_keys':
      return {
        ...NO_FACTS,
        ignoredInTransaction: true,
        notes: ['has no effect inside a transaction: set it before BEGIN (foreignkeys.html §2)'],
      };
    case 'journal_mode':
      return /^wal$/i.test(value) || /^delete$/i.test(value)
        ? {
            ...NO_FACTS,
            transactional: false,
            notes: ['cannot change into or out of WAL mode from within a transaction'],
          }
        : NO_FACTS;
    case 'legacy_alter_table':
      return { ...NO_FACTS, notes: ['ON: RENAME no longer rewrites references in triggers and views'] };
    default:
      return NO_FACTS;
  }
}

export const sqliteFacts: DialectFacts = { changeFacts: sqliteChangeFacts };
