/**
 * The rebuild of one table with Changes made, and its rollback: the same rebuild back to the
 * original definition. A pure function of the snapshot's table (its CREATE TABLE text, indexes
 * and triggers), the rest of the schema (views, other tables' triggers and foreign keys) and the
 * Changes. docs/decisions/0035-sqlite-plans.md says why each part is as it is.
 */
import type { RebuildRequest, TableRebuild } from '../../../core/dialect/safe-sql.js';
import { SchemapilotError } from '../../../core/errors.js';
import type { PlanCheck } from '../../../core/plan.js';
import type { Quoter } from '../../../core/rule.js';
import type { Table } from '../../../core/snapshot.js';
import { plannedEdits } from './changes.js';
import { DefinitionError, parseDefinition, type TableDefinition } from './definition.js';
import { affinity, copied, hasForeignKeys, referencesItself, ROWID_NAMES, rowidName } from './shape.js';
import {
  freeName,
  ownIndexes,
  qualified,
  referencingTables,
  refuseReaders,
  viewsReading,
  withoutText,
} from './dependents.js';
import { editAll, renamedDefinition } from './edit.js';
import { rebuildStatements, type RebuildSpec } from './steps.js';
import { mentions, sameName } from './tokens.js';

/** Steps 1 and 12: foreign_keys is a no-op inside a transaction (https://www.sqlite.org/pragma.html#pragma_foreign_keys). */
export const FOREIGN_KEYS_AROUND = {
  before: ['PRAGMA foreign_keys = OFF'],
  after: ['PRAGMA foreign_keys = ON'],
};

function refuse(table: Table, why: string): never {
  throw new SchemapilotError(`cannot plan the rebuild of ${table.name}: ${why}`);
}

function definitionOf(table: Table): TableDefinition {
  if (table.module)
    refuse(table, `it is a virtual table (${table.module}): its module keeps its rows, not a CREATE TABLE`);
  if (!table.definition)
    refuse(
      table,
      'its CREATE TABLE text is unknown: the snapshot has none, or an earlier statement of this migration created or changed the table (write every change of a table in one ALTER TABLE statement: one rebuild)',
    );
  let def: TableDefinition;
  try {
    def = parseDefinition(table.definition);
  } catch (error) {
    if (error instanceof DefinitionError)
      refuse(table, `its CREATE TABLE text is not understood: ${error.message}`);
    throw error;
  }
  // An earlier statement of the migration changed the table: the snapshot's text is stale.
  const same =
    def.columns.length === table.columns.length &&
    def.columns.every((c, i) => sameName(c.name, table.columns[i]?.name ?? ''));
  if (!same)
    refuse(
      table,
      'an earlier statement of this migration changed its columns, and its CREATE TABLE text is the one inspected before; write every change of the table in one ALTER TABLE statement (one rebuild)',
    );
  return def;
}

export function planRebuild(q: Quoter, request: RebuildRequest): TableRebuild {
  const { table, schema } = request;
  const name = qualified(table);
  const from = definitionOf(table);
  const unknown = withoutText(table);
  if (unknown.length > 0)
    refuse(
      table,
      `${unknown.join(', ')} ${unknown.length === 1 ? 'was' : 'were'} created earlier in this migration and DROP TABLE would take ${unknown.length === 1 ? 'it' : 'them'} along: create ${unknown.length === 1 ? 'it' : 'them'} after the change`,
    );
  const planned = plannedEdits(q, name, request.changes);
  let edited: { text: string; dropped: string[] };
  try {
    edited = editAll(from.text, planned.edits);
  } catch (error) {
    if (error instanceof DefinitionError) refuse(table, error.message);
    throw error;
  }
  const to = parseDefinition(edited.text);
  if (
    to.withoutRowid &&
    !to.constraints.some((k) => k.kind === 'primary key') &&
    !to.columns.some((c) => c.constraints.some((k) => k.kind === 'primary key'))
  )
    refuse(table, 'a WITHOUT ROWID table must keep a PRIMARY KEY');
  const droppedColumns = from.columns
    .filter((c) => !to.columns.some((t) => sameName(t.name, c.name)))
    .map((c) => c.name);
  refuseReaders(table, droppedColumns, schema);

  const warnings: string[] = edited.dropped.map((d) => `${d} of ${table.name} goes with the dropped column`);
  const indexes = ownIndexes(table);
  const kept = indexes.filter((i) => {
    const on = i.definition.slice(i.definition.indexOf('('));
    const gone = droppedColumns.find((c) => mentions(on, c));
    if (gone) warnings.push(`index ${i.name} goes with the dropped column ${gone}`);
    return !gone;
  });
  for (const c of from.columns) {
    const after = to.columns.find((t) => sameName(t.name, c.name));
    if (
      after &&
      ['TEXT', 'BLOB'].includes(affinity(c.type)) &&
      !['TEXT', 'BLOB'].includes(affinity(after.type))
    )
      warnings.push(
        `${table.name}.${c.name} goes from ${c.type ?? 'no type'} to ${after.type ?? 'no type'}: text that reads as a number is stored as a number ('007' becomes 7), and the rollback brings back '7' (https://www.sqlite.org/datatype3.html#type_affinity)`,
      );
  }

  const children = referencingTables(table, schema);
  const referenced = children.length > 0 || referencesItself(from) || referencesItself(to);
  const checkTables = (def: TableDefinition) => [
    ...(hasForeignKeys(def) ? [name] : []),
    ...children.map(qualified),
  ];
  const views = viewsReading(table, schema.views).map(qualified);
  const newName = freeName(`new_${table.name}`, table, schema);
  const archive =
    request.archive && droppedColumns.length > 0
      ? freeName(`schemapilot_archive_${table.name}_${droppedColumns.join('_')}`, table, schema)
      : null;
  const old = q.table(name);
  const rename = (def: TableDefinition) => renamedDefinition(def.text, q.table(`${table.schema}.${newName}`));
  // The archive is keyed by rowid, which the rebuild keeps (copied, or the INTEGER PRIMARY KEY).
  const archiveKey = from.withoutRowid
    ? null
    : (ROWID_NAMES.find((r) => !from.columns.some((c) => sameName(c.name, r))) ?? null);
  if (archive && !archiveKey)
    refuse(table, 'its dropped values cannot be archived: no rowid to find them by');

  const forward: RebuildSpec = {
    table: name,
    newName,
    create: rename(to),
    copy: copied(from, to).map((c) => ({
      column: c.to,
      expression: planned.computed.get(c.to) ?? `${old}.${q.ident(c.from)}`,
    })),
    rowid: rowidName(from, to),
    carrySequence: from.autoincrement && to.autoincrement,
    beforeDrop: archive
      ? [
          `CREATE TABLE ${q.table(`${table.schema}.${archive}`)} AS SELECT ${old}.${archiveKey} AS schemapilot_rowid, ${droppedColumns.map((c) => `${old}.${q.ident(c)}`).join(', ')} FROM ${old}`,
        ]
      : [],
    atEnd: [],
    recreate: [...kept.map((i) => i.definition), ...table.triggers.map((t) => t.definition)],
    probeViews: views,
    referenced,
    foreignKeyCheck: checkTables(to),
  };
  const restored = new Set(archive ? droppedColumns : []);
  const archived = archive ? `${q.table(`${table.schema}.${archive}`)} AS schemapilot_archive` : '';
  const backward: RebuildSpec = {
    ...forward,
    create: rename(from),
    copy: [
      ...copied(to, from).map((c) => ({ column: c.to, expression: `${old}.${q.ident(c.from)}` })),
      ...from.columns
        .filter((c) => restored.has(c.name))
        .map((c) => ({ column: c.name, expression: `schemapilot_archive.${q.ident(c.name)}` })),
    ],
    from: archive
      ? `${old} LEFT JOIN ${archived} ON schemapilot_archive.schemapilot_rowid = ${old}.${archiveKey}`
      : undefined,
    rowid: rowidName(to, from),
    beforeDrop: [],
    atEnd: archive ? [`DROP TABLE ${q.table(`${table.schema}.${archive}`)}`] : [],
    recreate: [...indexes.map((i) => i.definition), ...table.triggers.map((t) => t.definition)],
    foreignKeyCheck: checkTables(from),
  };
  if (archive)
    warnings.push(
      `the values of ${droppedColumns.join(', ')} are kept in ${archive} for the rollback; drop it once the rollback is no longer wanted`,
    );

  const lost = droppedColumns.length > 0 && !archive;
  const before = checkTables(from);
  const preChecks: PlanCheck[] = [
    ...planned.preChecks,
    ...(before.length > 0
      ? [
          {
            description: `no row of ${before.join(', ')} breaks a foreign key before the rebuild`,
            sql: `SELECT NOT EXISTS (${before.map((t) => `SELECT 1 FROM pragma_foreign_key_check(${q.literal(t.slice(t.indexOf('.') + 1))}, ${q.literal(t.slice(0, t.indexOf('.')))})`).join(' UNION ALL ')})`,
          },
        ]
      : []),
  ];
  return {
    description: `Rebuild ${table.name} (SQLite's 12-step table rebuild: ${planned.words.join('; ')}): every row copied into a new table in one transaction that holds the database's write lock, then ${kept.length} index(es) and ${table.triggers.length} trigger(s) created again and foreign_key_check run before COMMIT`,
    around: FOREIGN_KEYS_AROUND,
    sql: rebuildStatements(q, forward),
    rollback: rebuildStatements(q, backward),
    reversible: !lost,
    destroysData: lost,
    preChecks,
    postChecks: [
      {
        description: 'foreign_keys is ON again on this connection',
        sql: 'SELECT foreign_keys FROM pragma_foreign_keys',
      },
    ],
    warnings: lost
      ? [
          ...warnings,
          `the values of ${droppedColumns.join(', ')} are gone after the rebuild; its rollback brings the column back with its default (plan with --archive to keep them)`,
        ]
      : warnings,
  };
}
