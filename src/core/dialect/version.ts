/**
 * Server versions across dialects. A PostgreSQL version is major.minor; MySQL and MariaDB are
 * major.minor.patch and change behaviour at patch releases (MySQL 8.0.12 added INSTANT ADD
 * COLUMN), and a MariaDB 10.11 is not a MySQL 10. So a version carries its product, and only
 * versions of the same product compare.
 */

export interface ServerVersion {
  /** 'postgres', 'mysql', 'mariadb', 'sqlite': whose numbering `parts` follow. */
  product: string;
  /** Numeric parts, most significant first: [15, 19], [10, 11, 6], [8, 0, 29]. */
  parts: readonly number[];
  /** As shown to users. */
  text: string;
}

/** <0, 0, >0 as `a` is older, the same, newer than `b`; missing parts count as 0. */
export function compareVersions(a: ServerVersion, b: ServerVersion): number {
  if (a.product !== b.product)
    throw new Error(`cannot compare a ${a.product} version with a ${b.product} version`);
  const length = Math.max(a.parts.length, b.parts.length);
  for (let i = 0; i < length; i++) {
    const d = (a.parts[i] ?? 0) - (b.parts[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** `version` is `parts` or newer (same product assumed: the caller's dialect made both). */
export function versionAtLeast(version: ServerVersion, ...parts: number[]): boolean {
  return compareVersions(version, { product: version.product, parts, text: '' }) >= 0;
}

/**
 * A fact key (DialectLanguage.factKey) in users' words, for reports that carry only the key
 * (a plan's `serverMajor`): PostgreSQL keys are majors; MySQL's are major·10000 + minor·100 +
 * patch, MariaDB's from 100000 up (src/dialects/mysql/version.ts); SQLite's major·1000000 +
 * minor·1000 + patch.
 */
export function factKeyWords(dialect: string, key: number): string {
  if (dialect === 'sqlite') return `SQLite ${factKeyVersion(dialect, key)}`;
  if (dialect !== 'mysql') return `${dialect === 'postgres' ? 'PostgreSQL' : dialect} ${key}`;
  return `${key >= 100000 ? 'MariaDB' : 'MySQL'} ${factKeyVersion(dialect, key)}`;
}

/** A fact key as the version text reports carry (`serverVersion`): "15", "8.0.36", "10.11.6". */
export function factKeyVersion(dialect: string, key: number): string {
  // SQLite's keys are SQLITE_VERSION_NUMBER: 3035000 is 3.35.0 (src/dialects/sqlite/version.ts).
  if (dialect === 'sqlite')
    return [Math.floor(key / 1_000_000), Math.floor(key / 1000) % 1000, key % 1000].join('.');
  if (dialect !== 'mysql') return String(key);
  return [Math.floor(key / 10000), Math.floor(key / 100) % 100, key % 100].join('.');
}
