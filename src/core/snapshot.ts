/**
 * SchemaSnapshot: the whole live schema as plain, JSON-serialisable data.
 *
 * Produced by a dialect's introspector, consumed by analysis, planning, validation and deploy.
 * Names are stored unquoted, exactly as the catalog holds them; qualified names are written
 * `schema.name` with each part unquoted (see `qualifiedName`). Types are the dialect's own
 * spelling with modifiers (Postgres: `format_type`, e.g. `character varying(255)`).
 *
 * Lists are sorted (tables by schema then name, constraints and indexes by name; columns keep
 * their ordinal order because order is part of the schema), so two snapshots of the same schema
 * serialise to the same bytes. `hash` covers the structure only: statistics (`stats`) and the
 * server's minor version change all the time without the schema changing.
 */

export type DialectName = 'postgres' | 'mysql' | 'sqlite';

export interface SchemaSnapshot {
  /** Format version of this JSON; bumped on incompatible changes. */
  formatVersion: 1;
  dialect: DialectName;
  /** Human version, e.g. "15.19". */
  serverVersion: string;
  /** Numeric version, e.g. 150019 (Postgres `server_version_num`). */
  serverVersionNum: number;
  database: string;
  /**
   * The session TimeZone a connection of the inspecting role starts with (its role's and
   * database's setting, else the server's), e.g. "UTC". Absent from older snapshots.
   */
  timeZone?: string;
  /** Schemas that were inspected, sorted. */
  schemas: string[];
  tables: Table[];
  views: View[];
  sequences: Sequence[];
  enums: EnumType[];
  extensions: Extension[];
  /** Functions and procedures of the inspected schemas (trigger functions, defaults, checks use them). */
  functions: FunctionDef[];
  /** sha256 (hex) of the structural content; see `schema/hash.ts`. */
  hash: string;
  /** SQLite only (absent for other dialects): the database file's settings and size; not hashed. */
  sqliteFile?: SqliteFileInfo;
}

/**
 * A SQLite database file's settings that decide how a change runs (the journal mode: whether
 * readers wait for a writer), and its size. Per-connection settings (foreign_keys,
 * busy_timeout) are not here: they belong to each application's connections, not to the file.
 */
export interface SqliteFileInfo {
  /** PRAGMA journal_mode: `wal` (readers go on while one writer writes), `delete`, `truncate`, `persist`, `memory`, `off`. */
  journalMode: string;
  pageSize: number;
  pageCount: number;
  /** Unused pages (PRAGMA freelist_count): what VACUUM would give back. */
  freelistCount: number;
  /** page_count × page_size: the main file without its -wal file. */
  fileBytes: number;
  autoVacuum: 'none' | 'full' | 'incremental';
  encoding: string;
  /**
   * The SQLite that last wrote the file, from its header (`3.40.1`); null when the header does
   * not vouch for it. The snapshot's `serverVersion` is this when known (the application's
   * SQLite, not schemapilot's), else `readBy`.
   */
  writtenBy: string | null;
  /** The SQLite that read the file for this snapshot (schemapilot's own). */
  readBy: string;
  /** PRAGMA user_version: some migration tools keep their schema version here. */
  userVersion: number;
  applicationId: number;
  /**
   * Where the tables' sizes and row counts come from: `dbstat` (measured page by page: exact),
   * `sqlite_stat1` (rows as of the last ANALYZE, sizes unknown), `none` (unknown).
   */
  statsSource: 'dbstat' | 'sqlite_stat1' | 'none';
}

export type TableKind = 'table' | 'partitioned table';

export interface Table {
  schema: string;
  name: string;
  kind: TableKind;
  comment: string | null;
  columns: Column[];
  primaryKey: PrimaryKey | null;
  uniqueConstraints: UniqueConstraint[];
  checkConstraints: CheckConstraint[];
  foreignKeys: ForeignKey[];
  exclusionConstraints: ExclusionConstraint[];
  indexes: Index[];
  triggers: Trigger[];
  /** Set when this table is a partition: the parent, qualified. */
  partitionOf: string | null;
  /** `FOR VALUES ...` of a partition. */
  partitionBound: string | null;
  /** `RANGE (created_at)` etc. of a partitioned table. */
  partitionKey: string | null;
  stats: TableStats;
  /**
   * MySQL/MariaDB only (absent for other dialects): what decides how an ALTER runs there. The
   * storage engine (`InnoDB`, `MyISAM`: only InnoDB does online DDL), the row format
   * (`Dynamic`, `Compact`, `Redundant`, `Compressed`: INSTANT ADD COLUMN needs a non-Compressed
   * one), and the table's default charset and collation (what a new column gets, and what
   * `CONVERT TO CHARACTER SET` would change).
   */
  engine?: string;
  rowFormat?: string;
  charset?: string;
  collation?: string;
  /**
   * MySQL/MariaDB partitions of a partitioned table (`kind: 'partitioned table'`), in order.
   * Unlike PostgreSQL's they are not tables of their own (they cannot be named in ALTER TABLE
   * or queried as tables), so they live here instead of as `tables` entries with `partitionOf`.
   */
  partitions?: Partition[];
  /**
   * SQLite only (absent for other dialects). `definition`: the CREATE TABLE statement as
   * sqlite_schema stores it (as written, then as ALTER TABLE edited it), which a table rebuild
   * starts from. `withoutRowid` and `strict`: its table options. `module`: a virtual table's
   * module (`fts5`, `rtree`); the shadow tables such a module keeps are not listed.
   */
  definition?: string;
  withoutRowid?: boolean;
  strict?: boolean;
  module?: string;
}

/** A partition of a MySQL/MariaDB table (see `Table.partitions`). */
export interface Partition {
  name: string;
  /** `VALUES LESS THAN (2020)`, `VALUES IN (1,2)`; null for HASH/KEY partitions. */
  bound: string | null;
  /** Subpartition names, in order; empty without subpartitioning. */
  subpartitions: string[];
}

/**
 * Size statistics as the planner knows them: as of the table's last VACUUM, ANALYZE or index
 * build (autovacuum keeps them close). Reading them takes no lock. Analysis re-measures the
 * tables a migration touches when it has a live connection.
 */
export interface TableStats {
  /**
   * Planner's row estimate (`pg_class.reltuples`). Null when the table was never vacuumed or
   * analyzed (Postgres 14+ reports -1 then); callers fall back to `tableBytes`.
   */
  rowEstimate: number | null;
  /** Heap + TOAST bytes (`relpages`; measured on disk for a never-analyzed table). */
  tableBytes: number;
  /** All indexes, bytes (sum of their `relpages`). */
  indexBytes: number;
  /**
   * MySQL/MariaDB partitioned tables: the same estimates per partition (summed over its
   * subpartitions), in partition order. Here rather than in `Table.partitions` because the
   * hash leaves `stats` out.
   */
  partitions?: PartitionStats[];
}

export interface PartitionStats {
  name: string;
  rowEstimate: number | null;
  tableBytes: number;
  indexBytes: number;
}

export type IdentityKind = 'always' | 'by default';

export interface Column {
  name: string;
  /** Type with modifiers, e.g. `numeric(10,2)`, `character varying(255)`, `integer[]`. */
  type: string;
  nullable: boolean;
  /** Default expression as the server prints it, or null. */
  default: string | null;
  identity: IdentityKind | null;
  /** Expression of a generated column (`GENERATED ALWAYS AS (...) STORED`), or null. */
  generated: string | null;
  /** Collation when it differs from the type's default, else null. */
  collation: string | null;
  comment: string | null;
  /**
   * Postgres 18+ stores NOT NULL as a named constraint that may be NOT VALID. Absent on older
   * servers, where NOT NULL is only a column flag.
   */
  notNullConstraint?: { name: string; validated: boolean };
  /**
   * MySQL/MariaDB only. The column's character set (string columns), e.g. `utf8mb4`, `utf8mb3`.
   * There `collation` is set on every string column, not only when it differs from a default:
   * the table's default can change without converting its columns.
   */
  charset?: string;
  /** MySQL/MariaDB, SQLite: a generated column's storage; `virtual` ones are computed on read. */
  generatedKind?: 'stored' | 'virtual';
  /** MySQL/MariaDB: `ON UPDATE current_timestamp()` as the server prints it. */
  onUpdate?: string;
}

export interface PrimaryKey {
  name: string;
  columns: string[];
}

export interface UniqueConstraint {
  name: string;
  columns: string[];
  /** Full definition as the server prints it, e.g. `UNIQUE NULLS NOT DISTINCT (email)`. */
  definition: string;
  deferrable: boolean;
}

export interface CheckConstraint {
  name: string;
  /** e.g. `CHECK ((price > (0)::numeric))`, with ` NOT VALID` when not validated. */
  definition: string;
  validated: boolean;
}

export type ForeignKeyAction = 'NO ACTION' | 'RESTRICT' | 'CASCADE' | 'SET NULL' | 'SET DEFAULT';

export interface ForeignKey {
  name: string;
  columns: string[];
  referencedSchema: string;
  referencedTable: string;
  referencedColumns: string[];
  onUpdate: ForeignKeyAction;
  onDelete: ForeignKeyAction;
  match: 'SIMPLE' | 'FULL' | 'PARTIAL';
  deferrable: boolean;
  validated: boolean;
}

export interface ExclusionConstraint {
  name: string;
  definition: string;
}

export interface Index {
  name: string;
  /** Key columns, or expressions for expression indexes, in index order. */
  columns: string[];
  /** INCLUDE columns. */
  include: string[];
  unique: boolean;
  primary: boolean;
  /** False for an index left INVALID by a failed `CREATE INDEX CONCURRENTLY`. */
  valid: boolean;
  /** Access method: btree, gin, gist, hash, brin, ...; MySQL/MariaDB: btree, hash, fulltext, spatial. */
  method: string;
  /** WHERE clause of a partial index, or null. */
  predicate: string | null;
  /** Name of the constraint (PK, UNIQUE, EXCLUDE) this index backs, or null. */
  constraint: string | null;
  /** `CREATE INDEX ...` exactly as the server prints it. */
  definition: string;
  /** Size from `relpages`, see TableStats. */
  bytes: number;
}

export interface Trigger {
  name: string;
  /** `CREATE TRIGGER ...` exactly as the server prints it. */
  definition: string;
  /** Function called, qualified. */
  function: string;
  enabled: 'origin' | 'disabled' | 'replica' | 'always';
  /**
   * SQLite only: the tables and views the trigger's body and WHEN use (its own table included),
   * read from its SQL as a view's are. SQLite checks them when a column is dropped or renamed.
   */
  dependsOn?: ViewDependency[];
}

export interface ViewDependency {
  /** Qualified table or view name. */
  relation: string;
  /** Columns of that relation the view uses, sorted; empty when it uses the relation as a whole. */
  columns: string[];
}

export interface View {
  schema: string;
  name: string;
  materialized: boolean;
  definition: string;
  comment: string | null;
  /** Output columns of the view (only name, type and comment are meaningful). */
  columns: Column[];
  dependsOn: ViewDependency[];
  /** Indexes of a materialized view. */
  indexes: Index[];
  /** SQLite only: INSTEAD OF triggers on the view (absent when it has none, and for other dialects). */
  triggers?: Trigger[];
}

export interface Sequence {
  schema: string;
  name: string;
  dataType: string;
  start: string;
  increment: string;
  min: string;
  max: string;
  cycle: boolean;
  /** `schema.table.column` when the sequence is owned by a column (serial or identity). */
  ownedBy: string | null;
}

export interface EnumType {
  schema: string;
  name: string;
  /** Labels in sort order. */
  values: string[];
}

export interface FunctionDef {
  schema: string;
  name: string;
  /** `(integer, text)`: tells overloads apart. */
  arguments: string;
  /** pg_proc.provolatile: decides whether a default calling it rewrites the table. */
  volatility: 'immutable' | 'stable' | 'volatile';
  /** `CREATE OR REPLACE FUNCTION …` as the server prints it (pg_get_functiondef). */
  definition: string;
}

export interface Extension {
  name: string;
  version: string;
  schema: string;
}

/** `schema.name`, both parts unquoted. The key used for tables, views and sequences everywhere. */
export function qualifiedName(schema: string, name: string): string {
  return `${schema}.${name}`;
}
