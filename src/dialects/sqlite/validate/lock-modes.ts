/**
 * The lock modes a SQLite trace reports, in SQLite's lock vocabulary (core/locks.ts
 * SQLITE_LOCKS, the one the facts predict in): a writer that stops other writers but not readers
 * holds RESERVED (in WAL mode, the WAL write lock: the same to everyone else); once readers are
 * stopped too the writer holds PENDING or EXCLUSIVE (a rollback-journal database whose writer
 * spilled its cache, or is committing), which a probe cannot tell apart: EXCLUSIVE.
 * https://www.sqlite.org/lockingv3.html
 */
import type { LockMode } from '../../../core/locks.js';

export const WRITERS_BLOCKED: LockMode = 'RESERVED';
export const READERS_BLOCKED: LockMode = 'EXCLUSIVE';
