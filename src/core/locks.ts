/**
 * The lock vocabularies of the dialects, and what each mode stops. A dialect's facts report
 * locks in its own vocabulary; the layers above ask the dialect's `LockModel` (lockModelOf)
 * what a mode blocks and which of two is stronger, never compare names across dialects.
 */

/**
 * PostgreSQL table-level lock modes, spelled as in the documentation, weakest first.
 * https://www.postgresql.org/docs/current/explicit-locking.html#LOCKING-TABLES
 */
export const LOCK_MODES = [
  'ACCESS SHARE',
  'ROW SHARE',
  'ROW EXCLUSIVE',
  'SHARE UPDATE EXCLUSIVE',
  'SHARE',
  'SHARE ROW EXCLUSIVE',
  'EXCLUSIVE',
  'ACCESS EXCLUSIVE',
] as const;
export type PostgresLockMode = (typeof LOCK_MODES)[number];

/**
 * MySQL/MariaDB table metadata lock (MDL) types, spelled as MySQL's
 * performance_schema.metadata_locks.LOCK_TYPE (MariaDB's METADATA_LOCK_INFO adds an `MDL_`
 * prefix), weakest first. `EXCLUSIVE` here is the metadata lock that stops every reader and
 * writer, not PostgreSQL's EXCLUSIVE: which one a fact means follows from its dialect.
 * https://dev.mysql.com/doc/refman/8.0/en/performance-schema-metadata-locks-table.html
 * https://mariadb.com/kb/en/metadata_lock_info-plugin/
 */
export const METADATA_LOCK_MODES = [
  'SHARED_READ',
  'SHARED_WRITE',
  'SHARED_UPGRADABLE',
  'SHARED_NO_WRITE',
  'SHARED_NO_READ_WRITE',
  'EXCLUSIVE',
] as const;
export type MetadataLockMode = (typeof METADATA_LOCK_MODES)[number];

/**
 * SQLite's database file locks, weakest first (https://www.sqlite.org/lockingv3.html). They
 * lock the whole database, not a table: a fact reports one on the table its statement changes,
 * and means every table. SHARED: a reader. RESERVED: a writer's open transaction (one at a
 * time; readers go on). PENDING: a writer waiting for readers to leave before it writes the
 * file (new readers wait). EXCLUSIVE: writing the database file (nobody else reads or writes).
 * In WAL mode (https://www.sqlite.org/wal.html) a writer never takes PENDING or EXCLUSIVE:
 * readers go on while it works and while it commits.
 */
export const SQLITE_LOCK_MODES = ['SHARED', 'RESERVED', 'PENDING', 'EXCLUSIVE'] as const;
export type SqliteLockMode = (typeof SQLITE_LOCK_MODES)[number];

export type LockMode = PostgresLockMode | MetadataLockMode | SqliteLockMode;
/** Every mode of every dialect, for JSON schemas. */
export const ALL_LOCK_MODES: readonly LockMode[] = [
  ...new Set<LockMode>([...LOCK_MODES, ...METADATA_LOCK_MODES, ...SQLITE_LOCK_MODES]),
];

/** Names as `pg_locks.mode` reports them. */
const PG_LOCKS_NAMES: Record<string, LockMode> = {
  AccessShareLock: 'ACCESS SHARE',
  RowShareLock: 'ROW SHARE',
  RowExclusiveLock: 'ROW EXCLUSIVE',
  ShareUpdateExclusiveLock: 'SHARE UPDATE EXCLUSIVE',
  ShareLock: 'SHARE',
  ShareRowExclusiveLock: 'SHARE ROW EXCLUSIVE',
  ExclusiveLock: 'EXCLUSIVE',
  AccessExclusiveLock: 'ACCESS EXCLUSIVE',
};

export function lockModeFromPgLocks(mode: string): LockMode | undefined {
  return PG_LOCKS_NAMES[mode];
}

/** One dialect's lock vocabulary: its modes, weakest first, and their conflict table. */
export interface LockModel {
  modes: readonly LockMode[];
  /** The mode application reads take, and the one its writes take. */
  readMode: LockMode;
  writeMode: LockMode;
  conflicts: Partial<Record<LockMode, readonly LockMode[]>>;
  /** Words for a lock that stops no application traffic. */
  blocksOnlyWords: string;
  /**
   * Where a lock is taken, in users' words: the table (PostgreSQL, MySQL), or the whole
   * database for SQLite, whose one write lock stops writers of every table.
   */
  on(table: string): string;
  /**
   * `database`: one lock for the whole database (SQLite), so which table a statement names does
   * not change who waits, and a table the migration creates locks everyone out all the same.
   */
  scope?: 'database';
}

/** `MODE on <place>` in the model's words. */
export function lockOn(model: LockModel, mode: LockMode, table: string): string {
  return `${mode} on ${model.on(table)}`;
}

/** The conflict table from the docs (Table 13.2): which modes each mode conflicts with. */
const POSTGRES_CONFLICTS: Record<PostgresLockMode, readonly PostgresLockMode[]> = {
  'ACCESS SHARE': ['ACCESS EXCLUSIVE'],
  'ROW SHARE': ['EXCLUSIVE', 'ACCESS EXCLUSIVE'],
  'ROW EXCLUSIVE': ['SHARE', 'SHARE ROW EXCLUSIVE', 'EXCLUSIVE', 'ACCESS EXCLUSIVE'],
  'SHARE UPDATE EXCLUSIVE': [
    'SHARE UPDATE EXCLUSIVE',
    'SHARE',
    'SHARE ROW EXCLUSIVE',
    'EXCLUSIVE',
    'ACCESS EXCLUSIVE',
  ],
  SHARE: ['ROW EXCLUSIVE', 'SHARE UPDATE EXCLUSIVE', 'SHARE ROW EXCLUSIVE', 'EXCLUSIVE', 'ACCESS EXCLUSIVE'],
  'SHARE ROW EXCLUSIVE': [
    'ROW EXCLUSIVE',
    'SHARE UPDATE EXCLUSIVE',
    'SHARE',
    'SHARE ROW EXCLUSIVE',
    'EXCLUSIVE',
    'ACCESS EXCLUSIVE',
  ],
  EXCLUSIVE: [
    'ROW SHARE',
    'ROW EXCLUSIVE',
    'SHARE UPDATE EXCLUSIVE',
    'SHARE',
    'SHARE ROW EXCLUSIVE',
    'EXCLUSIVE',
    'ACCESS EXCLUSIVE',
  ],
  'ACCESS EXCLUSIVE': LOCK_MODES,
};

export const POSTGRES_LOCKS: LockModel = {
  modes: LOCK_MODES,
  readMode: 'ACCESS SHARE',
  writeMode: 'ROW EXCLUSIVE',
  conflicts: POSTGRES_CONFLICTS,
  blocksOnlyWords: 'blocks only other schema changes and VACUUM',
  on: (table) => table,
};

/**
 * The table-level metadata lock compatibility matrix (MySQL sql/mdl.cc, "Compatibility matrix
 * for scoped/table locks"; MariaDB's is the same for these types). SHARED_READ_ONLY and the
 * HIGH_PRIO/LOW_PRIO variants are left out: no DDL statement holds them on its table.
 */
const METADATA_CONFLICTS: Record<MetadataLockMode, readonly MetadataLockMode[]> = {
  SHARED_READ: ['SHARED_NO_READ_WRITE', 'EXCLUSIVE'],
  SHARED_WRITE: ['SHARED_NO_WRITE', 'SHARED_NO_READ_WRITE', 'EXCLUSIVE'],
  SHARED_UPGRADABLE: ['SHARED_UPGRADABLE', 'SHARED_NO_WRITE', 'SHARED_NO_READ_WRITE', 'EXCLUSIVE'],
  SHARED_NO_WRITE: [
    'SHARED_WRITE',
    'SHARED_UPGRADABLE',
    'SHARED_NO_WRITE',
    'SHARED_NO_READ_WRITE',
    'EXCLUSIVE',
  ],
  SHARED_NO_READ_WRITE: METADATA_LOCK_MODES,
  EXCLUSIVE: METADATA_LOCK_MODES,
};

export const METADATA_LOCKS: LockModel = {
  modes: METADATA_LOCK_MODES,
  readMode: 'SHARED_READ',
  writeMode: 'SHARED_WRITE',
  conflicts: METADATA_CONFLICTS,
  blocksOnlyWords: 'blocks only other schema changes',
  on: (table) => table,
};

/**
 * Which lock another connection cannot take while one holds each (lockingv3.html §3): a
 * reader's SHARED waits only for PENDING and EXCLUSIVE; a second writer cannot take RESERVED
 * while any writer holds RESERVED or more.
 */
const SQLITE_CONFLICTS: Record<SqliteLockMode, readonly SqliteLockMode[]> = {
  SHARED: ['PENDING', 'EXCLUSIVE'],
  RESERVED: ['RESERVED', 'PENDING', 'EXCLUSIVE'],
  PENDING: SQLITE_LOCK_MODES,
  EXCLUSIVE: SQLITE_LOCK_MODES,
};

export const SQLITE_LOCKS: LockModel = {
  modes: SQLITE_LOCK_MODES,
  readMode: 'SHARED',
  writeMode: 'RESERVED',
  conflicts: SQLITE_CONFLICTS,
  blocksOnlyWords: "blocks only a writer's commit in rollback-journal mode",
  on: (table) => `the whole database while writing ${table}`,
  scope: 'database',
};

/**
 * The lock model of a dialect (registry name). MySQL/MariaDB report metadata locks, SQLite its
 * database file locks; every other dialect so far speaks PostgreSQL's table lock modes.
 */
export function lockModelOf(dialect: string | undefined): LockModel {
  if (dialect === 'mysql') return METADATA_LOCKS;
  if (dialect === 'sqlite') return SQLITE_LOCKS;
  return POSTGRES_LOCKS;
}

export function lockStrength(mode: LockMode, model: LockModel = POSTGRES_LOCKS): number {
  return model.modes.indexOf(mode);
}

export function strongerLock(a: LockMode, b: LockMode, model: LockModel = POSTGRES_LOCKS): LockMode {
  return lockStrength(a, model) >= lockStrength(b, model) ? a : b;
}

export function conflicts(a: LockMode, b: LockMode, model: LockModel = POSTGRES_LOCKS): boolean {
  return model.conflicts[a]?.includes(b) ?? false;
}

/** What application traffic a lock held on a table stops: plain SELECT, and INSERT/UPDATE/DELETE. */
export function blockedTraffic(
  mode: LockMode,
  model: LockModel = POSTGRES_LOCKS,
): { reads: boolean; writes: boolean } {
  return { reads: conflicts(mode, model.readMode, model), writes: conflicts(mode, model.writeMode, model) };
}

/** "blocks reads and writes" / "blocks writes" / "blocks other DDL only". */
export function describeBlocking(mode: LockMode, model: LockModel = POSTGRES_LOCKS): string {
  const { reads, writes } = blockedTraffic(mode, model);
  if (reads) return 'blocks reads and writes';
  if (writes) return 'blocks writes';
  return model.blocksOnlyWords;
}
