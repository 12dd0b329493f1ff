/**
 * sqlx (`sqlx migrate run`, `sqlx::migrate!()`): `migrations/<version>_<description>.sql`, or
 * reversible pairs `<version>_<description>.up.sql` / `.down.sql`.
 *
 * - Only the directory itself is read. A file counts when its name has a `_` and ends in `.sql`;
 *   the part before the first `_` must be an integer (i64), or sqlx refuses the directory. Up
 *   migrations run by version as numbers; `.down.sql` files only on revert
 *   (sqlx-core migrate/source.rs resolve_blocking, migration_type.rs).
 * - Each migration runs in a transaction, unless the file starts with `-- no-transaction`
 *   (sqlx-postgres migrate.rs apply). Without one, the file is sent as one simple query
 *   (`conn.execute(sql)` without arguments), so several statements share an implicit transaction.
 *
 * Its names are golang-migrate's (reversible) or plain files (simple), so the layout is told by
 * the crate: the nearest Cargo.toml above the migrations depends on sqlx.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { TransactionMode } from '../core/analysis.js';
import { InputError } from '../core/errors.js';
import { compareVersions } from './order.js';

const MIGRATION = /^([^_]*)_.*\.sql$/;

/** Whether `dir` belongs to a crate that uses sqlx (its nearest Cargo.toml names it). */
export function inSqlxCrate(dir: string): boolean {
  for (let d = resolve(dir); ; d = dirname(d)) {
    const manifest = join(d, 'Cargo.toml');
    if (existsSync(manifest)) return /^[^#\n]*\bsqlx\b/m.test(readFileSync(manifest, 'utf8'));
    // The repository's root ends the search: a Cargo.toml above it belongs to something else.
    if (existsSync(join(d, '.git')) || dirname(d) === d) return false;
  }
}

/** The up migrations among a directory's `.sql` files, in the order sqlx runs them. */
export function sqlxFiles(dir: string, sqlFiles: readonly string[]): string[] {
  const ups = sqlFiles
    .map((f) => ({ f, version: MIGRATION.exec(f)?.[1] }))
    .filter((x): x is { f: string; version: string } => x.version !== undefined)
    .filter((x) => !x.f.endsWith('.down.sql'))
    .map((x) => {
      if (!/^-?\d+$/.test(x.version)) {
        throw new InputError(`${join(dir, x.f)}: sqlx needs an integer version before the first "_"`);
      }
      return { f: x.f, version: [BigInt(x.version)] };
    })
    .sort((a, b) => compareVersions(a.version, b.version));
  ups.forEach((u, i) => {
    const prev = ups[i - 1];
    if (prev && compareVersions(prev.version, u.version) === 0) {
      throw new InputError(`${join(dir, prev.f)} and ${u.f} have the same sqlx version`);
    }
  });
  return ups.map((u) => join(dir, u.f));
}

/**
 * `-- no-transaction` must be the file's very first bytes (sqlx tests `starts_with` on the text as
 * read, so not after a byte order mark or a blank line).
 */
export function sqlxMode(raw: string): TransactionMode {
  return raw.startsWith('-- no-transaction') ? 'implicit' : 'transaction';
}
