/**
 * The schema as a migration goes along: starts from a snapshot (or from nothing when no schema
 * was given) and applies each Change, so that statement N is judged against the schema left by
 * statements 1..N-1.
 *
 * Tables and views created in the current deploy unit (one migration file, or the files a runner applies
 * in one transaction) are "new": nobody else uses them yet, so locking them carries no risk, and
 * they are empty until a statement fills them (INSERT, COPY, MERGE, CREATE TABLE … AS). A table
 * created by an earlier file is not new in a later one: each file is its own deploy, and by
 * the time it runs the table may be in use and large, so its size is assumed unknown.
 */
import { clonePlain } from './clone.js';
import { RelativesIndex } from './relatives-index.js';
import type { Change, ChangeKind } from '../core/change.js';
import { changeTable } from '../core/change.js';
import type { Column, ForeignKey, SchemaSnapshot, Table, TableStats } from '../core/snapshot.js';
import { postgresRelationName } from './names.js';
import { addConstraint, addInlineConstraints, newIndex, newTable, toColumn } from './new-objects.js';

/** Where a table that the current deploy unit did not create came from, when the migration made it. */
export interface EarlierTable {
  /** Label of the deploy unit that created it (the file's path). */
  createdIn: string;
}

/** Changes that edit a table's CREATE TABLE text (see SchemaState.apply). */
const CHANGES_DEFINITION = new Set<ChangeKind>([
  'rename table',
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
  'drop constraint',
  'rename constraint',
  'alter table other',
]);

export class SchemaState {
  /** Whether a real schema was given; without one, unknown tables are assumed to exist. */
  readonly known: boolean;
  private readonly tables = new Map<string, Table>();
  private readonly indexOwner = new Map<string, string>();
  /** Created in the current deploy unit. */
  private readonly created = new Set<string>();
  /** Created in the current deploy unit and since given rows. */
  private readonly filled = new Set<string>();
  /** Created by an earlier deploy unit of this migration: table → where. */
  private readonly earlier = new Map<string, EarlierTable>();
  /** Label of the current deploy unit. */
  private unit = '';
  /** Views and materialized views as they stand, by qualified name. */
  private readonly views = new Set<string>();
  /** Which tables may point at or hang under a table: lookups read those, not every table. */
  private readonly relatives = new RelativesIndex();

  /**
   * @param assumedStats size given to a table whose rows the migration cannot know: one created
   *   by an earlier deploy unit, or filled by a statement (default: rows unknown).
   */
  constructor(
    snapshot: SchemaSnapshot | null,
    private readonly assumedStats: TableStats = { indexBytes: 0, rowEstimate: null, tableBytes: 0 },
  ) {
    this.known = snapshot !== null;
    for (const t of snapshot?.tables ?? []) {
      const key = `${t.schema}.${t.name}`;
      this.tables.set(key, clonePlain(t));
      for (const i of t.indexes) this.indexOwner.set(`${t.schema}.${i.name}`, key);
      this.relatives.noteForeignKeys(key, t.foreignKeys);
      this.relatives.notePartition(key, t.partitionOf);
    }
    for (const v of snapshot?.views ?? []) this.views.add(`${v.schema}.${v.name}`);
  }

  /** The view exists now: in the snapshot and not dropped, or created by the migration. */
  hasView(name: string): boolean {
    return this.views.has(name);
  }

  table(name: string): Table | undefined {
    return this.tables.get(name);
  }

  /** Every table as it stands now, in no particular order (for lookups of relatives). */
  allTables(): IterableIterator<Table> {
    return this.tables.values();
  }

  /** Created in the current deploy unit: no other session uses it yet. */
  isNew(name: string): boolean {
    return this.created.has(name);
  }

  /** Created in the current deploy unit and not filled since: it holds no row. */
  isNewAndEmpty(name: string): boolean {
    return this.created.has(name) && !this.filled.has(name);
  }

  /** Created in the current deploy unit, then filled by a statement of it. */
  isFilled(name: string): boolean {
    return this.filled.has(name);
  }

  /** Created by an earlier deploy unit of this migration, when it was. */
  createdEarlier(name: string): EarlierTable | undefined {
    return this.earlier.get(name);
  }

  /**
   * Starts the next deploy unit: what the previous units created now exists, is no longer
   * new, and has the given (assumed) size, since rows may arrive between deploys.
   */
  beginDeployUnit(label: string): void {
    for (const name of this.created) {
      const t = this.tables.get(name);
      if (t) t.stats = { ...this.assumedStats };
      this.earlier.set(name, { createdIn: this.unit });
    }
    this.created.clear();
    this.filled.clear();
    this.unit = label;
  }

  private fill(name: string): void {
    if (!this.created.has(name) || this.filled.has(name)) return;
    this.filled.add(name);
    const t = this.tables.get(name);
    // How many rows arrived is unknown (INSERT … SELECT may copy a big table).
    if (t) t.stats = { ...this.assumedStats };
  }

  /** Foreign keys of any table (itself included) that reference this one, by referencing table. */
  referencingForeignKeys(table: string): { table: string; foreignKey: ForeignKey }[] {
    const dot = table.indexOf('.');
    const schema = table.slice(0, dot);
    const name = table.slice(dot + 1);
    const owners = this.relatives.mayReference(schema, name);
    if (owners === undefined) return [];
    const out: { table: string; foreignKey: ForeignKey }[] = [];
    for (const key of owners) {
      const t = this.tables.get(key);
      if (t === undefined) continue;
      for (const fk of t.foreignKeys)
        if (fk.referencedSchema === schema && fk.referencedTable === name)
          out.push({ table: `${t.schema}.${t.name}`, foreignKey: fk });
    }
    // By referencing table; one table's keys stay in their order (the sort is stable).
    return out.sort((a, b) => (a.table < b.table ? -1 : a.table > b.table ? 1 : 0));
  }

  /** The tables whose partitionOf is this table now, in no particular order. */
  partitionsOf(table: string): Table[] {
    const out: Table[] = [];
    for (const key of this.relatives.mayBePartitionsOf(table) ?? []) {
      const t = this.tables.get(key);
      if (t !== undefined && t.partitionOf === table) out.push(t);
    }
    return out;
  }

  tableOfIndex(index: string): string | undefined {
    return this.indexOwner.get(index);
  }

  /** A table or index of that qualified name exists (views and sequences are not tracked). */
  relationExists(name: string): boolean {
    return this.tables.has(name) || this.indexOwner.has(name);
  }

  /** The name the server gives `CREATE INDEX ON table (columns)` here (PostgreSQL's own scheme). */
  unnamedIndexName(table: string, columns: readonly string[]): string {
    const dot = table.indexOf('.');
    const schema = table.slice(0, dot);
    return postgresRelationName(table.slice(dot + 1), columns.join('_') || 'expr', 'idx', (n) =>
      this.relationExists(`${schema}.${n}`),
    );
  }

  apply(change: Change): void {
    // SQLite keeps a table as its CREATE TABLE text (Table.definition), which a table rebuild
    // edits: once the migration changes the table, the text inspected no longer describes it.
    if (CHANGES_DEFINITION.has(change.kind)) {
      const target = changeTable(change);
      const t = target ? this.tables.get(target) : undefined;
      if (t) delete t.definition;
    }
    switch (change.kind) {
      case 'create table':
        if (this.tables.has(change.table) && change.ifNotExists) return;
        this.tables.set(change.table, newTable(change));
        this.relatives.noteForeignKeys(change.table, this.tables.get(change.table)?.foreignKeys ?? []);
        this.relatives.notePartition(change.table, change.partitionOf);
        this.created.add(change.table);
        this.earlier.delete(change.table);
        if (change.asSelect && change.withData !== false) this.fill(change.table);
        return;
      case 'dml':
        if (change.operation === 'insert' || change.operation === 'merge') this.fill(change.table);
        return;
      case 'drop table':
        for (const t of change.tables) this.dropTable(t);
        return;
      case 'rename table': {
        const t = this.tables.get(change.table);
        if (!t) return;
        const key = `${t.schema}.${change.newName}`;
        this.tables.delete(change.table);
        t.name = change.newName;
        this.tables.set(key, t);
        if (this.created.delete(change.table)) this.created.add(key);
        if (this.filled.delete(change.table)) this.filled.add(key);
        const earlier = this.earlier.get(change.table);
        if (earlier && this.earlier.delete(change.table)) this.earlier.set(key, earlier);
        for (const i of t.indexes) this.indexOwner.set(`${t.schema}.${i.name}`, key);
        this.relatives.noteForeignKeys(key, t.foreignKeys);
        this.relatives.notePartition(key, t.partitionOf);
        return;
      }
      case 'add column': {
        const t = this.tables.get(change.table);
        if (!t || t.columns.some((c) => c.name === change.column.name)) return;
        t.columns.push(toColumn(change.column));
        addInlineConstraints(t, [change.column]);
        if (change.column.references) this.relatives.noteForeignKeys(change.table, t.foreignKeys);
        return;
      }
      case 'drop column': {
        const t = this.tables.get(change.table);
        if (!t) return;
        t.columns = t.columns.filter((c) => c.name !== change.column);
        t.indexes = t.indexes.filter((i) => !i.columns.includes(change.column));
        t.uniqueConstraints = t.uniqueConstraints.filter((u) => !u.columns.includes(change.column));
        t.foreignKeys = t.foreignKeys.filter((f) => !f.columns.includes(change.column));
        if (t.primaryKey?.columns.includes(change.column)) t.primaryKey = null;
        return;
      }
      case 'rename column': {
        const t = this.tables.get(change.table);
        const column = t?.columns.find((c) => c.name === change.column);
        if (!t || !column) return;
        column.name = change.newName;
        const rename = (cols: string[]) => cols.map((c) => (c === change.column ? change.newName : c));
        for (const i of t.indexes) i.columns = rename(i.columns);
        for (const u of t.uniqueConstraints) u.columns = rename(u.columns);
        for (const f of t.foreignKeys) f.columns = rename(f.columns);
        if (t.primaryKey) t.primaryKey.columns = rename(t.primaryKey.columns);
        return;
      }
      case 'alter column type':
        this.withColumn(change.table, change.column, (c) => (c.type = change.type.sql));
        return;
      case 'set not null':
        this.withColumn(change.table, change.column, (c) => (c.nullable = false));
        return;
      case 'drop not null':
        this.withColumn(change.table, change.column, (c) => (c.nullable = true));
        return;
      case 'set default':
        this.withColumn(change.table, change.column, (c) => (c.default = change.default.sql));
        return;
      case 'drop default':
        this.withColumn(change.table, change.column, (c) => (c.default = null));
        return;
      case 'add constraint': {
        const t = this.tables.get(change.table);
        if (t) addConstraint(t, change.constraint);
        if (t && change.constraint.type === 'foreign key')
          this.relatives.noteForeignKeys(change.table, t.foreignKeys);
        return;
      }
      case 'validate constraint': {
        const t = this.tables.get(change.table);
        if (!t) return;
        for (const c of [...t.checkConstraints, ...t.foreignKeys])
          if (c.name === change.name) c.validated = true;
        return;
      }
      case 'drop constraint': {
        const t = this.tables.get(change.table);
        if (!t) return;
        const keep = <T extends { name: string }>(list: T[]) => list.filter((c) => c.name !== change.name);
        t.checkConstraints = keep(t.checkConstraints);
        t.foreignKeys = keep(t.foreignKeys);
        t.uniqueConstraints = keep(t.uniqueConstraints);
        t.exclusionConstraints = keep(t.exclusionConstraints);
        if (t.primaryKey?.name === change.name) t.primaryKey = null;
        t.indexes = t.indexes.filter((i) => i.constraint !== change.name);
        return;
      }
      case 'create index': {
        const { index } = change;
        const t = this.tables.get(index.table);
        if (!t) return;
        const name = index.name ?? this.unnamedIndexName(index.table, index.columnNames);
        if (t.indexes.some((i) => i.name === name)) return;
        t.indexes.push(newIndex(name, index.columns, index.unique, index.method, index.where));
        this.indexOwner.set(`${t.schema}.${name}`, index.table);
        return;
      }
      case 'attach partition': {
        const t = this.tables.get(change.partition);
        if (t) t.partitionOf = change.table;
        if (t) this.relatives.notePartition(change.partition, change.table);
        return;
      }
      case 'detach partition': {
        const t = this.tables.get(change.partition);
        if (t) {
          t.partitionOf = null;
          t.partitionBound = null;
        }
        return;
      }
      case 'create view':
        // A view the migration creates is new, like a table; one it replaces is not.
        if (!this.views.has(change.view)) {
          this.views.add(change.view);
          this.created.add(change.view);
        }
        return;
      case 'drop view':
        for (const v of change.views) {
          this.views.delete(v);
          this.created.delete(v);
        }
        return;
      case 'rename index': {
        const owner = this.indexOwner.get(change.index) ?? change.table;
        const t = owner ? this.tables.get(owner) : undefined;
        const bare = change.index.slice(change.index.indexOf('.') + 1);
        const found = t?.indexes.find((i) => i.name === bare);
        if (!t || !found) return;
        found.name = change.newName;
        // A MySQL unique index is its constraint: the name goes with it.
        if (found.constraint === bare) found.constraint = change.newName;
        this.indexOwner.delete(change.index);
        this.indexOwner.set(`${t.schema}.${change.newName}`, `${t.schema}.${t.name}`);
        return;
      }
      case 'create trigger': {
        // Known by name only: a rebuild of the table (SQLite) must not lose it for want of its text.
        const t = this.tables.get(change.table);
        if (t && !t.triggers.some((g) => g.name === change.name))
          t.triggers.push({ name: change.name, definition: '', function: '', enabled: 'origin' });
        return;
      }
      case 'drop trigger': {
        const t = this.tables.get(change.table);
        if (t) t.triggers = t.triggers.filter((g) => g.name !== change.name);
        return;
      }
      case 'drop index':
        for (const index of change.indexes) {
          const owner = this.indexOwner.get(index);
          const t = owner ? this.tables.get(owner) : undefined;
          const bare = index.slice(index.indexOf('.') + 1);
          if (t) t.indexes = t.indexes.filter((i) => i.name !== bare);
          this.indexOwner.delete(index);
        }
        return;
      default:
        return;
    }
  }

  private withColumn(table: string, column: string, update: (c: Column) => void): void {
    const c = this.tables.get(table)?.columns.find((col) => col.name === column);
    if (c) update(c);
  }

  private dropTable(name: string): void {
    const t = this.tables.get(name);
    if (t) for (const i of t.indexes) this.indexOwner.delete(`${t.schema}.${i.name}`);
    this.tables.delete(name);
    this.created.delete(name);
    this.filled.delete(name);
    this.earlier.delete(name);
  }
}
