/**
 * The scratch databases of `schemapilot validate` for SQLite (core/dialect/scratch.ts): files in
 * a private temporary directory, no server. An empty database is a new file; a copy of another
 * (`createDatabase(template)`) is made with the online backup API (copy.ts), as validate's copy
 * of the user's file is (validate/load.ts). The SQLite is the one bundled with better-sqlite3.
 *
 * Cleanup: `close()` deletes the directory (validate's withScratch calls it on success, failure
 * and Ctrl-C); a run killed outright leaves its directory, which the next run deletes once the
 * owner pid is gone (reap.ts).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import Database from 'better-sqlite3';
import { InputError } from '../../../core/errors.js';
import type {
  ScratchDatabase,
  ScratchProvider,
  ScratchServer,
  ScratchServerOptions,
} from '../../../core/dialect/scratch.js';
import { libraryVersion, versionNumber } from '../connect.js';
import { sqliteUrlOf } from '../url.js';
import { copyDatabaseFile } from './copy.js';
import { DIR_PREFIX, forgetScratch, OWNER_FILE, setStandsFor, standsForOf } from './names.js';
import { reapSqliteLeftovers } from './reap.js';

export const sqliteScratch: ScratchProvider = {
  open: (options) => Promise.resolve(openScratch(options)),
};

/** Every file of a database: the main file and what SQLite keeps next to it. */
export function databaseFiles(path: string): string[] {
  return [path, `${path}-journal`, `${path}-wal`, `${path}-shm`];
}

function openScratch(options: ScratchServerOptions): ScratchServer {
  if (options.devUrl !== undefined)
    throw new InputError(
      '--dev-url: SQLite needs no scratch server; validate works on copies of the database file in a private temporary directory',
    );
  reapSqliteLeftovers();
  const dir = mkdtempSync(join(tmpdir(), DIR_PREFIX));
  writeFileSync(join(dir, OWNER_FILE), String(process.pid));
  const probe = new Database(':memory:');
  const version = libraryVersion(String((probe.prepare('SELECT sqlite_version() AS v').get() as { v: unknown }).v));
  probe.close();
  const key = versionNumber(version);
  const warning = versionWarning(options.major, key, version.text);
  if (warning !== undefined) options.onWarning?.(warning);
  const tag = `s${process.pid}-${randomBytes(3).toString('hex')}`;
  const made = new Map<string, string>();
  let count = 0;
  let closed = false;

  const remove = (path: string) => {
    for (const file of databaseFiles(path)) rmSync(file, { force: true });
    forgetScratch(basename(path));
  };

  return {
    major: key,
    title: `SQLite ${version.text}`,
    kind: 'embedded',
    ...(warning !== undefined ? { warning } : {}),
    async createDatabase(template?: string): Promise<ScratchDatabase> {
      if (closed) throw new Error('the scratch directory is closed');
      const name = `${tag}-${++count}.sqlite`;
      const path = join(dir, name);
      if (template === undefined) {
        // Opening creates the file; the first page is written with the first table.
        new Database(path).close();
      } else {
        const source = made.get(template);
        if (source === undefined) throw new Error(`no scratch database ${template} to copy`);
        await copyDatabaseFile(source, path);
        const target = standsForOf(template);
        if (target !== undefined) setStandsFor(name, target);
      }
      made.set(name, path);
      return {
        name,
        url: sqliteUrlOf(path),
        drop: () => {
          if (made.delete(name)) remove(path);
          return Promise.resolve();
        },
      };
    },
    close(): Promise<void> {
      if (closed) return Promise.resolve();
      closed = true;
      for (const path of made.values()) forgetScratch(basename(path));
      made.clear();
      rmSync(dir, { recursive: true, force: true });
      return Promise.resolve();
    },
  };
}

/**
 * The bundled SQLite may be newer than the application's (the target's key, from its file
 * header): what an older SQLite refuses (DROP COLUMN before 3.35, RENAME COLUMN before 3.25)
 * runs here. Said once; keys are SQLite's version numbers (3053002), compared by major.minor.
 */
export function versionWarning(requested: number | null, actual: number, text: string): string | undefined {
  if (requested === null || Math.floor(requested / 1000) === Math.floor(actual / 1000)) return undefined;
  const words = (key: number) => `${Math.floor(key / 1_000_000)}.${Math.floor(key / 1000) % 1000}`;
  return `validating on SQLite ${text} (bundled with schemapilot): the database was last written by SQLite ${words(requested)}, which may refuse or do differently what this one accepts (the facts name each version)`;
}
