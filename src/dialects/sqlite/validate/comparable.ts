/**
 * A scratch copy's snapshot under the name of the database it stands for: its `database` is the
 * scratch file's base name (`s4242-ab12cd-1.sqlite`), which becomes the user's (`app.db`) again,
 * so findings and reports name the user's database. Nothing else differs between copies: every
 * SQLite database has the one schema `main`.
 */
import type { SchemaSnapshot } from '../../../core/snapshot.js';
import { standsForOf } from '../scratch/names.js';

export function comparableSnapshot(snapshot: SchemaSnapshot): SchemaSnapshot {
  const target = standsForOf(snapshot.database);
  // The hash leaves `database` out: it stays as it is.
  return target === undefined ? snapshot : { ...snapshot, database: target };
}
