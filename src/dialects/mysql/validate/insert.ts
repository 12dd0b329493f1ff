/**
 * The one `INSERT … SELECT` that fills a MySQL/MariaDB table with made-up rows (synthesize.ts):
 * rows numbered 1..N by a cross join of digit tables (portable: MySQL 8 limits recursive CTEs
 * to 1000 rows by default, and MariaDB's seq_1_to_N tables are MariaDB's only), values per type
 * from values.ts, foreign keys joined to their parent's rows by row number (ROW_NUMBER(),
 * MariaDB 10.2+ and MySQL 8.0+).
 */
import type { ForeignKey, SchemaSnapshot, Table } from '../../../core/snapshot.js';
import { DUPLICATE_PERIOD, type NullPeriods } from '../../../validate/data/pattern.js';
import { quoteMysqlIdent as q, quoteMysqlLiteral } from '../quote.js';
import { listedValues, valueFor } from './values.js';

export interface Strategy {
  /** Columns with a default take it (unique ones excepted: a constant default repeats). */
  useDefaults: boolean;
  /** share: NULLs by the pattern; checked: also always NULL where a CHECK names the column; none: no NULLs. */
  nulls: 'share' | 'checked' | 'none';
}

export type PlannedForeignKey =
  | { fk: ForeignKey; mode: 'join'; nullable: boolean; count: number; stride: number; alias: string }
  | { fk: ForeignKey; mode: 'later'; nullable: boolean; parentless?: boolean };

/** `SELECT i FROM …` numbering rows 1..n. */
export function rowNumbers(n: number): string {
  const digits =
    '(SELECT 0 AS d UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9)';
  const places = Math.max(1, String(Math.max(0, n - 1)).length);
  const factors = Array.from({ length: places }, (_, p) => `${digits} AS d${p}`);
  const sum = Array.from({ length: places }, (_, p) => (p === 0 ? 'd0.d' : `${10 ** p} * d${p}.d`)).join(
    ' + ',
  );
  return `(SELECT ${sum} + 1 AS i FROM ${factors.join(' CROSS JOIN ')}) AS g`;
}

export function buildInsert(
  snapshot: SchemaSnapshot,
  table: Table,
  fks: readonly PlannedForeignKey[],
  strategy: Strategy,
  n: number,
  nulls: NullPeriods,
): { sql: string } | { skip: string } {
  const unique = uniqueColumns(table);
  const checked = new Set(table.columns.filter((c) => checksName(table, c.name)).map((c) => c.name));
  const listed = checkListedValues(table);
  const names: string[] = [];
  const values: string[] = [];
  const joins: string[] = [];
  const handled = new Set<string>();
  const index = (name: string) =>
    Math.max(
      0,
      table.columns.findIndex((c) => c.name === name),
    );
  const nullPattern = (i: number, period: number | null, expr: string) =>
    period === null ? expr : `CASE WHEN MOD(g.i, ${period}) = ${i % period} THEN NULL ELSE ${expr} END`;

  for (const p of fks) {
    if (p.fk.columns.every((c) => handled.has(c))) continue;
    if (p.mode === 'join') {
      const refs = p.fk.referencedColumns.map(q);
      const parent = `${q(p.fk.referencedSchema)}.${q(p.fk.referencedTable)}`;
      joins.push(
        `JOIN (SELECT ${refs.map((r, i) => `${r} AS k${i}`).join(', ')}, ROW_NUMBER() OVER (ORDER BY ${refs.join(', ')}) AS rn ` +
          `FROM ${parent} WHERE ${refs.map((r) => `${r} IS NOT NULL`).join(' AND ')}) AS ${p.alias} ` +
          `ON ${p.alias}.rn = MOD(FLOOR((g.i - 1) / ${p.stride}), ${p.count}) + 1`,
      );
    }
    p.fk.columns.forEach((c, i) => {
      if (handled.has(c)) return;
      handled.add(c);
      names.push(c);
      if (p.mode === 'later') values.push('NULL');
      else {
        const expr = `${p.alias}.k${i}`;
        const period = nulls.ofGroup(table, p.fk.columns);
        values.push(
          p.nullable && strategy.nulls !== 'none'
            ? nullPattern(index(p.fk.columns[0] ?? c), period, expr)
            : expr,
        );
      }
    });
  }

  for (const col of table.columns) {
    if (handled.has(col.name) || col.generated !== null || col.identity !== null) continue;
    if (strategy.useDefaults && col.default !== null && !unique.has(col.name)) continue;
    const k = unique.has(col.name) ? 'g.i' : `(g.i - (MOD(g.i, ${DUPLICATE_PERIOD}) = 0))`;
    const list = unique.has(col.name) ? undefined : listed.get(col.name);
    const json = table.checkConstraints.some((c) =>
      new RegExp(`json_valid\\(${escape(q(col.name))}\\)`, 'i').test(c.definition),
    );
    const expr = list
      ? `ELT(MOD(${k} - 1, ${list.length}) + 1, ${list.map(quoteMysqlLiteral).join(', ')})`
      : valueFor(col, k, col.name.slice(0, 16), json);
    const period = nulls.of(table, col.name);
    if (expr === null) {
      if (col.nullable && !(period === null && col.default !== null)) {
        names.push(col.name);
        values.push('NULL');
      } else if (col.default === null) {
        return { skip: `column ${col.name}: no value generator for type ${col.type} and no default` };
      }
      continue;
    }
    names.push(col.name);
    if (col.nullable && strategy.nulls === 'checked' && checked.has(col.name) && period !== null)
      values.push('NULL');
    else if (col.nullable && strategy.nulls !== 'none')
      values.push(nullPattern(index(col.name), period, expr));
    else values.push(expr);
  }

  if (names.length === 0) {
    // Every column takes its default: name one, NULL for an AUTO_INCREMENT (its next value) or
    // DEFAULT(col), since INSERT … SELECT needs a column.
    const auto = table.columns.find((c) => c.identity !== null);
    const defaulted = table.columns.find((c) => c.default !== null && c.generated === null);
    if (auto) {
      names.push(auto.name);
      values.push('NULL');
    } else if (defaulted) {
      names.push(defaulted.name);
      values.push(`DEFAULT(${q(defaulted.name)})`);
    } else return { skip: 'no column takes a value' };
  }
  const target = `${q(table.schema)}.${q(table.name)}`;
  return {
    sql: `INSERT INTO ${target} (${names.map(q).join(', ')}) SELECT ${values.join(', ')} FROM ${rowNumbers(n)} ${joins.join(' ')} WHERE g.i <= ${n}`,
  };
}

/** Primary key and unique index columns: distinct per row. */
export function uniqueColumns(table: Table): Set<string> {
  const out = new Set<string>(table.primaryKey?.columns ?? []);
  for (const i of table.indexes)
    if (i.unique) for (const c of i.columns) out.add(c.replace(/\(\d+\)$| DESC$/g, ''));
  return out;
}

function checksName(table: Table, column: string): boolean {
  return table.checkConstraints.some(
    (c) =>
      new RegExp(escape(q(column))).test(c.definition) ||
      new RegExp(`\\b${escape(column)}\\b`).test(c.definition),
  );
}

/** `CHECK (`status` in ('a','b'))`: a column limited to a list cycles through it. */
function checkListedValues(table: Table): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const check of table.checkConstraints) {
    for (const m of check.definition.matchAll(
      /`((?:``|[^`])+)`\s+in\s*(\((?:\s*'(?:[^'\\]|''|\\.)*'\s*,?)+\))/gi,
    )) {
      const name = (m[1] ?? '').replace(/``/g, '`');
      if (table.columns.some((c) => c.name === name) && !out.has(name))
        out.set(name, listedValues(m[2] ?? ''));
    }
  }
  return out;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
