/**
 * RENAME COLUMN (or CHANGE a b with the same definition) on MySQL/MariaDB, so that old and new
 * code both work while the services roll out:
 *   expand   add b next to a, nullable and without a default; two triggers (BEFORE INSERT,
 *            BEFORE UPDATE) copy every write of either column into the other
 *   backfill copy a into b for existing rows, in batches
 *   expand   each index on a built again on b (in place, writes go on), named <index>__new
 *   contract drop the triggers, a and its indexes; the new indexes take the old names; then b
 *            gets a's definition (NOT NULL, default, comment) in place
 * The rename itself is instant on MySQL 8 and MariaDB; what breaks is every query still naming
 * a, which is why the switch goes through both columns.
 * Not planned (the plain rename is kept, and flagged): a column in the primary key or a foreign
 * key, an AUTO_INCREMENT, generated or ON UPDATE column, or one in a FULLTEXT/SPATIAL or
 * expression index.
 */
import type { Column, Index, Table } from '../../../core/snapshot.js';
import { deliberate } from '../../sql.js';
import type { RecipeContext, RecipeResult, StepDraft } from '../../types.js';
import { backfillStep, columnPin, distinct, IN_PLACE, notNullChecked, onlineSql } from './common.js';

/** The secondary indexes with `column` among their key parts. */
export function indexesOf(t: Table, column: string): Index[] {
  return t.indexes.filter(
    (i) => !i.primary && i.columns.some((p) => p.replace(/(\(\d+\))?( DESC)?$/, '') === column),
  );
}

/** Why the column cannot go through expand/contract; null when it can. */
export function unplannable(ctx: RecipeContext, table: string, t: Table, column: Column): string | null {
  if (t.primaryKey?.columns.includes(column.name)) return 'it is part of the primary key';
  if (
    ctx.factContext
      .referencingForeignKeys(table)
      .some((r) => r.foreignKey.referencedColumns.includes(column.name))
  )
    return 'a foreign key references it';
  if (t.foreignKeys.some((f) => f.columns.includes(column.name))) return 'it is part of a foreign key';
  if (column.identity) return 'it is AUTO_INCREMENT';
  if (column.generated !== null) return 'it is a generated column';
  if (column.onUpdate) return 'it has ON UPDATE';
  return null;
}

export function renameColumn(ctx: RecipeContext, table: string, action: number): RecipeResult | null {
  const { q, sql } = ctx;
  const online = onlineSql(ctx);
  const changes = ctx.clause.changes;
  const rename = changes[0];
  if (rename?.kind !== 'rename column') return null;
  const t = ctx.table(table);
  const old = t?.columns.find((c) => c.name === rename.column);
  if (!t || !old) return null;
  // CHANGE a b <definition>: a rename only when the definition stays the same.
  if (changes.length > 1) {
    const clause = online.columnClause(ctx.statementAst, action);
    if (!clause || !sameDefinition(ctx, old, changes.slice(1))) return null;
  }
  const { column: from, newName: to } = rename;
  if (unplannable(ctx, table, t, old) !== null) return null;
  const indexes = indexesOf(t, from);
  // FULLTEXT and SPATIAL indexes cannot be built without blocking writes.
  if (indexes.some((i) => i.method === 'fulltext' || i.method === 'spatial')) return null;
  const moved = indexes.map((index) => {
    const fresh = sql.names.bounded(index.name, '__new');
    return { index, fresh, add: online.addIndex(q, index, { name: fresh, rename: { from, to } }) };
  });
  if (moved.some((m) => m.add === null)) return null;

  const [a, b] = [q.ident(from), q.ident(to)];
  const full = online.columnDefinition(q, old);
  const loose = online.editDefinition(full, { dropDefault: true, nullable: true });
  // A write from old code sets a, from new code b; the other follows. On INSERT, b left NULL
  // means old code wrote it; on UPDATE, b unchanged means old code did.
  const trigger = sql.triggers.sync(q, {
    table,
    name: sql.names.object(table, [from, to], 'sync'),
    body: [],
    major: ctx.major,
    perEvent: {
      insert: [`NEW.${b} = IF(NEW.${b} IS NULL, NEW.${a}, NEW.${b})`, `NEW.${a} = NEW.${b}`],
      update: [
        `NEW.${b} = IF(${distinct(`NEW.${b}`, `OLD.${b}`)}, NEW.${b}, NEW.${a})`,
        `NEW.${a} = NEW.${b}`,
      ],
    },
  });
  const steps: StepDraft[] = [
    {
      phase: 'expand',
      description: `Add ${to} next to ${from}, nullable and without a default; two triggers copy every write of either column into the other, from old code or new.`,
      sql: [
        online.alter(q, table, [`ADD COLUMN ${b} ${loose} AFTER ${a}`], columnPin(ctx, 'addColumn')),
        ...trigger.create,
      ],
      transactional: false,
      rollback: [...trigger.dropIfExists, online.alter(q, table, [`DROP COLUMN ${b}`], null)],
    },
    backfillStep(
      ctx,
      table,
      [{ column: to, expression: a }],
      distinct(b, a),
      `Copy ${from} into ${to} for existing rows.`,
    ),
    ...moved.map((m): StepDraft => ({
      phase: 'expand',
      description: `Build ${m.fresh} on ${to}, to replace ${m.index.name}: in place, reads and writes go on.`,
      sql: [online.alter(q, table, [m.add ?? ''], IN_PLACE)],
      transactional: false,
      rollback: [online.alter(q, table, [`DROP INDEX ${q.ident(m.fresh)}`], null)],
      long: true,
    })),
  ];
  const contract = [
    ...moved.map((m) => `DROP INDEX ${q.ident(m.index.name)}`),
    `DROP COLUMN ${a}`,
    ...moved.map((m) => `RENAME INDEX ${q.ident(m.fresh)} TO ${q.ident(m.index.name)}`),
  ];
  const restore = [
    `ADD COLUMN ${a} ${online.editDefinition(full, { dropDefault: true, nullable: true })} ${online.positionOf(q, t, from)}`,
    ...moved.map((m) => `RENAME INDEX ${q.ident(m.index.name)} TO ${q.ident(m.fresh)}`),
  ];
  steps.push({
    phase: 'contract',
    description: `Once every service uses ${to}: drop the triggers and ${from}${moved.length > 0 ? `; the indexes on ${to} take the old names` : ''}.`,
    sql: [
      ...trigger.drop,
      deliberate(
        'drop-column',
        `contract step: run once every service uses ${to}`,
        online.alter(q, table, contract, IN_PLACE),
      ),
    ],
    transactional: false,
    // The data lives on in b: a comes back from it, with its definition, indexes and triggers.
    rollback: [
      online.alter(q, table, restore, null),
      `UPDATE ${q.table(table)} SET ${a} = ${b}`,
      online.alter(q, table, [`MODIFY ${a} ${full}`], null),
      ...(indexes.length > 0
        ? [
            online.alter(
              q,
              table,
              indexes.map((i) => online.addIndex(q, i) ?? ''),
              null,
            ),
          ]
        : []),
      ...trigger.create,
    ],
  });
  if (full !== loose)
    steps.push({
      phase: 'contract',
      description: `Give ${to} the definition ${from} had (${full}): in place, reads and writes go on.`,
      sql: [
        old.nullable
          ? online.alter(q, table, [`MODIFY ${b} ${full}`], IN_PLACE)
          : notNullChecked(online.alter(q, table, [`MODIFY ${b} ${full}`], IN_PLACE)),
      ],
      transactional: false,
      rollback: [online.alter(q, table, [`MODIFY ${b} ${loose}`], null)],
      preChecks: old.nullable ? [] : [sql.checks.noNulls(q, table, to)],
      long: true,
    });
  return { steps };
}

/** The Changes after a CHANGE's rename restate the old definition (type, NULL, default). */
function sameDefinition(ctx: RecipeContext, old: Column, rest: RecipeContext['clause']['changes']): boolean {
  const online = onlineSql(ctx);
  return rest.every((c) => {
    switch (c.kind) {
      case 'alter column type':
        return (
          online.sameType(old.type, c.type.sql) && (c.collation === null || c.collation === old.collation)
        );
      case 'set not null':
        return !old.nullable;
      case 'drop not null':
        return old.nullable;
      case 'drop default':
        return old.default === null;
      case 'set default':
        return (
          old.default !== null &&
          old.default.replace(/^\((.*)\)$/s, '$1') === c.default.sql.replace(/^\((.*)\)$/s, '$1')
        );
      default:
        return false;
    }
  });
}
