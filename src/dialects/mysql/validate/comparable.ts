/**
 * A scratch database's snapshot under the name of the database it stands for (names.ts): its
 * tables are `shop.users` again, not `schemapilot_scratch_4242_ab12cd.users`, and the marker
 * table is left out. Two copies of one schema then have equal snapshots (equal hashes), and
 * validate's findings name the user's tables.
 */
import type { SchemaSnapshot } from '../../../core/snapshot.js';
import { bySchemaAndName } from '../../../core/sort.js';
import { schemaHash } from '../../../schema/hash.js';
import { isScratchName, logicalNameOf, MARKER_TABLE } from '../scratch/names.js';
import { retargetSql } from '../scratch/retarget.js';

export function comparableSnapshot(snapshot: SchemaSnapshot): SchemaSnapshot {
  const scratch = snapshot.database;
  if (!isScratchName(scratch)) return snapshot;
  const logical = logicalNameOf(scratch);
  const rename = (schema: string) => (schema === scratch ? logical : schema);
  // Definitions quote the database (`ON `db`.`t``, view bodies): same lexer as the guard's.
  const sql = (text: string) => retargetSql(text, { to: logical, from: [scratch], forbidden: new Set() });
  const relation = (qualified: string) =>
    qualified.startsWith(`${scratch}.`) ? `${logical}${qualified.slice(scratch.length)}` : qualified;
  const { hash: _hash, ...rest } = snapshot;
  const withoutHash: Omit<SchemaSnapshot, 'hash'> = {
    ...rest,
    database: logical,
    schemas: snapshot.schemas.map(rename),
    tables: snapshot.tables
      .filter((t) => !(t.schema === scratch && t.name === MARKER_TABLE))
      .map((t) => ({
        ...t,
        schema: rename(t.schema),
        partitionOf: t.partitionOf === null ? null : relation(t.partitionOf),
        indexes: t.indexes.map((i) => ({ ...i, definition: sql(i.definition) })),
        foreignKeys: t.foreignKeys.map((fk) => ({ ...fk, referencedSchema: rename(fk.referencedSchema) })),
        triggers: t.triggers.map((tr) => ({ ...tr, definition: sql(tr.definition) })),
        uniqueConstraints: t.uniqueConstraints.map((u) => ({ ...u, definition: sql(u.definition) })),
      }))
      .sort(bySchemaAndName),
    views: snapshot.views
      .map((v) => ({
        ...v,
        schema: rename(v.schema),
        definition: sql(v.definition),
        dependsOn: v.dependsOn.map((d) => ({ ...d, relation: relation(d.relation) })),
      }))
      .sort(bySchemaAndName),
  };
  return { ...withoutHash, hash: schemaHash(withoutHash) };
}
