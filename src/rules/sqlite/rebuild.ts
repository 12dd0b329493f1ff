/**
 * Hand-written table rebuilds, recognised across the statements of a file. SQLite's ALTER TABLE
 * does little, so a migration that changes anything else copies the table: the documented
 * order (https://www.sqlite.org/lang_altertable.html#otheralter; Prisma's "RedefineTables",
 * drizzle-kit, Django, Knex) is
 *
 *   CREATE TABLE new_x (…); INSERT INTO new_x SELECT … FROM x; DROP TABLE x; ALTER TABLE new_x RENAME TO x;
 *
 * and Rails copies through a temporary table and creates x again under its own name. Both are
 * judged at the DROP TABLE x, which they share: the table x is, its relatives and the session
 * are known there, and what must follow (its indexes and triggers again, the foreign key
 * check, COMMIT) is in the rest of the file.
 */
import type { Change, ChangeOf } from '../../core/change.js';
import type { RuleContext } from '../../core/rule.js';
import type { Index, Trigger } from '../../core/snapshot.js';

export interface Rebuild {
  /** The table rebuilt (qualified). */
  table: string;
  /** The table renamed to `table` afterwards (qualified); null when `table` is created again under its name. */
  replacement: string | null;
  /** Changes of the file between the DROP and the rename (or the CREATE TABLE). */
  between: readonly Change[];
  /** Changes of the file after the rename (or the CREATE TABLE). */
  after: readonly Change[];
}

/** The rebuild `table` is dropped for at this DROP TABLE, or null when the file does not give its name back. */
export function rebuildAt(ctx: RuleContext, table: string): Rebuild | null {
  const schema = table.slice(0, table.indexOf('.'));
  const later = ctx.laterChanges();
  for (const [i, c] of later.entries()) {
    if (c.kind === 'rename table' && c.table !== table && `${schema}.${c.newName}` === table)
      return { table, replacement: c.table, between: later.slice(0, i), after: later.slice(i + 1) };
    if (c.kind === 'create table' && c.table === table) {
      const after = later.slice(i + 1);
      // Created again and filled: Rails' copy back. Created empty, it is a drop and a new table.
      const refilled = after.some((d) => d.kind === 'dml' && d.operation === 'insert' && d.table === table);
      return refilled ? { table, replacement: null, between: later.slice(0, i), after } : null;
    }
  }
  return null;
}

/** The tables a rebuild's work lands on: the old name, and the replacement before its rename. */
function targets(r: Rebuild): Set<string> {
  return new Set([r.table, ...(r.replacement ? [r.replacement] : [])]);
}

/**
 * Indexes of the old table that the file does not create again: an index SQLite made for a
 * PRIMARY KEY or UNIQUE constraint comes back with the table's definition; one made by CREATE
 * INDEX is dropped with the table and is gone unless created again (under its name, or on the
 * same keys).
 */
export function indexesNotRecreated(ctx: RuleContext, r: Rebuild): Index[] {
  const old = ctx.table(r.table)?.indexes.filter((i) => i.constraint === null && !i.primary) ?? [];
  const on = targets(r);
  const created = [...r.between, ...r.after].filter(
    (c): c is ChangeOf<'create index'> => c.kind === 'create index' && on.has(c.index.table),
  );
  const already = r.replacement ? (ctx.table(r.replacement)?.indexes ?? []) : [];
  const sameKeys = (i: Index, columns: readonly string[], unique: boolean, where: string | null) =>
    i.unique === unique &&
    norm(i.predicate ?? '') === norm(where ?? '') &&
    i.columns.map(norm).join(',') === columns.map(norm).join(',');
  return old.filter(
    (i) =>
      !created.some(
        (c) => c.index.name === i.name || sameKeys(i, c.index.columns, c.index.unique, c.index.where),
      ) && !already.some((a) => sameKeys(i, a.columns, a.unique, a.predicate)),
  );
}

/** Triggers of the old table that the file does not create again (they are dropped with it). */
export function triggersNotRecreated(ctx: RuleContext, r: Rebuild): Trigger[] {
  const on = targets(r);
  const created = new Set(
    [...r.between, ...r.after].flatMap((c) =>
      c.kind === 'create trigger' && on.has(c.table) ? [c.name] : [],
    ),
  );
  return (ctx.table(r.table)?.triggers ?? []).filter((t) => !created.has(t.name));
}

/**
 * Whether `PRAGMA foreign_key_check` runs in `changes` before the transaction open at the
 * rebuild ends (anywhere, when none is open): after COMMIT it can only report what is already
 * committed.
 */
export function checksForeignKeys(changes: readonly Change[], inTransaction: boolean): boolean {
  for (const c of changes) {
    if (c.kind === 'select' && c.pragma === 'foreign_key_check') return true;
    if (inTransaction && c.kind === 'transaction' && (c.action === 'commit' || c.action === 'rollback'))
      return false;
  }
  return false;
}

/** Keys and predicates compared as SQLite ignores quotes, case and spacing in them. */
function norm(sql: string): string {
  return sql.replace(/["`[\]\s]/g, '').toLowerCase();
}
