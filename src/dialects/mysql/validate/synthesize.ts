/**
 * Made-up rows for a MySQL/MariaDB scratch database, as PostgreSQL's synthesize.ts makes them:
 * N rows per table, parents first (src/validate/data/insertion-order.ts), values per type,
 * primary and unique keys distinct, foreign keys pointing at parent rows, and imperfect on
 * purpose (src/validate/data/pattern.ts): nullable columns NULL in one row of five unless the
 * target's NULL share is known, non-unique values repeating every fourth row. That is what makes
 * an ALTER that adds NOT NULL or UNIQUE fail on the copy when it would on the real data.
 *
 * A table whose insert fails (a CHECK the values miss, a partition the keys do not fit) is
 * retried with defaults, then without NULLs, then reported skipped with the server's message.
 * AUTO_INCREMENT and generated columns take what the server gives them. Self-references and
 * foreign keys that close a cycle are filled after the insert, by UPDATE, when the table has a
 * primary key to number its rows by.
 */
import type { SynthesizeOptions, TableDataReport } from '../../../core/dialect/validation.js';
import type { ForeignKey, SchemaSnapshot, Table } from '../../../core/snapshot.js';
import { qualifiedName } from '../../../core/snapshot.js';
import {
  insertionOrder,
  isSelfReference,
  tableKey,
  type DeferredForeignKey,
} from '../../../validate/data/insertion-order.js';
import { checkRowCount, NULL_PERIOD, nullPeriods, type NullPeriods } from '../../../validate/data/pattern.js';
import { quoteMysqlIdent as q } from '../quote.js';
import type { MysqlSession } from '../session.js';
import { MARKER_TABLE } from '../scratch/names.js';
import { buildInsert, uniqueColumns, type PlannedForeignKey, type Strategy } from './insert.js';

const STRATEGIES: readonly Strategy[] = [
  { useDefaults: false, nulls: 'share' },
  { useDefaults: true, nulls: 'checked' },
  { useDefaults: true, nulls: 'none' },
];

export async function synthesizeRows(
  session: MysqlSession,
  snapshot: SchemaSnapshot,
  rowsPerTable: number,
  options: SynthesizeOptions = {},
): Promise<TableDataReport[]> {
  const n = checkRowCount(rowsPerTable);
  const nulls = nullPeriods(options.nullFraction, n);
  const order = insertionOrder({
    ...snapshot,
    tables: snapshot.tables.filter((t) => t.name !== MARKER_TABLE),
  });
  const reports = new Map<string, TableDataReport>();
  for (const step of order.steps) {
    const key = tableKey(step.table);
    if (step.skipped !== undefined) reports.set(key, { table: key, rows: 0, skipped: step.skipped });
    else reports.set(key, await synthesizeTable(session, snapshot, step.table, order.deferred, n, nulls));
  }
  for (const { table, fk } of order.deferred)
    if (reports.get(tableKey(table))?.skipped === undefined)
      await fillLater(session, table, fk, nulls.ofGroup(table, fk.columns));
  for (const report of reports.values())
    if (report.rows > 0) await session.rows(`ANALYZE TABLE ${qn(report.table)}`).catch(() => undefined);
  return [...reports.values()];
}

async function synthesizeTable(
  session: MysqlSession,
  snapshot: SchemaSnapshot,
  table: Table,
  deferred: readonly DeferredForeignKey[],
  n: number,
  nulls: NullPeriods,
): Promise<TableDataReport> {
  const key = tableKey(table);
  if (n === 0) return { table: key, rows: 0 };
  const unique = uniqueColumns(table);
  const fks: PlannedForeignKey[] = [];
  let stride = 1;
  for (const fk of table.foreignKeys) {
    const nullable = fk.columns.every((c) => table.columns.find((x) => x.name === c)?.nullable ?? false);
    if (isSelfReference(table, fk) || deferred.some((d) => d.fk === fk && d.table === table)) {
      if (!nullable)
        return {
          table: key,
          rows: 0,
          skipped: `foreign key ${fk.name}: a NOT NULL reference filled only after the insert`,
        };
      fks.push({ fk, mode: 'later', nullable });
      continue;
    }
    const count = await parentRows(session, fk);
    if (count === 0) {
      if (!nullable)
        return {
          table: key,
          rows: 0,
          skipped: `foreign key ${fk.name}: the referenced table ${qualifiedName(fk.referencedSchema, fk.referencedTable)} has no rows`,
        };
      fks.push({ fk, mode: 'later', nullable, parentless: true });
      continue;
    }
    // Foreign keys inside a unique key advance one after the other (odometer): distinct combinations.
    const inKey = fk.columns.every((c) => unique.has(c));
    fks.push({ fk, mode: 'join', nullable, count, stride: inKey ? stride : 1, alias: `fk${fks.length}` });
    if (inKey) stride = stride * count > n ? 1 : stride * count;
  }
  let firstError: string | undefined;
  for (const strategy of STRATEGIES) {
    const built = buildInsert(snapshot, table, fks, strategy, n, nulls);
    if ('skip' in built) return { table: key, rows: 0, skipped: built.skip };
    try {
      const result = await session.rows(built.sql);
      const rows = Number((result as unknown as { affectedRows?: number }).affectedRows ?? 0);
      for (const p of fks)
        if (p.mode === 'later' && p.parentless !== true && isSelfReference(table, p.fk))
          await fillLater(session, table, p.fk, nulls.ofGroup(table, p.fk.columns));
      return { table: key, rows };
    } catch (error) {
      firstError ??= describe(error);
    }
  }
  return { table: key, rows: 0, skipped: `insert failed: ${firstError ?? 'unknown error'}` };
}

/**
 * Fill a foreign key inserted as NULL: row k of the child (by primary key) references parent row
 * ((k - 1) % parents) + 1, a self-reference the previous row; one row of `period` stays NULL (the
 * roots of a tree). Derived tables numbered by ROW_NUMBER() are materialized, which is what lets
 * MySQL update a table it reads from. Best effort: a failure leaves the NULLs.
 */
async function fillLater(
  session: MysqlSession,
  table: Table,
  fk: ForeignKey,
  period: number | null = NULL_PERIOD,
): Promise<void> {
  const pk = table.primaryKey?.columns;
  if (!pk || pk.length === 0) return;
  const self = isSelfReference(table, fk);
  const child = `${q(table.schema)}.${q(table.name)}`;
  const parent = `${q(fk.referencedSchema)}.${q(fk.referencedTable)}`;
  const refs = fk.referencedColumns.map(q);
  try {
    const count = self ? 0 : await parentRows(session, fk);
    if (!self && count === 0) return;
    const pick = self
      ? period === null
        ? 'p.rn = GREATEST(k.rn - 1, 1)'
        : 'p.rn = k.rn - 1'
      : `p.rn = MOD(k.rn - 1, ${count}) + 1`;
    const roots = period === null ? '' : ` AND MOD(k.rn, ${period}) <> ${1 % period}`;
    const order = self ? pk.map(q).join(', ') : refs.join(', ');
    await session.rows(
      `UPDATE ${child} AS c ` +
        `JOIN (SELECT ${pk.map((col, i) => `${q(col)} AS pk${i}`).join(', ')}, ROW_NUMBER() OVER (ORDER BY ${pk.map(q).join(', ')}) AS rn FROM ${child}) AS k ` +
        `ON ${pk.map((col, i) => `c.${q(col)} = k.pk${i}`).join(' AND ')} ` +
        `JOIN (SELECT ${refs.map((r, i) => `${r} AS k${i}`).join(', ')}, ROW_NUMBER() OVER (ORDER BY ${order}) AS rn FROM ${self ? child : parent} ` +
        `WHERE ${refs.map((r) => `${r} IS NOT NULL`).join(' AND ')}) AS p ON ${pick}${roots} ` +
        `SET ${fk.columns.map((col, i) => `c.${q(col)} = p.k${i}`).join(', ')}`,
    );
  } catch {
    // The NULLs stay: still consistent with the constraint.
  }
}

async function parentRows(session: MysqlSession, fk: ForeignKey): Promise<number> {
  const where = fk.referencedColumns.map((c) => `${q(c)} IS NOT NULL`).join(' AND ');
  try {
    const [row] = await session.rows<{ n: string | number }>(
      `SELECT COUNT(*) AS n FROM ${q(fk.referencedSchema)}.${q(fk.referencedTable)} WHERE ${where}`,
    );
    return Number(row?.n ?? 0);
  } catch {
    return 0;
  }
}

function qn(key: string): string {
  const dot = key.indexOf('.');
  return `${q(key.slice(0, dot))}.${q(key.slice(dot + 1))}`;
}

export function describe(error: unknown): string {
  const e = error as { message?: string; sqlState?: string };
  return `${e.sqlState ? `SQLSTATE ${e.sqlState}: ` : ''}${e.message ?? String(error)}`;
}
