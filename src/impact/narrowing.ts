/**
 * Whether a type change may reject values the old type took, from the dialect's own facts
 * (`rejectsExistingValues`, the same answer the type-narrowing rule reads) with the column's
 * type before the change: varchar(5) → varchar(50) or int → bigint rejects nothing, while
 * varchar(50) → varchar(5) or bigint → int may. The schema is followed through the migration
 * (an earlier statement may have added or retyped the column). Undefined when the old type is
 * not known: may-break.ts then guesses from the new type alone.
 */
import type { Change } from '../core/change.js';
import type { Dialect } from '../core/dialect/index.js';
import type { FactContext } from '../core/facts.js';
import type { SchemaSnapshot } from '../core/snapshot.js';
import { relationLookups } from '../schema/relations.js';
import { SchemaState } from '../schema/state.js';

export type RejectsValues = (change: Change) => boolean | undefined;

export function rejectsValues(
  dialect: Dialect,
  changes: readonly Change[],
  snapshot: SchemaSnapshot | null,
  major: number,
): RejectsValues {
  if (!snapshot) return () => undefined;
  const { facts } = dialect.language.engine(dialect.language.defaultSchema);
  const state = new SchemaState(snapshot);
  const context: FactContext = {
    major,
    table: (name) => state.table(name),
    tableOfIndex: (index) => state.tableOfIndex(index),
    isNew: (name) => state.isNewAndEmpty(name),
    volatility: () => undefined,
    timeZoneIsUtc: false,
    ...relationLookups(state, () => snapshot.views),
  };
  const answers = new Map<Change, boolean>();
  for (const change of changes) {
    if (change.kind === 'alter column type') {
      const column = state.table(change.table)?.columns.find((c) => c.name === change.column);
      if (column) {
        // The values a write stores are cast to the new type as the USING clause would not be:
        // only the two types matter.
        const typesOnly = { ...change, using: null, usingIsColumn: true };
        answers.set(change, facts.changeFacts(typesOnly, context).rejectsExistingValues);
      }
    }
    try {
      state.apply(change);
    } catch {
      break;
    }
  }
  return (change) => answers.get(change);
}
