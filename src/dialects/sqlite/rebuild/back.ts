/**
 * The rebuild that undoes a table rebuild written by hand: from the CREATE TABLE the migration
 * wrote back to the definition the snapshot holds, with the table's original indexes and triggers
 * created again. Columns the hand-written rebuild dropped come back empty (their values are gone).
 */
import type { RebuildSchema } from '../../../core/dialect/safe-sql.js';
import type { Quoter } from '../../../core/rule.js';
import type { Table } from '../../../core/snapshot.js';
import { parseDefinition } from './definition.js';
import { freeName, ownIndexes, qualified, referencingTables, viewsReading } from './dependents.js';
import { renamedDefinition } from './edit.js';
import { copied, hasForeignKeys, referencesItself, rowidName } from './shape.js';
import { rebuildStatements } from './steps.js';
import { sameName } from './tokens.js';

export interface RebuildBack {
  /** The transaction's statements (PRAGMA foreign_keys and BEGIN … COMMIT go around them). */
  sql: string[];
  /** Columns of the original whose values the hand-written rebuild did not keep. */
  lost: string[];
}

/** Throws DefinitionError when either text is not a CREATE TABLE this code reads. */
export function rebuildBack(q: Quoter, original: Table, written: string, schema: RebuildSchema): RebuildBack {
  const from = parseDefinition(written);
  const to = parseDefinition(original.definition ?? '');
  const name = qualified(original);
  const old = q.table(name);
  const newName = freeName(`new_${original.name}`, original, schema);
  const children = referencingTables(original, schema);
  const sql = rebuildStatements(q, {
    table: name,
    newName,
    create: renamedDefinition(to.text, q.table(`${original.schema}.${newName}`)),
    copy: copied(from, to).map((c) => ({ column: c.to, expression: `${old}.${q.ident(c.from)}` })),
    rowid: rowidName(from, to),
    carrySequence: from.autoincrement && to.autoincrement,
    beforeDrop: [],
    atEnd: [],
    recreate: [
      ...ownIndexes(original).map((i) => i.definition),
      ...original.triggers.map((t) => t.definition),
    ],
    probeViews: viewsReading(original, schema.views).map(qualified),
    referenced: children.length > 0 || referencesItself(from) || referencesItself(to),
    foreignKeyCheck: [...(hasForeignKeys(to) ? [name] : []), ...children.map(qualified)],
  });
  const lost = to.columns
    .filter((c) => !from.columns.some((f) => sameName(f.name, c.name)))
    .map((c) => c.name);
  return { sql, lost };
}
