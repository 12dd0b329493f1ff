/**
 * TODO: turn one statement's AST into the Changes of src/core/change.ts (several for an ALTER
 * TABLE with several actions), relation names qualified with the default schema (the database,
 * for MySQL), as ../postgres/lower.ts does. A statement with no matching kind becomes
 * { kind: 'unknown' } rather than an error; a new kind goes into change.ts and CHANGE_KINDS in
 * scripts/gen-schemas.ts.
 */
import type { Change } from '../../core/change.js';
import { notImplemented } from './not-implemented.js';

export function lowerSqlite(_ast: unknown, _defaultSchema: string): Change[] {
  return notImplemented('lowering to Changes', 'lower.ts');
}
