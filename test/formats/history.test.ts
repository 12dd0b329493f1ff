/**
 * Pending migrations read from each tool's own history table (src/formats/history.ts), on real
 * servers: per tool, the table created with the tool's own DDL and filled as the tool fills it,
 * a migrations directory in the tool's layout, and the files the tool would run next.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { crc32 as zlibCrc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { RunnerName } from '../../src/config/types.js';
import { dialectNamed } from '../../src/dialects/index.js';
import { flywayChecksum } from '../../src/formats/flyway.js';
import { pendingMigrations, type PendingMigrations } from '../../src/formats/history.js';
import { readMigrations } from '../../src/formats/read.js';
import { adminRun, describeMysql, withDatabase } from '../dialects/mysql/support.js';
import { databaseUrl, describePg, withClient } from '../support/pg.js';

type Server = 'postgres' | 'mysql';

interface Case {
  name: string;
  runner: RunnerName;
  /** The service's files, relative to its root; `dir` is the migrations directory. */
  files: Record<string, string>;
  dir: string;
  /** The history as the tool leaves it: its table (its own DDL) and rows. */
  history(server: Server): string[];
  /** Expected pending files, relative to the root, in run order; or the error. */
  pending?: string[];
  error?: RegExp;
  notes?: RegExp[];
  servers?: Server[];
}

/** Flyway's checksum as flyway-core computes it: CRC-32 fed line by line (readLine), BOM dropped. */
function javaFlywayChecksum(text: string): number {
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  if (/[\r\n]$/.test(text)) lines.pop();
  return lines.reduce((crc, line) => zlibCrc32(Buffer.from(line, 'utf8'), crc), 0) | 0;
}

const VIEW_SQL = 'CREATE OR REPLACE VIEW active_users AS\r\nSELECT id FROM users;\n';
const REPORT_SQL = '\uFEFFCREATE OR REPLACE VIEW report AS SELECT 1 AS one;\n';

const GOLANG_FILES = {
  'migrations/000001_create_users.up.sql': 'CREATE TABLE users (id int PRIMARY KEY);\n',
  'migrations/000001_create_users.down.sql': 'DROP TABLE users;\n',
  'migrations/000002_add_name.up.sql': 'ALTER TABLE users ADD COLUMN name text;\n',
  'migrations/000003_add_email.up.sql': 'ALTER TABLE users ADD COLUMN email text;\n',
};
const GOLANG_TABLE = (s: Server) =>
  s === 'postgres'
    ? 'CREATE TABLE IF NOT EXISTS "public"."schema_migrations" (version bigint not null primary key, dirty boolean not null)'
    : 'CREATE TABLE IF NOT EXISTS `schema_migrations` (version bigint not null primary key, dirty boolean not null)';

const PRISMA_FILES = {
  'prisma/migrations/migration_lock.toml': 'provider = "postgresql"\n',
  'prisma/migrations/20240101120000_init/migration.sql': 'CREATE TABLE users (id int PRIMARY KEY);\n',
  'prisma/migrations/20240215093000_add_orders/migration.sql': 'CREATE TABLE orders (id int PRIMARY KEY);\n',
  'prisma/migrations/20240301080000_orders_index/migration.sql': 'CREATE INDEX orders_id ON orders (id);\n',
  'package.json': '{"devDependencies": {"prisma": "5.22.0"}}\n',
};
// prisma-engines sql-schema-connector flavour/postgres.rs and mysql.rs create_migrations_table().
const PRISMA_TABLE = (s: Server) =>
  s === 'postgres'
    ? `CREATE TABLE _prisma_migrations (
        id VARCHAR(36) PRIMARY KEY NOT NULL, checksum VARCHAR(64) NOT NULL, finished_at TIMESTAMPTZ,
        migration_name VARCHAR(255) NOT NULL, logs TEXT, rolled_back_at TIMESTAMPTZ,
        started_at TIMESTAMPTZ NOT NULL DEFAULT now(), applied_steps_count INTEGER NOT NULL DEFAULT 0)`
    : `CREATE TABLE _prisma_migrations (
        id VARCHAR(36) PRIMARY KEY NOT NULL, checksum VARCHAR(64) NOT NULL, finished_at DATETIME(3),
        migration_name VARCHAR(255) NOT NULL, logs TEXT, rolled_back_at DATETIME(3),
        started_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
        applied_steps_count INTEGER UNSIGNED NOT NULL DEFAULT 0) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`;
const PRISMA_ROW = (id: string, name: string, finished: string, rolledBack: string) =>
  `INSERT INTO _prisma_migrations (id, checksum, migration_name, finished_at, rolled_back_at, applied_steps_count) VALUES ('${id}', 'c', '${name}', ${finished}, ${rolledBack}, 1)`;

const SQLX_FILES = {
  'Cargo.toml': '[package]\nname = "app"\n\n[dependencies]\nsqlx = "0.8"\n',
  'migrations/1_create_accounts.sql': 'CREATE TABLE accounts (id int PRIMARY KEY);\n',
  'migrations/2_add_balance.sql': 'ALTER TABLE accounts ADD COLUMN balance int;\n',
  'migrations/10_accounts_index.sql': 'CREATE INDEX accounts_balance ON accounts (balance);\n',
};
// sqlx-postgres/src/migrate.rs and sqlx-mysql/src/migrate.rs ensure_migrations_table().
const SQLX_TABLE = (s: Server) =>
  `CREATE TABLE IF NOT EXISTS _sqlx_migrations (
    version BIGINT PRIMARY KEY, description TEXT NOT NULL,
    installed_on ${s === 'postgres' ? 'TIMESTAMPTZ NOT NULL DEFAULT now()' : 'TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP'},
    success BOOLEAN NOT NULL, checksum ${s === 'postgres' ? 'BYTEA' : 'BLOB'} NOT NULL, execution_time BIGINT NOT NULL)`;
const SQLX_ROW = (version: number, success: boolean, s: Server) =>
  `INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) VALUES (${version}, 'm', ${success}, ${s === 'postgres' ? "'\\x00'::bytea" : "X'00'"}, 1)`;

const CASES: Case[] = [
  {
    name: 'golang-migrate: the files above the one version it keeps',
    runner: 'golang-migrate',
    files: GOLANG_FILES,
    dir: 'migrations',
    history: (s) => [GOLANG_TABLE(s), 'INSERT INTO schema_migrations (version, dirty) VALUES (2, false)'],
    pending: ['migrations/000003_add_email.up.sql'],
  },
  {
    name: 'golang-migrate: a dirty version is refused, as the tool refuses it',
    runner: 'golang-migrate',
    files: GOLANG_FILES,
    dir: 'migrations',
    history: (s) => [GOLANG_TABLE(s), 'INSERT INTO schema_migrations (version, dirty) VALUES (2, true)'],
    error: /schema_migrations: version 2 is dirty.*migrate force/,
  },
  {
    name: 'golang-migrate: no history table, nothing applied',
    runner: 'golang-migrate',
    files: GOLANG_FILES,
    dir: 'migrations',
    history: () => [],
    pending: [
      'migrations/000001_create_users.up.sql',
      'migrations/000002_add_name.up.sql',
      'migrations/000003_add_email.up.sql',
    ],
    notes: [/no .*schema_migrations in the database.*all 3 migrations are pending/],
  },
  {
    name: 'golang-migrate: a version no file is for',
    runner: 'golang-migrate',
    files: GOLANG_FILES,
    dir: 'migrations',
    history: (s) => [GOLANG_TABLE(s), 'INSERT INTO schema_migrations (version, dirty) VALUES (7, false)'],
    pending: [],
    notes: [/lists a migration that no file of the service is for: version 7/],
  },
  {
    name: 'dbmate: every file without a row, in file order, out of order ones included',
    runner: 'dbmate',
    files: {
      'db/migrations/20240101000000_create_users.sql':
        '-- migrate:up\nCREATE TABLE users (id int);\n-- migrate:down\nDROP TABLE users;\n',
      'db/migrations/20240102000000_add_token.sql':
        '-- migrate:up\nALTER TABLE users ADD COLUMN token text;\n-- migrate:down\n',
      'db/migrations/20240103000000_users_index.sql':
        '-- migrate:up transaction:false\nCREATE INDEX users_id ON users (id);\n-- migrate:down\n',
      'db/migrations/20240104000000_two.sql':
        '-- migrate:up\nALTER TABLE users ADD COLUMN a int;\n-- migrate:down\n-- migrate:up\nALTER TABLE users ADD COLUMN b int;\n-- migrate:down\n',
    },
    dir: 'db/migrations',
    // pkg/driver/postgres CreateMigrationsTable(); pkg/driver/mysql: varchar(128).
    history: (s) => [
      s === 'postgres'
        ? 'create table if not exists "public"."schema_migrations" (version varchar(255) primary key)'
        : 'create table if not exists `schema_migrations` (version varchar(128) primary key)',
      "insert into schema_migrations (version) values ('20231201000000'), ('20240101000000'), ('20240103000000')",
    ],
    pending: [
      'db/migrations/20240102000000_add_token.sql',
      'db/migrations/20240104000000_two.sql',
      'db/migrations/20240104000000_two.sql',
    ],
    notes: [/lists a migration that no file of the service is for: 20231201000000/],
  },
  {
    name: 'Flyway: versions applied, below the baseline, out of order, and repeatables by checksum',
    runner: 'flyway',
    files: {
      'db/migration/V1__init.sql': 'CREATE TABLE users (id int PRIMARY KEY);\n',
      'db/migration/V1.1__add_user_name.sql': 'ALTER TABLE users ADD COLUMN name text;\n',
      'db/migration/V2__create_orders.sql': 'CREATE TABLE orders (id int PRIMARY KEY);\n',
      'db/migration/V3__orders_index.sql': 'CREATE INDEX orders_id ON orders (id);\n',
      'db/migration/R__active_users_view.sql': VIEW_SQL,
      'db/migration/R__report.sql': REPORT_SQL,
    },
    dir: 'db/migration',
    history: (s) => {
      const q = s === 'postgres' ? '"' : '`';
      const table =
        s === 'postgres'
          ? `CREATE TABLE "public"."flyway_schema_history" ("installed_rank" INT NOT NULL, "version" VARCHAR(50), "description" VARCHAR(200) NOT NULL, "type" VARCHAR(20) NOT NULL, "script" VARCHAR(1000) NOT NULL, "checksum" INTEGER, "installed_by" VARCHAR(100) NOT NULL, "installed_on" TIMESTAMP NOT NULL DEFAULT now(), "execution_time" INTEGER NOT NULL, "success" BOOLEAN NOT NULL)`
          : 'CREATE TABLE `flyway_schema_history` (`installed_rank` INT NOT NULL, `version` VARCHAR(50), `description` VARCHAR(200) NOT NULL, `type` VARCHAR(20) NOT NULL, `script` VARCHAR(1000) NOT NULL, `checksum` INT, `installed_by` VARCHAR(100) NOT NULL, `installed_on` TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP, `execution_time` INT NOT NULL, `success` BOOL NOT NULL, CONSTRAINT `flyway_schema_history_pk` PRIMARY KEY (`installed_rank`)) ENGINE=InnoDB';
      const row = (
        rank: number,
        version: string | null,
        description: string,
        type: string,
        checksum: number | null,
      ) =>
        `INSERT INTO flyway_schema_history (installed_rank, ${q}version${q}, description, ${q}type${q}, script, checksum, installed_by, execution_time, success) VALUES (${rank}, ${version === null ? 'NULL' : `'${version}'`}, '${description}', '${type}', 's', ${checksum ?? 'NULL'}, 'ci', 1, true)`;
      return [
        table,
        // flyway baseline at version 1: V1 is not run, it is below the baseline.
        row(1, '1', '<< Flyway Baseline >>', 'BASELINE', null),
        row(2, '2', 'create orders', 'SQL', 123),
        // The view as it was before its last edit: Flyway runs it again.
        row(
          3,
          null,
          'active users view',
          'SQL',
          javaFlywayChecksum('CREATE VIEW active_users AS SELECT id FROM users;\n'),
        ),
        row(4, null, 'report', 'SQL', javaFlywayChecksum(REPORT_SQL)),
      ];
    },
    pending: [
      'db/migration/V1.1__add_user_name.sql',
      'db/migration/V3__orders_index.sql',
      'db/migration/R__active_users_view.sql',
    ],
    notes: [
      /V1\.1__add_user_name\.sql: below the highest applied version 2; Flyway applies it only with outOfOrder=true/,
    ],
  },
  {
    name: 'Flyway: a failed migration is refused until repaired',
    runner: 'flyway',
    files: { 'db/migration/V1__init.sql': 'CREATE TABLE users (id int);\n' },
    dir: 'db/migration',
    history: (s) => [
      s === 'postgres'
        ? 'CREATE TABLE flyway_schema_history (installed_rank INT NOT NULL, version VARCHAR(50), description VARCHAR(200) NOT NULL, type VARCHAR(20) NOT NULL, script VARCHAR(1000) NOT NULL, checksum INTEGER, installed_by VARCHAR(100) NOT NULL, installed_on TIMESTAMP NOT NULL DEFAULT now(), execution_time INTEGER NOT NULL, success BOOLEAN NOT NULL)'
        : 'CREATE TABLE flyway_schema_history (installed_rank INT NOT NULL, version VARCHAR(50), description VARCHAR(200) NOT NULL, type VARCHAR(20) NOT NULL, script VARCHAR(1000) NOT NULL, checksum INT, installed_by VARCHAR(100) NOT NULL, installed_on TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP, execution_time INT NOT NULL, success BOOL NOT NULL)',
      "INSERT INTO flyway_schema_history VALUES (1, '1', 'init', 'SQL', 'V1__init.sql', 7, 'ci', CURRENT_TIMESTAMP, 3, false)",
    ],
    error: /flyway_schema_history: the migration to version 1 failed; flyway migrate refuses.*flyway repair/,
  },
  {
    name: 'Rails: versions compared as integers',
    runner: 'rails',
    files: {
      'db/sql/20240101120000_create_users.sql': 'CREATE TABLE users (id int);\n',
      'db/sql/20240102120000_add_name.sql': 'ALTER TABLE users ADD COLUMN name text;\n',
      'db/sql/20240103120000_add_email.sql': 'ALTER TABLE users ADD COLUMN email text;\n',
    },
    dir: 'db/sql',
    // activerecord schema_migration.rb create_table: version string, primary key.
    history: (s) => [
      s === 'postgres'
        ? 'CREATE TABLE "schema_migrations" ("version" character varying NOT NULL PRIMARY KEY)'
        : 'CREATE TABLE `schema_migrations` (`version` varchar(255) NOT NULL PRIMARY KEY)',
      "INSERT INTO schema_migrations (version) VALUES ('20240101120000'), ('20240102120000')",
    ],
    pending: ['db/sql/20240103120000_add_email.sql'],
  },
  {
    name: 'knex: rows name the JavaScript files the SQL stands for',
    runner: 'knex',
    files: {
      'migrations/20240101000000_create_users.sql': 'CREATE TABLE users (id int);\n',
      'migrations/20240102000000_add_name.sql': 'ALTER TABLE users ADD COLUMN name text;\n',
    },
    dir: 'migrations',
    // knex table-creator.js _createMigrationTable(): increments, name, batch, migration_time.
    history: (s) => [
      s === 'postgres'
        ? 'create table "knex_migrations" ("id" serial primary key, "name" varchar(255), "batch" integer, "migration_time" timestamptz)'
        : 'create table `knex_migrations` (`id` int unsigned not null auto_increment primary key, `name` varchar(255), `batch` int, `migration_time` timestamp)',
      "insert into knex_migrations (name, batch, migration_time) values ('20240101000000_create_users.js', 1, CURRENT_TIMESTAMP), ('20231231000000_gone.ts', 1, CURRENT_TIMESTAMP)",
    ],
    pending: ['migrations/20240102000000_add_name.sql'],
    notes: [/no file of the service is for: 20231231000000_gone/],
  },
  {
    name: 'node-pg-migrate: names without the extension, in schema public',
    runner: 'node-pg-migrate',
    servers: ['postgres'],
    files: {
      'migrations/1700000000000_create-users.sql': 'CREATE TABLE users (id int);\n',
      'migrations/1700000000001_add-name.sql': 'ALTER TABLE users ADD COLUMN name text;\n',
    },
    dir: 'migrations',
    history: () => [
      'CREATE TABLE "public"."pgmigrations" (id SERIAL PRIMARY KEY, name varchar(255) NOT NULL, run_on timestamp NOT NULL)',
      "INSERT INTO pgmigrations (name, run_on) VALUES ('1700000000000_create-users', now())",
    ],
    pending: ['migrations/1700000000001_add-name.sql'],
  },
  {
    name: 'Prisma: finished and not rolled back',
    runner: 'prisma',
    files: PRISMA_FILES,
    dir: 'prisma/migrations',
    history: (s) => [
      PRISMA_TABLE(s),
      PRISMA_ROW('a', '20240101120000_init', 'CURRENT_TIMESTAMP', 'NULL'),
      // Resolved as rolled back after a failure: migrate deploy runs it again.
      PRISMA_ROW('b', '20240215093000_add_orders', 'NULL', 'CURRENT_TIMESTAMP'),
    ],
    pending: [
      'prisma/migrations/20240215093000_add_orders/migration.sql',
      'prisma/migrations/20240301080000_orders_index/migration.sql',
    ],
  },
  {
    name: 'Prisma: a failed migration is refused (P3009)',
    runner: 'prisma',
    files: PRISMA_FILES,
    dir: 'prisma/migrations',
    history: (s) => [PRISMA_TABLE(s), PRISMA_ROW('a', '20240101120000_init', 'NULL', 'NULL')],
    error: /_prisma_migrations: migration 20240101120000_init failed.*P3009/,
  },
  {
    name: 'diesel: versions from the directory names, dashes removed',
    runner: 'diesel',
    files: {
      'migrations/00000000000000_diesel_initial_setup/up.sql': 'SELECT 1;\n',
      'migrations/2023-01-01-000000_create_books/up.sql': 'CREATE TABLE books (id int);\n',
      'migrations/2023-02-15-093000_books_title/up.sql': 'ALTER TABLE books ADD COLUMN title text;\n',
    },
    dir: 'migrations',
    // diesel_migrations migration_harness.rs CREATE_MIGRATIONS_TABLE.
    history: () => [
      'CREATE TABLE IF NOT EXISTS __diesel_schema_migrations (version VARCHAR(50) PRIMARY KEY NOT NULL, run_on TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP)',
      "INSERT INTO __diesel_schema_migrations (version) VALUES ('00000000000000'), ('20230101000000')",
    ],
    pending: ['migrations/2023-02-15-093000_books_title/up.sql'],
  },
  {
    name: 'sqlx: successful versions',
    runner: 'sqlx',
    files: SQLX_FILES,
    dir: 'migrations',
    history: (s) => [SQLX_TABLE(s), SQLX_ROW(1, true, s), SQLX_ROW(2, true, s)],
    pending: ['migrations/10_accounts_index.sql'],
  },
  {
    name: 'sqlx: a partially applied migration is refused (Dirty)',
    runner: 'sqlx',
    files: SQLX_FILES,
    dir: 'migrations',
    history: (s) => [SQLX_TABLE(s), SQLX_ROW(1, true, s), SQLX_ROW(2, false, s)],
    error: /_sqlx_migrations: migration 2 is partially applied/,
  },
  {
    name: "drizzle: journal entries generated after the newest row's created_at",
    runner: 'drizzle',
    files: {
      'drizzle/meta/_journal.json': JSON.stringify({
        version: '7',
        dialect: 'postgresql',
        entries: [
          { idx: 0, version: '7', when: 1700000000000, tag: '0000_steady_warlock', breakpoints: true },
          { idx: 1, version: '7', when: 1700000500000, tag: '0001_brave_nova', breakpoints: true },
          { idx: 2, version: '7', when: 1700000900000, tag: '0002_quiet_storm', breakpoints: true },
        ],
      }),
      'drizzle/0000_steady_warlock.sql': 'CREATE TABLE users (id int);\n',
      'drizzle/0001_brave_nova.sql':
        'ALTER TABLE users ADD COLUMN name text;--> statement-breakpoint\nALTER TABLE users ADD COLUMN b int;\n',
      'drizzle/0002_quiet_storm.sql': 'ALTER TABLE users ADD COLUMN c int;\n',
    },
    dir: 'drizzle',
    // drizzle-orm pg-core/dialect.ts and mysql-core/dialect.ts migrate().
    history: (s) =>
      s === 'postgres'
        ? [
            'CREATE SCHEMA IF NOT EXISTS "drizzle"',
            'CREATE TABLE IF NOT EXISTS "drizzle"."__drizzle_migrations" (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at bigint)',
            "INSERT INTO drizzle.__drizzle_migrations (hash, created_at) VALUES ('h0', 1700000000000), ('h1', 1700000500000)",
          ]
        : [
            'create table if not exists `__drizzle_migrations` (id serial primary key, hash text not null, created_at bigint)',
            "INSERT INTO __drizzle_migrations (hash, created_at) VALUES ('h0', 1700000000000), ('h1', 1700000500000)",
          ],
    pending: ['drizzle/0002_quiet_storm.sql'],
  },
  {
    name: 'plain files keep no history: the reason names the runner and --since',
    runner: 'plain',
    files: { 'sql/001_users.sql': 'CREATE TABLE users (id int);\n' },
    dir: 'sql',
    history: () => [],
    error: /files run as plain SQL leave no history in the database \(runner plain\)/,
  },
  {
    name: 'alembic: not modelled, said so',
    runner: 'alembic',
    files: { 'sql/upgrade.sql': 'CREATE TABLE users (id int);\n' },
    dir: 'sql',
    history: () => [],
    error: /schemapilot does not read alembic's history \(alembic_version holds one revision id/,
  },
];

function writeTree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'schemapilot-pending-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

async function pendingOn(server: Server, url: string, c: Case): Promise<PendingMigrations> {
  const dialect = dialectNamed(server);
  const root = writeTree(c.files);
  const session = await dialect.driver!.connect(url, { applicationName: 'pending test', readOnly: true });
  try {
    const read = await readMigrations(join(root, c.dir), { runner: c.runner, dialect, cwd: root });
    return await pendingMigrations({ runner: read.runner, files: read.files, cwd: root, dialect, session });
  } finally {
    await session.close();
    rmSync(root, { recursive: true, force: true });
  }
}

async function expectCase(server: Server, url: string, c: Case): Promise<void> {
  const run = pendingOn(server, url, c);
  if (c.error) {
    await expect(run).rejects.toThrow(c.error);
    return;
  }
  const result = await run;
  expect(result.pending.map((f) => f.path)).toEqual(c.pending);
  for (const note of c.notes ?? []) expect(result.notes.join('\n')).toMatch(note);
  if (!c.notes) expect(result.notes).toEqual([]);
  // Nothing is lost: applied and pending are the files, each once.
  expect(result.applied.length + result.pending.length).toBeGreaterThan(0);
}

const name = () => `pend_${randomBytes(5).toString('hex')}`;

describePg('pending migrations from the tool history (PostgreSQL)', (target) => {
  for (const c of CASES.filter((x) => !x.servers || x.servers.includes('postgres'))) {
    it(c.name, async () => {
      const db = name();
      await withClient(target.url, (client) => client.query(`CREATE DATABASE ${db}`));
      const url = databaseUrl(target.url, db);
      try {
        const history = c.history('postgres');
        if (history.length > 0) await withClient(url, (client) => client.query(history.join(';\n')));
        await expectCase('postgres', url, c);
      } finally {
        await withClient(target.url, (client) =>
          client.query(`DROP DATABASE IF EXISTS ${db}${target.major >= 13 ? ' WITH (FORCE)' : ''}`),
        );
      }
    });
  }

  it("reads the session's current schema only", async () => {
    const db = name();
    await withClient(target.url, (client) => client.query(`CREATE DATABASE ${db}`));
    const url = databaseUrl(target.url, db);
    try {
      await withClient(url, (client) =>
        client.query(
          'CREATE SCHEMA other; CREATE TABLE other.schema_migrations (version bigint not null primary key, dirty boolean not null); INSERT INTO other.schema_migrations VALUES (3, false)',
        ),
      );
      const c = CASES[0] as Case;
      const result = await pendingOn('postgres', url, c);
      expect(result.found).toBe(false);
      expect(result.pending).toHaveLength(3);
      expect(result.notes.join('\n')).toMatch(
        /no public\.schema_migrations in the database: golang-migrate has applied nothing/,
      );
    } finally {
      await withClient(target.url, (client) =>
        client.query(`DROP DATABASE IF EXISTS ${db}${target.major >= 13 ? ' WITH (FORCE)' : ''}`),
      );
    }
  });
});

describeMysql('pending migrations from the tool history (MySQL/MariaDB)', (serverUrl) => {
  for (const c of CASES.filter((x) => !x.servers || x.servers.includes('mysql'))) {
    it(c.name, async () => {
      const db = name();
      await adminRun(serverUrl, [`CREATE DATABASE ${db}`]);
      const url = withDatabase(serverUrl, db);
      try {
        await adminRun(url, c.history('mysql'));
        await expectCase('mysql', url, c);
      } finally {
        await adminRun(serverUrl, [`DROP DATABASE IF EXISTS ${db}`]);
      }
    });
  }
});

describe("Flyway's checksum", () => {
  it('is the CRC-32 of the lines without their terminators, BOM dropped, signed', () => {
    expect(flywayChecksum(VIEW_SQL)).toBe(javaFlywayChecksum(VIEW_SQL));
    expect(flywayChecksum(REPORT_SQL)).toBe(javaFlywayChecksum(REPORT_SQL));
    // Line endings do not count; the text does.
    expect(flywayChecksum('a\r\nb\n')).toBe(flywayChecksum('a\nb'));
    expect(flywayChecksum('a\nb')).not.toBe(flywayChecksum('a\nc'));
    // The CRC-32 check value of "123456789" (0xCBF43926), as a signed 32-bit integer.
    expect(flywayChecksum('123456789')).toBe(0xcbf43926 | 0);
  });
});
