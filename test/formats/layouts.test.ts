/**
 * Which files each migration tool runs, in which order, and where each statement is in the real
 * file. Expected orders come from each tool's documented rules, written out by hand.
 */
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/api/analyze.js';
import { readMigrations } from '../../src/api/read.js';
import { analyzed, LAYOUTS, lineOf, read, statement, tempLayout } from './support.js';

const names = (files: readonly { path: string }[]) => files.map((f) => basename(f.path));

describe('flyway', () => {
  it('runs versioned migrations by numeric version (V1 < V1.1 < V2 < V10), then repeatable ones', async () => {
    const { layout, files } = await read('flyway');
    expect(layout).toBe('flyway');
    expect(names(files)).toEqual([
      'V1__init.sql',
      'V1.1__add_user_name.sql',
      'V2__create_orders.sql',
      'V3__orders_user_id_index.sql',
      'V10__add_users_email_verified.sql',
      'R__active_users_view.sql',
    ]);
  });

  it('accepts _ as a version separator, skips undo and callback scripts, refuses duplicate versions', async () => {
    const dir = tempLayout({
      'V1__a.sql': 'SELECT 1;',
      'V1_2__b.sql': 'SELECT 1;',
      'V1.10__c.sql': 'SELECT 1;',
      'U1_2__undo_b.sql': 'SELECT 1;',
      'afterMigrate.sql': 'SELECT 1;',
    });
    expect(names((await readMigrations(dir)).files)).toEqual(['V1__a.sql', 'V1_2__b.sql', 'V1.10__c.sql']);
    const clash = tempLayout({ 'V1__a.sql': 'SELECT 1;', 'V1.0__b.sql': 'SELECT 1;' });
    await expect(readMigrations(clash)).rejects.toThrow(
      /^(V1__a\.sql and V1\.0__b\.sql|V1\.0__b\.sql and V1__a\.sql) have the same Flyway version$/,
    );
  });
});

describe('golang-migrate', () => {
  it('runs *.up.sql by version and never the .down.sql files', async () => {
    const { layout, files } = await read('golang-migrate');
    expect(layout).toBe('golang-migrate');
    expect(names(files)).toEqual([
      '000001_create_users_table.up.sql',
      '000002_add_orders.up.sql',
      '000003_users_email_lower_index.up.sql',
    ]);
  });

  it('compares versions as numbers, not text', async () => {
    const dir = tempLayout({
      '10_c.up.sql': 'SELECT 1;',
      '2_b.up.sql': 'SELECT 1;',
      '1_a.up.sql': 'SELECT 1;',
      '1_a.down.sql': 'SELECT 1;',
    });
    expect(names((await readMigrations(dir)).files)).toEqual(['1_a.up.sql', '2_b.up.sql', '10_c.up.sql']);
  });
});

describe('dbmate', () => {
  const tokenFile = 'dbmate/db/migrations/20240102000000_add_users_token.sql';

  it('reads db/migrations from the project root, in version order', async () => {
    const { layout, files } = await read('dbmate');
    expect(layout).toBe('dbmate');
    expect(names(files)).toEqual([
      '20240101000000_create_users.sql',
      '20240102000000_add_users_token.sql',
      '20240103000000_users_email_index.sql',
    ]);
  });

  it('leaves the down sections out', async () => {
    const { statements } = await analyzed('dbmate');
    expect(statements.map((s) => s.sql.split(/\s/)[0]?.toLowerCase())).not.toContain('drop');
    expect(statements).toHaveLength(4);
  });

  it('reports a finding in the up section at its line and column in the real file', async () => {
    const { statements } = await analyzed(tokenFile);
    const add = statement(statements, 'alter table users add column api_token');
    expect(add.file).toBe(tokenFile);
    expect(add.line).toBe(lineOf(tokenFile, 'add column api_token'));
    expect(add.column).toBe(1);
    expect(add.findings.map((f) => f.rule)).toContain('add-column-volatile-default');
    // The down section's DROP COLUMN would be a drop-column finding if it were read.
    expect(statements.flatMap((s) => s.findings).map((f) => f.rule)).not.toContain('drop-column');
  });

  it('keeps several up sections of one file apart, each with its own options', async () => {
    const dir = tempLayout({
      '20240105000000_colors.sql': [
        '-- schemapilot-ignore-file lock-timeout-missing: the deploy sets it',
        '-- migrate:up transaction:false',
        "ALTER TYPE colors ADD VALUE 'orange';",
        '-- migrate:down',
        'SELECT 1;',
        '-- migrate:up',
        "ALTER TABLE paints ADD COLUMN color colors NOT NULL DEFAULT 'orange';",
        '-- migrate:down',
        'ALTER TABLE paints DROP COLUMN color;',
        '',
      ].join('\n'),
    });
    const { files } = await readMigrations(dir);
    expect(files.map((f) => f.transaction)).toEqual(['implicit', 'transaction']);
    const result = await analyze({ files });
    expect(result.statements.map((s) => [s.line, s.sql.split(' ').slice(0, 2).join(' ')])).toEqual([
      [3, 'ALTER TYPE'],
      [7, 'ALTER TABLE'],
    ]);
    // The file-wide ignore above the first section applies to both sections.
    expect(result.statements.flatMap((s) => s.findings).map((f) => f.rule)).not.toContain(
      'lock-timeout-missing',
    );
  });

  it('reports a syntax error in the up section at its line and column in the real file', async () => {
    const dir = tempLayout({
      '20240106000000_bad.sql':
        '-- Adds a column.\n\n-- migrate:up\nalter table users add column note text;\n  alter tabel users drop column note;\n-- migrate:down\n',
    });
    const { files } = await readMigrations(dir, { cwd: dir });
    await expect(analyze({ files })).rejects.toThrow(
      /^20240106000000_bad\.sql:5:9: syntax error at or near "tabel"$/,
    );
  });

  it('refuses a file in a dbmate directory without an up section, as dbmate does', async () => {
    const dir = tempLayout({
      '20240101000000_a.sql': '-- migrate:up\nSELECT 1;\n-- migrate:down\n',
      '20240102000000_b.sql': 'SELECT 1;\n',
    });
    await expect(readMigrations(dir)).rejects.toThrow(/20240102000000_b\.sql: no "-- migrate:up" section/);
  });
});

describe('prisma', () => {
  it('finds prisma/migrations from the project root and runs the directories in name order', async () => {
    const { layout, files } = await read('prisma');
    expect(layout).toBe('prisma');
    expect(files.map((f) => f.path)).toEqual([
      'prisma/prisma/migrations/20240101120000_init/migration.sql',
      'prisma/prisma/migrations/20240215093000_add_orders/migration.sql',
      'prisma/prisma/migrations/20240301080000_orders_user_index/migration.sql',
    ]);
  });
});

describe('drizzle', () => {
  it('runs the journal entries in order', async () => {
    const { layout, files } = await read('drizzle');
    expect(layout).toBe('drizzle');
    expect(names(files)).toEqual(['0000_steady_warlock.sql', '0001_brave_nova.sql']);
  });

  it('splits at --> statement-breakpoint and keeps each statement where it is in the file', async () => {
    const { statements } = await analyzed('drizzle');
    const file = 'drizzle/drizzle/0001_brave_nova.sql';
    expect(statements.filter((s) => s.file === file).map((s) => [s.line, s.column])).toEqual([
      [lineOf(file, 'ADD COLUMN "name"'), 1],
      [lineOf(file, 'CREATE INDEX'), 1],
    ]);
    expect(statements.filter((s) => s.file.endsWith('0000_steady_warlock.sql'))).toHaveLength(3);
  });

  it('ends a chunk at a breakpoint even without a semicolon, and ignores files the journal does not list', async () => {
    const journal = (tags: string[]) =>
      JSON.stringify({
        version: '7',
        dialect: 'postgresql',
        entries: tags.map((tag, idx) => ({
          idx,
          version: '7',
          when: 1704067200000 + idx,
          tag,
          breakpoints: true,
        })),
      });
    const dir = tempLayout({
      'meta/_journal.json': journal(['0000_a']),
      '0000_a.sql': 'CREATE TABLE a (id int)\n--> statement-breakpoint\nCREATE TABLE b (id int)\n',
      '0001_draft.sql': 'DROP TABLE a;',
    });
    const result = await analyze({ files: (await readMigrations(dir)).files });
    expect(result.statements.map((s) => s.sql)).toEqual([
      'CREATE TABLE a (id int)',
      'CREATE TABLE b (id int)',
    ]);

    const missing = tempLayout({ 'meta/_journal.json': journal(['0000_a']) });
    await expect(readMigrations(missing)).rejects.toThrow(
      /_journal\.json lists 0000_a, but .*0000_a\.sql is missing/,
    );
  });
});

describe('sqitch', () => {
  const planOrder = [
    'appschema.sql',
    // users was reworked after the tag @v1.0.0-dev1: its first version is kept under that tag.
    'users@v1.0.0-dev1.sql',
    'flips.sql',
    'flips_nickname_idx.sql',
    'users.sql',
  ];

  it('runs the deploy scripts in plan order, including a reworked change', async () => {
    const { layout, files } = await read('sqitch');
    expect(layout).toBe('sqitch');
    expect(names(files)).toEqual(planOrder);
    expect(files.every((f) => f.path.includes('/deploy/'))).toBe(true);
  });

  it('uses the plan when given the deploy directory itself', async () => {
    expect(names((await read(join(LAYOUTS, 'sqitch', 'deploy'))).files)).toEqual(planOrder);
  });
});

describe('alembic upgrade --sql output', () => {
  it('is recognised from its contents', async () => {
    expect((await read('alembic')).layout).toBe('alembic');
    expect((await read('alembic/upgrade.sql')).layout).toBe('alembic');
  });
});

describe('diesel', () => {
  it('finds the migrations from the project root (diesel.toml) and runs each up.sql by version', async () => {
    const { layout, files } = await read('diesel');
    expect(layout).toBe('diesel');
    expect(files.map((f) => f.path)).toEqual([
      'diesel/migrations/00000000000000_diesel_initial_setup/up.sql',
      'diesel/migrations/2023-01-01-000000_create_books/up.sql',
      'diesel/migrations/2023-02-15-093000_books_title_index/up.sql',
      'diesel/migrations/2023-03-01-000000_add_loans/up.sql',
    ]);
  });

  it('orders by version (the name up to the first _, dashes removed), not by folder name', async () => {
    const dir = tempLayout({
      // As text, "2023-06…" sorts before "20230…"; as versions, 20230601000000 comes after.
      '2023-06-01-000000_later/up.sql': 'SELECT 2;',
      '2023-06-01-000000_later/down.sql': 'SELECT 0;',
      '20230101000000_earlier/up.sql': 'SELECT 1;',
      '.git/up.sql': 'SELECT 0;',
    });
    expect((await readMigrations(dir, { cwd: dir })).files.map((f) => f.path)).toEqual([
      '20230101000000_earlier/up.sql',
      '2023-06-01-000000_later/up.sql',
    ]);
  });

  it('refuses a migration folder without up.sql and two migrations of one version, as diesel does', async () => {
    const noUp = tempLayout({
      '2023-01-01-000000_a/up.sql': 'SELECT 1;',
      '2023-01-02-000000_b/down.sql': '',
    });
    await expect(readMigrations(noUp)).rejects.toThrow(/2023-01-02-000000_b: no up\.sql/);
    const clash = tempLayout({
      '2023-01-01-000000_a/up.sql': 'SELECT 1;',
      '20230101000000_b/up.sql': 'SELECT 1;',
    });
    await expect(readMigrations(clash)).rejects.toThrow(/have the same diesel version \(20230101000000\)$/);
  });

  it('follows [migrations_directory] dir in diesel.toml', async () => {
    const dir = tempLayout({
      'diesel.toml': '[print_schema]\nfile = "src/schema.rs"\n\n[migrations_directory]\ndir = "db/diesel"\n',
      'db/diesel/2023-01-01-000000_a/up.sql': 'SELECT 1;',
      'migrations/2023-01-01-000000_other/up.sql': 'SELECT 1;',
    });
    expect((await readMigrations(dir, { cwd: dir })).files.map((f) => f.path)).toEqual([
      'db/diesel/2023-01-01-000000_a/up.sql',
    ]);
  });

  it('leaves up.sql and down.sql written by schemapilot plan --format sql to psql', async () => {
    const dir = tempLayout({
      '20240101000000_x/up.sql':
        '-- x: planned by schemapilot for PostgreSQL 16\n-- Run with: psql -v ON_ERROR_STOP=1 -f up.sql\n',
      '20240101000000_x/down.sql': '-- rollback of x, last step first\n',
    });
    for (const file of ['up.sql', 'down.sql']) {
      expect((await readMigrations(join(dir, '20240101000000_x', file))).layout).toBe('plain');
      const diesel = join(LAYOUTS, 'diesel/migrations/2023-03-01-000000_add_loans', file);
      expect((await readMigrations(diesel)).layout).toBe('diesel');
    }
  });
});

describe('sqlx', () => {
  it('runs <version>_<name>.sql by version as numbers, found from the crate root', async () => {
    const { layout, files, notes } = await read('sqlx');
    expect(layout).toBe('sqlx');
    expect(names(files)).toEqual([
      '1_create_accounts.sql',
      '2_placeholder.sql',
      '3_add_balance.sql',
      '10_accounts_owner_index.sql',
    ]);
    // schema.sql beside the crate is neither read nor worth a note: the migrations are elsewhere.
    expect(notes.join('\n')).not.toMatch(/schema\.sql/);
  });

  it('runs the .up.sql of reversible migrations; the crate, not the names, tells sqlx from golang-migrate', async () => {
    const files = {
      'migrations/1_a.up.sql': 'SELECT 1;',
      'migrations/1_a.down.sql': 'SELECT 0;',
      'migrations/2_b.up.sql': 'SELECT 2;',
      'migrations/2_b.down.sql': 'SELECT 0;',
      'migrations/README.md': 'sqlx reads only <version>_<name>.sql',
    };
    const sqlx = await readMigrations(
      tempLayout({ ...files, 'Cargo.toml': '[dependencies]\nsqlx = "0.8"\n' }),
    );
    expect([sqlx.layout, names(sqlx.files)]).toEqual(['sqlx', ['1_a.up.sql', '2_b.up.sql']]);
    // A Cargo.toml that only mentions sqlx in a comment is not a sqlx crate.
    const go = await readMigrations(tempLayout({ ...files, 'Cargo.toml': '# not sqlx\n[dependencies]\n' }));
    expect(go.layout).toBe('golang-migrate');
  });

  it('refuses a version that is not an integer, as sqlx does', async () => {
    const dir = tempLayout({
      'Cargo.toml': '[dependencies]\nsqlx = "0.8"\n',
      'migrations/1_a.sql': 'SELECT 1;',
      'migrations/v2_b.sql': 'SELECT 1;',
    });
    await expect(readMigrations(dir)).rejects.toThrow(/v2_b\.sql: sqlx needs an integer version/);
  });
});

describe('popx', () => {
  it('runs, for each version, its .postgres file or else the one without a database part', async () => {
    const { layout, files } = await read('popx');
    expect(layout).toBe('popx');
    expect(names(files)).toEqual([
      '20210101000000_identities.postgres.up.sql',
      '20210102000000_identities_state.up.sql',
      '20210103000000_identities_state_index.postgres.autocommit.up.sql',
      '20210104000000_sessions.up.sql',
    ]);
  });

  it('says what it left out and why, one line a reason', async () => {
    const { notes } = await read('popx');
    expect(notes).toEqual([
      'popx: 3 migrations for other databases left out (cockroach 1, mysql 1, sqlite3 1); PostgreSQL runs the .postgres files and those without a database part',
      'popx: 1 migration without a database part left out, replaced by the .postgres file of the same version',
      'popx: 1 .fizz migration left out (fizz is translated to SQL by the tool; not analysed)',
    ]);
  });

  it("knows pop's synonyms, takes CockroachDB for another database, and refuses two PostgreSQL files of one version", async () => {
    const dir = tempLayout({
      '1_a.crdb.up.sql': 'SELECT 1;',
      '1_a.postgresql.up.sql': 'SELECT 1;',
      '2_b.pg.up.sql': 'SELECT 1;',
      '2_b.cockroachdb.up.sql': 'SELECT 1;',
      'sub/3_c.up.sql': 'SELECT 1;',
      '4_d.oracle.up.sql': 'SELECT 1;',
    });
    const { files, notes } = await readMigrations(dir);
    expect(names(files)).toEqual(['1_a.postgresql.up.sql', '2_b.pg.up.sql', '3_c.up.sql']);
    expect(notes.join('\n')).toMatch(/2 migrations for other databases left out \(cockroach 2\)/);
    expect(notes.join('\n')).toMatch(/1 migration for databases pop does not know left out/);
    const clash = tempLayout({ '1_a.postgres.up.sql': 'SELECT 1;', '1_b.postgres.up.sql': 'SELECT 1;' });
    await expect(readMigrations(clash)).rejects.toThrow(/have the same popx version for postgres$/);
  });

  it('leaves out a file for another database given on its own, and says so', async () => {
    const r = await read('popx/migrations/20210101000000_identities.mysql.up.sql');
    expect(r.files).toEqual([]);
    expect(r.notes).toEqual([
      'popx/migrations/20210101000000_identities.mysql.up.sql: a popx migration for mysql, not PostgreSQL: not analysed',
    ]);
    expect((await read('popx/migrations/20210102000000_identities_state.up.sql')).layout).toBe('popx');
  });
});

describe('schema dumps', () => {
  it('leaves structure.sql and schema.sql out of a directory of migrations, and says so', async () => {
    const dir = tempLayout({ '001_a.sql': 'SELECT 1;', 'structure.sql': 'CREATE TABLE t (id int);' });
    const r = await readMigrations(dir, { cwd: dir });
    expect(names(r.files)).toEqual(['001_a.sql']);
    expect(r.notes).toContain('structure.sql left out: a schema dump, not a migration');
  });

  it('refuses a Rails db/ folder, whose only .sql file is the dump, naming it', async () => {
    const dir = tempLayout({
      'structure.sql': 'CREATE TABLE t (id int);',
      'migrate/20240101000000_a.rb': '',
    });
    await expect(readMigrations(dir)).rejects.toThrow(
      /no \.sql migrations found \(structure\.sql is a schema dump, not a migration; looked for/,
    );
  });
});

describe('plain SQL', () => {
  it('runs *.sql in natural name order, without .down.sql or other files', async () => {
    const { layout, files } = await read('plain');
    expect(layout).toBe('plain');
    expect(names(files)).toEqual(['001_create_users.sql', '002_add_orders.sql', '010_orders_user_index.sql']);
    const dir = tempLayout({
      '10_c.sql': 'SELECT 1;',
      '2_b.sql': 'SELECT 1;',
      '1_a.sql': 'SELECT 1;',
      '1_a.down.sql': '',
    });
    expect(names((await readMigrations(dir)).files)).toEqual(['1_a.sql', '2_b.sql', '10_c.sql']);
  });

  it('says it assumed psql -f when no runner is known', async () => {
    expect((await read('plain')).notes.join('\n')).toMatch(/runner unknown.*psql -f/);
    expect((await read('plain', { runner: 'psql' })).notes).toEqual([]);
  });

  it('fails with the path when there is nothing to read', async () => {
    await expect(readMigrations(tempLayout({ 'notes.txt': 'x' }))).rejects.toThrow(
      /no \.sql migrations found/,
    );
    await expect(readMigrations('/nonexistent/migrations')).rejects.toThrow(
      /^\/nonexistent\/migrations: no such file or directory$/,
    );
  });
});
