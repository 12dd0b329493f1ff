/**
 * Locks PostgreSQL takes on relations a statement does not name: the partitions an ALTER TABLE,
 * CREATE INDEX, TRUNCATE or LOCK TABLE recurses into, the tables TRUNCATE … CASCADE follows
 * foreign keys to, the views DROP … CASCADE drops with a column or a table, the table on the
 * other side of a foreign key that is dropped or rebuilt. Each is measured by test/facts
 * (cases/relatives.ts) on every server; docs/decisions/0005 says how.
 */
import type { ChangeFacts, LockFact } from '../../core/analysis.js';
import { changeTable, type Change } from '../../core/change.js';
import type { FactContext } from '../../core/facts.js';
import { strongerLock, type LockMode } from '../../core/locks.js';
import type { ForeignKey } from '../../core/snapshot.js';

/** Every partition below a partitioned table, sub-partitions included. */
export function allPartitions(table: string, ctx: FactContext): string[] {
  const out: string[] = [];
  const visit = (t: string) => {
    for (const p of ctx.partitions(t)) {
      if (out.includes(p)) continue;
      out.push(p);
      visit(p);
    }
  };
  visit(table);
  return out;
}

/** Whether a rewrite has indexes to rebuild: the table's own, or its partitions'. Unknown: yes. */
export function hasIndexes(table: string, ctx: FactContext): boolean {
  const t = ctx.table(table);
  if (!t) return true;
  return (
    t.indexes.length > 0 || allPartitions(table, ctx).some((p) => (ctx.table(p)?.indexes.length ?? 0) > 0)
  );
}

/**
 * The views DROP … CASCADE drops with a relation (or one of its columns): those that read it,
 * and the views over those, transitively. Each gets ACCESS EXCLUSIVE.
 * https://www.postgresql.org/docs/current/ddl-depend.html
 */
export function viewsDroppedWith(relation: string, ctx: FactContext, column?: string): string[] {
  const out: string[] = [];
  const visit = (views: readonly string[]) => {
    for (const v of views) {
      if (out.includes(v)) continue;
      out.push(v);
      visit(ctx.dependentViews(v));
    }
  };
  visit(ctx.dependentViews(relation, column));
  return out;
}

/**
 * The tables TRUNCATE … CASCADE empties besides the ones named: every table with a foreign
 * key to one of them, transitively. https://www.postgresql.org/docs/current/sql-truncate.html
 */
export function truncatedWith(tables: readonly string[], ctx: FactContext): string[] {
  const out = [...tables];
  for (let i = 0; i < out.length; i++) {
    for (const { table } of ctx.referencingForeignKeys(out[i] ?? ''))
      if (!out.includes(table)) out.push(table);
  }
  return out.slice(tables.length);
}

/** The table a foreign key references, qualified. */
export function referencedTable(fk: ForeignKey): string {
  return `${fk.referencedSchema}.${fk.referencedTable}`;
}

/**
 * The foreign keys that use a column, on either side: those of the table that contain it, and
 * those of other tables that reference it. Dropping the column drops them, changing its type
 * rebuilds them; either way the table on the other side loses and regains its RI triggers.
 */
export function foreignKeysOnColumn(
  table: string,
  column: string,
  ctx: FactContext,
): { own: ForeignKey[]; referencing: { table: string; foreignKey: ForeignKey }[] } {
  return {
    own: (ctx.table(table)?.foreignKeys ?? []).filter((fk) => fk.columns.includes(column)),
    referencing: ctx
      .referencingForeignKeys(table)
      .filter(({ table: t, foreignKey }) => t !== table && foreignKey.referencedColumns.includes(column)),
  };
}

/**
 * ALTER TABLE subcommands that PostgreSQL applies to every partition too, under the same lock,
 * unless ONLY is written. Attaching, detaching and renaming the table act on one relation.
 * TRUNCATE and DROP TABLE list their partitions themselves (facts.ts).
 */
const RECURSING_ALTERS: ReadonlySet<Change['kind']> = new Set([
  'add column',
  'drop column',
  'rename column',
  'alter column type',
  'set not null',
  'drop not null',
  'set default',
  'drop default',
  'add identity',
  'drop identity',
  'set generated expression',
  'add constraint',
  'validate constraint',
  'drop constraint',
  'rename constraint',
  'set trigger state',
]);

/** The tables whose partitions a Change reaches (each partition gets the table's lock). */
function recursion(change: Change): string[] {
  switch (change.kind) {
    case 'create index':
      return change.index.only ? [] : [change.index.table];
    case 'lock table':
      return change.tables.filter((t) => !change.onlyTables.includes(t));
    default: {
      const table = changeTable(change);
      if (!RECURSING_ALTERS.has(change.kind) || table === null) return [];
      return 'only' in change && change.only ? [] : [table];
    }
  }
}

/**
 * Each lock a Change takes on a partitioned table, taken on every partition below it too. The
 * partitions are named by the snapshot: facts cannot know partitions it does not list.
 */
export function withPartitionLocks(change: Change, facts: ChangeFacts, ctx: FactContext): ChangeFacts {
  // Copied only once a partition is found: most tables have none.
  let locks: LockFact[] | null = null;
  for (const table of recursion(change)) {
    const mode = facts.locks.find((l) => l.table === table)?.mode;
    if (!mode) continue;
    // Asked once before the walk below: most tables have no partition.
    if (ctx.partitions(table).length === 0) continue;
    for (const partition of allPartitions(table, ctx)) addLock((locks ??= [...facts.locks]), partition, mode);
  }
  return locks === null || locks.length === facts.locks.length ? facts : { ...facts, locks };
}

/** Add a lock, or raise the one already listed for the relation. */
export function addLock(locks: LockFact[], table: string, mode: LockMode): void {
  const i = locks.findIndex((l) => l.table === table);
  const existing = locks[i];
  // Replaced, not changed in place: the list may share its objects with another Change's facts.
  if (existing) locks[i] = { table, mode: strongerLock(existing.mode, mode) };
  else locks.push({ table, mode });
}
