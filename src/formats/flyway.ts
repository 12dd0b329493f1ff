/**
 * Flyway: which files it runs, in which order, and whether it wraps each in a transaction.
 *
 * - Versioned migrations `V<version>__<description>.sql` run by version (parts separated by `.`
 *   or `_`, compared as numbers: V1 < V1.1 < V2 < V10); repeatable ones `R__<description>.sql`
 *   run after them, by description. Undo (`U…`) and baseline (`B…`) scripts are not part of a
 *   normal `flyway migrate` and are left out. Locations are scanned recursively.
 * - A migration runs in a transaction unless its script config (`V3__x.sql.conf`) sets
 *   `executeInTransaction`, or Flyway's parser finds a statement the database refuses inside a
 *   transaction (the dialect's `flyway` rule, e.g. dialects/postgres/flyway.ts). Then the whole
 *   file runs without one; a file mixing both kinds is refused by Flyway unless
 *   `flyway.mixed=true` (flyway-core ParserSqlScript; flyway-database-postgresql
 *   PostgreSQLParser.detectCanExecuteInTransaction()).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import type { TransactionMode } from '../core/analysis.js';
import { InputError } from '../core/errors.js';
import type { Dialect } from '../core/dialect/index.js';
import { crc32 } from './crc32.js';
import { compareVersions, versionParts } from './order.js';

const VERSIONED = /^V(\d+(?:[._]\d+)*)__.+\.sql$/;
const REPEATABLE = /^R__(.+)\.sql$/;

export function isFlywayName(fileName: string): boolean {
  return VERSIONED.test(fileName) || REPEATABLE.test(fileName);
}

/** Flyway migrations under `dir` (recursively), in the order `flyway migrate` applies them. */
export function flywayFiles(dir: string): string[] {
  const versioned: { path: string; version: bigint[] }[] = [];
  const repeatable: { path: string; description: string }[] = [];
  for (const path of walk(dir)) {
    const name = basename(path);
    const v = VERSIONED.exec(name);
    if (v) versioned.push({ path, version: versionParts(v[1] ?? '0') });
    const r = REPEATABLE.exec(name);
    if (r) repeatable.push({ path, description: r[1] ?? '' });
  }
  versioned.sort((a, b) => compareVersions(a.version, b.version));
  for (let i = 1; i < versioned.length; i++) {
    const [prev, cur] = [versioned[i - 1], versioned[i]];
    if (prev && cur && compareVersions(prev.version, cur.version) === 0) {
      // Flyway refuses to migrate with two files of one version; so do we, rather than guess.
      throw new InputError(
        `${relative(dir, prev.path)} and ${relative(dir, cur.path)} have the same Flyway version`,
      );
    }
  }
  repeatable.sort((a, b) => (a.description < b.description ? -1 : a.description > b.description ? 1 : 0));
  return [...versioned.map((v) => v.path), ...repeatable.map((r) => r.path)];
}

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir).sort()) {
    // Not migration locations, and possibly huge (`schemapilot analyze .` at a project root).
    if (entry === 'node_modules' || entry.startsWith('.')) continue;
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) out.push(...walk(path));
    else if (entry.endsWith('.sql')) out.push(path);
  }
  return out;
}

export interface FlywayMode {
  transaction: TransactionMode;
  /** Said in the analysis' assumptions when Flyway would refuse the file. */
  note: string | null;
}

/**
 * How Flyway runs one file. Needs the dialect's parser loaded (readMigrations loads it): the
 * answer depends on the statements. `major` (the dialect's fact key) matters for statements
 * Flyway judges by version (PostgreSQL: ALTER TYPE … ADD VALUE before 12).
 */
export function flywayMode(
  sql: string,
  display: string,
  path: string | null,
  major: number,
  dialect: Dialect,
): FlywayMode {
  const configured = path ? scriptConfig(path) : null;
  if (configured !== null) return { transaction: configured ? 'transaction' : 'none', note: null };
  const rule = dialect.language.flyway;
  if (!rule) return { transaction: 'transaction', note: null };
  const statements = dialect.language.engine(dialect.language.defaultSchema).parse(sql, display).statements;
  const outside = statements.filter((s) => !rule.canRunInTransaction(s.ast, major));
  if (outside.length === 0) return { transaction: 'transaction', note: null };
  if (outside.length === statements.length) return { transaction: 'none', note: null };
  const first = outside[0];
  return {
    transaction: 'transaction',
    note:
      `${display}: Flyway refuses a migration that mixes statements it runs outside a transaction ` +
      `(line ${first?.line ?? 1}) with others, unless flyway.mixed=true; analysed as one transaction. ` +
      `Move those statements to their own migration, or add ${basename(display)}.conf with executeInTransaction=false`,
  };
}

/** `executeInTransaction` from the script config file next to the migration, or null. */
function scriptConfig(path: string): boolean | null {
  const conf = `${path}.conf`;
  if (!existsSync(conf)) return null;
  for (const line of readFileSync(conf, 'utf8').split(/\r?\n/)) {
    const m = /^\s*executeInTransaction\s*=\s*(\S+)\s*$/.exec(line);
    if (m) return m[1]?.toLowerCase() === 'true';
  }
  return null;
}

/**
 * The checksum Flyway stores for a SQL migration: CRC-32 of the UTF-8 bytes of each line
 * without its terminator (BufferedReader.readLine), a byte order mark dropped from the first,
 * as a signed 32-bit integer (flyway-core resolver/ChecksumCalculator
 * calculateChecksumForResource). Lines fed one after the other hash as their concatenation, so
 * this is the CRC of the text with every line break removed.
 */
export function flywayChecksum(sql: string): number {
  const text = sql.startsWith('\uFEFF') ? sql.slice(1) : sql;
  return crc32(Buffer.from(text.replace(/\r\n|\r|\n/g, ''), 'utf8')) | 0;
}

/** What a file name says to Flyway: a versioned migration's version, or a repeatable one's description. */
export function flywayName(
  fileName: string,
): { kind: 'versioned'; version: bigint[] } | { kind: 'repeatable'; description: string } | null {
  const v = VERSIONED.exec(fileName);
  if (v) return { kind: 'versioned', version: versionParts(v[1] ?? '0') };
  const r = REPEATABLE.exec(fileName);
  // Flyway's description is the name's part after `__` with underscores as spaces (ResourceNameParser).
  if (r) return { kind: 'repeatable', description: (r[1] ?? '').replace(/_/g, ' ') };
  return null;
}
