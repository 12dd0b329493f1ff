/**
 * The migration readers of src/formats with the dialect filled in: the one given, else the
 * registry's default. The CLI, the MCP server and library users read files through these; the
 * readers themselves take the dialect as a parameter (formats/ names no dialect).
 */
import type { Dialect } from '../core/dialect/index.js';
import type { MigrationFile } from '../core/migration.js';
import type { RunnerName } from '../config/types.js';
import { DEFAULT_DIALECT } from '../dialects/index.js';
import * as formats from '../formats/read.js';

export type { ReadOptions, ReadResult } from '../formats/read.js';

/** Read one path: a migration file or a directory laid out by a migration tool. */
export function readMigrations(path: string, options: formats.ReadOptions = {}): Promise<formats.ReadResult> {
  return formats.readMigrations(path, { ...options, dialect: options.dialect ?? DEFAULT_DIALECT });
}

/** SQL given on the command line or stdin, run the way `runner` runs a file (default: psql -f). */
export function readInline(
  name: string,
  sql: string,
  options: Omit<formats.ReadOptions, 'cwd'> = {},
): Promise<formats.ReadResult> {
  return formats.readInline(name, sql, { ...options, dialect: options.dialect ?? DEFAULT_DIALECT });
}

/**
 * One SQL text as a MigrationFile, synchronously. With runner `flyway` the dialect's parser
 * must already be loaded (`dialect.language.load()`): Flyway's mode depends on the statements.
 */
export function inlineMigration(
  name: string,
  sql: string,
  runner: RunnerName | null | undefined,
  dialect: Dialect = DEFAULT_DIALECT,
): MigrationFile {
  return formats.inlineMigration(name, sql, runner, dialect);
}
