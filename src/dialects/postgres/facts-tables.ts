/**
 * PostgreSQL facts of whole tables: CREATE TABLE (partitions and their default partition),
 * DROP TABLE, TRUNCATE (CASCADE), LOCK TABLE, and the light ALTER TABLE subcommands. Sources and
 * verification: facts.ts.
 */
import { type ChangeFacts, type LockFact } from '../../core/analysis.js';
import type { ChangeOf } from '../../core/change.js';
import type { FactContext } from '../../core/facts.js';
import type { LockMode } from '../../core/locks.js';
import { facts, lock } from './facts-common.js';
import { addLock, allPartitions, referencedTable, truncatedWith, viewsDroppedWith } from './relatives.js';
import { alterSubtypeWords } from './statement-names.js';

export function createTableFacts(change: ChangeOf<'create table'>, ctx: FactContext): ChangeFacts {
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
export function defaultPartitionLock(parent: string, ctx: FactContext): LockFact[] {
  const partition = ctx.defaultPartition(parent);
  return partition ? [lock(partition, 'ACCESS EXCLUSIVE')] : [];
}

export function defaultPartitionNote(parent: string, ctx: FactContext): string[] {
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
export function dropTableFacts(change: ChangeOf<'drop table'>, ctx: FactContext): ChangeFacts {
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
 * TRUNCATE discards every row: the tables and their indexes get new, empty files, nothing is
 * copied, so it is not a rewrite and takes the same time whatever the size. ACCESS EXCLUSIVE on
 * each table, on its partitions, and with CASCADE on every table with a foreign key to one of
 * them, transitively. https://www.postgresql.org/docs/current/sql-truncate.html
 */
export function truncateFacts(change: ChangeOf<'truncate'>, ctx: FactContext): ChangeFacts {
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
export function lockTableFacts(change: ChangeOf<'lock table'>, ctx: FactContext): ChangeFacts {
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
export const LIGHT_ALTERS: Record<string, LockMode> = {
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

export function alterOtherFacts(change: ChangeOf<'alter table other'>): ChangeFacts {
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
export const RELATION_TYPES: ReadonlySet<string> = new Set([
  'table',
  'view',
  'matview',
  'sequence',
  'foreign table',
]);
