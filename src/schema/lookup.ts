import { InputError } from '../core/errors.js';
import type { SchemaSnapshot, Table } from '../core/snapshot.js';

/**
 * Find a table by `name` or `schema.name`. An unqualified name must match exactly one table
 * among the inspected schemas (public first, as the default search_path would).
 */
export function findTable(snapshot: SchemaSnapshot, ref: string): Table | undefined {
  const dot = ref.indexOf('.');
  if (dot > 0) {
    const schema = ref.slice(0, dot);
    const name = ref.slice(dot + 1);
    return snapshot.tables.find((t) => t.schema === schema && t.name === name);
  }
  const matches = snapshot.tables.filter((t) => t.name === ref);
  return matches.find((t) => t.schema === 'public') ?? (matches.length === 1 ? matches[0] : undefined);
}

/** Like `findTable`, but an unknown or ambiguous name is an InputError naming the choices. */
export function requireTable(snapshot: SchemaSnapshot, ref: string): Table {
  const table = findTable(snapshot, ref);
  if (table) return table;
  const sameName = snapshot.tables.filter((t) => t.name === ref);
  if (sameName.length > 1) {
    throw new InputError(
      `table "${ref}" is ambiguous: ${sameName.map((t) => `${t.schema}.${t.name}`).join(', ')}; qualify it with a schema`,
    );
  }
  throw new InputError(
    `unknown table "${ref}" in schemas ${snapshot.schemas.join(', ') || '(none)'} of database "${snapshot.database}"`,
  );
}
