/**
 * The relatives of a relation, looked up in the schema as a migration goes along: partitions,
 * foreign keys that point at a table, views over a relation. Facts need them because
 * PostgreSQL locks relatives a statement does not name (docs/decisions/0005).
 */
import type { FactContext } from '../core/facts.js';
import type { View } from '../core/snapshot.js';
import type { SchemaState } from './state.js';

export type RelationLookups = Pick<
  FactContext,
  | 'partitions'
  | 'defaultPartition'
  | 'referencingForeignKeys'
  | 'dependentViews'
  | 'viewSources'
  | 'relationExists'
>;

/**
 * @param views the views as they stand: the snapshot's, less those an earlier statement dropped
 *   (SchemaState does not track views).
 */
export function relationLookups(state: SchemaState, views: () => readonly View[]): RelationLookups {
  const children = (table: string) => state.partitionsOf(table);
  const viewName = (v: View) => `${v.schema}.${v.name}`;
  return {
    partitions: (table) =>
      state.table(table)?.kind === 'partitioned table'
        ? children(table)
            .map((t) => `${t.schema}.${t.name}`)
            .sort()
        : [],
    defaultPartition: (table) => {
      if (state.table(table)?.kind !== 'partitioned table') return undefined;
      const defaults = children(table).filter((p) => p.partitionBound?.toUpperCase() === 'DEFAULT');
      // Two defaults cannot both be real; should the state hold two, the first in table order wins.
      const t =
        defaults.length > 1
          ? [...state.allTables()].find((p) => p.partitionOf === table && defaults.includes(p))
          : defaults[0];
      return t ? `${t.schema}.${t.name}` : undefined;
    },
    referencingForeignKeys: (table) => state.referencingForeignKeys(table),
    dependentViews: (relation, column) =>
      views()
        .filter((v) =>
          v.dependsOn.some(
            (d) =>
              // A view that reads only the relation as a whole (count(*)) does not use the column.
              d.relation === relation && (column === undefined || d.columns.includes(column)),
          ),
        )
        .map(viewName)
        .sort(),
    relationExists: (name) =>
      state.known ? state.table(name) !== undefined || state.hasView(name) : undefined,
    viewSources: (view) =>
      views()
        .find((v) => viewName(v) === view)
        ?.dependsOn.map((d) => d.relation)
        .sort() ?? [],
  };
}
