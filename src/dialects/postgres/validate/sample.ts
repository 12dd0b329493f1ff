/**
 * Real rows for the scratch database: up to N rows per table copied from the live database, an
 * explicit opt-in of the user (`--sample-rows`: the rows leave the source server).
 */
import type pg from 'pg';
import type { TableDataReport } from '../../../core/dialect/validation.js';
import type { SchemaSnapshot, Table } from '../../../core/snapshot.js';
import { qualifiedName } from '../../../core/snapshot.js';
import {
  findTable,
  insertionOrder,
  isSelfReference,
  tableKey,
} from '../../../validate/data/insertion-order.js';
import { checkRowCount } from '../../../validate/data/pattern.js';
import { quoteIdent, quoteLiteral } from '../quote.js';
import { attempt, partitionReport, qn, refreshMaterializedViews } from './data-sql.js';

/** Rows per INSERT statement when copying (also bounded by the 65535 parameters of a statement). */
const COPY_BATCH_ROWS = 500;

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
