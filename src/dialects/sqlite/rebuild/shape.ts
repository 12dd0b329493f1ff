/**
 * How two CREATE TABLE texts of one table relate for a copy of its rows: which columns carry
 * over, whether the rowid must be carried by name, whether either references itself.
 */
import { rowidAlias, type TableDefinition } from './definition.js';
import { sameName } from './tokens.js';

export const ROWID_NAMES = ['rowid', '_rowid_', 'oid'];

/** The column affinity of a declared type (https://www.sqlite.org/datatype3.html#determination_of_column_affinity). */
export function affinity(type: string | null): 'INTEGER' | 'TEXT' | 'BLOB' | 'REAL' | 'NUMERIC' {
  const t = (type ?? '').toUpperCase();
  if (t.includes('INT')) return 'INTEGER';
  if (/CHAR|CLOB|TEXT/.test(t)) return 'TEXT';
  if (t.includes('BLOB') || t.trim() === '') return 'BLOB';
  if (/REAL|FLOA|DOUB/.test(t)) return 'REAL';
  return 'NUMERIC';
}

/** Which of rowid, _rowid_ and oid still names the rowid in both tables; null when no copy is needed. */
export function rowidName(from: TableDefinition, to: TableDefinition): string | null {
  if (from.withoutRowid || to.withoutRowid || rowidAlias(to)) return null;
  const taken = [...from.columns, ...to.columns].map((c) => c.name);
  return ROWID_NAMES.find((name) => !taken.some((t) => sameName(t, name))) ?? null;
}

export function isGenerated(def: TableDefinition, column: string): boolean {
  return def.columns.some(
    (c) => sameName(c.name, column) && c.constraints.some((k) => k.kind === 'generated'),
  );
}

/** The columns of `to` filled from `from`'s of the same name (generated ones compute themselves). */
export function copied(from: TableDefinition, to: TableDefinition): { to: string; from: string }[] {
  return to.columns.flatMap((c) => {
    if (isGenerated(to, c.name)) return [];
    const source = from.columns.find((s) => sameName(s.name, c.name));
    return source ? [{ to: c.name, from: source.name }] : [];
  });
}

export function hasForeignKeys(def: TableDefinition): boolean {
  return (
    def.constraints.some((k) => k.kind === 'foreign key') ||
    def.columns.some((c) => c.constraints.some((k) => k.kind === 'references'))
  );
}

export function referencesItself(def: TableDefinition): boolean {
  const names = [
    ...def.constraints.filter((k) => k.kind === 'foreign key').map((k) => k.names[k.columns.length] ?? ''),
    ...def.columns.flatMap((c) =>
      c.constraints.filter((k) => k.kind === 'references').map((k) => k.names[0] ?? ''),
    ),
  ];
  return names.some((n) => sameName(n, def.name));
}
