/**
 * Which files of a service are read: dependencies, build output and migration folders are not;
 * include/exclude globs are relative to the root; a bad service path is the user's error.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { InputError } from '../../../src/core/errors.js';
import { extractService } from '../../../src/impact/extract/index.js';
import { globRegExp } from '../../../src/impact/extract/walk.js';

const QUERY = 'SELECT id FROM users WHERE id = $1;\n';
let root = '';

function service(files: Record<string, string>): string {
  root = mkdtempSync(join(tmpdir(), 'sp-extract-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

afterEach(() => {
  if (root !== '') rmSync(root, { recursive: true, force: true });
  root = '';
});

async function filesRead(
  files: Record<string, string>,
  options: { include?: string[]; exclude?: string[] } = {},
) {
  const result = await extractService({ name: 's', path: service(files), ...options });
  return result.queries.map((q) => q.file).sort();
}

describe('the files of a service', () => {
  it('skips dependencies, build output and every migration layout the readers know', async () => {
    const files = await filesRead({
      'queries/a.sql': QUERY,
      'node_modules/pkg/index.js': "pool.query('SELECT id FROM users')",
      'vendor/lib/q.go': 'package lib\nfunc f() { db.Query("SELECT id FROM users") }',
      'dist/app.js': "pool.query('SELECT id FROM users')",
      '.git/x.sql': QUERY,
      'migrations/001.sql': QUERY,
      'db/migrate/20240101_x.rb': 'execute "SELECT id FROM users"',
      'sql/V1__init.sql': QUERY,
      'schema/000001_init.up.sql': QUERY,
      'dbmate/20240101.sql': '-- migrate:up\n' + QUERY,
      'changes/sqitch.plan': '%project=x\n',
      'changes/deploy.sql': QUERY,
      'drizzle-out/meta/_journal.json': '{}',
      'drizzle-out/0000_init.sql': QUERY,
      'diesel/2024-01-01-000000_init/up.sql': QUERY,
      'src/app.ts': "await pool.query('SELECT id FROM users WHERE id = $1');",
    });
    expect(files).toEqual(['queries/a.sql', 'src/app.ts']);
  });

  it('honours include and exclude globs relative to the root', async () => {
    const tree = { 'a/q.sql': QUERY, 'a/legacy/q.sql': QUERY, 'b/q.sql': QUERY, 'b/q.test.sql': QUERY };
    expect(await filesRead(tree, { include: ['a/**'] })).toEqual(['a/legacy/q.sql', 'a/q.sql']);
    expect(await filesRead(tree, { exclude: ['legacy', '**/*.test.sql'] })).toEqual(['a/q.sql', 'b/q.sql']);
    expect(await filesRead(tree, { include: ['{a,b}/*.sql'], exclude: ['b/q.test.sql'] })).toEqual([
      'a/q.sql',
      'b/q.sql',
    ]);
  });

  it('counts files per language and names the languages read', async () => {
    const result = await extractService({
      name: 's',
      path: service({
        'a.ts': '',
        'b.tsx': 'const x = <div/>;',
        'c.py': '',
        'd.sql': QUERY,
        'e.txt': 'SELECT 1',
      }),
    });
    expect(result.filesScanned).toBe(4);
    expect(result.filesByLanguage).toEqual({ typescript: 2, python: 1, sql: 1 });
    expect(result.languages).toEqual(['typescript', 'python', 'sql']);
  });

  it('refuses a service path that does not exist or is a file, naming it', async () => {
    const missing = join(tmpdir(), 'sp-no-such-service');
    await expect(extractService({ name: 's', path: missing })).rejects.toThrow(InputError);
    await expect(extractService({ name: 's', path: missing })).rejects.toThrow(
      `service path ${missing}: no such file or directory`,
    );
    const file = join(service({ 'f.sql': QUERY }), 'f.sql');
    await expect(extractService({ name: 's', path: file })).rejects.toThrow(
      `service path ${file}: not a directory`,
    );
  });

  it('refuses a file that is not UTF-8, naming the file and line', async () => {
    const path = service({ 'ok.sql': QUERY });
    writeFileSync(join(path, 'bad.py'), Buffer.from([0x78, 0x0a, 0xff, 0x0a]));
    await expect(extractService({ name: 's', path })).rejects.toThrow(/bad\.py:2:1: not valid UTF-8/);
  });
});

describe('globRegExp', () => {
  it.each([
    ['src/**/*.ts', 'src/a/b/c.ts', true],
    ['src/**/*.ts', 'src/c.ts', true],
    ['src/**/*.ts', 'lib/c.ts', false],
    ['*.sql', 'deep/down/x.sql', true],
    ['legacy', 'a/legacy/x.ts', true],
    ['a/*.sql', 'a/b/x.sql', false],
    ['q?.sql', 'q1.sql', true],
  ])('%s matches %s: %s', (glob, path, matches) => {
    expect(globRegExp(glob).test(path)).toBe(matches);
  });
});
