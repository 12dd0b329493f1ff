/**
 * Files without a statement (placeholders, down files, `-- Add migration script here`) and files
 * saved with a UTF-8 byte order mark: real repositories hold both, and neither may stop a run.
 */
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/api/analyze.js';
import { inlineMigration, readInline, readMigrations } from '../../src/api/read.js';
import { loadPostgresParser } from '../../src/dialects/postgres/parser.js';
import { analyzed, statement, tempLayout } from './support.js';

const BOM = '\uFEFF';
const CREATE = 'CREATE TABLE t (id int);\n';

describe('a file without a statement', () => {
  it('is analysed as nothing, and the files are named in one note', async () => {
    const dir = tempLayout({
      '1_empty.up.sql': '',
      '2_blank.up.sql': '  \n\t\n',
      '3_comments.up.sql': '-- nothing yet\n/* really */ ;\n',
      '4_create.up.sql': CREATE,
      '5_bom_only.up.sql': BOM,
    });
    const { read: r, statements } = await analyzed(dir);
    expect(r.files.map((f) => basename(f.path))).toHaveLength(5);
    expect(statements.map((s) => s.sql)).toEqual(['CREATE TABLE t (id int)']);
    expect(r.notes).toContainEqual(
      expect.stringMatching(
        /^4 files hold no statement \(empty, or only comments\): .*1_empty\.up\.sql, .*2_blank\.up\.sql, .*3_comments\.up\.sql and 1 more$/,
      ),
    );
  });

  it.each([
    ['plain', { '001_a.sql': '', '002_b.sql': CREATE }],
    ['flyway', { 'V1__a.sql': '', 'V2__b.sql': CREATE }],
    ['golang-migrate', { '1_a.up.sql': '', '2_b.up.sql': CREATE }],
    ['prisma', { 'migrations/1_a/migration.sql': '', 'migrations/2_b/migration.sql': CREATE }],
  ])('does not stop a %s directory', async (layout, files) => {
    const { read: r, statements } = await analyzed(tempLayout(files), { major: 15 });
    expect(r.layout).toBe(layout);
    expect(statements.map((s) => s.sql)).toEqual(['CREATE TABLE t (id int)']);
  });

  it('in a dbmate directory, is left out with a note that dbmate refuses it', async () => {
    const dir = tempLayout({
      '20240101000000_a.sql': `-- migrate:up\n${CREATE}-- migrate:down\n`,
      '20240102000000_placeholder.sql': '',
    });
    const { read: r, statements } = await analyzed(dir);
    expect(r.layout).toBe('dbmate');
    expect(statements).toHaveLength(1);
    expect(r.notes.join('\n')).toMatch(/20240102000000_placeholder\.sql: dbmate refuses a migration without/);
  });

  it('given inline (--change "", empty stdin, the library) is nothing too', async () => {
    await loadPostgresParser();
    for (const sql of ['', '   ', '-- only a comment']) {
      const read = await readInline('--change', sql);
      expect((await analyze({ files: read.files })).statements).toEqual([]);
      expect((await analyze({ files: [inlineMigration('x.sql', sql, 'flyway')] })).statements).toEqual([]);
    }
  });
});

describe('a UTF-8 byte order mark', () => {
  it('is not part of the first statement, whose position stays line 1, column 1', async () => {
    const dir = tempLayout({ 'V1__bom.sql': `${BOM}ALTER TABLE users ADD COLUMN note text;\n` });
    const { statements } = await analyzed(dir);
    const add = statement(statements, 'ALTER TABLE users');
    expect([add.line, add.column]).toEqual([1, 1]);
  });

  it('does not hide a marker on the first line', async () => {
    const dir = tempLayout({
      '20240101000000_a.sql': `${BOM}-- migrate:up\n${CREATE}-- migrate:down\nDROP TABLE t;\n`,
    });
    const { read: r, statements } = await analyzed(dir);
    expect(r.layout).toBe('dbmate');
    expect(statements.map((s) => s.sql)).toEqual(['CREATE TABLE t (id int)']);
    const file = join(dir, '20240101000000_a.sql');
    expect((await readMigrations(file)).layout).toBe('dbmate');
  });
});
