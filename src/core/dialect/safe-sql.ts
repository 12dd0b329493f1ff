/**
 * The safe-SQL building blocks a dialect provides to rules (their safe alternatives) and to
 * plan recipes (the steps they write): one implementation per dialect, so that what a finding
 * tells users to run and what the plan runs are the same SQL. Rules reach it as
 * `RuleContext.sql`, recipes as `RecipeContext.sql`.
 *
 * Every builder returns statements without a terminator: a rule's safe alternative ends each
 * with `;` (src/rules/sql.ts), a plan step holds them as they are. Names go through the
 * Quoter, literals through `q.literal`. Where the server version matters the caller passes
 * the fact key it analyses for (`major`: the PostgreSQL major).
 */
import type { OnlineAlgorithm } from '../analysis.js';
import type { Change } from '../change.js';
import type { BackfillSpec, PlanCheck, SchemaChangeTool, ToolRun } from '../plan.js';
import type { Quoter } from '../rule.js';
import type { Column, Index, Table, View } from '../snapshot.js';

/**
 * Names of the objects schemapilot creates, within the dialect's identifier limit
 * (`capabilities.maxIdentifierBytes`, counted in bytes of the server's encoding): a generated
 * name that does not fit is cut at a character boundary and gets a short hash of the full name,
 * so that two names differing only past the limit stay distinct
 * (docs/decisions/0011-generated-names.md).
 */
export interface GeneratedNames {
  /** The identifier limit in bytes the names keep to. */
  readonly maxBytes: number;
  /** `base + suffix` when it fits; else `base` cut short + `_` + a hash + `suffix` (kept whole). */
  bounded(base: string, suffix: string): string;
  /** `<table>_<part>…_<suffix>` (the table without its schema). */
  object(table: string, parts: readonly string[], suffix: string): string;
  /** A helper object (trigger, function, constraint, sequence) named after a table and column. */
  helper(table: string, column: string, suffix: string): string;
  /**
   * The name the server itself gives an object the user left unnamed on these columns of the
   * table (`<table>_<columns>_<label>` on PostgreSQL), cut as the server cuts it: a plan names
   * it explicitly and must end in the schema the statement as written would.
   */
  server(table: string, columns: readonly string[], label: string): string;
}

/** The NOT NULL route through a CHECK constraint, as statements in the order they run. */
export interface NotNullViaCheck {
  /** The helper constraint's name. */
  check: string;
  /** Adds the CHECK without reading the table (only new writes are checked). */
  add: string;
  /** Proves the CHECK on every row, in a later transaction than `add`, while traffic goes on. */
  validate: string;
  /**
   * SET NOT NULL, proved by the validated CHECK without a scan, then the CHECK dropped; null
   * when the server cannot skip the scan (the validated CHECK then stays as the guarantee).
   */
  finish: { setNotNull: string; dropCheck: string } | null;
}

/** An UPDATE or DELETE taken apart at its top-level WHERE and RETURNING (src/rules/dml.ts). */
export interface DmlParts {
  verb: 'UPDATE' | 'DELETE';
  /** Everything before WHERE (or before RETURNING / the end when there is no WHERE). */
  head: string;
  /** The predicate, without the WHERE keyword; null when there is none. */
  where: string | null;
  /** The name the target table goes by in the statement: its alias, else its bare name as written. */
  reference: string;
  /** The target as written, with its alias: `users`, `public.users AS u`. */
  relation: string;
  /** The statement joins other tables (UPDATE … FROM, DELETE … USING): key columns must be qualified. */
  joins: boolean;
  /** It had a RETURNING clause (dropped from batched forms: a loop returns nothing). */
  returning: boolean;
}

/** What a batch loop walks the table by. */
export interface BatchKey {
  /** The primary key's columns, in order (none when the table is unknown or has none). */
  primaryKey: string[];
  /** The single key column's catalog type; null without a single-column primary key. */
  type: string | null;
  /**
   * The column a rule's batches range over: the single-column primary key, the row address
   * (`ctid`) without one, `id` when the table is unknown (a guess, good for recognising a WHERE
   * on the key but never written into SQL).
   */
  column: string;
  /** Integer keys allow range batches that always end, whatever the statement does to the rows. */
  integer: boolean;
}

export interface SafeSql {
  names: GeneratedNames;
  /** `ALTER TABLE <table> <action>` */
  alterTable(q: Quoter, table: string, action: string): string;
  constraints: {
    /** Adds a constraint (`body`: `CHECK (…)`, `FOREIGN KEY …`) without checking existing rows. */
    addNotValid(q: Quoter, table: string, name: string, body: string): string;
    /** Checks the existing rows of a constraint added unchecked, without blocking traffic. */
    validate(q: Quoter, table: string, name: string): string;
    drop(q: Quoter, table: string, name: string, options?: { ifExists?: boolean }): string;
    /** Turns a unique index built beforehand into the constraint: nothing to build. */
    attachIndex(q: Quoter, table: string, name: string, kind: 'UNIQUE' | 'PRIMARY KEY'): string;
  };
  /**
   * NOT NULL without a long scan under the strongest lock. `checkName` overrides the helper
   * constraint's name (by default the helper name with suffix `not_null`).
   */
  notNullViaCheck(
    q: Quoter,
    table: string,
    column: string,
    major: number,
    options?: { checkName?: string },
  ): NotNullViaCheck;
  /**
   * The same as a script users paste (rules' safe alternatives): statements ended with `;`,
   * comments where a transaction must end, and what to do on a server that cannot skip the scan.
   */
  notNullScript(q: Quoter, table: string, column: string, major: number): string[];
  indexes: {
    /** `CREATE [UNIQUE] INDEX [CONCURRENTLY] name ON table (columns) [INCLUDE (…)]`; `columns` are SQL. */
    create(
      q: Quoter,
      index: {
        table: string;
        name: string;
        columns: readonly string[];
        unique?: boolean;
        concurrently?: boolean;
        include?: readonly string[];
        /** NULLs compare equal in a unique index (PostgreSQL 15+). */
        nullsNotDistinct?: boolean;
      },
    ): string;
    /** `DROP INDEX [CONCURRENTLY] [IF EXISTS] <reference>`; `reference` is quoted already. */
    drop(reference: string, options: { concurrently: boolean; ifExists?: boolean }): string;
    /** The user's own CREATE INDEX statement (parser node `ast`), built without blocking writes, named `name`. */
    concurrentIndex(ast: unknown, name: string): string;
    /** A server-printed index definition, made to build without blocking writes. */
    concurrentFromDefinition(definition: string): string;
  };
  /** Plan step pre- and post-checks: queries whose first column is true when the step may go on. */
  checks: {
    noNulls(q: Quoter, table: string, column: string): PlanCheck;
    indexIsValid(q: Quoter, table: string, index: string): PlanCheck;
    noInvalidIndex(q: Quoter, table: string, index: string): PlanCheck;
    noViewUsesColumn(q: Quoter, table: string, column: string): PlanCheck;
    noViewUsesTable(q: Quoter, table: string): PlanCheck;
    /** No foreign key references the column; without `column`, no other table's references the table. */
    noForeignKeyTo(q: Quoter, table: string, column?: string): PlanCheck;
  };
  batches: {
    key(table: Table | undefined): BatchKey;
    /**
     * The user's UPDATE / DELETE as a batched script (rules' safe alternatives); null when it
     * cannot be batched safely. `stopsMatching`: an updated row no longer matches the WHERE.
     */
    dml(
      q: Quoter,
      parts: DmlParts,
      table: string,
      tableInfo: Table | undefined,
      major: number,
      options?: { stopsMatching?: boolean },
    ): string[] | null;
    /** A plan's backfill as one runnable statement that commits and pauses between batches. */
    backfill(q: Quoter, spec: BackfillSpec, keyType: string | null, major: number): string;
  };
  triggers: {
    /**
     * A BEFORE INSERT OR UPDATE row trigger and its function keeping columns in step while old
     * and new code run side by side; `body` is the function's statements before it returns NEW.
     */
    sync(q: Quoter, trigger: SyncTriggerSpec): SyncTrigger;
    /** An expression over the table's columns, evaluated inside the trigger against the new row. */
    overNew(expression: string): string;
  };
  /** Servers whose ALTER TABLE names its algorithm and lock (MySQL, MariaDB); absent elsewhere. */
  online?: OnlineDdlSql;
  /** Servers whose ALTER TABLE cannot make most changes, done by rebuilding the table (SQLite). */
  rebuild?: TableRebuildSql;
}

/** The schema a rebuild looks at beside its table: who references it, what reads it. */
export interface RebuildSchema {
  tables: readonly Table[];
  views: readonly View[];
}

export interface RebuildRequest {
  /** The table as it is (with its `definition`). */
  table: Table;
  /** What to change, every Change on this table, in order. */
  changes: readonly Change[];
  schema: RebuildSchema;
  /** Keep a dropped column's values in a table so the rollback can put them back (PlanOptions.archive). */
  archive: boolean;
  /** The fact key of the server version. */
  major: number;
}

/**
 * A table rebuilt with changes made (SQLite: https://www.sqlite.org/lang_altertable.html#otheralter):
 * one transaction that copies the rows into a new table, drops the old one, renames the new one
 * into its place and recreates what went with the old one; around it, statements that only
 * work outside a transaction (PRAGMA foreign_keys).
 */
export interface TableRebuild {
  description: string;
  /** Run on the step's connection before its transaction begins, and after it ends (committed or not). */
  around: { before: string[]; after: string[] };
  /** The transaction's statements. */
  sql: string[];
  /** The reverse rebuild, run inside a transaction with the same `around`. */
  rollback: string[];
  /** False when the rollback cannot bring back every value (a dropped column without an archive). */
  reversible: boolean;
  destroysData: boolean;
  preChecks: PlanCheck[];
  postChecks: PlanCheck[];
  warnings: string[];
}

export interface TableRebuildSql {
  /**
   * Why the server's own ALTER TABLE cannot make the Change on version `major`, so that the
   * table is rebuilt; null when it can (the statement is kept as written).
   */
  needsRebuild(change: Change, table: Table | undefined, schema: RebuildSchema, major: number): string | null;
  /**
   * The rebuild of `request.table` with every Change made. Throws a SchemapilotError saying why
   * when it cannot be planned (no CREATE TABLE text, a view that reads a dropped column, …).
   */
  plan(q: Quoter, request: RebuildRequest): TableRebuild;
}

/** `ALGORITHM=` and `LOCK=` as a plan writes them on a step; `lock` null: not written. */
export interface DdlPin {
  algorithm: OnlineAlgorithm;
  lock: 'NONE' | 'SHARED' | 'EXCLUSIVE' | null;
}

/** A statement of the migration as the dialect sees it, for the planner to pin or split. */
export interface DdlStatement {
  kind: 'alter table' | 'create index' | 'drop index' | 'other';
  /** The clauses of an ALTER TABLE as written, ALGORITHM= and LOCK= left out. */
  clauses: string[];
}

/** A column clause of an ALTER TABLE (ADD, MODIFY, CHANGE) as written. */
export interface ColumnClause {
  /** The column's name after the clause. */
  column: string;
  /** Everything the clause says about the column after its name (type, NULL, DEFAULT, …). */
  definition: string;
  /** `FIRST` or `AFTER \`x\``, when written. */
  position: string | null;
}

/** How an online schema change tool is to run: the tool and its throttling. */
export interface ToolSpec {
  name: SchemaChangeTool;
  /** The table, qualified (`shop.users`). */
  table: string;
  /** The database the step runs on when nothing names one (the plan's default schema). */
  defaultSchema: string;
  /** The ALTER TABLE clauses the tool performs. */
  alter: string;
  /** `lock_wait_timeout` for the tool's own brief metadata locks (triggers, the final swap), seconds. */
  lockWaitSeconds: number;
  /** Rows the table holds, for chunk sizes and words; null when unknown. */
  rows: number | null;
}

/**
 * Online DDL of MySQL and MariaDB: pinning ALGORITHM/LOCK so the server refuses instead of
 * silently copying, what the server version does instantly, column definitions as the catalog
 * and the user wrote them, and the online schema change tools for what only a copy can do.
 */
export interface OnlineDdlSql {
  /**
   * The pin for a change the facts describe (`online` undefined: not measured, so it may
   * copy: pinned in place without a lock, which the server refuses rather than copy).
   */
  pinFor(
    online: { algorithm: OnlineAlgorithm; blocksWrites: boolean; blocksReads?: boolean } | undefined,
    major: number,
  ): DdlPin;
  /** `ALTER TABLE <table> <clauses>, ALGORITHM=…, LOCK=…` (no pin: the clauses alone). */
  alter(q: Quoter, table: string, clauses: readonly string[], pin: DdlPin | null): string;
  /** The parsed statement's kind, table and clauses as written (null: not one the planner splits). */
  statement(ast: unknown): DdlStatement | null;
  /**
   * The user's statement (clause `action` of an ALTER TABLE, or the whole CREATE/DROP INDEX)
   * with `pin` instead of any ALGORITHM/LOCK they wrote; a DROP INDEX statement becomes
   * ALTER TABLE … DROP INDEX (MariaDB's DROP INDEX takes neither option).
   */
  pinned(ast: unknown, action: number | null, pin: DdlPin | null): string;
  /** Clause `action` of the ALTER TABLE `ast` when it adds, modifies or changes a column. */
  columnClause(ast: unknown, action: number): ColumnClause | null;
  /** A catalog column's whole definition, as MODIFY and ADD COLUMN restate it. */
  columnDefinition(q: Quoter, column: Column): string;
  /** The user's definition without its DEFAULT and/or with NULL for NOT NULL, the rest as written. */
  editDefinition(definition: string, edit: { dropDefault?: boolean; nullable?: boolean }): string;
  /**
   * An index of the catalog as an ALTER TABLE clause (`ADD UNIQUE INDEX name (…)`), renamed and
   * with a column renamed when asked; null when that column sits in an expression part.
   */
  addIndex(
    q: Quoter,
    index: Index,
    options?: { name?: string; rename?: { from: string; to: string } },
  ): string | null;
  /** `FIRST` or `AFTER <the column before it>`: where `column` stands in `table`. */
  positionOf(q: Quoter, table: Table, column: string): string;
  /** `CHANGE <current> <old name> <old definition> <old position>`: a column put back as it was. */
  restoreColumn(q: Quoter, table: Table, current: string, old: Column): string;
  /** The catalog type and a type as written name the same type (`int(11)` and `INT`). */
  sameType(catalog: string, written: string): boolean;
  /** Which column changes server `major` does without touching rows (ALGORITHM=INSTANT). */
  instant(major: number): { addColumn: boolean; dropColumn: boolean; renameColumn: boolean };
  /** `RENAME COLUMN a TO b`, or CHANGE with the whole definition where RENAME COLUMN is missing. */
  renameColumn(q: Quoter, from: string, to: string, definition: string, major: number): string;
  /** Statements around a few others that must see no write in between (LOCK TABLES … WRITE). */
  holdWrites(q: Quoter, table: string): { lock: string; unlock: string };
  dropTrigger(q: Quoter, table: string, name: string, options?: { ifExists?: boolean }): string;
  /** The tool step's run: its arguments, throttling filled in, no connection and no password. */
  tool(spec: ToolSpec): ToolRun;
  /**
   * A backfill step's statements: one pass (setup, one batch, a guard that fails while rows are
   * left). The step runner repeats the batch until the table is done; a migration file gets it
   * written out for the rows the table held (`BackfillSpec.estimatedRows`).
   */
  backfill(q: Quoter, spec: BackfillSpec): string[];
}

export interface SyncTriggerSpec {
  table: string;
  /** The trigger's and its function's name (the function lives in the table's schema). */
  name: string;
  body: readonly string[];
  major: number;
  /** Spell the function's schema even when it is the default one. */
  qualifyFunction?: boolean;
  /** Preferred quoting tag of the function body. */
  tag?: string;
  /**
   * Servers with no trigger functions and one trigger per event (MySQL, MariaDB) run these
   * instead of `body`: the assignments (`NEW.b = NEW.a`) of the one SET statement each
   * trigger's body is, in order.
   */
  perEvent?: { insert: readonly string[]; update: readonly string[] };
}

export interface SyncTrigger {
  create: string[];
  drop: string[];
  dropIfExists: string[];
}
