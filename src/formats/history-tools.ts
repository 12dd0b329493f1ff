/**
 * The history tables of the migration tools whose history is simple and common: where each
 * keeps it, what it reads from it, and how it decides that a file is applied. Each entry names
 * the source its table and rule were read from, so it can be checked again when a tool changes.
 * history.ts finds the table and reads the rows; the entries here only judge them.
 */
import { basename, dirname } from 'node:path';
import { SchemapilotError } from '../core/errors.js';
import type { RunnerName } from '../config/types.js';
import { drizzleJournal } from './drizzle.js';
import { flywayChecksum, flywayName } from './flyway.js';
import { compareVersions, versionParts } from './order.js';

/** A row of a history table, as the driver returns it. */
export type HistoryRow = Record<string, unknown>;

/** One migration file of the service (a dbmate file with several up sections is one entry). */
export interface HistoryEntry {
  /** As shown to the user (MigrationFile.path). */
  path: string;
  /** On disk. */
  absolute: string;
  /** The file's text as the tool reads it (Flyway's checksum). */
  sql: string;
}

export interface Judgement {
  /** `path`s of the entries the database has applied. */
  applied: ReadonlySet<string>;
  /** Migrations the history says are applied and no file is for, in words ("version 7"). */
  absent: string[];
  notes: string[];
}

export interface HistoryTool {
  /** The table's name (fixed per tool: configurable names are not followed). */
  table: string;
  /**
   * By dialect name: the schema the tool uses there whatever the session's current one is
   * (drizzle-orm's PostgreSQL migrator: `drizzle`). Absent: the session's current schema.
   */
  schemaOn?: Partial<Record<string, string>>;
  /** The columns read. */
  columns: readonly string[];
  orderBy?: string;
  /** Which entries are applied; throws when the tool itself would refuse to migrate. */
  judge(entries: readonly HistoryEntry[], rows: readonly HistoryRow[], where: string): Judgement;
}

/** The key the tool knows a file by (a version, a name), or why the name is not one of its files. */
type FileKey = (entry: HistoryEntry) => string;

/**
 * A tool that records one row per applied migration: a file is applied when a row carries its
 * key (and, where rows can be failed or undone, the row says it is applied).
 */
function oneRowPerMigration(spec: {
  table: string;
  schemaOn?: Partial<Record<string, string>>;
  columns: readonly string[];
  fileKey: FileKey;
  rowKey(row: HistoryRow): string | null;
  /** Default: every row is an applied migration. */
  applied?(row: HistoryRow): boolean;
  /** Why the tool refuses to migrate with this row present; null when it does not. */
  refuses?(row: HistoryRow, key: string, where: string): string | null;
}): HistoryTool {
  return {
    table: spec.table,
    ...(spec.schemaOn ? { schemaOn: spec.schemaOn } : {}),
    columns: spec.columns,
    judge(entries, rows, where) {
      const appliedKeys = new Set<string>();
      for (const row of rows) {
        const key = spec.rowKey(row);
        if (key === null) continue;
        const refusal = spec.refuses?.(row, key, where);
        if (refusal) throw new SchemapilotError(refusal);
        if (spec.applied?.(row) ?? true) appliedKeys.add(key);
      }
      const keys = new Map(entries.map((e) => [e.path, spec.fileKey(e)]));
      const known = new Set(keys.values());
      return {
        applied: new Set(entries.filter((e) => appliedKeys.has(keys.get(e.path) ?? '')).map((e) => e.path)),
        absent: [...appliedKeys].filter((k) => !known.has(k)).sort(),
        notes: [],
      };
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Values as the drivers return them: pg gives bigint as text and booleans as booleans; mysql2
// (connectMysql: bigNumberStrings, dateStrings) gives BIGINT and dates as text, BOOLEAN as 0/1.

export function text(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean')
    return String(value);
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString('utf8');
  return JSON.stringify(value);
}

function truthy(value: unknown): boolean {
  if (value instanceof Uint8Array) return value.some((b) => b !== 0);
  const t = text(value)?.toLowerCase();
  return t === 'true' || t === 't' || t === '1';
}

function integer(value: unknown): bigint | null {
  const t = text(value)?.trim();
  return t !== undefined && /^-?\d+$/.test(t) ? BigInt(t) : null;
}

/** A decimal integer in one spelling, so `0042` in a file and `42` in a row match. */
function integerKey(value: string): string {
  return BigInt(value).toString();
}

/** The file name without its last extension (`20240101_x.js` and `20240101_x.sql` meet). */
function stem(name: string): string {
  return name.replace(/\.[^./]*$/, '');
}

function notNamed(entry: HistoryEntry, tool: string, expected: string): never {
  throw new SchemapilotError(
    `${entry.path}: not named as ${tool} names its migrations (${expected}), so whether it is applied cannot be told`,
  );
}

// ---------------------------------------------------------------------------------------------
// The tools

/**
 * golang-migrate: `schema_migrations(version bigint not null primary key, dirty boolean not
 * null)` in the current schema, one row: the version reached. Files up to it are applied; a
 * dirty version means a migration failed part-way and `migrate up` refuses until `migrate force`.
 * database/postgres/postgres.go ensureVersionTable() and Version(); database/mysql/mysql.go;
 * source/parse.go (`^([0-9]+)_(.*)\.(down|up)\.(.*)$`).
 */
const golangMigrate: HistoryTool = {
  table: 'schema_migrations',
  columns: ['version', 'dirty'],
  orderBy: 'version',
  judge(entries, rows, where) {
    const versions = new Map(
      entries.map((e) => {
        const m = /^(\d+)_.*\.up\.sql$/.exec(basename(e.path));
        return [
          e.path,
          m?.[1] !== undefined ? BigInt(m[1]) : notNamed(e, 'golang-migrate', 'N_title.up.sql'),
        ];
      }),
    );
    const last = rows.at(-1);
    if (last === undefined) return { applied: new Set(), absent: [], notes: [] };
    const current = integer(last['version']);
    if (current === null)
      throw new SchemapilotError(`${where}: version ${text(last['version'])} is not a number`);
    if (truthy(last['dirty']))
      throw new SchemapilotError(
        `${where}: version ${current} is dirty (a migration failed part-way); golang-migrate refuses to migrate until the database is repaired and the version forced (migrate force), so fix the database first`,
      );
    const notes =
      rows.length > 1
        ? [`${where} holds ${rows.length} rows where golang-migrate keeps one; read the highest`]
        : [];
    // NilVersion (-1) with dirty=false is "nothing applied", as an empty table.
    const known = [...versions.values()].some((v) => v === current);
    return {
      applied: new Set(entries.filter((e) => (versions.get(e.path) ?? 0n) <= current).map((e) => e.path)),
      absent: current >= 0n && !known ? [`version ${current} (golang-migrate up stops on it)`] : [],
      notes,
    };
  },
};

/**
 * dbmate: `schema_migrations(version varchar(255) primary key)` (MySQL: varchar(128)) in the
 * current schema, one row per applied file, keyed by the digits its name starts with.
 * pkg/driver/postgres/postgres.go CreateMigrationsTable(), SelectMigrations();
 * pkg/driver/mysql/mysql.go; pkg/dbmate/db.go migrationFileRegexp `^(\d+).*\.sql$`.
 */
const dbmate = oneRowPerMigration({
  table: 'schema_migrations',
  columns: ['version'],
  fileKey: (e) => /^(\d+)/.exec(basename(e.path))?.[1] ?? notNamed(e, 'dbmate', 'digits first'),
  rowKey: (row) => text(row['version']),
});

/**
 * Rails: `schema_migrations(version varchar primary key)` in the current schema, one row per
 * applied migration, keyed by the number its file name starts with, compared as integers.
 * activerecord/lib/active_record/schema_migration.rb (create_table, integer_versions);
 * migration.rb parse_migration_filename (`\A([0-9]+)_([_a-z0-9]*)…`).
 */
const rails = oneRowPerMigration({
  table: 'schema_migrations',
  columns: ['version'],
  fileKey: (e) => {
    const m = /^(\d+)_/.exec(basename(e.path));
    return m?.[1] !== undefined ? integerKey(m[1]) : notNamed(e, 'Rails', '20240101120000_name');
  },
  rowKey: (row) => {
    const v = integer(row['version']);
    return v === null ? null : v.toString();
  },
});

/**
 * knex: `knex_migrations(id increments, name varchar, batch integer, migration_time timestamp)`
 * in the current schema, one row per applied file, `name` being its file name with the
 * extension (`…_create_users.js`); the SQL here is matched by name without the extension.
 * lib/migrations/migrate/table-creator.js _createMigrationTable();
 * lib/migrations/migrate/sources/fs-migrations.js getMigrationName().
 */
const knex = oneRowPerMigration({
  table: 'knex_migrations',
  columns: ['name'],
  fileKey: (e) => stem(basename(e.path)),
  rowKey: (row) => {
    const name = text(row['name']);
    return name === null ? null : stem(name);
  },
});

/**
 * node-pg-migrate: `pgmigrations(id SERIAL PRIMARY KEY, name varchar(255) NOT NULL, run_on
 * timestamp NOT NULL)` in schema `public` unless configured (migrationsSchema, else the first
 * of `schema`, else public), one row per applied file, `name` being its file name without the
 * extension. src/runner.ts ensureMigrationsTable() and getRunMigrations();
 * src/utils getMigrationTableSchema(); src/migration.ts (name).
 */
const nodePgMigrate = oneRowPerMigration({
  table: 'pgmigrations',
  schemaOn: { postgres: 'public' },
  columns: ['name'],
  fileKey: (e) => stem(basename(e.path)),
  rowKey: (row) => text(row['name']),
});

/**
 * Prisma Migrate: `_prisma_migrations(id, checksum, finished_at, migration_name, logs,
 * rolled_back_at, started_at, applied_steps_count)` in the current schema (the URL's
 * `?schema=`), one row per attempt, `migration_name` being the migration's directory. Applied:
 * finished and not rolled back; a row neither finished nor rolled back is a failed migration,
 * and `prisma migrate deploy` refuses to run (P3009) until it is resolved.
 * prisma-engines schema-engine/connectors/sql-schema-connector/src/flavour/{postgres,mysql}.rs
 * create_migrations_table(); migrate deploy's failed-migration check.
 */
const prisma = oneRowPerMigration({
  table: '_prisma_migrations',
  columns: ['migration_name', 'finished_at', 'rolled_back_at'],
  fileKey: (e) => basename(dirname(e.absolute)),
  rowKey: (row) => text(row['migration_name']),
  applied: (row) => text(row['finished_at']) !== null && text(row['rolled_back_at']) === null,
  refuses: (row, key, where) =>
    text(row['finished_at']) === null && text(row['rolled_back_at']) === null
      ? `${where}: migration ${key} failed (started, never finished); prisma migrate deploy refuses to run until it is resolved (P3009: prisma migrate resolve), so fix the database first`
      : null,
});

/**
 * diesel: `__diesel_schema_migrations(version VARCHAR(50) PRIMARY KEY NOT NULL, run_on
 * TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP)` in the current schema, one row per applied
 * migration, keyed by its directory name up to the first `_`, dashes removed.
 * diesel_migrations/src/migration_harness.rs (CREATE_MIGRATIONS_TABLE, applied_migrations());
 * file_based_migrations.rs version_from_string().
 */
const diesel = oneRowPerMigration({
  table: '__diesel_schema_migrations',
  columns: ['version'],
  fileKey: (e) => (basename(dirname(e.absolute)).split('_')[0] ?? '').replace(/-/g, ''),
  rowKey: (row) => text(row['version']),
});

/**
 * sqlx: `_sqlx_migrations(version BIGINT PRIMARY KEY, description TEXT, installed_on, success
 * BOOLEAN, checksum BYTEA/BLOB, execution_time BIGINT)` in the current schema, one row per
 * migration, keyed by the integer before the first `_` of its file name. A row with success =
 * false is a migration that failed part-way (no transaction): `sqlx migrate run` refuses
 * (MigrateError::Dirty). sqlx-postgres/src/migrate.rs ensure_migrations_table(),
 * dirty_version(), list_applied_migrations(); sqlx-mysql/src/migrate.rs; sqlx-core
 * migrate/source.rs (version parse).
 */
const sqlx = oneRowPerMigration({
  table: '_sqlx_migrations',
  columns: ['version', 'success'],
  fileKey: (e) => {
    const m = /^(-?\d+)_/.exec(basename(e.path));
    return m?.[1] !== undefined ? integerKey(m[1]) : notNamed(e, 'sqlx', '<integer>_<description>.sql');
  },
  rowKey: (row) => {
    const v = integer(row['version']);
    return v === null ? null : v.toString();
  },
  applied: (row) => truthy(row['success']),
  refuses: (row, key, where) =>
    truthy(row['success'])
      ? null
      : `${where}: migration ${key} is partially applied (success = false); sqlx refuses to migrate (Dirty) until it is fixed and its row removed, so fix the database first`,
});

/**
 * drizzle-orm's migrator: `__drizzle_migrations(id SERIAL PRIMARY KEY, hash text NOT NULL,
 * created_at bigint)`, in schema `drizzle` on PostgreSQL and in the database on MySQL. It reads
 * only the newest `created_at` and runs every journal entry generated after it (`when`, its
 * folderMillis); rows are not matched to files. drizzle-orm/src/pg-core/dialect.ts migrate(),
 * mysql-core/dialect.ts migrate(), migrator.ts readMigrationFiles().
 */
const drizzle: HistoryTool = {
  table: '__drizzle_migrations',
  schemaOn: { postgres: 'drizzle' },
  columns: ['created_at'],
  judge(entries, rows) {
    const journals = new Map<string, Map<string, number | undefined>>();
    const whenOf = (e: HistoryEntry): number => {
      const dir = dirname(e.absolute);
      let journal = journals.get(dir);
      if (!journal) {
        journal = new Map(drizzleJournal(dir).map((j) => [j.tag, j.when]));
        journals.set(dir, journal);
      }
      const when = journal.get(stem(basename(e.path)));
      if (when === undefined)
        throw new SchemapilotError(
          `${e.path}: its journal entry has no "when", which drizzle-orm's migrator compares with the database`,
        );
      return when;
    };
    const times = rows.map((r) => integer(r['created_at'])).filter((t): t is bigint => t !== null);
    if (times.length === 0) return { applied: new Set(), absent: [], notes: [] };
    const last = times.reduce((a, b) => (a > b ? a : b));
    const whens = new Map(entries.map((e) => [e.path, BigInt(whenOf(e))]));
    const known = new Set([...whens.values()]);
    return {
      applied: new Set(entries.filter((e) => (whens.get(e.path) ?? 0n) <= last).map((e) => e.path)),
      absent: [...new Set(times)]
        .filter((t) => !known.has(t))
        .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
        .map((t) => `created_at ${t}`),
      notes: [],
    };
  },
};

/**
 * Flyway: `flyway_schema_history(installed_rank, version, description, type, script, checksum,
 * installed_by, installed_on, execution_time, success)` in the default schema (the first of
 * `flyway.schemas`, else the connection's), one row per run. Versioned files: applied when a
 * successful row has their version (and no later undo or delete), or when a baseline is at or
 * above it. Repeatable files (R__) run again whenever their checksum changes: pending unless the
 * latest successful row of their description has the file's checksum (placeholders are not
 * replaced here, so a file using them may be reported pending when Flyway would not re-run it:
 * checked once more, never less). A failed row makes `flyway migrate` refuse (flyway repair).
 * flyway-core internal/schemahistory/JdbcTableSchemaHistory, createMetaDataTable.sql,
 * resolver/ChecksumCalculator, info/MigrationInfoImpl (outOfOrder, BASELINE).
 */
const flyway: HistoryTool = {
  table: 'flyway_schema_history',
  columns: ['installed_rank', 'version', 'description', 'type', 'checksum', 'success'],
  orderBy: 'installed_rank',
  judge(entries, rows, where) {
    const versioned = new Map<string, { parts: bigint[]; applied: boolean }>();
    const repeatable = new Map<string, { checksum: number | null }>();
    let baseline: bigint[] | null = null;
    for (const row of rows) {
      const type = (text(row['type']) ?? '').toUpperCase();
      if (type === 'SCHEMA') continue;
      const version = text(row['version']);
      const description = text(row['description']) ?? '';
      if (!truthy(row['success']))
        throw new SchemapilotError(
          `${where}: the migration ${version !== null ? `to version ${version}` : `"${description}"`} failed; flyway migrate refuses to run until it is repaired (flyway repair), so fix the database first`,
        );
      if (type.endsWith('BASELINE') && version !== null) {
        baseline = flywayVersion(version);
        continue;
      }
      if (version === null) {
        const checksum = integer(row['checksum']);
        repeatable.set(description, { checksum: checksum === null ? null : Number(checksum) });
        continue;
      }
      const parts = flywayVersion(version);
      // Later rows win: an undo or a delete (flyway repair) takes the version back.
      versioned.set(parts.join('.'), { parts, applied: !type.startsWith('UNDO') && type !== 'DELETE' });
    }
    const appliedVersions = [...versioned.values()].filter((v) => v.applied).map((v) => v.parts);
    const highest = appliedVersions.reduce<bigint[] | null>(
      (a, b) => (a === null || compareVersions(b, a) > 0 ? b : a),
      baseline,
    );
    const applied = new Set<string>();
    const fileVersions = new Set<string>();
    const outOfOrder: string[] = [];
    for (const e of entries) {
      const name =
        flywayName(basename(e.path)) ??
        notNamed(e, 'Flyway', 'V<version>__<description>.sql or R__<description>.sql');
      if (name.kind === 'repeatable') {
        const last = repeatable.get(name.description);
        if (last && last.checksum === flywayChecksum(e.sql)) applied.add(e.path);
        continue;
      }
      const key = name.version.join('.');
      fileVersions.add(key);
      const belowBaseline = baseline !== null && compareVersions(name.version, baseline) <= 0;
      if (versioned.get(key)?.applied || belowBaseline) applied.add(e.path);
      else if (highest !== null && compareVersions(name.version, highest) < 0) outOfOrder.push(e.path);
    }
    const notes =
      outOfOrder.length > 0
        ? [
            `${outOfOrder.join(', ')}: below the highest applied version ${highest?.join('.') ?? ''}; Flyway applies ${outOfOrder.length === 1 ? 'it' : 'them'} only with outOfOrder=true (otherwise migrate stops on ${outOfOrder.length === 1 ? 'it' : 'them'} as ignored)`,
          ]
        : [];
    const absent = [...versioned.entries()]
      .filter(([key, v]) => v.applied && !fileVersions.has(key))
      .map(([, v]) => `version ${v.parts.join('.')}`);
    return { applied, absent, notes };
  },
};

/** 1.1, 1_1 and 01.1 are one version to Flyway (MigrationVersion); trailing zeros too. */
function flywayVersion(version: string): bigint[] {
  const parts = /^\d+(?:[._]\d+)*$/.test(version) ? versionParts(version) : [];
  while (parts.length > 1 && parts.at(-1) === 0n) parts.pop();
  return parts;
}

/** The runners whose history schemapilot reads. */
export const HISTORY_TOOLS: Partial<Record<RunnerName, HistoryTool>> = {
  'golang-migrate': golangMigrate,
  dbmate,
  flyway,
  rails,
  knex,
  'node-pg-migrate': nodePgMigrate,
  prisma,
  diesel,
  sqlx,
  drizzle,
};

/** Why the others' history is not read, in words for the failure. */
export const NO_HISTORY: Partial<Record<RunnerName, string>> = {
  plain: 'files run as plain SQL leave no history in the database',
  psql: 'files run with psql leave no history in the database',
  sqitch:
    "sqitch's registry (sqitch.changes) is keyed by project and change, which schemapilot does not read yet",
  alembic:
    'alembic_version holds one revision id, which `alembic upgrade --sql` output does not map to its files',
  popx: 'its schema_migration table is not modelled yet',
  django: 'django_migrations is keyed by app and migration name, which SQL files do not carry',
};
