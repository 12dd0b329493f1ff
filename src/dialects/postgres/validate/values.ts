/**
 * Values for made-up rows, per PostgreSQL type: a SQL expression of a row key for each column
 * type (domains resolved to their base type, enums, arrays, ranges), read from the target's
 * catalog. Distinct keys give distinct values, so unique columns stay unique.
 */
import type pg from 'pg';
import type { Column, Table } from '../../../core/snapshot.js';
import { quoteLiteral } from '../quote.js';
import { qn } from './data-sql.js';

export interface DescribedColumn {
  column: Column;
  /** Position among the table's columns (offsets the NULL pattern). */
  index: number;
  /** The column type as the server spells it (format_type), for the final cast. */
  sqlType: string;
  shape: TypeShape;
}

/** A column type reduced to what value generation needs (domains resolved to their base type). */
export type TypeShape =
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
export function generate(shape: TypeShape, k: string, ctx: GenerateContext): string | null {
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
export class TypeCatalog {
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

export async function describeColumns(
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
