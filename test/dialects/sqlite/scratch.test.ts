/**
 * SQLite scratch databases: files in a private temporary directory, copies made with the online
 * backup API, everything removed on close, and a killed run's directory removed by the next.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { ScratchServer } from '../../../src/core/dialect/scratch.js';
import { sqliteDialect } from '../../../src/dialects/sqlite/index.js';
import { parseSqliteTarget } from '../../../src/dialects/sqlite/url.js';
import { DIR_PREFIX, OWNER_FILE } from '../../../src/dialects/sqlite/scratch/names.js';
import { reapSqliteLeftovers } from '../../../src/dialects/sqlite/scratch/reap.js';
import { eventually, running, serverDirsOf } from '../../support/scratch-processes.js';

const provider = sqliteDialect.scratch!;
const driver = sqliteDialect.driver!;
const root = fileURLToPath(new URL('../../..', import.meta.url));

let server: ScratchServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const pathOf = (url: string) => parseSqliteTarget(url).path;

describe('sqlite scratch databases', () => {
  it('makes database files in a directory only this user can enter, and removes it on close', async () => {
    server = await provider.open({ major: null });
    expect(server.kind).toBe('embedded');
    expect(server.title).toMatch(/^SQLite 3\.\d+\.\d+$/);
    const db = await server.createDatabase();
    const file = pathOf(db.url);
    const dir = join(file, '..');
    expect(dir.startsWith(join(tmpdir(), DIR_PREFIX))).toBe(true);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(Number(readdirSync(dir).includes(OWNER_FILE))).toBe(1);
    const session = await driver.connect(db.url, { applicationName: 't' });
    await session.close();
    await server.close();
    expect(existsSync(dir)).toBe(false);
    await expect(server.createDatabase()).rejects.toThrow(/closed/);
  });

  it('copies a database with its rows through the backup API; drop removes the file', async () => {
    server = await provider.open({ major: null });
    const first = await server.createDatabase();
    const w = new Database(pathOf(first.url));
    w.exec(
      "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT); CREATE INDEX t_v ON t (v); INSERT INTO t (v) VALUES ('a'), ('b')",
    );
    w.close();
    const copy = await server.createDatabase(first.name);
    expect(copy.name).not.toBe(first.name);
    const r = new Database(pathOf(copy.url), { readonly: true });
    expect(r.prepare('SELECT v FROM t ORDER BY id').pluck().all()).toEqual(['a', 'b']);
    expect(r.pragma('integrity_check', { simple: true })).toBe('ok');
    r.close();
    const [a, b] = await Promise.all([driver.inspect(first.url), driver.inspect(copy.url)]);
    expect(b.hash).toBe(a.hash);
    await copy.drop();
    expect(existsSync(pathOf(copy.url))).toBe(false);
    expect(existsSync(pathOf(first.url))).toBe(true);
  });

  it('says that --dev-url has no meaning here, in one line', async () => {
    await expect(provider.open({ major: null, devUrl: 'sqlite:x.db' })).rejects.toThrow(
      /^--dev-url: SQLite needs no scratch server/,
    );
  });

  it('warns when the application’s SQLite (the target) is another release than the bundled one', async () => {
    const warnings: string[] = [];
    server = await provider.open({ major: 3_031_001, onWarning: (w) => warnings.push(w) });
    expect(warnings).toHaveLength(1);
    expect(server.warning).toMatch(/last written by SQLite 3\.31/);
  });

  it('removes the directories of runs that are gone, and only those', () => {
    const base = join(tmpdir(), `${DIR_PREFIX}reap-test-`);
    const dead = `${base}dead`;
    const alive = `${base}alive`;
    const unowned = `${base}unowned`;
    for (const d of [dead, alive, unowned]) mkdirSync(d, { recursive: true });
    // A pid far above any this machine hands out (pid_max is at most 2^22).
    writeFileSync(join(dead, OWNER_FILE), String(2 ** 22 + 7));
    writeFileSync(join(alive, OWNER_FILE), String(process.ppid));
    try {
      expect(reapSqliteLeftovers()).toBeGreaterThanOrEqual(1);
      expect([existsSync(dead), existsSync(alive), existsSync(unowned)]).toEqual([false, true, true]);
    } finally {
      for (const d of [alive, unowned]) rmSync(d, { recursive: true, force: true });
    }
  });

  it('cleans up after a run killed with SIGKILL the next time a scratch directory is opened', async () => {
    const script = `
      import { sqliteScratch } from './src/dialects/sqlite/scratch/provider.js';
      const s = await sqliteScratch.open({ major: null });
      await s.createDatabase();
      process.stdout.write('ready\\n');
      setInterval(() => {}, 1000);
    `;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    const pid = child.pid as number;
    expect(serverDirsOf(DIR_PREFIX, pid)).toHaveLength(1);
    // Reaped by us (its parent) once it exits: until then it is a zombie, which counts as running.
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGKILL');
    await exited;
    expect(await eventually(() => !running(pid))).toBe(true);
    expect(serverDirsOf(DIR_PREFIX, pid)).toHaveLength(1);
    server = await provider.open({ major: null });
    expect(serverDirsOf(DIR_PREFIX, pid)).toHaveLength(0);
  });
});
