/**
 * Reading migrations as the tools users run lay them out, and knowing how each tool runs a file
 * (inside a transaction or not), which decides whether CONCURRENTLY is legal and how long locks
 * are held. The layouts are in detect.ts, each tool's rules in its own file.
 */
import { existsSync, lstatSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, relative, resolve } from 'node:path';
import type { TransactionMode } from '../core/analysis.js';
import { InputError } from '../core/errors.js';
import type { RunnerName } from '../config/types.js';
import type { Dialect } from '../core/dialect/index.js';
import type { MigrationFile } from '../core/migration.js';
import { dbmateUpSections, hasDbmateMarkers } from './dbmate.js';
import { detectDirectory, detectFile, type Layout } from './detect.js';
import { dieselMode } from './diesel.js';
import { drizzleSql } from './drizzle.js';
import { flywayMode } from './flyway.js';
import { popxMode } from './popx.js';
import { prismaMode } from './prisma.js';
import { RUNNER_TRANSACTIONS } from './runners.js';
import { sqlxMode } from './sqlx.js';
import { fileError, holdsNoStatement, readSql, stripBom } from './text.js';

export { RUNNER_TRANSACTIONS } from './runners.js';
export type { Layout } from './detect.js';

export interface ReadOptions {
  /** How the files are run (`--runner`); default: the tool whose layout was recognised. */
  runner?: RunnerName | null;
  /** Paths in findings are shown relative to this (default: the working directory). */
  cwd?: string;
  /** The version key (PostgreSQL major) the migration targets: Flyway decides some statements by it. */
  major?: number;
  /**
   * The dialect the files are written in: its parser is loaded before reading, and Flyway's
   * transaction rule comes from it. Needed only for Flyway files; the public API's readers
   * (api/read.ts) default it to the registry's.
   */
  dialect?: Dialect;
}

export interface ReadResult {
  files: MigrationFile[];
  /** The layout that was recognised ("flyway", "golang-migrate", …). */
  layout: Layout;
  /** The runner whose transaction behaviour was applied. */
  runner: RunnerName;
  /** What the analysis should say it assumed or noticed while reading (one line each). */
  notes: string[];
}

/** Read one path: a migration file or a directory laid out by a migration tool. */
export async function readMigrations(path: string, options: ReadOptions = {}): Promise<ReadResult> {
  await options.dialect?.language.load();
  if (!existsSync(path)) throw missingPath(path);
  const cwd = options.cwd ?? process.cwd();
  const directory = statSync(path).isDirectory();
  const show = (p: string) => display(p, cwd);
  const detected = directory ? detectDirectory(path, show) : detectFile(path, readSql(path), show);
  const reader = new FileReader(detected.layout, options, detected.notes);
  for (const p of detected.paths) reader.add(show(p), detected.texts?.get(p) ?? readSql(p), p);
  return reader.result();
}

/** Why a path cannot be read: a loop of links, a link to nothing, or nothing at all. */
function missingPath(path: string): InputError {
  try {
    statSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && lstatExists(path))
      return new InputError(`${path}: a symbolic link to a file that does not exist`);
    if (code && code !== 'ENOENT') return fileError(path, error);
  }
  return new InputError(`${path}: no such file or directory`);
}

function lstatExists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

/** SQL given on the command line or stdin, run the way `runner` runs a file (default: psql -f). */
export async function readInline(
  name: string,
  sql: string,
  options: Omit<ReadOptions, 'cwd'> = {},
): Promise<ReadResult> {
  await options.dialect?.language.load();
  const reader = new FileReader(hasDbmateMarkers(sql) ? 'dbmate' : 'plain', options);
  reader.add(name, sql, null);
  return reader.result();
}

/**
 * One SQL text as a MigrationFile, synchronously (for the library and rule tests): the
 * runner's transaction mode, dbmate's first up section. With runner `flyway` the dialect is
 * needed and its parser must already be loaded (Flyway's mode depends on the statements).
 */
export function inlineMigration(
  name: string,
  sql: string,
  runner: RunnerName | null | undefined,
  dialect?: Dialect,
): MigrationFile {
  const reader = new FileReader(hasDbmateMarkers(sql) ? 'dbmate' : 'plain', {
    runner,
    ...(dialect ? { dialect } : {}),
  });
  reader.add(name, sql, null);
  const [first] = reader.result().files;
  return first ?? { path: name, sql, transaction: RUNNER_TRANSACTIONS[runner ?? 'plain'] };
}

/** Turns the files of one layout into MigrationFiles, collecting notes on the way. */
class FileReader {
  private readonly files: MigrationFile[] = [];
  private readonly notes = new Set<string>();
  /** Files without a statement: analysed as nothing, named once in the notes. */
  private readonly empty: string[] = [];
  private readonly runner: RunnerName;

  constructor(
    private readonly layout: Layout,
    private readonly options: ReadOptions,
    /** What the layout's reader left out, and why. */
    leftOut: readonly string[] = [],
  ) {
    this.runner = options.runner ?? layout;
    for (const note of leftOut) this.notes.add(note);
    if (!options.runner && layout === 'plain') {
      this.notes.add(
        'runner unknown: each statement is assumed to commit on its own unless the file says BEGIN, ' +
          `as ${this.options.dialect?.language.fileClient ?? 'psql -f'} runs a file (pass --runner or set "runner" in schemapilot.config.json if a tool runs it)`,
      );
    }
  }

  add(shown: string, raw: string, path: string | null): void {
    const text = stripBom(raw);
    const sql = this.layout === 'drizzle' ? drizzleSql(text) : text;
    if (holdsNoStatement(sql)) this.empty.push(shown);
    if (this.layout === 'dbmate' || hasDbmateMarkers(sql)) {
      const sections = dbmateUpSections(sql);
      if (sections.length === 0 && holdsNoStatement(sql)) {
        this.notes.add(
          `${shown}: dbmate refuses a migration without a "-- migrate:up" section, even an empty one`,
        );
        return;
      }
      if (sections.length === 0) {
        throw new InputError(`${shown}: no "-- migrate:up" section (dbmate runs only what follows one)`);
      }
      for (const section of sections) {
        const transaction: TransactionMode =
          this.runner === 'dbmate'
            ? section.transaction
              ? 'transaction'
              : 'implicit'
            : this.transactionOf(section.sql, raw, shown, path);
        this.files.push({ path: shown, sql: section.sql, transaction });
      }
      return;
    }
    const transaction = this.transactionOf(sql, raw, shown, path);
    // drizzle-orm's migrator runs all pending migrations in one transaction (runners.ts).
    const continuesTransaction = this.runner === 'drizzle' && this.files.length > 0;
    this.files.push({
      path: shown,
      sql,
      transaction,
      ...(continuesTransaction ? { continuesTransaction } : {}),
    });
  }

  result(): ReadResult {
    const notes = [...this.notes];
    if (this.empty.length > 0) notes.push(emptyNote(this.empty));
    return { files: this.files, layout: this.layout, runner: this.runner, notes };
  }

  /** `raw` is the file as the tool reads it (sqlx looks at its first bytes). */
  private transactionOf(sql: string, raw: string, shown: string, path: string | null): TransactionMode {
    if (this.runner === 'flyway') {
      const { dialect } = this.options;
      // A programming error, not the user's: every reader the commands and the API use passes one.
      if (!dialect) throw new Error('reading Flyway migrations needs the dialect (ReadOptions.dialect)');
      const mode = flywayMode(
        sql,
        shown,
        path,
        this.options.major ?? dialect.language.factKey(dialect.language.assumedVersion.version),
        dialect,
      );
      if (mode.note) this.notes.add(mode.note);
      return mode.transaction;
    }
    if (this.runner === 'prisma') {
      const mode = prismaMode(path ? dirname(path) : resolve(this.options.cwd ?? process.cwd()));
      if (mode.note) this.notes.add(mode.note);
      return mode.transaction;
    }
    if (this.runner === 'diesel' && path !== null) {
      // diesel refuses an up.sql of 0 bytes (RunMigrationsError::EmptyMigration).
      if (raw === '' && basename(path) === 'up.sql')
        this.notes.add(`${shown}: diesel refuses an empty up.sql`);
      const mode = dieselMode(path, shown);
      if (mode.note) this.notes.add(mode.note);
      return mode.transaction;
    }
    if (this.runner === 'sqlx') return sqlxMode(raw);
    if (this.runner === 'popx') return popxMode(shown);
    return RUNNER_TRANSACTIONS[this.runner];
  }
}

/** One line for all the files without a statement, naming a few. */
function emptyNote(files: readonly string[]): string {
  const what = 'no statement (empty, or only comments)';
  if (files.length === 1) return `${files[0] ?? ''} holds ${what}`;
  const more = files.length > 3 ? ` and ${files.length - 3} more` : '';
  return `${files.length} files hold ${what}: ${files.slice(0, 3).join(', ')}${more}`;
}

/** Relative to the working directory when inside it, else as given. */
function display(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  if (rel === '') return basename(path);
  return rel.startsWith('..') || isAbsolute(rel) ? path : rel;
}
