/**
 * ADD COLUMN. Single step when PostgreSQL adds it from the catalog alone (no default, or a
 * non-volatile default on 11+). Otherwise the column is added empty, the default set for new
 * rows, old rows backfilled in batches, and NOT NULL enforced through a validated CHECK.
 */
import type { ColumnSpec } from '../../core/change.js';
import type { Quoter } from '../../core/rule.js';
import { backfillSpec } from '../sql.js';
import type { RecipeContext, RecipeResult, StepDraft } from '../types.js';
import { notNullSteps } from './not-null.js';

function plainDefinition(q: Quoter, column: ColumnSpec): string {
  const parts = [q.ident(column.name), column.type.sql];
  if (column.collation) parts.push(`COLLATE ${q.ident(column.collation)}`);
  return parts.join(' ');
}

const SERIAL_BASE: Record<string, string> = {
  smallserial: 'smallint',
  serial: 'integer',
  bigserial: 'bigint',
};

export function addColumnRecipe(ctx: RecipeContext): RecipeResult | null {
  const { change, q, sql, options } = ctx;
  if (change.kind !== 'add column' || ctx.isNew(change.table)) return null;
  const { column, table } = change;
  const existing = ctx.table(table);
  const hasRows =
    existing === undefined || (existing.stats.rowEstimate ?? 1) > 0 || existing.stats.tableBytes > 8192;
  const rewrites = ctx.facts.rewritesTable;
  const requiredWithoutDefault =
    column.notNull &&
    !column.default &&
    !column.identity &&
    !column.type.serial &&
    !column.generated &&
    hasRows;
  if (
    !rewrites &&
    !requiredWithoutDefault &&
    !column.references &&
    column.checks.length === 0 &&
    !column.unique &&
    !column.primaryKey
  )
    return null;
  if (column.generated || column.identity) {
    return {
      steps: [],
      warnings: [
        `${table}.${column.name}: ${column.generated ? 'generated' : 'identity'} columns are not planned automatically; the original statement is kept`,
      ],
    };
  }

  const steps: StepDraft[] = [];
  const warnings: string[] = [];
  const colName = q.ident(column.name);
  const base = column.type.serial ? (SERIAL_BASE[column.type.serial] ?? 'bigint') : column.type.sql;
  steps.push({
    phase: 'expand',
    description: `Add ${column.name} as a nullable column with no default: a catalog-only change.`,
    sql: [
      sql.alterTable(
        q,
        table,
        `ADD COLUMN ${column.type.serial ? `${colName} ${base}` : plainDefinition(q, column)}`,
      ),
    ],
    transactional: true,
    rollback: [sql.alterTable(q, table, `DROP COLUMN IF EXISTS ${colName}`)],
  });

  let value: string | null = column.default?.sql ?? null;
  if (column.type.serial) {
    const sequence = sql.names.server(table, [column.name], 'seq');
    const schema = table.slice(0, table.indexOf('.'));
    const seqRef = `${q.ident(schema)}.${q.ident(sequence)}`;
    value = `nextval(${q.literal(seqRef)}::regclass)`;
    steps.push({
      phase: 'expand',
      description: `Create the sequence ${sequence} owned by ${column.name} and make it the default for new rows.`,
      sql: [
        `CREATE SEQUENCE ${seqRef} AS ${base} OWNED BY ${q.table(table)}.${colName}`,
        sql.alterTable(q, table, `ALTER COLUMN ${colName} SET DEFAULT ${value}`),
      ],
      transactional: true,
      rollback: [
        sql.alterTable(q, table, `ALTER COLUMN ${colName} DROP DEFAULT`),
        `DROP SEQUENCE IF EXISTS ${seqRef}`,
      ],
    });
  } else if (value !== null) {
    steps.push({
      phase: 'expand',
      description: `Set the default for new rows only: existing rows keep NULL until the backfill.`,
      sql: [sql.alterTable(q, table, `ALTER COLUMN ${colName} SET DEFAULT ${value}`)],
      transactional: true,
      rollback: [sql.alterTable(q, table, `ALTER COLUMN ${colName} DROP DEFAULT`)],
    });
  }

  if (value !== null && hasRows) {
    const key = sql.batches.key(existing);
    const spec = backfillSpec(
      table,
      key.primaryKey,
      [{ column: column.name, expression: value }],
      `${colName} IS NULL`,
      {
        batchSize: options.batchSize,
        pauseMs: options.batchPauseMs,
      },
    );
    steps.push({
      phase: 'backfill',
      description: `Backfill existing rows in batches of ${options.batchSize}, committing each batch, ${key.primaryKey.length === 1 ? `in ${key.primaryKey[0]} order` : 'by ctid (no single-column primary key)'}.`,
      sql: [sql.batches.backfill(q, spec, key.type, ctx.major)],
      transactional: false,
      rollback: [],
      backfill: spec,
      long: true,
    });
  } else if (requiredWithoutDefault) {
    warnings.push(
      `${table}.${column.name} is NOT NULL without a default: deploy code that writes it and backfill existing rows before the validate steps (their pre-check waits for no NULL)`,
    );
  }

  if (column.notNull) steps.push(...notNullSteps(ctx, table, column.name));
  for (const [i, check] of column.checks.entries()) {
    // The server numbers a column's second and later unnamed CHECKs: _check, _check1, …
    const name = sql.names.server(table, [column.name], i === 0 ? 'check' : `check${i}`);
    steps.push(
      {
        phase: 'expand',
        description: `Add CHECK (${check.sql}) NOT VALID.`,
        sql: [sql.constraints.addNotValid(q, table, name, `CHECK (${check.sql})`)],
        transactional: true,
        rollback: [sql.constraints.drop(q, table, name, { ifExists: true })],
      },
      {
        phase: 'validate',
        description: `Validate the CHECK without blocking traffic.`,
        sql: [sql.constraints.validate(q, table, name)],
        transactional: true,
        rollback: [],
        long: true,
      },
    );
  }
  if (column.references) {
    const name = sql.names.server(table, [column.name], 'fkey');
    const ref = column.references;
    const cols = ref.columns.length > 0 ? ` (${ref.columns.map(q.ident).join(', ')})` : '';
    const actions = `${ref.onDelete !== 'NO ACTION' ? ` ON DELETE ${ref.onDelete}` : ''}${ref.onUpdate !== 'NO ACTION' ? ` ON UPDATE ${ref.onUpdate}` : ''}`;
    steps.push(
      {
        phase: 'expand',
        description: `Add the foreign key NOT VALID: new rows are checked, old ones not yet.`,
        sql: [
          sql.constraints.addNotValid(
            q,
            table,
            name,
            `FOREIGN KEY (${colName}) REFERENCES ${q.table(ref.table)}${cols}${actions}`,
          ),
        ],
        transactional: true,
        rollback: [sql.constraints.drop(q, table, name, { ifExists: true })],
      },
      {
        phase: 'validate',
        description: `Validate the foreign key: SHARE UPDATE EXCLUSIVE here, ROW SHARE on ${ref.table}.`,
        sql: [sql.constraints.validate(q, table, name)],
        transactional: true,
        rollback: [],
        long: true,
      },
    );
  }
  if (column.unique || column.primaryKey) {
    warnings.push(
      `${table}.${column.name}: inline ${column.primaryKey ? 'PRIMARY KEY' : 'UNIQUE'} is planned as a separate unique index; review the constraint name`,
    );
    const name = column.primaryKey
      ? sql.names.server(table, [], 'pkey')
      : sql.names.server(table, [column.name], 'key');
    const schema = table.slice(0, table.indexOf('.'));
    steps.push(
      {
        phase: 'expand',
        description: `Build the unique index concurrently: writes go on.`,
        sql: [sql.indexes.create(q, { table, name, columns: [colName], unique: true, concurrently: true })],
        transactional: false,
        rollback: [
          sql.indexes.drop(`${q.ident(schema)}.${q.ident(name)}`, { concurrently: true, ifExists: true }),
        ],
        long: true,
      },
      {
        phase: 'validate',
        description: `Attach the index as the constraint: a brief ACCESS EXCLUSIVE, no scan.`,
        sql: [sql.constraints.attachIndex(q, table, name, column.primaryKey ? 'PRIMARY KEY' : 'UNIQUE')],
        transactional: true,
        rollback: [sql.constraints.drop(q, table, name, { ifExists: true })],
      },
    );
  }
  return { steps, warnings };
}
addColumnRecipe.dialects = ['postgres'];
