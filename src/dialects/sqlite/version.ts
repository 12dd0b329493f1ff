/**
 * SQLite versions: major.minor.patch, and behaviour changes at minor releases (3.25.0 RENAME
 * COLUMN, 3.35.0 DROP COLUMN, 3.37.0 ADD COLUMN checks existing rows, 3.53.0 ADD/DROP
 * CONSTRAINT and SET/DROP NOT NULL), so all three parts count. `sqlite_version()` prints
 * "3.53.2"; SQLITE_VERSION_NUMBER is 3053002, the shape of our fact key.
 * https://www.sqlite.org/c3ref/libversion.html
 */
import type { ServerVersion } from '../../core/dialect/index.js';
import { InputError } from '../../core/errors.js';

export function parseSqliteVersion(text: string, source?: string): ServerVersion {
  const match = /^\s*(\d+)\.(\d+)(?:\.(\d+))?/.exec(text);
  if (!match?.[1] || match[2] === undefined || Number(match[1]) !== 3)
    throw new InputError(
      `${source ? `${source}: ` : ''}"${text}" is not a SQLite 3 version (e.g. 3.35.0 or 3.53.2)`,
    );
  const parts = [3, Number(match[2]), Number(match[3] ?? 0)];
  return { product: 'sqlite', parts, text: parts.join('.') };
}

/** SQLITE_VERSION_NUMBER: major·1000000 + minor·1000 + patch (3.35.0 → 3035000). */
export function sqliteFactKey(version: ServerVersion): number {
  const [major = 3, minor = 0, patch = 0] = version.parts;
  return major * 1_000_000 + minor * 1000 + patch;
}

/**
 * What analysis assumes with no database and no --target-version: the library this package
 * bundles (better-sqlite3 12.11.1), which validate and deploy run on, and which Prisma, Drizzle
 * and Knex users on better-sqlite3 have. Facts gated on a version say which one in their notes,
 * so a user of an older system SQLite (Ubuntu 20.04: 3.31.1, no DROP COLUMN) passes
 * --target-version (docs/decisions/0033-sqlite-facts.md).
 */
export const ASSUMED_SQLITE_VERSION: ServerVersion = parseSqliteVersion('3.53.2');

/** Fact keys of the versions facts change at. */
export const SQLITE = {
  renameColumn: 3_025_000,
  renameTableRewritesReferences: 3_026_000,
  dropColumn: 3_035_000,
  addColumnChecksRows: 3_037_000,
  alterConstraints: 3_053_000,
} as const;
