/**
 * Naming a SQLite database (URLs, file: URIs, bare paths), and opening it: never creating one,
 * read-only sessions that SQLite itself keeps from writing, one-line errors with exit code 2.
 */
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chooseDialect, dialectOfUrl } from '../../../src/dialects/index.js';
import { sqliteDialect } from '../../../src/dialects/sqlite/index.js';
import { isSqliteFilePath, parseSqliteTarget } from '../../../src/dialects/sqlite/url.js';
import { connectSqlite } from '../../../src/dialects/sqlite/connect.js';
import { sqliteSession } from '../../../src/dialects/sqlite/session.js';
import { InputError } from '../../../src/core/errors.js';
import { runCli } from '../../support/cli.js';
import { tempDir, writeRows, type TempDir } from './driver-support.js';

const driver = sqliteDialect.driver!;

describe('sqlite targets', () => {
  it.each([
    ['sqlite:app.db', 'app.db'],
    ['sqlite:data/app.db', 'data/app.db'],
    ['sqlite:/srv/app.db', '/srv/app.db'],
    ['sqlite:///srv/app.db', '/srv/app.db'],
    ['sqlite://app.db', 'app.db'],
    ['sqlite3:///srv/app.sqlite3', '/srv/app.sqlite3'],
    ['file:app.db', 'app.db'],
    ['file:///srv/my%20app.db', '/srv/my app.db'],
    ['file://localhost/srv/app.db', '/srv/app.db'],
    ['app.db', 'app.db'],
    ['./data/App.SQLite', './data/App.SQLite'],
    ['/srv/db/app.sqlite3', '/srv/db/app.sqlite3'],
    ['C:\\data\\app.db', 'C:\\data\\app.db'],
  ])('%s names the file %s', (text, path) => {
    expect(parseSqliteTarget(text).path).toBe(path);
    expect(dialectOfUrl(text)?.name).toBe('sqlite');
    expect(driver.describeTarget(text)).toBe(path);
  });

  it('leaves other strings to their dialects: URLs, libpq keywords, paths of other files', () => {
    expect(dialectOfUrl('postgres://h/app.db')?.name).toBe('postgres');
    expect(dialectOfUrl('mysql://h/app')?.name).toBe('mysql');
    expect(dialectOfUrl('dbname=app.db host=x')).toBeUndefined();
    expect(dialectOfUrl('backup.sql')).toBeUndefined();
    expect(dialectOfUrl('.db')).toBeUndefined();
    expect(isSqliteFilePath('dbname=app.db')).toBe(false);
    expect(chooseDialect({ url: 'app.sqlite' }).name).toBe('sqlite');
    expect(() => chooseDialect({ name: 'postgres', url: 'sqlite:app.db' })).toThrow(
      /--dialect says postgres/,
    );
  });

  it.each([
    ['sqlite:app.db?mode=ro', /take no parameters/],
    ['file:app.db?mode=memory', /take no parameters/],
    ['file://otherhost/app.db', /another host/],
    ['sqlite::memory:', /in-memory/],
    ['sqlite:', /no file/],
  ])('refuses %s in one line', (text, why) => {
    expect(() => parseSqliteTarget(text, '--db')).toThrow(InputError);
    expect(() => parseSqliteTarget(text, '--db')).toThrow(why);
    expect(() => parseSqliteTarget(text, '--db')).toThrow(/^--db: invalid SQLite database/);
  });
});

describe('sqlite connections', () => {
  let tmp: TempDir;
  beforeEach(() => {
    tmp = tempDir();
  });
  afterEach(() => tmp.remove());

  it('refuses a missing file without creating it', async () => {
    const missing = tmp.path('missing.db');
    await expect(driver.connect(`sqlite:${missing}`, { applicationName: 't' })).rejects.toThrow(
      `cannot open SQLite database ${missing}: no such file`,
    );
    await expect(driver.connect(missing, { applicationName: 't', readOnly: true })).rejects.toThrow(
      InputError,
    );
    expect(existsSync(missing)).toBe(false);
  });

  it('says when the file is a directory or not a database', async () => {
    const dir = tmp.path('folder.db');
    mkdirSync(dir);
    await expect(driver.connect(dir, { applicationName: 't' })).rejects.toThrow(/is a directory/);
    const text = tmp.path('notes.db');
    writeFileSync(text, 'hello, this is not a database file at all, just some text to read '.repeat(20));
    await expect(driver.connect(text, { applicationName: 't', readOnly: true })).rejects.toThrow(
      /notes\.db: it is not a SQLite database/,
    );
  });

  it('hints at the SQLAlchemy spelling when sqlite:///x means a missing /x but ./x exists', () => {
    // package.json is in the working directory (the repository), not at the root.
    expect(existsSync('/package.json')).toBe(false);
    expect(() => connectSqlite('sqlite:///package.json')).toThrow(
      'cannot open SQLite database /package.json: no such file (sqlite:///package.json names the absolute path /package.json; for ./package.json write sqlite:package.json)',
    );
  });

  it('opens read-only sessions that SQLite refuses to write through, the file untouched', async () => {
    const path = tmp.path('app.db');
    writeRows(path, 10);
    const before = readFileSync(path);
    const session = await driver.connect(pathToFileURL(path).href, { applicationName: 't', readOnly: true });
    const s = sqliteSession(session);
    expect(() => s.exec('INSERT INTO t (a, b) VALUES (1, 2)')).toThrow(/readonly database/);
    expect(() => s.exec('CREATE TABLE u (x)')).toThrow(/readonly database/);
    expect(s.rows<{ n: number }>('SELECT count(*) AS n FROM t')).toEqual([{ n: 10 }]);
    expect((await driver.serverVersion(session)).product).toBe('sqlite');
    await session.close();
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it('opens a WAL database read-only', async () => {
    const path = tmp.path('wal.db');
    writeRows(path, 5, { wal: true });
    const snapshot = await driver.inspect(`sqlite:${path}`);
    expect(snapshot.sqliteFile?.journalMode).toBe('wal');
    expect(snapshot.tables[0]?.stats.rowEstimate).toBe(5);
  });
});

describe('sqlite on the command line', () => {
  let tmp: TempDir;
  beforeEach(() => {
    tmp = tempDir();
  });
  afterEach(() => tmp.remove());

  it('inspect of a missing file: one line, exit 2, no file created', async () => {
    const missing = tmp.path('typo.db');
    const result = await runCli(['inspect', '--db', missing]);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toEqual([
      `schemapilot: cannot open SQLite database ${missing}: no such file`,
    ]);
    expect(existsSync(missing)).toBe(false);
  });

  it('inspect --db sqlite:… reads the file and leaves it as it was', async () => {
    const path = tmp.path('shop.sqlite');
    writeRows(path, 3);
    const mtime = statSync(path).mtimeMs;
    const result = await runCli(['inspect', '--db', `sqlite:${path}`, '--format', 'json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const snapshot = JSON.parse(result.stdout) as { dialect: string; database: string };
    expect([snapshot.dialect, snapshot.database]).toEqual(['sqlite', 'shop.sqlite']);
    expect(statSync(path).mtimeMs).toBe(mtime);
  });

  it('an unknown scheme names the SQLite forms in its one line', async () => {
    const result = await runCli(['inspect', '--db', 'sqlserver://h/app']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/sqlite:\/\/.*\.db\/\.sqlite\/\.sqlite3\/\.db3 files, not sqlserver:\/\//);
  });
});
