/**
 * The transaction of SQLite's table rebuild, https://www.sqlite.org/lang_altertable.html#otheralter
 * (steps 2 to 11; steps 1 and 12, PRAGMA foreign_keys, run outside it):
 *
 *  4. CREATE TABLE new_X in the new shape (the old definition, edited);
 *  5. INSERT INTO new_X SELECT … FROM X, rowids and the AUTOINCREMENT counter carried over;
 *  6. DROP TABLE X;
 *  7. ALTER TABLE new_X RENAME TO X, with legacy_alter_table ON for this one statement: since
 *     3.26 a rename re-reads every view and trigger, and one that reads X (just dropped) makes
 *     it fail ("error in view v: no such table: main.X"); the legacy rename touches only the
 *     table, which is what the procedure needs, since the name it restores is the one those
 *     views, triggers and other tables' foreign keys already say (test/dialects/sqlite/rebuild);
 *  8. X's indexes and triggers created again from their saved text (they went with DROP TABLE);
 *  9. the views that read X compiled once (SELECT … LIMIT 0), so one the change broke fails the
 *     transaction instead of the first query after it;
 * 10. PRAGMA foreign_key_check of X and of the tables that reference it must find no row.
 *
 * A failed statement leaves the transaction to be rolled back: nothing of the rebuild remains.
 * Checks that must fail the transaction use a temporary table whose named CHECK constraints say
 * what went wrong (plain SQL has no way to raise an error outside a trigger).
 */
import type { Quoter } from '../../../core/rule.js';

export interface RebuildSpec {
  /** The table, qualified (`main.orders`). */
  table: string;
  /** The new table's unqualified name while both exist. */
  newName: string;
  /** CREATE TABLE for the new table, already called `newName`. */
  create: string;
  /** Each column of the new table the copy fills, and the expression over the old row it takes. */
  copy: { column: string; expression: string }[];
  /** `FROM` of the copy when it is more than the old table (the rollback joins the archive). */
  from?: string;
  /** The name of the old row's rowid to carry over (rowid, _rowid_ or oid), or null. */
  rowid: string | null;
  /** Both tables have AUTOINCREMENT: the counter goes on where the old table's stood. */
  carrySequence: boolean;
  /** Before DROP TABLE X (keeping dropped values), and at the very end (dropping what is no longer needed). */
  beforeDrop: string[];
  atEnd: string[];
  /** CREATE INDEX and CREATE TRIGGER statements of the table, as they are to be. */
  recreate: string[];
  /** Views (qualified) to compile once the table is back. */
  probeViews: string[];
  /** Other tables' foreign keys reference the table: foreign_keys must be OFF for DROP TABLE. */
  referenced: boolean;
  /** Tables (qualified) whose foreign keys the transaction checks at the end. */
  foreignKeyCheck: string[];
}

/** The temporary table whose CHECK constraints fail the transaction (see above). */
export const GUARD_TABLE = 'schemapilot_rebuild_guard';

function bare(qualified: string): string {
  return qualified.slice(qualified.indexOf('.') + 1);
}

function schemaOf(qualified: string): string {
  return qualified.slice(0, qualified.indexOf('.'));
}

/** `PRAGMA foreign_key_check(t)` as a table, for one table of its own database. */
function foreignKeyCheck(q: Quoter, table: string): string {
  return `SELECT 1 FROM pragma_foreign_key_check(${q.literal(bare(table))}, ${q.literal(schemaOf(table))})`;
}

export function rebuildStatements(q: Quoter, spec: RebuildSpec): string[] {
  const schema = schemaOf(spec.table);
  const old = q.table(spec.table);
  const fresh = q.table(`${schema}.${spec.newName}`);
  const guard = `temp.${q.ident(GUARD_TABLE)}`;
  const checks = spec.foreignKeyCheck.length > 0;
  const out: string[] = [];
  if (spec.referenced || checks) {
    const off = `schemapilot: foreign_keys is ON inside the transaction, so dropping ${bare(spec.table)} would fire the ON DELETE actions of the tables that reference it: run PRAGMA foreign_keys = OFF on this connection before the transaction begins`;
    const broken = `schemapilot: PRAGMA foreign_key_check finds rows that break a foreign key after the rebuild of ${bare(spec.table)}`;
    out.push(
      `CREATE TEMP TABLE ${q.ident(GUARD_TABLE)} (foreign_keys_off INTEGER CONSTRAINT ${q.ident(off)} CHECK (foreign_keys_off), foreign_keys_hold INTEGER CONSTRAINT ${q.ident(broken)} CHECK (foreign_keys_hold))`,
    );
    if (spec.referenced)
      out.push(`INSERT INTO ${guard} (foreign_keys_off) SELECT NOT foreign_keys FROM pragma_foreign_keys`);
  }
  out.push(spec.create);
  const rowid = spec.rowid ? [spec.rowid] : [];
  const targets = [...rowid, ...spec.copy.map((c) => q.ident(c.column))];
  const sources = [...rowid.map((r) => `${old}.${r}`), ...spec.copy.map((c) => c.expression)];
  out.push(
    `INSERT INTO ${fresh} (${targets.join(', ')}) SELECT ${sources.join(', ')} FROM ${spec.from ?? old}`,
  );
  if (spec.carrySequence) {
    const sequence = `${q.ident(schema)}.sqlite_sequence`;
    out.push(
      `DELETE FROM ${sequence} WHERE name = ${q.literal(spec.newName)}`,
      `INSERT INTO ${sequence} (name, seq) SELECT ${q.literal(spec.newName)}, seq FROM ${sequence} WHERE name = ${q.literal(bare(spec.table))}`,
    );
  }
  out.push(...spec.beforeDrop);
  out.push(`DROP TABLE ${old}`);
  out.push(
    'PRAGMA legacy_alter_table = ON',
    `ALTER TABLE ${fresh} RENAME TO ${q.ident(bare(spec.table))}`,
    'PRAGMA legacy_alter_table = OFF',
  );
  out.push(...spec.recreate);
  for (const view of spec.probeViews) out.push(`SELECT * FROM ${q.table(view)} LIMIT 0`);
  if (checks)
    out.push(
      `INSERT INTO ${guard} (foreign_keys_hold) SELECT NOT EXISTS (${spec.foreignKeyCheck.map((t) => foreignKeyCheck(q, t)).join(' UNION ALL ')})`,
    );
  if (spec.referenced || checks) out.push(`DROP TABLE ${guard}`);
  out.push(...spec.atEnd);
  return out;
}
