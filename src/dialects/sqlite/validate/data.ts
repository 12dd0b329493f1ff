/**
 * Rows for a SQLite scratch database: made up (synthesizeRows) or sampled from the live file
 * (copySample), parents first (src/validate/data/insertion-order.ts), one row at a time in one
 * transaction per table, foreign keys enforced (better-sqlite3 opens connections with
 * foreign_keys on), so a row SQLite refuses is left out and counted rather than stopping the
 * table. Imperfect on purpose as the other dialects' rows are (src/validate/data/pattern.ts).
 *
 * A table that already holds rows is left as it is: with `--clone auto` the scratch database is
 * a copy of the file, rows included, and made-up rows on top of real ones would only collide.
 * SQLite keeps no per-column NULL statistics (sqlite_stat4 samples index keys only), so
 * readNullFractions knows nothing and the default pattern applies.
 */
import type { NullFraction, SynthesizeOptions, TableDataReport } from '../../../core/dialect/validation.js';
import type { Column, SchemaSnapshot, Table } from '../../../core/snapshot.js';
import { insertionOrder, isSelfReference, tableKey } from '../../../validate/data/insertion-order.js';
import {
  checkRowCount,
  DUPLICATE_PERIOD,
  nullPeriods,
  type NullPeriods,
} from '../../../validate/data/pattern.js';
import { messageOf } from '../connect.js';
import { quoteIdent as q } from '../quote.js';
import type { SqliteSession } from '../session.js';

export function readNullFractions(): NullFraction {
  return () => undefined;
}

export function synthesizeRows(
  session: SqliteSession,
  snapshot: SchemaSnapshot,
  rowsPerTable: number,
  options: SynthesizeOptions = {},
): TableDataReport[] {
  const n = checkRowCount(rowsPerTable);
  const nulls = nullPeriods(options.nullFraction, n);
  const order = insertionOrder(snapshot);
  return order.steps.map(({ table, skipped }) => {
    const key = tableKey(table);
    if (skipped !== undefined) return { table: key, rows: 0, skipped };
    const held = existingRows(session, table);
    if (held !== null) return held;
    const deferred = order.deferred.filter((d) => d.table === table).map((d) => d.fk);
    return synthesizeTable(session, table, deferred, n, nulls);
  });
}

function existingRows(session: SqliteSession, table: Table): TableDataReport | null {
  if (table.module !== undefined)
    return {
      table: tableKey(table),
      rows: 0,
      skipped: `a virtual table (${table.module}): its module keeps its rows`,
    };
  const [row] = session.rows<{ n: number }>(`SELECT count(*) AS n FROM ${q(table.name)}`);
  const count = Number(row?.n ?? 0);
  return count > 0
    ? {
        table: tableKey(table),
        rows: count,
        skipped: `it already holds ${count} row(s) (a copy of the file)`,
      }
    : null;
}

function synthesizeTable(
  session: SqliteSession,
  table: Table,
  deferred: readonly Table['foreignKeys'][number][],
  n: number,
  nulls: NullPeriods,
): TableDataReport {
  const key = tableKey(table);
  const columns = table.columns.filter((c) => c.generated === null && c.identity === null);
  const unique = new Set([
    ...(table.primaryKey?.columns ?? []),
    ...table.uniqueConstraints.flatMap((u) => u.columns),
    ...table.indexes.filter((i) => i.unique && i.predicate === null).flatMap((i) => i.columns),
  ]);
  // Values each foreign key may take: its parent's keys, read now (parents are filled first).
  const parents = new Map<string, unknown[]>();
  for (const fk of table.foreignKeys) {
    if (isSelfReference(table, fk) || deferred.includes(fk)) {
      if (fk.columns.some((c) => !table.columns.find((x) => x.name === c)?.nullable))
        return {
          table: key,
          rows: 0,
          skipped: `foreign key ${fk.name}: a NOT NULL reference to a row not there yet`,
        };
      for (const c of fk.columns) parents.set(c, []);
      continue;
    }
    const keys = session.db
      .prepare(
        `SELECT ${fk.referencedColumns.map(q).join(', ')} FROM ${q(fk.referencedTable)} WHERE ${fk.referencedColumns.map((c) => `${q(c)} IS NOT NULL`).join(' AND ')} LIMIT ${n}`,
      )
      .raw()
      .all() as unknown[][];
    fk.columns.forEach((c, i) =>
      parents.set(
        c,
        keys.map((k) => k[i]),
      ),
    );
  }
  const insert = session.db.prepare(
    `INSERT INTO ${q(table.name)} (${columns.map((c) => q(c.name)).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
  );
  let rows = 0;
  let firstError: string | undefined;
  session.exec('BEGIN');
  try {
    for (let i = 0; i < n; i++) {
      const values = columns.map((c, k) =>
        valueOf(table, c, k, i, unique.has(c.name), parents.get(c.name), nulls),
      );
      try {
        insert.run(...values);
        rows++;
      } catch (error) {
        firstError ??= messageOf(error);
      }
    }
    session.exec('COMMIT');
  } catch (error) {
    if (session.db.inTransaction) session.exec('ROLLBACK');
    return { table: key, rows: 0, skipped: `insert failed: ${messageOf(error)}` };
  }
  return rows === 0
    ? { table: key, rows, skipped: `insert failed: ${firstError ?? 'no row'}` }
    : { table: key, rows };
}

function valueOf(
  table: Table,
  column: Column,
  index: number,
  row: number,
  unique: boolean,
  parentKeys: unknown[] | undefined,
  nulls: NullPeriods,
): unknown {
  const period = column.nullable ? nulls.of(table, column.name) : null;
  if (period !== null && row % period === index % period) return null;
  if (parentKeys !== undefined) return parentKeys.length === 0 ? null : parentKeys[row % parentKeys.length];
  // Non-unique values repeat the previous row's now and then, as real data does.
  const i = !unique && row > 0 && row % DUPLICATE_PERIOD === 0 ? row - 1 : row;
  const type = column.type.toUpperCase();
  // Affinity by declared type, as SQLite decides it: https://www.sqlite.org/datatype3.html#determination_of_column_affinity
  if (/BOOL/.test(type)) return unique ? i : i % 2;
  if (/DATE|TIME/.test(type))
    return new Date(Date.UTC(2024, 0, 1) + i * 60_000).toISOString().replace('T', ' ').slice(0, 19);
  if (type.includes('INT')) return i + 1;
  if (/CHAR|CLOB|TEXT/.test(type)) return `${column.name}-${i + 1}`;
  if (type.includes('BLOB')) return Buffer.from(`${column.name}-${i + 1}`);
  if (/REAL|FLOA|DOUB/.test(type)) return i + 0.5;
  return i + 1;
}

/**
 * Up to `rowsPerTable` real rows per table from the live file (read-only) into the scratch copy;
 * a row whose parent was not sampled is left out (foreign keys are enforced).
 */
export function copySample(
  source: SqliteSession,
  target: SqliteSession,
  snapshot: SchemaSnapshot,
  rowsPerTable: number,
): TableDataReport[] {
  const n = checkRowCount(rowsPerTable);
  return insertionOrder(snapshot).steps.map(({ table, skipped }) => {
    const key = tableKey(table);
    if (skipped !== undefined) return { table: key, rows: 0, skipped };
    const held = existingRows(target, table);
    if (held !== null) return held;
    const columns = table.columns.filter((c) => c.generated === null).map((c) => q(c.name));
    const read = source.db.prepare(`SELECT ${columns.join(', ')} FROM ${q(table.name)} LIMIT ${n}`).raw();
    const insert = target.db.prepare(
      `INSERT INTO ${q(table.name)} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
    );
    let rows = 0;
    let firstError: string | undefined;
    target.exec('BEGIN');
    for (const values of read.iterate() as Iterable<unknown[]>) {
      try {
        insert.run(...values);
        rows++;
      } catch (error) {
        firstError ??= messageOf(error);
      }
    }
    target.exec('COMMIT');
    return rows === 0 && firstError !== undefined
      ? { table: key, rows, skipped: firstError }
      : { table: key, rows };
  });
}
