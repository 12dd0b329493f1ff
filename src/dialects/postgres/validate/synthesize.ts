/**
 * Made-up rows for the scratch database of `schemapilot validate`. A migration that runs fine on
 * an empty schema can still fail on real data: `SET NOT NULL` over NULLs, `ADD UNIQUE` over
 * duplicates, `VALIDATE CONSTRAINT` over orphans, `ALTER TYPE ... USING` casts that reject a
 * value. So the scratch copy gets rows before the migration runs, either real ones (sample.ts,
 * the user's opt-in) or these:
 *
 * N made-up rows per table, generated on the server by one
 * `INSERT ... SELECT ... FROM generate_series(1, N)` per table (insert.ts; the values per type in
 * values.ts). Values follow the column types, primary keys and unique columns are distinct,
 * foreign keys point at existing parent rows, enum columns cycle through the labels, text
 * columns limited by `CHECK (c = ANY (ARRAY[...]))` cycle through the listed values. Like real
 * data it is imperfect on purpose (src/validate/data/pattern.ts): every nullable column is NULL
 * in one row of five (offset per column) and every non-unique column repeats a value every
 * fourth row. When the real database's NULL share of a column is known (`readNullFractions`,
 * from pg_stats), synthesis follows it instead: no NULL where the target has none, so a
 * `SET NOT NULL` that is fine on the real data does not fail on the copy.
 *
 * It does not throw because of one table: each table's rows go in under a SAVEPOINT, and a table
 * that cannot be filled is reported with the reason (the SQLSTATE and message of the failure).
 */
import type pg from 'pg';
import type { SynthesizeOptions, TableDataReport } from '../../../core/dialect/validation.js';
import type { ForeignKey, SchemaSnapshot, Table } from '../../../core/snapshot.js';
import { qualifiedName } from '../../../core/snapshot.js';
import {
  findTable,
  insertionOrder,
  isSelfReference,
  tableKey,
  type DeferredForeignKey,
} from '../../../validate/data/insertion-order.js';
import { checkRowCount, NULL_PERIOD, nullPeriods, type NullPeriods } from '../../../validate/data/pattern.js';
import { quoteIdent } from '../quote.js';
import { attempt, partitionReport, qn, refreshMaterializedViews } from './data-sql.js';
import { buildInsert, uniqueColumns, type PlannedForeignKey, type Strategy } from './insert.js';
import { describeColumns, TypeCatalog } from './values.js';

export type { NullFraction, SynthesizeOptions, TableDataReport } from '../../../core/dialect/validation.js';

/**
 * Insert `rowsPerTable` synthetic rows into every table of the snapshot, parents before children,
 * consistent with primary keys, unique constraints, NOT NULL, foreign keys and enum types.
 *
 * - Identity, serial and generated columns take their defaults / expressions.
 * - Foreign keys: row i of the child references parent row ((i - 1) % parentRows) + 1 in key
 *   order (when two foreign keys make up a unique key, the second advances once per round of the
 *   first, so the key's combinations stay distinct). A nullable foreign key is NULL in
 *   one row of five, like any nullable column. Self-references are filled after the insert
 *   (each row points at the previous one, every fifth row is a root); a NOT NULL self-reference
 *   points at its own row.
 * - `options.nullFraction` (the target's real NULL share per column, e.g. `readNullFractions`):
 *   a column whose share is 0 gets no NULL at all (a self-reference's first row then points at
 *   itself instead of being a root); a share f > 0 gives NULL in one row of round(1 / f), but no
 *   more often than one row of five, and in at least one row, so a real NULL shows up on the
 *   copy. A column it knows nothing about (undefined) keeps the one row of five. A foreign key
 *   over several columns follows the column with the smallest share. Cycles between tables are broken at a nullable foreign key, filled
 *   once both sides have rows; a cycle through NOT NULL columns only skips a table.
 * - A failed insert (a CHECK the generated values miss, a partitioned table without a partition
 *   for the values, a trigger...) is retried with column defaults instead of generated values and
 *   with NULL in nullable columns named by a CHECK, then with defaults and no NULLs at all; if all
 *   three fail the table is reported as skipped with the first failure's SQLSTATE and message.
 *   A partitioned table whose partitions do not cover the generated keys (dates from 2024-01-01,
 *   integers from 1) is skipped that way too.
 * - Materialized views are refreshed at the end and reported too.
 *
 * Runs in its own transaction (BEGIN ... COMMIT), so `client` must not be inside one, and
 * finishes with ANALYZE of the filled tables so the planner statistics match the data.
 */
export async function synthesizeRows(
  client: pg.Client,
  snapshot: SchemaSnapshot,
  rowsPerTable: number,
  options: SynthesizeOptions = {},
): Promise<TableDataReport[]> {
  const n = checkRowCount(rowsPerTable);
  const reports = new Map<string, TableDataReport>();
  const types = new TypeCatalog(client);
  const nulls = nullPeriods(options.nullFraction, n);
  const order = insertionOrder(snapshot);

  await client.query('BEGIN');
  try {
    for (const step of order.steps) {
      const key = tableKey(step.table);
      if (step.skipped !== undefined) {
        reports.set(key, { table: key, rows: 0, skipped: step.skipped });
        continue;
      }
      reports.set(key, await synthesizeTable(client, snapshot, step.table, order.deferred, types, n, nulls));
    }
    // Foreign keys left NULL to break a cycle: both sides have rows now.
    for (const { table, fk } of order.deferred) {
      if (reports.get(tableKey(table))?.skipped === undefined)
        await fillForeignKeyLater(client, snapshot, table, fk, nulls.ofGroup(table, fk.columns));
    }
    for (const t of snapshot.tables) {
      if (t.partitionOf === null) continue;
      reports.set(tableKey(t), await partitionReport(client, t));
    }
    const views = await refreshMaterializedViews(client, snapshot.views);
    for (const t of snapshot.tables) {
      const r = reports.get(tableKey(t));
      if (r && r.rows > 0 && t.partitionOf === null) await client.query(`ANALYZE ${qn(t.schema, t.name)}`);
    }
    await client.query('COMMIT');
    return [...snapshot.tables.map((t) => reports.get(tableKey(t))).filter((r) => r !== undefined), ...views];
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

const STRATEGIES: readonly Strategy[] = [
  { useDefaults: false, nulls: 'share' },
  { useDefaults: true, nulls: 'checked' },
  { useDefaults: true, nulls: 'none' },
];

async function synthesizeTable(
  client: pg.Client,
  snapshot: SchemaSnapshot,
  table: Table,
  deferred: readonly DeferredForeignKey[],
  types: TypeCatalog,
  n: number,
  nulls: NullPeriods,
): Promise<TableDataReport> {
  const key = tableKey(table);
  if (n === 0) return { table: key, rows: 0 };
  const described = await attempt(client, () => describeColumns(client, table, types));
  if (!described.ok)
    return { table: key, rows: 0, skipped: `cannot read the column types: ${described.error}` };

  const fks: PlannedForeignKey[] = [];
  const unique = uniqueColumns(table);
  let stride = 1;
  for (const fk of table.foreignKeys) {
    const self = fk.referencedSchema === table.schema && fk.referencedTable === table.name;
    const nullable = fk.columns.every((c) => table.columns.find((x) => x.name === c)?.nullable ?? false);
    if (self) {
      fks.push({ fk, mode: nullable ? 'later' : 'own-row', nullable });
      continue;
    }
    if (deferred.some((d) => d.fk === fk && d.table === table)) {
      fks.push({ fk, mode: 'later', nullable });
      continue;
    }
    const count = await parentKeyCount(client, snapshot, fk);
    if (count === 0) {
      if (!nullable) {
        return {
          table: key,
          rows: 0,
          skipped: `foreign key ${fk.name}: the referenced table ${qualifiedName(fk.referencedSchema, fk.referencedTable)} has no rows`,
        };
      }
      fks.push({ fk, mode: 'later', nullable, parentless: true });
      continue;
    }
    // Foreign keys inside a unique key advance one after the other (odometer), so the key's
    // combinations stay distinct; any other foreign key simply cycles through the parent rows.
    const inKey = fk.columns.every((c) => unique.has(c));
    fks.push({ fk, mode: 'join', nullable, count, stride: inKey ? stride : 1, alias: `_fk${fks.length}` });
    if (inKey) stride = stride * count > n ? 1 : stride * count;
  }

  let firstError: string | undefined;
  for (const strategy of STRATEGIES) {
    const built = buildInsert(snapshot, table, described.value, fks, strategy, n, nulls);
    if ('skip' in built) return { table: key, rows: 0, skipped: built.skip };
    const result = await attempt(client, async () => {
      const inserted = await client.query(built.sql);
      for (const p of fks) {
        if (p.mode === 'later' && p.parentless !== true && isSelfReference(table, p.fk))
          await fillForeignKeyLater(client, snapshot, table, p.fk, nulls.ofGroup(table, p.fk.columns));
      }
      return inserted.rowCount ?? 0;
    });
    if (result.ok) return { table: key, rows: result.value };
    firstError ??= result.error;
  }
  return { table: key, rows: 0, skipped: `insert failed: ${firstError ?? 'unknown error'}` };
}

/**
 * Fill a foreign key inserted as NULL: row k (in physical order) of the child references parent
 * row ((k - 1) % parentRows) + 1 in key order, a self-reference references the previous row;
 * one row of `period` (every fifth by default, the first one included) stays NULL (roots of a
 * tree). With `period` null no row stays NULL: a self-reference's first row references itself.
 * In its own savepoint: a failure leaves NULLs.
 */
async function fillForeignKeyLater(
  client: pg.Client,
  snapshot: SchemaSnapshot,
  table: Table,
  fk: ForeignKey,
  period: number | null = NULL_PERIOD,
): Promise<void> {
  const self = isSelfReference(table, fk);
  const child = qn(table.schema, table.name);
  const parentTable = findTable(snapshot, fk.referencedSchema, fk.referencedTable);
  const parent = `${parentTable?.kind === 'table' ? 'ONLY ' : ''}${qn(fk.referencedSchema, fk.referencedTable)}`;
  const refs = fk.referencedColumns.map(quoteIdent);
  await attempt(client, async () => {
    const count = self ? 0 : await parentKeyCount(client, snapshot, fk);
    if (!self && count === 0) return;
    const pick = self
      ? period === null
        ? 'p.rn = greatest(k.rn - 1, 1)'
        : 'p.rn = k.rn - 1'
      : `p.rn = (k.rn - 1) % ${count} + 1`;
    const roots = period === null ? '' : ` AND k.rn % ${period} <> ${1 % period}`;
    const order = self ? 'ctid' : refs.join(', ');
    await client.query(
      `UPDATE ${table.kind === 'table' ? 'ONLY ' : ''}${child} AS c SET ${fk.columns.map((col, i) => `${quoteIdent(col)} = p.k${i}`).join(', ')} ` +
        `FROM (SELECT ctid AS tid, row_number() OVER (ORDER BY ctid) AS rn FROM ${table.kind === 'table' ? 'ONLY ' : ''}${child}) AS k, ` +
        `(SELECT ${refs.map((r, i) => `${r} AS k${i}`).join(', ')}, row_number() OVER (ORDER BY ${order}) AS rn FROM ${parent} ` +
        `WHERE ${refs.map((r) => `${r} IS NOT NULL`).join(' AND ')}) AS p ` +
        `WHERE c.ctid = k.tid${roots} AND ${pick}`,
    );
  });
}

async function parentKeyCount(client: pg.Client, snapshot: SchemaSnapshot, fk: ForeignKey): Promise<number> {
  const parent = findTable(snapshot, fk.referencedSchema, fk.referencedTable);
  const from = `${parent?.kind === 'table' ? 'ONLY ' : ''}${qn(fk.referencedSchema, fk.referencedTable)}`;
  const where = fk.referencedColumns.map((c) => `${quoteIdent(c)} IS NOT NULL`).join(' AND ');
  const result = await attempt(client, () =>
    client.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${from} WHERE ${where}`),
  );
  return result.ok ? (result.value.rows[0]?.n ?? 0) : 0;
}
