/**
 * The one INSERT ... SELECT ... FROM generate_series(1, N) that fills a table with made-up rows
 * (synthesize.ts): which columns get generated values, which take their defaults, where NULLs
 * go, and how foreign keys join their parent's rows by row number.
 */
import type { Column, ForeignKey, SchemaSnapshot, Table } from '../../../core/snapshot.js';
import { findTable, tableKey } from '../../../validate/data/insertion-order.js';
import { DUPLICATE_PERIOD, type NullPeriods } from '../../../validate/data/pattern.js';
import { quoteIdent, quoteLiteral } from '../quote.js';
import { qn } from './data-sql.js';
import { generate, type DescribedColumn } from './values.js';

/** How one attempt generates values. */
export interface Strategy {
  /** Columns with a default take it (unique columns excepted: a constant default repeats). */
  useDefaults: boolean;
  /** share: nullable columns NULL in one row of five; checked: also always NULL when a CHECK names them; none: no NULLs. */
  nulls: 'share' | 'checked' | 'none';
}

export type PlannedForeignKey =
  /** Join the parent's keys by row number. */
  | { fk: ForeignKey; mode: 'join'; nullable: boolean; count: number; stride: number; alias: string }
  /** NULL on insert, filled afterwards (self-reference, cycle) or never (`parentless`: no parent rows). */
  | { fk: ForeignKey; mode: 'later'; nullable: boolean; parentless?: boolean }
  /** NOT NULL self-reference: each row references itself. */
  | { fk: ForeignKey; mode: 'own-row'; nullable: boolean };

export function buildInsert(
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

/** Columns that must be distinct per row: primary key, unique constraints and indexes, exclusion constraints. */
export function uniqueColumns(table: Table): Set<string> {
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

export function isSerial(c: Column): boolean {
  return c.default !== null && /^nextval\(/i.test(c.default);
}
