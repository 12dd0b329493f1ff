/**
 * The lock modes a SQLite trace reports, in the lock vocabulary validate compares with
 * (core/locks.ts lockModelOf: SQLite has no model of its own there yet, so PostgreSQL's table
 * modes, whose conflicts say the same thing): the database write lock stops writers and lets
 * readers go on, as EXCLUSIVE does; once the writer holds SQLite's own EXCLUSIVE lock (a
 * rollback-journal database whose writer spilled its cache, or is committing) readers stop too,
 * as under ACCESS EXCLUSIVE. https://www.sqlite.org/lockingv3.html
 * When the language half gives SQLite a lock model, these two names are what change.
 */
import type { LockMode } from '../../../core/locks.js';

export const WRITERS_BLOCKED: LockMode = 'EXCLUSIVE';
export const READERS_BLOCKED: LockMode = 'ACCESS EXCLUSIVE';
