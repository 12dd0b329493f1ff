/**
 * Data for the scratch database of `schemapilot validate`. A migration that runs fine on an empty
 * schema can still fail on real data: `SET NOT NULL` over NULLs, `ADD UNIQUE` over duplicates,
 * `VALIDATE CONSTRAINT` over orphans, `ALTER TYPE ... USING` casts that reject a value. So the
 * scratch copy gets rows before the migration runs, in one of two ways:
 *
 * - `synthesizeRows`: N made-up rows per table, generated on the server by one
 *   `INSERT ... SELECT ... FROM generate_series(1, N)` per table. Values follow the column types,
 *   primary keys and unique columns are distinct, foreign keys point at existing parent rows,
 *   enum columns cycle through the labels, text columns limited by `CHECK (c = ANY (ARRAY[...]))`
 *   cycle through the listed values. Like real data it is imperfect on purpose: every nullable
 *   column is NULL in one row of five (offset per column) and every non-unique column repeats a
 *   value every fourth row, which is what makes `SET NOT NULL` and `ADD UNIQUE` fail on the copy.
 *   When the real database's NULL share of a column is known (`readNullFractions`, from
 *   pg_stats), synthesis follows it instead: no NULL where the target has none, so a
 *   `SET NOT NULL` that is fine on the real data does not fail on the copy.
 * - `copySampleRows`: up to N real rows per table from the source database, an explicit opt-in of
 *   the user (the rows leave the source server).
 *
 * Neither throws because of one table: each table's rows go in under a SAVEPOINT, and a table
 * that cannot be filled is reported with the reason (the SQLSTATE and message of the failure).
 */
import type pg from 'pg';
import type { Column, ForeignKey, SchemaSnapshot, Table, View } from '../../../core/snapshot.js';
import { qualifiedName } from '../../../core/snapshot.js';
import { quoteIdent, quoteLiteral } from '../quote.js';
import { viewsInDependencyOrder } from './clone.js';

/**
 * The real NULL share (0..1) of a column of the target, `table` being `schema.name` (unquoted);
 * undefined when it is not known (no statistics).
 */
export type NullFraction = (table: string, column: string) => number | undefined;

export interface SynthesizeOptions {
  /** Follow the target's NULL share per column (see `readNullFractions`); unknown: one row of five. */
  nullFraction?: NullFraction;
}

export interface TableDataReport {
  /** `schema.name`, unquoted (also used for refreshed materialized views). */
  table: string;
  /** Rows the table holds afterwards (for a partition: rows routed to it through its parent). */
  rows: number;
  /** Set when the table got no rows: why (for a failed insert, its SQLSTATE and message). */
  skipped?: string;
}

/**
 * Every nullable column is NULL in one row out of NULL_PERIOD (which row depends on the column),
 * unless the target's real NULL share is known: then one row out of round(1 / share), never more
 * often than one out of NULL_PERIOD, and never for a share of 0.
 */
const NULL_PERIOD = 5;
/** Non-unique columns repeat the previous row's value every DUPLICATE_PERIOD rows. */
const DUPLICATE_PERIOD = 4;
/** Rows per INSERT statement when copying (also bounded by the 65535 parameters of a statement). */
const COPY_BATCH_ROWS = 500;
const SAVEPOINT = 'schemapilot_data';

const qn = (schema: string, name: string) => `${quoteIdent(schema)}.${quoteIdent(name)}`;
const tableKey = (t: { schema: string; name: string }) => qualifiedName(t.schema, t.name);

// ---------------------------------------------------------------------------------------------
// synthesizeRows
// ---------------------------------------------------------------------------------------------

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

/**
 * The real NULL share of every column of `source` that has planner statistics, for
 * `synthesizeRows(..., { nullFraction })`: one query on pg_catalog.pg_stats (user schemas), inside
 * `BEGIN READ ONLY` ... `COMMIT`, so the source (the user's live database) is only read.
 *
 * - Statistics exist only for tables that were analysed (ANALYZE or autovacuum) and columns the
 *   user may read; for any other column the function returns undefined (synthesis then keeps its
 *   default share). For a partitioned or inheritance parent the whole tree's statistics are used.
 * - null_frac is an estimate from a sample of the table (30000 rows by default). A column with
 *   rare NULLs can be reported as exactly 0: it is taken as 0, so the synthesized copy has no
 *   NULL there and a `SET NOT NULL` passes validation that would fail on the real data. Up to
 *   date statistics narrow this; `--sample-rows` (real rows) or a real count closes it.
 *
 * `source` must not be inside a transaction.
 */
export async function readNullFractions(source: pg.Client): Promise<NullFraction> {
  await source.query('BEGIN READ ONLY');
  let rows: { schema: string; table: string; column: string; null_frac: number | null }[];
  try {
    ({ rows } = await source.query<{
      schema: string;
      table: string;
      column: string;
      null_frac: number | null;
    }>(
      `SELECT DISTINCT ON (schemaname, tablename, attname)
              schemaname::text AS schema, tablename::text AS table, attname::text AS column,
              null_frac::float8 AS null_frac
         FROM pg_catalog.pg_stats
        WHERE schemaname NOT LIKE 'pg\\_%' AND schemaname <> 'information_schema'
        ORDER BY schemaname, tablename, attname, inherited DESC`,
    ));
    await source.query('COMMIT');
  } catch (error) {
    await source.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
  const byTable = new Map<string, Map<string, number>>();
  for (const r of rows) {
    const f = r.null_frac === null ? NaN : Number(r.null_frac);
    if (!Number.isFinite(f)) continue;
    const key = qualifiedName(r.schema, r.table);
    const columns = byTable.get(key) ?? new Map<string, number>();
    columns.set(r.column, Math.min(1, Math.max(0, f)));
    byTable.set(key, columns);
  }
  return (table, column) => byTable.get(table)?.get(column);
}

/**
 * How often a column is NULL: a period p (NULL in the rows i with i % p = the column's offset),
 * or null for never. From the target's NULL share when known, else NULL_PERIOD.
 */
interface NullPeriods {
  of(table: Table, column: string): number | null;
  /** A multi-column foreign key is NULL as a whole: the period of its rarest-NULL column. */
  ofGroup(table: Table, columns: readonly string[]): number | null;
}

function nullPeriods(nullFraction: NullFraction | undefined, n: number): NullPeriods {
  const of = (table: Table, column: string): number | null => {
    const f = nullFraction?.(tableKey(table), column);
    if (f === undefined || !Number.isFinite(f)) return NULL_PERIOD;
    if (f <= 0) return null;
    // Share f, but no more often than today's one row of NULL_PERIOD, and at least once in n
    // rows (a period of at most n covers every offset).
    return Math.max(1, Math.min(n, Math.max(NULL_PERIOD, Math.round(1 / f))));
  };
  return {
    of,
    ofGroup(table, columns) {
      const periods = columns.map((c) => of(table, c));
      if (periods.length === 0) return NULL_PERIOD;
      if (periods.includes(null)) return null;
      return Math.max(...periods.filter((p): p is number => p !== null));
    },
  };
}

/** How one attempt generates values. */
interface Strategy {
  /** Columns with a default take it (unique columns excepted: a constant default repeats). */
  useDefaults: boolean;
  /** share: nullable columns NULL in one row of five; checked: also always NULL when a CHECK names them; none: no NULLs. */
  nulls: 'share' | 'checked' | 'none';
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

type PlannedForeignKey =
  /** Join the parent's keys by row number. */
  | { fk: ForeignKey; mode: 'join'; nullable: boolean; count: number; stride: number; alias: string }
  /** NULL on insert, filled afterwards (self-reference, cycle) or never (`parentless`: no parent rows). */
  | { fk: ForeignKey; mode: 'later'; nullable: boolean; parentless?: boolean }
  /** NOT NULL self-reference: each row references itself. */
  | { fk: ForeignKey; mode: 'own-row'; nullable: boolean };

interface DescribedColumn {
  column: Column;
  /** Position among the table's columns (offsets the NULL pattern). */
  index: number;
  /** The column type as the server spells it (format_type), for the final cast. */
  sqlType: string;
  shape: TypeShape;
}

function buildInsert(
  snapshot: SchemaSnapshot,
  table: Table,
  columns: readonly DescribedColumn[],
  fks: readonly PlannedForeignKey[],
  strategy: Strategy,
  n: number,
  nulls: NullPeriods,
): { sql: string } | { skip: string } {
  const unique = uniqueColumns(table);
  const nullsNotDistinct = new Set(
    table.uniqueConstraints.filter((u) => /NULLS NOT DISTINCT/i.test(u.definition)).flatMap((u) => u.columns),
  );
  const checked = new Set(
    columns
      .filter((c) => table.checkConstraints.some((k) => mentions(k.definition, c.column.name)))
      .map((c) => c.column.name),
  );
  const listed = checkListedValues(table);
  const digits = String(2 * n + 2).length;

  const base = new Map<string, string | null>(); // value without the NULL pattern; null: no generator
  for (const c of columns) {
    const k = unique.has(c.column.name) ? 'g.i' : `(g.i - (g.i % ${DUPLICATE_PERIOD} = 0)::int)`;
    const list = unique.has(c.column.name) ? undefined : listed.get(c.column.name);
    const expr =
      list !== undefined
        ? `(ARRAY[${list.map(quoteLiteral).join(', ')}])[((${k}) - 1) % ${list.length} + 1]`
        : generate(c.shape, k, {
            label: c.column.name,
            uuidLabel: `${tableKey(table)}.${c.column.name}`,
            digits,
          });
    base.set(c.column.name, expr === null ? null : `(${expr})::${c.sqlType}`);
  }

  const names: string[] = [];
  const values: string[] = [];
  const joins: string[] = [];
  const handled = new Set<string>();
  const nullPattern = (index: number, period: number | null, expr: string) =>
    period === null ? expr : `CASE WHEN g.i % ${period} = ${index % period} THEN NULL ELSE ${expr} END`;
  const columnIndex = (name: string) => columns.find((c) => c.column.name === name)?.index ?? 0;

  for (const p of fks) {
    const fresh = p.fk.columns.filter((c) => !handled.has(c));
    if (fresh.length === 0) continue;
    if (p.mode === 'join') {
      const parent = findTable(snapshot, p.fk.referencedSchema, p.fk.referencedTable);
      const from = `${parent?.kind === 'table' ? 'ONLY ' : ''}${qn(p.fk.referencedSchema, p.fk.referencedTable)}`;
      const refs = p.fk.referencedColumns.map(quoteIdent);
      joins.push(
        `LEFT JOIN (SELECT ${refs.map((r, i) => `${r} AS k${i}`).join(', ')}, row_number() OVER (ORDER BY ${refs.join(', ')}) AS rn ` +
          `FROM ${from} WHERE ${refs.map((r) => `${r} IS NOT NULL`).join(' AND ')}) AS ${p.alias} ` +
          `ON ${p.alias}.rn = ((g.i - 1) / ${p.stride}) % ${p.count} + 1`,
      );
      p.fk.columns.forEach((c, i) => {
        if (handled.has(c)) return;
        const expr = `${p.alias}.k${i}`;
        names.push(c);
        values.push(
          p.nullable && strategy.nulls !== 'none'
            ? nullPattern(columnIndex(p.fk.columns[0] ?? c), nulls.ofGroup(table, p.fk.columns), expr)
            : expr,
        );
        handled.add(c);
      });
    } else if (p.mode === 'later') {
      for (const c of fresh) {
        names.push(c);
        values.push('NULL');
        handled.add(c);
      }
    } else {
      for (const [i, c] of p.fk.columns.entries()) {
        if (handled.has(c)) continue;
        const ref = p.fk.referencedColumns[i];
        const refColumn = table.columns.find((x) => x.name === ref);
        const expr = ref === undefined ? undefined : base.get(ref);
        if (
          !refColumn ||
          expr === null ||
          expr === undefined ||
          refColumn.generated ||
          refColumn.identity ||
          isSerial(refColumn)
        )
          return {
            skip: `foreign key ${p.fk.name}: a NOT NULL self-reference to ${ref ?? '?'}, whose values are not generated here`,
          };
        names.push(c);
        values.push(expr);
        handled.add(c);
      }
    }
  }

  for (const c of columns) {
    const col = c.column;
    if (handled.has(col.name) || col.generated !== null || col.identity !== null || isSerial(col)) continue;
    if (strategy.useDefaults && col.default !== null && !unique.has(col.name)) continue;
    const nullable = col.nullable && !nullsNotDistinct.has(col.name);
    const period = nulls.of(table, col.name);
    const expr = base.get(col.name) ?? null;
    if (expr === null) {
      // No generator: NULL, or the default when the target has no NULL in the column.
      if (col.nullable && !(period === null && col.default !== null)) {
        names.push(col.name);
        values.push('NULL');
      } else if (col.default === null) {
        return { skip: `column ${col.name}: no value generator for type ${c.sqlType} and no default` };
      }
      continue;
    }
    names.push(col.name);
    if (nullable && strategy.nulls === 'checked' && checked.has(col.name) && period !== null)
      values.push('NULL');
    else if (nullable && strategy.nulls !== 'none') values.push(nullPattern(c.index, period, expr));
    else values.push(expr);
  }

  const target = qn(table.schema, table.name);
  const list = names.length > 0 ? ` (${names.map(quoteIdent).join(', ')})` : '';
  return {
    sql: `INSERT INTO ${target}${list} SELECT ${values.join(', ')} FROM generate_series(1, ${n}) AS g(i)${joins.map((j) => ` ${j}`).join('')}`,
  };
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

async function partitionReport(client: pg.Client, t: Table): Promise<TableDataReport> {
  const key = tableKey(t);
  const counted = await attempt(client, () =>
    client.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${qn(t.schema, t.name)}`),
  );
  const rows = counted.ok ? (counted.value.rows[0]?.n ?? 0) : 0;
  return rows > 0
    ? { table: key, rows }
    : {
        table: key,
        rows: 0,
        skipped: `partition of ${t.partitionOf ?? '?'}: rows go in through the parent, none landed here`,
      };
}

async function refreshMaterializedViews(
  client: pg.Client,
  views: readonly View[],
): Promise<TableDataReport[]> {
  const out: TableDataReport[] = [];
  for (const v of viewsInDependencyOrder(views)) {
    if (!v.materialized) continue;
    const name = qn(v.schema, v.name);
    const result = await attempt(client, async () => {
      await client.query(`REFRESH MATERIALIZED VIEW ${name}`);
      return (await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${name}`)).rows[0]?.n ?? 0;
    });
    out.push(
      result.ok
        ? { table: tableKey(v), rows: result.value }
        : { table: tableKey(v), rows: 0, skipped: `refresh failed: ${result.error}` },
    );
  }
  return out;
}

/** Columns that must be distinct per row: primary key, unique constraints and indexes, exclusion constraints. */
function uniqueColumns(table: Table): Set<string> {
  const out = new Set<string>(table.primaryKey?.columns ?? []);
  for (const u of table.uniqueConstraints) for (const c of u.columns) out.add(c);
  for (const i of table.indexes) if (i.unique) for (const c of i.columns) out.add(c);
  for (const x of table.exclusionConstraints) {
    for (const c of table.columns) if (mentions(x.definition, c.name)) out.add(c.name);
  }
  return out;
}

/** Whether an expression printed by the server names the column (quoted as the server would). */
function mentions(definition: string, column: string): boolean {
  const q = quoteIdent(column);
  if (q.startsWith('"')) return definition.includes(q);
  return new RegExp(`(^|[^A-Za-z0-9_$."])${q.replace(/\$/g, '\\$')}($|[^A-Za-z0-9_$"])`).test(definition);
}

/**
 * `CHECK (status = ANY (ARRAY['a'::text, 'b'::text]))` (how the server prints `status IN ('a', 'b')`)
 * limits a column to a list: generated values cycle through it.
 */
function checkListedValues(table: Table): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const pattern =
    /\(*("(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_$]*)\)*(?:::[A-Za-z ]+(?:\(\d+\))?)?\s*=\s*ANY\s*\(\(*ARRAY\[((?:'(?:[^']|'')*'(?:::[A-Za-z ]+(?:\(\d+\))?)?(?:\s*,\s*)?)+)\]/g;
  for (const check of table.checkConstraints) {
    for (const m of check.definition.matchAll(pattern)) {
      const [, ident, list] = m;
      if (ident === undefined || list === undefined) continue;
      const name = ident.startsWith('"') ? ident.slice(1, -1).replace(/""/g, '"') : ident;
      if (!table.columns.some((c) => c.name === name) || out.has(name)) continue;
      const values = [...list.matchAll(/'((?:[^']|'')*)'/g)].map((v) => (v[1] ?? '').replace(/''/g, "'"));
      if (values.length > 0) out.set(name, values);
    }
  }
  return out;
}

function isSerial(c: Column): boolean {
  return c.default !== null && /^nextval\(/i.test(c.default);
}

function isSelfReference(table: Table, fk: ForeignKey): boolean {
  return fk.referencedSchema === table.schema && fk.referencedTable === table.name;
}

function findTable(snapshot: SchemaSnapshot, schema: string, name: string): Table | undefined {
  return snapshot.tables.find((t) => t.schema === schema && t.name === name);
}

// ---------------------------------------------------------------------------------------------
// Value generators
// ---------------------------------------------------------------------------------------------

/** A column type reduced to what value generation needs (domains resolved to their base type). */
type TypeShape =
  | { kind: 'base'; name: string; category: string; builtin: boolean; typmod: number; sql: string }
  | { kind: 'enum'; labels: string[]; sql: string }
  | { kind: 'array'; element: TypeShape; sql: string }
  | { kind: 'range'; subtype: TypeShape; sql: string }
  | { kind: 'other'; sql: string };

interface GenerateContext {
  /** Column name: prefix of text values. */
  label: string;
  /** `schema.table.column`: makes uuids differ between columns. */
  uuidLabel: string;
  /** Digits of the largest key, to fit text values into varchar(n). */
  digits: number;
}

/**
 * A SQL expression of the value for key `k` (a SQL expression >= 1), or null when the type has
 * no generator. The caller casts it to the column type. Distinct keys give distinct values
 * (within the limits of the type: a boolean has two, smallint wraps at 32767).
 */
function generate(shape: TypeShape, k: string, ctx: GenerateContext): string | null {
  switch (shape.kind) {
    case 'enum':
      return shape.labels.length === 0
        ? null
        : `(ARRAY[${shape.labels.map(quoteLiteral).join(', ')}])[((${k}) - 1) % ${shape.labels.length} + 1]`;
    case 'array': {
      const a = generate(shape.element, k, ctx);
      const b = generate(shape.element, `(${k}) + 1`, ctx);
      return a === null || b === null
        ? null
        : `ARRAY[(${a})::${shape.element.sql}, (${b})::${shape.element.sql}]`;
    }
    case 'range': {
      // Non-overlapping: [v(2k), v(2k+1)), so exclusion constraints with && hold.
      const lo = generate(shape.subtype, `2 * (${k})`, ctx);
      const hi = generate(shape.subtype, `2 * (${k}) + 1`, ctx);
      if (lo === null || hi === null) return null;
      const s = shape.subtype.sql;
      return `'["' || ((${lo})::${s})::text || '","' || ((${hi})::${s})::text || '")'`;
    }
    case 'other':
      return null;
    case 'base':
      return generateBase(shape, k, ctx);
  }
}

function generateBase(
  shape: Extract<TypeShape, { kind: 'base' }>,
  k: string,
  ctx: GenerateContext,
): string | null {
  const { typmod } = shape;
  const name = shape.builtin ? shape.name : '';
  switch (name) {
    case 'int2':
      return `((${k}) - 1) % 32767 + 1`;
    case 'int4':
    case 'int8':
    case 'oid':
      return k;
    case 'numeric':
      return numericValue(k, typmod);
    case 'float4':
    case 'float8':
      return `(${k}) * 1.5`;
    case 'money':
      return `((${k}) * 1.25)::numeric`;
    case 'text':
    case 'name':
      return textValue(k, ctx, null);
    case 'varchar':
    case 'bpchar':
      return textValue(k, ctx, typmod > 4 ? typmod - 4 : null);
    case 'char':
      return `chr(65 + ((${k}) % 26)::int)`;
    case 'bool':
      return `(${k}) % 2 = 0`;
    case 'date':
      return `date '2024-01-01' + (${k})::int`;
    case 'timestamp':
      return `timestamp '2024-01-01 00:00:00' + (${k}) * interval '1 hour'`;
    case 'timestamptz':
      return `timestamptz '2024-01-01 00:00:00+00' + (${k}) * interval '1 hour'`;
    case 'time':
    case 'timetz':
      return `time '00:00:00' + ((${k}) % 86400) * interval '1 second'`;
    case 'interval':
      return `(${k}) * interval '1 minute'`;
    case 'uuid':
      return `md5(${quoteLiteral(`${ctx.uuidLabel}:`)} || (${k}))::uuid`;
    case 'json':
      return `json_build_object('n', ${k}, 'label', ${quoteLiteral(`${safeLabel(ctx.label)}_`)} || (${k}))`;
    case 'jsonb':
      return `jsonb_build_object('n', ${k}, 'label', ${quoteLiteral(`${safeLabel(ctx.label)}_`)} || (${k}))`;
    case 'bytea':
      return `decode(lpad(to_hex((${k})::bigint), 16, '0'), 'hex')`;
    case 'inet':
    case 'cidr':
      return `'10.' || ((${k}) / 65536 % 256) || '.' || ((${k}) / 256 % 256) || '.' || ((${k}) % 256)${name === 'cidr' ? ` || '/32'` : ''}`;
    case 'macaddr':
      return `lpad(to_hex((${k})::bigint), 12, '0')`;
    case 'macaddr8':
      return `lpad(to_hex((${k})::bigint), 16, '0')`;
    case 'bit':
    case 'varbit': {
      const length = typmod > 0 ? typmod : 32;
      return `lpad(right(((${k})::bigint)::bit(64)::text, ${Math.min(length, 64)}), ${length}, '0')`;
    }
    case 'xml':
      return `'<v>' || (${k}) || '</v>'`;
    case 'tsvector':
      return `${quoteLiteral(`${safeLabel(ctx.label)}_`)} || (${k})`;
    case 'point':
      return `point((${k})::float8, (${k})::float8)`;
  }
  // Types from extensions (citext...) by category: strings and numbers take a text or a number.
  if (shape.category === 'S') return textValue(k, ctx, null);
  if (shape.category === 'N') return k;
  return null;
}

/** `name_17`; for varchar(n) the prefix shrinks so the number (which keeps values distinct) fits. */
function textValue(k: string, ctx: GenerateContext, limit: number | null): string {
  const label = safeLabel(ctx.label);
  if (limit === null) return `${quoteLiteral(`${label}_`)} || (${k})`;
  const room = limit - ctx.digits;
  if (room < 0) return `right((${k})::text, ${limit})`;
  if (room < 2) return `(${k})::text`;
  return `${quoteLiteral(`${label.slice(0, room - 1)}_`)} || (${k})`;
}

function safeLabel(label: string): string {
  const cleaned = label.replace(/[^A-Za-z0-9_]/g, '').slice(0, 30);
  return cleaned === '' ? 'v' : cleaned;
}

/** Positive values that fit numeric(p, s): 1.25, 2.25, ... wrapping below 10^(p-s). */
function numericValue(k: string, typmod: number): string | null {
  if (typmod < 4) return `(${k}) + 0.25`;
  const precision = ((typmod - 4) >> 16) & 0xffff;
  let scale = (typmod - 4) & 0x7ff;
  if (scale & 0x400) scale -= 0x800; // negative scales (PostgreSQL 15+)
  const integerDigits = precision - scale;
  if (integerDigits < 1) return null;
  const max = 10 ** Math.min(integerDigits, 15) - 1;
  const fraction = scale >= 2 ? ' + 0.25' : scale === 1 ? ' + 0.5' : '';
  return `((${k}) - 1) % ${max} + 1${fraction}`;
}

/** Type descriptions read from the target's catalog (domains, enums, arrays, ranges), cached by oid and typmod. */
class TypeCatalog {
  private readonly cache = new Map<string, Promise<TypeShape>>();
  constructor(private readonly client: pg.Client) {}

  describe(oid: number, typmod: number, depth = 0): Promise<TypeShape> {
    const key = `${oid}/${typmod}`;
    let shape = this.cache.get(key);
    if (!shape) {
      shape = this.load(oid, typmod, depth);
      this.cache.set(key, shape);
    }
    return shape;
  }

  private async load(oid: number, typmod: number, depth: number): Promise<TypeShape> {
    const { rows } = await this.client.query<{
      typname: string;
      nspname: string;
      typtype: string;
      typcategory: string;
      typelem: number;
      typbasetype: number;
      typtypmod: number;
      sql: string;
      labels: string[] | null;
      subtype: number | null;
    }>(
      `SELECT t.typname::text AS typname, n.nspname::text AS nspname, t.typtype::text AS typtype,
              t.typcategory::text AS typcategory, t.typelem::int AS typelem, t.typbasetype::int AS typbasetype,
              t.typtypmod, format_type(t.oid, $2) AS sql,
              (SELECT array_agg(e.enumlabel::text ORDER BY e.enumsortorder) FROM pg_catalog.pg_enum e WHERE e.enumtypid = t.oid) AS labels,
              (SELECT r.rngsubtype::int FROM pg_catalog.pg_range r WHERE r.rngtypid = t.oid) AS subtype
         FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
        WHERE t.oid = $1`,
      [oid, typmod < 0 ? null : typmod],
    );
    const t = rows[0];
    if (!t || depth > 8) return { kind: 'other', sql: t?.sql ?? 'unknown' };
    if (t.typtype === 'd') {
      const base = await this.describe(t.typbasetype, t.typtypmod, depth + 1);
      return { ...base, sql: t.sql } as TypeShape;
    }
    if (t.typtype === 'e') return { kind: 'enum', labels: t.labels ?? [], sql: t.sql };
    if (t.typtype === 'r' && t.subtype !== null)
      return { kind: 'range', subtype: await this.describe(t.subtype, -1, depth + 1), sql: t.sql };
    if (t.typcategory === 'A' && t.typelem !== 0)
      return { kind: 'array', element: await this.describe(t.typelem, typmod, depth + 1), sql: t.sql };
    if (t.typtype === 'b')
      return {
        kind: 'base',
        name: t.typname,
        category: t.typcategory,
        builtin: t.nspname === 'pg_catalog',
        typmod,
        sql: t.sql,
      };
    return { kind: 'other', sql: t.sql };
  }
}

async function describeColumns(
  client: pg.Client,
  table: Table,
  types: TypeCatalog,
): Promise<DescribedColumn[]> {
  const { rows } = await client.query<{ name: string; oid: number; typmod: number; sql: string }>(
    `SELECT a.attname::text AS name, a.atttypid::int AS oid, a.atttypmod AS typmod, format_type(a.atttypid, a.atttypmod) AS sql
       FROM pg_catalog.pg_attribute a
      WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped
      ORDER BY a.attnum`,
    [qn(table.schema, table.name)],
  );
  const out: DescribedColumn[] = [];
  for (const [index, column] of table.columns.entries()) {
    const row = rows.find((r) => r.name === column.name);
    if (!row) throw new Error(`column ${column.name} is missing on the target`);
    out.push({ column, index, sqlType: row.sql, shape: await types.describe(row.oid, row.typmod) });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// copySampleRows
// ---------------------------------------------------------------------------------------------

/**
 * Copy up to `rowsPerTable` real rows per table from `source` into `target` (same schema, e.g. a
 * scratch clone). The user opts in explicitly: real rows leave the source server.
 *
 * - The source is only read, inside `BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY`, so all
 *   tables are sampled from one consistent snapshot. Values travel as text (each column's output
 *   function, then its input function on the target), so they round-trip exactly: no precision
 *   lost to JavaScript numbers or dates.
 * - Parents are sampled first; a child's sample prefers rows whose foreign keys point at parent
 *   rows already copied (compared as text), so a sample of a few rows per table still joins up.
 * - The target runs with `SET LOCAL session_replication_role = replica`: foreign keys are
 *   enforced by system triggers, and user triggers are ordinary ones, neither fires in replica
 *   mode. So insertion order and cycles (self-references, mutually referencing tables) do not
 *   matter, and audit or denormalizing triggers neither write extra rows nor fail on a partial
 *   copy. Since nothing checked the foreign keys, a repair pass follows: a reference to a row
 *   that was not copied is set to NULL (all its columns nullable) or its row is deleted, until
 *   no orphan is left. Setting the role needs superuser (or, on 15+, a SET grant); without it
 *   the copy still runs parents first, and rows that break a constraint make their table skipped.
 * - Generated columns are left to their expressions; identity columns get the source values
 *   (OVERRIDING SYSTEM VALUE), then every sequence owned by a column is moved past the copied
 *   values (setval), so later inserts on the scratch copy do not collide.
 *
 * Runs in its own transaction on each client, so neither must be inside one.
 */
export async function copySampleRows(
  source: pg.Client,
  target: pg.Client,
  snapshot: SchemaSnapshot,
  rowsPerTable: number,
): Promise<TableDataReport[]> {
  const n = checkRowCount(rowsPerTable);
  const order = insertionOrder(snapshot);
  const copied = new Map<string, CopiedRows>();
  const reports = new Map<string, TableDataReport>();

  await source.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  try {
    await target.query('BEGIN');
    try {
      await attempt(target, () => target.query('SET LOCAL session_replication_role = replica'));
      for (const step of order.steps) {
        const key = tableKey(step.table);
        // A cycle through NOT NULL columns is no obstacle here: constraints do not fire.
        reports.set(key, await copyTable(source, target, snapshot, step.table, copied, n));
      }
      await removeOrphans(target, snapshot);
      for (const t of snapshot.tables) {
        const key = tableKey(t);
        if (t.partitionOf !== null) {
          reports.set(key, await partitionReport(target, t));
          continue;
        }
        const report = reports.get(key);
        if (report && report.skipped === undefined) {
          const counted = await target.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM ${t.kind === 'table' ? 'ONLY ' : ''}${qn(t.schema, t.name)}`,
          );
          report.rows = counted.rows[0]?.n ?? 0;
        }
      }
      await advanceSequences(target, snapshot);
      const views = await refreshMaterializedViews(target, snapshot.views);
      await target.query('COMMIT');
      return [
        ...snapshot.tables.map((t) => reports.get(tableKey(t))).filter((r) => r !== undefined),
        ...views,
      ];
    } catch (error) {
      await target.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  } finally {
    await source.query('ROLLBACK').catch(() => undefined);
  }
}

interface CopiedRows {
  columns: string[];
  rows: (string | null)[][];
}

async function copyTable(
  source: pg.Client,
  target: pg.Client,
  snapshot: SchemaSnapshot,
  table: Table,
  copied: Map<string, CopiedRows>,
  n: number,
): Promise<TableDataReport> {
  const key = tableKey(table);
  const columns = table.columns.filter((c) => c.generated === null);
  const name = qn(table.schema, table.name);
  const only = table.kind === 'table' ? 'ONLY ' : '';
  if (columns.length === 0) return { table: key, rows: 0, skipped: 'no columns to copy' };

  // Prefer child rows whose references were copied: `fk IS NULL OR fk::text IN (copied keys)`.
  const params: string[][] = [];
  const filters: string[] = [];
  for (const fk of table.foreignKeys) {
    if (isSelfReference(table, fk)) continue;
    const parent = copied.get(qualifiedName(fk.referencedSchema, fk.referencedTable));
    if (!parent) continue;
    const positions = fk.referencedColumns.map((c) => parent.columns.indexOf(c));
    if (positions.some((p) => p < 0)) continue;
    const anyNull = fk.columns.map((c) => `${quoteIdent(c)} IS NULL`).join(' OR ');
    const first = params.length + 1;
    for (const p of positions)
      params.push(parent.rows.map((r) => r[p] ?? null).filter((v): v is string => v !== null));
    const refs = fk.columns.map((c) => `${quoteIdent(c)}::text`);
    const arrays = positions.map((_, i) => `$${first + i}::text[]`);
    filters.push(
      refs.length === 1
        ? `(${anyNull} OR ${refs[0] ?? ''} = ANY (${arrays[0] ?? ''}))`
        : `(${anyNull} OR (${refs.join(', ')}) IN (SELECT * FROM unnest(${arrays.join(', ')})))`,
    );
  }
  const select = `SELECT ${columns.map((c) => `${quoteIdent(c.name)}::text`).join(', ')} FROM ${only}${name}`;
  const read = await attempt(source, () =>
    source.query<unknown[]>({
      text: `${select}${filters.length > 0 ? ` WHERE ${filters.join(' AND ')}` : ''} LIMIT ${n}`,
      values: params,
      rowMode: 'array',
    }),
  );
  if (!read.ok) return { table: key, rows: 0, skipped: `reading the source failed: ${read.error}` };
  const rows = read.value.rows.map((r) => r.map((v) => (v === null || v === undefined ? null : String(v))));
  copied.set(key, { columns: columns.map((c) => c.name), rows });
  if (rows.length === 0) return { table: key, rows: 0 };

  const overriding = columns.some((c) => c.identity === 'always') ? ' OVERRIDING SYSTEM VALUE' : '';
  const head = `INSERT INTO ${name} (${columns.map((c) => quoteIdent(c.name)).join(', ')})${overriding} VALUES `;
  const batch = Math.max(1, Math.min(COPY_BATCH_ROWS, Math.floor(60000 / columns.length)));
  const written = await attempt(target, async () => {
    let count = 0;
    for (let start = 0; start < rows.length; start += batch) {
      const chunk = rows.slice(start, start + batch);
      const tuples = chunk.map(
        (_, r) => `(${columns.map((__, c) => `$${r * columns.length + c + 1}`).join(', ')})`,
      );
      const result = await target.query(head + tuples.join(', '), chunk.flat());
      count += result.rowCount ?? 0;
    }
    return count;
  });
  if (!written.ok) {
    copied.set(key, { columns: columns.map((c) => c.name), rows: [] });
    return { table: key, rows: 0, skipped: `insert failed: ${written.error}` };
  }
  return { table: key, rows: written.value };
}

/** Null out or delete rows whose foreign key points at a row that was not copied, until none is left. */
async function removeOrphans(target: pg.Client, snapshot: SchemaSnapshot): Promise<void> {
  for (let pass = 0; pass < 20; pass++) {
    let changed = 0;
    for (const t of snapshot.tables) {
      if (t.partitionOf !== null) continue;
      for (const fk of t.foreignKeys) {
        const parentTable = findTable(snapshot, fk.referencedSchema, fk.referencedTable);
        const parent = `${parentTable?.kind === 'table' ? 'ONLY ' : ''}${qn(fk.referencedSchema, fk.referencedTable)}`;
        const child = `${t.kind === 'table' ? 'ONLY ' : ''}${qn(t.schema, t.name)}`;
        const orphan =
          fk.columns.map((c) => `c.${quoteIdent(c)} IS NOT NULL`).join(' AND ') +
          ` AND NOT EXISTS (SELECT 1 FROM ${parent} AS p WHERE ${fk.columns
            .map((c, i) => `p.${quoteIdent(fk.referencedColumns[i] ?? c)} = c.${quoteIdent(c)}`)
            .join(' AND ')})`;
        const nullable = fk.columns.every((c) => t.columns.find((x) => x.name === c)?.nullable ?? false);
        const sql = nullable
          ? `UPDATE ${child} AS c SET ${fk.columns.map((c) => `${quoteIdent(c)} = NULL`).join(', ')} WHERE ${orphan}`
          : `DELETE FROM ${child} AS c WHERE ${orphan}`;
        const result = await attempt(target, () => target.query(sql));
        if (result.ok) changed += result.value.rowCount ?? 0;
      }
    }
    if (changed === 0) return;
  }
}

/** Every sequence owned by a column continues after the largest (or, descending, smallest) copied value. */
async function advanceSequences(target: pg.Client, snapshot: SchemaSnapshot): Promise<void> {
  for (const s of snapshot.sequences) {
    if (s.ownedBy === null) continue;
    const owner = snapshot.tables.find((t) => s.ownedBy?.startsWith(`${t.schema}.${t.name}.`));
    const column = owner?.columns.find((c) => s.ownedBy === `${owner.schema}.${owner.name}.${c.name}`);
    if (!owner || !column) continue;
    const extreme = s.increment.startsWith('-') ? 'min' : 'max';
    await attempt(target, () =>
      target.query(
        `SELECT setval(${quoteLiteral(qn(s.schema, s.name))}, m) FROM (SELECT ${extreme}(${quoteIdent(column.name)}) AS m FROM ${qn(owner.schema, owner.name)}) AS x WHERE m IS NOT NULL`,
      ),
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Shared
// ---------------------------------------------------------------------------------------------

interface DeferredForeignKey {
  table: Table;
  fk: ForeignKey;
}

interface InsertionOrder {
  /** Tables that take rows (partitions excluded: rows go through their parent), parents first. */
  steps: { table: Table; skipped?: string }[];
  /** Foreign keys inserted as NULL and filled at the end, to break a cycle. */
  deferred: DeferredForeignKey[];
}

/**
 * Parents before children (topological over foreign keys, self-references ignored). A cycle is
 * broken at a foreign key whose columns are all nullable; failing that, one table of the cycle
 * is skipped (its children then see no parent rows).
 */
export function insertionOrder(snapshot: SchemaSnapshot): InsertionOrder {
  const root = (schema: string, name: string): string => {
    let t = findTable(snapshot, schema, name);
    for (let depth = 0; t?.partitionOf && depth < 16; depth++) {
      const dot = t.partitionOf.indexOf('.');
      t = findTable(snapshot, t.partitionOf.slice(0, dot), t.partitionOf.slice(dot + 1));
    }
    return t ? tableKey(t) : qualifiedName(schema, name);
  };
  const remaining = new Map(
    snapshot.tables.filter((t) => t.partitionOf === null).map((t) => [tableKey(t), t]),
  );
  const deferred: DeferredForeignKey[] = [];
  const steps: InsertionOrder['steps'] = [];
  const blocking = (t: Table) =>
    t.foreignKeys.filter((fk) => {
      const parent = root(fk.referencedSchema, fk.referencedTable);
      return (
        parent !== tableKey(t) && remaining.has(parent) && !deferred.some((d) => d.fk === fk && d.table === t)
      );
    });
  while (remaining.size > 0) {
    const ready = [...remaining.values()].find((t) => blocking(t).length === 0);
    if (ready) {
      steps.push({ table: ready });
      remaining.delete(tableKey(ready));
      continue;
    }
    let broke = false;
    for (const t of remaining.values()) {
      const fk = blocking(t).find((f) =>
        f.columns.every((c) => t.columns.find((x) => x.name === c)?.nullable ?? false),
      );
      if (fk) {
        deferred.push({ table: t, fk });
        broke = true;
        break;
      }
    }
    if (broke) continue;
    const [key, stuck] = [...remaining.entries()][0] ?? [];
    if (key === undefined || stuck === undefined) break;
    steps.push({ table: stuck, skipped: 'foreign key cycle through NOT NULL columns' });
    remaining.delete(key);
  }
  return { steps, deferred };
}

function checkRowCount(rowsPerTable: number): number {
  if (!Number.isSafeInteger(rowsPerTable) || rowsPerTable < 0)
    throw new RangeError(`rowsPerTable must be a non-negative integer, got ${rowsPerTable}`);
  return rowsPerTable;
}

type Attempt<T> = { ok: true; value: T } | { ok: false; error: string };

/** Run `fn` under a savepoint: on failure roll back to it and return the error as `SQLSTATE: message`. */
async function attempt<T>(client: pg.Client, fn: () => Promise<T>): Promise<Attempt<T>> {
  await client.query(`SAVEPOINT ${SAVEPOINT}`);
  try {
    const value = await fn();
    await client.query(`RELEASE SAVEPOINT ${SAVEPOINT}`);
    return { ok: true, value };
  } catch (error) {
    await client.query(`ROLLBACK TO SAVEPOINT ${SAVEPOINT}`);
    await client.query(`RELEASE SAVEPOINT ${SAVEPOINT}`);
    const e = error as { code?: unknown; message?: unknown };
    const message = typeof e.message === 'string' ? e.message : String(error);
    return { ok: false, error: typeof e.code === 'string' ? `${e.code}: ${message}` : message };
  }
}
