/**
 * drizzle-kit output: `<out>/NNNN_<name>.sql` files listed in `<out>/meta/_journal.json`.
 * drizzle-orm's migrator (migrator.ts readMigrationFiles) runs exactly the journal's entries in
 * index order, and sends each chunk between `--> statement-breakpoint` markers as its own query;
 * a file the journal does not list is never run, and a listed file that is missing is an error.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../core/errors.js';

export const DRIZZLE_JOURNAL = join('meta', '_journal.json');

export interface JournalEntry {
  idx: number;
  tag: string;
  /**
   * When drizzle-kit generated it (ms since the epoch): the migrator's `folderMillis`, compared
   * with the newest `created_at` of its history table to decide what is pending.
   */
  when?: number;
}

/** The journal's entries in index order (the order the migrator runs them). */
export function drizzleJournal(dir: string): JournalEntry[] {
  const journalPath = join(dir, DRIZZLE_JOURNAL);
  let journal: unknown;
  try {
    journal = JSON.parse(readFileSync(journalPath, 'utf8'));
  } catch (error) {
    throw new InputError(`${journalPath}: not valid JSON (${(error as Error).message})`);
  }
  const entries = (journal as { entries?: unknown }).entries;
  if (!Array.isArray(entries) || !entries.every(isEntry)) {
    throw new InputError(`${journalPath}: "entries" must be a list of { idx, tag } as drizzle-kit writes it`);
  }
  return [...entries].sort((a, b) => a.idx - b.idx);
}

export function drizzleFiles(dir: string): string[] {
  const journalPath = join(dir, DRIZZLE_JOURNAL);
  return drizzleJournal(dir).map((e) => {
    const path = join(dir, `${e.tag}.sql`);
    if (!existsSync(path)) throw new InputError(`${journalPath} lists ${e.tag}, but ${path} is missing`);
    return path;
  });
}

function isEntry(e: unknown): e is JournalEntry {
  const x = e as Partial<JournalEntry> | null;
  return (
    x !== null &&
    typeof x === 'object' &&
    typeof x.idx === 'number' &&
    typeof x.tag === 'string' &&
    (x.when === undefined || typeof x.when === 'number')
  );
}

/**
 * Each `--> statement-breakpoint` ends a query: turn it into `;` padded to the same length, so
 * a chunk written without a trailing semicolon still ends there, and columns stay put.
 */
export function drizzleSql(sql: string): string {
  return sql.replace(/--> statement-breakpoint/g, (m) => ';'.padEnd(m.length, ' '));
}
