/**
 * Words shared by the SQLite rules' messages: names as users write them, sizes, durations, the
 * session's PRAGMAs as the migration left them, and the versions behaviour changes at.
 */
import type { RuleContext } from '../../core/rule.js';

/**
 * SQLITE_VERSION_NUMBER of the releases the rules speak of (3.35.0 → 3035000), as the dialect's
 * facts key them (src/dialects/sqlite/version.ts, which rules may not import).
 * https://www.sqlite.org/lang_altertable.html
 */
export const SQLITE_VERSIONS = {
  /** ALTER TABLE … RENAME COLUMN exists. */
  renameColumn: 3_025_000,
  /** RENAME TABLE rewrites references in triggers and views (3.25.0) and always in foreign keys (3.26.0). */
  renameRewritesTriggersAndViews: 3_025_000,
  renameRewritesForeignKeys: 3_026_000,
  /** ALTER TABLE … DROP COLUMN exists. */
  dropColumn: 3_035_000,
} as const;

/** `3.35.0` from its fact key. */
export function versionWords(key: number): string {
  return `${Math.floor(key / 1_000_000)}.${Math.floor(key / 1000) % 1000}.${key % 1000}`;
}

/** A qualified name as users write it: the default schema `main` is left out. */
export function shown(name: string): string {
  return name.startsWith('main.') ? name.slice('main.'.length) : name;
}

/** The bare name of a qualified one (`main.users` → `users`). */
export function bare(name: string): string {
  return name.slice(name.indexOf('.') + 1);
}

/** `users (~1,000,000 rows)` when the size is known. */
export function sized(ctx: RuleContext, table: string): string {
  const rows = ctx.table(table)?.stats.rowEstimate;
  return rows === null || rows === undefined || !ctx.schemaKnown
    ? shown(table)
    : `${shown(table)} (~${rows.toLocaleString('en')} rows)`;
}

export function formatMs(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.round(ms / 60_000)} min`;
}

const OFF = new Set(['off', '0', 'false', 'no']);
const ON = new Set(['on', '1', 'true', 'yes']);

/** Whether a PRAGMA value turns a flag off / on (SQLite's boolean spellings, pragma.html). */
export function isOff(value: string): boolean {
  return OFF.has(value.trim().toLowerCase());
}
export function isOn(value: string): boolean {
  return ON.has(value.trim().toLowerCase());
}

/**
 * `PRAGMA foreign_keys` as in force before this statement: `off`, `on`, or `unset` when the
 * file never set it outside a transaction (the connection's default then holds: on with
 * better-sqlite3, Prisma and most drivers, off in the sqlite3 shell). A PRAGMA foreign_keys
 * inside a transaction does nothing, and the session does not record it (facts' ignoredInTransaction).
 */
export function foreignKeys(ctx: RuleContext): 'off' | 'on' | 'unset' {
  const value = ctx.session.variables['foreign_keys'];
  if (value === undefined) return 'unset';
  return isOff(value) ? 'off' : 'on';
}

/** `PRAGMA legacy_alter_table` is ON before this statement. */
export function legacyAlterTable(ctx: RuleContext): boolean {
  return isOn(ctx.session.variables['legacy_alter_table'] ?? 'off');
}

/** What the database write lock means for everybody else, once. */
export const WRITE_LOCK_WORDS =
  'SQLite locks the whole database, not a table: every other writer, on any table, waits (and fails with SQLITE_BUSY once its busy_timeout passes)';
