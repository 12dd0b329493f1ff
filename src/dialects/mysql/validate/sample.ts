/**
 * Real rows for a MySQL/MariaDB scratch database: up to N rows per table copied from the target,
 * an explicit opt-in of the user (`--sample-rows`: the rows leave the target server).
 *
 * - The target is only read, in one `START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY`,
 *   so every table is sampled at one moment (InnoDB tables). Rows are taken in primary key
 *   order, values travel through mysql2 as it reads them (strings for big numbers, decimals and
 *   dates, Buffers for bytes), geometry as WKB.
 * - On the scratch side foreign key checks are off (any table order, cycles included) and the
 *   triggers are dropped for the copy and recreated afterwards: MySQL has no way to keep them
 *   from firing, and an audit trigger must not write extra rows or fail on a partial copy. Since
 *   nothing checked the foreign keys, a repair pass follows: a reference to a row that was not
 *   copied is set to NULL (nullable columns) or its row is deleted, until no orphan is left.
 */
import type { TableDataReport } from '../../../core/dialect/validation.js';
import type { SchemaSnapshot, Table } from '../../../core/snapshot.js';
import { insertionOrder, tableKey } from '../../../validate/data/insertion-order.js';
import { checkRowCount } from '../../../validate/data/pattern.js';
import { quoteMysqlIdent as q } from '../quote.js';
import type { MysqlSession } from '../session.js';
import { MARKER_TABLE } from '../scratch/names.js';
import { applySchemaDdl, readSchemaDdl } from './show-create.js';
import { describe } from './synthesize.js';

const BATCH_ROWS = 500;
const SPATIAL =
  /^(geometry|point|linestring|polygon|multipoint|multilinestring|multipolygon|geometrycollection)/i;

export async function copySampleRows(
  source: MysqlSession,
  target: MysqlSession,
  snapshot: SchemaSnapshot,
  rowsPerTable: number,
): Promise<TableDataReport[]> {
  const n = checkRowCount(rowsPerTable);
  const tables = insertionOrder({
    ...snapshot,
    tables: snapshot.tables.filter((t) => t.name !== MARKER_TABLE),
  });
  const [scratch] = await target.rows<{ db: string }>('SELECT DATABASE() AS db');
  const triggers = (await readSchemaDdl(target, scratch?.db ?? '', { keepCounters: true })).triggers;
  for (const t of triggers) await target.rows(`DROP TRIGGER ${q(t.name)}`);
  const reports: TableDataReport[] = [];
  await source.rows('START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY');
  await target.rows('SET SESSION foreign_key_checks = 0');
  await target.rows("SET SESSION sql_mode = CONCAT(@@SESSION.sql_mode, ',NO_AUTO_VALUE_ON_ZERO')");
  try {
    const copied = new Map<string, CopiedRows>();
    for (const { table } of tables.steps) reports.push(await copyTable(source, target, table, n, copied));
    await removeOrphans(target, snapshot);
    for (const r of reports) {
      if (r.skipped !== undefined) continue;
      const [row] = await target.rows<{ n: string | number }>(`SELECT COUNT(*) AS n FROM ${qn(r.table)}`);
      r.rows = Number(row?.n ?? 0);
      await target.rows(`ANALYZE TABLE ${qn(r.table)}`);
    }
  } finally {
    await source.rows('COMMIT').catch(() => undefined);
    await target.rows('SET SESSION foreign_key_checks = 1');
  }
  const warnings = await applySchemaDdl(target, {
    ...{ charset: null, collation: null, tables: [], columns: new Map(), routines: [], views: [] },
    triggers,
  });
  if (warnings.length > 0) throw new Error(`after the sample copy: ${warnings.join('; ')}`);
  return reports;
}

/** The rows copied so far per table (`schema.name`), by column name. */
type CopiedRows = { columns: string[]; rows: unknown[][] };

async function copyTable(
  source: MysqlSession,
  target: MysqlSession,
  table: Table,
  n: number,
  copied: Map<string, CopiedRows>,
): Promise<TableDataReport> {
  const key = tableKey(table);
  const columns = table.columns.filter((c) => c.generated === null);
  if (columns.length === 0) return { table: key, rows: 0, skipped: 'no column to copy' };
  // Aliased c0, c1…: a row object's key order is not the select list's for names like `1`.
  const read = columns
    .map((c, i) => `${SPATIAL.test(c.type) ? `ST_AsBinary(${q(c.name)})` : q(c.name)} AS c${i}`)
    .join(', ');
  const order = table.primaryKey ? ` ORDER BY ${table.primaryKey.columns.map(q).join(', ')}` : '';
  try {
    // Rows whose first foreign key points at a parent row already copied come first, so that a
    // sample of a few rows per table still joins up; the rest, in key order, fill it up.
    const joined = joinedFilter(table, copied);
    let rows = await source.rows<Record<string, unknown>>(
      `SELECT ${read} FROM ${q(table.name)}${joined ? ` WHERE ${joined.sql}` : ''}${order} LIMIT ${n}`,
      joined?.values ?? [],
    );
    if (joined && rows.length < n)
      rows = rows.concat(
        await source.rows<Record<string, unknown>>(
          `SELECT ${read} FROM ${q(table.name)} WHERE NOT (${joined.sql})${order} LIMIT ${n - rows.length}`,
          joined.values,
        ),
      );
    const placeholders = `(${columns.map((c) => (SPATIAL.test(c.type) ? 'ST_GeomFromWKB(?)' : '?')).join(', ')})`;
    const values = rows.map((row) => columns.map((_, j) => valueOf(row[`c${j}`])));
    for (let i = 0; i < values.length; i += BATCH_ROWS) {
      const batch = values.slice(i, i + BATCH_ROWS);
      await target.rows(
        `INSERT INTO ${q(table.schema)}.${q(table.name)} (${columns.map((c) => q(c.name)).join(', ')}) VALUES ${batch.map(() => placeholders).join(', ')}`,
        batch.flat(),
      );
    }
    copied.set(key, { columns: columns.map((c) => c.name), rows: values });
    return { table: key, rows: rows.length };
  } catch (error) {
    return { table: key, rows: 0, skipped: `copy failed: ${describe(error)}` };
  }
}

/** `(fk columns) IN ((?, ?), …)` over the parent rows copied, for the table's first such key. */
function joinedFilter(
  table: Table,
  copied: Map<string, CopiedRows>,
): { sql: string; values: unknown[] } | null {
  for (const fk of table.foreignKeys) {
    const parent = copied.get(`${fk.referencedSchema}.${fk.referencedTable}`);
    if (!parent || parent.rows.length === 0 || fk.referencedTable === table.name) continue;
    const at = fk.referencedColumns.map((c) => parent.columns.indexOf(c));
    if (at.some((i) => i < 0)) continue;
    const keys = parent.rows.map((r) => at.map((i) => r[i]));
    const tuple = `(${fk.columns.map(q).join(', ')})`;
    const one = `(${fk.columns.map(() => '?').join(', ')})`;
    return { sql: `${tuple} IN (${keys.map(() => one).join(', ')})`, values: keys.flat() };
  }
  return null;
}

/** MySQL 8's JSON comes parsed; it goes back as its text. */
function valueOf(value: unknown): unknown {
  if (value !== null && typeof value === 'object' && !(value instanceof Buffer) && !(value instanceof Date))
    return JSON.stringify(value);
  return value;
}

/** Orphans the unchecked copy left: NULLed when the columns may be NULL, deleted otherwise. */
async function removeOrphans(target: MysqlSession, snapshot: SchemaSnapshot): Promise<void> {
  for (let round = 0; round < 10; round++) {
    let changed = 0;
    for (const table of snapshot.tables) {
      for (const fk of table.foreignKeys) {
        const child = `${q(table.schema)}.${q(table.name)}`;
        const parent = `${q(fk.referencedSchema)}.${q(fk.referencedTable)}`;
        const on = fk.columns.map((c, i) => `p.${q(fk.referencedColumns[i] ?? c)} = c.${q(c)}`).join(' AND ');
        const where = `${fk.columns.map((c) => `c.${q(c)} IS NOT NULL`).join(' AND ')} AND p.${q(fk.referencedColumns[0] ?? '')} IS NULL`;
        const nullable = fk.columns.every((c) => table.columns.find((x) => x.name === c)?.nullable ?? false);
        const sql = nullable
          ? `UPDATE ${child} AS c LEFT JOIN ${parent} AS p ON ${on} SET ${fk.columns.map((c) => `c.${q(c)} = NULL`).join(', ')} WHERE ${where}`
          : `DELETE c FROM ${child} AS c LEFT JOIN ${parent} AS p ON ${on} WHERE ${where}`;
        const result = await target.rows(sql);
        changed += Number((result as unknown as { affectedRows?: number }).affectedRows ?? 0);
      }
    }
    if (changed === 0) return;
  }
}

function qn(key: string): string {
  const dot = key.indexOf('.');
  return `${q(key.slice(0, dot))}.${q(key.slice(dot + 1))}`;
}
