/**
 * PostgreSQL facts: the locks each Change takes, whether it rewrites or scans the table, and
 * whether it may run in a transaction block, per server major (10 to 18).
 *
 * Sources: "Explicit Locking", table-level lock modes
 * https://www.postgresql.org/docs/current/explicit-locking.html#LOCKING-TABLES, the ALTER TABLE
 * page (each subcommand's lock level, "Notes" on rewrites)
 * https://www.postgresql.org/docs/current/sql-altertable.html, CREATE INDEX (CONCURRENTLY)
 * https://www.postgresql.org/docs/current/sql-createindex.html#SQL-CREATEINDEX-CONCURRENTLY,
 * REINDEX, VACUUM, CLUSTER, ALTER TYPE. Every fact is checked against real servers by
 * test/facts (locks from pg_locks, rewrites from relfilenode, scans from pg_stat_xact_user_tables).
 */
import { NO_FACTS, type ChangeFacts, type LockFact, type ValidatedConstraint } from '../../core/analysis.js';
import type { Change, ChangeOf, ColumnSpec } from '../../core/change.js';
import type { DialectFacts, FactContext } from '../../core/facts.js';
import type { LockMode } from '../../core/locks.js';
import type { Index } from '../../core/snapshot.js';
import { typeRefFromCatalog } from './ast.js';
import {
  addLock,
  allPartitions,
  foreignKeysOnColumn,
  hasIndexes,
  referencedTable,
  truncatedWith,
  viewsDroppedWith,
  withPartitionLocks,
} from './relatives.js';
import { alterSubtypeWords } from './statement-names.js';
import { typeChangeFact } from './type-change.js';
import { expressionVolatility } from './volatility.js';

export const postgresFacts: DialectFacts = { changeFacts };

function facts(partial: Partial<ChangeFacts> & { locks: LockFact[] }): ChangeFacts {
  // Fresh lists: facts are extended in place (notes, locks) after they are made.
  return { ...NO_FACTS, validates: [], notes: [], ...partial };
}

const lock = (table: string, mode: LockMode): LockFact => ({ table, mode });

export function changeFacts(change: Change, ctx: FactContext): ChangeFacts {
  return onForeignTable(change, withPartitionLocks(change, ownFacts(change, ctx), ctx));
}

/**
 * ALTER FOREIGN TABLE changes the catalog alone: the rows live on the remote server, so nothing
 * is read, rewritten or indexed here and no existing value is checked (measured on 15 and 18
 * with a foreign data wrapper that has no handler). The locks stay: ACCESS EXCLUSIVE throughout.
 * https://www.postgresql.org/docs/current/sql-alterforeigntable.html
 */
function onForeignTable(change: Change, facts: ChangeFacts): ChangeFacts {
  if (!('foreignTable' in change) || !change.foreignTable) return facts;
  return {
    ...facts,
    rewritesTable: false,
    scansTable: false,
    rebuildsIndexes: false,
    buildsIndex: false,
    rejectsExistingValues: false,
    validates: [],
    notes: ['a foreign table has no local rows: the change is catalog only here'],
  };
}

function ownFacts(change: Change, ctx: FactContext): ChangeFacts {
  switch (change.kind) {
    case 'add column':
      return addColumnFacts(change, ctx);
    case 'drop column':
      return dropColumnFacts(change, ctx);
    case 'set schema':
      // ALTER FUNCTION / TYPE … SET SCHEMA lock no table.
      return facts({
        locks: RELATION_TYPES.has(change.objectType) ? [lock(change.table, 'ACCESS EXCLUSIVE')] : [],
      });
    case 'rename column':
    case 'drop not null':
    case 'set default':
    case 'drop default':
    case 'add identity':
    case 'drop identity':
    case 'rename table':
    case 'rename constraint':
      return facts({ locks: [lock(change.table, 'ACCESS EXCLUSIVE')] });
    case 'alter column type':
      return alterTypeFacts(change, ctx);
    case 'set not null':
      return setNotNullFacts(change, ctx);
    case 'set generated expression':
      return change.expr
        ? facts({
            locks: [lock(change.table, 'ACCESS EXCLUSIVE')],
            rewritesTable: true,
            rebuildsIndexes: hasIndexes(change.table, ctx),
            notes: ['SET EXPRESSION recomputes every row'],
          })
        : facts({
            locks: [lock(change.table, 'ACCESS EXCLUSIVE')],
            notes: ['DROP EXPRESSION keeps the stored values'],
          });
    case 'add constraint':
      return addConstraintFacts(change, ctx);
    case 'validate constraint': {
      const fk = ctx.table(change.table)?.foreignKeys.find((f) => f.name === change.name);
      const locks = [lock(change.table, 'SHARE UPDATE EXCLUSIVE')];
      if (fk) locks.push(lock(referencedTable(fk), 'ROW SHARE'));
      return facts({
        locks,
        scansTable: true,
        rejectsExistingValues: true,
        validates: [fk ? 'foreign key' : 'check'],
        notes: ['VALIDATE reads every row but lets reads and writes go on'],
      });
    }
    case 'drop constraint':
      return dropConstraintFacts(change, ctx);
    case 'create index': {
      const { index } = change;
      if (index.concurrently) {
        return facts({
          locks: [lock(index.table, 'SHARE UPDATE EXCLUSIVE')],
          buildsIndex: true,
          rejectsExistingValues: index.unique,
          transactional: false,
          notes: ['CONCURRENTLY builds without blocking writes, in several transactions of its own'],
        });
      }
      // On a partitioned table each partition gets SHARE too and its own index (withPartitionLocks).
      return facts({
        locks: [lock(index.table, 'SHARE')],
        buildsIndex: !index.only,
        rejectsExistingValues: index.unique,
        notes: ['SHARE blocks writes for the whole build'],
      });
    }
    case 'drop index':
      return dropIndexFacts(change, ctx);
    case 'rename index': {
      // ALTER INDEX … RENAME takes SHARE UPDATE EXCLUSIVE on the index since PostgreSQL 12.
      return facts({
        locks: [lock(change.index, ctx.major >= 12 ? 'SHARE UPDATE EXCLUSIVE' : 'ACCESS EXCLUSIVE')],
      });
    }
    case 'reindex':
      return reindexFacts(change, ctx);
    case 'create view':
      // OR REPLACE locks the view it replaces; a view that does not exist yet is simply created.
      return facts({
        locks: [
          ...(change.orReplace && !change.materialized && ctx.relationExists(change.view) !== false
            ? [lock(change.view, 'ACCESS EXCLUSIVE')]
            : []),
          ...change.reads.map((t) => lock(t, 'ACCESS SHARE')),
        ],
        scansTable: change.materialized,
      });
    case 'drop view': {
      // CASCADE drops the views built on these too. IF EXISTS of a view that is not there locks
      // nothing (one the migration created is locked, and isNew says nobody waits on it).
      const locks = change.views
        .filter((v) => ctx.relationExists(v) !== false)
        .map((v) => lock(v, 'ACCESS EXCLUSIVE'));
      if (change.cascade)
        for (const v of change.views)
          for (const dependent of viewsDroppedWith(v, ctx)) addLock(locks, dependent, 'ACCESS EXCLUSIVE');
      return facts({ locks });
    }
    case 'refresh materialized view':
      // Plain REFRESH fills new files, its indexes included (assumed to exist: the snapshot does
      // not list a materialized view's indexes to facts); CONCURRENTLY merges the changes in place.
      // Either runs the view's query: ACCESS SHARE on what it reads.
      // https://www.postgresql.org/docs/current/sql-refreshmaterializedview.html
      return facts({
        locks: [
          ...(ctx.relationExists(change.view) !== false
            ? [lock(change.view, change.concurrently ? 'EXCLUSIVE' : 'ACCESS EXCLUSIVE')]
            : []),
          ...ctx.viewSources(change.view).map((t) => lock(t, 'ACCESS SHARE')),
        ],
        rewritesTable: !change.concurrently,
        rebuildsIndexes: !change.concurrently,
        scansTable: true,
      });
    case 'add enum value':
      return facts({
        locks: [],
        // Before PostgreSQL 12, ALTER TYPE … ADD VALUE cannot run inside a transaction block.
        transactional: ctx.major >= 12,
        notes:
          ctx.major >= 12
            ? ['the new value cannot be used until the transaction commits']
            : ['cannot run inside a transaction block before PostgreSQL 12'],
      });
    case 'attach partition':
      return facts({
        locks: [
          // PostgreSQL 12 lowered ATTACH PARTITION's lock on the parent to SHARE UPDATE EXCLUSIVE.
          lock(change.table, ctx.major >= 12 ? 'SHARE UPDATE EXCLUSIVE' : 'ACCESS EXCLUSIVE'),
          lock(change.partition, 'ACCESS EXCLUSIVE'),
          ...defaultPartitionLock(change.table, ctx),
        ],
        scansTable: true,
        rejectsExistingValues: true,
        validates: ['partition bound'],
        notes: [
          'the partition is scanned to check its rows fit the bound, unless a matching CHECK constraint proves it',
          ...defaultPartitionNote(change.table, ctx),
        ],
      });
    case 'detach partition':
      if (change.concurrently) {
        // Two transactions: SHARE UPDATE EXCLUSIVE on both, wait for every transaction using the
        // parent, then ACCESS EXCLUSIVE on the partition (only the parent is spared).
        // https://www.postgresql.org/docs/14/sql-altertable.html#SQL-ALTERTABLE-DETACH-PARTITION
        return facts({
          locks: [lock(change.table, 'SHARE UPDATE EXCLUSIVE'), lock(change.partition, 'ACCESS EXCLUSIVE')],
          transactional: false,
          notes: [
            'DETACH … CONCURRENTLY exists from PostgreSQL 14; queries on the partition itself still wait for its final ACCESS EXCLUSIVE',
          ],
        });
      }
      // The partition itself: SHARE UPDATE EXCLUSIVE on 10 and 11, ACCESS EXCLUSIVE from 12
      // (measured by test/facts; the docs name only the parent's lock).
      // https://www.postgresql.org/docs/12/sql-altertable.html#SQL-ALTERTABLE-DETACH-PARTITION
      return facts({
        locks: [
          lock(change.table, 'ACCESS EXCLUSIVE'),
          lock(change.partition, ctx.major >= 12 ? 'ACCESS EXCLUSIVE' : 'SHARE UPDATE EXCLUSIVE'),
          // The default partition's constraint changes with its siblings' bounds (no rows read).
          ...defaultPartitionLock(change.table, ctx).filter((l) => l.table !== change.partition),
        ],
      });
    case 'vacuum':
      if (change.full) {
        return facts({
          locks: change.tables.map((t) => lock(t, 'ACCESS EXCLUSIVE')),
          rewritesTable: true,
          rebuildsIndexes: true,
          transactional: false,
        });
      }
      // VACUUM cannot run inside a transaction block; ANALYZE alone can. ANALYZE reads a
      // random sample (300 × default_statistics_target pages at most), not every row.
      // https://www.postgresql.org/docs/current/sql-analyze.html#SQL-ANALYZE-NOTES
      return facts({
        locks: change.tables.map((t) => lock(t, 'SHARE UPDATE EXCLUSIVE')),
        scansTable: change.command === 'vacuum',
        transactional: change.command === 'analyze',
      });
    case 'cluster':
      return facts({
        locks: change.table ? [lock(change.table, 'ACCESS EXCLUSIVE')] : [],
        rewritesTable: true,
        rebuildsIndexes: true,
        transactional: change.table !== null,
      });
    case 'truncate':
      return truncateFacts(change, ctx);
    case 'lock table':
      return lockTableFacts(change, ctx);
    case 'dml':
      return facts({
        locks: [lock(change.table, 'ROW EXCLUSIVE')],
        scansTable: change.operation !== 'insert',
      });
    case 'create table':
      return createTableFacts(change, ctx);
    case 'drop table':
      return dropTableFacts(change, ctx);
    case 'create trigger':
      return facts({ locks: [lock(change.table, 'SHARE ROW EXCLUSIVE')] });
    case 'drop trigger':
      return facts({ locks: [lock(change.table, 'ACCESS EXCLUSIVE')] });
    case 'set trigger state':
      // The same for one trigger, ALL (the foreign keys' internal triggers included) and USER:
      // SHARE ROW EXCLUSIVE on this table only, on 10, 11, 15 and 18 (test/facts).
      return facts({ locks: [lock(change.table, 'SHARE ROW EXCLUSIVE')] });
    case 'alter table other':
      return alterOtherFacts(change);
    case 'comment':
      // COMMENT ON a relation or one of its columns takes SHARE UPDATE EXCLUSIVE on the relation
      // (CommentObject locks the object it comments on; checked in test/facts).
      // https://www.postgresql.org/docs/current/sql-comment.html
      return facts({ locks: change.table ? [lock(change.table, 'SHARE UPDATE EXCLUSIVE')] : [] });
    case 'grant':
      // GRANT / REVOKE look a relation up under ACCESS SHARE since PostgreSQL 18 (commit "Proper
      // object locking for GRANT/REVOKE", October 2024); 15 takes no lock on it (test/facts).
      // https://www.postgresql.org/message-id/attachment/166812/0001-Proper-object-locking-for-GRANT-REVOKE.patch
      return facts({ locks: ctx.major >= 18 ? change.relations.map((t) => lock(t, 'ACCESS SHARE')) : [] });
    case 'drop database':
      // https://www.postgresql.org/docs/current/sql-dropdatabase.html
      return facts({
        locks: [],
        transactional: false,
        notes: ['DROP DATABASE cannot run inside a transaction block and removes the whole database'],
      });
    case 'unknown':
      return facts({ locks: [], notes: ['not analyzed: schemapilot does not model this statement'] });
    default:
      return facts({ locks: [] });
  }
}

function isVolatileDefault(column: ColumnSpec, ctx: FactContext): { volatile: boolean; assumed: string[] } {
  if (!column.default || column.default.constant) return { volatile: false, assumed: [] };
  const { volatility, assumed } = expressionVolatility(column.default, (fn) => ctx.volatility(fn));
  return { volatile: volatility === 'volatile', assumed };
}

function addColumnFacts(change: ChangeOf<'add column'>, ctx: FactContext): ChangeFacts {
  const { column } = change;
  const locks = [lock(change.table, 'ACCESS EXCLUSIVE')];
  if (column.references) locks.push(lock(column.references.table, 'SHARE ROW EXCLUSIVE'));
  const notes: string[] = [];
  let rewrites = false;
  if (column.generated?.stored) {
    rewrites = true;
    notes.push('a stored generated column is computed for every row');
  } else if (column.generated) {
    notes.push('a virtual generated column (PostgreSQL 18+) is computed on read: no rewrite');
  } else if (column.type.serial || column.identity) {
    rewrites = true;
    notes.push(`${column.type.serial ?? 'an identity column'} fills every row from a sequence`);
  } else if (column.default && !(column.default.constant && /^null(::.*)?$/i.test(column.default.sql))) {
    const { volatile, assumed } = isVolatileDefault(column, ctx);
    if (ctx.major < 11) {
      rewrites = true;
      notes.push('before PostgreSQL 11 any default is written into every row');
    } else if (volatile) {
      rewrites = true;
      notes.push(
        assumed.length > 0
          ? `default calls ${assumed.join(', ')}, assumed volatile: evaluated for every row`
          : `volatile default ${column.default.sql}: evaluated for every row`,
      );
    } else {
      notes.push('non-volatile default: stored once in the catalog since PostgreSQL 11, no rewrite');
    }
  }
  // A new column's NOT NULL and CHECKs are verified by reading every row, or during the
  // rewrite when there is one. Its foreign key is validated only when the column has a default
  // (even DEFAULT NULL): without one every value is NULL, so PostgreSQL marks it valid unread
  // (transformAlterTableStmt in parse_utilcmd.c; verified on 10, 11, 15 and 18 by test/facts).
  const validatesRows = !rewrites && (column.checks.length > 0 || (column.notNull && !column.default));
  const validatesForeignKey = column.references !== null && column.default !== null;
  const validates: ValidatedConstraint[] = [
    ...(column.checks.length > 0 ? (['check'] as const) : []),
    ...(column.notNull && (!column.default || rewrites) ? (['not null'] as const) : []),
    ...(validatesForeignKey ? (['foreign key'] as const) : []),
  ];
  // NOT NULL with nothing to fill it fails on any existing row; a UNIQUE column filled with
  // one default repeats it.
  const fillsItself =
    column.default !== null ||
    column.identity !== null ||
    column.type.serial !== undefined ||
    column.generated !== null;
  return facts({
    locks,
    rewritesTable: rewrites,
    rebuildsIndexes: rewrites && hasIndexes(change.table, ctx),
    scansTable: validatesRows || validatesForeignKey,
    validates,
    rejectsExistingValues:
      (column.notNull && !fillsItself) ||
      column.checks.length > 0 ||
      validatesForeignKey ||
      ((column.unique || column.primaryKey) && column.default !== null),
    buildsIndex: column.primaryKey || column.unique,
    notes,
  });
}

function alterTypeFacts(change: ChangeOf<'alter column type'>, ctx: FactContext): ChangeFacts {
  const locks = [lock(change.table, 'ACCESS EXCLUSIVE')];
  const current = ctx.table(change.table)?.columns.find((c) => c.name === change.column);
  const keys = foreignKeyPartners(change, current?.type, ctx);
  for (const t of keys.partners) addLock(locks, t, 'ACCESS EXCLUSIVE');
  if (!current) {
    return facts({
      locks,
      rewritesTable: true,
      rebuildsIndexes: true,
      notes: ['current column type unknown: assumed to rewrite the table'],
    });
  }
  const fact = typeChangeFact(typeRefFromCatalog(current.type), change.type, {
    major: ctx.major,
    timeZoneIsUtc: ctx.timeZoneIsUtc,
    usingChangesValue: !change.usingIsColumn,
  });
  // A rewrite rebuilds every index of the table. Without one, only the indexes that use the
  // column are rebuilt, and only when the new index would differ: another operator class
  // (timestamp → timestamptz) or another collation.
  const table = ctx.table(change.table);
  const collationChanges = change.collation !== null && change.collation !== current.collation;
  // Only looked up when it decides: a table can have hundreds of indexes, each matched by a regex.
  const columnIndexed = () => (table ? table.indexes.some((i) => indexUsesColumn(i, change.column)) : true);
  const rebuildsIndexes = fact.rewrites
    ? hasIndexes(change.table, ctx)
    : (fact.rebuildsIndexes || collationChanges) && columnIndexed();
  return facts({
    locks,
    rewritesTable: fact.rewrites,
    rebuildsIndexes,
    // A re-check can only fail on rows that break a key already valid: not a risk to data.
    rejectsExistingValues: fact.narrows,
    scansTable: keys.revalidated,
    validates: keys.revalidated ? ['foreign key'] : [],
    notes: [
      fact.reason,
      ...(collationChanges && !fact.rewrites ? ['a new collation rebuilds its indexes'] : []),
      ...keys.notes,
    ],
  });
}

/**
 * A key column's foreign keys, on either side, are dropped and re-created around the type
 * change: the table at the other end gets ACCESS EXCLUSIVE (its RI triggers go and come back).
 * The re-created key is checked again, reading the referencing rows, unless the comparison it
 * uses stays the same: PostgreSQL skips it when the equality operator and the cast from the
 * referencing column are unchanged (ATAddForeignKeyConstraint, old_check_ok), which holds when
 * the type keeps its name (varchar(10) → varchar(20)) or stays in the text family.
 * https://www.postgresql.org/docs/current/sql-altertable.html#SQL-ALTERTABLE-NOTES
 */
function foreignKeyPartners(
  change: ChangeOf<'alter column type'>,
  currentType: string | undefined,
  ctx: FactContext,
): { partners: string[]; revalidated: boolean; notes: string[] } {
  const { own, referencing } = foreignKeysOnColumn(change.table, change.column, ctx);
  const partners = [...own.map(referencedTable), ...referencing.map((r) => r.table)].filter(
    (t) => t !== change.table,
  );
  if (own.length + referencing.length === 0) return { partners: [], revalidated: false, notes: [] };
  const from = currentType === undefined ? undefined : typeRefFromCatalog(currentType);
  const family = (name: string) => (name === 'varchar' || name === 'text' ? 'text' : name);
  const revalidated =
    from === undefined ||
    from.arrayDims !== change.type.arrayDims ||
    family(from.name) !== family(change.type.name);
  return {
    partners: [...new Set(partners)],
    revalidated,
    notes: [
      revalidated
        ? 'its foreign keys are re-created and checked again, reading the referencing rows'
        : 'its foreign keys are re-created without reading rows (same comparison)',
    ],
  };
}

/** The index has the column as a key or INCLUDE column, or mentions it in an expression or predicate. */
function indexUsesColumn(index: Index, column: string): boolean {
  if (index.columns.includes(column) || index.include.includes(column)) return true;
  const name = column.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const mention = new RegExp(`(^|[^\\w$"])"?${name}"?($|[^\\w$"])`);
  return [...index.columns, index.predicate ?? ''].some((text) => mention.test(text));
}

/**
 * A validated CHECK that proves the column is not null, as PostgreSQL 12+ sees it when SET NOT
 * NULL decides whether to scan: `col IS NOT NULL` (or `NOT col IS NULL`) as the whole condition
 * or as one of its top-level AND terms. Under an OR it proves nothing. Reads the definition as
 * pg_get_constraintdef prints it (`CHECK (b > 0 AND b IS NOT NULL)`), with quoted names.
 * https://www.postgresql.org/docs/12/sql-altertable.html#SQL-ALTERTABLE-DESC-SET-DROP-NOT-NULL
 * Row forms (`(a, b) IS NOT NULL`) also prove it on the server but are not recognised here: we
 * then predict a scan that does not happen, the safe mistake.
 */
export function hasNotNullCheck(ctx: FactContext, table: string, column: string): boolean {
  const checks = ctx.table(table)?.checkConstraints ?? [];
  // As the server prints the name: bare when it is a plain lower-case identifier, else quoted.
  const names = new Set([`"${column.replace(/"/g, '""')}"`]);
  if (/^[a-z_][a-z0-9_$]*$/.test(column)) names.add(column);
  const proves = (term: string): boolean => {
    const m = /^(?:(.+?)\s+IS\s+NOT\s+NULL|NOT\s+(.+?)\s+IS\s+NULL)$/i.exec(term);
    const name = m?.[1] ?? m?.[2];
    return name !== undefined && names.has(name);
  };
  return checks.some((c) => {
    if (!c.validated) return false;
    const condition = c.definition.replace(/^CHECK\s*/i, '').replace(/\s+NOT VALID$/i, '');
    return andTerms(condition).some(proves);
  });
}

/** `(a AND (b AND c))` → [a, b, c]: the terms of a condition's top-level ANDs, outer parentheses removed. */
function andTerms(condition: string): string[] {
  const text = unwrap(condition.trim());
  const parts: string[] = [];
  let depth = 0;
  let quote: string | null = null;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quote) {
      if (ch === quote) quote = null;
    } else if (ch === "'" || ch === '"') quote = ch;
    else if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (depth === 0 && /^\sAND\s/i.test(text.slice(i, i + 5))) {
      parts.push(text.slice(start, i));
      start = i + 5;
      i += 4;
    }
  }
  parts.push(text.slice(start));
  if (parts.length === 1) return [text];
  return parts.flatMap(andTerms);
}

/** Strip parentheses that enclose the whole text: `((a))` → `a`, but not `(a) AND (b)`. */
function unwrap(text: string): string {
  let current = text;
  while (current.startsWith('(') && current.endsWith(')') && closingParen(current) === current.length - 1) {
    current = current.slice(1, -1).trim();
  }
  return current;
}

/** Index of the parenthesis that closes the one at position 0, quotes respected. */
function closingParen(text: string): number {
  let depth = 0;
  let quote: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quote) {
      if (ch === quote) quote = null;
    } else if (ch === "'" || ch === '"') quote = ch;
    else if (ch === '(') depth++;
    else if (ch === ')' && --depth === 0) return i;
  }
  return -1;
}

function setNotNullFacts(change: ChangeOf<'set not null'>, ctx: FactContext): ChangeFacts {
  const locks = [lock(change.table, 'ACCESS EXCLUSIVE')];
  const column = ctx.table(change.table)?.columns.find((c) => c.name === change.column);
  if (column && !column.nullable) return facts({ locks, notes: ['column is already NOT NULL'] });
  if (ctx.major >= 12 && hasNotNullCheck(ctx, change.table, change.column)) {
    return facts({ locks, notes: ['a validated CHECK (… IS NOT NULL) proves it: no scan (PostgreSQL 12+)'] });
  }
  return facts({
    locks,
    scansTable: true,
    rejectsExistingValues: true,
    validates: ['not null'],
    notes: [
      ctx.major >= 12
        ? 'scans every row under ACCESS EXCLUSIVE unless a validated CHECK (col IS NOT NULL) exists'
        : 'scans every row under ACCESS EXCLUSIVE (before PostgreSQL 12 even with a CHECK)',
    ],
  });
}

function addConstraintFacts(change: ChangeOf<'add constraint'>, ctx: FactContext): ChangeFacts {
  const c = change.constraint;
  const table = change.table;
  switch (c.type) {
    case 'check':
      return facts({
        locks: [lock(table, 'ACCESS EXCLUSIVE')],
        scansTable: !c.notValid,
        rejectsExistingValues: !c.notValid,
        validates: c.notValid ? [] : ['check'],
        notes: [
          c.notValid
            ? 'NOT VALID: existing rows are not checked'
            : 'every row is checked under ACCESS EXCLUSIVE',
        ],
      });
    case 'foreign key':
      return facts({
        locks: [lock(table, 'SHARE ROW EXCLUSIVE'), lock(c.references.table, 'SHARE ROW EXCLUSIVE')],
        scansTable: !c.notValid,
        rejectsExistingValues: !c.notValid,
        validates: c.notValid ? [] : ['foreign key'],
        notes: [
          c.notValid
            ? 'NOT VALID: existing rows are not checked'
            : 'every row is checked while writes to both tables wait',
        ],
      });
    case 'unique':
    case 'primary key': {
      const usingIndex = c.usingIndex !== null;
      const columns = ctx.table(table)?.columns ?? [];
      const nullable =
        c.type === 'primary key' &&
        c.columns.some((name) => columns.find((col) => col.name === name)?.nullable ?? true);
      return facts({
        locks: [lock(table, 'ACCESS EXCLUSIVE')],
        buildsIndex: !usingIndex,
        scansTable: nullable,
        validates: nullable ? ['not null'] : [],
        // A new index may meet duplicates; USING INDEX reuses one that is already unique.
        rejectsExistingValues: !usingIndex || nullable,
        notes: [
          usingIndex
            ? 'USING INDEX: the index exists, only the catalog changes'
            : 'the index is built while reads and writes wait',
          ...(nullable ? ['primary key columns are made NOT NULL, which scans the table'] : []),
        ],
      });
    }
    case 'exclusion':
      // After the build, every row is checked against the index in a second pass over the
      // table (IndexCheckExclusion in src/backend/catalog/index.c).
      // https://www.postgresql.org/docs/current/sql-createtable.html#SQL-CREATETABLE-EXCLUDE
      return facts({
        locks: [lock(table, 'ACCESS EXCLUSIVE')],
        buildsIndex: true,
        scansTable: true,
        rejectsExistingValues: true,
        notes: ['the exclusion index is built, then every row checked, while reads and writes wait'],
      });
    case 'not null': {
      const scans = !c.notValid && !ctx.isNew(table);
      return facts({
        locks: [lock(table, 'ACCESS EXCLUSIVE')],
        scansTable: scans,
        rejectsExistingValues: !c.notValid,
        validates: scans ? ['not null'] : [],
      });
    }
  }
}

function dropIndexFacts(change: ChangeOf<'drop index'>, ctx: FactContext): ChangeFacts {
  const mode: LockMode = change.concurrently ? 'SHARE UPDATE EXCLUSIVE' : 'ACCESS EXCLUSIVE';
  const locks = change.indexes.map((index) => lock(ctx.tableOfIndex(index) ?? index, mode));
  return facts({ locks, transactional: !change.concurrently });
}

function reindexFacts(change: ChangeOf<'reindex'>, ctx: FactContext): ChangeFacts {
  const table = change.target === 'index' ? (ctx.tableOfIndex(change.name) ?? change.name) : change.name;
  const single = change.target === 'index' || change.target === 'table';
  // Existing indexes get new files (rebuildsIndexes), no new index appears (buildsIndex).
  // https://www.postgresql.org/docs/current/sql-reindex.html
  if (change.concurrently) {
    return facts({
      locks: single ? [lock(table, 'SHARE UPDATE EXCLUSIVE')] : [],
      rebuildsIndexes: true,
      transactional: false,
    });
  }
  return facts({
    // REINDEX takes SHARE on the table (writes wait) and ACCESS EXCLUSIVE on the index itself,
    // so reads that would use the index wait too.
    locks: single ? [lock(table, 'SHARE')] : [],
    rebuildsIndexes: true,
    transactional: single,
  });
}

function createTableFacts(change: ChangeOf<'create table'>, ctx: FactContext): ChangeFacts {
  const referenced = new Set<string>();
  for (const column of change.columns) if (column.references) referenced.add(column.references.table);
  for (const c of change.constraints) if (c.type === 'foreign key') referenced.add(c.references.table);
  const locks = [...referenced].filter((t) => t !== change.table).map((t) => lock(t, 'SHARE ROW EXCLUSIVE'));
  // CREATE TABLE … AS reads its query's relations to the end, under ACCESS SHARE.
  for (const t of change.reads) addLock(locks, t, 'ACCESS SHARE');
  if (!change.partitionOf) return facts({ locks, scansTable: change.reads.length > 0 });
  // A new partition narrows the default partition, whose rows are read to prove none belongs
  // to the new one (test/facts, 11 to 18). https://www.postgresql.org/docs/current/sql-createtable.html
  const defaultLocks = defaultPartitionLock(change.partitionOf, ctx);
  return facts({
    locks: [...locks, lock(change.partitionOf, 'ACCESS EXCLUSIVE'), ...defaultLocks],
    scansTable: defaultLocks.length > 0,
    rejectsExistingValues: defaultLocks.length > 0,
    validates: defaultLocks.length > 0 ? ['partition bound'] : [],
    notes: defaultPartitionNote(change.partitionOf, ctx),
  });
}

/** The default partition gets ACCESS EXCLUSIVE when a sibling is attached, created or detached. */
function defaultPartitionLock(parent: string, ctx: FactContext): LockFact[] {
  const partition = ctx.defaultPartition(parent);
  return partition ? [lock(partition, 'ACCESS EXCLUSIVE')] : [];
}

function defaultPartitionNote(parent: string, ctx: FactContext): string[] {
  const partition = ctx.defaultPartition(parent);
  return partition
    ? [`the default partition ${partition} is read to check none of its rows belongs to the new partition`]
    : [];
}

/**
 * DROP TABLE takes ACCESS EXCLUSIVE on what goes with the table: its partitions, the tables
 * its foreign keys reference (their RI triggers are dropped), and with CASCADE the tables whose
 * foreign keys reference it (those keys are dropped) and the views over it.
 * https://www.postgresql.org/docs/current/sql-droptable.html
 */
function dropTableFacts(change: ChangeOf<'drop table'>, ctx: FactContext): ChangeFacts {
  const dropped = change.tables.flatMap((t) => [t, ...allPartitions(t, ctx)]);
  const locks = dropped.map((t) => lock(t, 'ACCESS EXCLUSIVE'));
  for (const t of dropped) {
    for (const fk of ctx.table(t)?.foreignKeys ?? []) {
      const referenced = referencedTable(fk);
      if (!dropped.includes(referenced)) addLock(locks, referenced, 'ACCESS EXCLUSIVE');
    }
    if (!change.cascade) continue;
    for (const { table } of ctx.referencingForeignKeys(t))
      if (!dropped.includes(table)) addLock(locks, table, 'ACCESS EXCLUSIVE');
    for (const view of viewsDroppedWith(t, ctx)) addLock(locks, view, 'ACCESS EXCLUSIVE');
  }
  return facts({ locks });
}

/**
 * DROP COLUMN drops the foreign keys that contain the column (the referenced table loses their
 * RI triggers), and with CASCADE those of other tables that reference it and the views that read
 * it: ACCESS EXCLUSIVE on each. https://www.postgresql.org/docs/current/sql-altertable.html
 */
function dropColumnFacts(change: ChangeOf<'drop column'>, ctx: FactContext): ChangeFacts {
  const locks = [lock(change.table, 'ACCESS EXCLUSIVE')];
  const { own, referencing } = foreignKeysOnColumn(change.table, change.column, ctx);
  for (const fk of own) addLock(locks, referencedTable(fk), 'ACCESS EXCLUSIVE');
  if (change.cascade) {
    for (const { table } of referencing) addLock(locks, table, 'ACCESS EXCLUSIVE');
    for (const view of viewsDroppedWith(change.table, ctx, change.column))
      addLock(locks, view, 'ACCESS EXCLUSIVE');
  }
  return facts({ locks });
}

/**
 * DROP CONSTRAINT of a foreign key drops its RI triggers on the referenced table, under ACCESS
 * EXCLUSIVE there too (RemoveConstraintById; the docs give only the default). With CASCADE, a
 * primary key or unique constraint takes the foreign keys that reference it along, and their
 * tables' locks. https://www.postgresql.org/docs/current/sql-altertable.html
 */
function dropConstraintFacts(change: ChangeOf<'drop constraint'>, ctx: FactContext): ChangeFacts {
  const table = ctx.table(change.table);
  const locks = [lock(change.table, 'ACCESS EXCLUSIVE')];
  const fk = table?.foreignKeys.find((f) => f.name === change.name);
  if (fk) addLock(locks, referencedTable(fk), 'ACCESS EXCLUSIVE');
  const key =
    table?.primaryKey?.name === change.name
      ? table.primaryKey.columns
      : table?.uniqueConstraints.find((u) => u.name === change.name)?.columns;
  if (change.cascade && key) {
    const same = (columns: readonly string[]) =>
      columns.length === key.length && columns.every((c) => key.includes(c));
    for (const r of ctx.referencingForeignKeys(change.table))
      if (r.table !== change.table && same(r.foreignKey.referencedColumns))
        addLock(locks, r.table, 'ACCESS EXCLUSIVE');
  }
  return facts({ locks });
}

/**
 * TRUNCATE discards every row: the tables and their indexes get new, empty files, nothing is
 * copied, so it is not a rewrite and takes the same time whatever the size. ACCESS EXCLUSIVE on
 * each table, on its partitions, and with CASCADE on every table with a foreign key to one of
 * them, transitively. https://www.postgresql.org/docs/current/sql-truncate.html
 */
function truncateFacts(change: ChangeOf<'truncate'>, ctx: FactContext): ChangeFacts {
  const named = change.tables.flatMap((t) => [t, ...allPartitions(t, ctx)]);
  const cascaded = change.cascade ? truncatedWith(named, ctx) : [];
  const tables = [...named, ...cascaded.flatMap((t) => [t, ...allPartitions(t, ctx)])];
  return facts({
    locks: [...new Set(tables)].map((t) => lock(t, 'ACCESS EXCLUSIVE')),
    emptiesTable: true,
    notes: ['TRUNCATE swaps in empty files: no row is read or copied'],
  });
}

/**
 * LOCK TABLE takes the mode it names on each table, and on its partitions unless ONLY is
 * written; on a view, on every relation the view reads too, views within views included
 * (PostgreSQL 11+). https://www.postgresql.org/docs/current/sql-lock.html
 */
function lockTableFacts(change: ChangeOf<'lock table'>, ctx: FactContext): ChangeFacts {
  const locks: LockFact[] = [];
  const visit = (relation: string) => {
    if (locks.some((l) => l.table === relation)) return;
    addLock(locks, relation, change.mode);
    if (ctx.major >= 11) for (const source of ctx.viewSources(relation)) visit(source);
  };
  for (const t of change.tables) visit(t);
  return facts({
    locks,
    notes: change.nowait
      ? ['NOWAIT: fails at once instead of queueing when the lock is not free']
      : [`waits for every transaction holding a conflicting lock; queries that need one wait behind it`],
  });
}

/** ALTER TABLE forms that take less than ACCESS EXCLUSIVE (the docs list each). */
const LIGHT_ALTERS: Record<string, LockMode> = {
  AT_SetStatistics: 'SHARE UPDATE EXCLUSIVE',
  AT_SetOptions: 'SHARE UPDATE EXCLUSIVE',
  AT_ResetOptions: 'SHARE UPDATE EXCLUSIVE',
  AT_ClusterOn: 'SHARE UPDATE EXCLUSIVE',
  AT_DropCluster: 'SHARE UPDATE EXCLUSIVE',
  AT_SetRelOptions: 'SHARE UPDATE EXCLUSIVE',
  AT_ResetRelOptions: 'SHARE UPDATE EXCLUSIVE',
  AT_EnableTrig: 'SHARE ROW EXCLUSIVE',
  AT_DisableTrig: 'SHARE ROW EXCLUSIVE',
};

function alterOtherFacts(change: ChangeOf<'alter table other'>): ChangeFacts {
  const mode = LIGHT_ALTERS[change.subtype] ?? 'ACCESS EXCLUSIVE';
  return facts({
    locks: [lock(change.table, mode)],
    rewritesTable: change.rewrites,
    // SET TABLESPACE moves the table alone; its indexes stay where they are.
    // https://www.postgresql.org/docs/current/sql-altertable.html#SQL-ALTERTABLE-DESC-SET-TABLESPACE
    rebuildsIndexes: change.rewrites && change.subtype !== 'AT_SetTableSpace',
    notes: LIGHT_ALTERS[change.subtype]
      ? []
      : [`${alterSubtypeWords(change.subtype)}: assumed ACCESS EXCLUSIVE`],
  });
}

/** Object types of SET SCHEMA that are relations, and so locked (as lower.ts spells them). */
const RELATION_TYPES: ReadonlySet<string> = new Set([
  'table',
  'view',
  'matview',
  'sequence',
  'foreign table',
]);
