/**
 * Which files each migration tool runs, in which order, and where each statement is in the real
 * file. Expected orders come from each tool's documented rules, written out by hand.
 */
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/api/analyze.js';
import { readMigrations } from '../../src/formats/read.js';
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
